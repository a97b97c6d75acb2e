//! [`handle_storage`] / [`try_handle_storage`]: the dispatch of every disk, storage and volume
//! IOCTL of `protocol.md` §5.2 to its reply.

use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::{U32, U64};

use super::partition::PARTITION_NUMBER;
use super::{DiskDescription, geometry, partition, property, verify};
use crate::NtStatus;
use crate::ioctl::Ioctl;
use crate::layout::{
    FILE_DEVICE_DISK, PreventMediaRemoval, StorageDeviceNumber, StorageHotplugInfo, VolumeGetGptAttributesInformation,
};
use crate::reply::{IoBuffers, Reply, write_fixed};

/// Answers any IOCTL sent to a virtual disk volume from its [`DiskDescription`]; codes this
/// handler does not own get `STATUS_INVALID_DEVICE_REQUEST`.
///
/// Fixed-size outputs follow [`write_fixed`]: too small → `BUFFER_TOO_SMALL`, `Information` 0.
///
/// | request | reply |
/// |---|---|
/// | `DISK_GET_DRIVE_GEOMETRY`, `DISK_GET_MEDIA_TYPES`, `STORAGE_GET_MEDIA_TYPES` | one `DISK_GEOMETRY` (24): 1 track per cylinder, 1 sector per track, cylinders = sectors |
/// | `DISK_GET_DRIVE_GEOMETRY_EX` | < 32 too small; 32 fixed part; ≥ 56 with `DISK_PARTITION_INFO` (MBR, signature) |
/// | `DISK_GET_LENGTH_INFO` | `GET_LENGTH_INFORMATION` (8) |
/// | `DISK_GET_PARTITION_INFO(_EX)` | one IFS partition (32 / 144 bytes) |
/// | `DISK_GET_DRIVE_LAYOUT(_EX)` | MBR layout of that one partition (40 / 192 bytes), non-zero signature |
/// | `DISK_IS_WRITABLE` | `SUCCESS`, or `MEDIA_WRITE_PROTECTED` when read-only |
/// | `DISK_CHECK_VERIFY`, `STORAGE_CHECK_VERIFY(2)` | `SUCCESS`; change count 0 written (`Information` 4) when `out` ≥ 4; `BUFFER_TOO_SMALL` for 1-3 bytes |
/// | `DISK_MEDIA_REMOVAL`, `STORAGE_MEDIA_REMOVAL` | `SUCCESS` (input shorter than 1 byte: `INFO_LENGTH_MISMATCH`) |
/// | `DISK_VERIFY` | range inside the disk: `SUCCESS`; else or short input: `INVALID_PARAMETER` |
/// | `STORAGE_GET_HOTPLUG_INFO` | `STORAGE_HOTPLUG_INFO` (8) from the removable / hotplug flags |
/// | `STORAGE_READ_CAPACITY` | `STORAGE_READ_CAPACITY` (32) |
/// | `STORAGE_GET_DEVICE_NUMBER` | `FILE_DEVICE_DISK`, the claimed number, partition 1; without a claim `INVALID_DEVICE_REQUEST` ([`crate::storage::DeviceNumberClaim`]) |
/// | `STORAGE_QUERY_PROPERTY` | device, adapter, alignment, seek-penalty, trim descriptors ([`crate::storage::write_descriptor`]) |
/// | `VOLUME_ONLINE`, `VOLUME_POST_ONLINE`, `DISK_UPDATE_PROPERTIES`, `DISK_ARE_VOLUMES_READY` | `SUCCESS`, 0 |
/// | `VOLUME_IS_DYNAMIC`, `DISK_IS_CLUSTERED`, `VOLUME_IS_CLUSTERED` | one `BOOLEAN` FALSE |
/// | `VOLUME_GET_GPT_ATTRIBUTES` | the description's attributes (bit 63 with `no_drive_letter`) |
/// | `DISK_GET_CLUSTER_INFO` | `NOT_SUPPORTED` |
/// | rejected (see below) | `INVALID_DEVICE_REQUEST` |
///
/// Rejected with `STATUS_INVALID_DEVICE_REQUEST`, deliberately:
/// - `VOLUME_QUERY_ALLOCATION_HINT`, `STORAGE_GET_MEDIA_TYPES_EX`, `STORAGE_GET_DEVICE_NUMBER_EX`,
///   `STORAGE_CHECK_PRIORITY_HINT_SUPPORT`, `FT_BALANCED_READ_MODE` (VeraCrypt does the same);
/// - `STORAGE_MANAGE_DATA_SET_ATTRIBUTES`: the trim descriptor reports `TrimEnabled` FALSE;
/// - `VOLUME_GET_VOLUME_DISK_EXTENTS`: a virtual volume lies on no physical disk. Any extent would
///   name a disk number that is either a real, unrelated disk (Dokany's all-zero extent points at
///   `PhysicalDrive0`) or none at all; tools that map volumes to disks (VSS, Disk Management,
///   drive listers) handle a failure but would act on a false extent;
/// - `VOLUME_OFFLINE` and `VOLUME_IS_OFFLINE`: this handler keeps no state, so it cannot take the
///   volume offline and then fail I/O as an offline volume must; rejecting `OFFLINE` tells the
///   caller the truth. `IS_OFFLINE` answers `SUCCESS` only for an offline volume (MSDN), so the
///   rejection reads as "online", which is what the volume is.
///
/// The input is read completely before the first output byte is written, so the shared
/// METHOD_BUFFERED system buffer can be passed as it is ([`IoBuffers::shared`]).
///
/// ```
/// use mountdev::{IoBuffers, NtStatus};
/// use mountdev::ioctl::{IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_IS_WRITABLE};
/// use mountdev::storage::{DiskConfig, DiskDescription, handle_storage};
/// let disk = DiskDescription::new(&DiskConfig { read_only: true, ..DiskConfig::new(1 << 20) }).unwrap();
/// let mut out = [0u8; 24];
/// let r = handle_storage(&disk, IOCTL_DISK_GET_DRIVE_GEOMETRY, IoBuffers::split(&[], &mut out));
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 24));
/// assert_eq!(&out[..8], &2048i64.to_le_bytes()); // cylinders = sectors
/// let r = handle_storage(&disk, IOCTL_DISK_IS_WRITABLE, IoBuffers::split(&[], &mut []));
/// assert_eq!(r.status, NtStatus::MEDIA_WRITE_PROTECTED);
/// ```
pub fn handle_storage(disk: &DiskDescription, code: u32, io: IoBuffers<'_>) -> Reply {
    try_handle_storage(disk, code, io).unwrap_or(Reply::error(NtStatus::INVALID_DEVICE_REQUEST))
}

/// Like [`handle_storage`], but hands the buffers back untouched when `code` is not one of the
/// disk, storage and volume requests of `protocol.md` §5.2, so a driver can try its next handler
/// (its own controls, `IOCTL_STORAGE_EJECT_MEDIA`, FSCTLs, ...). The deliberately rejected codes
/// listed on [`handle_storage`] count as owned: they are answered, not handed back.
///
/// # Errors
/// `Err(io)` when the code is not a request this handler owns.
///
/// ```
/// use mountdev::IoBuffers;
/// use mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME;
/// use mountdev::storage::{DiskConfig, DiskDescription, try_handle_storage};
/// let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
/// let mut out = [0u8; 4];
/// assert!(try_handle_storage(&disk, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IoBuffers::split(&[], &mut out)).is_err());
/// ```
pub fn try_handle_storage<'a>(disk: &DiskDescription, code: u32, io: IoBuffers<'a>) -> Result<Reply, IoBuffers<'a>> {
    let reply = match Ioctl::decode(code) {
        Ioctl::DiskGetDriveGeometry | Ioctl::DiskGetMediaTypes | Ioctl::StorageGetMediaTypes => {
            write_fixed(io.into_output(), geometry::disk_geometry(disk).as_bytes())
        }
        Ioctl::DiskGetDriveGeometryEx => geometry::write_geometry_ex(disk, io.into_output()),
        Ioctl::DiskGetLengthInfo => write_fixed(io.into_output(), geometry::length_information(disk).as_bytes()),
        Ioctl::StorageReadCapacity => write_fixed(io.into_output(), geometry::read_capacity(disk).as_bytes()),
        Ioctl::DiskGetPartitionInfo => write_fixed(io.into_output(), partition::partition_information(disk).as_bytes()),
        Ioctl::DiskGetPartitionInfoEx => {
            write_fixed(io.into_output(), partition::partition_information_ex(disk).as_bytes())
        }
        Ioctl::DiskGetDriveLayout => write_fixed(io.into_output(), partition::drive_layout(disk).as_bytes()),
        Ioctl::DiskGetDriveLayoutEx => write_fixed(io.into_output(), partition::drive_layout_ex(disk).as_bytes()),
        Ioctl::DiskIsWritable if disk.is_read_only() => Reply::error(NtStatus::MEDIA_WRITE_PROTECTED),
        Ioctl::DiskIsWritable => Reply::success(0),
        Ioctl::DiskCheckVerify | Ioctl::StorageCheckVerify | Ioctl::StorageCheckVerify2 => {
            check_verify(io.into_output())
        }
        Ioctl::DiskMediaRemoval | Ioctl::StorageMediaRemoval => media_removal(io.input()),
        Ioctl::DiskVerify => verify::verify(disk, io.input()),
        Ioctl::StorageGetHotplugInfo => write_fixed(io.into_output(), hotplug_info(disk).as_bytes()),
        Ioctl::StorageGetDeviceNumber => device_number(disk, io.into_output()),
        Ioctl::StorageQueryProperty => property::query_property(disk, io),
        Ioctl::VolumeGetGptAttributes => {
            let value = VolumeGetGptAttributesInformation {
                gpt_attributes: U64::new(disk.gpt_attributes()),
            };
            write_fixed(io.into_output(), value.as_bytes())
        }
        Ioctl::VolumeOnline | Ioctl::VolumePostOnline | Ioctl::DiskUpdateProperties | Ioctl::DiskAreVolumesReady => {
            Reply::success(0)
        }
        Ioctl::VolumeIsDynamic | Ioctl::DiskIsClustered | Ioctl::VolumeIsClustered => {
            write_fixed(io.into_output(), &[0])
        }
        Ioctl::DiskGetClusterInfo => Reply::error(NtStatus::NOT_SUPPORTED),
        Ioctl::VolumeQueryAllocationHint
        | Ioctl::StorageGetMediaTypesEx
        | Ioctl::StorageGetDeviceNumberEx
        | Ioctl::StorageCheckPriorityHintSupport
        | Ioctl::StorageManageDataSetAttributes
        | Ioctl::VolumeGetVolumeDiskExtents
        | Ioctl::FtBalancedReadMode
        | Ioctl::VolumeOffline
        | Ioctl::VolumeIsOffline => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
        _ => return Err(io),
    };
    Ok(reply)
}

/// The CHECK_VERIFY family: the media never changes, so `SUCCESS`; the optional `ULONG` media
/// change count is written as 0 when an output is given. An output of 1 to 3 bytes cannot hold
/// it: `STATUS_BUFFER_TOO_SMALL`, as classpnp answers (`Windows-driver-samples`
/// `storage/class/classpnp/src/class.c`, `ClassDeviceControl`, `IOCTL_STORAGE_CHECK_VERIFY`:
/// an `OutputBufferLength` that is not 0 and below `sizeof(ULONG)` fails).
fn check_verify(out: &mut [u8]) -> Reply {
    if out.is_empty() {
        return Reply::success(0);
    }
    match out.get_mut(..4) {
        Some(dst) => {
            dst.copy_from_slice(&0u32.to_le_bytes());
            Reply::success(4)
        }
        None => Reply::error(NtStatus::BUFFER_TOO_SMALL),
    }
}

/// MEDIA_REMOVAL: locking or unlocking virtual media is a no-op, so `SUCCESS`. An input without
/// the one `PREVENT_MEDIA_REMOVAL` byte is malformed: `INFO_LENGTH_MISMATCH`, as classpnp.
fn media_removal(input: &[u8]) -> Reply {
    if input.len() < PreventMediaRemoval::C_SIZEOF {
        Reply::error(NtStatus::INFO_LENGTH_MISMATCH)
    } else {
        Reply::success(0)
    }
}

/// `STORAGE_HOTPLUG_INFO`: `MediaRemovable` = removable, `DeviceHotplug` = hotplug,
/// `MediaHotplug` FALSE (media never leaves the device on its own; the whole device goes),
/// `WriteCacheEnableOverride` FALSE.
fn hotplug_info(disk: &DiskDescription) -> StorageHotplugInfo {
    StorageHotplugInfo {
        size: U32::new(StorageHotplugInfo::C_SIZEOF_U32),
        media_removable: u8::from(disk.is_removable()),
        media_hotplug: 0,
        device_hotplug: u8::from(disk.is_hotplug()),
        write_cache_enable_override: 0,
    }
}

fn device_number(disk: &DiskDescription, out: &mut [u8]) -> Reply {
    match disk.device_number() {
        None => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
        Some(claim) => {
            let value = StorageDeviceNumber {
                device_type: U32::new(FILE_DEVICE_DISK),
                device_number: U32::new(claim.device_number),
                partition_number: U32::new(PARTITION_NUMBER),
            };
            write_fixed(out, value.as_bytes())
        }
    }
}
