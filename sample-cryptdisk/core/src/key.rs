//! [`MasterKey`]: the volume key, zeroized on drop and never printed.

use crate::rng::{RandomSource, RngError};
use crate::spec::CipherSpec;
use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Largest supported master key, in bytes (XTS-AES-256).
pub const MAX_KEY_BYTES: usize = 64;

/// The master (volume) key: 32 or 64 bytes, wiped from memory when dropped.
///
/// `Debug` shows the length only. Equality is constant-time.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::key::MasterKey;
///
/// let key = MasterKey::from_slice(&[7u8; 64])?;
/// assert_eq!(key.len(), 64);
/// assert_eq!(format!("{key:?}"), "MasterKey { len: 64, .. }");
/// # Ok::<(), cryptdisk_core::key::KeyError>(())
/// ```
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; MAX_KEY_BYTES],
    len: usize,
}

impl MasterKey {
    /// Copies a key of 32 or 64 bytes.
    ///
    /// # Errors
    ///
    /// [`KeyError::InvalidLength`] for any other length.
    ///
    /// ```
    /// assert!(cryptdisk_core::key::MasterKey::from_slice(&[1u8; 33]).is_err());
    /// ```
    pub fn from_slice(key: &[u8]) -> Result<Self, KeyError> {
        if key.len() != 32 && key.len() != 64 {
            return Err(KeyError::InvalidLength { len: key.len() });
        }
        let mut bytes = [0u8; MAX_KEY_BYTES];
        let dst = bytes
            .get_mut(..key.len())
            .ok_or(KeyError::InvalidLength { len: key.len() })?;
        dst.copy_from_slice(key);
        Ok(Self { bytes, len: key.len() })
    }

    /// Draws a fresh random key of the size `spec` needs.
    ///
    /// # Errors
    ///
    /// [`RngError`] when the random source fails.
    ///
    /// ```
    /// use cryptdisk_core::{key::MasterKey, rng::OsRandom, spec::CipherSpec, xts::XtsKeySize};
    /// let spec = CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 };
    /// let key = MasterKey::generate(spec, &mut OsRandom)?;
    /// assert_eq!(key.len(), 64);
    /// # Ok::<(), cryptdisk_core::rng::RngError>(())
    /// ```
    pub fn generate(spec: CipherSpec, rng: &mut dyn RandomSource) -> Result<Self, RngError> {
        let mut bytes = [0u8; MAX_KEY_BYTES];
        let len = spec.key_bytes().min(MAX_KEY_BYTES);
        if let Some(dst) = bytes.get_mut(..len) {
            rng.fill_random(dst)?;
        }
        Ok(Self { bytes, len })
    }

    /// The key bytes.
    ///
    /// ```
    /// let key = cryptdisk_core::key::MasterKey::from_slice(&[3u8; 32])?;
    /// assert_eq!(key.as_bytes(), &[3u8; 32]);
    /// # Ok::<(), cryptdisk_core::key::KeyError>(())
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// Key length in bytes (32 or 64).
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::key::MasterKey::from_slice(&[3u8; 32])?.len(), 32);
    /// # Ok::<(), cryptdisk_core::key::KeyError>(())
    /// ```
    #[expect(clippy::len_without_is_empty, reason = "a key is never empty")]
    pub fn len(&self) -> usize {
        self.len
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
        self.len.zeroize();
    }
}

impl ZeroizeOnDrop for MasterKey {}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl ConstantTimeEq for MasterKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.as_bytes().ct_eq(other.as_bytes())
    }
}

impl PartialEq for MasterKey {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.ct_eq(other))
    }
}

impl Eq for MasterKey {}

/// A key of the wrong shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is not 32 or 64 bytes long.
    InvalidLength {
        /// The length given.
        len: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLength { len } => write!(f, "master key must be 32 or 64 bytes, got {len}"),
        }
    }
}

impl core::error::Error for KeyError {}
