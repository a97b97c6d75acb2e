//! Rows for the disk, storage and volume structures, constants and IOCTL codes (`layout::disk`,
//! `layout::storage`, the storage handler).
//!
//! Every C expression uses only names mingw-w64 10 declares in `windows.h`, `winioctl.h`,
//! `ntddstor.h` and `ntdddisk.h` under its default `NTDDI_VERSION` (Windows 10). Fields that
//! mingw's headers gate on newer versions or lack (`PARTITION_INFORMATION_EX.IsServicePartition`,
//! `DRIVE_LAYOUT_INFORMATION_MBR.CheckSum`) have no row; their offsets are pinned by the
//! compile-time assertions in `mountdev/src/layout/`. 64-bit constants are compared as their two
//! 32-bit halves because the check compiles every value as `unsigned int`.

use core::mem::{offset_of, size_of};

use mountdev::ioctl::{DeviceType, Ioctl};
use mountdev::layout::{
    DeviceMediaInfo, DeviceSeekPenaltyDescriptor, DeviceTrimDescriptor, DiskExtent, DiskGeometry, DiskGeometryEx,
    DiskPartitionInfo, DriveLayoutInformation, DriveLayoutInformationEx, DriveLayoutInformationGpt,
    DriveLayoutInformationMbr, FILE_DEVICE_DISK, GPT_BASIC_DATA_ATTRIBUTE_HIDDEN,
    GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER, GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY, GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY,
    GetLengthInformation, GetMediaTypes, MEDIA_TYPE_FIXED, MEDIA_TYPE_REMOVABLE, PARTITION_IFS, PARTITION_STYLE_GPT,
    PARTITION_STYLE_MBR, PARTITION_STYLE_RAW, PartitionInformation, PartitionInformationEx, PartitionInformationGpt,
    PartitionInformationMbr, PreventMediaRemoval, StorageAccessAlignmentDescriptor, StorageAdapterDescriptor,
    StorageDescriptorHeader, StorageDeviceDescriptor, StorageDeviceNumber, StorageHotplugInfo, StoragePropertyQuery,
    StorageReadCapacity, VerifyInformation, VolumeDiskExtents, VolumeGetGptAttributesInformation,
};
use mountdev::storage::BusType;

use super::Row;

/// `sizeof(C)` against the Rust type's size (the types carry C's padding and `[1]` elements).
macro_rules! size {
    ($rust:ty, $c_struct:literal) => {
        row!(
            concat!("sizeof ", $c_struct),
            concat!("sizeof(", $c_struct, ")"),
            size_of::<$rust>()
        )
    };
}

/// A constant of the headers against ours.
macro_rules! value {
    ($c_name:literal, $value:expr) => {
        row!(concat!("value ", $c_name), $c_name, $value)
    };
}

/// A 64-bit constant as its two halves.
macro_rules! value64 {
    ($c_name:literal, $value:expr) => {
        [
            row!(
                concat!("value ", $c_name, " (low)"),
                concat!("(", $c_name, ") & 0xFFFFFFFFu"),
                $value & 0xFFFF_FFFF
            ),
            row!(
                concat!("value ", $c_name, " (high)"),
                concat!("(", $c_name, ") >> 32"),
                $value >> 32
            ),
        ]
    };
}

fn structure_rows() -> Vec<Row> {
    vec![
        // ---- ntdddisk.h ----
        size!(DiskGeometry, "DISK_GEOMETRY"),
        row!(
            "C_SIZEOF DISK_GEOMETRY",
            "sizeof(DISK_GEOMETRY)",
            DiskGeometry::C_SIZEOF
        ),
        offset!(DiskGeometry, cylinders, "DISK_GEOMETRY", "Cylinders"),
        offset!(DiskGeometry, media_type, "DISK_GEOMETRY", "MediaType"),
        offset!(DiskGeometry, tracks_per_cylinder, "DISK_GEOMETRY", "TracksPerCylinder"),
        offset!(DiskGeometry, sectors_per_track, "DISK_GEOMETRY", "SectorsPerTrack"),
        offset!(DiskGeometry, bytes_per_sector, "DISK_GEOMETRY", "BytesPerSector"),
        size!(DiskGeometryEx, "DISK_GEOMETRY_EX"),
        row!(
            "C_SIZEOF DISK_GEOMETRY_EX",
            "sizeof(DISK_GEOMETRY_EX)",
            DiskGeometryEx::C_SIZEOF
        ),
        row!(
            "header DISK_GEOMETRY_EX",
            "offsetof(DISK_GEOMETRY_EX, Data)",
            DiskGeometryEx::HEADER_SIZE
        ),
        offset!(DiskGeometryEx, geometry, "DISK_GEOMETRY_EX", "Geometry"),
        offset!(DiskGeometryEx, disk_size, "DISK_GEOMETRY_EX", "DiskSize"),
        offset!(DiskGeometryEx, data, "DISK_GEOMETRY_EX", "Data"),
        size!(DiskPartitionInfo, "DISK_PARTITION_INFO"),
        row!(
            "C_SIZEOF DISK_PARTITION_INFO",
            "sizeof(DISK_PARTITION_INFO)",
            DiskPartitionInfo::C_SIZEOF
        ),
        offset!(
            DiskPartitionInfo,
            size_of_partition_info,
            "DISK_PARTITION_INFO",
            "SizeOfPartitionInfo"
        ),
        offset!(
            DiskPartitionInfo,
            partition_style,
            "DISK_PARTITION_INFO",
            "PartitionStyle"
        ),
        offset!(DiskPartitionInfo, union_area, "DISK_PARTITION_INFO", "Mbr.Signature"),
        offset!(DiskPartitionInfo, union_area + 4, "DISK_PARTITION_INFO", "Mbr.CheckSum"),
        offset!(DiskPartitionInfo, union_area, "DISK_PARTITION_INFO", "Gpt.DiskId"),
        size!(PartitionInformation, "PARTITION_INFORMATION"),
        row!(
            "C_SIZEOF PARTITION_INFORMATION",
            "sizeof(PARTITION_INFORMATION)",
            PartitionInformation::C_SIZEOF
        ),
        offset!(
            PartitionInformation,
            starting_offset,
            "PARTITION_INFORMATION",
            "StartingOffset"
        ),
        offset!(
            PartitionInformation,
            partition_length,
            "PARTITION_INFORMATION",
            "PartitionLength"
        ),
        offset!(
            PartitionInformation,
            hidden_sectors,
            "PARTITION_INFORMATION",
            "HiddenSectors"
        ),
        offset!(
            PartitionInformation,
            partition_number,
            "PARTITION_INFORMATION",
            "PartitionNumber"
        ),
        offset!(
            PartitionInformation,
            partition_type,
            "PARTITION_INFORMATION",
            "PartitionType"
        ),
        offset!(
            PartitionInformation,
            boot_indicator,
            "PARTITION_INFORMATION",
            "BootIndicator"
        ),
        offset!(
            PartitionInformation,
            recognized_partition,
            "PARTITION_INFORMATION",
            "RecognizedPartition"
        ),
        offset!(
            PartitionInformation,
            rewrite_partition,
            "PARTITION_INFORMATION",
            "RewritePartition"
        ),
        size!(PartitionInformationMbr, "PARTITION_INFORMATION_MBR"),
        offset!(
            PartitionInformationMbr,
            partition_type,
            "PARTITION_INFORMATION_MBR",
            "PartitionType"
        ),
        offset!(
            PartitionInformationMbr,
            boot_indicator,
            "PARTITION_INFORMATION_MBR",
            "BootIndicator"
        ),
        offset!(
            PartitionInformationMbr,
            recognized_partition,
            "PARTITION_INFORMATION_MBR",
            "RecognizedPartition"
        ),
        offset!(
            PartitionInformationMbr,
            hidden_sectors,
            "PARTITION_INFORMATION_MBR",
            "HiddenSectors"
        ),
        offset!(
            PartitionInformationMbr,
            partition_id,
            "PARTITION_INFORMATION_MBR",
            "PartitionId"
        ),
        size!(PartitionInformationGpt, "PARTITION_INFORMATION_GPT"),
        offset!(
            PartitionInformationGpt,
            partition_type,
            "PARTITION_INFORMATION_GPT",
            "PartitionType"
        ),
        offset!(
            PartitionInformationGpt,
            partition_id,
            "PARTITION_INFORMATION_GPT",
            "PartitionId"
        ),
        offset!(
            PartitionInformationGpt,
            attributes,
            "PARTITION_INFORMATION_GPT",
            "Attributes"
        ),
        offset!(PartitionInformationGpt, name, "PARTITION_INFORMATION_GPT", "Name"),
        size!(PartitionInformationEx, "PARTITION_INFORMATION_EX"),
        row!(
            "C_SIZEOF PARTITION_INFORMATION_EX",
            "sizeof(PARTITION_INFORMATION_EX)",
            PartitionInformationEx::C_SIZEOF
        ),
        offset!(
            PartitionInformationEx,
            partition_style,
            "PARTITION_INFORMATION_EX",
            "PartitionStyle"
        ),
        offset!(
            PartitionInformationEx,
            starting_offset,
            "PARTITION_INFORMATION_EX",
            "StartingOffset"
        ),
        offset!(
            PartitionInformationEx,
            partition_length,
            "PARTITION_INFORMATION_EX",
            "PartitionLength"
        ),
        offset!(
            PartitionInformationEx,
            partition_number,
            "PARTITION_INFORMATION_EX",
            "PartitionNumber"
        ),
        offset!(
            PartitionInformationEx,
            rewrite_partition,
            "PARTITION_INFORMATION_EX",
            "RewritePartition"
        ),
        offset!(PartitionInformationEx, union_area, "PARTITION_INFORMATION_EX", "Mbr"),
        offset!(PartitionInformationEx, union_area, "PARTITION_INFORMATION_EX", "Gpt"),
        row!(
            "UNION_OFFSET PARTITION_INFORMATION_EX",
            "offsetof(PARTITION_INFORMATION_EX, Mbr)",
            PartitionInformationEx::UNION_OFFSET
        ),
        row!(
            "union size PARTITION_INFORMATION_EX",
            "sizeof(PARTITION_INFORMATION_EX) - offsetof(PARTITION_INFORMATION_EX, Gpt)",
            size_of::<PartitionInformationEx>() - offset_of!(PartitionInformationEx, union_area)
        ),
        size!(DriveLayoutInformation, "DRIVE_LAYOUT_INFORMATION"),
        row!(
            "C_SIZEOF DRIVE_LAYOUT_INFORMATION",
            "sizeof(DRIVE_LAYOUT_INFORMATION)",
            DriveLayoutInformation::C_SIZEOF
        ),
        row!(
            "header DRIVE_LAYOUT_INFORMATION",
            "offsetof(DRIVE_LAYOUT_INFORMATION, PartitionEntry)",
            DriveLayoutInformation::HEADER_SIZE
        ),
        offset!(
            DriveLayoutInformation,
            partition_count,
            "DRIVE_LAYOUT_INFORMATION",
            "PartitionCount"
        ),
        offset!(
            DriveLayoutInformation,
            signature,
            "DRIVE_LAYOUT_INFORMATION",
            "Signature"
        ),
        offset!(
            DriveLayoutInformation,
            partition_entry,
            "DRIVE_LAYOUT_INFORMATION",
            "PartitionEntry"
        ),
        offset!(
            DriveLayoutInformationMbr,
            signature,
            "DRIVE_LAYOUT_INFORMATION_MBR",
            "Signature"
        ),
        size!(DriveLayoutInformationGpt, "DRIVE_LAYOUT_INFORMATION_GPT"),
        offset!(
            DriveLayoutInformationGpt,
            disk_id,
            "DRIVE_LAYOUT_INFORMATION_GPT",
            "DiskId"
        ),
        offset!(
            DriveLayoutInformationGpt,
            starting_usable_offset,
            "DRIVE_LAYOUT_INFORMATION_GPT",
            "StartingUsableOffset"
        ),
        offset!(
            DriveLayoutInformationGpt,
            usable_length,
            "DRIVE_LAYOUT_INFORMATION_GPT",
            "UsableLength"
        ),
        offset!(
            DriveLayoutInformationGpt,
            max_partition_count,
            "DRIVE_LAYOUT_INFORMATION_GPT",
            "MaxPartitionCount"
        ),
        size!(DriveLayoutInformationEx, "DRIVE_LAYOUT_INFORMATION_EX"),
        row!(
            "C_SIZEOF DRIVE_LAYOUT_INFORMATION_EX",
            "sizeof(DRIVE_LAYOUT_INFORMATION_EX)",
            DriveLayoutInformationEx::C_SIZEOF
        ),
        row!(
            "header DRIVE_LAYOUT_INFORMATION_EX",
            "offsetof(DRIVE_LAYOUT_INFORMATION_EX, PartitionEntry)",
            DriveLayoutInformationEx::HEADER_SIZE
        ),
        offset!(
            DriveLayoutInformationEx,
            partition_style,
            "DRIVE_LAYOUT_INFORMATION_EX",
            "PartitionStyle"
        ),
        offset!(
            DriveLayoutInformationEx,
            partition_count,
            "DRIVE_LAYOUT_INFORMATION_EX",
            "PartitionCount"
        ),
        offset!(
            DriveLayoutInformationEx,
            union_area,
            "DRIVE_LAYOUT_INFORMATION_EX",
            "Mbr.Signature"
        ),
        offset!(
            DriveLayoutInformationEx,
            union_area,
            "DRIVE_LAYOUT_INFORMATION_EX",
            "Gpt"
        ),
        offset!(
            DriveLayoutInformationEx,
            partition_entry,
            "DRIVE_LAYOUT_INFORMATION_EX",
            "PartitionEntry"
        ),
        size!(GetLengthInformation, "GET_LENGTH_INFORMATION"),
        row!(
            "C_SIZEOF GET_LENGTH_INFORMATION",
            "sizeof(GET_LENGTH_INFORMATION)",
            GetLengthInformation::C_SIZEOF
        ),
        offset!(GetLengthInformation, length, "GET_LENGTH_INFORMATION", "Length"),
        size!(VerifyInformation, "VERIFY_INFORMATION"),
        row!(
            "C_SIZEOF VERIFY_INFORMATION",
            "sizeof(VERIFY_INFORMATION)",
            VerifyInformation::C_SIZEOF
        ),
        offset!(
            VerifyInformation,
            starting_offset,
            "VERIFY_INFORMATION",
            "StartingOffset"
        ),
        offset!(VerifyInformation, length, "VERIFY_INFORMATION", "Length"),
        // ---- ntddstor.h ----
        size!(StorageDeviceNumber, "STORAGE_DEVICE_NUMBER"),
        row!(
            "C_SIZEOF STORAGE_DEVICE_NUMBER",
            "sizeof(STORAGE_DEVICE_NUMBER)",
            StorageDeviceNumber::C_SIZEOF
        ),
        offset!(StorageDeviceNumber, device_type, "STORAGE_DEVICE_NUMBER", "DeviceType"),
        offset!(
            StorageDeviceNumber,
            device_number,
            "STORAGE_DEVICE_NUMBER",
            "DeviceNumber"
        ),
        offset!(
            StorageDeviceNumber,
            partition_number,
            "STORAGE_DEVICE_NUMBER",
            "PartitionNumber"
        ),
        size!(StorageHotplugInfo, "STORAGE_HOTPLUG_INFO"),
        row!(
            "C_SIZEOF STORAGE_HOTPLUG_INFO",
            "sizeof(STORAGE_HOTPLUG_INFO)",
            StorageHotplugInfo::C_SIZEOF
        ),
        offset!(StorageHotplugInfo, size, "STORAGE_HOTPLUG_INFO", "Size"),
        offset!(
            StorageHotplugInfo,
            media_removable,
            "STORAGE_HOTPLUG_INFO",
            "MediaRemovable"
        ),
        offset!(
            StorageHotplugInfo,
            media_hotplug,
            "STORAGE_HOTPLUG_INFO",
            "MediaHotplug"
        ),
        offset!(
            StorageHotplugInfo,
            device_hotplug,
            "STORAGE_HOTPLUG_INFO",
            "DeviceHotplug"
        ),
        offset!(
            StorageHotplugInfo,
            write_cache_enable_override,
            "STORAGE_HOTPLUG_INFO",
            "WriteCacheEnableOverride"
        ),
        size!(StorageReadCapacity, "STORAGE_READ_CAPACITY"),
        row!(
            "C_SIZEOF STORAGE_READ_CAPACITY",
            "sizeof(STORAGE_READ_CAPACITY)",
            StorageReadCapacity::C_SIZEOF
        ),
        offset!(StorageReadCapacity, version, "STORAGE_READ_CAPACITY", "Version"),
        offset!(StorageReadCapacity, size, "STORAGE_READ_CAPACITY", "Size"),
        offset!(
            StorageReadCapacity,
            block_length,
            "STORAGE_READ_CAPACITY",
            "BlockLength"
        ),
        offset!(
            StorageReadCapacity,
            number_of_blocks,
            "STORAGE_READ_CAPACITY",
            "NumberOfBlocks"
        ),
        offset!(StorageReadCapacity, disk_length, "STORAGE_READ_CAPACITY", "DiskLength"),
        size!(StoragePropertyQuery, "STORAGE_PROPERTY_QUERY"),
        row!(
            "C_SIZEOF STORAGE_PROPERTY_QUERY",
            "sizeof(STORAGE_PROPERTY_QUERY)",
            StoragePropertyQuery::C_SIZEOF
        ),
        row!(
            "header STORAGE_PROPERTY_QUERY",
            "offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters)",
            StoragePropertyQuery::HEADER_SIZE
        ),
        offset!(
            StoragePropertyQuery,
            property_id,
            "STORAGE_PROPERTY_QUERY",
            "PropertyId"
        ),
        offset!(StoragePropertyQuery, query_type, "STORAGE_PROPERTY_QUERY", "QueryType"),
        offset!(
            StoragePropertyQuery,
            additional_parameters,
            "STORAGE_PROPERTY_QUERY",
            "AdditionalParameters"
        ),
        size!(StorageDescriptorHeader, "STORAGE_DESCRIPTOR_HEADER"),
        row!(
            "C_SIZEOF STORAGE_DESCRIPTOR_HEADER",
            "sizeof(STORAGE_DESCRIPTOR_HEADER)",
            StorageDescriptorHeader::C_SIZEOF
        ),
        offset!(StorageDescriptorHeader, version, "STORAGE_DESCRIPTOR_HEADER", "Version"),
        offset!(StorageDescriptorHeader, size, "STORAGE_DESCRIPTOR_HEADER", "Size"),
        size!(StorageDeviceDescriptor, "STORAGE_DEVICE_DESCRIPTOR"),
        row!(
            "C_SIZEOF STORAGE_DEVICE_DESCRIPTOR",
            "sizeof(STORAGE_DEVICE_DESCRIPTOR)",
            StorageDeviceDescriptor::C_SIZEOF
        ),
        row!(
            "header STORAGE_DEVICE_DESCRIPTOR",
            "offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties)",
            StorageDeviceDescriptor::HEADER_SIZE
        ),
        offset!(StorageDeviceDescriptor, version, "STORAGE_DEVICE_DESCRIPTOR", "Version"),
        offset!(StorageDeviceDescriptor, size, "STORAGE_DEVICE_DESCRIPTOR", "Size"),
        offset!(
            StorageDeviceDescriptor,
            device_type,
            "STORAGE_DEVICE_DESCRIPTOR",
            "DeviceType"
        ),
        offset!(
            StorageDeviceDescriptor,
            device_type_modifier,
            "STORAGE_DEVICE_DESCRIPTOR",
            "DeviceTypeModifier"
        ),
        offset!(
            StorageDeviceDescriptor,
            removable_media,
            "STORAGE_DEVICE_DESCRIPTOR",
            "RemovableMedia"
        ),
        offset!(
            StorageDeviceDescriptor,
            command_queueing,
            "STORAGE_DEVICE_DESCRIPTOR",
            "CommandQueueing"
        ),
        offset!(
            StorageDeviceDescriptor,
            vendor_id_offset,
            "STORAGE_DEVICE_DESCRIPTOR",
            "VendorIdOffset"
        ),
        offset!(
            StorageDeviceDescriptor,
            product_id_offset,
            "STORAGE_DEVICE_DESCRIPTOR",
            "ProductIdOffset"
        ),
        offset!(
            StorageDeviceDescriptor,
            product_revision_offset,
            "STORAGE_DEVICE_DESCRIPTOR",
            "ProductRevisionOffset"
        ),
        offset!(
            StorageDeviceDescriptor,
            serial_number_offset,
            "STORAGE_DEVICE_DESCRIPTOR",
            "SerialNumberOffset"
        ),
        offset!(
            StorageDeviceDescriptor,
            bus_type,
            "STORAGE_DEVICE_DESCRIPTOR",
            "BusType"
        ),
        offset!(
            StorageDeviceDescriptor,
            raw_properties_length,
            "STORAGE_DEVICE_DESCRIPTOR",
            "RawPropertiesLength"
        ),
        offset!(
            StorageDeviceDescriptor,
            raw_device_properties,
            "STORAGE_DEVICE_DESCRIPTOR",
            "RawDeviceProperties"
        ),
        size!(StorageAdapterDescriptor, "STORAGE_ADAPTER_DESCRIPTOR"),
        row!(
            "C_SIZEOF STORAGE_ADAPTER_DESCRIPTOR",
            "sizeof(STORAGE_ADAPTER_DESCRIPTOR)",
            StorageAdapterDescriptor::C_SIZEOF
        ),
        offset!(
            StorageAdapterDescriptor,
            version,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "Version"
        ),
        offset!(StorageAdapterDescriptor, size, "STORAGE_ADAPTER_DESCRIPTOR", "Size"),
        offset!(
            StorageAdapterDescriptor,
            maximum_transfer_length,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "MaximumTransferLength"
        ),
        offset!(
            StorageAdapterDescriptor,
            maximum_physical_pages,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "MaximumPhysicalPages"
        ),
        offset!(
            StorageAdapterDescriptor,
            alignment_mask,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "AlignmentMask"
        ),
        offset!(
            StorageAdapterDescriptor,
            adapter_uses_pio,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "AdapterUsesPio"
        ),
        offset!(
            StorageAdapterDescriptor,
            adapter_scans_down,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "AdapterScansDown"
        ),
        offset!(
            StorageAdapterDescriptor,
            command_queueing,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "CommandQueueing"
        ),
        offset!(
            StorageAdapterDescriptor,
            accelerated_transfer,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "AcceleratedTransfer"
        ),
        offset!(
            StorageAdapterDescriptor,
            bus_type,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "BusType"
        ),
        offset!(
            StorageAdapterDescriptor,
            bus_major_version,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "BusMajorVersion"
        ),
        offset!(
            StorageAdapterDescriptor,
            bus_minor_version,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "BusMinorVersion"
        ),
        offset!(
            StorageAdapterDescriptor,
            srb_type,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "SrbType"
        ),
        offset!(
            StorageAdapterDescriptor,
            address_type,
            "STORAGE_ADAPTER_DESCRIPTOR",
            "AddressType"
        ),
        size!(StorageAccessAlignmentDescriptor, "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR"),
        row!(
            "C_SIZEOF STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "sizeof(STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR)",
            StorageAccessAlignmentDescriptor::C_SIZEOF
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            version,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "Version"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            size,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "Size"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            bytes_per_cache_line,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "BytesPerCacheLine"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            bytes_offset_for_cache_alignment,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "BytesOffsetForCacheAlignment"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            bytes_per_logical_sector,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "BytesPerLogicalSector"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            bytes_per_physical_sector,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "BytesPerPhysicalSector"
        ),
        offset!(
            StorageAccessAlignmentDescriptor,
            bytes_offset_for_sector_alignment,
            "STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR",
            "BytesOffsetForSectorAlignment"
        ),
        size!(DeviceSeekPenaltyDescriptor, "DEVICE_SEEK_PENALTY_DESCRIPTOR"),
        row!(
            "C_SIZEOF DEVICE_SEEK_PENALTY_DESCRIPTOR",
            "sizeof(DEVICE_SEEK_PENALTY_DESCRIPTOR)",
            DeviceSeekPenaltyDescriptor::C_SIZEOF
        ),
        offset!(
            DeviceSeekPenaltyDescriptor,
            version,
            "DEVICE_SEEK_PENALTY_DESCRIPTOR",
            "Version"
        ),
        offset!(
            DeviceSeekPenaltyDescriptor,
            size,
            "DEVICE_SEEK_PENALTY_DESCRIPTOR",
            "Size"
        ),
        offset!(
            DeviceSeekPenaltyDescriptor,
            incurs_seek_penalty,
            "DEVICE_SEEK_PENALTY_DESCRIPTOR",
            "IncursSeekPenalty"
        ),
        size!(DeviceTrimDescriptor, "DEVICE_TRIM_DESCRIPTOR"),
        row!(
            "C_SIZEOF DEVICE_TRIM_DESCRIPTOR",
            "sizeof(DEVICE_TRIM_DESCRIPTOR)",
            DeviceTrimDescriptor::C_SIZEOF
        ),
        offset!(DeviceTrimDescriptor, version, "DEVICE_TRIM_DESCRIPTOR", "Version"),
        offset!(DeviceTrimDescriptor, size, "DEVICE_TRIM_DESCRIPTOR", "Size"),
        offset!(
            DeviceTrimDescriptor,
            trim_enabled,
            "DEVICE_TRIM_DESCRIPTOR",
            "TrimEnabled"
        ),
        size!(PreventMediaRemoval, "PREVENT_MEDIA_REMOVAL"),
        row!(
            "C_SIZEOF PREVENT_MEDIA_REMOVAL",
            "sizeof(PREVENT_MEDIA_REMOVAL)",
            PreventMediaRemoval::C_SIZEOF
        ),
        offset!(
            PreventMediaRemoval,
            prevent_media_removal,
            "PREVENT_MEDIA_REMOVAL",
            "PreventMediaRemoval"
        ),
        size!(DeviceMediaInfo, "DEVICE_MEDIA_INFO"),
        row!(
            "C_SIZEOF DEVICE_MEDIA_INFO",
            "sizeof(DEVICE_MEDIA_INFO)",
            DeviceMediaInfo::C_SIZEOF
        ),
        offset!(
            DeviceMediaInfo,
            cylinders,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.Cylinders"
        ),
        offset!(
            DeviceMediaInfo,
            media_type,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.MediaType"
        ),
        offset!(
            DeviceMediaInfo,
            tracks_per_cylinder,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.TracksPerCylinder"
        ),
        offset!(
            DeviceMediaInfo,
            sectors_per_track,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.SectorsPerTrack"
        ),
        offset!(
            DeviceMediaInfo,
            bytes_per_sector,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.BytesPerSector"
        ),
        offset!(
            DeviceMediaInfo,
            number_media_sides,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.NumberMediaSides"
        ),
        offset!(
            DeviceMediaInfo,
            media_characteristics,
            "DEVICE_MEDIA_INFO",
            "DeviceSpecific.DiskInfo.MediaCharacteristics"
        ),
        size!(GetMediaTypes, "GET_MEDIA_TYPES"),
        row!(
            "C_SIZEOF GET_MEDIA_TYPES",
            "sizeof(GET_MEDIA_TYPES)",
            GetMediaTypes::C_SIZEOF
        ),
        row!(
            "header GET_MEDIA_TYPES",
            "offsetof(GET_MEDIA_TYPES, MediaInfo)",
            GetMediaTypes::HEADER_SIZE
        ),
        offset!(GetMediaTypes, device_type, "GET_MEDIA_TYPES", "DeviceType"),
        offset!(GetMediaTypes, media_info_count, "GET_MEDIA_TYPES", "MediaInfoCount"),
        offset!(GetMediaTypes, media_info, "GET_MEDIA_TYPES", "MediaInfo"),
        // ---- ntddvol.h (declared by winioctl.h in mingw-w64) ----
        size!(DiskExtent, "DISK_EXTENT"),
        row!("C_SIZEOF DISK_EXTENT", "sizeof(DISK_EXTENT)", DiskExtent::C_SIZEOF),
        offset!(DiskExtent, disk_number, "DISK_EXTENT", "DiskNumber"),
        offset!(DiskExtent, starting_offset, "DISK_EXTENT", "StartingOffset"),
        offset!(DiskExtent, extent_length, "DISK_EXTENT", "ExtentLength"),
        size!(VolumeDiskExtents, "VOLUME_DISK_EXTENTS"),
        row!(
            "C_SIZEOF VOLUME_DISK_EXTENTS",
            "sizeof(VOLUME_DISK_EXTENTS)",
            VolumeDiskExtents::C_SIZEOF
        ),
        row!(
            "header VOLUME_DISK_EXTENTS",
            "offsetof(VOLUME_DISK_EXTENTS, Extents)",
            VolumeDiskExtents::HEADER_SIZE
        ),
        offset!(
            VolumeDiskExtents,
            number_of_disk_extents,
            "VOLUME_DISK_EXTENTS",
            "NumberOfDiskExtents"
        ),
        offset!(VolumeDiskExtents, extents, "VOLUME_DISK_EXTENTS", "Extents"),
        size!(
            VolumeGetGptAttributesInformation,
            "VOLUME_GET_GPT_ATTRIBUTES_INFORMATION"
        ),
        row!(
            "C_SIZEOF VOLUME_GET_GPT_ATTRIBUTES_INFORMATION",
            "sizeof(VOLUME_GET_GPT_ATTRIBUTES_INFORMATION)",
            VolumeGetGptAttributesInformation::C_SIZEOF
        ),
        offset!(
            VolumeGetGptAttributesInformation,
            gpt_attributes,
            "VOLUME_GET_GPT_ATTRIBUTES_INFORMATION",
            "GptAttributes"
        ),
    ]
}

fn constant_rows() -> Vec<Row> {
    let mut rows = vec![
        value!("FixedMedia", MEDIA_TYPE_FIXED),
        value!("RemovableMedia", MEDIA_TYPE_REMOVABLE),
        value!("PARTITION_STYLE_MBR", PARTITION_STYLE_MBR),
        value!("PARTITION_STYLE_GPT", PARTITION_STYLE_GPT),
        value!("PARTITION_STYLE_RAW", PARTITION_STYLE_RAW),
        value!("PARTITION_IFS", PARTITION_IFS),
        value!("FILE_DEVICE_DISK", FILE_DEVICE_DISK),
        value!("StorageDeviceProperty", StoragePropertyQuery::STORAGE_DEVICE_PROPERTY),
        value!("StorageAdapterProperty", StoragePropertyQuery::STORAGE_ADAPTER_PROPERTY),
        value!(
            "StorageDeviceIdProperty",
            StoragePropertyQuery::STORAGE_DEVICE_ID_PROPERTY
        ),
        value!(
            "StorageDeviceUniqueIdProperty",
            StoragePropertyQuery::STORAGE_DEVICE_UNIQUE_ID_PROPERTY
        ),
        value!(
            "StorageDeviceWriteCacheProperty",
            StoragePropertyQuery::STORAGE_DEVICE_WRITE_CACHE_PROPERTY
        ),
        value!(
            "StorageAccessAlignmentProperty",
            StoragePropertyQuery::STORAGE_ACCESS_ALIGNMENT_PROPERTY
        ),
        value!(
            "StorageDeviceSeekPenaltyProperty",
            StoragePropertyQuery::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY
        ),
        value!(
            "StorageDeviceTrimProperty",
            StoragePropertyQuery::STORAGE_DEVICE_TRIM_PROPERTY
        ),
        value!(
            "StorageDeviceLBProvisioningProperty",
            StoragePropertyQuery::STORAGE_DEVICE_LB_PROVISIONING_PROPERTY
        ),
        value!(
            "StorageDeviceMediumProductType",
            StoragePropertyQuery::STORAGE_DEVICE_MEDIUM_PRODUCT_TYPE
        ),
        value!("PropertyStandardQuery", StoragePropertyQuery::PROPERTY_STANDARD_QUERY),
        value!("PropertyExistsQuery", StoragePropertyQuery::PROPERTY_EXISTS_QUERY),
        value!("PropertyMaskQuery", StoragePropertyQuery::PROPERTY_MASK_QUERY),
        value!("BusTypeUnknown", BusType::UNKNOWN.get()),
        value!("BusTypeScsi", BusType::SCSI.get()),
        value!("BusTypeAtapi", BusType::ATAPI.get()),
        value!("BusTypeAta", BusType::ATA.get()),
        value!("BusTypeUsb", BusType::USB.get()),
        value!("BusTypeiScsi", BusType::ISCSI.get()),
        value!("BusTypeSas", BusType::SAS.get()),
        value!("BusTypeSata", BusType::SATA.get()),
        value!("BusTypeVirtual", BusType::VIRTUAL.get()),
        value!("BusTypeFileBackedVirtual", BusType::FILE_BACKED_VIRTUAL.get()),
        value!("BusTypeNvme", BusType::NVME.get()),
        value!("BusTypeMaxReserved", BusType::MAX_RESERVED),
    ];
    rows.extend(value64!(
        "GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER",
        GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER
    ));
    rows.extend(value64!(
        "GPT_BASIC_DATA_ATTRIBUTE_HIDDEN",
        GPT_BASIC_DATA_ATTRIBUTE_HIDDEN
    ));
    rows.extend(value64!(
        "GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY",
        GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY
    ));
    rows.extend(value64!(
        "GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY",
        GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY
    ));
    rows
}

/// The C expression for a disk, storage or volume code: its header name, or, for the six codes
/// mingw-w64 10 does not declare (Windows 8 and later, or `ntddvol.h`-only), `CTL_CODE(...)`
/// spelled with the header's own base, method and access macros and the function number of
/// Microsoft's `ntdddisk.h` / `ntddvol.h` (also cross-checked against windows-sys, `protocol.md`
/// §0 [winsys]). For those six the row checks the encoding, not the function number.
fn c_expr_for(ioctl: Ioctl) -> Option<&'static str> {
    Some(match ioctl {
        Ioctl::DiskIsClustered => "CTL_CODE(IOCTL_DISK_BASE, 0x003e, METHOD_BUFFERED, FILE_ANY_ACCESS)",
        Ioctl::DiskGetClusterInfo => "CTL_CODE(IOCTL_DISK_BASE, 0x0085, METHOD_BUFFERED, FILE_ANY_ACCESS)",
        Ioctl::DiskAreVolumesReady => "CTL_CODE(IOCTL_DISK_BASE, 0x0087, METHOD_BUFFERED, FILE_READ_ACCESS)",
        Ioctl::VolumeIsDynamic => "CTL_CODE(IOCTL_VOLUME_BASE, 18, METHOD_BUFFERED, FILE_ANY_ACCESS)",
        Ioctl::VolumeQueryAllocationHint => "CTL_CODE(IOCTL_VOLUME_BASE, 20, METHOD_OUT_DIRECT, FILE_READ_ACCESS)",
        Ioctl::VolumePostOnline => {
            "CTL_CODE(IOCTL_VOLUME_BASE, 25, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS)"
        }
        other => other.name()?,
    })
}

fn code_rows() -> Vec<Row> {
    let ours = [DeviceType::DISK, DeviceType::MASS_STORAGE, DeviceType::VOLUME];
    let mut rows = vec![
        value!("IOCTL_DISK_BASE", DeviceType::DISK.0),
        value!("IOCTL_STORAGE_BASE", DeviceType::MASS_STORAGE.0),
        value!("IOCTL_VOLUME_BASE", DeviceType::VOLUME.0),
    ];
    rows.extend(super::code_rows(&ours, c_expr_for));
    rows
}

/// The rows.
pub fn rows() -> Vec<Row> {
    let mut rows = structure_rows();
    rows.extend(constant_rows());
    rows.extend(code_rows());
    rows
}
