//! [`SimName`]: an object name exactly as it travelled on the wire, NULs included.
//!
//! The simulator cannot use [`NtName`] for everything it stores: the point of several scenarios
//! is a name whose length counts a terminator (`\Device\XtsVolume1\0`, `\DosDevices\Z:\0`), and
//! the object manager treats such a name as a *different* name rather than rejecting it
//! (`protocol.md` §4.7). So names are kept as raw UTF-16 units and judged by the same predicates
//! the mount manager applies (`MOUNTMGR_IS_DRIVE_LETTER`, `MOUNTMGR_IS_VOLUME_NAME`, §2.18).

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;

use mountdev::{DriveLetterLink, NtName, VolumeGuidName};
use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::U16;

/// The `\GLOBAL??` directory as the object manager names it.
pub(crate) const GLOBAL_DIR: &str = "\\GLOBAL??\\";
/// The two aliases of `\GLOBAL??` that mount-manager names use: `\DosDevices\` (drive letters)
/// and `\??\` (volume GUID names). Both reach the same directory (`protocol.md` §2.18, §4.5).
const GLOBAL_ALIASES: [&str; 3] = ["\\DosDevices\\", "\\??\\", GLOBAL_DIR];

/// An object name as the simulator stores it: raw UTF-16 code units, possibly empty, possibly
/// holding NULs.
///
/// Equality and ordering ignore ASCII case, as the object manager's and the registry's lookups
/// do; the spelling first stored is kept for display. [`fmt::Display`] shows a NUL unit as `\0`.
///
/// ```
/// use mountmgr_client::sim::SimName;
/// let z = SimName::new("\\DosDevices\\Z:");
/// assert_eq!(z.drive_letter(), Some('Z'));
/// assert_eq!(z, SimName::new("\\dosdevices\\z:")); // same object name, case aside
/// let with_nul = SimName::from_le_bytes(&[b'Z', 0, b':', 0, 0, 0]).unwrap();
/// assert_eq!(with_nul.to_string(), "Z:\\0");
/// assert_eq!(SimName::new("\\DosDevices\\z:").drive_letter(), None); // lowercase is no letter
/// ```
#[derive(Clone, Default)]
pub struct SimName {
    units: Vec<U16>,
}

impl SimName {
    /// The name spelled by `text`.
    pub fn new(text: &str) -> Self {
        Self {
            units: text.encode_utf16().map(U16::new).collect(),
        }
    }

    /// The name held by wire code units.
    pub fn from_units(units: &[U16]) -> Self {
        Self { units: units.to_vec() }
    }

    /// The name of a validated [`NtName`].
    pub fn from_nt(name: NtName<'_>) -> Self {
        Self::from_units(name.units())
    }

    /// The name held by UTF-16LE bytes; `None` for an odd byte count.
    pub fn from_le_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() % 2 != 0 {
            return None;
        }
        let units = bytes
            .chunks_exact(2)
            .map(|pair| match pair {
                [lo, hi] => U16::new(u16::from_le_bytes([*lo, *hi])),
                _ => U16::ZERO,
            })
            .collect();
        Some(Self { units })
    }

    /// The code units.
    pub fn units(&self) -> &[U16] {
        &self.units
    }

    /// The UTF-16LE bytes (what a `NameLength` field counts).
    pub fn as_le_bytes(&self) -> &[u8] {
        self.units.as_bytes()
    }

    /// Length in bytes.
    pub fn byte_len(&self) -> usize {
        self.as_le_bytes().len()
    }

    /// Whether the name has no units at all.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Whether a NUL unit sits anywhere in the name (`protocol.md` §2.1: counted names carry
    /// none).
    pub fn has_nul(&self) -> bool {
        self.units.iter().any(|u| u.get() == 0)
    }

    /// The name as a validated [`NtName`]; `None` when it is empty, holds a NUL or is too long.
    pub fn as_nt(&self) -> Option<NtName<'_>> {
        NtName::new(&self.units).ok()
    }

    /// The drive letter, when the name passes `MOUNTMGR_IS_DRIVE_LETTER`: exactly 28 bytes,
    /// `\DosDevices\`, one uppercase letter, `:` (`protocol.md` §2.18).
    pub fn drive_letter(&self) -> Option<char> {
        let name = self.as_nt()?;
        DriveLetterLink::parse(name).ok().map(|link| link.letter())
    }

    /// Whether the name passes `MOUNTMGR_IS_NT_VOLUME_NAME`: `\??\Volume{GUID}`, with or without
    /// a trailing backslash (`protocol.md` §2.18).
    pub fn is_volume_name(&self) -> bool {
        self.as_nt().is_some_and(VolumeGuidName::is_volume_name)
    }

    /// Whether the name starts with `prefix`, ASCII case ignored.
    pub fn starts_with_ignore_case(&self, prefix: &str) -> bool {
        let mut ours = self.units.iter().map(|u| fold(u.get()));
        prefix.encode_utf16().all(|p| ours.next() == Some(fold(p)))
    }

    /// The name with any NUL units at its end removed: what a driver meant when its length
    /// counted a terminator.
    pub(crate) fn trimmed_of_nuls(&self) -> Self {
        let mut units = self.units.clone();
        while units.last().is_some_and(|u| u.get() == 0) {
            units.pop();
        }
        Self { units }
    }

    /// The key of this name in the `\GLOBAL??` directory: `\DosDevices\X` and `\??\X` both
    /// become `\GLOBAL??\X` (`protocol.md` §2.18: they are aliases of one directory). Names
    /// outside that directory are returned unchanged.
    pub(crate) fn global_key(&self) -> Self {
        for alias in GLOBAL_ALIASES {
            if self.starts_with_ignore_case(alias) {
                let rest = self.units.get(alias.encode_utf16().count()..).unwrap_or(&[]);
                let mut units: Vec<U16> = GLOBAL_DIR.encode_utf16().map(U16::new).collect();
                units.extend_from_slice(rest);
                return Self { units };
            }
        }
        self.clone()
    }

    /// The display form as an owned string.
    pub(crate) fn text(&self) -> String {
        use alloc::string::ToString;
        self.to_string()
    }
}

/// ASCII upper-casing of one code unit.
const fn fold(unit: u16) -> u16 {
    if unit >= b'a' as u16 && unit <= b'z' as u16 {
        unit.wrapping_sub(32)
    } else {
        unit
    }
}

impl PartialEq for SimName {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SimName {}

impl PartialOrd for SimName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SimName {
    fn cmp(&self, other: &Self) -> Ordering {
        let ours = self.units.iter().map(|u| fold(u.get()));
        let theirs = other.units.iter().map(|u| fold(u.get()));
        ours.cmp(theirs)
    }
}

impl PartialEq<str> for SimName {
    fn eq(&self, other: &str) -> bool {
        *self == SimName::new(other)
    }
}

impl PartialEq<&str> for SimName {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl From<NtName<'_>> for SimName {
    fn from(name: NtName<'_>) -> Self {
        Self::from_nt(name)
    }
}

impl From<&str> for SimName {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl fmt::Display for SimName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in char::decode_utf16(self.units.iter().map(|u| u.get())) {
            match c {
                Ok('\0') => f.write_str("\\0")?,
                Ok(c) => f.write_char(c)?,
                Err(_) => f.write_char(char::REPLACEMENT_CHARACTER)?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for SimName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SimName(\"{self}\", {} bytes)", self.byte_len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn aliases_share_one_directory() {
        let a = SimName::new("\\DosDevices\\Z:").global_key();
        let b = SimName::new("\\??\\Z:").global_key();
        let c = SimName::new("\\GLOBAL??\\z:").global_key();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.to_string(), "\\GLOBAL??\\Z:");
        let device = SimName::new("\\Device\\X");
        assert_eq!(device.global_key().to_string(), "\\Device\\X");
    }

    #[test]
    fn terminator_makes_another_name() {
        let exact = SimName::new("\\DosDevices\\Z:");
        let mut bytes = exact.as_le_bytes().to_vec();
        bytes.extend_from_slice(&[0, 0]);
        let thirty = SimName::from_le_bytes(&bytes).unwrap();
        assert_eq!(thirty.byte_len(), 30);
        assert_ne!(thirty, exact);
        assert_eq!(thirty.drive_letter(), None);
        assert!(thirty.has_nul());
        assert_eq!(thirty.trimmed_of_nuls(), exact);
        assert!(SimName::from_le_bytes(&[1, 2, 3]).is_none());
    }

    #[test]
    fn volume_names() {
        let name = SimName::new("\\??\\Volume{00000000-0000-0000-0000-00000000005a}");
        assert!(name.is_volume_name());
        assert!(!SimName::new("\\DosDevices\\C:").is_volume_name());
    }
}
