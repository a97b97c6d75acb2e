//! Partition replies: the volume presents itself as the one partition of an MBR disk.
//!
//! Values (`protocol.md` §5.2, VeraCrypt and CryptDisk answer alike): `StartingOffset` 0 (the
//! volume starts at its own first byte), `PartitionLength` = the size, `HiddenSectors` 0,
//! `PartitionNumber` 1, `PartitionType` `PARTITION_IFS` (0x07), `RecognizedPartition` TRUE,
//! `BootIndicator` and `RewritePartition` FALSE; the `_EX` forms are MBR style with a zero
//! `PartitionId`. The layouts hold exactly that one entry under the description's non-zero
//! disk signature.

use zerocopy::FromZeros;
use zerocopy::byteorder::little_endian::{I64, U32};

use super::DiskDescription;
use crate::layout::{
    DriveLayoutInformation, DriveLayoutInformationEx, DriveLayoutInformationMbr, PARTITION_IFS, PartitionInformation,
    PartitionInformationEx, PartitionInformationMbr,
};

/// The partition number every reply uses (partition info, layouts, device number).
pub(crate) const PARTITION_NUMBER: u32 = 1;

/// `PARTITION_INFORMATION` (`IOCTL_DISK_GET_PARTITION_INFO`).
pub(crate) fn partition_information(disk: &DiskDescription) -> PartitionInformation {
    PartitionInformation {
        starting_offset: I64::new(0),
        partition_length: I64::new(disk.size_i64()),
        hidden_sectors: U32::new(0),
        partition_number: U32::new(PARTITION_NUMBER),
        partition_type: PARTITION_IFS,
        boot_indicator: 0,
        recognized_partition: 1,
        rewrite_partition: 0,
        reserved: [0; 4],
    }
}

/// `PARTITION_INFORMATION_EX` (`IOCTL_DISK_GET_PARTITION_INFO_EX`).
pub(crate) fn partition_information_ex(disk: &DiskDescription) -> PartitionInformationEx {
    let arm = PartitionInformationMbr {
        partition_type: PARTITION_IFS,
        boot_indicator: 0,
        recognized_partition: 1,
        ..PartitionInformationMbr::new_zeroed()
    };
    PartitionInformationEx::mbr(0, disk.size_i64(), PARTITION_NUMBER, arm)
}

/// `DRIVE_LAYOUT_INFORMATION` with one entry (`IOCTL_DISK_GET_DRIVE_LAYOUT`).
pub(crate) fn drive_layout(disk: &DiskDescription) -> DriveLayoutInformation {
    DriveLayoutInformation {
        partition_count: U32::new(1),
        signature: U32::new(disk.disk_signature().get()),
        partition_entry: [partition_information(disk)],
    }
}

/// `DRIVE_LAYOUT_INFORMATION_EX` with one entry (`IOCTL_DISK_GET_DRIVE_LAYOUT_EX`).
pub(crate) fn drive_layout_ex(disk: &DiskDescription) -> DriveLayoutInformationEx {
    let arm = DriveLayoutInformationMbr {
        signature: U32::new(disk.disk_signature().get()),
        check_sum: U32::new(0),
    };
    DriveLayoutInformationEx::mbr_single(arm, partition_information_ex(disk))
}
