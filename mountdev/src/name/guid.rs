//! [`Guid`]: the Windows GUID, its wire form and its text form.

use core::fmt;

use crate::layout::wire::wire;
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, IntoBytes};

/// A Windows `GUID`.
///
/// ```
/// use mountdev::Guid;
/// let g: Guid = "{53F5630D-B6BF-11D0-94F2-00A0C91EFB8B}".parse().unwrap();
/// assert_eq!(g.data1, 0x53F5_630D);
/// extern crate std;
/// assert_eq!(std::format!("{g}"), "53f5630d-b6bf-11d0-94f2-00a0c91efb8b");
/// assert_eq!(Guid::from_le_bytes(g.to_le_bytes()), g);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[doc(alias = "GUID")]
pub struct Guid {
    /// `Data1`.
    pub data1: u32,
    /// `Data2`.
    pub data2: u16,
    /// `Data3`.
    pub data3: u16,
    /// `Data4`.
    pub data4: [u8; 8],
}

wire! {
    /// The 16-byte wire layout of a `GUID` (little-endian fields, align 1).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct GuidWire: "GUID" {
        /// `Data1`.
        pub data1: U32 = 0, "Data1";
        /// `Data2`.
        pub data2: U16 = 4, "Data2";
        /// `Data3`.
        pub data3: U16 = 6, "Data3";
        /// `Data4`.
        pub data4: [u8; 8] = 8, "Data4";
    }
}

/// Why a text is not a GUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuidParseError;

impl fmt::Display for GuidParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a GUID such as {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}")
    }
}

impl core::error::Error for GuidParseError {}

impl Guid {
    /// Builds a GUID from its fields.
    pub const fn new(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Self {
        Self {
            data1,
            data2,
            data3,
            data4,
        }
    }

    /// The GUID whose text form is the RFC 4122 UUID with these 16 bytes in text order (the way
    /// a LUKS UUID or any `xxxxxxxx-…` string reads).
    pub const fn from_uuid_bytes(b: [u8; 16]) -> Self {
        Self {
            data1: u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
            data2: u16::from_be_bytes([b[4], b[5]]),
            data3: u16::from_be_bytes([b[6], b[7]]),
            data4: [b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]],
        }
    }

    /// The 16 wire bytes (`Data1`..`Data3` little-endian).
    pub fn to_le_bytes(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        // Infallible: GuidWire is exactly 16 bytes.
        let _ = self.to_wire().write_to(&mut out[..]);
        out
    }

    /// Reads the 16 wire bytes.
    pub fn from_le_bytes(bytes: [u8; 16]) -> Self {
        let wire = GuidWire::read_from_bytes(&bytes[..]).unwrap_or(GuidWire {
            data1: U32::ZERO,
            data2: U16::ZERO,
            data3: U16::ZERO,
            data4: [0; 8],
        });
        Self::from_wire(&wire)
    }

    /// The wire layout.
    pub fn to_wire(self) -> GuidWire {
        GuidWire {
            data1: U32::new(self.data1),
            data2: U16::new(self.data2),
            data3: U16::new(self.data3),
            data4: self.data4,
        }
    }

    /// From the wire layout.
    pub fn from_wire(wire: &GuidWire) -> Self {
        Self {
            data1: wire.data1.get(),
            data2: wire.data2.get(),
            data3: wire.data3.get(),
            data4: wire.data4,
        }
    }

    /// Parses the 36 hex-and-dash characters of a GUID given as UTF-16 or ASCII code units,
    /// without braces.
    pub fn parse_units(units: impl IntoIterator<Item = u16>) -> Result<Self, GuidParseError> {
        let mut nibbles = [0u8; 32];
        let mut count = 0usize;
        for (position, unit) in units.into_iter().enumerate() {
            if matches!(position, 8 | 13 | 18 | 23) {
                if unit != u16::from(b'-') {
                    return Err(GuidParseError);
                }
                continue;
            }
            let digit = char::from_u32(u32::from(unit))
                .and_then(|c| c.to_digit(16))
                .ok_or(GuidParseError)?;
            let slot = nibbles.get_mut(count).ok_or(GuidParseError)?;
            *slot = u8::try_from(digit).map_err(|_| GuidParseError)?;
            count = count.checked_add(1).ok_or(GuidParseError)?;
        }
        if count != 32 {
            return Err(GuidParseError);
        }
        let mut bytes = [0u8; 16];
        for (byte, pair) in bytes.iter_mut().zip(nibbles.chunks_exact(2)) {
            if let [hi, lo] = pair {
                *byte = (*hi << 4) | *lo;
            }
        }
        Ok(Self::from_uuid_bytes(bytes))
    }
}

impl core::str::FromStr for Guid {
    type Err = GuidParseError;

    /// Accepts `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with or without braces, any hex case.
    fn from_str(text: &str) -> Result<Self, GuidParseError> {
        let inner = match text.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}').ok_or(GuidParseError)?,
            None => text,
        };
        if inner.len() != 36 {
            return Err(GuidParseError);
        }
        Self::parse_units(inner.bytes().map(u16::from))
    }
}

impl fmt::Display for Guid {
    /// Lowercase, without braces, as Windows writes it inside `\??\Volume{…}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.data4;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            self.data1, self.data2, self.data3, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({{{self}}})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::format;

    #[test]
    fn wire_layout_is_little_endian() {
        let g = Guid::new(0x0102_0304, 0x0506, 0x0708, [9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(g.to_le_bytes(), [4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(core::mem::size_of::<GuidWire>(), 16);
    }

    #[test]
    fn text_round_trip_and_rejections() {
        let g: Guid = "00000000-0000-0000-0000-000000000043".parse().unwrap();
        assert_eq!(g.data4[7], 0x43);
        assert_eq!(format!("{g}").parse::<Guid>().unwrap(), g);
        for bad in [
            "",
            "{00000000-0000-0000-0000-000000000043",
            "00000000_0000-0000-0000-000000000043",
            "0000000g-0000-0000-0000-000000000043",
            "00000000-0000-0000-0000-0000000000434",
        ] {
            assert!(bad.parse::<Guid>().is_err(), "{bad}");
        }
    }

    #[test]
    fn uuid_bytes_read_in_text_order() {
        let bytes = [
            0x53, 0xF5, 0x63, 0x0D, 0xB6, 0xBF, 0x11, 0xD0, 0x94, 0xF2, 0, 0xA0, 0xC9, 0x1E, 0xFB, 0x8B,
        ];
        assert_eq!(
            format!("{}", Guid::from_uuid_bytes(bytes)),
            "53f5630d-b6bf-11d0-94f2-00a0c91efb8b"
        );
    }
}
