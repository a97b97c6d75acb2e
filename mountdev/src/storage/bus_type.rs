//! [`BusType`]: the `STORAGE_BUS_TYPE` a disk reports in its device and adapter descriptors.

use core::fmt;

/// A `STORAGE_BUS_TYPE` value, 0 to `BusTypeMaxReserved` (0x7F) by construction, so it fits both
/// the 32-bit field of `STORAGE_DEVICE_DESCRIPTOR` and the byte of `STORAGE_ADAPTER_DESCRIPTOR`.
///
/// ```
/// use mountdev::storage::BusType;
/// assert_eq!(BusType::FILE_BACKED_VIRTUAL.get(), 15);
/// assert_eq!(BusType::new(14), Some(BusType::VIRTUAL));
/// assert_eq!(BusType::new(0x80), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[doc(alias = "STORAGE_BUS_TYPE")]
pub struct BusType(u8);

impl BusType {
    /// `BusTypeUnknown`.
    pub const UNKNOWN: Self = Self(0x00);
    /// `BusTypeScsi`.
    pub const SCSI: Self = Self(0x01);
    /// `BusTypeAtapi`.
    pub const ATAPI: Self = Self(0x02);
    /// `BusTypeAta`.
    pub const ATA: Self = Self(0x03);
    /// `BusTypeUsb`.
    pub const USB: Self = Self(0x07);
    /// `BusTypeiScsi`.
    pub const ISCSI: Self = Self(0x09);
    /// `BusTypeSas`.
    pub const SAS: Self = Self(0x0A);
    /// `BusTypeSata`.
    pub const SATA: Self = Self(0x0B);
    /// `BusTypeVirtual`: a virtual disk (VeraCrypt's choice).
    pub const VIRTUAL: Self = Self(0x0E);
    /// `BusTypeFileBackedVirtual`: a virtual disk backed by a file, the default of
    /// [`crate::storage::DiskConfig`] (`protocol.md` §5.3).
    pub const FILE_BACKED_VIRTUAL: Self = Self(0x0F);
    /// `BusTypeNvme`.
    pub const NVME: Self = Self(0x11);
    /// `BusTypeMaxReserved`: the largest value this type holds.
    pub const MAX_RESERVED: u8 = 0x7F;

    /// A bus type from its value; `None` above `BusTypeMaxReserved`.
    pub const fn new(value: u8) -> Option<Self> {
        if value <= Self::MAX_RESERVED {
            Some(Self(value))
        } else {
            None
        }
    }

    /// The value.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for BusType {
    fn default() -> Self {
        Self::FILE_BACKED_VIRTUAL
    }
}

impl fmt::Debug for BusType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BusType({:#04x})", self.0)
    }
}
