//! LUKS1 `hash-spec`: the hash used by PBKDF2 (key slots and master-key digest) and by the
//! anti-forensic diffusion.

use core::fmt;

/// A supported LUKS1 hash specification.
///
/// ```
/// use cryptdisk_core::luks::HashSpec;
/// assert_eq!(HashSpec::from_luks(b"sha256"), Some(HashSpec::Sha256));
/// assert_eq!(HashSpec::Sha512.name(), "sha512");
/// assert_eq!(HashSpec::Sha1.digest_size(), 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashSpec {
    /// SHA-1 (cryptsetup's historical default; still readable).
    Sha1,
    /// SHA-256 (cryptsetup's and qemu's current default).
    Sha256,
    /// SHA-512.
    Sha512,
}

impl HashSpec {
    /// The name written in the header.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::luks::HashSpec::Sha1.name(), "sha1");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    /// Output size in bytes.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::luks::HashSpec::Sha512.digest_size(), 64);
    /// ```
    pub const fn digest_size(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    /// Parses the header field value (exact, lowercase, as cryptsetup and qemu write it).
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::luks::HashSpec::from_luks(b"ripemd160"), None);
    /// ```
    pub fn from_luks(name: &[u8]) -> Option<Self> {
        match name {
            b"sha1" => Some(Self::Sha1),
            b"sha256" => Some(Self::Sha256),
            b"sha512" => Some(Self::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for HashSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "digest")]
mod pbkdf {
    use super::HashSpec;
    use hmac::Hmac;
    use sha1::Sha1;
    use sha2::{Sha256, Sha512};

    impl HashSpec {
        /// PBKDF2-HMAC with this hash (RFC 8018), filling `out`.
        ///
        /// Never fails in practice (HMAC takes keys of any length); the `Err` is the
        /// `pbkdf2` crate's `InvalidLength`, surfaced instead of a panic.
        ///
        /// # Errors
        ///
        /// [`KdfError`](crate::luks::KdfError) if the underlying PRF refuses the password.
        ///
        /// ```
        /// use cryptdisk_core::luks::HashSpec;
        /// // RFC 6070 test vector 1 (PBKDF2-HMAC-SHA1, c = 1).
        /// let mut out = [0u8; 20];
        /// HashSpec::Sha1.pbkdf2(b"password", b"salt", 1, &mut out)?;
        /// assert_eq!(out[..4], [0x0c, 0x60, 0xc8, 0x0f]);
        /// # Ok::<(), cryptdisk_core::luks::KdfError>(())
        /// ```
        pub fn pbkdf2(
            self,
            password: &[u8],
            salt: &[u8],
            iterations: u32,
            out: &mut [u8],
        ) -> Result<(), crate::luks::KdfError> {
            let r = match self {
                Self::Sha1 => pbkdf2::pbkdf2::<Hmac<Sha1>>(password, salt, iterations, out),
                Self::Sha256 => pbkdf2::pbkdf2::<Hmac<Sha256>>(password, salt, iterations, out),
                Self::Sha512 => pbkdf2::pbkdf2::<Hmac<Sha512>>(password, salt, iterations, out),
            };
            // HMAC copied the password (a passphrase, or the master key for its digest) into
            // its frames.
            crate::wipe::wipe_stack();
            r.map_err(|_| crate::luks::KdfError)
        }
    }
}

#[cfg(feature = "kdf")]
mod kdf {
    use super::HashSpec;
    use sha1::Sha1;
    use sha2::digest::Digest;
    use sha2::{Sha256, Sha512};
    use zeroize::Zeroize;

    impl HashSpec {
        /// The LUKS1 anti-forensic diffusion of `buf`, in place: every digest-sized piece `i`
        /// (the last one may be shorter) is replaced by the head of `H(be32(i) || piece)`.
        pub(crate) fn diffuse(self, buf: &mut [u8]) {
            match self {
                Self::Sha1 => diffuse_with::<Sha1>(buf),
                Self::Sha256 => diffuse_with::<Sha256>(buf),
                Self::Sha512 => diffuse_with::<Sha512>(buf),
            }
        }
    }

    fn diffuse_with<D: Digest>(buf: &mut [u8]) {
        let size = <D as Digest>::output_size();
        let mut index: u32 = 0;
        for piece in buf.chunks_mut(size.max(1)) {
            let mut h = D::new();
            h.update(index.to_be_bytes());
            h.update(&*piece);
            let mut digest = h.finalize();
            for (p, d) in piece.iter_mut().zip(digest.iter()) {
                *p = *d;
            }
            digest.as_mut_slice().zeroize();
            index = index.wrapping_add(1);
        }
    }
}
