//! [`NtName`]: a borrowed, counted UTF-16 name with no terminator.

use core::fmt;

use zerocopy::byteorder::little_endian::U16;
use zerocopy::{FromBytes, IntoBytes};

/// Largest byte length a counted name can have: a `USHORT` length field holding an even number.
pub const MAX_NAME_BYTES: usize = 65534;

/// Largest device name the mount manager can read from a volume: 65530 bytes. It asks
/// `IOCTL_MOUNTDEV_QUERY_DEVICE_NAME` again with a buffer of `USHORT Size = NameLength + 4`
/// (ReactOS `QueryDeviceInformation`, `docs/protocol.md` Errata 9): a 65532- or 65534-byte name
/// wraps that size, the query fails and the volume never arrives. [`NtName`] itself accepts up to
/// [`MAX_NAME_BYTES`], because links and names in other requests are not read this way; keep the
/// name a volume reports ([`crate::MountdevVolume::device_name`]) within this limit.
///
/// ```
/// assert_eq!(mountdev::MAX_DEVICE_NAME_BYTES + 4, usize::from(u16::MAX) - 1);
/// ```
pub const MAX_DEVICE_NAME_BYTES: usize = 65530;

/// Why a sequence of UTF-16 code units is not a valid [`NtName`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty.
    Empty,
    /// The name contains a NUL code unit at this index (a terminator counted in the length, or
    /// garbage after the name).
    Nul {
        /// Index of the first NUL code unit.
        index: usize,
    },
    /// The name is longer than [`MAX_NAME_BYTES`].
    TooLong {
        /// The length in bytes.
        bytes: usize,
    },
    /// A byte view has an odd length, so it cannot hold whole UTF-16 code units.
    OddByteLength {
        /// The length in bytes.
        bytes: usize,
    },
    /// The name does not have the form the type requires (drive letter, volume GUID name).
    Shape,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty name"),
            Self::Nul { index } => {
                write!(f, "NUL code unit at index {index} inside a counted name")
            }
            Self::TooLong { bytes } => write!(f, "name of {bytes} bytes exceeds {MAX_NAME_BYTES}"),
            Self::OddByteLength { bytes } => write!(f, "odd byte length {bytes} for a UTF-16 name"),
            Self::Shape => f.write_str("name does not have the required form"),
        }
    }
}

impl core::error::Error for NameError {}

/// A borrowed NT object name as it travels in mount-manager buffers: UTF-16LE code units, counted,
/// with no NUL anywhere and at most [`MAX_NAME_BYTES`] bytes (a volume's device name: at most
/// [`MAX_DEVICE_NAME_BYTES`], the most the mount manager can read back).
///
/// The byte length is [`NtName::byte_len`] = 2 × units and is the only length this crate ever
/// writes into a `NameLength` field, so a terminator can never be counted.
///
/// ```
/// use mountdev::{nt_name, NtName};
/// const DEVICE: NtName<'static> = nt_name!("\\Device\\XtsVolume1");
/// assert_eq!(DEVICE.byte_len(), 36);
/// assert_eq!(DEVICE, "\\Device\\XtsVolume1");
/// assert!(NtName::from_le_bytes(&[b'A', 0, 0, 0]).is_err()); // a counted terminator
/// ```
#[derive(Clone, Copy)]
pub struct NtName<'a> {
    // INVARIANT: non-empty, no unit is 0, at most MAX_NAME_BYTES / 2 units.
    units: &'a [U16],
}

impl<'a> NtName<'a> {
    /// Validates little-endian code units taken from a wire buffer.
    ///
    /// # Errors
    /// [`NameError::Empty`], [`NameError::Nul`] or [`NameError::TooLong`].
    pub const fn new(units: &'a [U16]) -> Result<Self, NameError> {
        if units.is_empty() {
            return Err(NameError::Empty);
        }
        if units.len() > MAX_NAME_BYTES / 2 {
            return Err(NameError::TooLong {
                bytes: units.len().saturating_mul(2),
            });
        }
        let mut rest = units;
        let mut index = 0usize;
        while let [first, tail @ ..] = rest {
            if first.get() == 0 {
                return Err(NameError::Nul { index });
            }
            rest = tail;
            index = index.saturating_add(1);
        }
        Ok(Self { units })
    }

    /// Validates a UTF-16LE byte view (any alignment).
    ///
    /// # Errors
    /// [`NameError::OddByteLength`], or any error of [`NtName::new`].
    pub fn from_le_bytes(bytes: &'a [u8]) -> Result<Self, NameError> {
        let units = <[U16]>::ref_from_bytes(bytes).map_err(|_| NameError::OddByteLength { bytes: bytes.len() })?;
        Self::new(units)
    }

    /// The code units.
    pub const fn units(&self) -> &'a [U16] {
        self.units
    }

    /// The UTF-16LE bytes, exactly [`NtName::byte_len`] of them.
    pub fn as_le_bytes(&self) -> &'a [u8] {
        self.units.as_bytes()
    }

    /// Number of UTF-16 code units.
    pub const fn len(&self) -> usize {
        self.units.len()
    }

    /// Always `false`: a valid name has at least one code unit.
    pub const fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Length in bytes, without any terminator: the value of a `NameLength` field.
    pub const fn byte_len(&self) -> usize {
        // Cannot overflow: at most MAX_NAME_BYTES / 2 units (type invariant).
        self.units.len().saturating_mul(2)
    }

    /// [`NtName::byte_len`] as the `u16` a wire length field holds.
    pub const fn byte_len_u16(&self) -> u16 {
        // Cannot truncate: byte_len() <= MAX_NAME_BYTES < u16::MAX (type invariant).
        let len = self.byte_len();
        if len > MAX_NAME_BYTES {
            MAX_NAME_BYTES as u16
        } else {
            len as u16
        }
    }

    /// The code units as native `u16` values.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        self.units.iter().map(|u| u.get())
    }

    /// Characters, with unpaired surrogates replaced by U+FFFD.
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        char::decode_utf16(self.iter()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    /// Whether the name starts with `prefix`, comparing ASCII letters case-insensitively as the
    /// object manager does for its directories.
    pub fn starts_with_ignore_ascii_case(&self, prefix: &str) -> bool {
        let mut ours = self.iter();
        prefix
            .encode_utf16()
            .all(|p| ours.next().is_some_and(|o| ascii_fold(o) == ascii_fold(p)))
    }

    /// Equality with ASCII letters compared case-insensitively.
    pub fn eq_ignore_ascii_case(&self, other: &NtName<'_>) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| ascii_fold(a) == ascii_fold(b))
    }
}

const fn ascii_fold(unit: u16) -> u16 {
    if unit >= b'a' as u16 && unit <= b'z' as u16 {
        unit.wrapping_sub(32)
    } else {
        unit
    }
}

impl PartialEq for NtName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.units == other.units
    }
}

impl Eq for NtName<'_> {}

impl PartialEq<str> for NtName<'_> {
    fn eq(&self, other: &str) -> bool {
        self.iter().eq(other.encode_utf16())
    }
}

impl PartialEq<&str> for NtName<'_> {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl fmt::Display for NtName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.chars().try_for_each(|c| f.write_char(c))
    }
}

impl fmt::Debug for NtName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NtName(\"{self}\", {} bytes)", self.byte_len())
    }
}

/// Converts native code units to wire code units at compile time; used by [`nt_name!`].
#[doc(hidden)]
pub const fn __units_to_wire<const N: usize>(units: &[u16]) -> [U16; N] {
    let mut out = [U16::ZERO; N];
    let mut index = 0;
    while index < N && index < units.len() {
        #[expect(
            clippy::indexing_slicing,
            reason = "index < N and index < units.len() by the loop condition"
        )]
        {
            out[index] = U16::new(units[index]);
        }
        index = index.wrapping_add(1);
    }
    out
}

/// Builds a `NtName<'static>` from a string literal at compile time.
///
/// An empty literal, one with a NUL or one over 65534 bytes is a compile error, so a literal name
/// can never carry a counted terminator.
///
/// ```
/// const LINK: mountdev::NtName<'static> = mountdev::nt_name!("\\DosDevices\\Z:");
/// assert_eq!(LINK.byte_len(), 28);
/// ```
///
/// ```compile_fail
/// const BAD: mountdev::NtName<'static> = mountdev::nt_name!("\\DosDevices\\Z:\0");
/// ```
#[macro_export]
macro_rules! nt_name {
    ($literal:expr) => {{
        const UNITS: &[u16] = $crate::__private::widestring::u16str!($literal).as_slice();
        const WIRE: [$crate::__private::U16; UNITS.len()] = $crate::name::__units_to_wire::<{ UNITS.len() }>(UNITS);
        const NAME: $crate::NtName<'static> = match $crate::NtName::new(&WIRE) {
            Ok(name) => name,
            Err(_) => {
                panic!("invalid NT name literal: empty, contains a NUL or longer than 65534 bytes")
            }
        };
        NAME
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_lengths_exclude_the_terminator() {
        let name = crate::nt_name!("\\Device\\Foo");
        assert_eq!(name.len(), 11);
        assert_eq!(name.byte_len(), 22);
        assert_eq!(name.as_le_bytes().len(), 22);
    }

    #[test]
    fn rejects_nul_empty_odd_and_long() {
        assert_eq!(NtName::from_le_bytes(&[]), Err(NameError::Empty));
        assert_eq!(
            NtName::from_le_bytes(&[b'A', 0, 0, 0]),
            Err(NameError::Nul { index: 1 })
        );
        assert_eq!(
            NtName::from_le_bytes(&[b'A', 0, b'B']),
            Err(NameError::OddByteLength { bytes: 3 })
        );
        let long = [0x41u8; 65536];
        assert_eq!(NtName::from_le_bytes(&long), Err(NameError::TooLong { bytes: 65536 }));
        assert!(NtName::from_le_bytes(&long[..65534]).is_ok());
    }

    #[test]
    fn unaligned_views_work() {
        let bytes = [0u8, b'\\', 0, b'X', 0];
        let name = NtName::from_le_bytes(&bytes[1..]).unwrap();
        assert_eq!(name, "\\X");
    }

    #[test]
    fn case_insensitive_helpers() {
        let name = crate::nt_name!("\\DosDevices\\C:");
        assert!(name.starts_with_ignore_ascii_case("\\dosdevices\\"));
        assert!(!name.starts_with_ignore_ascii_case("\\DosDevices\\C:\\x"));
        assert!(name.eq_ignore_ascii_case(&crate::nt_name!("\\DOSDEVICES\\c:")));
    }
}
