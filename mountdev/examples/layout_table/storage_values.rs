//! Rows for the disk, storage and volume constants and IOCTL codes (`layout::disk`,
//! `layout::storage`, the storage handler).
//!
//! Every C expression uses only names mingw-w64 10 declares in `windows.h`, `winioctl.h`,
//! `ntddstor.h` and `ntdddisk.h` under its default `NTDDI_VERSION` (Windows 10). 64-bit constants
//! are compared as their two 32-bit halves because the check compiles every value as
//! `unsigned int`.

use mountdev::ioctl::{DeviceType, Ioctl};
use mountdev::layout::{
    FILE_DEVICE_DISK, GPT_BASIC_DATA_ATTRIBUTE_HIDDEN, GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER,
    GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY, GPT_BASIC_DATA_ATTRIBUTE_SHADOW_COPY, MEDIA_TYPE_FIXED, MEDIA_TYPE_REMOVABLE,
    PARTITION_IFS, PARTITION_STYLE_GPT, PARTITION_STYLE_MBR, PARTITION_STYLE_RAW, StoragePropertyQuery,
};
use mountdev::storage::BusType;

use super::Row;

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
    let mut rows = constant_rows();
    rows.extend(code_rows());
    rows
}
