//! [`MasterKey`]: the volume key, in one heap allocation that is never moved or copied, zeroized
//! on drop and never printed.
//!
//! Moving a `MasterKey` (into an [`Unlocked`](crate::luks::Unlocked), out of a `Result`, into a
//! mount order) moves a pointer: the key bytes stay where they were written, so no dead stack
//! frame keeps a copy. The key is written straight into that allocation (random bytes, the AF
//! merge of a key slot, the bytes of a MOUNT request) and read through references.

use crate::heap::TryBox;
use crate::rng::{RandomSource, RngError};
use crate::spec::CipherSpec;
use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Largest supported master key, in bytes (XTS-AES-256).
pub const MAX_KEY_BYTES: usize = 64;

/// The master (volume) key: 32 or 64 bytes in a heap allocation of its own, wiped from memory
/// when dropped.
///
/// The bytes never leave that allocation: moves of a `MasterKey` move the pointer, [`Clone`]
/// copies heap to heap. `Debug` shows the length only. Equality is constant-time.
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
pub struct MasterKey {
    /// The key in its first `len` bytes, zeros after. Boxed so that it is never moved.
    bytes: TryBox<[u8; MAX_KEY_BYTES]>,
    len: usize,
}

impl MasterKey {
    /// A key of `len` (32 or 64) zero bytes, to be filled in place through
    /// [`as_mut_bytes`](Self::as_mut_bytes).
    pub(crate) fn zeroed(len: usize) -> Result<Self, KeyError> {
        if len != 32 && len != MAX_KEY_BYTES {
            return Err(KeyError::InvalidLength { len });
        }
        // A zero array is built and moved into the allocation: it holds no secret yet. The
        // allocation is fallible: the driver parses MOUNT requests with this.
        Ok(Self {
            bytes: TryBox::new([0u8; MAX_KEY_BYTES]).map_err(|_| KeyError::OutOfMemory)?,
            len,
        })
    }

    /// The key bytes, writable in place (see [`zeroed`](Self::zeroed)).
    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8] {
        self.bytes.get_mut(..self.len).unwrap_or(&mut [])
    }

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
        let mut this = Self::zeroed(key.len())?;
        this.as_mut_bytes().copy_from_slice(key);
        Ok(this)
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
        let len = spec.key_bytes().min(MAX_KEY_BYTES);
        // Every cipher spec has a 32- or 64-byte key; anything else stays the zero bytes of a
        // full-size key, as before this was boxed.
        let mut this = Self::zeroed(len).unwrap_or_else(|_| Self {
            bytes: TryBox::new_or_abort([0u8; MAX_KEY_BYTES]),
            len,
        });
        rng.fill_random(this.as_mut_bytes())?;
        Ok(this)
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

impl Clone for MasterKey {
    /// Copies the key from its allocation straight into a new one (no stack copy).
    fn clone(&self) -> Self {
        let mut copy = Self {
            bytes: TryBox::new_or_abort([0u8; MAX_KEY_BYTES]),
            len: self.len,
        };
        copy.bytes.copy_from_slice(self.bytes.as_slice());
        copy
    }
}

impl Zeroize for MasterKey {
    /// Overwrites the key bytes with zeros in place (the length is kept); what [`Drop`] does.
    ///
    /// ```
    /// use zeroize::Zeroize;
    /// let mut key = cryptdisk_core::key::MasterKey::from_slice(&[9u8; 32])?;
    /// key.zeroize();
    /// assert_eq!(key.as_bytes(), &[0u8; 32]);
    /// # Ok::<(), cryptdisk_core::key::KeyError>(())
    /// ```
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.zeroize();
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
    /// No memory for the key's allocation.
    OutOfMemory,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLength { len } => write!(f, "master key must be 32 or 64 bytes, got {len}"),
            Self::OutOfMemory => f.write_str("no memory for the master key"),
        }
    }
}

impl core::error::Error for KeyError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MasterKey {
        MasterKey::from_slice(&core::array::from_fn::<u8, 64, _>(|i| i as u8 ^ 0xa5)).unwrap()
    }

    #[test]
    fn moves_never_move_the_key_bytes() {
        let k = key();
        let at = k.as_bytes().as_ptr();
        let through_result = |k: MasterKey| -> Result<MasterKey, KeyError> { Ok(core::hint::black_box(k)) };
        let moved = core::hint::black_box(through_result(k));
        let v = alloc::vec![moved.unwrap()];
        assert_eq!(v[0].as_bytes().as_ptr(), at);
    }

    #[test]
    fn a_clone_is_a_second_allocation_with_the_same_bytes() {
        let k = key();
        let c = k.clone();
        assert_ne!(c.as_bytes().as_ptr(), k.as_bytes().as_ptr());
        assert_eq!(c, k);
    }

    #[test]
    fn zeroize_wipes_every_byte_in_place() {
        let mut k = key();
        let at = k.as_bytes().as_ptr();
        k.zeroize();
        assert_eq!(k.as_bytes().as_ptr(), at);
        assert!(k.bytes.iter().all(|&b| b == 0));
    }

    #[test]
    fn zeroed_refuses_other_lengths() {
        assert_eq!(MasterKey::zeroed(48).err(), Some(KeyError::InvalidLength { len: 48 }));
        assert_eq!(MasterKey::zeroed(32).unwrap().as_mut_bytes().len(), 32);
    }
}
