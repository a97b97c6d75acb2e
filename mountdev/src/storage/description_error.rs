//! [`DiskDescriptionError`]: why a [`crate::storage::DiskConfig`] does not describe a disk.

use core::fmt;

/// Why a [`crate::storage::DiskConfig`] was refused by [`crate::storage::DiskDescription::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiskDescriptionError {
    /// The size is 0.
    Empty,
    /// The size does not fit the signed 64-bit `LARGE_INTEGER` fields that report it.
    TooLarge {
        /// The size in bytes.
        size: u64,
    },
    /// The size is not a whole number of logical sectors.
    NotSectorMultiple {
        /// The size in bytes.
        size: u64,
        /// The logical sector size.
        logical_sector_size: u32,
    },
    /// A sector size is not a power of two from 512 to 4096.
    SectorSize {
        /// `"logical"` or `"physical"`.
        which: &'static str,
        /// The value given.
        value: u32,
    },
    /// The physical sector is smaller than the logical one.
    PhysicalBelowLogical {
        /// The logical sector size.
        logical: u32,
        /// The physical sector size.
        physical: u32,
    },
    /// A descriptor string is longer than its field allows.
    TextTooLong {
        /// `"vendor"`, `"product"` or `"revision"`.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The largest length allowed.
        max: usize,
    },
    /// A descriptor string holds a byte that is not printable ASCII (a NUL would cut the
    /// NUL-terminated string the descriptor carries).
    TextNotPrintableAscii {
        /// `"vendor"`, `"product"` or `"revision"`.
        field: &'static str,
        /// The offending byte's index.
        index: usize,
        /// The byte.
        byte: u8,
    },
    /// A claimed device number lies outside
    /// [`crate::storage::DeviceNumberClaim::VIRTUAL_RANGE`] and could collide with a real disk.
    DeviceNumber {
        /// The number given.
        device_number: u32,
    },
    /// The maximum transfer length is 0 or not a whole number of logical sectors.
    MaxTransferLength {
        /// The value given.
        value: u32,
        /// The logical sector size.
        logical_sector_size: u32,
    },
}

impl fmt::Display for DiskDescriptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("disk size is 0"),
            Self::TooLarge { size } => write!(f, "disk size {size} exceeds i64::MAX"),
            Self::NotSectorMultiple {
                size,
                logical_sector_size,
            } => write!(
                f,
                "disk size {size} is not a multiple of the {logical_sector_size}-byte sector"
            ),
            Self::SectorSize { which, value } => {
                write!(f, "{which} sector size {value} is not a power of two in 512..=4096")
            }
            Self::PhysicalBelowLogical { logical, physical } => {
                write!(f, "physical sector size {physical} is below the logical {logical}")
            }
            Self::TextTooLong { field, len, max } => write!(f, "{field} string of {len} bytes exceeds {max}"),
            Self::TextNotPrintableAscii { field, index, byte } => {
                write!(f, "{field} string has byte {byte:#04x} at {index}, not printable ASCII")
            }
            Self::DeviceNumber { device_number } => write!(
                f,
                "device number {device_number:#x} lies outside the virtual range and could collide with a real disk"
            ),
            Self::MaxTransferLength {
                value,
                logical_sector_size,
            } => write!(
                f,
                "maximum transfer length {value} is not a positive multiple of the {logical_sector_size}-byte sector"
            ),
        }
    }
}

impl core::error::Error for DiskDescriptionError {}
