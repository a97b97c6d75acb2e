//! [`DiskConfig`], the plain description a driver writes, and [`DiskDescription`], the validated
//! form the storage handler answers from.

use core::num::NonZeroU32;

use super::ascii::{AsciiField, AsciiProblem};
use super::bus_type::BusType;
use super::description_error::DiskDescriptionError;
use super::device_number::DeviceNumberClaim;
use crate::layout::GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER;

/// Longest vendor string: the 8 bytes of a SCSI INQUIRY vendor identification.
pub const MAX_VENDOR_LEN: usize = 8;
/// Longest product string: the 16 bytes of a SCSI INQUIRY product identification.
pub const MAX_PRODUCT_LEN: usize = 16;
/// Longest revision string: the 4 bytes of a SCSI INQUIRY product revision level.
pub const MAX_REVISION_LEN: usize = 4;

/// A plain description of a virtual disk, as a driver writes it; [`DiskDescription::new`]
/// validates it.
///
/// Start from [`DiskConfig::new`] (the defaults) and change what differs:
///
/// ```
/// use mountdev::storage::{DiskConfig, DiskDescription};
/// let config = DiskConfig { read_only: true, product: "CryptVol", ..DiskConfig::new(64 << 20) };
/// let disk = DiskDescription::new(&config).unwrap();
/// assert!(disk.is_read_only());
/// assert_eq!(disk.sector_count(), (64 << 20) / 512);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskConfig<'a> {
    /// Size in bytes: a positive multiple of `logical_sector_size`, at most `i64::MAX`.
    pub size: u64,
    /// Logical sector size (`BytesPerSector`): a power of two from 512 to 4096. Default 512.
    pub logical_sector_size: u32,
    /// Physical sector size: a power of two from 512 to 4096, at least the logical one.
    /// Default 512.
    pub physical_sector_size: u32,
    /// Read-only: `IOCTL_DISK_IS_WRITABLE` answers `STATUS_MEDIA_WRITE_PROTECTED`. Default
    /// `false`.
    pub read_only: bool,
    /// Removable media (`RemovableMedia` media type, descriptor and hotplug flags). Default
    /// `false`.
    pub removable: bool,
    /// The device can disappear at run time (`DeviceHotplug`); true of any volume that is
    /// dismounted while Windows runs. Default `true` (`protocol.md` §5.2).
    pub hotplug: bool,
    /// Bus type of the device and adapter descriptors. Default
    /// [`BusType::FILE_BACKED_VIRTUAL`].
    pub bus_type: BusType,
    /// Vendor of the device descriptor: printable ASCII, at most [`MAX_VENDOR_LEN`] bytes; empty
    /// means "absent" (offset 0). Default `"mountdev"`.
    pub vendor: &'a str,
    /// Product: printable ASCII, at most [`MAX_PRODUCT_LEN`] bytes; empty means absent. Default
    /// `"Virtual Disk"`.
    pub product: &'a str,
    /// Product revision: printable ASCII, at most [`MAX_REVISION_LEN`] bytes; empty means
    /// absent. Default `"1.0"`.
    pub revision: &'a str,
    /// Answer `IOCTL_STORAGE_GET_DEVICE_NUMBER` with this number, or reject it (`None`, the
    /// default). See [`DeviceNumberClaim`] for why and which numbers.
    pub device_number: Option<DeviceNumberClaim>,
    /// `GptAttributes` answered to `IOCTL_VOLUME_GET_GPT_ATTRIBUTES`. Default 0.
    pub gpt_attributes: u64,
    /// Sets `GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER` (bit 63) in the GPT attributes: the
    /// mount manager then gives the volume no automatic drive letter (ReactOS checks it at
    /// arrival; Windows behaviour unconfirmed, `protocol.md` §4.2, §9 item 3). For a driver that
    /// assigns its letter itself with `CREATE_POINT`. Default `false`.
    pub no_drive_letter: bool,
    /// `IncursSeekPenalty` of the seek-penalty descriptor. Default `true` (the backing store is
    /// unknown; as VeraCrypt, `protocol.md` §5.3).
    pub incurs_seek_penalty: bool,
    /// `MaximumTransferLength` of the adapter descriptor: the largest request the driver's
    /// worker takes, a positive multiple of the logical sector size. Default 64 KiB.
    pub max_transfer_length: u32,
    /// MBR disk signature of the partition and layout replies; `None` (the default) derives a
    /// non-zero one from the other fields. Give one (e.g. from the container's UUID) when several
    /// disks of the same shape can be mounted at once.
    pub disk_signature: Option<NonZeroU32>,
}

impl DiskConfig<'static> {
    /// The defaults for a disk of `size` bytes (see each field).
    pub const fn new(size: u64) -> Self {
        Self {
            size,
            logical_sector_size: 512,
            physical_sector_size: 512,
            read_only: false,
            removable: false,
            hotplug: true,
            bus_type: BusType::FILE_BACKED_VIRTUAL,
            vendor: "mountdev",
            product: "Virtual Disk",
            revision: "1.0",
            device_number: None,
            gpt_attributes: 0,
            no_drive_letter: false,
            incurs_seek_penalty: true,
            max_transfer_length: 64 * 1024,
            disk_signature: None,
        }
    }
}

/// A validated virtual-disk description: what [`crate::storage::handle_storage`] answers from.
///
/// It holds copies of everything (no borrow, no allocation), so a driver can keep it in its
/// device extension. Construction is the only place that can fail; every accessor is
/// infallible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskDescription {
    // INVARIANT: size = sector_count * logical, 0 < size <= i64::MAX; both sector sizes are powers
    // of two in 512..=4096 with physical >= logical; max_transfer_length is a positive multiple of
    // logical; device_number, if any, is valid; signature is non-zero.
    size: u64,
    logical_sector_size: u32,
    physical_sector_size: u32,
    read_only: bool,
    removable: bool,
    hotplug: bool,
    bus_type: BusType,
    vendor: AsciiField<MAX_VENDOR_LEN>,
    product: AsciiField<MAX_PRODUCT_LEN>,
    revision: AsciiField<MAX_REVISION_LEN>,
    device_number: Option<DeviceNumberClaim>,
    gpt_attributes: u64,
    incurs_seek_penalty: bool,
    max_transfer_length: u32,
    signature: NonZeroU32,
}

impl DiskDescription {
    /// Validates `config`.
    ///
    /// # Errors
    /// [`DiskDescriptionError`] names the first rule `config` breaks, checked in this order:
    /// sector sizes (powers of two in 512..=4096, physical ≥ logical), size (not 0, at most
    /// `i64::MAX`, a multiple of the logical sector), strings (printable ASCII within their
    /// lengths), device number (inside [`DeviceNumberClaim::VIRTUAL_RANGE`]), maximum transfer
    /// length (a positive multiple of the logical sector).
    ///
    /// ```
    /// use mountdev::storage::{DiskConfig, DiskDescription, DiskDescriptionError};
    /// let bad = DiskConfig { logical_sector_size: 1000, ..DiskConfig::new(1 << 20) };
    /// assert_eq!(DiskDescription::new(&bad),
    ///     Err(DiskDescriptionError::SectorSize { which: "logical", value: 1000 }));
    /// ```
    pub fn new(config: &DiskConfig<'_>) -> Result<Self, DiskDescriptionError> {
        let logical = check_sector_size("logical", config.logical_sector_size)?;
        let physical = check_sector_size("physical", config.physical_sector_size)?;
        if physical < logical {
            return Err(DiskDescriptionError::PhysicalBelowLogical { logical, physical });
        }
        let size = config.size;
        if size == 0 {
            return Err(DiskDescriptionError::Empty);
        }
        if i64::try_from(size).is_err() {
            return Err(DiskDescriptionError::TooLarge { size });
        }
        if size.checked_rem(u64::from(logical)) != Some(0) {
            return Err(DiskDescriptionError::NotSectorMultiple {
                size,
                logical_sector_size: logical,
            });
        }
        let vendor = text("vendor", config.vendor)?;
        let product = text("product", config.product)?;
        let revision = text("revision", config.revision)?;
        if let Some(claim) = config.device_number {
            if !claim.is_valid() {
                return Err(DiskDescriptionError::DeviceNumber {
                    device_number: claim.device_number,
                });
            }
        }
        let max_transfer_length = config.max_transfer_length;
        if max_transfer_length == 0 || max_transfer_length.checked_rem(logical) != Some(0) {
            return Err(DiskDescriptionError::MaxTransferLength {
                value: max_transfer_length,
                logical_sector_size: logical,
            });
        }
        let gpt_attributes = if config.no_drive_letter {
            config.gpt_attributes | GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER
        } else {
            config.gpt_attributes
        };
        let mut description = Self {
            size,
            logical_sector_size: logical,
            physical_sector_size: physical,
            read_only: config.read_only,
            removable: config.removable,
            hotplug: config.hotplug,
            bus_type: config.bus_type,
            vendor,
            product,
            revision,
            device_number: config.device_number,
            gpt_attributes,
            incurs_seek_penalty: config.incurs_seek_penalty,
            max_transfer_length,
            signature: NonZeroU32::MIN,
        };
        description.signature = config.disk_signature.unwrap_or_else(|| description.derived_signature());
        Ok(description)
    }

    /// Size in bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Size in bytes as the signed `LARGE_INTEGER` the replies carry (lossless by the invariant).
    pub fn size_i64(&self) -> i64 {
        i64::try_from(self.size).unwrap_or(i64::MAX)
    }

    /// Logical sector size (`BytesPerSector`).
    pub const fn logical_sector_size(&self) -> u32 {
        self.logical_sector_size
    }

    /// Physical sector size.
    pub const fn physical_sector_size(&self) -> u32 {
        self.physical_sector_size
    }

    /// Number of logical sectors (`size / logical_sector_size`).
    pub fn sector_count(&self) -> u64 {
        self.size.checked_div(u64::from(self.logical_sector_size)).unwrap_or(0)
    }

    /// Whether the disk is read-only.
    pub const fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether the media is removable.
    pub const fn is_removable(&self) -> bool {
        self.removable
    }

    /// Whether the device is hot-pluggable.
    pub const fn is_hotplug(&self) -> bool {
        self.hotplug
    }

    /// The bus type.
    pub const fn bus_type(&self) -> BusType {
        self.bus_type
    }

    /// The vendor string (may be empty).
    pub fn vendor(&self) -> &str {
        self.vendor.as_str()
    }

    /// The product string (may be empty).
    pub fn product(&self) -> &str {
        self.product.as_str()
    }

    /// The revision string (may be empty).
    pub fn revision(&self) -> &str {
        self.revision.as_str()
    }

    /// The claimed device number, if any.
    pub const fn device_number(&self) -> Option<DeviceNumberClaim> {
        self.device_number
    }

    /// The GPT attributes, including bit 63 when `no_drive_letter` was set.
    pub const fn gpt_attributes(&self) -> u64 {
        self.gpt_attributes
    }

    /// Whether the device reports a seek penalty.
    pub const fn incurs_seek_penalty(&self) -> bool {
        self.incurs_seek_penalty
    }

    /// The adapter's maximum transfer length in bytes.
    pub const fn max_transfer_length(&self) -> u32 {
        self.max_transfer_length
    }

    /// The MBR disk signature (given, or derived from the other fields).
    pub const fn disk_signature(&self) -> NonZeroU32 {
        self.signature
    }

    /// FNV-1a (32-bit) over the shape and identity fields, never 0: the same description always
    /// gets the same signature, and different sizes or strings almost always differ.
    fn derived_signature(&self) -> NonZeroU32 {
        let mut hash: u32 = 0x811C_9DC5;
        let mut feed = |bytes: &[u8]| {
            for &byte in bytes {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        };
        feed(&self.size.to_le_bytes());
        feed(&self.logical_sector_size.to_le_bytes());
        feed(&self.physical_sector_size.to_le_bytes());
        feed(self.vendor.as_bytes());
        feed(&[0]);
        feed(self.product.as_bytes());
        feed(&[0]);
        feed(self.revision.as_bytes());
        if let Some(claim) = self.device_number {
            feed(&claim.device_number.to_le_bytes());
        }
        NonZeroU32::new(hash).unwrap_or(NonZeroU32::MIN)
    }
}

fn check_sector_size(which: &'static str, value: u32) -> Result<u32, DiskDescriptionError> {
    if value.is_power_of_two() && (512..=4096).contains(&value) {
        Ok(value)
    } else {
        Err(DiskDescriptionError::SectorSize { which, value })
    }
}

fn text<const N: usize>(field: &'static str, value: &str) -> Result<AsciiField<N>, DiskDescriptionError> {
    AsciiField::new(value).map_err(|problem| match problem {
        AsciiProblem::TooLong { len } => DiskDescriptionError::TextTooLong { field, len, max: N },
        AsciiProblem::NotPrintable { index, byte } => {
            DiskDescriptionError::TextNotPrintableAscii { field, index, byte }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_signature_is_stable() {
        let a = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
        let b = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
        let c = DiskDescription::new(&DiskConfig::new(2 << 20)).unwrap();
        assert_eq!(a.disk_signature(), b.disk_signature());
        assert_ne!(a.disk_signature(), c.disk_signature());
        let given = DiskConfig {
            disk_signature: NonZeroU32::new(0xCAFE),
            ..DiskConfig::new(1 << 20)
        };
        assert_eq!(DiskDescription::new(&given).unwrap().disk_signature().get(), 0xCAFE);
    }
}
