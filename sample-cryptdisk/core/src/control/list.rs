//! LIST: the mounted volumes, as a variable-length reply with the mount manager's "Size, then
//! retry" convention.

use alloc::vec::Vec;

use mountdev::{NtName, NtStatus, Reply};
use zerocopy::byteorder::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{ControlError, PROTOCOL_VERSION};
use crate::uuid::Uuid;

const LIST_MAGIC: [u8; 4] = *b"CDLS";
const FLAG_READ_ONLY: u8 = 1;
const FLAG_REMOVABLE: u8 = 2;
const FLAG_FALLBACK_LINK: u8 = 4;

/// The LIST reply's fixed part (16 bytes); `count` entries of [`ListEntryWire`] follow, then the
/// UTF-16LE container paths they point at.
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct ListHeader {
    /// `b"CDLS"`.
    pub magic: [u8; 4],
    /// [`PROTOCOL_VERSION`].
    pub version: U16,
    /// Zero.
    pub reserved: U16,
    /// Bytes of the complete reply.
    pub size: U32,
    /// Number of entries.
    pub count: U32,
}

/// Size of [`ListHeader`].
pub const LIST_HEADER_SIZE: usize = 16;
/// Size of [`ListEntryWire`].
pub const LIST_ENTRY_SIZE: usize = 40;

/// One mounted volume in a LIST reply (40 bytes).
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct ListEntryWire {
    /// `N` of `\Device\CryptDiskVolumeN`.
    pub device_number: U32,
    /// Drive letter or 0.
    pub drive_letter: u8,
    /// Bit 0 read-only, bit 1 removable, bit 2 fallback link.
    pub flags: u8,
    /// Container path length in bytes.
    pub path_length: U16,
    /// Data sectors.
    pub data_sectors: U64,
    /// LUKS UUID.
    pub uuid: [u8; 16],
    /// Offset of the container path from the start of the reply.
    pub path_offset: U32,
    /// Zero.
    pub reserved: U32,
}

const _: () = assert!(core::mem::size_of::<ListHeader>() == LIST_HEADER_SIZE);
const _: () = assert!(core::mem::size_of::<ListEntryWire>() == LIST_ENTRY_SIZE);

/// What the driver knows about one mounted volume (input of [`write_list_reply`]).
#[derive(Clone, Copy, Debug)]
pub struct VolumeSummary<'a> {
    /// Device number.
    pub device_number: u32,
    /// Drive letter.
    pub drive_letter: Option<u8>,
    /// Read-only mount.
    pub read_only: bool,
    /// Removable media.
    pub removable: bool,
    /// The driver created the letter itself because the mount manager refused.
    pub fallback_link: bool,
    /// Data sectors.
    pub data_sectors: u64,
    /// LUKS UUID.
    pub uuid: Uuid,
    /// Container path.
    pub path: NtName<'a>,
}

/// Writes the LIST reply for `volumes` into `out`: shorter than 16 bytes → `BUFFER_TOO_SMALL`;
/// shorter than the whole reply → the header with `size` and `count`, `BUFFER_OVERFLOW`,
/// Information 16 (the caller retries with `size`); otherwise everything, `SUCCESS`.
///
/// ```
/// use cryptdisk_core::control::{ListReply, VolumeSummary, write_list_reply};
/// use cryptdisk_core::uuid::Uuid;
/// use mountdev::{NtStatus, nt_name};
/// let volume = VolumeSummary {
///     device_number: 1, drive_letter: Some(b'Z'), read_only: false, removable: false,
///     fallback_link: false, data_sectors: 2048, uuid: Uuid::from_bytes([7; 16]),
///     path: nt_name!("\\??\\C:\\v.luks"),
/// };
/// let mut probe = [0u8; 16];
/// let reply = write_list_reply(&[volume], &mut probe);
/// assert_eq!(reply.status, NtStatus::BUFFER_OVERFLOW);
/// assert!(ListReply::parse(&probe).is_err()); // NeedsRetry { size: 82 }
/// let mut full = vec![0u8; 16 + 40 + 26];
/// let reply = write_list_reply(&[volume], &mut full);
/// let list = ListReply::parse(&full[..reply.information]).unwrap();
/// assert_eq!(list.entries().next().unwrap().unwrap().path.to_string(), "\\??\\C:\\v.luks");
/// ```
pub fn write_list_reply(volumes: &[VolumeSummary<'_>], out: &mut [u8]) -> Reply {
    let Some(total) = reply_size(volumes) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let (Ok(size), Ok(count)) = (u32::try_from(total), u32::try_from(volumes.len())) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let header = ListHeader {
        magic: LIST_MAGIC,
        version: U16::new(PROTOCOL_VERSION),
        reserved: U16::ZERO,
        size: U32::new(size),
        count: U32::new(count),
    };
    if out.len() < LIST_HEADER_SIZE {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    }
    if header.write_to_prefix(out).is_err() {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    }
    if out.len() < total {
        return Reply::new(NtStatus::BUFFER_OVERFLOW, LIST_HEADER_SIZE);
    }
    let mut path_offset = LIST_HEADER_SIZE.saturating_add(volumes.len().saturating_mul(LIST_ENTRY_SIZE));
    for (index, volume) in volumes.iter().enumerate() {
        let path = volume.path.as_le_bytes();
        let entry = ListEntryWire {
            device_number: U32::new(volume.device_number),
            drive_letter: volume.drive_letter.unwrap_or(0),
            flags: (if volume.read_only { FLAG_READ_ONLY } else { 0 })
                | (if volume.removable { FLAG_REMOVABLE } else { 0 })
                | (if volume.fallback_link { FLAG_FALLBACK_LINK } else { 0 }),
            path_length: U16::new(volume.path.byte_len_u16()),
            data_sectors: U64::new(volume.data_sectors),
            uuid: *volume.uuid.as_bytes(),
            path_offset: U32::new(u32::try_from(path_offset).unwrap_or(u32::MAX)),
            reserved: U32::ZERO,
        };
        let entry_offset = LIST_HEADER_SIZE.saturating_add(index.saturating_mul(LIST_ENTRY_SIZE));
        let path_end = path_offset.saturating_add(path.len());
        match out.get_mut(entry_offset..entry_offset.saturating_add(LIST_ENTRY_SIZE)) {
            Some(dst) => dst.copy_from_slice(entry.as_bytes()),
            None => return Reply::error(NtStatus::BUFFER_TOO_SMALL),
        }
        match out.get_mut(path_offset..path_end) {
            Some(dst) => dst.copy_from_slice(path),
            None => return Reply::error(NtStatus::BUFFER_TOO_SMALL),
        }
        path_offset = path_end;
    }
    Reply::success(total)
}

fn reply_size(volumes: &[VolumeSummary<'_>]) -> Option<usize> {
    let fixed = volumes
        .len()
        .checked_mul(LIST_ENTRY_SIZE)?
        .checked_add(LIST_HEADER_SIZE)?;
    volumes
        .iter()
        .try_fold(fixed, |sum, v| sum.checked_add(v.path.byte_len()))
}

/// One entry of a parsed LIST reply.
#[derive(Clone, Copy, Debug)]
pub struct ListEntry<'a> {
    /// Device number.
    pub device_number: u32,
    /// Drive letter (`b'A'..=b'Z'`) or `None`.
    pub drive_letter: Option<u8>,
    /// Read-only.
    pub read_only: bool,
    /// Removable.
    pub removable: bool,
    /// Fallback link in use.
    pub fallback_link: bool,
    /// Data sectors.
    pub data_sectors: u64,
    /// LUKS UUID.
    pub uuid: Uuid,
    /// Container path.
    pub path: NtName<'a>,
}

/// A validated LIST reply.
#[derive(Clone, Copy, Debug)]
pub struct ListReply<'a> {
    bytes: &'a [u8],
    count: usize,
}

impl<'a> ListReply<'a> {
    /// Validates the header against the bytes returned.
    ///
    /// # Errors
    /// [`ControlError::NeedsRetry`] when `size` exceeds the bytes (retry with that size), or a
    /// validation error. Entries are checked one by one by [`ListReply::entries`].
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ControlError> {
        let (header, _) = ListHeader::ref_from_prefix(bytes).map_err(|_| ControlError::Short {
            needed: LIST_HEADER_SIZE,
            available: bytes.len(),
        })?;
        if header.magic != LIST_MAGIC {
            return Err(ControlError::Magic);
        }
        if header.version.get() != PROTOCOL_VERSION {
            return Err(ControlError::Version {
                version: header.version.get(),
            });
        }
        let size = usize::try_from(header.size.get()).map_err(|_| ControlError::Size {
            field: "size",
            value: u64::from(header.size.get()),
        })?;
        if size > bytes.len() {
            return Err(ControlError::NeedsRetry { size });
        }
        let count = usize::try_from(header.count.get()).map_err(|_| ControlError::Size {
            field: "count",
            value: u64::from(header.count.get()),
        })?;
        let fixed = count
            .checked_mul(LIST_ENTRY_SIZE)
            .and_then(|n| n.checked_add(LIST_HEADER_SIZE))
            .ok_or(ControlError::Size {
                field: "count",
                value: u64::from(header.count.get()),
            })?;
        if fixed > size {
            return Err(ControlError::Size {
                field: "count",
                value: u64::from(header.count.get()),
            });
        }
        let bytes = bytes.get(..size).ok_or(ControlError::NeedsRetry { size })?;
        Ok(Self { bytes, count })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The entries, each validated (path range inside `size`, even, a valid name; letter A-Z).
    pub fn entries(&self) -> impl Iterator<Item = Result<ListEntry<'a>, ControlError>> + 'a {
        let bytes = self.bytes;
        (0..self.count).map(move |index| {
            let offset = LIST_HEADER_SIZE.saturating_add(index.saturating_mul(LIST_ENTRY_SIZE));
            let raw = bytes.get(offset..).ok_or(ControlError::Short {
                needed: offset,
                available: bytes.len(),
            })?;
            let (entry, _) = ListEntryWire::ref_from_prefix(raw).map_err(|_| ControlError::Short {
                needed: offset.saturating_add(LIST_ENTRY_SIZE),
                available: bytes.len(),
            })?;
            if entry.flags & !(FLAG_READ_ONLY | FLAG_REMOVABLE | FLAG_FALLBACK_LINK) != 0 || entry.reserved.get() != 0 {
                return Err(ControlError::Reserved { field: "entry flags" });
            }
            let drive_letter = match entry.drive_letter {
                0 => None,
                l if l.is_ascii_uppercase() => Some(l),
                l => return Err(ControlError::DriveLetter { letter: l }),
            };
            let start = usize::try_from(entry.path_offset.get()).unwrap_or(usize::MAX);
            let length = usize::from(entry.path_length.get());
            let path_bytes = mountdev::layout::bytes_at(bytes, start, length).map_err(|_| ControlError::Path {
                reason: "range outside the reply",
            })?;
            let path = NtName::from_le_bytes(path_bytes).map_err(|_| ControlError::Path {
                reason: "not a valid name",
            })?;
            Ok(ListEntry {
                device_number: entry.device_number.get(),
                drive_letter,
                read_only: entry.flags & FLAG_READ_ONLY != 0,
                removable: entry.flags & FLAG_REMOVABLE != 0,
                fallback_link: entry.flags & FLAG_FALLBACK_LINK != 0,
                data_sectors: entry.data_sectors.get(),
                uuid: Uuid::from_bytes(entry.uuid),
                path,
            })
        })
    }

    /// All entries in a `Vec`, or the first error.
    ///
    /// # Errors
    /// The first entry's [`ControlError`].
    pub fn to_vec(&self) -> Result<Vec<ListEntry<'a>>, ControlError> {
        self.entries().collect()
    }
}
