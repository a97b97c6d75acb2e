//! [`RequestError`]: why a request cannot be built.

use core::fmt;

/// Why a request cannot be written: it never produces a truncated buffer instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// The caller's buffer is shorter than [`crate::WireRequest::required_len`].
    BufferTooSmall {
        /// Bytes the request needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// An offset does not fit its 16-bit (or 32-bit) wire field.
    OffsetOverflow {
        /// The C name of the field.
        field: &'static str,
        /// The offset that does not fit.
        offset: usize,
    },
    /// A unique ID with an odd byte length in a `MOUNTMGR_MOUNT_POINT` filter: the mount manager
    /// rejects odd offsets and lengths in that structure with `STATUS_INVALID_PARAMETER`
    /// (ReactOS `MountMgrQueryPoints`, `protocol.md` §4.6a), so such a filter is refused here.
    OddUniqueIdLength {
        /// The unique ID's length in bytes.
        length: usize,
    },
    /// The request is larger than the address space allows (a length sum overflowed).
    TooLarge,
    /// No `Vec<u8>` of the needed size could be allocated.
    OutOfMemory {
        /// Bytes requested.
        needed: usize,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed, available } => {
                write!(f, "request needs {needed} bytes but the buffer holds {available}")
            }
            Self::OffsetOverflow { field, offset } => {
                write!(f, "offset {offset} does not fit the field {field}")
            }
            Self::OddUniqueIdLength { length } => write!(
                f,
                "unique ID of odd length {length} in a MOUNTMGR_MOUNT_POINT filter (the mount manager rejects odd lengths)"
            ),
            Self::TooLarge => f.write_str("request length overflows"),
            Self::OutOfMemory { needed } => write!(f, "cannot allocate {needed} bytes for a request"),
        }
    }
}

impl core::error::Error for RequestError {}
