//! What the control device answers: the typed decode of its IOCTL codes and the one handler.
//!
//! This module knows nothing of IRPs: it takes an IOCTL code and the request's buffers and
//! returns a [`Reply`], so phase 2 only has to replace the three `NOT_IMPLEMENTED` arms with
//! calls into `cryptdisk_core::control`.

use mountdev::{IoBuffers, NtStatus, Reply};

use crate::control_codes::{IOCTL_CRYPTDISK_LIST, IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT};

/// A control-device request, decoded from its IOCTL code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlRequest {
    /// [`IOCTL_CRYPTDISK_MOUNT`].
    Mount,
    /// [`IOCTL_CRYPTDISK_UNMOUNT`].
    Unmount,
    /// [`IOCTL_CRYPTDISK_LIST`].
    List,
    /// Any other code.
    Unknown(u32),
}

impl ControlRequest {
    /// Decodes an IOCTL code.
    ///
    /// ```
    /// use cryptdisk_driver::control::ControlRequest;
    /// use cryptdisk_driver::control_codes::IOCTL_CRYPTDISK_LIST;
    /// assert_eq!(ControlRequest::decode(IOCTL_CRYPTDISK_LIST), ControlRequest::List);
    /// assert_eq!(ControlRequest::decode(0x0022_2000), ControlRequest::Unknown(0x0022_2000));
    /// ```
    pub const fn decode(code: u32) -> Self {
        match code {
            IOCTL_CRYPTDISK_MOUNT => Self::Mount,
            IOCTL_CRYPTDISK_UNMOUNT => Self::Unmount,
            IOCTL_CRYPTDISK_LIST => Self::List,
            other => Self::Unknown(other),
        }
    }
}

/// Answers one control-device IOCTL.
///
/// Phase 1: MOUNT, UNMOUNT and LIST are recognised but not implemented yet, and say so with
/// `STATUS_NOT_IMPLEMENTED` (`ERROR_CALL_NOT_IMPLEMENTED`, 120, in Win32); they never report a
/// success they did not achieve. Unknown codes get `STATUS_INVALID_DEVICE_REQUEST`.
///
/// ```
/// use cryptdisk_driver::control::handle_control;
/// use cryptdisk_driver::control_codes::IOCTL_CRYPTDISK_MOUNT;
/// use mountdev::{IoBuffers, NtStatus};
/// let mut out = [0u8; 16];
/// let reply = handle_control(IOCTL_CRYPTDISK_MOUNT, IoBuffers::split(&[], &mut out));
/// assert_eq!((reply.status, reply.information), (NtStatus::NOT_IMPLEMENTED, 0));
/// ```
pub fn handle_control(code: u32, buffers: IoBuffers<'_>) -> Reply {
    // Phase 2 reads the request from `buffers.input()` and writes the reply into
    // `buffers.into_output()` (cryptdisk_core::control).
    let _ = buffers;
    match ControlRequest::decode(code) {
        ControlRequest::Mount | ControlRequest::Unmount | ControlRequest::List => {
            Reply::error(NtStatus::NOT_IMPLEMENTED)
        }
        ControlRequest::Unknown(_) => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
    }
}
