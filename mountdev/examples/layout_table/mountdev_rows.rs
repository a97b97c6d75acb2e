//! Rows for the MOUNTDEV / MOUNTMGR structures and codes, and the FSCTL / FT codes.

use core::mem::{offset_of, size_of};

use mountdev::ioctl::{DeviceType, Ioctl};
use mountdev::layout::{
    AutoMount, ChangeNotifyInfo, CreatePointInput, DriveLetterInformation, MountPoint, MountPointsHeader, MountdevName,
    MountdevStableGuid, MountdevSuggestedLinkName, MountdevUniqueId, TargetName, UniqueIdChangeNotifyOutput,
    VolumeMountPoint, VolumePathsHeader,
};
use mountdev::name::GuidWire;
use zerocopy::KnownLayout;

use super::Row;

/// The C expression for a code: its header name, or `CTL_CODE(...)` spelled with the header's
/// own constants where mingw-w64 defines the name differently (any-access variants) or not at all
/// (codes newer than Windows 7).
fn c_expr_for(ioctl: Ioctl) -> Option<&'static str> {
    Some(match ioctl {
        // mingw-w64 defines these three with FILE_ANY_ACCESS (the pre-WS03 value).
        Ioctl::MountdevUniqueIdChangeNotify => {
            "CTL_CODE(MOUNTDEVCONTROLTYPE, 1, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountdevUniqueIdChangeNotifyAnyAccess => "IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY",
        Ioctl::MountdevLinkCreated => {
            "CTL_CODE(MOUNTDEVCONTROLTYPE, 4, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountdevLinkCreatedAnyAccess => "IOCTL_MOUNTDEV_LINK_CREATED",
        Ioctl::MountdevLinkDeleted => {
            "CTL_CODE(MOUNTDEVCONTROLTYPE, 5, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountdevLinkDeletedAnyAccess => "IOCTL_MOUNTDEV_LINK_DELETED",
        // Not in mingw-w64 10 (Windows 8 and later).
        Ioctl::MountmgrPrepareVolumeDelete => {
            "CTL_CODE(MOUNTMGRCONTROLTYPE, 19, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountmgrCancelVolumeDelete => {
            "CTL_CODE(MOUNTMGRCONTROLTYPE, 20, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountmgrSiloArrival => {
            "CTL_CODE(MOUNTMGRCONTROLTYPE, 21, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        Ioctl::MountmgrVolumeRemovalNotification => {
            "CTL_CODE(MOUNTMGRCONTROLTYPE, 22, METHOD_BUFFERED, FILE_READ_ACCESS)"
        }
        // Not in mingw-w64's winioctl.h.
        Ioctl::FtBalancedReadMode => "CTL_CODE(0x66, 6, METHOD_NEITHER, FILE_ANY_ACCESS)",
        other => other.name()?,
    })
}

/// Where the zerocopy layout puts the trailing slice: its size with no elements.
fn tail<T: ?Sized + KnownLayout<PointerMetadata = usize>>() -> usize {
    T::size_for_metadata(0).unwrap_or(usize::MAX)
}

/// The rows.
pub fn rows() -> Vec<Row> {
    let mut rows = vec![
        row!("sizeof MOUNTDEV_NAME", "sizeof(MOUNTDEV_NAME)", MountdevName::C_SIZEOF),
        row!(
            "header MOUNTDEV_NAME",
            "offsetof(MOUNTDEV_NAME, Name)",
            MountdevName::HEADER_SIZE
        ),
        row!(
            "tail MOUNTDEV_NAME",
            "offsetof(MOUNTDEV_NAME, Name)",
            tail::<MountdevName>()
        ),
        row!(
            "tail MOUNTDEV_UNIQUE_ID",
            "offsetof(MOUNTDEV_UNIQUE_ID, UniqueId)",
            tail::<MountdevUniqueId>()
        ),
        row!(
            "tail MOUNTDEV_SUGGESTED_LINK_NAME",
            "offsetof(MOUNTDEV_SUGGESTED_LINK_NAME, Name)",
            tail::<MountdevSuggestedLinkName>()
        ),
        row!(
            "tail MOUNTMGR_TARGET_NAME",
            "offsetof(MOUNTMGR_TARGET_NAME, DeviceName)",
            tail::<TargetName>()
        ),
        row!(
            "tail MOUNTMGR_DRIVE_LETTER_TARGET",
            "offsetof(MOUNTMGR_DRIVE_LETTER_TARGET, DeviceName)",
            tail::<TargetName>()
        ),
        offset!(MountdevName, name_length, "MOUNTDEV_NAME", "NameLength"),
        row!(
            "sizeof MOUNTDEV_UNIQUE_ID",
            "sizeof(MOUNTDEV_UNIQUE_ID)",
            MountdevUniqueId::C_SIZEOF
        ),
        row!(
            "header MOUNTDEV_UNIQUE_ID",
            "offsetof(MOUNTDEV_UNIQUE_ID, UniqueId)",
            MountdevUniqueId::HEADER_SIZE
        ),
        row!(
            "sizeof MOUNTDEV_SUGGESTED_LINK_NAME",
            "sizeof(MOUNTDEV_SUGGESTED_LINK_NAME)",
            MountdevSuggestedLinkName::C_SIZEOF
        ),
        offset!(
            MountdevSuggestedLinkName,
            use_only_if_there_are_no_other_links,
            "MOUNTDEV_SUGGESTED_LINK_NAME",
            "UseOnlyIfThereAreNoOtherLinks"
        ),
        offset!(
            MountdevSuggestedLinkName,
            name_length,
            "MOUNTDEV_SUGGESTED_LINK_NAME",
            "NameLength"
        ),
        row!(
            "header MOUNTDEV_SUGGESTED_LINK_NAME",
            "offsetof(MOUNTDEV_SUGGESTED_LINK_NAME, Name)",
            MountdevSuggestedLinkName::HEADER_SIZE
        ),
        row!(
            "sizeof MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "sizeof(MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT)",
            size_of::<UniqueIdChangeNotifyOutput>()
        ),
        offset!(
            UniqueIdChangeNotifyOutput,
            size,
            "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "Size"
        ),
        offset!(
            UniqueIdChangeNotifyOutput,
            old_unique_id_offset,
            "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "OldUniqueIdOffset"
        ),
        offset!(
            UniqueIdChangeNotifyOutput,
            old_unique_id_length,
            "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "OldUniqueIdLength"
        ),
        offset!(
            UniqueIdChangeNotifyOutput,
            new_unique_id_offset,
            "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "NewUniqueIdOffset"
        ),
        offset!(
            UniqueIdChangeNotifyOutput,
            new_unique_id_length,
            "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT",
            "NewUniqueIdLength"
        ),
        row!(
            "sizeof MOUNTDEV_STABLE_GUID",
            "sizeof(MOUNTDEV_STABLE_GUID)",
            size_of::<MountdevStableGuid>()
        ),
        row!("sizeof GUID", "sizeof(GUID)", size_of::<GuidWire>()),
        offset!(GuidWire, data2, "GUID", "Data2"),
        offset!(GuidWire, data3, "GUID", "Data3"),
        offset!(GuidWire, data4, "GUID", "Data4"),
        row!(
            "sizeof MOUNTMGR_TARGET_NAME",
            "sizeof(MOUNTMGR_TARGET_NAME)",
            TargetName::C_SIZEOF
        ),
        row!(
            "header MOUNTMGR_TARGET_NAME",
            "offsetof(MOUNTMGR_TARGET_NAME, DeviceName)",
            TargetName::HEADER_SIZE
        ),
        row!(
            "sizeof MOUNTMGR_DRIVE_LETTER_TARGET",
            "sizeof(MOUNTMGR_DRIVE_LETTER_TARGET)",
            TargetName::C_SIZEOF
        ),
        row!(
            "sizeof MOUNTMGR_CREATE_POINT_INPUT",
            "sizeof(MOUNTMGR_CREATE_POINT_INPUT)",
            size_of::<CreatePointInput>()
        ),
        offset!(
            CreatePointInput,
            symbolic_link_name_offset,
            "MOUNTMGR_CREATE_POINT_INPUT",
            "SymbolicLinkNameOffset"
        ),
        offset!(
            CreatePointInput,
            symbolic_link_name_length,
            "MOUNTMGR_CREATE_POINT_INPUT",
            "SymbolicLinkNameLength"
        ),
        offset!(
            CreatePointInput,
            device_name_offset,
            "MOUNTMGR_CREATE_POINT_INPUT",
            "DeviceNameOffset"
        ),
        offset!(
            CreatePointInput,
            device_name_length,
            "MOUNTMGR_CREATE_POINT_INPUT",
            "DeviceNameLength"
        ),
        row!(
            "sizeof MOUNTMGR_MOUNT_POINT",
            "sizeof(MOUNTMGR_MOUNT_POINT)",
            size_of::<MountPoint>()
        ),
        offset!(
            MountPoint,
            symbolic_link_name_offset,
            "MOUNTMGR_MOUNT_POINT",
            "SymbolicLinkNameOffset"
        ),
        offset!(
            MountPoint,
            symbolic_link_name_length,
            "MOUNTMGR_MOUNT_POINT",
            "SymbolicLinkNameLength"
        ),
        offset!(MountPoint, unique_id_offset, "MOUNTMGR_MOUNT_POINT", "UniqueIdOffset"),
        offset!(MountPoint, unique_id_length, "MOUNTMGR_MOUNT_POINT", "UniqueIdLength"),
        offset!(
            MountPoint,
            device_name_offset,
            "MOUNTMGR_MOUNT_POINT",
            "DeviceNameOffset"
        ),
        offset!(
            MountPoint,
            device_name_length,
            "MOUNTMGR_MOUNT_POINT",
            "DeviceNameLength"
        ),
        row!(
            "sizeof MOUNTMGR_MOUNT_POINTS",
            "sizeof(MOUNTMGR_MOUNT_POINTS)",
            MountPointsHeader::C_SIZEOF
        ),
        offset!(MountPointsHeader, size, "MOUNTMGR_MOUNT_POINTS", "Size"),
        offset!(
            MountPointsHeader,
            number_of_mount_points,
            "MOUNTMGR_MOUNT_POINTS",
            "NumberOfMountPoints"
        ),
        row!(
            "header MOUNTMGR_MOUNT_POINTS",
            "offsetof(MOUNTMGR_MOUNT_POINTS, MountPoints)",
            MountPointsHeader::HEADER_SIZE
        ),
        row!(
            "sizeof MOUNTMGR_DRIVE_LETTER_INFORMATION",
            "sizeof(MOUNTMGR_DRIVE_LETTER_INFORMATION)",
            size_of::<DriveLetterInformation>()
        ),
        offset!(
            DriveLetterInformation,
            current_drive_letter,
            "MOUNTMGR_DRIVE_LETTER_INFORMATION",
            "CurrentDriveLetter"
        ),
        row!(
            "sizeof MOUNTMGR_VOLUME_MOUNT_POINT",
            "sizeof(MOUNTMGR_VOLUME_MOUNT_POINT)",
            size_of::<VolumeMountPoint>()
        ),
        offset!(
            VolumeMountPoint,
            source_volume_name_length,
            "MOUNTMGR_VOLUME_MOUNT_POINT",
            "SourceVolumeNameLength"
        ),
        offset!(
            VolumeMountPoint,
            target_volume_name_offset,
            "MOUNTMGR_VOLUME_MOUNT_POINT",
            "TargetVolumeNameOffset"
        ),
        offset!(
            VolumeMountPoint,
            target_volume_name_length,
            "MOUNTMGR_VOLUME_MOUNT_POINT",
            "TargetVolumeNameLength"
        ),
        row!(
            "sizeof MOUNTMGR_CHANGE_NOTIFY_INFO",
            "sizeof(MOUNTMGR_CHANGE_NOTIFY_INFO)",
            size_of::<ChangeNotifyInfo>()
        ),
        row!(
            "sizeof MOUNTMGR_QUERY_AUTO_MOUNT",
            "sizeof(MOUNTMGR_QUERY_AUTO_MOUNT)",
            size_of::<AutoMount>()
        ),
        row!(
            "sizeof MOUNTMGR_SET_AUTO_MOUNT",
            "sizeof(MOUNTMGR_SET_AUTO_MOUNT)",
            AutoMount::C_SIZEOF
        ),
        row!("value Disabled", "Disabled", AutoMount::DISABLED),
        row!("value Enabled", "Enabled", AutoMount::ENABLED),
        row!(
            "sizeof MOUNTMGR_VOLUME_PATHS",
            "sizeof(MOUNTMGR_VOLUME_PATHS)",
            VolumePathsHeader::C_SIZEOF
        ),
        row!(
            "header MOUNTMGR_VOLUME_PATHS",
            "offsetof(MOUNTMGR_VOLUME_PATHS, MultiSz)",
            VolumePathsHeader::HEADER_SIZE
        ),
    ];
    let ours = [
        DeviceType::MOUNTDEV,
        DeviceType::MOUNTMGR,
        DeviceType::FILE_SYSTEM,
        DeviceType::FT,
    ];
    rows.extend(super::code_rows(&ours, c_expr_for));
    rows
}
