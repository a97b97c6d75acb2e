//! The mount manager's parse of a `MOUNTMGR_MOUNT_POINT` filter (the input of QUERY_POINTS,
//! DELETE_POINTS and DELETE_POINTS_DBONLY), kept private to the simulator so it stays
//! independent of the client's builder.
//!
//! Names are taken as raw units ([`SimName`]): a filter naming `\DosDevices\Z:\0` is a valid
//! request for a link that does not exist, not a malformed buffer.

use alloc::vec::Vec;

use mountdev::NtStatus;
use mountdev::layout::{MountPoint, bytes_at};
use zerocopy::FromBytes;

use super::SimName;

/// `MAXSHORT`: ReactOS refuses longer link and device names in a filter.
const MAX_NAME_BYTES: usize = 0x7FFF;

/// A parsed filter. `None` = the field was empty (length 0, whatever its offset).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub(crate) link: Option<SimName>,
    pub(crate) unique_id: Option<Vec<u8>>,
    pub(crate) device: Option<SimName>,
}

/// What a filter selects, in the mount manager's order of priority (`protocol.md` §4.6a).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Selector<'a> {
    /// Every mount point.
    All,
    /// That link only; takes priority over the other fields.
    Link(&'a SimName),
    /// Every link of every volume with that unique ID.
    UniqueId(&'a [u8]),
    /// Every link of that device.
    Device(&'a SimName),
}

impl Filter {
    /// The selection rule of §4.6a: symbolic link, else unique ID, else device name, else all.
    pub(crate) fn selector(&self) -> Selector<'_> {
        match (&self.link, &self.unique_id, &self.device) {
            (Some(link), _, _) => Selector::Link(link),
            (None, Some(id), _) => Selector::UniqueId(id),
            (None, None, Some(device)) => Selector::Device(device),
            (None, None, None) => Selector::All,
        }
    }
}

/// Parses `input` with the checks of ReactOS `MountMgrQueryPoints` (`protocol.md` §4.6a), each
/// failing with
/// `STATUS_INVALID_PARAMETER`: input shorter than 24 bytes; an odd offset or length in a
/// non-empty field; a field outside the input; a name longer than `MAXSHORT`.
///
/// ReactOS checks only that the three lengths together fit the input (`docs/protocol.md`
/// Errata 6) and would read an out-of-range offset past the input; the simulator refuses such a
/// field with the same `STATUS_INVALID_PARAMETER` instead of reading memory it does not have.
/// Note that an odd-length unique ID is refused as a filter: no request can select by it.
pub(crate) fn parse_filter(input: &[u8]) -> Result<Filter, NtStatus> {
    let (fixed, _) = MountPoint::read_from_prefix(input).map_err(|_| NtStatus::INVALID_PARAMETER)?;
    let field = |offset: u32, length: u16| -> Result<Option<&[u8]>, NtStatus> {
        let length = usize::from(length);
        if length == 0 {
            return Ok(None);
        }
        let offset = usize::try_from(offset).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        if offset % 2 != 0 || length % 2 != 0 {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        bytes_at(input, offset, length)
            .map(Some)
            .map_err(|_| NtStatus::INVALID_PARAMETER)
    };
    let link = field(
        fixed.symbolic_link_name_offset.get(),
        fixed.symbolic_link_name_length.get(),
    )?;
    let unique_id = field(fixed.unique_id_offset.get(), fixed.unique_id_length.get())?;
    let device = field(fixed.device_name_offset.get(), fixed.device_name_length.get())?;
    let name = |bytes: Option<&[u8]>| -> Result<Option<SimName>, NtStatus> {
        match bytes {
            None => Ok(None),
            Some(bytes) if bytes.len() > MAX_NAME_BYTES => Err(NtStatus::INVALID_PARAMETER),
            Some(bytes) => SimName::from_le_bytes(bytes)
                .map(Some)
                .ok_or(NtStatus::INVALID_PARAMETER),
        }
    };
    Ok(Filter {
        link: name(link)?,
        unique_id: unique_id.map(<[u8]>::to_vec),
        device: name(device)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(fields: [(u32, u16); 3], tail: &[u8]) -> Vec<u8> {
        let mut input = Vec::new();
        for (offset, length) in fields {
            input.extend_from_slice(&offset.to_le_bytes());
            input.extend_from_slice(&length.to_le_bytes());
            input.extend_from_slice(&[0, 0]);
        }
        input.extend_from_slice(tail);
        input
    }

    #[test]
    fn checks_of_section_4_6a() {
        assert_eq!(parse_filter(&[0; 23]), Err(NtStatus::INVALID_PARAMETER));
        assert_eq!(parse_filter(&[0; 24]).unwrap().selector(), Selector::All);
        // A zero-length field is ignored whatever its offset.
        let ignored = filter([(9999, 0), (3, 0), (1, 0)], &[]);
        assert_eq!(parse_filter(&ignored).unwrap(), Filter::default());
        let odd_offset = filter([(25, 2), (0, 0), (0, 0)], &[0, b'A', 0]);
        assert_eq!(parse_filter(&odd_offset), Err(NtStatus::INVALID_PARAMETER));
        let odd_length = filter([(0, 0), (24, 3), (0, 0)], &[1, 2, 3]);
        assert_eq!(parse_filter(&odd_length), Err(NtStatus::INVALID_PARAMETER));
        let outside = filter([(0, 0), (0, 0), (24, 4)], &[b'A', 0]);
        assert_eq!(parse_filter(&outside), Err(NtStatus::INVALID_PARAMETER));
        let all_three = filter([(24, 2), (26, 2), (28, 2)], &[b'L', 0, 7, 7, b'D', 0]);
        let parsed = parse_filter(&all_three).unwrap();
        assert_eq!(parsed.selector(), Selector::Link(&SimName::new("L")));
        let without_link = Filter { link: None, ..parsed };
        assert_eq!(without_link.selector(), Selector::UniqueId(&[7, 7]));
    }
}
