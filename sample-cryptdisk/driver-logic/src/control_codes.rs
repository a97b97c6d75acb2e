//! The control device's IOCTL codes and names, defined once in `cryptdisk_core::control` (the
//! protocol the CLI speaks) and re-exported here for the driver and the user-mode exerciser, and
//! [`ControlCode`]: the one place a raw code is matched against them.
//!
//! Each code is `CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + n, METHOD_BUFFERED, FILE_READ_ACCESS |
//! FILE_WRITE_ACCESS)`: functions from 0x800 up are the range Microsoft leaves to vendors, and
//! the read/write access bits make the I/O manager refuse the request on a handle opened without
//! both rights.
//!
//! ```
//! # use cryptdisk_driver_logic::control_codes::*;
//! assert_eq!(IOCTL_CRYPTDISK_MOUNT, 0x0022_E000);
//! assert_eq!(IOCTL_CRYPTDISK_UNMOUNT, 0x0022_E004);
//! assert_eq!(IOCTL_CRYPTDISK_LIST, 0x0022_E008);
//! ```

pub use cryptdisk_core::control::{
    CONTROL_DEVICE_NAME, CONTROL_LINK_NAME, FILE_DEVICE_UNKNOWN, IOCTL_CRYPTDISK_LIST, IOCTL_CRYPTDISK_MOUNT,
    IOCTL_CRYPTDISK_UNMOUNT,
};

/// The Win32 path user mode opens the control device with.
pub const CONTROL_DEVICE_WIN32_PATH: &str = "\\\\.\\CryptDiskControl";

/// One of the control device's three requests, matched once from the raw IOCTL code by the
/// dispatch routine and carried with the queued IRP to the control worker.
///
/// ```
/// # use cryptdisk_driver_logic::control_codes::{ControlCode, IOCTL_CRYPTDISK_LIST};
/// assert_eq!(ControlCode::from_ioctl(IOCTL_CRYPTDISK_LIST), Some(ControlCode::List));
/// assert_eq!(ControlCode::List.ioctl(), IOCTL_CRYPTDISK_LIST);
/// assert_eq!(ControlCode::from_ioctl(0), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ControlCode {
    /// `IOCTL_CRYPTDISK_MOUNT`.
    Mount,
    /// `IOCTL_CRYPTDISK_UNMOUNT`.
    Unmount,
    /// `IOCTL_CRYPTDISK_LIST`.
    List,
}

impl ControlCode {
    /// The request a raw IOCTL code names; `None` for every other code (the dispatch routine
    /// completes those with `STATUS_INVALID_DEVICE_REQUEST`).
    pub const fn from_ioctl(code: u32) -> Option<Self> {
        match code {
            IOCTL_CRYPTDISK_MOUNT => Some(Self::Mount),
            IOCTL_CRYPTDISK_UNMOUNT => Some(Self::Unmount),
            IOCTL_CRYPTDISK_LIST => Some(Self::List),
            _ => None,
        }
    }

    /// The raw IOCTL code.
    pub const fn ioctl(self) -> u32 {
        match self {
            Self::Mount => IOCTL_CRYPTDISK_MOUNT,
            Self::Unmount => IOCTL_CRYPTDISK_UNMOUNT,
            Self::List => IOCTL_CRYPTDISK_LIST,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn the_win32_path_names_the_link() {
        assert_eq!(
            CONTROL_LINK_NAME.strip_prefix("\\DosDevices\\"),
            CONTROL_DEVICE_WIN32_PATH.strip_prefix("\\\\.\\")
        );
        assert!(CONTROL_DEVICE_NAME.ends_with("\\CryptDiskControl"));
    }

    #[test]
    fn control_codes_round_trip_and_nothing_else_is_one() {
        for code in [ControlCode::Mount, ControlCode::Unmount, ControlCode::List] {
            assert_eq!(ControlCode::from_ioctl(code.ioctl()), Some(code));
        }
        // The neighbours: the functions either side, another method, another access, another
        // device's code, and the extremes.
        let neighbours = [
            ctl_code(FILE_DEVICE_UNKNOWN, 0x7FF, Method::Buffered, Access::READ_WRITE),
            ctl_code(FILE_DEVICE_UNKNOWN, 0x803, Method::Buffered, Access::READ_WRITE),
            ctl_code(FILE_DEVICE_UNKNOWN, 0x800, Method::Neither, Access::READ_WRITE),
            ctl_code(FILE_DEVICE_UNKNOWN, 0x800, Method::Buffered, Access::ANY),
            mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
            0,
            u32::MAX,
        ];
        for raw in neighbours {
            assert_eq!(ControlCode::from_ioctl(raw), None, "{raw:#x}");
        }
    }
}
