//! Structures of `ntddstor.h` / `winioctl.h` (and the two of `ntddvol.h` a volume meets) that a
//! virtual disk exchanges for the `IOCTL_STORAGE_*` and `IOCTL_VOLUME_*` requests: device number,
//! hotplug information, read capacity, the property query and its descriptors, media types, and
//! the volume's disk extents and GPT attributes (`protocol.md` §3.5, §5.2, §5.3).
//!
//! As in the disk layouts: align-1 little-endian fields, C padding written out as `reserved*`
//! fields, sizes equal to the C `sizeof` (one element kept for C's `[1]` arrays, with
//! `HEADER_SIZE` giving the array's offset).

use super::wire::wire;
use zerocopy::byteorder::little_endian::{I64, U16, U32, U64};

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

wire! {
    /// `STORAGE_DEVICE_NUMBER`: the output of `IOCTL_STORAGE_GET_DEVICE_NUMBER`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageDeviceNumber: "STORAGE_DEVICE_NUMBER" {
        /// `DeviceType` (`DEVICE_TYPE`, e.g. [`FILE_DEVICE_DISK`]).
        pub device_type: U32 = 0, "DeviceType";
        /// `DeviceNumber`: the `N` of `\\.\PhysicalDriveN` on a real disk.
        pub device_number: U32 = 4, "DeviceNumber";
        /// `PartitionNumber` (1-based; 0 for a whole disk).
        pub partition_number: U32 = 8, "PartitionNumber";
    }
}

wire! {
    /// `STORAGE_HOTPLUG_INFO`: the output of `IOCTL_STORAGE_GET_HOTPLUG_INFO`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageHotplugInfo: "STORAGE_HOTPLUG_INFO" {
        /// `Size`: 8.
        pub size: U32 = 0, "Size";
        /// `MediaRemovable` (`BOOLEAN`).
        pub media_removable: u8 = 4, "MediaRemovable";
        /// `MediaHotplug` (`BOOLEAN`).
        pub media_hotplug: u8 = 5, "MediaHotplug";
        /// `DeviceHotplug` (`BOOLEAN`).
        pub device_hotplug: u8 = 6, "DeviceHotplug";
        /// `WriteCacheEnableOverride` (`BOOLEAN`).
        pub write_cache_enable_override: u8 = 7, "WriteCacheEnableOverride";
    }
}

wire! {
    /// `STORAGE_READ_CAPACITY`: the output of `IOCTL_STORAGE_READ_CAPACITY`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageReadCapacity: "STORAGE_READ_CAPACITY" {
        /// `Version`: 32.
        pub version: U32 = 0, "Version";
        /// `Size`: 32.
        pub size: U32 = 4, "Size";
        /// `BlockLength`: the logical sector size.
        pub block_length: U32 = 8, "BlockLength";
        /// C padding before the 8-aligned `NumberOfBlocks`; written as 0.
        pub reserved: [u8; 4] = 12;
        /// `NumberOfBlocks` (`LARGE_INTEGER`).
        pub number_of_blocks: I64 = 16, "NumberOfBlocks";
        /// `DiskLength` in bytes (`LARGE_INTEGER`).
        pub disk_length: I64 = 24, "DiskLength";
    }
}

wire! {
    /// `STORAGE_PROPERTY_QUERY`: the input of `IOCTL_STORAGE_QUERY_PROPERTY`.
    ///
    /// ```
    /// use mountdev::layout::StoragePropertyQuery;
    /// use zerocopy::IntoBytes;
    /// let q = StoragePropertyQuery::new(StoragePropertyQuery::STORAGE_DEVICE_PROPERTY,
    ///     StoragePropertyQuery::PROPERTY_STANDARD_QUERY);
    /// assert_eq!(q.as_bytes(), &[0u8; 12]);
    /// ```
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StoragePropertyQuery: "STORAGE_PROPERTY_QUERY" {
        /// `PropertyId` (a `STORAGE_PROPERTY_ID`).
        pub property_id: U32 = 0, "PropertyId";
        /// `QueryType` (a `STORAGE_QUERY_TYPE`).
        pub query_type: U32 = 4, "QueryType";
    }
    tail {
        /// `AdditionalParameters[1]`.
        pub additional_parameters: [u8; 1] = 8, "AdditionalParameters";
        /// C tail padding.
        pub reserved: [u8; 3] = 9;
    }
}

impl StoragePropertyQuery {
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

wire! {
    /// `STORAGE_DESCRIPTOR_HEADER`: the first 8 bytes of every property descriptor, and the whole
    /// reply to the header probe (`protocol.md` §3.5).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageDescriptorHeader: "STORAGE_DESCRIPTOR_HEADER" {
        /// `Version`: `sizeof` of the descriptor structure.
        pub version: U32 = 0, "Version";
        /// `Size`: the bytes of the complete descriptor, including trailing data such as strings.
        pub size: U32 = 4, "Size";
    }
}

wire! {
    /// `STORAGE_DEVICE_DESCRIPTOR`: the `StorageDeviceProperty` descriptor. Vendor, product, revision
    /// and serial strings are NUL-terminated ASCII appended after the fixed part, found through their
    /// offsets (0 = absent).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageDeviceDescriptor: "STORAGE_DEVICE_DESCRIPTOR" {
        /// `Version`: 40.
        pub version: U32 = 0, "Version";
        /// `Size`: 40 + the appended bytes.
        pub size: U32 = 4, "Size";
        /// `DeviceType`: the SCSI peripheral device type (0 = direct-access block device).
        pub device_type: u8 = 8, "DeviceType";
        /// `DeviceTypeModifier`.
        pub device_type_modifier: u8 = 9, "DeviceTypeModifier";
        /// `RemovableMedia` (`BOOLEAN`).
        pub removable_media: u8 = 10, "RemovableMedia";
        /// `CommandQueueing` (`BOOLEAN`).
        pub command_queueing: u8 = 11, "CommandQueueing";
        /// `VendorIdOffset` from the start of the descriptor.
        pub vendor_id_offset: U32 = 12, "VendorIdOffset";
        /// `ProductIdOffset`.
        pub product_id_offset: U32 = 16, "ProductIdOffset";
        /// `ProductRevisionOffset`.
        pub product_revision_offset: U32 = 20, "ProductRevisionOffset";
        /// `SerialNumberOffset`.
        pub serial_number_offset: U32 = 24, "SerialNumberOffset";
        /// `BusType` (a `STORAGE_BUS_TYPE`).
        pub bus_type: U32 = 28, "BusType";
        /// `RawPropertiesLength`.
        pub raw_properties_length: U32 = 32, "RawPropertiesLength";
    }
    tail {
        /// `RawDeviceProperties[1]`.
        pub raw_device_properties: [u8; 1] = 36, "RawDeviceProperties";
        /// C tail padding.
        pub reserved: [u8; 3] = 37;
    }
}

wire! {
    /// `STORAGE_ADAPTER_DESCRIPTOR`: the `StorageAdapterProperty` descriptor.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageAdapterDescriptor: "STORAGE_ADAPTER_DESCRIPTOR" {
        /// `Version`: 32.
        pub version: U32 = 0, "Version";
        /// `Size`: 32.
        pub size: U32 = 4, "Size";
        /// `MaximumTransferLength` in bytes.
        pub maximum_transfer_length: U32 = 8, "MaximumTransferLength";
        /// `MaximumPhysicalPages`.
        pub maximum_physical_pages: U32 = 12, "MaximumPhysicalPages";
        /// `AlignmentMask` for data buffers.
        pub alignment_mask: U32 = 16, "AlignmentMask";
        /// `AdapterUsesPio` (`BOOLEAN`).
        pub adapter_uses_pio: u8 = 20, "AdapterUsesPio";
        /// `AdapterScansDown` (`BOOLEAN`).
        pub adapter_scans_down: u8 = 21, "AdapterScansDown";
        /// `CommandQueueing` (`BOOLEAN`).
        pub command_queueing: u8 = 22, "CommandQueueing";
        /// `AcceleratedTransfer` (`BOOLEAN`).
        pub accelerated_transfer: u8 = 23, "AcceleratedTransfer";
        /// `BusType` (a `STORAGE_BUS_TYPE` in one byte).
        pub bus_type: u8 = 24, "BusType";
        /// C padding before `BusMajorVersion`; written as 0.
        pub reserved: u8 = 25;
        /// `BusMajorVersion`.
        pub bus_major_version: U16 = 26, "BusMajorVersion";
        /// `BusMinorVersion`.
        pub bus_minor_version: U16 = 28, "BusMinorVersion";
        /// `SrbType` (Windows 8 and later headers; tail padding before).
        pub srb_type: u8 = 30, "SrbType";
        /// `AddressType` (Windows 8 and later headers).
        pub address_type: u8 = 31, "AddressType";
    }
}

wire! {
    /// `STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR`: the `StorageAccessAlignmentProperty` descriptor.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct StorageAccessAlignmentDescriptor: "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR" {
        /// `Version`: 28.
        pub version: U32 = 0, "Version";
        /// `Size`: 28.
        pub size: U32 = 4, "Size";
        /// `BytesPerCacheLine`.
        pub bytes_per_cache_line: U32 = 8, "BytesPerCacheLine";
        /// `BytesOffsetForCacheAlignment`.
        pub bytes_offset_for_cache_alignment: U32 = 12, "BytesOffsetForCacheAlignment";
        /// `BytesPerLogicalSector`.
        pub bytes_per_logical_sector: U32 = 16, "BytesPerLogicalSector";
        /// `BytesPerPhysicalSector`.
        pub bytes_per_physical_sector: U32 = 20, "BytesPerPhysicalSector";
        /// `BytesOffsetForSectorAlignment`.
        pub bytes_offset_for_sector_alignment: U32 = 24, "BytesOffsetForSectorAlignment";
    }
}

wire! {
    /// `DEVICE_SEEK_PENALTY_DESCRIPTOR`: the `StorageDeviceSeekPenaltyProperty` descriptor.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DeviceSeekPenaltyDescriptor: "DEVICE_SEEK_PENALTY_DESCRIPTOR" {
        /// `Version`: 12.
        pub version: U32 = 0, "Version";
        /// `Size`: 12.
        pub size: U32 = 4, "Size";
        /// `IncursSeekPenalty` (`BOOLEAN`).
        pub incurs_seek_penalty: u8 = 8, "IncursSeekPenalty";
        /// C tail padding.
        pub reserved: [u8; 3] = 9;
    }
}

wire! {
    /// `DEVICE_TRIM_DESCRIPTOR`: the `StorageDeviceTrimProperty` descriptor.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DeviceTrimDescriptor: "DEVICE_TRIM_DESCRIPTOR" {
        /// `Version`: 12.
        pub version: U32 = 0, "Version";
        /// `Size`: 12.
        pub size: U32 = 4, "Size";
        /// `TrimEnabled` (`BOOLEAN`).
        pub trim_enabled: u8 = 8, "TrimEnabled";
        /// C tail padding.
        pub reserved: [u8; 3] = 9;
    }
}

wire! {
    /// `PREVENT_MEDIA_REMOVAL`: the input of `IOCTL_DISK_MEDIA_REMOVAL` and
    /// `IOCTL_STORAGE_MEDIA_REMOVAL`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct PreventMediaRemoval: "PREVENT_MEDIA_REMOVAL" {
        /// `PreventMediaRemoval` (`BOOLEAN`).
        pub prevent_media_removal: u8 = 0, "PreventMediaRemoval";
    }
}

wire! {
    /// `DEVICE_MEDIA_INFO` read through its `DiskInfo` arm (the `RemovableDiskInfo` arm has the same
    /// layout; the smaller `TapeInfo` arm overlays the start).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DeviceMediaInfo: "DEVICE_MEDIA_INFO" {
        /// `DiskInfo.Cylinders`.
        pub cylinders: I64 = 0, "DeviceSpecific.DiskInfo.Cylinders";
        /// `DiskInfo.MediaType` (a `STORAGE_MEDIA_TYPE`).
        pub media_type: U32 = 8, "DeviceSpecific.DiskInfo.MediaType";
        /// `DiskInfo.TracksPerCylinder`.
        pub tracks_per_cylinder: U32 = 12, "DeviceSpecific.DiskInfo.TracksPerCylinder";
        /// `DiskInfo.SectorsPerTrack`.
        pub sectors_per_track: U32 = 16, "DeviceSpecific.DiskInfo.SectorsPerTrack";
        /// `DiskInfo.BytesPerSector`.
        pub bytes_per_sector: U32 = 20, "DeviceSpecific.DiskInfo.BytesPerSector";
        /// `DiskInfo.NumberMediaSides`.
        pub number_media_sides: U32 = 24, "DeviceSpecific.DiskInfo.NumberMediaSides";
        /// `DiskInfo.MediaCharacteristics` (`MEDIA_*` flags).
        pub media_characteristics: U32 = 28, "DeviceSpecific.DiskInfo.MediaCharacteristics";
    }
}

wire! {
    /// `GET_MEDIA_TYPES` with one entry: the output of `IOCTL_STORAGE_GET_MEDIA_TYPES_EX` (which
    /// this crate's storage handler rejects; the layout is here for clients).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct GetMediaTypes: "GET_MEDIA_TYPES" {
        /// `DeviceType`.
        pub device_type: U32 = 0, "DeviceType";
        /// `MediaInfoCount`.
        pub media_info_count: U32 = 4, "MediaInfoCount";
    }
    tail {
        /// `MediaInfo[1]`.
        pub media_info: [DeviceMediaInfo; 1] = 8, "MediaInfo";
    }
}

wire! {
    /// `DISK_EXTENT`: one piece of a volume on a physical disk.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct DiskExtent: "DISK_EXTENT" {
        /// `DiskNumber`.
        pub disk_number: U32 = 0, "DiskNumber";
        /// C padding before the 8-aligned `StartingOffset`.
        pub reserved: [u8; 4] = 4;
        /// `StartingOffset` on the disk, in bytes.
        pub starting_offset: I64 = 8, "StartingOffset";
        /// `ExtentLength` in bytes.
        pub extent_length: I64 = 16, "ExtentLength";
    }
}

wire! {
    /// `VOLUME_DISK_EXTENTS` with one extent: the output of `IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS`
    /// (8 + 24·n bytes in general; C's `sizeof` counts one extent). This crate's storage handler
    /// rejects that request (a virtual volume lies on no physical disk); the layout is for clients.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct VolumeDiskExtents: "VOLUME_DISK_EXTENTS" {
        /// `NumberOfDiskExtents`.
        pub number_of_disk_extents: U32 = 0, "NumberOfDiskExtents";
        /// C padding before the 8-aligned `Extents`.
        pub reserved: [u8; 4] = 4;
    }
    tail {
        /// `Extents[1]`.
        pub extents: [DiskExtent; 1] = 8, "Extents";
    }
}

wire! {
    /// `VOLUME_GET_GPT_ATTRIBUTES_INFORMATION`: the output of `IOCTL_VOLUME_GET_GPT_ATTRIBUTES`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct VolumeGetGptAttributesInformation: "VOLUME_GET_GPT_ATTRIBUTES_INFORMATION" {
        /// `GptAttributes` (e.g. [`GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER`]).
        pub gpt_attributes: U64 = 0, "GptAttributes";
    }
}
