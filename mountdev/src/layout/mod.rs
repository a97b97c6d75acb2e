//! Wire layouts: every structure of `protocol.md` §2 (and the disk and storage ones of §5), as
//! zerocopy types with align-1 little-endian fields, padding written out, trailing names as
//! slices.
//!
//! Each variable-length structure exports two sizes: `HEADER_SIZE`, the offset of its trailing
//! array, and `C_SIZEOF`, what C's `sizeof` gives (it counts the `[1]` element and tail padding).
//! Replies use `C_SIZEOF` as the smallest acceptable output buffer; success lengths are
//! `HEADER_SIZE + payload`. Parsing a variable-length structure reads its length field first and
//! checks it against the buffer, never the other way round (zerocopy's DST prefix views are
//! greedy).
//!
//! Every layout is declared once with the crate's `wire!` macro (`layout/wire.rs`): the declaration
//! states the C type, each field's offset and C member, and yields the struct, `C_SIZEOF`,
//! `HEADER_SIZE`, compile-time offset assertions and [`CLayout`], which
//! `ci/layout/check.py` compares with mingw-w64's headers.

mod disk;
mod error;
mod mountdev;
mod mountmgr;
mod storage;
pub(crate) mod wire;

pub use disk::{
    DiskGeometry, DiskGeometryEx, DiskPartitionInfo, DriveLayoutInformation, DriveLayoutInformationEx,
    DriveLayoutInformationGpt, DriveLayoutInformationMbr, GetLengthInformation, MEDIA_TYPE_FIXED, MEDIA_TYPE_REMOVABLE,
    PARTITION_IFS, PARTITION_STYLE_GPT, PARTITION_STYLE_MBR, PARTITION_STYLE_RAW, PartitionInformation,
    PartitionInformationEx, PartitionInformationGpt, PartitionInformationMbr, VerifyInformation,
};
pub use error::{LayoutError, bytes_at, name_at};
pub use mountdev::{
    MountdevName, MountdevNameHeader, MountdevStableGuid, MountdevSuggestedLinkName, MountdevSuggestedLinkNameHeader,
    MountdevUniqueId, MountdevUniqueIdHeader, UniqueIdChangeNotifyOutput,
};
pub use mountmgr::{
    AutoMount, ChangeNotifyInfo, CreatePointInput, DriveLetterInformation, MountPoint, MountPointsHeader, TargetName,
    TargetNameHeader, VolumeMountPoint, VolumePathsHeader,
};
pub use storage::{
    DeviceMediaInfo, DeviceSeekPenaltyDescriptor, DeviceTrimDescriptor, DiskExtent, FILE_DEVICE_DISK,
    GPT_BASIC_DATA_ATTRIBUTE_HIDDEN, GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER, GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY,
    GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY, GetMediaTypes, PreventMediaRemoval, StorageAccessAlignmentDescriptor,
    StorageAdapterDescriptor, StorageDescriptorHeader, StorageDeviceDescriptor, StorageDeviceNumber,
    StorageHotplugInfo, StoragePropertyQuery, StorageReadCapacity, VolumeDiskExtents,
    VolumeGetGptAttributesInformation,
};
pub use wire::{CField, CLayout};

/// Every wire layout's [`CLayout`]: what `ci/layout/check.py` compares with mingw-w64's headers.
///
/// ```
/// assert!(mountdev::layout::ALL.iter().any(|l| l.c_types.contains(&"DISK_GEOMETRY")));
/// ```
pub const ALL: &[CLayout] = &[
    crate::name::GuidWire::C_LAYOUT,
    MountdevName::C_LAYOUT,
    MountdevUniqueId::C_LAYOUT,
    MountdevSuggestedLinkName::C_LAYOUT,
    UniqueIdChangeNotifyOutput::C_LAYOUT,
    MountdevStableGuid::C_LAYOUT,
    TargetName::C_LAYOUT,
    CreatePointInput::C_LAYOUT,
    MountPoint::C_LAYOUT,
    MountPointsHeader::C_LAYOUT,
    DriveLetterInformation::C_LAYOUT,
    VolumeMountPoint::C_LAYOUT,
    ChangeNotifyInfo::C_LAYOUT,
    AutoMount::C_LAYOUT,
    VolumePathsHeader::C_LAYOUT,
    DiskGeometry::C_LAYOUT,
    DiskGeometryEx::C_LAYOUT,
    DiskPartitionInfo::C_LAYOUT,
    PartitionInformation::C_LAYOUT,
    PartitionInformationMbr::C_LAYOUT,
    PartitionInformationGpt::C_LAYOUT,
    PartitionInformationEx::C_LAYOUT,
    DriveLayoutInformation::C_LAYOUT,
    DriveLayoutInformationMbr::C_LAYOUT,
    DriveLayoutInformationGpt::C_LAYOUT,
    DriveLayoutInformationEx::C_LAYOUT,
    GetLengthInformation::C_LAYOUT,
    VerifyInformation::C_LAYOUT,
    StorageDeviceNumber::C_LAYOUT,
    StorageHotplugInfo::C_LAYOUT,
    StorageReadCapacity::C_LAYOUT,
    StoragePropertyQuery::C_LAYOUT,
    StorageDescriptorHeader::C_LAYOUT,
    StorageDeviceDescriptor::C_LAYOUT,
    StorageAdapterDescriptor::C_LAYOUT,
    StorageAccessAlignmentDescriptor::C_LAYOUT,
    DeviceSeekPenaltyDescriptor::C_LAYOUT,
    DeviceTrimDescriptor::C_LAYOUT,
    PreventMediaRemoval::C_LAYOUT,
    DeviceMediaInfo::C_LAYOUT,
    GetMediaTypes::C_LAYOUT,
    DiskExtent::C_LAYOUT,
    VolumeDiskExtents::C_LAYOUT,
    VolumeGetGptAttributesInformation::C_LAYOUT,
];
