//! [`VolumePaths`]: a validated `MOUNTMGR_VOLUME_PATHS` reply (`QUERY_DOS_VOLUME_PATH(S)`).

use core::fmt;

use mountdev::NtName;
use mountdev::layout::VolumePathsHeader;

use super::{Parsed, ReplyError, read_u32, to_usize};

/// A validated `MOUNTMGR_VOLUME_PATHS` reply: `MultiSzLength` bytes of NUL-terminated UTF-16 paths
/// (`C:\`, `D:\mnt\x\`, ...), the list ended by an empty string (`protocol.md` §2.16).
///
/// [`VolumePaths::parse`] checks that `MultiSzLength` is even, fits the bytes returned, that the
/// last code unit is NUL and that nothing but NULs follows the empty string that ends the list.
/// `QUERY_DOS_VOLUME_PATH` (one path) may omit the extra final NUL; both forms are accepted.
///
/// ```
/// use mountmgr_client::{Parsed, VolumePaths};
/// let mut reply = 12u32.to_le_bytes().to_vec();
/// for unit in "C:\\\0\0\0".encode_utf16() {
///     reply.extend_from_slice(&unit.to_le_bytes());
/// }
/// let Parsed::Complete(paths) = VolumePaths::parse(&reply).unwrap() else { unreachable!() };
/// assert_eq!(paths.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["C:\\"]);
/// assert_eq!(VolumePaths::parse(&reply[..4]).unwrap(), Parsed::Retry { required: 16 });
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_VOLUME_PATHS")]
pub struct VolumePaths<'a> {
    // INVARIANT: even length, ends in a NUL unit, segments before the first empty one are valid
    // names, only NUL units after it.
    multi_sz: &'a [u8],
}

impl<'a> VolumePaths<'a> {
    /// Parses the bytes a `QUERY_DOS_VOLUME_PATH(S)` request returned (the output buffer cut to
    /// `Information`).
    ///
    /// Returns [`Parsed::Retry`] with `4 + MultiSzLength` when fewer bytes came back.
    ///
    /// # Errors
    /// [`ReplyError::Short`] for fewer than 4 bytes, [`ReplyError::Odd`] or
    /// [`ReplyError::Field`] for a bad `MultiSzLength`, [`ReplyError::Unterminated`] or
    /// [`ReplyError::Path`] for a bad list.
    pub fn parse(returned: &'a [u8]) -> Result<Parsed<Self>, ReplyError> {
        let length = to_usize("MultiSzLength", read_u32(returned, 0)?)?;
        if length % 2 != 0 {
            return Err(ReplyError::Odd {
                field: "MultiSzLength",
                value: length,
            });
        }
        if length == 0 {
            return Err(ReplyError::Field {
                field: "MultiSzLength",
                value: 0,
            });
        }
        let required = length
            .checked_add(VolumePathsHeader::HEADER_SIZE)
            .ok_or(ReplyError::Field {
                field: "MultiSzLength",
                value: length as u64,
            })?;
        let Some(multi_sz) = returned.get(VolumePathsHeader::HEADER_SIZE..required) else {
            return Ok(Parsed::Retry {
                required: required.max(VolumePathsHeader::C_SIZEOF),
            });
        };
        validate(multi_sz)?;
        Ok(Parsed::Complete(Self { multi_sz }))
    }

    /// `MultiSzLength`: bytes of the list, every NUL included.
    pub const fn multi_sz_length(&self) -> usize {
        self.multi_sz.len()
    }

    /// The paths, in reply order.
    pub fn iter(&self) -> VolumePathIter<'a> {
        VolumePathIter { rest: self.multi_sz }
    }

    /// Number of paths.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the list is empty (the volume has no DOS path).
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Splits off the next NUL-terminated segment: `(segment, rest)`, or `None` when no NUL is left.
fn next_segment(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let units = bytes.chunks_exact(2).position(|unit| unit == [0, 0])?;
    let end = units.checked_mul(2)?;
    let segment = bytes.get(..end)?;
    let rest = bytes.get(end.checked_add(2)?..)?;
    Some((segment, rest))
}

fn validate(multi_sz: &[u8]) -> Result<(), ReplyError> {
    if !multi_sz.ends_with(&[0, 0]) {
        return Err(ReplyError::Unterminated);
    }
    let mut rest = multi_sz;
    while let Some((segment, tail)) = next_segment(rest) {
        if segment.is_empty() {
            return if tail.iter().all(|&b| b == 0) {
                Ok(())
            } else {
                Err(ReplyError::Unterminated)
            };
        }
        NtName::from_le_bytes(segment).map_err(ReplyError::Path)?;
        rest = tail;
    }
    // The last unit is NUL, so the loop consumed everything: a list without the extra final NUL.
    Ok(())
}

/// Iterator over the paths of [`VolumePaths`].
#[derive(Clone, Debug)]
pub struct VolumePathIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for VolumePathIter<'a> {
    type Item = NtName<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let (segment, rest) = next_segment(self.rest)?;
        self.rest = rest;
        // Validated by `VolumePaths::parse`: an empty segment ends the list, others are names.
        NtName::from_le_bytes(segment).ok()
    }
}

impl<'a> IntoIterator for VolumePaths<'a> {
    type Item = NtName<'a>;
    type IntoIter = VolumePathIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for VolumePaths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
