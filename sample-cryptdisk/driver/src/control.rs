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
/// `STATUS_NOT_IMPLEMENTED`; they never report a success they did not achieve. Unknown codes get
/// `STATUS_INVALID_DEVICE_REQUEST`. Win32 maps both statuses to `ERROR_INVALID_FUNCTION` (1),
/// so user mode tells them apart by the NTSTATUS itself (the exerciser reads it from
/// `OVERLAPPED.Internal`).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control_codes::FILE_DEVICE_UNKNOWN;
    use mountdev::ioctl::{Access, IoctlCode, Method, ctl_code};

    #[test]
    fn codes_are_buffered_read_write_vendor_codes_of_the_unknown_device_type() {
        let codes = [IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT, IOCTL_CRYPTDISK_LIST];
        assert_eq!(codes, [0x0022_E000, 0x0022_E004, 0x0022_E008]);
        for (n, code) in codes.into_iter().enumerate() {
            let code = IoctlCode(code);
            assert_eq!(code.device_type(), FILE_DEVICE_UNKNOWN);
            assert_eq!(usize::from(code.function()), 0x800 + n);
            assert_eq!(code.method(), Method::Buffered);
            assert_eq!(code.access(), Access::READ_WRITE);
        }
    }

    #[test]
    fn mount_unmount_list_say_not_implemented_and_write_nothing() {
        for code in [IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT, IOCTL_CRYPTDISK_LIST] {
            let mut system = [0xA5u8; 32];
            let reply = handle_control(code, IoBuffers::shared(&mut system, 8, 32));
            assert_eq!(reply, Reply::error(NtStatus::NOT_IMPLEMENTED), "code {code:#x}");
            assert!(system.iter().all(|&b| b == 0xA5));
        }
    }

    #[test]
    fn every_other_code_is_an_invalid_device_request() {
        let neighbours = [
            ctl_code(FILE_DEVICE_UNKNOWN, 0x7FF, Method::Buffered, Access::READ_WRITE),
            ctl_code(FILE_DEVICE_UNKNOWN, 0x803, Method::Buffered, Access::READ_WRITE),
            // The same functions with other methods or access bits are different codes.
            ctl_code(FILE_DEVICE_UNKNOWN, 0x800, Method::Neither, Access::READ_WRITE),
            ctl_code(FILE_DEVICE_UNKNOWN, 0x800, Method::Buffered, Access::ANY),
            mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
            0,
            u32::MAX,
        ];
        for code in neighbours {
            assert_eq!(ControlRequest::decode(code), ControlRequest::Unknown(code));
            let mut out = [0u8; 4];
            let reply = handle_control(code, IoBuffers::split(&[], &mut out));
            assert_eq!(reply, Reply::error(NtStatus::INVALID_DEVICE_REQUEST), "code {code:#x}");
        }
    }
}
