//! What `mount` and `list` print about the driver's volumes (no system calls: tested on every
//! platform).

use cryptdisk_core::control::{ControlError, ListReply, MountReply, MountReplyFlags};
use mountdev::{Guid, VolumeGuidName};

use crate::output::human_bytes;
use crate::size::SECTOR_BYTES;

/// `\Device\CryptDiskVolume<n>`.
fn device_name(number: u32) -> String {
    format!("\\Device\\CryptDiskVolume{number}")
}

/// An NT path as a Win32 user types it: `\??\C:\v.luks` → `C:\v.luks`,
/// `\??\UNC\srv\share\v.luks` → `\\srv\share\v.luks`; anything else unchanged.
pub fn win32_path(nt: &str) -> String {
    match nt.strip_prefix("\\??\\") {
        Some(rest) => match rest.strip_prefix("UNC\\") {
            Some(unc) => format!("\\\\{unc}"),
            None => rest.to_owned(),
        },
        None => nt.to_owned(),
    }
}

/// The Win32 form of a volume GUID name: `\\?\Volume{…}\`.
fn win32_volume_name(name: &VolumeGuidName) -> String {
    let nt = name.to_string();
    match nt.strip_prefix("\\??\\") {
        Some(rest) => format!("\\\\?\\{rest}\\"),
        None => nt,
    }
}

/// The lines `mount` prints after the driver's reply. `expected` is the volume GUID name the
/// mount manager gives this volume when it registers it.
pub fn mounted_lines(reply: &MountReply, expected: &VolumeGuidName) -> Vec<String> {
    let flags = reply.flags();
    let device = device_name(reply.device_number.get());
    let mut lines = Vec::new();
    if flags.contains(MountReplyFlags::NO_LETTER) || reply.drive_letter == 0 {
        lines.push(format!("Mounted as {device}, with no drive letter."));
    } else {
        lines.push(format!("Mounted at {}: as {device}.", char::from(reply.drive_letter)));
    }
    if flags.contains(MountReplyFlags::FALLBACK_LINK) {
        lines.push(format!(
            "Fallback link: the mount manager did not take the volume, so the driver created {}: itself.",
            char::from(reply.drive_letter)
        ));
    }
    if flags.contains(MountReplyFlags::REGISTERED) {
        let name = VolumeGuidName::new(Guid::from_le_bytes(reply.volume_guid));
        lines.push(format!("Volume name: {}", win32_volume_name(&name)));
    } else {
        lines.push(format!(
            "Volume name: none (not registered with the mount manager; it would be {})",
            win32_volume_name(expected)
        ));
    }
    lines
}

/// The lines `list` prints, one per volume, or one saying there are none.
///
/// # Errors
///
/// The first entry that does not validate.
pub fn list_lines(reply: &ListReply<'_>) -> Result<Vec<String>, ControlError> {
    if reply.is_empty() {
        return Ok(vec!["No cryptdisk volumes are mounted.".to_owned()]);
    }
    let mut lines = Vec::new();
    for entry in reply.entries() {
        let entry = entry?;
        let letter = entry
            .drive_letter
            .map_or_else(|| "--".to_owned(), |l| format!("{}:", char::from(l)));
        let mut notes = vec![if entry.read_only { "read-only" } else { "read-write" }];
        if entry.removable {
            notes.push("removable");
        }
        if entry.fallback_link {
            notes.push("fallback link");
        }
        lines.push(format!(
            "{letter}  {}  {}  {}  {}",
            device_name(entry.device_number),
            human_bytes(entry.data_sectors.saturating_mul(SECTOR_BYTES)),
            notes.join(", "),
            win32_path(&entry.path.to_string())
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptdisk_core::control::{VolumeSummary, write_list_reply};
    use cryptdisk_core::uuid::Uuid;

    fn expected() -> VolumeGuidName {
        VolumeGuidName::new(Guid::from_uuid_bytes([0x11; 16]))
    }

    #[test]
    fn a_fallback_mount_says_so_and_names_the_volume_it_would_have() {
        let reply = MountReply::new(MountReplyFlags::FALLBACK_LINK, 1, Some(b'M'), [0; 16]);
        let lines = mounted_lines(&reply, &expected());
        assert_eq!(lines[0], "Mounted at M: as \\Device\\CryptDiskVolume1.");
        assert!(lines[1].starts_with("Fallback link:"), "{lines:?}");
        assert!(lines[2].contains("not registered"), "{lines:?}");
        assert!(
            lines[2].ends_with("\\\\?\\Volume{11111111-1111-1111-1111-111111111111}\\)"),
            "{lines:?}"
        );
    }

    #[test]
    fn a_registered_mount_prints_its_volume_name() {
        let guid = Guid::from_uuid_bytes([0x22; 16]).to_le_bytes();
        let reply = MountReply::new(MountReplyFlags::REGISTERED, 3, Some(b'Q'), guid);
        let lines = mounted_lines(&reply, &expected());
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "Volume name: \\\\?\\Volume{22222222-2222-2222-2222-222222222222}\\"
        );
        let no_letter = MountReply::new(MountReplyFlags::NO_LETTER | MountReplyFlags::REGISTERED, 3, None, guid);
        assert_eq!(
            mounted_lines(&no_letter, &expected())[0],
            "Mounted as \\Device\\CryptDiskVolume3, with no drive letter."
        );
    }

    #[test]
    fn list_lines_show_letter_device_size_flags_and_path() {
        let volume = VolumeSummary {
            device_number: 2,
            drive_letter: Some(b'M'),
            read_only: true,
            removable: false,
            fallback_link: true,
            data_sectors: 8192,
            uuid: Uuid::from_bytes([3; 16]),
            path: mountdev::nt_name!("\\??\\UNC\\srv\\share\\v.luks"),
        };
        let mut bytes = vec![0u8; 256];
        let reply = write_list_reply(&[volume], &mut bytes);
        let list = ListReply::parse(&bytes[..reply.information]).unwrap();
        let lines = list_lines(&list).unwrap();
        assert_eq!(
            lines,
            ["M:  \\Device\\CryptDiskVolume2  4 MiB  read-only, fallback link  \\\\srv\\share\\v.luks"]
        );

        let mut empty = vec![0u8; 16];
        let reply = write_list_reply(&[], &mut empty);
        let list = ListReply::parse(&empty[..reply.information]).unwrap();
        assert_eq!(list_lines(&list).unwrap(), ["No cryptdisk volumes are mounted."]);
    }

    #[test]
    fn win32_paths_of_nt_paths() {
        assert_eq!(win32_path("\\??\\C:\\v.luks"), "C:\\v.luks");
        assert_eq!(win32_path("\\??\\UNC\\s\\h\\v"), "\\\\s\\h\\v");
        assert_eq!(win32_path("\\Device\\X"), "\\Device\\X");
    }
}
