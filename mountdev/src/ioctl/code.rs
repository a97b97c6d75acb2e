//! `CTL_CODE` encoding and the typed decode of any 32-bit IOCTL code.

use core::fmt;

/// `CTL_CODE(DeviceType, Function, Method, Access)` from `devioctl.h`.
///
/// `function` is masked to its 12 bits, so a code can never spill into the access bits.
///
/// ```
/// use mountdev::ioctl::{ctl_code, Access, DeviceType, Method};
/// assert_eq!(ctl_code(DeviceType::MOUNTMGR, 0, Method::Buffered, Access::READ_WRITE), 0x006D_C000);
/// ```
pub const fn ctl_code(device_type: DeviceType, function: u16, method: Method, access: Access) -> u32 {
    ((device_type.0 as u32) << 16) | (access.bits() << 14) | (((function & 0x0FFF) as u32) << 2) | method as u32
}

/// The device type of an IOCTL code (`FILE_DEVICE_*`, the top 16 bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DeviceType(pub u16);

impl DeviceType {
    /// `FILE_DEVICE_DISK` (`IOCTL_DISK_BASE`).
    pub const DISK: Self = Self(0x07);
    /// `FILE_DEVICE_FILE_SYSTEM` (FSCTL codes).
    pub const FILE_SYSTEM: Self = Self(0x09);
    /// `FILE_DEVICE_MASS_STORAGE` (`IOCTL_STORAGE_BASE`).
    pub const MASS_STORAGE: Self = Self(0x2D);
    /// `MOUNTDEVCONTROLTYPE` (`'M'`): requests the mount manager sends to a volume.
    pub const MOUNTDEV: Self = Self(0x4D);
    /// `IOCTL_VOLUME_BASE` (`'V'`).
    pub const VOLUME: Self = Self(0x56);
    /// `FTTYPE` (`'f'`): fault-tolerant disk driver requests.
    pub const FT: Self = Self(0x66);
    /// `MOUNTMGRCONTROLTYPE` (`'m'`): requests to `\Device\MountPointManager`.
    pub const MOUNTMGR: Self = Self(0x6D);
}

/// How the I/O manager passes the buffers of an IOCTL (the low two bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u32)]
pub enum Method {
    /// `METHOD_BUFFERED`: input and output share one system buffer.
    Buffered = 0,
    /// `METHOD_IN_DIRECT`.
    InDirect = 1,
    /// `METHOD_OUT_DIRECT`.
    OutDirect = 2,
    /// `METHOD_NEITHER`: raw user addresses.
    Neither = 3,
}

impl Method {
    /// The method encoded in the low two bits of `code`.
    pub const fn of(code: u32) -> Self {
        match code & 3 {
            0 => Self::Buffered,
            1 => Self::InDirect,
            2 => Self::OutDirect,
            _ => Self::Neither,
        }
    }
}

bitflags::bitflags! {
    /// The access a caller's handle needs for an IOCTL (bits 14 and 15).
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
    pub struct Access: u32 {
        /// `FILE_READ_ACCESS`.
        const READ = 1;
        /// `FILE_WRITE_ACCESS`.
        const WRITE = 2;
    }
}

impl Access {
    /// `FILE_ANY_ACCESS`.
    pub const ANY: Self = Self::empty();
    /// `FILE_READ_ACCESS | FILE_WRITE_ACCESS`.
    pub const READ_WRITE: Self = Self::READ.union(Self::WRITE);
}

/// A raw 32-bit IOCTL code with accessors for its four fields.
///
/// ```
/// use mountdev::ioctl::{Access, DeviceType, IoctlCode, Method};
/// let c = IoctlCode(0x0056_4052); // IOCTL_VOLUME_QUERY_ALLOCATION_HINT
/// assert_eq!(c.device_type(), DeviceType::VOLUME);
/// assert_eq!(c.function(), 20);
/// assert_eq!(c.method(), Method::OutDirect);
/// assert_eq!(c.access(), Access::READ);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IoctlCode(pub u32);

impl IoctlCode {
    /// Bits 16..32.
    pub const fn device_type(self) -> DeviceType {
        DeviceType((self.0 >> 16) as u16)
    }

    /// Bits 2..14 (12 bits; values from 0x800 up are vendor-defined).
    pub const fn function(self) -> u16 {
        ((self.0 >> 2) & 0x0FFF) as u16
    }

    /// Bits 0..2.
    pub const fn method(self) -> Method {
        Method::of(self.0)
    }

    /// Bits 14..16.
    pub const fn access(self) -> Access {
        Access::from_bits_truncate((self.0 >> 14) & 3)
    }
}

impl fmt::Debug for IoctlCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IoctlCode({:#010X}: type {:#06X}, function {:#05X}, {:?}, {:?})",
            self.0,
            self.device_type().0,
            self.function(),
            self.method(),
            self.access()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        for dev in [0u16, 7, 0x2D, 0x4D, 0x56, 0x6D, 0xFFFF] {
            for func in [0u16, 1, 0x17, 0x800, 0xFFF] {
                for method in [Method::Buffered, Method::InDirect, Method::OutDirect, Method::Neither] {
                    for access in [Access::ANY, Access::READ, Access::WRITE, Access::READ_WRITE] {
                        let code = IoctlCode(ctl_code(DeviceType(dev), func, method, access));
                        assert_eq!(code.device_type(), DeviceType(dev));
                        assert_eq!(code.function(), func);
                        assert_eq!(code.method(), method);
                        assert_eq!(code.access(), access);
                    }
                }
            }
        }
    }

    #[test]
    fn function_is_masked() {
        assert_eq!(
            ctl_code(DeviceType::DISK, 0x1FFF, Method::Buffered, Access::ANY),
            ctl_code(DeviceType::DISK, 0x0FFF, Method::Buffered, Access::ANY)
        );
    }
}
