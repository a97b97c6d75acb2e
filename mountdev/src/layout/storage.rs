//! Structures of `ntddstor.h` / `winioctl.h` (and the two of `ntddvol.h` a volume meets) that a
//! virtual disk exchanges for the `IOCTL_STORAGE_*` and `IOCTL_VOLUME_*` requests: device number,
//! hotplug information, read capacity, the property query and its descriptors, media types, and
//! the volume's disk extents and GPT attributes (`protocol.md` §3.5, §5.2, §5.3).
//!
//! As in the disk layouts: align-1 little-endian fields, C padding written out as `reserved*`
//! fields, sizes equal to the C `sizeof` (one element kept for C's `[1]` arrays, with
//! `HEADER_SIZE` giving the array's offset).

use zerocopy::byteorder::little_endian::{I64, U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::disk::assert_layout;

/// `FILE_DEVICE_DISK`: the device type of a disk, reported in `STORAGE_DEVICE_NUMBER`.
pub const FILE_DEVICE_DISK: u32 = 0x07;
/// `GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER`: the mount manager does not give the volume an
/// automatic drive letter (`protocol.md` §4.2, §9 item 3).
pub const GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER: u64 = 0x8000_0000_0000_0000;
/// `GPT_BASIC_DATA_ATTRIBUTE_HIDDEN`.
pub const GPT_BASIC_DATA_ATTRIBUTE_HIDDEN: u64 = 0x4000_0000_0000_0000;
/// `GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY`.
pub const GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY: u64 = 0x2000_0000_0000_0000;
/// `GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY`.
pub const GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY: u64 = 0x1000_0000_0000_0000;

/// `STORAGE_DEVICE_NUMBER`: the output of `IOCTL_STORAGE_GET_DEVICE_NUMBER`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_DEVICE_NUMBER")]
pub struct StorageDeviceNumber {
    /// `DeviceType` (`DEVICE_TYPE`, e.g. [`FILE_DEVICE_DISK`]).
    pub device_type: U32,
    /// `DeviceNumber`: the `N` of `\\.\PhysicalDriveN` on a real disk.
    pub device_number: U32,
    /// `PartitionNumber` (1-based; 0 for a whole disk).
    pub partition_number: U32,
}
assert_layout!(StorageDeviceNumber, size 12, device_type @ 0, device_number @ 4, partition_number @ 8);

impl StorageDeviceNumber {
    /// C `sizeof(STORAGE_DEVICE_NUMBER)`.
    pub const C_SIZEOF: usize = 12;
}

/// `STORAGE_HOTPLUG_INFO`: the output of `IOCTL_STORAGE_GET_HOTPLUG_INFO`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_HOTPLUG_INFO")]
pub struct StorageHotplugInfo {
    /// `Size`: 8.
    pub size: U32,
    /// `MediaRemovable` (`BOOLEAN`).
    pub media_removable: u8,
    /// `MediaHotplug` (`BOOLEAN`).
    pub media_hotplug: u8,
    /// `DeviceHotplug` (`BOOLEAN`).
    pub device_hotplug: u8,
    /// `WriteCacheEnableOverride` (`BOOLEAN`).
    pub write_cache_enable_override: u8,
}
assert_layout!(StorageHotplugInfo, size 8, size @ 0, media_removable @ 4, media_hotplug @ 5, device_hotplug @ 6,
    write_cache_enable_override @ 7);

impl StorageHotplugInfo {
    /// C `sizeof(STORAGE_HOTPLUG_INFO)`.
    pub const C_SIZEOF: usize = 8;
}

/// `STORAGE_READ_CAPACITY`: the output of `IOCTL_STORAGE_READ_CAPACITY`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_READ_CAPACITY")]
pub struct StorageReadCapacity {
    /// `Version`: 32.
    pub version: U32,
    /// `Size`: 32.
    pub size: U32,
    /// `BlockLength`: the logical sector size.
    pub block_length: U32,
    /// C padding before the 8-aligned `NumberOfBlocks`; written as 0.
    pub reserved: [u8; 4],
    /// `NumberOfBlocks` (`LARGE_INTEGER`).
    pub number_of_blocks: I64,
    /// `DiskLength` in bytes (`LARGE_INTEGER`).
    pub disk_length: I64,
}
assert_layout!(StorageReadCapacity, size 32, version @ 0, size @ 4, block_length @ 8, number_of_blocks @ 16,
    disk_length @ 24);

impl StorageReadCapacity {
    /// C `sizeof(STORAGE_READ_CAPACITY)`.
    pub const C_SIZEOF: usize = 32;
}

/// `STORAGE_PROPERTY_QUERY`: the input of `IOCTL_STORAGE_QUERY_PROPERTY`.
///
/// ```
/// use mountdev::layout::StoragePropertyQuery;
/// use zerocopy::IntoBytes;
/// let q = StoragePropertyQuery::new(StoragePropertyQuery::STORAGE_DEVICE_PROPERTY,
///     StoragePropertyQuery::PROPERTY_STANDARD_QUERY);
/// assert_eq!(q.as_bytes(), &[0u8; 12]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_PROPERTY_QUERY")]
pub struct StoragePropertyQuery {
    /// `PropertyId` (a `STORAGE_PROPERTY_ID`).
    pub property_id: U32,
    /// `QueryType` (a `STORAGE_QUERY_TYPE`).
    pub query_type: U32,
    /// `AdditionalParameters[1]`.
    pub additional_parameters: [u8; 1],
    /// C tail padding.
    pub reserved: [u8; 3],
}
assert_layout!(StoragePropertyQuery, size 12, property_id @ 0, query_type @ 4, additional_parameters @ 8);

impl StoragePropertyQuery {
    /// `FIELD_OFFSET(STORAGE_PROPERTY_QUERY, AdditionalParameters)`.
    pub const HEADER_SIZE: usize = 8;
    /// C `sizeof(STORAGE_PROPERTY_QUERY)`: the input length the class driver requires.
    pub const C_SIZEOF: usize = 12;

    /// `StorageDeviceProperty`: [`StorageDeviceDescriptor`].
    #[doc(alias = "StorageDeviceProperty")]
    pub const STORAGE_DEVICE_PROPERTY: u32 = 0;
    /// `StorageAdapterProperty`: [`StorageAdapterDescriptor`].
    #[doc(alias = "StorageAdapterProperty")]
    pub const STORAGE_ADAPTER_PROPERTY: u32 = 1;
    /// `StorageDeviceIdProperty`.
    #[doc(alias = "StorageDeviceIdProperty")]
    pub const STORAGE_DEVICE_ID_PROPERTY: u32 = 2;
    /// `StorageDeviceUniqueIdProperty`.
    #[doc(alias = "StorageDeviceUniqueIdProperty")]
    pub const STORAGE_DEVICE_UNIQUE_ID_PROPERTY: u32 = 3;
    /// `StorageDeviceWriteCacheProperty`.
    #[doc(alias = "StorageDeviceWriteCacheProperty")]
    pub const STORAGE_DEVICE_WRITE_CACHE_PROPERTY: u32 = 4;
    /// `StorageAccessAlignmentProperty`: [`StorageAccessAlignmentDescriptor`].
    #[doc(alias = "StorageAccessAlignmentProperty")]
    pub const STORAGE_ACCESS_ALIGNMENT_PROPERTY: u32 = 6;
    /// `StorageDeviceSeekPenaltyProperty`: [`DeviceSeekPenaltyDescriptor`].
    #[doc(alias = "StorageDeviceSeekPenaltyProperty")]
    pub const STORAGE_DEVICE_SEEK_PENALTY_PROPERTY: u32 = 7;
    /// `StorageDeviceTrimProperty`: [`DeviceTrimDescriptor`].
    #[doc(alias = "StorageDeviceTrimProperty")]
    pub const STORAGE_DEVICE_TRIM_PROPERTY: u32 = 8;
    /// `StorageDeviceLBProvisioningProperty`.
    #[doc(alias = "StorageDeviceLBProvisioningProperty")]
    pub const STORAGE_DEVICE_LB_PROVISIONING_PROPERTY: u32 = 11;
    /// `StorageDeviceMediumProductType`.
    #[doc(alias = "StorageDeviceMediumProductType")]
    pub const STORAGE_DEVICE_MEDIUM_PRODUCT_TYPE: u32 = 15;

    /// `PropertyStandardQuery`: return the descriptor.
    #[doc(alias = "PropertyStandardQuery")]
    pub const PROPERTY_STANDARD_QUERY: u32 = 0;
    /// `PropertyExistsQuery`: only say whether the property is supported.
    #[doc(alias = "PropertyExistsQuery")]
    pub const PROPERTY_EXISTS_QUERY: u32 = 1;
    /// `PropertyMaskQuery`: which fields could be written (not supported by this crate).
    #[doc(alias = "PropertyMaskQuery")]
    pub const PROPERTY_MASK_QUERY: u32 = 2;

    /// A query with no additional parameters.
    pub fn new(property_id: u32, query_type: u32) -> Self {
        Self {
            property_id: U32::new(property_id),
            query_type: U32::new(query_type),
            ..Self::default()
        }
    }
}

/// `STORAGE_DESCRIPTOR_HEADER`: the first 8 bytes of every property descriptor, and the whole
/// reply to the header probe (`protocol.md` §3.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_DESCRIPTOR_HEADER")]
pub struct StorageDescriptorHeader {
    /// `Version`: `sizeof` of the descriptor structure.
    pub version: U32,
    /// `Size`: the bytes of the complete descriptor, including trailing data such as strings.
    pub size: U32,
}
assert_layout!(StorageDescriptorHeader, size 8, version @ 0, size @ 4);

impl StorageDescriptorHeader {
    /// C `sizeof(STORAGE_DESCRIPTOR_HEADER)`.
    pub const C_SIZEOF: usize = 8;
}

/// `STORAGE_DEVICE_DESCRIPTOR`: the `StorageDeviceProperty` descriptor. Vendor, product, revision
/// and serial strings are NUL-terminated ASCII appended after the fixed part, found through their
/// offsets (0 = absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_DEVICE_DESCRIPTOR")]
pub struct StorageDeviceDescriptor {
    /// `Version`: 40.
    pub version: U32,
    /// `Size`: 40 + the appended bytes.
    pub size: U32,
    /// `DeviceType`: the SCSI peripheral device type (0 = direct-access block device).
    pub device_type: u8,
    /// `DeviceTypeModifier`.
    pub device_type_modifier: u8,
    /// `RemovableMedia` (`BOOLEAN`).
    pub removable_media: u8,
    /// `CommandQueueing` (`BOOLEAN`).
    pub command_queueing: u8,
    /// `VendorIdOffset` from the start of the descriptor.
    pub vendor_id_offset: U32,
    /// `ProductIdOffset`.
    pub product_id_offset: U32,
    /// `ProductRevisionOffset`.
    pub product_revision_offset: U32,
    /// `SerialNumberOffset`.
    pub serial_number_offset: U32,
    /// `BusType` (a `STORAGE_BUS_TYPE`).
    pub bus_type: U32,
    /// `RawPropertiesLength`.
    pub raw_properties_length: U32,
    /// `RawDeviceProperties[1]`.
    pub raw_device_properties: [u8; 1],
    /// C tail padding.
    pub reserved: [u8; 3],
}
assert_layout!(StorageDeviceDescriptor, size 40, version @ 0, size @ 4, device_type @ 8, device_type_modifier @ 9,
    removable_media @ 10, command_queueing @ 11, vendor_id_offset @ 12, product_id_offset @ 16,
    product_revision_offset @ 20, serial_number_offset @ 24, bus_type @ 28, raw_properties_length @ 32,
    raw_device_properties @ 36);

impl StorageDeviceDescriptor {
    /// `FIELD_OFFSET(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties)`.
    pub const HEADER_SIZE: usize = 36;
    /// C `sizeof(STORAGE_DEVICE_DESCRIPTOR)`: the `Version` a device descriptor reports.
    pub const C_SIZEOF: usize = 40;
}

/// `STORAGE_ADAPTER_DESCRIPTOR`: the `StorageAdapterProperty` descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_ADAPTER_DESCRIPTOR")]
pub struct StorageAdapterDescriptor {
    /// `Version`: 32.
    pub version: U32,
    /// `Size`: 32.
    pub size: U32,
    /// `MaximumTransferLength` in bytes.
    pub maximum_transfer_length: U32,
    /// `MaximumPhysicalPages`.
    pub maximum_physical_pages: U32,
    /// `AlignmentMask` for data buffers.
    pub alignment_mask: U32,
    /// `AdapterUsesPio` (`BOOLEAN`).
    pub adapter_uses_pio: u8,
    /// `AdapterScansDown` (`BOOLEAN`).
    pub adapter_scans_down: u8,
    /// `CommandQueueing` (`BOOLEAN`).
    pub command_queueing: u8,
    /// `AcceleratedTransfer` (`BOOLEAN`).
    pub accelerated_transfer: u8,
    /// `BusType` (a `STORAGE_BUS_TYPE` in one byte).
    pub bus_type: u8,
    /// C padding before `BusMajorVersion`; written as 0.
    pub reserved: u8,
    /// `BusMajorVersion`.
    pub bus_major_version: U16,
    /// `BusMinorVersion`.
    pub bus_minor_version: U16,
    /// `SrbType` (Windows 8 and later headers; tail padding before).
    pub srb_type: u8,
    /// `AddressType` (Windows 8 and later headers).
    pub address_type: u8,
}
assert_layout!(StorageAdapterDescriptor, size 32, maximum_transfer_length @ 8, maximum_physical_pages @ 12,
    alignment_mask @ 16, adapter_uses_pio @ 20, adapter_scans_down @ 21, command_queueing @ 22,
    accelerated_transfer @ 23, bus_type @ 24, bus_major_version @ 26, bus_minor_version @ 28, srb_type @ 30,
    address_type @ 31);

impl StorageAdapterDescriptor {
    /// C `sizeof(STORAGE_ADAPTER_DESCRIPTOR)`.
    pub const C_SIZEOF: usize = 32;
}

/// `STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR`: the `StorageAccessAlignmentProperty` descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR")]
pub struct StorageAccessAlignmentDescriptor {
    /// `Version`: 28.
    pub version: U32,
    /// `Size`: 28.
    pub size: U32,
    /// `BytesPerCacheLine`.
    pub bytes_per_cache_line: U32,
    /// `BytesOffsetForCacheAlignment`.
    pub bytes_offset_for_cache_alignment: U32,
    /// `BytesPerLogicalSector`.
    pub bytes_per_logical_sector: U32,
    /// `BytesPerPhysicalSector`.
    pub bytes_per_physical_sector: U32,
    /// `BytesOffsetForSectorAlignment`.
    pub bytes_offset_for_sector_alignment: U32,
}
assert_layout!(StorageAccessAlignmentDescriptor, size 28, bytes_per_cache_line @ 8,
    bytes_offset_for_cache_alignment @ 12, bytes_per_logical_sector @ 16, bytes_per_physical_sector @ 20,
    bytes_offset_for_sector_alignment @ 24);

impl StorageAccessAlignmentDescriptor {
    /// C `sizeof(STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR)`.
    pub const C_SIZEOF: usize = 28;
}

/// `DEVICE_SEEK_PENALTY_DESCRIPTOR`: the `StorageDeviceSeekPenaltyProperty` descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DEVICE_SEEK_PENALTY_DESCRIPTOR")]
pub struct DeviceSeekPenaltyDescriptor {
    /// `Version`: 12.
    pub version: U32,
    /// `Size`: 12.
    pub size: U32,
    /// `IncursSeekPenalty` (`BOOLEAN`).
    pub incurs_seek_penalty: u8,
    /// C tail padding.
    pub reserved: [u8; 3],
}
assert_layout!(DeviceSeekPenaltyDescriptor, size 12, incurs_seek_penalty @ 8);

impl DeviceSeekPenaltyDescriptor {
    /// C `sizeof(DEVICE_SEEK_PENALTY_DESCRIPTOR)`.
    pub const C_SIZEOF: usize = 12;
}

/// `DEVICE_TRIM_DESCRIPTOR`: the `StorageDeviceTrimProperty` descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DEVICE_TRIM_DESCRIPTOR")]
pub struct DeviceTrimDescriptor {
    /// `Version`: 12.
    pub version: U32,
    /// `Size`: 12.
    pub size: U32,
    /// `TrimEnabled` (`BOOLEAN`).
    pub trim_enabled: u8,
    /// C tail padding.
    pub reserved: [u8; 3],
}
assert_layout!(DeviceTrimDescriptor, size 12, trim_enabled @ 8);

impl DeviceTrimDescriptor {
    /// C `sizeof(DEVICE_TRIM_DESCRIPTOR)`.
    pub const C_SIZEOF: usize = 12;
}

/// `PREVENT_MEDIA_REMOVAL`: the input of `IOCTL_DISK_MEDIA_REMOVAL` and
/// `IOCTL_STORAGE_MEDIA_REMOVAL`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "PREVENT_MEDIA_REMOVAL")]
pub struct PreventMediaRemoval {
    /// `PreventMediaRemoval` (`BOOLEAN`).
    pub prevent_media_removal: u8,
}
assert_layout!(PreventMediaRemoval, size 1, prevent_media_removal @ 0);

impl PreventMediaRemoval {
    /// C `sizeof(PREVENT_MEDIA_REMOVAL)`.
    pub const C_SIZEOF: usize = 1;
}

/// `DEVICE_MEDIA_INFO` read through its `DiskInfo` arm (the `RemovableDiskInfo` arm has the same
/// layout; the smaller `TapeInfo` arm overlays the start).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DEVICE_MEDIA_INFO")]
pub struct DeviceMediaInfo {
    /// `DiskInfo.Cylinders`.
    pub cylinders: I64,
    /// `DiskInfo.MediaType` (a `STORAGE_MEDIA_TYPE`).
    pub media_type: U32,
    /// `DiskInfo.TracksPerCylinder`.
    pub tracks_per_cylinder: U32,
    /// `DiskInfo.SectorsPerTrack`.
    pub sectors_per_track: U32,
    /// `DiskInfo.BytesPerSector`.
    pub bytes_per_sector: U32,
    /// `DiskInfo.NumberMediaSides`.
    pub number_media_sides: U32,
    /// `DiskInfo.MediaCharacteristics` (`MEDIA_*` flags).
    pub media_characteristics: U32,
}
assert_layout!(DeviceMediaInfo, size 32, cylinders @ 0, media_type @ 8, tracks_per_cylinder @ 12,
    sectors_per_track @ 16, bytes_per_sector @ 20, number_media_sides @ 24, media_characteristics @ 28);

impl DeviceMediaInfo {
    /// C `sizeof(DEVICE_MEDIA_INFO)`.
    pub const C_SIZEOF: usize = 32;
}

/// `GET_MEDIA_TYPES` with one entry: the output of `IOCTL_STORAGE_GET_MEDIA_TYPES_EX` (which
/// this crate's storage handler rejects; the layout is here for clients).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "GET_MEDIA_TYPES")]
pub struct GetMediaTypes {
    /// `DeviceType`.
    pub device_type: U32,
    /// `MediaInfoCount`.
    pub media_info_count: U32,
    /// `MediaInfo[1]`.
    pub media_info: [DeviceMediaInfo; 1],
}
assert_layout!(GetMediaTypes, size 40, device_type @ 0, media_info_count @ 4, media_info @ 8);

impl GetMediaTypes {
    /// `FIELD_OFFSET(GET_MEDIA_TYPES, MediaInfo)`.
    pub const HEADER_SIZE: usize = 8;
    /// C `sizeof(GET_MEDIA_TYPES)`.
    pub const C_SIZEOF: usize = 40;
}

/// `DISK_EXTENT`: one piece of a volume on a physical disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "DISK_EXTENT")]
pub struct DiskExtent {
    /// `DiskNumber`.
    pub disk_number: U32,
    /// C padding before the 8-aligned `StartingOffset`.
    pub reserved: [u8; 4],
    /// `StartingOffset` on the disk, in bytes.
    pub starting_offset: I64,
    /// `ExtentLength` in bytes.
    pub extent_length: I64,
}
assert_layout!(DiskExtent, size 24, disk_number @ 0, starting_offset @ 8, extent_length @ 16);

impl DiskExtent {
    /// C `sizeof(DISK_EXTENT)`.
    pub const C_SIZEOF: usize = 24;
}

/// `VOLUME_DISK_EXTENTS` with one extent: the output of `IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS`
/// (8 + 24·n bytes in general; C's `sizeof` counts one extent). This crate's storage handler
/// rejects that request (a virtual volume lies on no physical disk); the layout is for clients.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "VOLUME_DISK_EXTENTS")]
pub struct VolumeDiskExtents {
    /// `NumberOfDiskExtents`.
    pub number_of_disk_extents: U32,
    /// C padding before the 8-aligned `Extents`.
    pub reserved: [u8; 4],
    /// `Extents[1]`.
    pub extents: [DiskExtent; 1],
}
assert_layout!(VolumeDiskExtents, size 32, number_of_disk_extents @ 0, extents @ 8);

impl VolumeDiskExtents {
    /// `FIELD_OFFSET(VOLUME_DISK_EXTENTS, Extents)`.
    pub const HEADER_SIZE: usize = 8;
    /// C `sizeof(VOLUME_DISK_EXTENTS)`.
    pub const C_SIZEOF: usize = 32;
}

/// `VOLUME_GET_GPT_ATTRIBUTES_INFORMATION`: the output of `IOCTL_VOLUME_GET_GPT_ATTRIBUTES`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
#[doc(alias = "VOLUME_GET_GPT_ATTRIBUTES_INFORMATION")]
pub struct VolumeGetGptAttributesInformation {
    /// `GptAttributes` (e.g. [`GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER`]).
    pub gpt_attributes: U64,
}
assert_layout!(VolumeGetGptAttributesInformation, size 8, gpt_attributes @ 0);

impl VolumeGetGptAttributesInformation {
    /// C `sizeof(VOLUME_GET_GPT_ATTRIBUTES_INFORMATION)`.
    pub const C_SIZEOF: usize = 8;
}
