//! [`DriveLetterLink`]: `\DosDevices\X:`, exactly 28 bytes, uppercase only.

use core::fmt;

use zerocopy::byteorder::little_endian::U16;

use super::{NameError, NtName};

const PREFIX: &[u8; 12] = b"\\DosDevices\\";

/// The symbolic-link name of a drive letter, `\DosDevices\X:` with `X` in `A`..=`Z`.
///
/// This is the only shape the mount manager treats as a drive letter (`MOUNTMGR_IS_DRIVE_LETTER`:
/// 28 bytes, uppercase letter; `protocol.md` §2.18). A 30-byte name (a counted terminator) or a
/// lowercase letter is just "some other link" to it.
///
/// ```
/// use mountdev::{DriveLetterLink, nt_name};
/// let z = DriveLetterLink::new(b'Z').unwrap();
/// assert_eq!(z.as_name().byte_len(), 28);
/// assert_eq!(z.as_name(), "\\DosDevices\\Z:");
/// assert!(DriveLetterLink::new(b'z').is_none());
/// assert_eq!(DriveLetterLink::parse(nt_name!("\\DosDevices\\E:")).unwrap().letter(), 'E');
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DriveLetterLink {
    // INVARIANT: PREFIX, an ASCII uppercase letter, ':'.
    units: [U16; 14],
}

/// How a name relates to the drive-letter shape; lets a checker tell a near miss from a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriveLetterShape {
    /// A valid drive-letter link.
    Letter(DriveLetterLink),
    /// `\DosDevices\x:` with a lowercase letter: not recognised by the mount manager.
    Lowercase(char),
    /// `\DosDevices\X:` followed by more code units (e.g. a counted NUL terminator).
    TrailingUnits {
        /// Length in bytes.
        bytes: usize,
    },
    /// Not a drive-letter link at all.
    Other,
}

impl DriveLetterLink {
    /// The link for an uppercase ASCII letter `A`..=`Z`; `None` for anything else.
    pub const fn new(letter: u8) -> Option<Self> {
        if !letter.is_ascii_uppercase() {
            return None;
        }
        let mut units = [U16::ZERO; 14];
        let mut index = 0;
        while index < PREFIX.len() {
            #[expect(
                clippy::indexing_slicing,
                reason = "index < 12 by the loop condition; both arrays hold at least 12"
            )]
            {
                units[index] = U16::new(PREFIX[index] as u16);
            }
            index = index.wrapping_add(1);
        }
        units[12] = U16::new(letter as u16);
        units[13] = U16::new(b':' as u16);
        Some(Self { units })
    }

    /// The link for `letter`, accepting an uppercase `char`.
    pub fn from_char(letter: char) -> Option<Self> {
        u8::try_from(letter).ok().and_then(Self::new)
    }

    /// The drive letter, uppercase.
    pub fn letter(&self) -> char {
        char::from(u8::try_from(self.units[12].get()).unwrap_or(b'?'))
    }

    /// The 14 code units as a name.
    pub fn as_name(&self) -> NtName<'_> {
        // The units are a valid name by the type invariant; fall back to the prefix never happens.
        NtName::new(&self.units).unwrap_or_else(|_| crate::nt_name!("\\DosDevices\\"))
    }

    /// Classifies `name` against the drive-letter shape.
    pub fn classify(name: NtName<'_>) -> DriveLetterShape {
        let mut units = name.iter();
        let prefix_ok = PREFIX.iter().all(|&p| units.next() == Some(u16::from(p)));
        if !prefix_ok {
            return DriveLetterShape::Other;
        }
        let (Some(letter), Some(colon)) = (units.next(), units.next()) else {
            return DriveLetterShape::Other;
        };
        if colon != u16::from(b':') {
            return DriveLetterShape::Other;
        }
        let Ok(letter) = u8::try_from(letter) else {
            return DriveLetterShape::Other;
        };
        if units.next().is_some() {
            return if letter.is_ascii_alphabetic() {
                DriveLetterShape::TrailingUnits { bytes: name.byte_len() }
            } else {
                DriveLetterShape::Other
            };
        }
        if letter.is_ascii_lowercase() {
            return DriveLetterShape::Lowercase(char::from(letter));
        }
        Self::new(letter).map_or(DriveLetterShape::Other, DriveLetterShape::Letter)
    }

    /// Parses an exact drive-letter link.
    ///
    /// # Errors
    /// [`NameError::Shape`] for anything [`DriveLetterLink::classify`] does not call a letter.
    pub fn parse(name: NtName<'_>) -> Result<Self, NameError> {
        match Self::classify(name) {
            DriveLetterShape::Letter(link) => Ok(link),
            _ => Err(NameError::Shape),
        }
    }
}

impl fmt::Display for DriveLetterLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_name(), f)
    }
}

impl fmt::Debug for DriveLetterLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DriveLetterLink({}:)", self.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nt_name;

    #[test]
    fn every_letter_is_28_bytes() {
        for letter in b'A'..=b'Z' {
            let link = DriveLetterLink::new(letter).unwrap();
            assert_eq!(link.as_name().byte_len(), 28);
            assert_eq!(DriveLetterLink::parse(link.as_name()), Ok(link));
            assert_eq!(link.letter(), char::from(letter));
        }
        assert!(DriveLetterLink::new(b'@').is_none());
        assert!(DriveLetterLink::new(b'[').is_none());
    }

    #[test]
    fn near_misses_are_classified() {
        assert_eq!(
            DriveLetterLink::classify(nt_name!("\\DosDevices\\e:")),
            DriveLetterShape::Lowercase('e')
        );
        assert_eq!(
            DriveLetterLink::classify(nt_name!("\\DosDevices\\E:\\")),
            DriveLetterShape::TrailingUnits { bytes: 30 }
        );
        assert_eq!(DriveLetterLink::classify(nt_name!("\\??\\E:")), DriveLetterShape::Other);
        assert_eq!(
            DriveLetterLink::classify(nt_name!("\\DosDevices\\EE")),
            DriveLetterShape::Other
        );
        assert_eq!(
            DriveLetterLink::classify(nt_name!("\\DosDevices\\")),
            DriveLetterShape::Other
        );
    }
}
