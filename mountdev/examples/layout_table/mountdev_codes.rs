//! Rows for the MOUNTDEV / MOUNTMGR codes and auto-mount states, and the FSCTL / FT codes.

use mountdev::ioctl::{DeviceType, Ioctl};
use mountdev::layout::AutoMount;

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

/// The rows.
pub fn rows() -> Vec<Row> {
    let ours = [
        DeviceType::MOUNTDEV,
        DeviceType::MOUNTMGR,
        DeviceType::FILE_SYSTEM,
        DeviceType::FT,
    ];
    let mut rows = vec![
        row!("value Disabled", "Disabled", AutoMount::DISABLED),
        row!("value Enabled", "Enabled", AutoMount::ENABLED),
    ];
    rows.extend(super::code_rows(&ours, c_expr_for));
    rows
}
