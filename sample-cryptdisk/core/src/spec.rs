//! Cipher specifications: what a LUKS1 header names and what the driver receives.

use crate::xts::{XtsError, XtsKeySize};
use core::fmt;

/// The cipher of a volume. Only AES in XTS mode with the `plain64` IV (tweak = 64-bit
/// little-endian sector number counted from the payload start) is supported.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// let spec = CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 };
/// assert_eq!(spec.to_string(), "aes-xts-plain64");
/// assert_eq!(spec.key_bytes(), 64);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CipherSpec {
    /// `aes` / `xts-plain64`, with a 256-bit (XTS-AES-128) or 512-bit (XTS-AES-256) key.
    AesXtsPlain64 {
        /// Total key size (both XTS halves).
        key_size: XtsKeySize,
    },
}

impl CipherSpec {
    /// LUKS1 `cipher-name` field value.
    ///
    /// ```
    /// # use cryptdisk_core::{spec::CipherSpec, xts::XtsKeySize};
    /// assert_eq!(CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 }.cipher_name(), "aes");
    /// ```
    pub const fn cipher_name(self) -> &'static str {
        match self {
            Self::AesXtsPlain64 { .. } => "aes",
        }
    }

    /// LUKS1 `cipher-mode` field value.
    ///
    /// ```
    /// # use cryptdisk_core::{spec::CipherSpec, xts::XtsKeySize};
    /// assert_eq!(CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 }.cipher_mode(), "xts-plain64");
    /// ```
    pub const fn cipher_mode(self) -> &'static str {
        match self {
            Self::AesXtsPlain64 { .. } => "xts-plain64",
        }
    }

    /// Master-key length in bytes (LUKS1 `key-bytes`).
    ///
    /// ```
    /// # use cryptdisk_core::{spec::CipherSpec, xts::XtsKeySize};
    /// assert_eq!(CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 }.key_bytes(), 32);
    /// ```
    pub const fn key_bytes(self) -> usize {
        match self {
            Self::AesXtsPlain64 { key_size } => key_size.bytes(),
        }
    }

    /// Builds the spec from the LUKS1 field values (exact, lowercase, as cryptsetup and qemu
    /// write them).
    ///
    /// # Errors
    ///
    /// [`SpecError::UnsupportedCipher`], [`SpecError::UnsupportedMode`] or
    /// [`SpecError::KeySize`].
    ///
    /// ```
    /// use cryptdisk_core::spec::{CipherSpec, SpecError};
    /// assert!(CipherSpec::from_luks(b"aes", b"xts-plain64", 64).is_ok());
    /// assert_eq!(CipherSpec::from_luks(b"aes", b"cbc-essiv:sha256", 32), Err(SpecError::UnsupportedMode));
    /// assert_eq!(CipherSpec::from_luks(b"aes", b"xts-plain64", 48), Err(SpecError::KeySize { bytes: 48 }));
    /// ```
    pub fn from_luks(cipher_name: &[u8], cipher_mode: &[u8], key_bytes: u32) -> Result<Self, SpecError> {
        if cipher_name != b"aes" {
            return Err(SpecError::UnsupportedCipher);
        }
        if cipher_mode != b"xts-plain64" {
            return Err(SpecError::UnsupportedMode);
        }
        let key_size = usize::try_from(key_bytes)
            .map_err(|_| XtsError::InvalidKeyLength { len: usize::MAX })
            .and_then(XtsKeySize::from_bytes)
            .map_err(|_| SpecError::KeySize { bytes: key_bytes })?;
        Ok(Self::AesXtsPlain64 { key_size })
    }
}

impl fmt::Display for CipherSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.cipher_name(), self.cipher_mode())
    }
}

/// A cipher specification that this crate does not support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpecError {
    /// `cipher-name` is not `aes`.
    UnsupportedCipher,
    /// `cipher-mode` is not `xts-plain64`.
    UnsupportedMode,
    /// `key-bytes` is not 32 or 64 (256 or 512 bits).
    KeySize {
        /// The key length found, in bytes.
        bytes: u32,
    },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedCipher => f.write_str("unsupported cipher (only aes)"),
            Self::UnsupportedMode => f.write_str("unsupported cipher mode (only xts-plain64)"),
            Self::KeySize { bytes } => {
                write!(f, "unsupported key size {bytes} bytes (only 256 or 512 bits)")
            }
        }
    }
}

impl core::error::Error for SpecError {}
