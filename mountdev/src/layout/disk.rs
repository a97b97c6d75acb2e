//! Structures of `ntdddisk.h` / `winioctl.h` that a virtual disk returns for the
//! `IOCTL_DISK_*` queries: geometry, length, partition information and drive layouts, and the
//! `VERIFY_INFORMATION` input (`protocol.md` §5.2, `toolchain.md` §4.3).
//!
//! In C these contain `LARGE_INTEGER`s, which every Windows ABI (x86, x64, arm64) aligns to 8 inside
//! structures; here every field is an align-1 little-endian type and every byte of C padding is a
//! named `reserved*` field, so the sizes below are the C `sizeof` values and a value can be copied
//! out with [`zerocopy::IntoBytes::as_bytes`]. Structures that end in a C `[1]` array keep that one
//! element (they are exactly as large as C's `sizeof`) and export `HEADER_SIZE`, the offset of the
//! array. Anonymous C unions are byte areas with typed accessors for each arm.

use super::wire::wire;
use zerocopy::byteorder::little_endian::{I64, U16, U32, U64};
use zerocopy::{FromBytes, FromZeros, IntoBytes};

use crate::name::GuidWire;

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

wire! {
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
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DiskGeometry: "DISK_GEOMETRY" {
        /// `Cylinders` (`LARGE_INTEGER`).
        pub cylinders: I64 = 0, "Cylinders";
        /// `MediaType` (a `MEDIA_TYPE`, e.g. [`MEDIA_TYPE_FIXED`]).
        pub media_type: U32 = 8, "MediaType";
        /// `TracksPerCylinder`.
        pub tracks_per_cylinder: U32 = 12, "TracksPerCylinder";
        /// `SectorsPerTrack`.
        pub sectors_per_track: U32 = 16, "SectorsPerTrack";
        /// `BytesPerSector`.
        pub bytes_per_sector: U32 = 20, "BytesPerSector";
    }
}

impl DiskGeometry {
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

wire! {
    /// `DISK_GEOMETRY_EX`: the output of `IOCTL_DISK_GET_DRIVE_GEOMETRY_EX`.
    ///
    /// The fixed part (geometry and `DiskSize`) is [`DiskGeometryEx::HEADER_SIZE`] = 32 bytes; `Data`
    /// may carry a [`DiskPartitionInfo`] (and, on real disks, a `DISK_DETECTION_INFO` after it).
    /// C's `sizeof` is 40: the `Data[1]` byte and 7 bytes of tail padding, kept here as `data`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DiskGeometryEx: "DISK_GEOMETRY_EX" {
        /// `Geometry`.
        pub geometry: DiskGeometry = 0, "Geometry";
        /// `DiskSize` in bytes (`LARGE_INTEGER`).
        pub disk_size: I64 = 24, "DiskSize";
    }
    tail {
        /// `Data[1]` and the tail padding C's `sizeof` counts.
        pub data: [u8; 8] = 32, "Data";
    }
}

wire! {
    /// `DISK_PARTITION_INFO`: the partition-table summary that may follow `DISK_GEOMETRY_EX`'s fixed
    /// part.
    ///
    /// ```
    /// use mountdev::layout::DiskPartitionInfo;
    /// let info = DiskPartitionInfo::mbr(0x1234_5678, 0);
    /// assert_eq!(info.size_of_partition_info.get(), 24);
    /// assert_eq!(info.mbr_signature(), Some(0x1234_5678));
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct DiskPartitionInfo: "DISK_PARTITION_INFO" {
        /// `SizeOfPartitionInfo`: 24.
        pub size_of_partition_info: U32 = 0, "SizeOfPartitionInfo";
        /// `PartitionStyle` ([`PARTITION_STYLE_MBR`] or [`PARTITION_STYLE_GPT`]).
        pub partition_style: U32 = 4, "PartitionStyle";
        /// The anonymous union: `Mbr { Signature u32, CheckSum u32 }` (then 8 unused bytes) or
        /// `Gpt { DiskId GUID }`.
        pub union_area: [u8; 16] = 8, "Mbr.Signature", "Mbr.CheckSum" + 4, "Gpt.DiskId";
    }
}

impl DiskPartitionInfo {
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

wire! {
    /// `PARTITION_INFORMATION`: the output of `IOCTL_DISK_GET_PARTITION_INFO` and the entry of
    /// `DRIVE_LAYOUT_INFORMATION`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct PartitionInformation: "PARTITION_INFORMATION" {
        /// `StartingOffset` in bytes.
        pub starting_offset: I64 = 0, "StartingOffset";
        /// `PartitionLength` in bytes.
        pub partition_length: I64 = 8, "PartitionLength";
        /// `HiddenSectors`.
        pub hidden_sectors: U32 = 16, "HiddenSectors";
        /// `PartitionNumber` (1-based).
        pub partition_number: U32 = 20, "PartitionNumber";
        /// `PartitionType` (an MBR type byte such as [`PARTITION_IFS`]).
        pub partition_type: u8 = 24, "PartitionType";
        /// `BootIndicator` (`BOOLEAN`).
        pub boot_indicator: u8 = 25, "BootIndicator";
        /// `RecognizedPartition` (`BOOLEAN`).
        pub recognized_partition: u8 = 26, "RecognizedPartition";
        /// `RewritePartition` (`BOOLEAN`).
        pub rewrite_partition: u8 = 27, "RewritePartition";
        /// C tail padding (the structure is 8-aligned); written as 0.
        pub reserved: [u8; 4] = 28;
    }
}

wire! {
    /// `PARTITION_INFORMATION_MBR`: the MBR arm of [`PartitionInformationEx`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PartitionInformationMbr: "PARTITION_INFORMATION_MBR" {
        /// `PartitionType`.
        pub partition_type: u8 = 0, "PartitionType";
        /// `BootIndicator` (`BOOLEAN`).
        pub boot_indicator: u8 = 1, "BootIndicator";
        /// `RecognizedPartition` (`BOOLEAN`).
        pub recognized_partition: u8 = 2, "RecognizedPartition";
        /// C padding before `HiddenSectors`; written as 0.
        pub reserved: u8 = 3;
        /// `HiddenSectors`.
        pub hidden_sectors: U32 = 4, "HiddenSectors";
        /// `PartitionId` (headers for Windows 10 and later; zero for a virtual partition).
        pub partition_id: GuidWire = 8, "PartitionId";
    }
}

wire! {
    /// `PARTITION_INFORMATION_GPT`: the GPT arm of [`PartitionInformationEx`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PartitionInformationGpt: "PARTITION_INFORMATION_GPT" {
        /// `PartitionType` GUID.
        pub partition_type: GuidWire = 0, "PartitionType";
        /// `PartitionId` GUID.
        pub partition_id: GuidWire = 16, "PartitionId";
        /// `Attributes` (`GPT_ATTRIBUTE_*` / `GPT_BASIC_DATA_ATTRIBUTE_*` bits).
        pub attributes: U64 = 32, "Attributes";
        /// `Name`: 36 UTF-16 units, NUL-padded.
        pub name: [U16; 36] = 40, "Name";
    }
}

wire! {
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
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PartitionInformationEx: "PARTITION_INFORMATION_EX" {
        /// `PartitionStyle` ([`PARTITION_STYLE_MBR`], [`PARTITION_STYLE_GPT`] or
        /// [`PARTITION_STYLE_RAW`]).
        pub partition_style: U32 = 0, "PartitionStyle";
        /// C padding before the 8-aligned `StartingOffset`; written as 0.
        pub reserved0: [u8; 4] = 4;
        /// `StartingOffset` in bytes.
        pub starting_offset: I64 = 8, "StartingOffset";
        /// `PartitionLength` in bytes.
        pub partition_length: I64 = 16, "PartitionLength";
        /// `PartitionNumber` (1-based).
        pub partition_number: U32 = 24, "PartitionNumber";
        /// `RewritePartition` (`BOOLEAN`).
        pub rewrite_partition: u8 = 28, "RewritePartition";
        /// `IsServicePartition` (`BOOLEAN`, headers for Windows 10 1709 and later; older headers
        /// have padding here). Written as 0.
        pub is_service_partition: u8 = 29;
        /// C padding before the 8-aligned union; written as 0.
        pub reserved1: [u8; 2] = 30;
        /// The anonymous union: [`PartitionInformationMbr`] (24 bytes, then zeros) or
        /// [`PartitionInformationGpt`] (112 bytes), chosen by `partition_style`.
        pub union_area: [u8; 112] = 32, "Mbr", "Gpt";
    }
}

impl PartitionInformationEx {
    /// `FIELD_OFFSET(PARTITION_INFORMATION_EX, Mbr)` (= `Gpt`).
    pub const UNION_OFFSET: usize = core::mem::offset_of!(Self, union_area);

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

wire! {
    /// `DRIVE_LAYOUT_INFORMATION` with one entry: the output of `IOCTL_DISK_GET_DRIVE_LAYOUT` for a
    /// one-partition disk. Its size is C's `sizeof`, which counts exactly one `PartitionEntry`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DriveLayoutInformation: "DRIVE_LAYOUT_INFORMATION" {
        /// `PartitionCount`.
        pub partition_count: U32 = 0, "PartitionCount";
        /// `Signature`: the MBR disk signature.
        pub signature: U32 = 4, "Signature";
    }
    tail {
        /// `PartitionEntry[1]`.
        pub partition_entry: [PartitionInformation; 1] = 8, "PartitionEntry";
    }
}

wire! {
    /// `DRIVE_LAYOUT_INFORMATION_MBR`: the MBR arm of [`DriveLayoutInformationEx`].
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DriveLayoutInformationMbr: "DRIVE_LAYOUT_INFORMATION_MBR", mingw_sizeof_differs {
        /// `Signature`.
        pub signature: U32 = 0, "Signature";
        /// `CheckSum` (headers for Windows 10 1607 and later; unused bytes of the union before).
        pub check_sum: U32 = 4;
    }
}

wire! {
    /// `DRIVE_LAYOUT_INFORMATION_GPT`: the GPT arm of [`DriveLayoutInformationEx`].
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct DriveLayoutInformationGpt: "DRIVE_LAYOUT_INFORMATION_GPT" {
        /// `DiskId`.
        pub disk_id: GuidWire = 0, "DiskId";
        /// `StartingUsableOffset`.
        pub starting_usable_offset: I64 = 16, "StartingUsableOffset";
        /// `UsableLength`.
        pub usable_length: I64 = 24, "UsableLength";
        /// `MaxPartitionCount`.
        pub max_partition_count: U32 = 32, "MaxPartitionCount";
        /// C tail padding; written as 0.
        pub reserved: [u8; 4] = 36;
    }
}

wire! {
    /// `DRIVE_LAYOUT_INFORMATION_EX` with one entry: the output of `IOCTL_DISK_GET_DRIVE_LAYOUT_EX`
    /// for a one-partition disk (48 + 144·n bytes in general; C's `sizeof` counts one entry).
    ///
    /// ```
    /// use mountdev::layout::DriveLayoutInformationEx;
    /// assert_eq!(DriveLayoutInformationEx::HEADER_SIZE + 144, DriveLayoutInformationEx::C_SIZEOF);
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct DriveLayoutInformationEx: "DRIVE_LAYOUT_INFORMATION_EX" {
        /// `PartitionStyle`.
        pub partition_style: U32 = 0, "PartitionStyle";
        /// `PartitionCount`.
        pub partition_count: U32 = 4, "PartitionCount";
        /// The anonymous union: [`DriveLayoutInformationMbr`] (then zeros) or
        /// [`DriveLayoutInformationGpt`].
        pub union_area: [u8; 40] = 8, "Mbr.Signature", "Gpt";
    }
    tail {
        /// `PartitionEntry[1]`.
        pub partition_entry: [PartitionInformationEx; 1] = 48, "PartitionEntry";
    }
}

impl DriveLayoutInformationEx {
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

wire! {
    /// `GET_LENGTH_INFORMATION`: the output of `IOCTL_DISK_GET_LENGTH_INFO`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct GetLengthInformation: "GET_LENGTH_INFORMATION" {
        /// `Length` in bytes.
        pub length: I64 = 0, "Length";
    }
}

wire! {
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
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct VerifyInformation: "VERIFY_INFORMATION" {
        /// `StartingOffset` in bytes (signed: negative values are invalid).
        pub starting_offset: I64 = 0, "StartingOffset";
        /// `Length` in bytes.
        pub length: U32 = 8, "Length";
        /// C tail padding.
        pub reserved: [u8; 4] = 12;
    }
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
