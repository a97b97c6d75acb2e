//! The MOUNTDEV handler: one function answering every `IOCTL_MOUNTDEV_*` request.

use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromZeros, IntoBytes};

use super::{MountdevVolume, UniqueId};
use crate::ioctl::Ioctl;
use crate::layout::{
    MountdevName, MountdevNameHeader, MountdevStableGuid, MountdevSuggestedLinkName, MountdevSuggestedLinkNameHeader,
    MountdevUniqueId, MountdevUniqueIdHeader, UniqueIdChangeNotifyOutput,
};
use crate::reply::{IoBuffers, Reply, write_counted, write_fixed};
use crate::{NtName, NtStatus};

/// Answers any IOCTL sent to a volume from its MOUNTDEV description; codes that are not
/// `IOCTL_MOUNTDEV_*` get `STATUS_INVALID_DEVICE_REQUEST`.
///
/// | request | reply |
/// |---|---|
/// | `QUERY_DEVICE_NAME`, `QUERY_UNIQUE_ID` | counted reply, C `sizeof` 4 ([`write_counted`]) |
/// | `QUERY_SUGGESTED_LINK_NAME` | counted reply, `sizeof` 6; `STATUS_NOT_FOUND` without a suggestion |
/// | `QUERY_STABLE_GUID` | 16 bytes; `STATUS_INVALID_DEVICE_REQUEST` without a GUID |
/// | `LINK_CREATED`, `LINK_DELETED` (both codes each) | input parsed, callback, `SUCCESS` 0; bad input `INVALID_PARAMETER` |
/// | `UNIQUE_ID_CHANGE_NOTIFY` (both codes) | see [`MountdevVolume::supports_unique_id_change_notify`] |
///
/// The input is read completely before the first output byte is written, so the shared
/// METHOD_BUFFERED system buffer can be passed as it is ([`IoBuffers::shared`]).
///
/// ```
/// use mountdev::{IoBuffers, MountdevVolume, NtName, NtStatus, UniqueId, handle_mountdev, nt_name};
/// use mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME;
/// struct Vol;
/// impl MountdevVolume for Vol {
///     fn device_name(&self) -> NtName<'_> { nt_name!("\\Device\\XtsVolume1") }
///     fn unique_id(&self) -> UniqueId<'_> { UniqueId::new(b"xts-volume-1").unwrap() }
/// }
/// // The mount manager's 4-byte probe, then the full query (protocol.md §8.12):
/// let mut probe = [0u8; 4];
/// let r = handle_mountdev(&Vol, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IoBuffers::split(&[], &mut probe));
/// assert_eq!((r.status, r.information, &probe[..2]), (NtStatus::BUFFER_OVERFLOW, 4, &[0x24, 0][..]));
/// let mut full = [0u8; 38];
/// let r = handle_mountdev(&Vol, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IoBuffers::split(&[], &mut full));
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 38));
/// ```
pub fn handle_mountdev<V: MountdevVolume + ?Sized>(volume: &V, code: u32, io: IoBuffers<'_>) -> Reply {
    try_handle_mountdev(volume, code, io).unwrap_or(Reply::error(NtStatus::INVALID_DEVICE_REQUEST))
}

/// Like [`handle_mountdev`], but hands the buffers back untouched when `code` is not an
/// `IOCTL_MOUNTDEV_*` request, so a driver can try its next handler.
///
/// # Errors
/// `Err(io)` when the code is not a MOUNTDEV request.
pub fn try_handle_mountdev<'a, V: MountdevVolume + ?Sized>(
    volume: &V,
    code: u32,
    io: IoBuffers<'a>,
) -> Result<Reply, IoBuffers<'a>> {
    let reply = match Ioctl::decode(code) {
        Ioctl::MountdevQueryDeviceName => query_device_name(volume.device_name(), io.into_output()),
        Ioctl::MountdevQueryUniqueId => query_unique_id(volume.unique_id(), io.into_output()),
        Ioctl::MountdevQuerySuggestedLinkName => match volume.suggested_link() {
            None => Reply::error(NtStatus::NOT_FOUND),
            Some(link) => {
                let name = link.name();
                let header = MountdevSuggestedLinkNameHeader {
                    use_only_if_there_are_no_other_links: u8::from(link.use_only_if_there_are_no_other_links),
                    reserved: 0,
                    name_length: U16::new(name.byte_len_u16()),
                };
                write_counted(
                    io.into_output(),
                    MountdevSuggestedLinkName::C_SIZEOF,
                    header.as_bytes(),
                    name.as_le_bytes(),
                )
            }
        },
        Ioctl::MountdevQueryStableGuid => match volume.stable_guid() {
            None => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
            Some(guid) => {
                let wire = MountdevStableGuid {
                    stable_guid: guid.to_wire(),
                };
                write_fixed(io.into_output(), wire.as_bytes())
            }
        },
        Ioctl::MountdevLinkCreated | Ioctl::MountdevLinkCreatedAnyAccess => {
            link_notification(&io, |name| volume.link_created(name))
        }
        Ioctl::MountdevLinkDeleted | Ioctl::MountdevLinkDeletedAnyAccess => {
            link_notification(&io, |name| volume.link_deleted(name))
        }
        Ioctl::MountdevUniqueIdChangeNotify | Ioctl::MountdevUniqueIdChangeNotifyAnyAccess => {
            unique_id_change_notify(volume, io)
        }
        _ => return Err(io),
    };
    Ok(reply)
}

fn query_device_name(name: NtName<'_>, out: &mut [u8]) -> Reply {
    let header = MountdevNameHeader {
        name_length: U16::new(name.byte_len_u16()),
    };
    write_counted(out, MountdevName::C_SIZEOF, header.as_bytes(), name.as_le_bytes())
}

fn query_unique_id(id: UniqueId<'_>, out: &mut [u8]) -> Reply {
    let header = MountdevUniqueIdHeader {
        unique_id_length: U16::new(id.len_u16()),
    };
    write_counted(out, MountdevUniqueId::C_SIZEOF, header.as_bytes(), id.as_bytes())
}

/// LINK_CREATED / LINK_DELETED: parse the `MOUNTDEV_NAME` input, notify, no output.
fn link_notification(io: &IoBuffers<'_>, notify: impl FnOnce(NtName<'_>)) -> Reply {
    match MountdevName::parse(io.input()).ok().and_then(|n| n.name().ok()) {
        Some(name) => {
            notify(name);
            Reply::success(0)
        }
        None => Reply::error(NtStatus::INVALID_PARAMETER),
    }
}

fn unique_id_change_notify<V: MountdevVolume + ?Sized>(volume: &V, io: IoBuffers<'_>) -> Reply {
    if !volume.supports_unique_id_change_notify() {
        return Reply::error(NtStatus::INVALID_DEVICE_REQUEST);
    }
    let Ok(known) = MountdevUniqueId::parse(io.input()) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let current = volume.unique_id();
    if known.unique_id == *current.as_bytes() {
        return Reply::pending();
    }
    // The mount manager knows an older ID: report old (its input) and new (ours) right away.
    let old_len = known.unique_id.len();
    let old_range = MountdevUniqueId::HEADER_SIZE..MountdevUniqueId::HEADER_SIZE.saturating_add(old_len);
    let Some(total) = UniqueIdChangeNotifyOutput::C_SIZEOF
        .checked_add(old_len)
        .and_then(|n| n.checked_add(current.as_bytes().len()))
    else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    if io.output_len() < total {
        return change_output_overflow(io.into_output(), total);
    }
    match io.into_output_with_input_copied(old_range, UniqueIdChangeNotifyOutput::C_SIZEOF) {
        Some(out) => finish_change_output(out, old_len, current.as_bytes()),
        None => Reply::error(NtStatus::INVALID_PARAMETER),
    }
}

/// Writes a complete `MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT` for a pended notification: `out`
/// shorter than 12 → `BUFFER_TOO_SMALL`; shorter than the whole → `Size` only,
/// `BUFFER_OVERFLOW`, 12; otherwise both IDs, `SUCCESS`, `Size`.
///
/// ```
/// use mountdev::{NtStatus, UniqueId, write_unique_id_change};
/// let mut out = [0u8; 64];
/// let r = write_unique_id_change(&mut out, UniqueId::new(b"old").unwrap(), UniqueId::new(b"new!").unwrap());
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 19));
/// ```
pub fn write_unique_id_change(out: &mut [u8], old: UniqueId<'_>, new: UniqueId<'_>) -> Reply {
    let old = old.as_bytes();
    let Some(total) = UniqueIdChangeNotifyOutput::C_SIZEOF
        .checked_add(old.len())
        .and_then(|n| n.checked_add(new.as_bytes().len()))
    else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    if out.len() < total {
        return change_output_overflow(out, total);
    }
    let start = UniqueIdChangeNotifyOutput::C_SIZEOF;
    let Some(dst) = out.get_mut(start..start.saturating_add(old.len())) else {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    };
    dst.copy_from_slice(old);
    finish_change_output(out, old.len(), new.as_bytes())
}

fn change_output_overflow(out: &mut [u8], total: usize) -> Reply {
    let Some(fixed) = out.get_mut(..UniqueIdChangeNotifyOutput::C_SIZEOF) else {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    };
    let Ok(size) = u32::try_from(total) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let header = UniqueIdChangeNotifyOutput {
        size: U32::new(size),
        ..UniqueIdChangeNotifyOutput::new_zeroed()
    };
    fixed.copy_from_slice(header.as_bytes());
    Reply::new(NtStatus::BUFFER_OVERFLOW, UniqueIdChangeNotifyOutput::C_SIZEOF)
}

/// Fills the fixed part and the new ID of a change output whose old ID already sits at offset 12.
fn finish_change_output(out: &mut [u8], old_len: usize, new: &[u8]) -> Reply {
    let fixed_size = UniqueIdChangeNotifyOutput::C_SIZEOF;
    let new_offset = fixed_size.saturating_add(old_len);
    let total = new_offset.saturating_add(new.len());
    let (Ok(fixed_offset16), Ok(old_len16), Ok(new_offset16), Ok(new_len16), Ok(total32)) = (
        u16::try_from(fixed_size),
        u16::try_from(old_len),
        u16::try_from(new_offset),
        u16::try_from(new.len()),
        u32::try_from(total),
    ) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let Some(dst) = out.get_mut(new_offset..total) else {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    };
    dst.copy_from_slice(new);
    let fixed = UniqueIdChangeNotifyOutput {
        size: U32::new(total32),
        old_unique_id_offset: U16::new(fixed_offset16),
        old_unique_id_length: U16::new(old_len16),
        new_unique_id_offset: U16::new(new_offset16),
        new_unique_id_length: U16::new(new_len16),
    };
    match out.get_mut(..fixed_size) {
        Some(dst) => dst.copy_from_slice(fixed.as_bytes()),
        None => return Reply::error(NtStatus::BUFFER_TOO_SMALL),
    }
    Reply::success(total)
}
