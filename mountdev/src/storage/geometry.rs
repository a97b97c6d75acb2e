//! Geometry and size replies: `DISK_GEOMETRY` (also the media-types entry),
//! `DISK_GEOMETRY_EX`, `GET_LENGTH_INFORMATION` and `STORAGE_READ_CAPACITY`.
//!
//! The geometry scheme is VeraCrypt's (`protocol.md` §5.2): `TracksPerCylinder` 1,
//! `SectorsPerTrack` 1, `BytesPerSector` = the logical sector size and `Cylinders` = the number of
//! sectors, so `Cylinders × TracksPerCylinder × SectorsPerTrack × BytesPerSector` is exactly the
//! size (a geometry must never describe more than the disk holds). CHS-style 255 × 63 geometries
//! would round the size down and hide the tail of the disk from callers that multiply.

use zerocopy::byteorder::little_endian::{I64, U32};
use zerocopy::{Immutable, IntoBytes, KnownLayout, Unaligned};

use super::DiskDescription;
use crate::NtStatus;
use crate::layout::{
    DiskGeometry, DiskGeometryEx, DiskPartitionInfo, GetLengthInformation, MEDIA_TYPE_FIXED, MEDIA_TYPE_REMOVABLE,
    StorageReadCapacity,
};
use crate::reply::Reply;

/// `DISK_GEOMETRY` of the disk (`IOCTL_DISK_GET_DRIVE_GEOMETRY`, and the one entry of
/// `IOCTL_DISK_GET_MEDIA_TYPES` / `IOCTL_STORAGE_GET_MEDIA_TYPES`).
///
/// ```
/// use mountdev::storage::{DiskConfig, DiskDescription, disk_geometry};
/// let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
/// let g = disk_geometry(&disk);
/// assert_eq!((g.cylinders.get(), g.tracks_per_cylinder.get(), g.sectors_per_track.get()), (2048, 1, 1));
/// ```
pub fn disk_geometry(disk: &DiskDescription) -> DiskGeometry {
    let media_type = if disk.is_removable() {
        MEDIA_TYPE_REMOVABLE
    } else {
        MEDIA_TYPE_FIXED
    };
    let cylinders = i64::try_from(disk.sector_count()).unwrap_or(i64::MAX);
    DiskGeometry::new(cylinders, media_type, 1, 1, disk.logical_sector_size())
}

/// The `DISK_GEOMETRY_EX` reply with its `DISK_PARTITION_INFO`: the fixed part and the block
/// that `Data` holds for an MBR disk.
#[derive(IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct GeometryExWithPartition {
    fixed: [u8; DiskGeometryEx::HEADER_SIZE],
    partition: DiskPartitionInfo,
}

/// `IOCTL_DISK_GET_DRIVE_GEOMETRY_EX`: `out` < 32 (the fixed part) → `BUFFER_TOO_SMALL`; 32 to
/// 55 → the fixed part, `SUCCESS`, 32; 56 and more → also the `DISK_PARTITION_INFO` (MBR style,
/// the disk signature), `SUCCESS`, 56. Only whole structures are written.
pub(crate) fn write_geometry_ex(disk: &DiskDescription, out: &mut [u8]) -> Reply {
    let fixed = DiskGeometryEx {
        geometry: disk_geometry(disk),
        disk_size: I64::new(disk.size_i64()),
        data: [0; 8],
    };
    let mut fixed_bytes = [0u8; DiskGeometryEx::HEADER_SIZE];
    if let Some(src) = fixed.as_bytes().get(..DiskGeometryEx::HEADER_SIZE) {
        fixed_bytes.copy_from_slice(src);
    }
    let whole = GeometryExWithPartition {
        fixed: fixed_bytes,
        partition: DiskPartitionInfo::mbr(disk.disk_signature().get(), 0),
    };
    let bytes = whole.as_bytes();
    let written = if out.len() >= bytes.len() {
        bytes
    } else {
        &fixed_bytes[..]
    };
    match out.get_mut(..written.len()) {
        Some(dst) => {
            dst.copy_from_slice(written);
            Reply::success(written.len())
        }
        None => Reply::error(NtStatus::BUFFER_TOO_SMALL),
    }
}

/// `GET_LENGTH_INFORMATION` (`IOCTL_DISK_GET_LENGTH_INFO`).
pub(crate) fn length_information(disk: &DiskDescription) -> GetLengthInformation {
    GetLengthInformation {
        length: I64::new(disk.size_i64()),
    }
}

/// `STORAGE_READ_CAPACITY` (`IOCTL_STORAGE_READ_CAPACITY`).
pub(crate) fn read_capacity(disk: &DiskDescription) -> StorageReadCapacity {
    let size = StorageReadCapacity::C_SIZEOF_U32;
    StorageReadCapacity {
        version: U32::new(size),
        size: U32::new(size),
        block_length: U32::new(disk.logical_sector_size()),
        reserved: [0; 4],
        number_of_blocks: I64::new(i64::try_from(disk.sector_count()).unwrap_or(i64::MAX)),
        disk_length: I64::new(disk.size_i64()),
    }
}

const _: () = assert!(core::mem::size_of::<GeometryExWithPartition>() == 56);
