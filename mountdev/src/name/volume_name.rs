//! [`VolumeGuidName`]: `\??\Volume{GUID}`, the persistent volume name the mount manager creates.

use core::fmt;

use zerocopy::byteorder::little_endian::U16;

use super::{Guid, NameError, NtName};

const NT_PREFIX: &[u8; 11] = b"\\??\\Volume{";

/// A volume GUID name in NT form, `\??\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` (48 code
/// units, 96 bytes; `MOUNTMGR_IS_NT_VOLUME_NAME`, `protocol.md` §2.18).
///
/// ```
/// use mountdev::{Guid, VolumeGuidName};
/// let guid: Guid = "00000000-0000-0000-0000-000000000043".parse().unwrap();
/// let name = VolumeGuidName::new(guid);
/// assert_eq!(name.as_name(), "\\??\\Volume{00000000-0000-0000-0000-000000000043}");
/// assert_eq!(name.as_name().byte_len(), 96);
/// assert_eq!(VolumeGuidName::parse(name.as_name()).unwrap().guid(), guid);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VolumeGuidName {
    guid: Guid,
    // INVARIANT: the NT text form of `guid`, 48 units, no NUL.
    units: [U16; 48],
}

impl VolumeGuidName {
    /// The name for `guid` (lowercase hex, as Windows writes it).
    pub fn new(guid: Guid) -> Self {
        let mut units = [U16::ZERO; 48];
        let mut text = [0u8; 36];
        let mut writer = AsciiWriter { buf: &mut text, len: 0 };
        // Infallible: a GUID's text form is exactly 36 ASCII bytes.
        let _ = fmt::write(&mut writer, format_args!("{guid}"));
        let ascii = NT_PREFIX.iter().chain(text.iter()).chain(b"}".iter());
        for (unit, &byte) in units.iter_mut().zip(ascii) {
            *unit = U16::new(u16::from(byte));
        }
        Self { guid, units }
    }

    /// The GUID.
    pub const fn guid(&self) -> Guid {
        self.guid
    }

    /// The name.
    pub fn as_name(&self) -> NtName<'_> {
        NtName::new(&self.units).unwrap_or_else(|_| crate::nt_name!("\\??\\Volume{"))
    }

    /// Whether `name` has the shape the mount manager's `MOUNTMGR_IS_NT_VOLUME_NAME` accepts
    /// (with or without a trailing backslash).
    pub fn is_volume_name(name: NtName<'_>) -> bool {
        Self::parse_lenient(name).is_some()
    }

    /// Parses an exact NT volume GUID name (no trailing backslash).
    ///
    /// # Errors
    /// [`NameError::Shape`] when `name` is not of that form.
    pub fn parse(name: NtName<'_>) -> Result<Self, NameError> {
        if name.len() != 48 {
            return Err(NameError::Shape);
        }
        Self::parse_lenient(name).ok_or(NameError::Shape)
    }

    fn parse_lenient(name: NtName<'_>) -> Option<Self> {
        let units = name.units();
        let (head, rest) = units.split_at_checked(NT_PREFIX.len())?;
        if !head.iter().zip(NT_PREFIX.iter()).all(|(u, &p)| u.get() == u16::from(p)) {
            return None;
        }
        let (guid_text, tail) = rest.split_at_checked(36)?;
        match tail {
            [close] if close.get() == u16::from(b'}') => {}
            [close, slash] if close.get() == u16::from(b'}') && slash.get() == u16::from(b'\\') => {}
            _ => return None,
        }
        let guid = Guid::parse_units(guid_text.iter().map(|u| u.get())).ok()?;
        Some(Self::new(guid))
    }
}

struct AsciiWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl fmt::Write for AsciiWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.buf
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Display for VolumeGuidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_name(), f)
    }
}

impl fmt::Debug for VolumeGuidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VolumeGuidName({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nt_name;

    #[test]
    fn shapes() {
        let ok = nt_name!("\\??\\Volume{00000000-0000-0000-0000-00000000005a}");
        assert!(VolumeGuidName::parse(ok).is_ok());
        let upper = nt_name!("\\??\\Volume{00000000-0000-0000-0000-00000000005A}");
        assert_eq!(VolumeGuidName::parse(upper).unwrap().as_name(), ok);
        let slash = nt_name!("\\??\\Volume{00000000-0000-0000-0000-00000000005a}\\");
        assert!(VolumeGuidName::is_volume_name(slash));
        assert!(VolumeGuidName::parse(slash).is_err());
        assert!(!VolumeGuidName::is_volume_name(nt_name!(
            "\\\\?\\Volume{00000000-0000-0000-0000-00000000005a}"
        )));
        assert!(!VolumeGuidName::is_volume_name(nt_name!(
            "\\??\\Volume{00000000-0000-0000-0000-00000000005a"
        )));
        assert!(!VolumeGuidName::is_volume_name(nt_name!("\\DosDevices\\C:")));
    }
}
