//! [`DiskDevice`]: the immutable half of a mounted volume, shared by every IRP handler.

use core::fmt;

use mountdev::storage::{BusType, DiskConfig, DiskDescription, DiskDescriptionError, handle_storage};
use mountdev::{DriveLetterLink, IoBuffers, NtNameBuf, NtStatus, Reply, try_handle_mountdev};

use super::io::{IoKind, SectorRange};
use super::volume_identity::VolumeIdentity;
use crate::blockdev::SECTOR_SIZE_U64;
use crate::control::MountOptions;
use crate::uuid::Uuid;

/// `\Device\CryptDiskVolume`: the device number follows.
pub const DEVICE_NAME_PREFIX: &str = "\\Device\\CryptDiskVolume";

/// Largest read or write the device takes in one request (also its adapter descriptor's
/// `MaximumTransferLength`): 1 MiB.
pub const MAX_TRANSFER_BYTES: u32 = 1 << 20;

/// Why a device cannot be described.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceError {
    /// The data area is empty or too large for a disk description.
    Description(DiskDescriptionError),
    /// The requested drive letter is not `A`..=`Z`.
    DriveLetter(u8),
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Description(error) => write!(f, "cannot describe the disk: {error}"),
            Self::DriveLetter(letter) => write!(f, "invalid drive letter byte {letter:#04x}"),
        }
    }
}

impl core::error::Error for DeviceError {}

/// A mounted volume as device-control requests see it: its identity and its disk description.
/// Nothing here changes after mount except the links the mount manager reports, so any thread
/// may answer IOCTLs from it while the worker does I/O.
#[derive(Debug)]
pub struct DiskDevice {
    identity: VolumeIdentity,
    description: DiskDescription,
    number: u32,
}

impl DiskDevice {
    /// Describes volume number `number` (`\Device\CryptDiskVolume<number>`) of `data_sectors`
    /// 512-byte sectors, identified by the container's LUKS `uuid`.
    ///
    /// # Errors
    /// [`DeviceError`] for an empty or oversized data area or a bad letter.
    pub fn new(
        number: u32,
        uuid: &Uuid,
        data_sectors: u64,
        options: MountOptions,
        letter: Option<u8>,
    ) -> Result<Self, DeviceError> {
        Self::with_sector_size(number, uuid, data_sectors, 512, options, letter)
    }

    /// As [`new`](Self::new) for a volume whose encryption sector size is `sector_size` bytes
    /// (LUKS2: 512 to 4096): the disk reports it as its logical and physical sector size
    /// (geometry, alignment descriptor, partition information) and I/O must be aligned to it.
    /// `data_sectors` still counts 512-byte sectors.
    ///
    /// # Errors
    /// [`DeviceError`] for an empty or oversized data area, a size that is not a whole number of
    /// `sector_size` units, a sector size that is not a power of two in 512..=4096, or a bad
    /// letter.
    ///
    /// ```
    /// use cryptdisk_core::control::MountOptions;
    /// use cryptdisk_core::device::DiskDevice;
    /// use cryptdisk_core::uuid::Uuid;
    /// let uuid = Uuid::from_bytes([3; 16]);
    /// let opts = MountOptions { read_only: false, removable: false };
    /// let disk = DiskDevice::with_sector_size(1, &uuid, 64, 4096, opts, None)?;
    /// assert_eq!(disk.description().logical_sector_size(), 4096);
    /// assert_eq!(disk.description().sector_count(), 8);
    /// assert!(disk.check_io(cryptdisk_core::device::IoKind::Read, 512, 4096).is_err());
    /// assert!(disk.check_io(cryptdisk_core::device::IoKind::Read, 4096, 4096).is_ok());
    /// assert!(DiskDevice::with_sector_size(1, &uuid, 63, 4096, opts, None).is_err());
    /// # Ok::<(), cryptdisk_core::device::DeviceError>(())
    /// ```
    pub fn with_sector_size(
        number: u32,
        uuid: &Uuid,
        data_sectors: u64,
        sector_size: u32,
        options: MountOptions,
        letter: Option<u8>,
    ) -> Result<Self, DeviceError> {
        let suggested = match letter {
            None => None,
            Some(byte) => Some(DriveLetterLink::new(byte).ok_or(DeviceError::DriveLetter(byte))?),
        };
        Self::with_link(number, uuid, data_sectors, sector_size, options, suggested)
    }

    /// As [`DiskDevice::with_sector_size`], with the suggested drive letter already validated
    /// (the driver keeps a requested letter as a [`DriveLetterLink`] from the moment it decodes
    /// it).
    ///
    /// # Errors
    /// [`DeviceError`] for an empty or oversized data area, or a bad sector size.
    pub fn with_link(
        number: u32,
        uuid: &Uuid,
        data_sectors: u64,
        sector_size: u32,
        options: MountOptions,
        suggested: Option<DriveLetterLink>,
    ) -> Result<Self, DeviceError> {
        let mut name = NtNameBuf::<48>::new();
        // Both pushes fit: 23 + at most 10 digits < 48 units.
        let _ = name.push_str(DEVICE_NAME_PREFIX);
        let _ = name.push_decimal(number);
        let size = data_sectors.saturating_mul(SECTOR_SIZE_U64);
        let signature = u32::from_le_bytes([
            uuid.as_bytes()[0],
            uuid.as_bytes()[1],
            uuid.as_bytes()[2],
            uuid.as_bytes()[3],
        ]);
        let config = DiskConfig {
            read_only: options.read_only,
            removable: options.removable,
            bus_type: BusType::FILE_BACKED_VIRTUAL,
            vendor: "mountdev",
            product: "CryptDisk Volume",
            revision: "1.0",
            max_transfer_length: MAX_TRANSFER_BYTES,
            disk_signature: core::num::NonZeroU32::new(signature),
            logical_sector_size: sector_size,
            physical_sector_size: sector_size,
            ..DiskConfig::new(size)
        };
        let description = DiskDescription::new(&config).map_err(DeviceError::Description)?;
        Ok(Self {
            identity: VolumeIdentity::new(name, uuid, suggested),
            description,
            number,
        })
    }

    /// The device number `N` of `\Device\CryptDiskVolumeN`.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The identity the mount manager sees.
    pub fn identity(&self) -> &VolumeIdentity {
        &self.identity
    }

    /// The disk description the storage IOCTLs are answered from.
    pub fn description(&self) -> &DiskDescription {
        &self.description
    }

    /// Answers `IRP_MJ_DEVICE_CONTROL`: MOUNTDEV requests first, then the disk, storage and
    /// volume requests; anything else is `STATUS_INVALID_DEVICE_REQUEST`. Pass the shared
    /// METHOD_BUFFERED system buffer as it is ([`IoBuffers::shared`]).
    pub fn device_control(&self, code: u32, io: IoBuffers<'_>) -> Reply {
        match try_handle_mountdev(&self.identity, code, io) {
            Ok(reply) => reply,
            Err(io) => handle_storage(&self.description, code, io),
        }
    }

    /// Validates a read or write of `length` bytes at byte `offset` of the volume: both
    /// multiples of the logical sector size, inside the volume, at most [`MAX_TRANSFER_BYTES`], and no write on a
    /// read-only mount. A zero-length request is valid and does nothing.
    ///
    /// # Errors
    /// `STATUS_INVALID_PARAMETER` for misalignment, a range outside the volume or too long a
    /// transfer; `STATUS_MEDIA_WRITE_PROTECTED` for a write to a read-only volume.
    pub fn check_io(&self, kind: IoKind, offset: u64, length: u64) -> Result<SectorRange, NtStatus> {
        if kind == IoKind::Write && self.description.is_read_only() {
            return Err(NtStatus::MEDIA_WRITE_PROTECTED);
        }
        let unit = u64::from(self.description.logical_sector_size());
        if !offset.is_multiple_of(unit) || !length.is_multiple_of(unit) || length > u64::from(MAX_TRANSFER_BYTES) {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let end = offset.checked_add(length).ok_or(NtStatus::INVALID_PARAMETER)?;
        if end > self.description.size() {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        Ok(SectorRange {
            first: offset / SECTOR_SIZE_U64,
            count: length / SECTOR_SIZE_U64,
        })
    }
}
