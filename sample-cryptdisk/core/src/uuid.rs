//! The LUKS UUID ([`Uuid`]) and the mount-manager identifiers derived from it: the volume's identity,
//! taken from the volume itself.
//!
//! # Why the identity comes from the volume
//!
//! The Windows mount manager keeps its database in `HKLM\SYSTEM\MountedDevices`, keyed by the
//! **unique ID** a volume reports (`IOCTL_MOUNTDEV_QUERY_UNIQUE_ID`): drive letters
//! (`\DosDevices\X:`) and the persistent volume name (`\??\Volume{GUID}`) are values whose data
//! is that ID (`protocol.md` §4.5). An ID that changes between mounts (derived from the clock, a
//! counter or the machine) leaves stale entries behind on every mount; an ID shared by two
//! volumes makes them inherit each other's letters. So the ID must be stable **per volume**, and
//! the same on every machine: it is derived from the random UUID stored in the LUKS header when
//! the volume was created (`protocol.md` §8 item 5).
//!
//! * [`Uuid::as_bytes`] / `uuid()`: the 16 bytes in the textual order of the LUKS UUID string.
//! * [`Uuid::stable_guid`]: the same UUID read as a Windows GUID (`Data1`, `Data2`, `Data3`,
//!   `Data4`), the answer to `IOCTL_MOUNTDEV_QUERY_STABLE_GUID`, so that the `\??\Volume{GUID}`
//!   name is the same on every mount; formatting it as `{...}` gives back the LUKS UUID text.
//! * [`Uuid::unique_id`]: ASCII `"cryptdisk-luks1:"` (16 bytes) followed by the 16 UUID bytes.
//!   The prefix keeps our IDs apart from other drivers' IDs in the shared database.
//!
//! Nothing here reads the machine, the clock or a mount counter.

use crate::rng::{RandomSource, RngError};
use core::fmt;

/// The Windows `GUID` type (`mountdev`'s, so the stable GUID and the MOUNTDEV layouts share one
/// definition).
pub use mountdev::Guid;

/// Prefix of every [`Uuid::unique_id`]: 16 ASCII bytes.
pub const UNIQUE_ID_PREFIX: &[u8; 16] = b"cryptdisk-luks1:";

/// Length of a mount-manager unique ID produced by this crate.
pub const UNIQUE_ID_LEN: usize = 32;

/// Length of the textual form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub const UUID_TEXT_LEN: usize = 36;

/// Positions of the dashes in the textual form.
const DASHES: [usize; 4] = [8, 13, 18, 23];

/// A LUKS volume UUID, stored as the 16 bytes in the order of its text.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::uuid::Uuid;
///
/// let uuid = Uuid::parse(b"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")?;
/// assert_eq!(uuid.as_bytes()[..2], [0x0f, 0x1e]);
/// assert_eq!(uuid.to_string(), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
/// assert_eq!(uuid.stable_guid().to_string(), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
/// assert_eq!(&uuid.unique_id()[..16], b"cryptdisk-luks1:");
/// # Ok::<(), cryptdisk_core::uuid::UuidError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid([u8; 16]);

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => c.checked_sub(b'0'),
        b'a'..=b'f' => c.checked_sub(b'a' - 10),
        b'A'..=b'F' => c.checked_sub(b'A' - 10),
        _ => None,
    }
}

impl Uuid {
    /// Wraps 16 bytes given in textual order.
    ///
    /// ```
    /// let uuid = cryptdisk_core::uuid::Uuid::from_bytes([0xab; 16]);
    /// assert_eq!(uuid.as_bytes(), &[0xab; 16]);
    /// ```
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits of either case). Trailing NUL
    /// bytes are ignored, so the raw 40-byte LUKS field can be passed as is.
    ///
    /// # Errors
    ///
    /// [`UuidError::InvalidUuid`] for anything else.
    ///
    /// ```
    /// use cryptdisk_core::uuid::Uuid;
    /// assert!(Uuid::parse(b"not-a-uuid").is_err());
    /// let mut field = [0u8; 40];
    /// field[..36].copy_from_slice(b"A0B1C2D3-E4F5-4607-8899-AABBCCDDEEFF");
    /// assert_eq!(Uuid::parse(&field)?.to_string(), "a0b1c2d3-e4f5-4607-8899-aabbccddeeff");
    /// # Ok::<(), cryptdisk_core::uuid::UuidError>(())
    /// ```
    pub fn parse(text: &[u8]) -> Result<Self, UuidError> {
        let end = text.iter().rposition(|&b| b != 0).map_or(0, |p| p.saturating_add(1));
        let text = text.get(..end).ok_or(UuidError::InvalidUuid)?;
        if text.len() != UUID_TEXT_LEN {
            return Err(UuidError::InvalidUuid);
        }
        let mut out = [0u8; 16];
        let mut nibbles = text
            .iter()
            .enumerate()
            .filter(|(i, c)| !(DASHES.contains(i) && **c == b'-'))
            .map(|(_, &c)| hex_val(c));
        for byte in &mut out {
            let hi = nibbles.next().flatten().ok_or(UuidError::InvalidUuid)?;
            let lo = nibbles.next().flatten().ok_or(UuidError::InvalidUuid)?;
            *byte = (hi << 4) | lo;
        }
        if nibbles.next().is_some() {
            return Err(UuidError::InvalidUuid); // a dash in the wrong place
        }
        Ok(Self(out))
    }

    /// A random (version 4, RFC 9562 variant) UUID for a new volume.
    ///
    /// # Errors
    ///
    /// [`RngError`] when the random source fails.
    ///
    /// ```
    /// use cryptdisk_core::{uuid::Uuid, rng::OsRandom};
    /// let uuid = Uuid::generate(&mut OsRandom)?;
    /// assert_eq!(uuid.to_string().as_bytes()[14], b'4');
    /// # Ok::<(), cryptdisk_core::rng::RngError>(())
    /// ```
    pub fn generate(rng: &mut dyn RandomSource) -> Result<Self, RngError> {
        let mut b = [0u8; 16];
        rng.fill_random(&mut b)?;
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        Ok(Self(b))
    }

    /// The 16 bytes in the textual order of the UUID string.
    ///
    /// ```
    /// let uuid = cryptdisk_core::uuid::Uuid::from_bytes([1; 16]);
    /// assert_eq!(uuid.as_bytes(), &[1; 16]);
    /// ```
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The lowercase textual form (36 ASCII bytes), as written into the LUKS header.
    ///
    /// ```
    /// let uuid = cryptdisk_core::uuid::Uuid::from_bytes([0xab; 16]);
    /// assert_eq!(&uuid.to_text(), b"abababab-abab-abab-abab-abababababab");
    /// ```
    pub fn to_text(&self) -> [u8; UUID_TEXT_LEN] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'-'; UUID_TEXT_LEN];
        let positions = (0..UUID_TEXT_LEN).filter(|i| !DASHES.contains(i));
        let nibbles = self.0.iter().flat_map(|b| [b >> 4, b & 0x0f]);
        for (pos, nib) in positions.zip(nibbles) {
            if let (Some(slot), Some(&c)) = (out.get_mut(pos), HEX.get(usize::from(nib))) {
                *slot = c;
            }
        }
        out
    }

    /// The UUID read as a Windows GUID: `Data1` = bytes 0..4 (big-endian, as written in the
    /// text), `Data2` = bytes 4..6, `Data3` = bytes 6..8, `Data4` = bytes 8..16. Formatting the
    /// GUID therefore gives back the UUID text.
    ///
    /// ```
    /// use cryptdisk_core::uuid::Uuid;
    /// let g = Uuid::parse(b"01234567-89ab-cdef-0123-456789abcdef")?.stable_guid();
    /// assert_eq!((g.data1, g.data2, g.data3), (0x0123_4567, 0x89ab, 0xcdef));
    /// assert_eq!(g.data4, [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
    /// assert_eq!(g.to_string(), "01234567-89ab-cdef-0123-456789abcdef");
    /// # Ok::<(), cryptdisk_core::uuid::UuidError>(())
    /// ```
    pub fn stable_guid(&self) -> Guid {
        Guid::from_uuid_bytes(self.0)
    }

    /// The mount-manager unique ID: `"cryptdisk-luks1:"` followed by the 16 UUID bytes.
    ///
    /// ```
    /// let uuid = cryptdisk_core::uuid::Uuid::from_bytes([9; 16]);
    /// let id = uuid.unique_id();
    /// assert_eq!(&id[..16], b"cryptdisk-luks1:");
    /// assert_eq!(&id[16..], &[9; 16]);
    /// ```
    pub fn unique_id(&self) -> [u8; UNIQUE_ID_LEN] {
        let mut id = [0u8; UNIQUE_ID_LEN];
        let (prefix, rest) = id.split_at_mut(UNIQUE_ID_PREFIX.len());
        prefix.copy_from_slice(UNIQUE_ID_PREFIX);
        rest.copy_from_slice(&self.0);
        id
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &c in &self.to_text() {
            fmt::Write::write_char(f, char::from(c))?;
        }
        Ok(())
    }
}

/// A UUID text that cannot be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UuidError {
    /// The text is not a UUID of the form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    InvalidUuid,
}

impl fmt::Display for UuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUuid => f.write_str("invalid UUID text"),
        }
    }
}

impl core::error::Error for UuidError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn guid_text_round_trips_to_uuid_text() {
        let text = "8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2a";
        let uuid = Uuid::parse(text.as_bytes()).unwrap();
        let guid = uuid.stable_guid();
        assert_eq!(guid.to_string(), text);
        let mut id = b"cryptdisk-luks1:".to_vec();
        id.extend_from_slice(uuid.as_bytes());
        assert_eq!(uuid.unique_id().as_slice(), id.as_slice());
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            &b""[..],
            b"8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2",
            b"8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2aa",
            b"8f14e45fceea-467f-a8b5-3d9b3c3e1c2a-",
            b"8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2g",
            b"8f14e45f-ceea-467f-a8b5+3d9b3c3e1c2a",
            b"8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2a\0x",
        ] {
            assert_eq!(Uuid::parse(bad), Err(UuidError::InvalidUuid), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn text_round_trip(bytes in any::<[u8; 16]>()) {
            let uuid = Uuid::from_bytes(bytes);
            prop_assert_eq!(Uuid::parse(&uuid.to_text()).unwrap(), uuid);
            prop_assert_eq!(uuid.stable_guid().to_string(), uuid.to_string());
        }

        #[test]
        fn parse_never_panics(text in prop::collection::vec(any::<u8>(), 0..48)) {
            let _ = Uuid::parse(&text);
        }
    }
}
