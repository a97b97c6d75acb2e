//! Validated, zero-copy parsers of the mount manager's replies (`protocol.md` §2.10-§2.16, §3.4).
//!
//! Each parser takes the bytes the mount manager actually returned (the output buffer cut to
//! `Information`) and checks every offset and length before it reads a byte. A variable-length
//! reply whose reported size is larger than what came back is not an error but
//! [`Parsed::Retry`]: send the request again with an output buffer of `required` bytes. Wine's
//! mount manager returns only `Size` (4 bytes) in that case, ReactOS the 32-byte header
//! (`toolchain.md` §5.4); both give a `Retry`.
#![forbid(unsafe_code)]

mod error;
mod fixed;
mod mount_points;
mod volume_paths;

pub use error::{PointDefect, ReplyError};
pub use fixed::{AutoMountState, DriveLetterInfo, parse_epic_number};
pub use mount_points::{LinkKind, MountPointEntry, MountPointIter, MountPoints};
pub use volume_paths::{VolumePathIter, VolumePaths};

/// The outcome of parsing a variable-length reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Parsed<T> {
    /// The whole reply came back and is valid.
    Complete(T),
    /// Only the header came back: repeat the request with an output buffer of `required` bytes
    /// (never less than the structure's C `sizeof`).
    Retry {
        /// The output length the mount manager asked for.
        required: usize,
    },
}

impl<T> Parsed<T> {
    /// The complete value, or `None` for a retry.
    pub fn complete(self) -> Option<T> {
        match self {
            Self::Complete(value) => Some(value),
            Self::Retry { .. } => None,
        }
    }
}

/// The little-endian `u32` at `offset`, or [`ReplyError::Short`].
fn read_u32(bytes: &[u8], offset: usize) -> Result<u32, ReplyError> {
    let end = offset.saturating_add(4);
    let field = bytes
        .get(offset..end)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .ok_or(ReplyError::Short {
            needed: end,
            available: bytes.len(),
        })?;
    Ok(u32::from_le_bytes(field))
}

/// A 32-bit size or count as `usize`.
fn to_usize(field: &'static str, value: u32) -> Result<usize, ReplyError> {
    usize::try_from(value).map_err(|_| ReplyError::Field {
        field,
        value: value.into(),
    })
}
