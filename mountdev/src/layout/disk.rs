//! Structures of `ntdddisk.h` / `winioctl.h` that a virtual disk returns for the
//! `IOCTL_DISK_*` queries: geometry, length, partition information and drive layouts, and the
//! `VERIFY_INFORMATION` input (`protocol.md` §5.2, `toolchain.md` §4.3).
//!
//! In C these contain `LARGE_INTEGER`s, which both Windows ABIs (x86 and x64) align to 8 inside
//! structures; here every field is an align-1 little-endian type and every byte of C padding is a
//! named `reserved*` field, so the sizes below are the C `sizeof` values and a value can be copied
//! out with [`zerocopy::IntoBytes::as_bytes`]. Structures that end in a C `[1]` array keep that one
//! element (they are exactly as large as C's `sizeof`) and export `HEADER_SIZE`, the offset of the
//! array. Anonymous C unions are byte areas with typed accessors for each arm.

use zerocopy::byteorder::little_endian::{I64, U16, U32, U64};
use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::name::GuidWire;

/// Pins a wire structure: its size, align 1, and the offsets of the named fields.
macro_rules! assert_layout {
    ($ty:ty, size $size:expr $(, $field:ident @ $offset:expr)* $(,)?) => {
        const _: () = {
            assert!(core::mem::size_of::<$ty>() == $size);
            assert!(core::mem::align_of::<$ty>() == 1);
            $(assert!(core::mem::offset_of!($ty, $field) == $offset);)*
        };
    };
}
pub(crate) use assert_layout;

/// `MEDIA_TYPE` `RemovableMedia`: removable media other than a floppy.
#[doc(alias = "RemovableMedia")]
pub const MEDIA_TYPE_REMOVABLE: u32 = 11;
/// `MEDIA_TYPE` `FixedMedia`: a fixed hard disk.
#[doc(alias = "FixedMedia")]
pub const MEDIA_TYPE_FIXED: u32 = 12;
/// `PARTITION_STYLE_MBR`.
pub const PARTITION_STYLE_MBR: u32 = 0;
/// `PARTITION_STYLE_GPT`.
pub const PARTITION_STYLE_GPT: u32 = 1;
/// `PARTITION_STYLE_RAW`.
pub const PARTITION_STYLE_RAW: u32 = 2;
/// `PARTITION_IFS`: the MBR partition type of an installable file system (NTFS, exFAT, ...).
pub const PARTITION_IFS: u8 = 0x07;

/// `DISK_GEOMETRY`: the output of `IOCTL_DISK_GET_DRIVE_GEOMETRY` and one element of the
/// `GET_MEDIA_TYPES` output.
///
/// ```
/// use mountdev::layout::{DiskGeometry, MEDIA_TYPE_FIXED};
/// use zerocopy::IntoBytes;
/// let g = DiskGeometry::new(2048, MEDIA_TYPE_FIXED, 1, 1, 512);
/// assert_eq!(g.as_bytes().len(), DiskGeometry::C_SIZEOF);
/// assert_eq!(&g.as_bytes()[20..], &512u32.to_le_bytes());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DISK_GEOMETRY")]
pub struct DiskGeometry {
    /// `Cylinders` (`LARGE_INTEGER`).
    pub cylinders: I64,
    /// `MediaType` (a `MEDIA_TYPE`, e.g. [`MEDIA_TYPE_FIXED`]).
    pub media_type: U32,
    /// `TracksPerCylinder`.
    pub tracks_per_cylinder: U32,
    /// `SectorsPerTrack`.
    pub sectors_per_track: U32,
    /// `BytesPerSector`.
    pub bytes_per_sector: U32,
}
assert_layout!(DiskGeometry, size 24, cylinders @ 0, media_type @ 8, tracks_per_cylinder @ 12,
    sectors_per_track @ 16, bytes_per_sector @ 20);

impl DiskGeometry {
    /// C `sizeof(DISK_GEOMETRY)`.
    pub const C_SIZEOF: usize = 24;

    /// A geometry from its five values.
    pub fn new(
        cylinders: i64,
        media_type: u32,
        tracks_per_cylinder: u32,
        sectors_per_track: u32,
        bytes_per_sector: u32,
    ) -> Self {
        Self {
            cylinders: I64::new(cylinders),
            media_type: U32::new(media_type),
            tracks_per_cylinder: U32::new(tracks_per_cylinder),
            sectors_per_track: U32::new(sectors_per_track),
            bytes_per_sector: U32::new(bytes_per_sector),
        }
    }
}

/// `DISK_GEOMETRY_EX`: the output of `IOCTL_DISK_GET_DRIVE_GEOMETRY_EX`.
///
/// The fixed part (geometry and `DiskSize`) is [`DiskGeometryEx::HEADER_SIZE`] = 32 bytes; `Data`
/// may carry a [`DiskPartitionInfo`] (and, on real disks, a `DISK_DETECTION_INFO` after it).
/// C's `sizeof` is 40: the `Data[1]` byte and 7 bytes of tail padding, kept here as `data`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DISK_GEOMETRY_EX")]
pub struct DiskGeometryEx {
    /// `Geometry`.
    pub geometry: DiskGeometry,
    /// `DiskSize` in bytes (`LARGE_INTEGER`).
    pub disk_size: I64,
    /// `Data[1]` and the tail padding C's `sizeof` counts.
    pub data: [u8; 8],
}
assert_layout!(DiskGeometryEx, size 40, geometry @ 0, disk_size @ 24, data @ 32);

impl DiskGeometryEx {
    /// `FIELD_OFFSET(DISK_GEOMETRY_EX, Data)`: the fixed part, the smallest useful reply.
    pub const HEADER_SIZE: usize = 32;
    /// C `sizeof(DISK_GEOMETRY_EX)`.
    pub const C_SIZEOF: usize = 40;
}

/// `DISK_PARTITION_INFO`: the partition-table summary that may follow `DISK_GEOMETRY_EX`'s fixed
/// part.
///
/// ```
/// use mountdev::layout::DiskPartitionInfo;
/// let info = DiskPartitionInfo::mbr(0x1234_5678, 0);
/// assert_eq!(info.size_of_partition_info.get(), 24);
/// assert_eq!(info.mbr_signature(), Some(0x1234_5678));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DISK_PARTITION_INFO")]
pub struct DiskPartitionInfo {
    /// `SizeOfPartitionInfo`: 24.
    pub size_of_partition_info: U32,
    /// `PartitionStyle` ([`PARTITION_STYLE_MBR`] or [`PARTITION_STYLE_GPT`]).
    pub partition_style: U32,
    /// The anonymous union: `Mbr { Signature u32, CheckSum u32 }` (then 8 unused bytes) or
    /// `Gpt { DiskId GUID }`.
    pub union_area: [u8; 16],
}
assert_layout!(DiskPartitionInfo, size 24, size_of_partition_info @ 0, partition_style @ 4, union_area @ 8);

impl DiskPartitionInfo {
    /// C `sizeof(DISK_PARTITION_INFO)`.
    pub const C_SIZEOF: usize = 24;

    /// An MBR summary with the disk signature and MBR checksum; unused bytes are zero.
    pub fn mbr(signature: u32, checksum: u32) -> Self {
        let mut union_area = [0u8; 16];
        let (sig, rest) = union_area.split_at_mut(4);
        sig.copy_from_slice(&signature.to_le_bytes());
        if let Some(sum) = rest.get_mut(..4) {
            sum.copy_from_slice(&checksum.to_le_bytes());
        }
        Self {
            size_of_partition_info: U32::new(24),
            partition_style: U32::new(PARTITION_STYLE_MBR),
            union_area,
        }
    }

    /// `Mbr.Signature`, when the style is MBR.
    pub fn mbr_signature(&self) -> Option<u32> {
        if self.partition_style.get() != PARTITION_STYLE_MBR {
            return None;
        }
        U32::read_from_prefix(&self.union_area).ok().map(|(sig, _)| sig.get())
    }

    /// `Gpt.DiskId`, when the style is GPT.
    pub fn gpt_disk_id(&self) -> Option<GuidWire> {
        if self.partition_style.get() != PARTITION_STYLE_GPT {
            return None;
        }
        GuidWire::read_from_bytes(&self.union_area).ok()
    }
}

/// `PARTITION_INFORMATION`: the output of `IOCTL_DISK_GET_PARTITION_INFO` and the entry of
/// `DRIVE_LAYOUT_INFORMATION`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "PARTITION_INFORMATION")]
pub struct PartitionInformation {
    /// `StartingOffset` in bytes.
    pub starting_offset: I64,
    /// `PartitionLength` in bytes.
    pub partition_length: I64,
    /// `HiddenSectors`.
    pub hidden_sectors: U32,
    /// `PartitionNumber` (1-based).
    pub partition_number: U32,
    /// `PartitionType` (an MBR type byte such as [`PARTITION_IFS`]).
    pub partition_type: u8,
    /// `BootIndicator` (`BOOLEAN`).
    pub boot_indicator: u8,
    /// `RecognizedPartition` (`BOOLEAN`).
    pub recognized_partition: u8,
    /// `RewritePartition` (`BOOLEAN`).
    pub rewrite_partition: u8,
    /// C tail padding (the structure is 8-aligned); written as 0.
    pub reserved: [u8; 4],
}
assert_layout!(PartitionInformation, size 32, starting_offset @ 0, partition_length @ 8, hidden_sectors @ 16,
    partition_number @ 20, partition_type @ 24, boot_indicator @ 25, recognized_partition @ 26,
    rewrite_partition @ 27);

impl PartitionInformation {
    /// C `sizeof(PARTITION_INFORMATION)`.
    pub const C_SIZEOF: usize = 32;
}

/// `PARTITION_INFORMATION_MBR`: the MBR arm of [`PartitionInformationEx`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "PARTITION_INFORMATION_MBR")]
pub struct PartitionInformationMbr {
    /// `PartitionType`.
    pub partition_type: u8,
    /// `BootIndicator` (`BOOLEAN`).
    pub boot_indicator: u8,
    /// `RecognizedPartition` (`BOOLEAN`).
    pub recognized_partition: u8,
    /// C padding before `HiddenSectors`; written as 0.
    pub reserved: u8,
    /// `HiddenSectors`.
    pub hidden_sectors: U32,
    /// `PartitionId` (headers for Windows 10 and later; zero for a virtual partition).
    pub partition_id: GuidWire,
}
assert_layout!(PartitionInformationMbr, size 24, partition_type @ 0, boot_indicator @ 1,
    recognized_partition @ 2, hidden_sectors @ 4, partition_id @ 8);

impl PartitionInformationMbr {
    /// C `sizeof(PARTITION_INFORMATION_MBR)` (with `PartitionId`).
    pub const C_SIZEOF: usize = 24;
}

/// `PARTITION_INFORMATION_GPT`: the GPT arm of [`PartitionInformationEx`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "PARTITION_INFORMATION_GPT")]
pub struct PartitionInformationGpt {
    /// `PartitionType` GUID.
    pub partition_type: GuidWire,
    /// `PartitionId` GUID.
    pub partition_id: GuidWire,
    /// `Attributes` (`GPT_ATTRIBUTE_*` / `GPT_BASIC_DATA_ATTRIBUTE_*` bits).
    pub attributes: U64,
    /// `Name`: 36 UTF-16 units, NUL-padded.
    pub name: [U16; 36],
}
assert_layout!(PartitionInformationGpt, size 112, partition_type @ 0, partition_id @ 16, attributes @ 32,
    name @ 40);

impl PartitionInformationGpt {
    /// C `sizeof(PARTITION_INFORMATION_GPT)`: also the size of the union in
    /// `PARTITION_INFORMATION_EX`.
    pub const C_SIZEOF: usize = 112;
}

/// `PARTITION_INFORMATION_EX`: the output of `IOCTL_DISK_GET_PARTITION_INFO_EX` and the entry of
/// `DRIVE_LAYOUT_INFORMATION_EX`.
///
/// ```
/// use mountdev::layout::{PartitionInformationEx, PartitionInformationMbr, PARTITION_IFS};
/// use zerocopy::FromZeros;
/// let mbr = PartitionInformationMbr { partition_type: PARTITION_IFS, recognized_partition: 1,
///     ..PartitionInformationMbr::new_zeroed() };
/// let info = PartitionInformationEx::mbr(0, 1 << 20, 1, mbr);
/// assert_eq!(info.mbr_arm(), Some(mbr));
/// assert_eq!(info.gpt_arm(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "PARTITION_INFORMATION_EX")]
pub struct PartitionInformationEx {
    /// `PartitionStyle` ([`PARTITION_STYLE_MBR`], [`PARTITION_STYLE_GPT`] or
    /// [`PARTITION_STYLE_RAW`]).
    pub partition_style: U32,
    /// C padding before the 8-aligned `StartingOffset`; written as 0.
    pub reserved0: [u8; 4],
    /// `StartingOffset` in bytes.
    pub starting_offset: I64,
    /// `PartitionLength` in bytes.
    pub partition_length: I64,
    /// `PartitionNumber` (1-based).
    pub partition_number: U32,
    /// `RewritePartition` (`BOOLEAN`).
    pub rewrite_partition: u8,
    /// `IsServicePartition` (`BOOLEAN`, headers for Windows 10 1709 and later; older headers
    /// have padding here). Written as 0.
    pub is_service_partition: u8,
    /// C padding before the 8-aligned union; written as 0.
    pub reserved1: [u8; 2],
    /// The anonymous union: [`PartitionInformationMbr`] (24 bytes, then zeros) or
    /// [`PartitionInformationGpt`] (112 bytes), chosen by `partition_style`.
    pub union_area: [u8; 112],
}
assert_layout!(PartitionInformationEx, size 144, partition_style @ 0, starting_offset @ 8, partition_length @ 16,
    partition_number @ 24, rewrite_partition @ 28, is_service_partition @ 29, union_area @ 32);

impl PartitionInformationEx {
    /// C `sizeof(PARTITION_INFORMATION_EX)`.
    pub const C_SIZEOF: usize = 144;
    /// `FIELD_OFFSET(PARTITION_INFORMATION_EX, Mbr)` (= `Gpt`).
    pub const UNION_OFFSET: usize = 32;

    /// An MBR-style entry; every byte the arm does not use is zero.
    pub fn mbr(
        starting_offset: i64,
        partition_length: i64,
        partition_number: u32,
        arm: PartitionInformationMbr,
    ) -> Self {
        let mut info = Self::new_zeroed();
        info.partition_style = U32::new(PARTITION_STYLE_MBR);
        info.starting_offset = I64::new(starting_offset);
        info.partition_length = I64::new(partition_length);
        info.partition_number = U32::new(partition_number);
        // The arm is 24 bytes and the union 112: the prefix write cannot fail.
        let _ = arm.write_to_prefix(&mut info.union_area);
        info
    }

    /// The MBR arm, when the style is MBR.
    pub fn mbr_arm(&self) -> Option<PartitionInformationMbr> {
        if self.partition_style.get() != PARTITION_STYLE_MBR {
            return None;
        }
        PartitionInformationMbr::read_from_prefix(&self.union_area)
            .ok()
            .map(|(arm, _)| arm)
    }

    /// The GPT arm, when the style is GPT.
    pub fn gpt_arm(&self) -> Option<PartitionInformationGpt> {
        if self.partition_style.get() != PARTITION_STYLE_GPT {
            return None;
        }
        PartitionInformationGpt::read_from_bytes(&self.union_area).ok()
    }
}

/// `DRIVE_LAYOUT_INFORMATION` with one entry: the output of `IOCTL_DISK_GET_DRIVE_LAYOUT` for a
/// one-partition disk. Its size is C's `sizeof`, which counts exactly one `PartitionEntry`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DRIVE_LAYOUT_INFORMATION")]
pub struct DriveLayoutInformation {
    /// `PartitionCount`.
    pub partition_count: U32,
    /// `Signature`: the MBR disk signature.
    pub signature: U32,
    /// `PartitionEntry[1]`.
    pub partition_entry: [PartitionInformation; 1],
}
assert_layout!(DriveLayoutInformation, size 40, partition_count @ 0, signature @ 4, partition_entry @ 8);

impl DriveLayoutInformation {
    /// `FIELD_OFFSET(DRIVE_LAYOUT_INFORMATION, PartitionEntry)`; each entry is 32 bytes.
    pub const HEADER_SIZE: usize = 8;
    /// C `sizeof(DRIVE_LAYOUT_INFORMATION)`: the header and one entry.
    pub const C_SIZEOF: usize = 40;
}

/// `DRIVE_LAYOUT_INFORMATION_MBR`: the MBR arm of [`DriveLayoutInformationEx`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DRIVE_LAYOUT_INFORMATION_MBR")]
pub struct DriveLayoutInformationMbr {
    /// `Signature`.
    pub signature: U32,
    /// `CheckSum` (headers for Windows 10 1607 and later; unused bytes of the union before).
    pub check_sum: U32,
}
assert_layout!(DriveLayoutInformationMbr, size 8, signature @ 0, check_sum @ 4);

/// `DRIVE_LAYOUT_INFORMATION_GPT`: the GPT arm of [`DriveLayoutInformationEx`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DRIVE_LAYOUT_INFORMATION_GPT")]
pub struct DriveLayoutInformationGpt {
    /// `DiskId`.
    pub disk_id: GuidWire,
    /// `StartingUsableOffset`.
    pub starting_usable_offset: I64,
    /// `UsableLength`.
    pub usable_length: I64,
    /// `MaxPartitionCount`.
    pub max_partition_count: U32,
    /// C tail padding; written as 0.
    pub reserved: [u8; 4],
}
assert_layout!(DriveLayoutInformationGpt, size 40, disk_id @ 0, starting_usable_offset @ 16, usable_length @ 24,
    max_partition_count @ 32);

impl DriveLayoutInformationGpt {
    /// C `sizeof(DRIVE_LAYOUT_INFORMATION_GPT)`: also the size of the union in
    /// `DRIVE_LAYOUT_INFORMATION_EX`.
    pub const C_SIZEOF: usize = 40;
}

/// `DRIVE_LAYOUT_INFORMATION_EX` with one entry: the output of `IOCTL_DISK_GET_DRIVE_LAYOUT_EX`
/// for a one-partition disk (48 + 144·n bytes in general; C's `sizeof` counts one entry).
///
/// ```
/// use mountdev::layout::DriveLayoutInformationEx;
/// assert_eq!(DriveLayoutInformationEx::HEADER_SIZE + 144, DriveLayoutInformationEx::C_SIZEOF);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DRIVE_LAYOUT_INFORMATION_EX")]
pub struct DriveLayoutInformationEx {
    /// `PartitionStyle`.
    pub partition_style: U32,
    /// `PartitionCount`.
    pub partition_count: U32,
    /// The anonymous union: [`DriveLayoutInformationMbr`] (then zeros) or
    /// [`DriveLayoutInformationGpt`].
    pub union_area: [u8; 40],
    /// `PartitionEntry[1]`.
    pub partition_entry: [PartitionInformationEx; 1],
}
assert_layout!(DriveLayoutInformationEx, size 192, partition_style @ 0, partition_count @ 4, union_area @ 8,
    partition_entry @ 48);

impl DriveLayoutInformationEx {
    /// `FIELD_OFFSET(DRIVE_LAYOUT_INFORMATION_EX, PartitionEntry)`.
    pub const HEADER_SIZE: usize = 48;
    /// C `sizeof(DRIVE_LAYOUT_INFORMATION_EX)`: the header and one entry.
    pub const C_SIZEOF: usize = 192;

    /// An MBR layout with one partition.
    pub fn mbr_single(arm: DriveLayoutInformationMbr, entry: PartitionInformationEx) -> Self {
        let mut layout = Self::new_zeroed();
        layout.partition_style = U32::new(PARTITION_STYLE_MBR);
        layout.partition_count = U32::new(1);
        // The arm is 8 bytes and the union 40: the prefix write cannot fail.
        let _ = arm.write_to_prefix(&mut layout.union_area);
        layout.partition_entry = [entry];
        layout
    }

    /// The MBR arm, when the style is MBR.
    pub fn mbr_arm(&self) -> Option<DriveLayoutInformationMbr> {
        if self.partition_style.get() != PARTITION_STYLE_MBR {
            return None;
        }
        DriveLayoutInformationMbr::read_from_prefix(&self.union_area)
            .ok()
            .map(|(arm, _)| arm)
    }
}

/// `GET_LENGTH_INFORMATION`: the output of `IOCTL_DISK_GET_LENGTH_INFO`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "GET_LENGTH_INFORMATION")]
pub struct GetLengthInformation {
    /// `Length` in bytes.
    pub length: I64,
}
assert_layout!(GetLengthInformation, size 8, length @ 0);

impl GetLengthInformation {
    /// C `sizeof(GET_LENGTH_INFORMATION)`.
    pub const C_SIZEOF: usize = 8;
}

/// `VERIFY_INFORMATION`: the input of `IOCTL_DISK_VERIFY`.
///
/// ```
/// use mountdev::layout::VerifyInformation;
/// use zerocopy::FromBytes;
/// let mut input = [0u8; 16];
/// input[..8].copy_from_slice(&4096i64.to_le_bytes());
/// input[8..12].copy_from_slice(&512u32.to_le_bytes());
/// let (v, _) = VerifyInformation::read_from_prefix(&input).unwrap();
/// assert_eq!((v.starting_offset.get(), v.length.get()), (4096, 512));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "VERIFY_INFORMATION")]
pub struct VerifyInformation {
    /// `StartingOffset` in bytes (signed: negative values are invalid).
    pub starting_offset: I64,
    /// `Length` in bytes.
    pub length: U32,
    /// C tail padding.
    pub reserved: [u8; 4],
}
assert_layout!(VerifyInformation, size 16, starting_offset @ 0, length @ 8);

impl VerifyInformation {
    /// C `sizeof(VERIFY_INFORMATION)`: the input length `IOCTL_DISK_VERIFY` requires.
    pub const C_SIZEOF: usize = 16;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_arms_round_trip() {
        let info = DiskPartitionInfo::mbr(0xAABB_CCDD, 7);
        assert_eq!(info.mbr_signature(), Some(0xAABB_CCDD));
        assert_eq!(info.gpt_disk_id(), None);
        assert_eq!(&info.as_bytes()[8..16], &[0xDD, 0xCC, 0xBB, 0xAA, 7, 0, 0, 0]);

        let arm = PartitionInformationMbr {
            partition_type: PARTITION_IFS,
            recognized_partition: 1,
            ..PartitionInformationMbr::new_zeroed()
        };
        let entry = PartitionInformationEx::mbr(0, 4096, 1, arm);
        assert_eq!(entry.as_bytes()[32], PARTITION_IFS);
        assert!(entry.as_bytes()[32 + 24..].iter().all(|&b| b == 0));
        let layout = DriveLayoutInformationEx::mbr_single(
            DriveLayoutInformationMbr {
                signature: U32::new(9),
                check_sum: U32::new(0),
            },
            entry,
        );
        assert_eq!(layout.mbr_arm().map(|m| m.signature.get()), Some(9));
        assert_eq!(&layout.as_bytes()[48..], entry.as_bytes());

        let mut gpt = entry;
        gpt.partition_style = U32::new(PARTITION_STYLE_GPT);
        assert_eq!(gpt.mbr_arm(), None);
        assert_eq!(gpt.gpt_arm().map(|g| g.partition_type.data1.get()), Some(0x0001_0007));
    }
}
