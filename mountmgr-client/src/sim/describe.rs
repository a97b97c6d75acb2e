//! Decoding of request and reply buffers into the short texts of the [`super::Trace`].
//!
//! Every decoder reads through `mountdev`'s layouts or checked slicing and falls back to a byte
//! count, so a malformed buffer shows up as such instead of stopping the trace.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write;

use mountdev::ioctl::Ioctl;
use mountdev::layout::{
    AutoMount, ChangeNotifyInfo, CreatePointInput, DriveLetterInformation, MountPoint, MountPointsHeader, MountdevName,
    MountdevStableGuid, MountdevSuggestedLinkName, MountdevUniqueId, TargetName, UniqueIdChangeNotifyOutput,
    VolumePathsHeader, bytes_at,
};
use mountdev::{Guid, NtStatus};
use zerocopy::FromBytes;

use super::SimName;
use super::filter::parse_filter;

/// Longest unique ID printed in full.
const MAX_HEX_BYTES: usize = 32;

/// `IOCTL_…` name of a code, or its hex value.
pub(crate) fn ioctl_name(code: u32) -> String {
    match Ioctl::decode(code).name() {
        Some(name) => name.to_string(),
        None => format!("IOCTL {code:#010X}"),
    }
}

/// `STATUS_…` name of a status, or its hex value.
pub(crate) fn status_text(status: NtStatus) -> String {
    match status.name() {
        Some(name) => format!("STATUS_{name}"),
        None => format!("{:#010X}", status.0),
    }
}

/// A unique ID: hex (cut after 32 bytes), then the text when every byte is printable ASCII.
pub(crate) fn hex_id(bytes: &[u8]) -> String {
    let mut out = String::new();
    for byte in bytes.iter().take(MAX_HEX_BYTES) {
        let _ = write!(out, "{byte:02x}");
    }
    if bytes.len() > MAX_HEX_BYTES {
        let _ = write!(out, "… ({} bytes)", bytes.len());
    }
    if !bytes.is_empty() && bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
        out.push_str(" \"");
        out.extend(bytes.iter().map(|&b| char::from(b)));
        out.push('"');
    }
    if bytes.is_empty() {
        out.push_str("(empty)");
    }
    out
}

/// The raw name at `offset..offset+length` of `buf`, or a note saying why there is none.
fn raw_name(buf: &[u8], offset: usize, length: usize) -> String {
    match bytes_at(buf, offset, length).ok().and_then(SimName::from_le_bytes) {
        Some(name) => name.text(),
        None => format!("<{length} bytes at {offset}: invalid>"),
    }
}

fn u16_at(buf: &[u8], offset: usize) -> Option<usize> {
    match bytes_at(buf, offset, 2).ok()? {
        [lo, hi] => Some(usize::from(u16::from_le_bytes([*lo, *hi]))),
        _ => None,
    }
}

/// The request's input, decoded.
pub(crate) fn describe_input(code: u32, input: &[u8]) -> String {
    match Ioctl::decode(code) {
        Ioctl::MountmgrCreatePoint => match CreatePointInput::read_from_prefix(input) {
            Ok((fixed, _)) => format!(
                "link={} device={}",
                raw_name(
                    input,
                    fixed.symbolic_link_name_offset.get().into(),
                    fixed.symbolic_link_name_length.get().into()
                ),
                raw_name(
                    input,
                    fixed.device_name_offset.get().into(),
                    fixed.device_name_length.get().into()
                )
            ),
            Err(_) => format!(
                "<{} input bytes: shorter than MOUNTMGR_CREATE_POINT_INPUT>",
                input.len()
            ),
        },
        Ioctl::MountmgrQueryPoints | Ioctl::MountmgrDeletePoints | Ioctl::MountmgrDeletePointsDbOnly => {
            describe_filter(input)
        }
        Ioctl::MountmgrVolumeArrivalNotification
        | Ioctl::MountmgrKeepLinksWhenOffline
        | Ioctl::MountmgrQueryDosVolumePath
        | Ioctl::MountmgrQueryDosVolumePaths
        | Ioctl::MountmgrNextDriveLetter => match u16_at(input, 0) {
            Some(length) => format!("device={}", raw_name(input, TargetName::HEADER_SIZE, length)),
            None => format!("<{} input bytes>", input.len()),
        },
        Ioctl::MountmgrChangeNotify => match ChangeNotifyInfo::read_from_prefix(input) {
            Ok((info, _)) => format!("epic={}", info.epic_number.get()),
            Err(_) => format!("<{} input bytes>", input.len()),
        },
        Ioctl::MountmgrSetAutoMount => match AutoMount::read_from_prefix(input) {
            Ok((state, _)) => format!("state={}", auto_mount_text(state.state.get())),
            Err(_) => format!("<{} input bytes>", input.len()),
        },
        Ioctl::MountdevLinkCreated
        | Ioctl::MountdevLinkCreatedAnyAccess
        | Ioctl::MountdevLinkDeleted
        | Ioctl::MountdevLinkDeletedAnyAccess => match u16_at(input, 0) {
            Some(length) => format!("link={}", raw_name(input, MountdevName::HEADER_SIZE, length)),
            None => format!("<{} input bytes>", input.len()),
        },
        Ioctl::MountdevUniqueIdChangeNotify | Ioctl::MountdevUniqueIdChangeNotifyAnyAccess => {
            match MountdevUniqueId::parse(input) {
                Ok(id) => format!("uid={}", hex_id(&id.unique_id)),
                Err(_) => format!("<{} input bytes>", input.len()),
            }
        }
        _ if input.is_empty() => String::new(),
        _ => format!("in={}", input.len()),
    }
}

fn describe_filter(input: &[u8]) -> String {
    let Ok(filter) = parse_filter(input) else {
        return format!("<{} input bytes: invalid MOUNTMGR_MOUNT_POINT>", input.len());
    };
    let mut parts = Vec::new();
    if let Some(link) = &filter.link {
        parts.push(format!("link={link}"));
    }
    if let Some(id) = &filter.unique_id {
        parts.push(format!("uid={}", hex_id(id)));
    }
    if let Some(device) = &filter.device {
        parts.push(format!("device={device}"));
    }
    if parts.is_empty() {
        "filter=all".to_string()
    } else {
        parts.join(" ")
    }
}

fn auto_mount_text(state: u32) -> String {
    match state {
        AutoMount::DISABLED => "disabled".to_string(),
        AutoMount::ENABLED => "enabled".to_string(),
        other => format!("{other}"),
    }
}

/// The reply's output, decoded. `output` holds the bytes that were copied back.
pub(crate) fn describe_output(code: u32, output: &[u8]) -> String {
    match Ioctl::decode(code) {
        Ioctl::MountdevQueryDeviceName => counted_name(output, 0, MountdevName::HEADER_SIZE, "NameLength", "name"),
        Ioctl::MountdevQueryUniqueId => match (u16_at(output, 0), MountdevUniqueId::parse(output)) {
            (_, Ok(id)) => format!("uid={}", hex_id(&id.unique_id)),
            (Some(length), Err(_)) => format!("UniqueIdLength={length}"),
            (None, Err(_)) => bytes_text(output),
        },
        Ioctl::MountdevQuerySuggestedLinkName => match MountdevSuggestedLinkName::parse(output) {
            Ok(parsed) => format!(
                "suggest={} UseOnlyIfThereAreNoOtherLinks={}",
                raw_name(
                    output,
                    MountdevSuggestedLinkName::HEADER_SIZE,
                    parsed.name.len().saturating_mul(2)
                ),
                parsed.use_only_if_there_are_no_other_links != 0
            ),
            Err(_) => counted_name(
                output,
                2,
                MountdevSuggestedLinkName::HEADER_SIZE,
                "NameLength",
                "suggest",
            ),
        },
        Ioctl::MountdevQueryStableGuid => match MountdevStableGuid::read_from_prefix(output) {
            Ok((wire, _)) => format!("guid={{{}}}", Guid::from_wire(&wire.stable_guid)),
            Err(_) => bytes_text(output),
        },
        Ioctl::VolumeGetGptAttributes => match u64::read_from_prefix(output) {
            Ok((bits, _)) => {
                let bits = u64::from_le(bits);
                let marker = if bits & (1 << 63) != 0 {
                    " (NO_DRIVE_LETTER)"
                } else {
                    ""
                };
                format!("attributes={bits:#018x}{marker}")
            }
            Err(_) => bytes_text(output),
        },
        Ioctl::MountdevUniqueIdChangeNotify | Ioctl::MountdevUniqueIdChangeNotifyAnyAccess => {
            match UniqueIdChangeNotifyOutput::parse(output) {
                Ok((_, old, new)) => format!("old={} new={}", hex_id(old), hex_id(new)),
                Err(_) => bytes_text(output),
            }
        }
        Ioctl::MountmgrQueryPoints | Ioctl::MountmgrDeletePoints | Ioctl::MountmgrDeletePointsDbOnly => {
            describe_points(output)
        }
        Ioctl::MountmgrQueryDosVolumePath | Ioctl::MountmgrQueryDosVolumePaths => describe_paths(output),
        Ioctl::MountmgrChangeNotify => match ChangeNotifyInfo::read_from_prefix(output) {
            Ok((info, _)) => format!("epic={}", info.epic_number.get()),
            Err(_) => bytes_text(output),
        },
        Ioctl::MountmgrQueryAutoMount => match AutoMount::read_from_prefix(output) {
            Ok((state, _)) => format!("state={}", auto_mount_text(state.state.get())),
            Err(_) => bytes_text(output),
        },
        Ioctl::MountmgrNextDriveLetter => match DriveLetterInformation::read_from_prefix(output) {
            Ok((info, _)) => {
                let letter = match info.current_drive_letter {
                    0 => "none".to_string(),
                    l => format!("{}:", char::from(l)),
                };
                format!(
                    "DriveLetterWasAssigned={} CurrentDriveLetter={letter}",
                    info.drive_letter_was_assigned != 0
                )
            }
            Err(_) => bytes_text(output),
        },
        _ => bytes_text(output),
    }
}

fn bytes_text(output: &[u8]) -> String {
    if output.is_empty() {
        String::new()
    } else {
        format!("<{} bytes>", output.len())
    }
}

/// A counted-name reply: the whole name when it came back, else the length field alone.
fn counted_name(output: &[u8], length_at: usize, header: usize, length_field: &str, label: &str) -> String {
    match u16_at(output, length_at) {
        Some(length) if header.checked_add(length).is_some_and(|end| end <= output.len()) => {
            format!("{label}={}", raw_name(output, header, length))
        }
        Some(length) => format!("{length_field}={length}"),
        None => bytes_text(output),
    }
}

/// A `MOUNTMGR_MOUNT_POINTS` reply: every record on its own line, or `Size` alone.
fn describe_points(output: &[u8]) -> String {
    let Ok((header, _)) = MountPointsHeader::read_from_prefix(output) else {
        return bytes_text(output);
    };
    let size = header.size.get();
    let count = header.number_of_mount_points.get();
    let complete = usize::try_from(size).is_ok_and(|size| size <= output.len());
    if !complete {
        return format!("Size={size} NumberOfMountPoints={count}");
    }
    let mut text = format!("{count} point{}", if count == 1 { "" } else { "s" });
    let records = output.get(MountPointsHeader::HEADER_SIZE..).unwrap_or(&[]);
    for chunk in records
        .chunks_exact(MountPoint::C_SIZEOF)
        .take(usize::try_from(count).unwrap_or(0))
    {
        let Ok((point, _)) = MountPoint::read_from_prefix(chunk) else {
            break;
        };
        let at = |offset: u32| usize::try_from(offset).unwrap_or(usize::MAX);
        let link = raw_name(
            output,
            at(point.symbolic_link_name_offset.get()),
            point.symbolic_link_name_length.get().into(),
        );
        let device = match point.device_name_length.get() {
            0 => "(no device)".to_string(),
            length => raw_name(output, at(point.device_name_offset.get()), length.into()),
        };
        let uid = match point.unique_id_length.get() {
            0 => "(offline)".to_string(),
            length => match bytes_at(output, at(point.unique_id_offset.get()), length.into()) {
                Ok(id) => hex_id(id),
                Err(_) => "<invalid>".to_string(),
            },
        };
        let _ = write!(text, "\n{link} → {device}  uid={uid}");
    }
    text
}

/// A `MOUNTMGR_VOLUME_PATHS` reply: the paths, or `MultiSzLength` alone.
fn describe_paths(output: &[u8]) -> String {
    let Ok((header, _)) = VolumePathsHeader::read_from_prefix(output) else {
        return bytes_text(output);
    };
    let length = header.multi_sz_length.get();
    let Some(multi_sz) = usize::try_from(length)
        .ok()
        .and_then(|length| bytes_at(output, VolumePathsHeader::HEADER_SIZE, length).ok())
    else {
        return format!("MultiSzLength={length}");
    };
    let paths: Vec<String> = multi_sz_strings(multi_sz)
        .into_iter()
        .map(|path| format!("\"{path}\""))
        .collect();
    format!("paths=[{}]", paths.join(", "))
}

/// The strings of a REG_MULTI_SZ-style UTF-16 list (empty strings end it).
pub(crate) fn multi_sz_strings(bytes: &[u8]) -> Vec<String> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [lo, hi] => u16::from_le_bytes([*lo, *hi]),
            _ => 0,
        })
        .collect();
    units
        .split(|&unit| unit == 0)
        .take_while(|part| !part.is_empty())
        .map(|part| {
            char::decode_utf16(part.iter().copied())
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mountdev::ioctl::{IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTMGR_CREATE_POINT};

    #[test]
    fn names_and_ids() {
        assert_eq!(ioctl_name(IOCTL_MOUNTMGR_CREATE_POINT), "IOCTL_MOUNTMGR_CREATE_POINT");
        assert_eq!(ioctl_name(0x0022_2003), "IOCTL 0x00222003");
        assert_eq!(status_text(NtStatus::BUFFER_OVERFLOW), "STATUS_BUFFER_OVERFLOW");
        assert_eq!(hex_id(b"ab"), "6162 \"ab\"");
        assert_eq!(hex_id(&[0, 1]), "0001");
        assert_eq!(
            describe_output(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[36, 0, 0, 0]),
            "NameLength=36"
        );
        assert_eq!(
            describe_output(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[2, 0, b'X', 0]),
            "name=X"
        );
        assert_eq!(
            multi_sz_strings(&[b'Z', 0, b':', 0, 0, 0, b'Y', 0, 0, 0, 0, 0]),
            ["Z:", "Y"]
        );
        assert_eq!(multi_sz_strings(&[0, 0]), Vec::<String>::new());
    }
}
