//! [`UniqueId`]: a volume's unique ID, 1 to 65535 bytes by construction.

use core::fmt;

/// A borrowed unique ID: opaque bytes, at least one, at most `u16::MAX` (its wire length field).
///
/// ```
/// use mountdev::UniqueId;
/// assert_eq!(UniqueId::new(&[1, 2, 3]).unwrap().len_u16(), 3);
/// assert!(UniqueId::new(&[]).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UniqueId<'a> {
    // INVARIANT: 1 <= bytes.len() <= u16::MAX.
    bytes: &'a [u8],
}

/// Why bytes cannot be a unique ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueIdError {
    /// No bytes: the mount manager would key its database with nothing.
    Empty,
    /// More bytes than `UniqueIdLength` can count.
    TooLong {
        /// The length given.
        bytes: usize,
    },
}

impl fmt::Display for UniqueIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty unique ID"),
            Self::TooLong { bytes } => write!(f, "unique ID of {bytes} bytes exceeds 65535"),
        }
    }
}

impl core::error::Error for UniqueIdError {}

impl<'a> UniqueId<'a> {
    /// Validates the bytes.
    ///
    /// # Errors
    /// [`UniqueIdError`].
    pub const fn new(bytes: &'a [u8]) -> Result<Self, UniqueIdError> {
        if bytes.is_empty() {
            Err(UniqueIdError::Empty)
        } else if bytes.len() > u16::MAX as usize {
            Err(UniqueIdError::TooLong { bytes: bytes.len() })
        } else {
            Ok(Self { bytes })
        }
    }

    /// A unique ID from a fixed-size array, checked at compile time (1 to 65535 bytes).
    ///
    /// ```
    /// const ID: mountdev::UniqueId<'static> = mountdev::UniqueId::from_array(b"cryptdisk-luks1:0123456789abcdef");
    /// assert_eq!(ID.len_u16(), 32);
    /// ```
    pub const fn from_array<const N: usize>(bytes: &'a [u8; N]) -> Self {
        const { assert!(N >= 1 && N <= u16::MAX as usize, "a unique ID has 1 to 65535 bytes") };
        Self { bytes }
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The length as the `u16` of `UniqueIdLength`.
    pub fn len_u16(&self) -> u16 {
        u16::try_from(self.bytes.len()).unwrap_or(u16::MAX)
    }
}

impl fmt::Debug for UniqueId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UniqueId(")?;
        for byte in self.bytes {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}
