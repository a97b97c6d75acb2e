//! The control device's IOCTL codes and names, defined once in `cryptdisk_core::control` (the
//! protocol the CLI speaks) and re-exported here for the driver and the user-mode exerciser
//! (which includes this file).
//!
//! Each code is `CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + n, METHOD_BUFFERED, FILE_READ_ACCESS |
//! FILE_WRITE_ACCESS)`: functions from 0x800 up are the range Microsoft leaves to vendors, and
//! the read/write access bits make the I/O manager refuse the request on a handle opened without
//! both rights.
//!
//! ```
//! # use cryptdisk_driver::control_codes::*;
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

#[cfg(test)]
mod tests {
    use super::*;
    use mountdev::ioctl::{Access, IoctlCode, Method};

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
}
