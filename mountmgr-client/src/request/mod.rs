//! Builders for the inputs of `IOCTL_MOUNTMGR_*` requests (`protocol.md` §1.3, §2.8-§2.15), and
//! the server-side parser of the `QUERY_POINTS` / `DELETE_POINTS` filter.
//!
//! Every builder implements [`WireRequest`]: [`WireRequest::required_len`] sizes the input,
//! [`WireRequest::write_into`] writes it into a caller's buffer (and, with `alloc`,
//! `WireRequest::to_vec` into a new `Vec<u8>`). Offsets and lengths are computed with checked
//! arithmetic; a request that does not fit its buffer or its 16-bit offset fields is a
//! [`RequestError`], never a truncated buffer. Names arrive as [`mountdev::NtName`] (or the
//! drive-letter / volume-name types that convert to it), so no length ever counts a terminator.
//!
//! Every builder round-trips through the matching parser: `mountdev`'s
//! [`TargetName::parse`](mountdev::layout::TargetName::parse),
//! [`CreatePointInput::parse`](mountdev::layout::CreatePointInput::parse) and
//! [`VolumeMountPoint::parse`](mountdev::layout::VolumeMountPoint::parse), and this crate's
//! [`MountPointFilter::parse`].
#![forbid(unsafe_code)]

mod create_point;
mod error;
mod fixed;
mod mount_point_filter;
mod target_name;
mod volume_mount_point;
mod write;

pub use create_point::CreatePointRequest;
pub use error::RequestError;
pub use fixed::{ChangeNotifyRequest, SetAutoMountRequest};
pub use mount_point_filter::{FilterError, FilterSelector, MountPointFilter};
pub use target_name::{DriveLetterTargetRequest, TargetNameRequest};
pub use volume_mount_point::VolumeMountPointRequest;

/// An input buffer of an `IOCTL_MOUNTMGR_*` request.
///
/// ```
/// use mountdev::nt_name;
/// use mountmgr_client::{TargetNameRequest, WireRequest};
/// let arrival = TargetNameRequest::new(nt_name!("\\Device\\XtsVolume1"));
/// assert_eq!(arrival.required_len().unwrap(), 38);
/// let mut small = [0u8; 37];
/// assert!(arrival.write_into(&mut small).is_err()); // never a truncated request
/// ```
pub trait WireRequest {
    /// The exact number of input bytes the request occupies.
    ///
    /// # Errors
    /// [`RequestError::OffsetOverflow`], [`RequestError::OddUniqueIdLength`] or
    /// [`RequestError::TooLarge`] when no valid input exists for these values.
    fn required_len(&self) -> Result<usize, RequestError>;

    /// Writes the request at the start of `buf` and returns exactly the bytes written.
    ///
    /// # Errors
    /// [`RequestError::BufferTooSmall`] when `buf` is shorter than
    /// [`WireRequest::required_len`], or any error of that method. Nothing useful is left in
    /// `buf` on error.
    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError>;

    /// The request as a new vector of exactly [`WireRequest::required_len`] bytes.
    ///
    /// # Errors
    /// As [`WireRequest::required_len`], or [`RequestError::OutOfMemory`].
    #[cfg(feature = "alloc")]
    fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, RequestError> {
        let needed = self.required_len()?;
        let mut out = alloc::vec::Vec::new();
        out.try_reserve_exact(needed)
            .map_err(|_| RequestError::OutOfMemory { needed })?;
        out.resize(needed, 0);
        let written = self.write_into(&mut out)?.len();
        out.truncate(written);
        Ok(out)
    }
}
