//! The control device's IOCTL codes, defined once: the driver and the user-mode exerciser (which
//! includes this file) both use these constants.
//!
//! Each is `CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + n, METHOD_BUFFERED, FILE_READ_ACCESS |
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

use mountdev::ioctl::{Access, DeviceType, Method, ctl_code};

/// `FILE_DEVICE_UNKNOWN`: the device type of the control device and of its IOCTL codes.
pub const FILE_DEVICE_UNKNOWN: DeviceType = DeviceType(0x22);

/// First function number of the vendor range.
const FUNCTION_BASE: u16 = 0x800;

/// Mounts a container as a new volume (request and reply: `cryptdisk_core::control`, phase 2).
pub const IOCTL_CRYPTDISK_MOUNT: u32 =
    ctl_code(FILE_DEVICE_UNKNOWN, FUNCTION_BASE, Method::Buffered, Access::READ_WRITE);

/// Unmounts a volume (phase 2).
pub const IOCTL_CRYPTDISK_UNMOUNT: u32 = ctl_code(
    FILE_DEVICE_UNKNOWN,
    FUNCTION_BASE + 1,
    Method::Buffered,
    Access::READ_WRITE,
);

/// Lists the mounted volumes (phase 2).
pub const IOCTL_CRYPTDISK_LIST: u32 = ctl_code(
    FILE_DEVICE_UNKNOWN,
    FUNCTION_BASE + 2,
    Method::Buffered,
    Access::READ_WRITE,
);

/// The control device's name in the object namespace.
pub const CONTROL_DEVICE_NAME: &str = "\\Device\\CryptDiskControl";

/// The Win32 path user mode opens the control device with.
pub const CONTROL_DEVICE_WIN32_PATH: &str = "\\\\.\\CryptDiskControl";
