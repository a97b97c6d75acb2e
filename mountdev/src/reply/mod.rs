//! Replies to IOCTLs and the contracts that shape them.
//!
//! A [`Reply`] is what a driver puts in `Irp->IoStatus`: a status and `Information`, the number
//! of output bytes that are valid. Two contracts fill output buffers, written once each:
//!
//! - [`write_counted`]: variable-length MOUNTDEV replies (`protocol.md` §3.2): too small for the C
//!   `sizeof` → `BUFFER_TOO_SMALL`, 0; room for `sizeof` but not the payload → length field
//!   filled, `BUFFER_OVERFLOW`, `sizeof`; otherwise `SUCCESS`, header + payload.
//! - [`write_fixed`]: fixed-size outputs (`protocol.md` §5.1): too small → `BUFFER_TOO_SMALL`, 0.
//!
//! Storage property queries follow a third, deliberately different contract (`protocol.md`
//! §3.5), kept apart with the storage handler.

mod buffers;
mod counted;
mod fixed;

pub use buffers::IoBuffers;
pub use counted::write_counted;
pub use fixed::write_fixed;

use crate::NtStatus;

/// The outcome of an IOCTL: the completion status and `Information`.
///
/// Handlers in this crate uphold `information <= output length`, and return `information == 0`
/// with every error status.
///
/// ```
/// use mountdev::{NtStatus, Reply};
/// let r = Reply::error(NtStatus::INVALID_DEVICE_REQUEST);
/// assert_eq!(r.information, 0);
/// assert!(r.is_consistent(0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Reply {
    /// `IoStatus.Status`.
    pub status: NtStatus,
    /// `IoStatus.Information`: valid output bytes.
    pub information: usize,
}

impl Reply {
    /// A status with `information` output bytes.
    pub const fn new(status: NtStatus, information: usize) -> Self {
        Self { status, information }
    }

    /// `SUCCESS` with `information` output bytes.
    pub const fn success(information: usize) -> Self {
        Self::new(NtStatus::SUCCESS, information)
    }

    /// An error (or any status) with no output.
    pub const fn error(status: NtStatus) -> Self {
        Self::new(status, 0)
    }

    /// `STATUS_PENDING`: the driver keeps the IRP and completes it later.
    pub const fn pending() -> Self {
        Self::new(NtStatus::PENDING, 0)
    }

    /// Whether this reply keeps the rules a caller relies on: `information` never exceeds the
    /// output length, and an error status carries no output bytes.
    pub const fn is_consistent(&self, output_len: usize) -> bool {
        self.information <= output_len && !(self.status.is_error() && self.information != 0)
    }
}
