//! [`MountPoints`]: a validated `MOUNTMGR_MOUNT_POINTS` reply (`QUERY_POINTS`, `DELETE_POINTS`,
//! `DELETE_POINTS_DBONLY`).

use core::fmt;

use mountdev::layout::{MountPoint, MountPointsHeader, bytes_at};
use mountdev::{DriveLetterLink, NtName, VolumeGuidName};
use zerocopy::FromBytes;

use super::error::PointDefect;
use super::{Parsed, ReplyError, read_u32, to_usize};

/// A validated `MOUNTMGR_MOUNT_POINTS` reply: `Size`, `NumberOfMountPoints`, the records and the
/// names and IDs they point at (`protocol.md` §2.10-§2.11).
///
/// [`MountPoints::parse`] checks every record before it returns: each offset and length lies
/// within the reported `Size` and the bytes actually returned, and after the record array; name
/// lengths are even; names hold no NUL. Iterating afterwards cannot fail.
#[derive(Clone, Copy, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_MOUNT_POINTS")]
pub struct MountPoints<'a> {
    // INVARIANT: `bytes` is exactly `Size` bytes long and `count` records in it passed
    // `MountPoints::point`.
    bytes: &'a [u8],
    count: usize,
    records_end: usize,
}

/// One mount point of a reply: a symbolic link, the volume's unique ID and its device name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_MOUNT_POINT")]
pub struct MountPointEntry<'a> {
    symbolic_link: NtName<'a>,
    unique_id: Option<&'a [u8]>,
    device_name: Option<NtName<'a>>,
}

/// What kind of link a mount point is (`protocol.md` §2.18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A drive letter, exactly `\DosDevices\X:` with an uppercase letter.
    DriveLetter(DriveLetterLink),
    /// A volume GUID name, exactly `\??\Volume{GUID}`.
    VolumeName(VolumeGuidName),
    /// Any other link (a directory mount point, a near-miss drive letter, ...).
    Other,
}

impl<'a> MountPoints<'a> {
    /// Parses the bytes a `QUERY_POINTS` / `DELETE_POINTS(_DBONLY)` request returned (the output
    /// buffer cut to `Information`).
    ///
    /// Returns [`Parsed::Retry`] when `Size` is larger than the bytes returned (the
    /// `STATUS_BUFFER_OVERFLOW` reply; at least 4 bytes are needed to read `Size`). Bytes after
    /// `Size` are ignored.
    ///
    /// # Errors
    /// [`ReplyError::Short`] for fewer than 4 bytes (or fewer than 8 for a complete reply),
    /// [`ReplyError::Field`] for a `Size` below the 8-byte header or a record count `Size` cannot
    /// hold, [`ReplyError::Point`] for an invalid record.
    pub fn parse(returned: &'a [u8]) -> Result<Parsed<Self>, ReplyError> {
        let size = to_usize("Size", read_u32(returned, 0)?)?;
        if size < MountPointsHeader::HEADER_SIZE {
            return Err(ReplyError::Field {
                field: "Size",
                value: size as u64,
            });
        }
        if size > returned.len() {
            return Ok(Parsed::Retry {
                required: size.max(MountPointsHeader::C_SIZEOF),
            });
        }
        let bytes = returned.get(..size).ok_or(ReplyError::Short {
            needed: size,
            available: returned.len(),
        })?;
        let raw_count = read_u32(bytes, 4)?;
        let too_many = ReplyError::Field {
            field: "NumberOfMountPoints",
            value: raw_count.into(),
        };
        let count = to_usize("NumberOfMountPoints", raw_count)?;
        let records_end = count
            .checked_mul(MountPoint::C_SIZEOF)
            .and_then(|records| records.checked_add(MountPointsHeader::HEADER_SIZE))
            .ok_or(too_many)?;
        if records_end > size {
            return Err(too_many);
        }
        let points = Self {
            bytes,
            count,
            records_end,
        };
        for index in 0..count {
            points
                .point(index)
                .map_err(|defect| ReplyError::Point { index, defect })?;
        }
        Ok(Parsed::Complete(points))
    }

    /// `NumberOfMountPoints`.
    pub const fn len(&self) -> usize {
        self.count
    }

    /// Whether the reply holds no mount point.
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `Size`: the bytes of the complete reply.
    pub const fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The reply's bytes (exactly `Size` of them).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Mount point `index`.
    pub fn get(&self, index: usize) -> Option<MountPointEntry<'a>> {
        if index < self.count {
            self.point(index).ok()
        } else {
            None
        }
    }

    /// The mount points, in reply order.
    pub fn iter(&self) -> MountPointIter<'a> {
        MountPointIter { points: *self, next: 0 }
    }

    /// Validates and reads record `index` (which must be below `count`).
    fn point(&self, index: usize) -> Result<MountPointEntry<'a>, PointDefect> {
        let record_offset = index
            .checked_mul(MountPoint::C_SIZEOF)
            .and_then(|o| o.checked_add(MountPointsHeader::HEADER_SIZE))
            .unwrap_or(usize::MAX);
        let record = bytes_at(self.bytes, record_offset, MountPoint::C_SIZEOF)
            .ok()
            .and_then(|raw| MountPoint::read_from_bytes(raw).ok())
            .ok_or(PointDefect::OutOfBounds {
                field: "MountPoints",
                offset: record_offset,
                length: MountPoint::C_SIZEOF,
                limit: self.bytes.len(),
            })?;
        let link = self
            .field(
                "SymbolicLinkName",
                record.symbolic_link_name_offset.get(),
                record.symbolic_link_name_length.get(),
            )?
            .ok_or(PointDefect::NoSymbolicLink)?;
        let unique_id = self.field("UniqueId", record.unique_id_offset.get(), record.unique_id_length.get())?;
        let device = self.field(
            "DeviceName",
            record.device_name_offset.get(),
            record.device_name_length.get(),
        )?;
        Ok(MountPointEntry {
            symbolic_link: name("SymbolicLinkName", link)?,
            unique_id,
            device_name: device.map(|bytes| name("DeviceName", bytes)).transpose()?,
        })
    }

    /// The bytes of one field, or `None` for length 0.
    fn field(&self, field: &'static str, offset: u32, length: u16) -> Result<Option<&'a [u8]>, PointDefect> {
        let length = usize::from(length);
        if length == 0 {
            return Ok(None);
        }
        let out_of_bounds = |offset| PointDefect::OutOfBounds {
            field,
            offset,
            length,
            limit: self.bytes.len(),
        };
        let offset = usize::try_from(offset).map_err(|_| out_of_bounds(usize::MAX))?;
        if offset < self.records_end {
            return Err(PointDefect::OverlapsRecords { field, offset });
        }
        bytes_at(self.bytes, offset, length)
            .map(Some)
            .map_err(|_| out_of_bounds(offset))
    }
}

fn name<'a>(field: &'static str, bytes: &'a [u8]) -> Result<NtName<'a>, PointDefect> {
    if bytes.len() % 2 != 0 {
        return Err(PointDefect::OddLength {
            field,
            length: bytes.len(),
        });
    }
    NtName::from_le_bytes(bytes).map_err(|error| PointDefect::Name { field, error })
}

impl fmt::Debug for MountPoints<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MountPoints")
            .field("size", &self.size())
            .field("points", &DebugList(*self))
            .finish()
    }
}

struct DebugList<'a>(MountPoints<'a>);

impl fmt::Debug for DebugList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<'a> MountPointEntry<'a> {
    /// The symbolic link name (`\DosDevices\C:`, `\??\Volume{…}`, ...).
    pub const fn symbolic_link(&self) -> NtName<'a> {
        self.symbolic_link
    }

    /// The volume's unique ID; `None` when the record has none (offset and length 0, e.g. a
    /// link whose volume is offline).
    pub const fn unique_id(&self) -> Option<&'a [u8]> {
        self.unique_id
    }

    /// The volume's NT device name; `None` when the record has none (length 0).
    pub const fn device_name(&self) -> Option<NtName<'a>> {
        self.device_name
    }

    /// What kind of link this is.
    pub fn kind(&self) -> LinkKind {
        if let Ok(letter) = DriveLetterLink::parse(self.symbolic_link) {
            LinkKind::DriveLetter(letter)
        } else if let Ok(volume) = VolumeGuidName::parse(self.symbolic_link) {
            LinkKind::VolumeName(volume)
        } else {
            LinkKind::Other
        }
    }

    /// The drive letter, if this is a drive-letter link.
    pub fn drive_letter(&self) -> Option<DriveLetterLink> {
        DriveLetterLink::parse(self.symbolic_link).ok()
    }

    /// The volume GUID name, if this is one.
    pub fn volume_name(&self) -> Option<VolumeGuidName> {
        VolumeGuidName::parse(self.symbolic_link).ok()
    }

    /// Whether this point belongs to `device` (device names compare ASCII-case-insensitively, as
    /// the object manager does).
    pub fn is_on_device(&self, device: NtName<'_>) -> bool {
        self.device_name.is_some_and(|name| name.eq_ignore_ascii_case(&device))
    }
}

/// Iterator over the points of [`MountPoints`].
#[derive(Clone, Debug)]
pub struct MountPointIter<'a> {
    points: MountPoints<'a>,
    next: usize,
}

impl<'a> Iterator for MountPointIter<'a> {
    type Item = MountPointEntry<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // Records were validated by `MountPoints::parse`; `get` cannot fail for an index below
        // the count, and a failure would only end the iteration.
        let point = self.points.get(self.next)?;
        self.next = self.next.saturating_add(1);
        Some(point)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.points.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for MountPointIter<'_> {}

impl<'a> IntoIterator for MountPoints<'a> {
    type Item = MountPointEntry<'a>;
    type IntoIter = MountPointIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &MountPoints<'a> {
    type Item = MountPointEntry<'a>;
    type IntoIter = MountPointIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Parsed;
    use mountdev::testing::utf16;

    fn record(out: &mut Vec<u8>, fields: [(usize, usize); 3]) {
        for (offset, length) in fields {
            out.extend_from_slice(&u32::try_from(offset).unwrap().to_le_bytes());
            out.extend_from_slice(&u16::try_from(length).unwrap().to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        }
    }

    /// A reply laid out by hand the way ReactOS's `QueryPointsFromMemory` lays it out
    /// (`docs/protocol.md` Errata 1): `Size` = 32 + 24 per record + data, the data starting 24
    /// bytes after the last record; per device its unique ID then its device name, once, and
    /// its links after them; an offline link has no unique ID.
    fn reactos_shared_reply() -> Vec<u8> {
        let (id_a, dev_a) = (b"odd".as_slice(), utf16("\\Device\\VolA"));
        let (z, vol) = (
            utf16("\\DosDevices\\Z:"),
            utf16("\\??\\Volume{00000000-0000-0000-0000-0000000000aa}"),
        );
        let (id_b, dev_b, y) = (b"idb!".as_slice(), utf16("\\Device\\VolB"), utf16("\\DosDevices\\Y:"));
        let base = 32 + 24 * 3;
        let id_a_at = base;
        let dev_a_at = id_a_at + id_a.len(); // odd
        let z_at = dev_a_at + dev_a.len();
        let vol_at = z_at + z.len();
        let id_b_at = vol_at + vol.len();
        let dev_b_at = id_b_at + id_b.len();
        let y_at = dev_b_at + dev_b.len();
        let size = y_at + y.len();
        let mut reply = Vec::new();
        reply.extend_from_slice(&u32::try_from(size).unwrap().to_le_bytes());
        reply.extend_from_slice(&3u32.to_le_bytes());
        record(
            &mut reply,
            [(z_at, z.len()), (id_a_at, id_a.len()), (dev_a_at, dev_a.len())],
        );
        record(&mut reply, [(vol_at, vol.len()), (0, 0), (dev_a_at, dev_a.len())]);
        record(
            &mut reply,
            [(y_at, y.len()), (id_b_at, id_b.len()), (dev_b_at, dev_b.len())],
        );
        reply.resize(base, 0);
        for part in [id_a, &dev_a, &z, &vol, id_b, &dev_b, &y] {
            reply.extend_from_slice(part);
        }
        assert_eq!(reply.len(), size);
        reply
    }

    #[test]
    fn reactos_shared_offsets_and_odd_offsets_parse() {
        let reply = reactos_shared_reply();
        let Ok(Parsed::Complete(points)) = MountPoints::parse(&reply) else {
            panic!("the shared-offset shape must parse");
        };
        assert_eq!(points.len(), 3);
        let all: Vec<_> = points.iter().collect();
        assert_eq!(all[0].symbolic_link().to_string(), "\\DosDevices\\Z:");
        assert_eq!(all[0].unique_id(), Some(b"odd".as_slice()));
        assert_eq!(all[0].device_name().unwrap().to_string(), "\\Device\\VolA");
        assert!(all[0].drive_letter().is_some());
        // The offline link shares the device name and has no unique ID.
        assert!(all[1].volume_name().is_some());
        assert_eq!(all[1].unique_id(), None);
        assert_eq!(all[1].device_name(), all[0].device_name());
        assert_eq!(all[2].unique_id(), Some(b"idb!".as_slice()));
        assert_eq!(all[2].device_name().unwrap().to_string(), "\\Device\\VolB");
        // Cut short: a retry with the full size.
        assert_eq!(
            MountPoints::parse(&reply[..40]),
            Ok(Parsed::Retry { required: reply.len() })
        );
    }

    #[test]
    fn reactos_one_link_shape_parses() {
        // `QueryPointsFromSymbolicLinkName`: link at 32, then the unique ID, then the device name.
        let (link, id, device) = (utf16("\\DosDevices\\Q:"), b"qqq".as_slice(), utf16("\\Device\\Q"));
        let size = 32 + link.len() + id.len() + device.len();
        let mut reply = Vec::new();
        reply.extend_from_slice(&u32::try_from(size).unwrap().to_le_bytes());
        reply.extend_from_slice(&1u32.to_le_bytes());
        record(
            &mut reply,
            [
                (32, link.len()),
                (32 + link.len(), id.len()),
                (32 + link.len() + id.len(), device.len()),
            ],
        );
        for part in [&link[..], id, &device] {
            reply.extend_from_slice(part);
        }
        let Ok(Parsed::Complete(points)) = MountPoints::parse(&reply) else {
            panic!("the one-link shape must parse");
        };
        let point = points.get(0).unwrap();
        assert_eq!(point.unique_id(), Some(b"qqq".as_slice()));
        assert_eq!(point.device_name().unwrap().to_string(), "\\Device\\Q");
    }
}
