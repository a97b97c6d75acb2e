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

mod disk;
mod error;
mod mountdev;
mod mountmgr;
mod storage;

pub use disk::{
    DiskGeometry, DiskGeometryEx, DiskPartitionInfo, DriveLayoutInformation, DriveLayoutInformationEx,
    DriveLayoutInformationGpt, DriveLayoutInformationMbr, GetLengthInformation, MEDIA_TYPE_FIXED, MEDIA_TYPE_REMOVABLE,
    PARTITION_IFS, PARTITION_STYLE_GPT, PARTITION_STYLE_MBR, PARTITION_STYLE_RAW, PartitionInformation,
    PartitionInformationEx, PartitionInformationGpt, PartitionInformationMbr, VerifyInformation,
};
pub use error::{LayoutError, bytes_at, name_at};
pub use mountdev::{
    MountdevName, MountdevStableGuid, MountdevSuggestedLinkName, MountdevUniqueId, UniqueIdChangeNotifyOutput,
};
pub use mountmgr::{
    AutoMount, ChangeNotifyInfo, CreatePointInput, DriveLetterInformation, MountPoint, MountPointsHeader, TargetName,
    VolumeMountPoint, VolumePathsHeader,
};
pub use storage::{
    DeviceMediaInfo, DeviceSeekPenaltyDescriptor, DeviceTrimDescriptor, DiskExtent, FILE_DEVICE_DISK,
    GPT_BASIC_DATA_ATTRIBUTE_HIDDEN, GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER, GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY,
    GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY, GetMediaTypes, PreventMediaRemoval, StorageAccessAlignmentDescriptor,
    StorageAdapterDescriptor, StorageDescriptorHeader, StorageDeviceDescriptor, StorageDeviceNumber,
    StorageHotplugInfo, StoragePropertyQuery, StorageReadCapacity, VolumeDiskExtents,
    VolumeGetGptAttributesInformation,
};
