//! Every IOCTL code this crate knows, as constants and as the [`Ioctl`] enum.
//!
//! Codes come from `mountdev.h`, `mountmgr.h`, `ntdddisk.h`, `ntddstor.h` and `ntddvol.h`
//! (`protocol.md` §1 and §5). They are computed with [`ctl_code`] and compared in CI with the
//! values mingw-w64's headers give (`ci/layout/check.py`).

use super::code::{Access, DeviceType, IoctlCode, Method, ctl_code};

macro_rules! ioctls {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $konst:ident = ($dev:ident, $func:expr, $method:ident, $access:ident);
    )*) => {
        $(
            $(#[$doc])*
            pub const $konst: u32 = ctl_code(DeviceType::$dev, $func, Method::$method, Access::$access);
        )*

        /// A decoded IOCTL code: one variant per known code, [`Ioctl::Unknown`] for the rest.
        ///
        /// ```
        /// use mountdev::ioctl::{Ioctl, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME};
        /// assert_eq!(Ioctl::decode(0x004D_0008), Ioctl::MountdevQueryDeviceName);
        /// assert_eq!(Ioctl::MountdevQueryDeviceName.code(), IOCTL_MOUNTDEV_QUERY_DEVICE_NAME);
        /// assert_eq!(Ioctl::MountdevQueryDeviceName.name(), Some("IOCTL_MOUNTDEV_QUERY_DEVICE_NAME"));
        /// let unknown = Ioctl::decode(0x0022_2003);
        /// assert!(matches!(unknown, Ioctl::Unknown(c) if c.function() == 0x800));
        /// ```
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum Ioctl {
            $(
                $(#[$doc])*
                $variant,
            )*
            /// A code this crate has no name for; its fields stay readable.
            Unknown(IoctlCode),
        }

        impl Ioctl {
            /// Every known IOCTL, in table order.
            pub const ALL: &'static [Ioctl] = &[$(Ioctl::$variant),*];

            /// Decodes any 32-bit code.
            pub const fn decode(code: u32) -> Self {
                match code {
                    $($konst => Ioctl::$variant,)*
                    other => Ioctl::Unknown(IoctlCode(other)),
                }
            }

            /// The 32-bit code.
            pub const fn code(self) -> u32 {
                match self {
                    $(Ioctl::$variant => $konst,)*
                    Ioctl::Unknown(code) => code.0,
                }
            }

            /// The C name of a known code (`IOCTL_…`, `FSCTL_…`).
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $(Ioctl::$variant => Some(stringify!($konst)),)*
                    Ioctl::Unknown(_) => None,
                }
            }
        }
    };
}

ioctls! {
    // ---- IOCTL_MOUNTDEV_*: sent to the volume (mountdev.h, mountmgr.h) ----
    /// `IOCTL_MOUNTDEV_QUERY_UNIQUE_ID`: the volume's persistent binary ID.
    MountdevQueryUniqueId => IOCTL_MOUNTDEV_QUERY_UNIQUE_ID = (MOUNTDEV, 0, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY` (Windows Server 2003+ headers, read/write access).
    MountdevUniqueIdChangeNotify => IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY = (MOUNTDEV, 1, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY` as older headers (and mingw-w64) define it.
    MountdevUniqueIdChangeNotifyAnyAccess => IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_ANY_ACCESS = (MOUNTDEV, 1, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_QUERY_DEVICE_NAME`: the volume's NT device name.
    MountdevQueryDeviceName => IOCTL_MOUNTDEV_QUERY_DEVICE_NAME = (MOUNTDEV, 2, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME`: an optional drive-letter suggestion.
    MountdevQuerySuggestedLinkName => IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME = (MOUNTDEV, 3, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_LINK_CREATED` (read/write access variant).
    MountdevLinkCreated => IOCTL_MOUNTDEV_LINK_CREATED = (MOUNTDEV, 4, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTDEV_LINK_CREATED` (any-access variant; the mount manager sends both).
    MountdevLinkCreatedAnyAccess => IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS = (MOUNTDEV, 4, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_LINK_DELETED` (read/write access variant).
    MountdevLinkDeleted => IOCTL_MOUNTDEV_LINK_DELETED = (MOUNTDEV, 5, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTDEV_LINK_DELETED` (any-access variant).
    MountdevLinkDeletedAnyAccess => IOCTL_MOUNTDEV_LINK_DELETED_ANY_ACCESS = (MOUNTDEV, 5, Buffered, ANY);
    /// `IOCTL_MOUNTDEV_QUERY_STABLE_GUID`: a GUID the volume name is built from.
    MountdevQueryStableGuid => IOCTL_MOUNTDEV_QUERY_STABLE_GUID = (MOUNTDEV, 6, Buffered, ANY);

    // ---- IOCTL_MOUNTMGR_*: sent to \Device\MountPointManager (mountmgr.h) ----
    /// `IOCTL_MOUNTMGR_CREATE_POINT`.
    MountmgrCreatePoint => IOCTL_MOUNTMGR_CREATE_POINT = (MOUNTMGR, 0, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_DELETE_POINTS`.
    MountmgrDeletePoints => IOCTL_MOUNTMGR_DELETE_POINTS = (MOUNTMGR, 1, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_QUERY_POINTS`.
    MountmgrQueryPoints => IOCTL_MOUNTMGR_QUERY_POINTS = (MOUNTMGR, 2, Buffered, ANY);
    /// `IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY`.
    MountmgrDeletePointsDbOnly => IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY = (MOUNTMGR, 3, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER`.
    MountmgrNextDriveLetter => IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER = (MOUNTMGR, 4, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS`.
    MountmgrAutoDlAssignments => IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS = (MOUNTMGR, 5, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED`.
    MountmgrVolumeMountPointCreated => IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED = (MOUNTMGR, 6, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_DELETED`.
    MountmgrVolumeMountPointDeleted => IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_DELETED = (MOUNTMGR, 7, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_CHANGE_NOTIFY`.
    MountmgrChangeNotify => IOCTL_MOUNTMGR_CHANGE_NOTIFY = (MOUNTMGR, 8, Buffered, READ);
    /// `IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE`.
    MountmgrKeepLinksWhenOffline => IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE = (MOUNTMGR, 9, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES`.
    MountmgrCheckUnprocessedVolumes => IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES = (MOUNTMGR, 10, Buffered, READ);
    /// `IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION`.
    MountmgrVolumeArrivalNotification => IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION = (MOUNTMGR, 11, Buffered, READ);
    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH`.
    MountmgrQueryDosVolumePath => IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH = (MOUNTMGR, 12, Buffered, ANY);
    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS`.
    MountmgrQueryDosVolumePaths => IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS = (MOUNTMGR, 13, Buffered, ANY);
    /// `IOCTL_MOUNTMGR_SCRUB_REGISTRY`.
    MountmgrScrubRegistry => IOCTL_MOUNTMGR_SCRUB_REGISTRY = (MOUNTMGR, 14, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT`.
    MountmgrQueryAutoMount => IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT = (MOUNTMGR, 15, Buffered, ANY);
    /// `IOCTL_MOUNTMGR_SET_AUTO_MOUNT`.
    MountmgrSetAutoMount => IOCTL_MOUNTMGR_SET_AUTO_MOUNT = (MOUNTMGR, 16, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_BOOT_DL_ASSIGNMENT`.
    MountmgrBootDlAssignment => IOCTL_MOUNTMGR_BOOT_DL_ASSIGNMENT = (MOUNTMGR, 17, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_TRACELOG_CACHE`.
    MountmgrTracelogCache => IOCTL_MOUNTMGR_TRACELOG_CACHE = (MOUNTMGR, 18, Buffered, READ);
    /// `IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE`.
    MountmgrPrepareVolumeDelete => IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE = (MOUNTMGR, 19, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE`.
    MountmgrCancelVolumeDelete => IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE = (MOUNTMGR, 20, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_SILO_ARRIVAL`.
    MountmgrSiloArrival => IOCTL_MOUNTMGR_SILO_ARRIVAL = (MOUNTMGR, 21, Buffered, READ_WRITE);
    /// `IOCTL_MOUNTMGR_VOLUME_REMOVAL_NOTIFICATION` (undocumented input).
    MountmgrVolumeRemovalNotification => IOCTL_MOUNTMGR_VOLUME_REMOVAL_NOTIFICATION = (MOUNTMGR, 22, Buffered, READ);

    // ---- Disk (ntdddisk.h) ----
    /// `IOCTL_DISK_GET_DRIVE_GEOMETRY`.
    DiskGetDriveGeometry => IOCTL_DISK_GET_DRIVE_GEOMETRY = (DISK, 0x0000, Buffered, ANY);
    /// `IOCTL_DISK_GET_PARTITION_INFO`.
    DiskGetPartitionInfo => IOCTL_DISK_GET_PARTITION_INFO = (DISK, 0x0001, Buffered, READ);
    /// `IOCTL_DISK_SET_PARTITION_INFO`.
    DiskSetPartitionInfo => IOCTL_DISK_SET_PARTITION_INFO = (DISK, 0x0002, Buffered, READ_WRITE);
    /// `IOCTL_DISK_GET_DRIVE_LAYOUT`.
    DiskGetDriveLayout => IOCTL_DISK_GET_DRIVE_LAYOUT = (DISK, 0x0003, Buffered, READ);
    /// `IOCTL_DISK_VERIFY`.
    DiskVerify => IOCTL_DISK_VERIFY = (DISK, 0x0005, Buffered, ANY);
    /// `IOCTL_DISK_IS_WRITABLE`.
    DiskIsWritable => IOCTL_DISK_IS_WRITABLE = (DISK, 0x0009, Buffered, ANY);
    /// `IOCTL_DISK_GET_PARTITION_INFO_EX`.
    DiskGetPartitionInfoEx => IOCTL_DISK_GET_PARTITION_INFO_EX = (DISK, 0x0012, Buffered, ANY);
    /// `IOCTL_DISK_GET_DRIVE_LAYOUT_EX`.
    DiskGetDriveLayoutEx => IOCTL_DISK_GET_DRIVE_LAYOUT_EX = (DISK, 0x0014, Buffered, ANY);
    /// `IOCTL_DISK_GET_LENGTH_INFO`.
    DiskGetLengthInfo => IOCTL_DISK_GET_LENGTH_INFO = (DISK, 0x0017, Buffered, READ);
    /// `IOCTL_DISK_GET_DRIVE_GEOMETRY_EX`.
    DiskGetDriveGeometryEx => IOCTL_DISK_GET_DRIVE_GEOMETRY_EX = (DISK, 0x0028, Buffered, ANY);
    /// `IOCTL_DISK_IS_CLUSTERED`.
    DiskIsClustered => IOCTL_DISK_IS_CLUSTERED = (DISK, 0x003E, Buffered, ANY);
    /// `IOCTL_DISK_UPDATE_PROPERTIES`.
    DiskUpdateProperties => IOCTL_DISK_UPDATE_PROPERTIES = (DISK, 0x0050, Buffered, ANY);
    /// `IOCTL_DISK_GET_CLUSTER_INFO`.
    DiskGetClusterInfo => IOCTL_DISK_GET_CLUSTER_INFO = (DISK, 0x0085, Buffered, ANY);
    /// `IOCTL_DISK_ARE_VOLUMES_READY`.
    DiskAreVolumesReady => IOCTL_DISK_ARE_VOLUMES_READY = (DISK, 0x0087, Buffered, READ);
    /// `IOCTL_DISK_CHECK_VERIFY`.
    DiskCheckVerify => IOCTL_DISK_CHECK_VERIFY = (DISK, 0x0200, Buffered, READ);
    /// `IOCTL_DISK_MEDIA_REMOVAL`.
    DiskMediaRemoval => IOCTL_DISK_MEDIA_REMOVAL = (DISK, 0x0201, Buffered, READ);
    /// `IOCTL_DISK_GET_MEDIA_TYPES`.
    DiskGetMediaTypes => IOCTL_DISK_GET_MEDIA_TYPES = (DISK, 0x0300, Buffered, ANY);

    // ---- Storage (ntddstor.h) ----
    /// `IOCTL_STORAGE_CHECK_VERIFY2`.
    StorageCheckVerify2 => IOCTL_STORAGE_CHECK_VERIFY2 = (MASS_STORAGE, 0x0200, Buffered, ANY);
    /// `IOCTL_STORAGE_CHECK_VERIFY`.
    StorageCheckVerify => IOCTL_STORAGE_CHECK_VERIFY = (MASS_STORAGE, 0x0200, Buffered, READ);
    /// `IOCTL_STORAGE_MEDIA_REMOVAL`.
    StorageMediaRemoval => IOCTL_STORAGE_MEDIA_REMOVAL = (MASS_STORAGE, 0x0201, Buffered, READ);
    /// `IOCTL_STORAGE_EJECT_MEDIA`.
    StorageEjectMedia => IOCTL_STORAGE_EJECT_MEDIA = (MASS_STORAGE, 0x0202, Buffered, READ);
    /// `IOCTL_STORAGE_LOAD_MEDIA`.
    StorageLoadMedia => IOCTL_STORAGE_LOAD_MEDIA = (MASS_STORAGE, 0x0203, Buffered, READ);
    /// `IOCTL_STORAGE_GET_MEDIA_TYPES`.
    StorageGetMediaTypes => IOCTL_STORAGE_GET_MEDIA_TYPES = (MASS_STORAGE, 0x0300, Buffered, ANY);
    /// `IOCTL_STORAGE_GET_MEDIA_TYPES_EX`.
    StorageGetMediaTypesEx => IOCTL_STORAGE_GET_MEDIA_TYPES_EX = (MASS_STORAGE, 0x0301, Buffered, ANY);
    /// `IOCTL_STORAGE_GET_HOTPLUG_INFO`.
    StorageGetHotplugInfo => IOCTL_STORAGE_GET_HOTPLUG_INFO = (MASS_STORAGE, 0x0305, Buffered, ANY);
    /// `IOCTL_STORAGE_GET_DEVICE_NUMBER`.
    StorageGetDeviceNumber => IOCTL_STORAGE_GET_DEVICE_NUMBER = (MASS_STORAGE, 0x0420, Buffered, ANY);
    /// `IOCTL_STORAGE_GET_DEVICE_NUMBER_EX`.
    StorageGetDeviceNumberEx => IOCTL_STORAGE_GET_DEVICE_NUMBER_EX = (MASS_STORAGE, 0x0421, Buffered, ANY);
    /// `IOCTL_STORAGE_READ_CAPACITY`.
    StorageReadCapacity => IOCTL_STORAGE_READ_CAPACITY = (MASS_STORAGE, 0x0450, Buffered, READ);
    /// `IOCTL_STORAGE_QUERY_PROPERTY`.
    StorageQueryProperty => IOCTL_STORAGE_QUERY_PROPERTY = (MASS_STORAGE, 0x0500, Buffered, ANY);
    /// `IOCTL_STORAGE_MANAGE_DATA_SET_ATTRIBUTES`.
    StorageManageDataSetAttributes => IOCTL_STORAGE_MANAGE_DATA_SET_ATTRIBUTES = (MASS_STORAGE, 0x0501, Buffered, WRITE);
    /// `IOCTL_STORAGE_CHECK_PRIORITY_HINT_SUPPORT`.
    StorageCheckPriorityHintSupport => IOCTL_STORAGE_CHECK_PRIORITY_HINT_SUPPORT = (MASS_STORAGE, 0x0620, Buffered, ANY);

    // ---- Volume (ntddvol.h) ----
    /// `IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS`.
    VolumeGetVolumeDiskExtents => IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS = (VOLUME, 0, Buffered, ANY);
    /// `IOCTL_VOLUME_ONLINE`.
    VolumeOnline => IOCTL_VOLUME_ONLINE = (VOLUME, 2, Buffered, READ_WRITE);
    /// `IOCTL_VOLUME_OFFLINE`.
    VolumeOffline => IOCTL_VOLUME_OFFLINE = (VOLUME, 3, Buffered, READ_WRITE);
    /// `IOCTL_VOLUME_IS_OFFLINE`.
    VolumeIsOffline => IOCTL_VOLUME_IS_OFFLINE = (VOLUME, 4, Buffered, ANY);
    /// `IOCTL_VOLUME_IS_CLUSTERED`.
    VolumeIsClustered => IOCTL_VOLUME_IS_CLUSTERED = (VOLUME, 12, Buffered, ANY);
    /// `IOCTL_VOLUME_GET_GPT_ATTRIBUTES`.
    VolumeGetGptAttributes => IOCTL_VOLUME_GET_GPT_ATTRIBUTES = (VOLUME, 14, Buffered, ANY);
    /// `IOCTL_VOLUME_IS_DYNAMIC`.
    VolumeIsDynamic => IOCTL_VOLUME_IS_DYNAMIC = (VOLUME, 18, Buffered, ANY);
    /// `IOCTL_VOLUME_QUERY_ALLOCATION_HINT` (METHOD_OUT_DIRECT).
    VolumeQueryAllocationHint => IOCTL_VOLUME_QUERY_ALLOCATION_HINT = (VOLUME, 20, OutDirect, READ);
    /// `IOCTL_VOLUME_POST_ONLINE`.
    VolumePostOnline => IOCTL_VOLUME_POST_ONLINE = (VOLUME, 25, Buffered, READ_WRITE);

    // ---- Others a volume sees ----
    /// `FT_BALANCED_READ_MODE` (METHOD_NEITHER).
    FtBalancedReadMode => FT_BALANCED_READ_MODE = (FT, 6, Neither, ANY);
    /// `FSCTL_LOCK_VOLUME`.
    FsctlLockVolume => FSCTL_LOCK_VOLUME = (FILE_SYSTEM, 6, Buffered, ANY);
    /// `FSCTL_UNLOCK_VOLUME`.
    FsctlUnlockVolume => FSCTL_UNLOCK_VOLUME = (FILE_SYSTEM, 7, Buffered, ANY);
    /// `FSCTL_DISMOUNT_VOLUME`.
    FsctlDismountVolume => FSCTL_DISMOUNT_VOLUME = (FILE_SYSTEM, 8, Buffered, ANY);
}

impl Ioctl {
    /// Whether this is one of the `IOCTL_MOUNTDEV_*` requests a volume answers.
    pub const fn is_mountdev(self) -> bool {
        matches!(
            self,
            Ioctl::MountdevQueryUniqueId
                | Ioctl::MountdevUniqueIdChangeNotify
                | Ioctl::MountdevUniqueIdChangeNotifyAnyAccess
                | Ioctl::MountdevQueryDeviceName
                | Ioctl::MountdevQuerySuggestedLinkName
                | Ioctl::MountdevLinkCreated
                | Ioctl::MountdevLinkCreatedAnyAccess
                | Ioctl::MountdevLinkDeleted
                | Ioctl::MountdevLinkDeletedAnyAccess
                | Ioctl::MountdevQueryStableGuid
        )
    }

    /// The raw code with its decoded fields.
    pub const fn raw(self) -> IoctlCode {
        IoctlCode(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values as printed in `protocol.md` §1.2, §1.3 and §5.2 (cross-checked there against
    /// windows-sys and winapi). The mingw-w64 comparison in CI is the independent check.
    #[test]
    fn codes_match_the_protocol_tables() {
        let table: &[(u32, u32)] = &[
            (IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, 0x004D_0000),
            (IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, 0x004D_C004),
            (IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_ANY_ACCESS, 0x004D_0004),
            (IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, 0x004D_0008),
            (IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, 0x004D_000C),
            (IOCTL_MOUNTDEV_LINK_CREATED, 0x004D_C010),
            (IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS, 0x004D_0010),
            (IOCTL_MOUNTDEV_LINK_DELETED, 0x004D_C014),
            (IOCTL_MOUNTDEV_LINK_DELETED_ANY_ACCESS, 0x004D_0014),
            (IOCTL_MOUNTDEV_QUERY_STABLE_GUID, 0x004D_0018),
            (IOCTL_MOUNTMGR_CREATE_POINT, 0x006D_C000),
            (IOCTL_MOUNTMGR_DELETE_POINTS, 0x006D_C004),
            (IOCTL_MOUNTMGR_QUERY_POINTS, 0x006D_0008),
            (IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY, 0x006D_C00C),
            (IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, 0x006D_C010),
            (IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS, 0x006D_C014),
            (IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED, 0x006D_C018),
            (IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_DELETED, 0x006D_C01C),
            (IOCTL_MOUNTMGR_CHANGE_NOTIFY, 0x006D_4020),
            (IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE, 0x006D_C024),
            (IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, 0x006D_4028),
            (IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION, 0x006D_402C),
            (IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH, 0x006D_0030),
            (IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS, 0x006D_0034),
            (IOCTL_MOUNTMGR_SCRUB_REGISTRY, 0x006D_C038),
            (IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, 0x006D_003C),
            (IOCTL_MOUNTMGR_SET_AUTO_MOUNT, 0x006D_C040),
            (IOCTL_MOUNTMGR_BOOT_DL_ASSIGNMENT, 0x006D_C044),
            (IOCTL_MOUNTMGR_TRACELOG_CACHE, 0x006D_4048),
            (IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE, 0x006D_C04C),
            (IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE, 0x006D_C050),
            (IOCTL_MOUNTMGR_SILO_ARRIVAL, 0x006D_C054),
            (IOCTL_MOUNTMGR_VOLUME_REMOVAL_NOTIFICATION, 0x006D_4058),
            (IOCTL_DISK_GET_DRIVE_GEOMETRY, 0x0007_0000),
            (IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, 0x0007_00A0),
            (IOCTL_DISK_GET_LENGTH_INFO, 0x0007_405C),
            (IOCTL_DISK_GET_PARTITION_INFO, 0x0007_4004),
            (IOCTL_DISK_GET_PARTITION_INFO_EX, 0x0007_0048),
            (IOCTL_DISK_GET_DRIVE_LAYOUT, 0x0007_400C),
            (IOCTL_DISK_GET_DRIVE_LAYOUT_EX, 0x0007_0050),
            (IOCTL_DISK_IS_WRITABLE, 0x0007_0024),
            (IOCTL_DISK_CHECK_VERIFY, 0x0007_4800),
            (IOCTL_STORAGE_CHECK_VERIFY, 0x002D_4800),
            (IOCTL_STORAGE_CHECK_VERIFY2, 0x002D_0800),
            (IOCTL_DISK_MEDIA_REMOVAL, 0x0007_4804),
            (IOCTL_STORAGE_MEDIA_REMOVAL, 0x002D_4804),
            (IOCTL_DISK_GET_MEDIA_TYPES, 0x0007_0C00),
            (IOCTL_STORAGE_GET_MEDIA_TYPES, 0x002D_0C00),
            (IOCTL_STORAGE_GET_MEDIA_TYPES_EX, 0x002D_0C04),
            (IOCTL_DISK_VERIFY, 0x0007_0014),
            (IOCTL_DISK_UPDATE_PROPERTIES, 0x0007_0140),
            (IOCTL_DISK_IS_CLUSTERED, 0x0007_00F8),
            (IOCTL_DISK_GET_CLUSTER_INFO, 0x0007_0214),
            (IOCTL_DISK_ARE_VOLUMES_READY, 0x0007_421C),
            (IOCTL_DISK_SET_PARTITION_INFO, 0x0007_C008),
            (IOCTL_STORAGE_GET_DEVICE_NUMBER, 0x002D_1080),
            (IOCTL_STORAGE_GET_DEVICE_NUMBER_EX, 0x002D_1084),
            (IOCTL_STORAGE_GET_HOTPLUG_INFO, 0x002D_0C14),
            (IOCTL_STORAGE_READ_CAPACITY, 0x002D_5140),
            (IOCTL_STORAGE_QUERY_PROPERTY, 0x002D_1400),
            (IOCTL_STORAGE_MANAGE_DATA_SET_ATTRIBUTES, 0x002D_9404),
            (IOCTL_STORAGE_CHECK_PRIORITY_HINT_SUPPORT, 0x002D_1880),
            (IOCTL_STORAGE_EJECT_MEDIA, 0x002D_4808),
            (IOCTL_STORAGE_LOAD_MEDIA, 0x002D_480C),
            (IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, 0x0056_0000),
            (IOCTL_VOLUME_ONLINE, 0x0056_C008),
            (IOCTL_VOLUME_OFFLINE, 0x0056_C00C),
            (IOCTL_VOLUME_IS_OFFLINE, 0x0056_0010),
            (IOCTL_VOLUME_POST_ONLINE, 0x0056_C064),
            (IOCTL_VOLUME_IS_DYNAMIC, 0x0056_0048),
            (IOCTL_VOLUME_GET_GPT_ATTRIBUTES, 0x0056_0038),
            (IOCTL_VOLUME_IS_CLUSTERED, 0x0056_0030),
            (IOCTL_VOLUME_QUERY_ALLOCATION_HINT, 0x0056_4052),
            (FT_BALANCED_READ_MODE, 0x0066_001B),
            (FSCTL_LOCK_VOLUME, 0x0009_0018),
            (FSCTL_UNLOCK_VOLUME, 0x0009_001C),
            (FSCTL_DISMOUNT_VOLUME, 0x0009_0020),
        ];
        for &(ours, expected) in table {
            assert_eq!(ours, expected, "{:?}", Ioctl::decode(ours));
        }
        assert_eq!(table.len(), Ioctl::ALL.len());
    }

    #[test]
    fn decode_is_the_inverse_of_code_and_codes_are_distinct() {
        for (i, ioctl) in Ioctl::ALL.iter().enumerate() {
            assert_eq!(Ioctl::decode(ioctl.code()), *ioctl);
            for other in Ioctl::ALL.iter().skip(i + 1) {
                assert_ne!(ioctl.code(), other.code());
            }
        }
        assert_eq!(Ioctl::decode(0x1234_5678).code(), 0x1234_5678);
    }
}
