//! The LUKS1 anti-forensic (AF) information splitter.
//!
//! A key of `n` bytes is expanded into `stripes` stripes of `n` bytes: all but the last are
//! random, and the last is chosen so that the key can only be recovered from *all* stripes:
//!
//! ```text
//! d = 0
//! for s in stripes[0 .. stripes-1]:  d = diffuse(d XOR s)
//! stripes[last] = d XOR key                       (merge: key = d XOR stripes[last])
//! ```
//!
//! `diffuse` hashes each digest-sized piece `i` of `d` as `H(be32(i) || piece)`
//! (LUKS1 On-Disk Format Specification §2.4).

use crate::key::MAX_KEY_BYTES;
use crate::luks::HashSpec;
use crate::rng::{RandomSource, RngError};
use core::fmt;
use zeroize::Zeroizing;

/// Errors of the AF splitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AfError {
    /// Zero stripes.
    ZeroStripes,
    /// The key is empty or longer than 64 bytes.
    KeyLength {
        /// Key length given.
        len: usize,
    },
    /// The stripe buffer is not exactly `key length × stripes` bytes.
    MaterialLength {
        /// Expected length (`None` if it overflows).
        expected: Option<usize>,
        /// Length given.
        len: usize,
    },
    /// The random source failed.
    Rng(RngError),
}

impl fmt::Display for AfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroStripes => f.write_str("AF splitter needs at least one stripe"),
            Self::KeyLength { len } => write!(f, "AF key length {len} is not 1..=64"),
            Self::MaterialLength { expected: Some(e), len } => {
                write!(f, "AF material is {len} bytes, expected {e}")
            }
            Self::MaterialLength { expected: None, len } => {
                write!(f, "AF material is {len} bytes; key length × stripes overflows")
            }
            Self::Rng(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for AfError {}

fn check(key_len: usize, stripes: u32, material_len: usize) -> Result<(), AfError> {
    if stripes == 0 {
        return Err(AfError::ZeroStripes);
    }
    if key_len == 0 || key_len > MAX_KEY_BYTES {
        return Err(AfError::KeyLength { len: key_len });
    }
    let expected = usize::try_from(stripes).ok().and_then(|s| s.checked_mul(key_len));
    if expected != Some(material_len) {
        return Err(AfError::MaterialLength {
            expected,
            len: material_len,
        });
    }
    Ok(())
}

fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= *s;
    }
}

/// Splits `key` into `stripes` stripes written to `out` (`key.len() * stripes` bytes), using
/// `rng` for the random stripes.
///
/// # Errors
///
/// [`AfError`] for bad lengths or a failing random source.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::luks::{af, HashSpec};
/// use cryptdisk_core::rng::OsRandom;
///
/// let key = [0x5au8; 32];
/// let mut material = vec![0u8; 32 * 4000];
/// af::split(&key, 4000, HashSpec::Sha256, &mut OsRandom, &mut material)?;
/// let mut back = [0u8; 32];
/// af::merge(&material, 4000, HashSpec::Sha256, &mut back)?;
/// assert_eq!(back, key);
/// # Ok::<(), af::AfError>(())
/// ```
pub fn split(
    key: &[u8],
    stripes: u32,
    hash: HashSpec,
    rng: &mut dyn RandomSource,
    out: &mut [u8],
) -> Result<(), AfError> {
    check(key.len(), stripes, out.len())?;
    let n = key.len();
    let mut d = Zeroizing::new([0u8; MAX_KEY_BYTES]);
    let d = d.get_mut(..n).ok_or(AfError::KeyLength { len: n })?;
    let random_len = out.len().saturating_sub(n);
    let (random, last) = out.split_at_mut(random_len);
    rng.fill_random(random).map_err(AfError::Rng)?;
    for stripe in random.chunks_exact(n) {
        xor_into(d, stripe);
        hash.diffuse(d);
    }
    last.copy_from_slice(d);
    xor_into(last, key);
    Ok(())
}

/// Recovers the key from `material` (`out.len() * stripes` bytes) into `out`.
///
/// # Errors
///
/// [`AfError`] for bad lengths.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::luks::{af, HashSpec};
/// // One stripe: the material is the key itself.
/// let mut out = [0u8; 4];
/// af::merge(&[1, 2, 3, 4], 1, HashSpec::Sha1, &mut out)?;
/// assert_eq!(out, [1, 2, 3, 4]);
/// # Ok::<(), af::AfError>(())
/// ```
pub fn merge(material: &[u8], stripes: u32, hash: HashSpec, out: &mut [u8]) -> Result<(), AfError> {
    check(out.len(), stripes, material.len())?;
    let n = out.len();
    let mut d = Zeroizing::new([0u8; MAX_KEY_BYTES]);
    let d = d.get_mut(..n).ok_or(AfError::KeyLength { len: n })?;
    let (random, last) = material.split_at(material.len().saturating_sub(n));
    for stripe in random.chunks_exact(n) {
        xor_into(d, stripe);
        hash.diffuse(d);
    }
    out.copy_from_slice(d);
    xor_into(out, last);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seeded(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), RngError> {
        let mut s = seed;
        move |buf: &mut [u8]| {
            for b in buf {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                *b = (s >> 56) as u8;
            }
            Ok(())
        }
    }

    #[test]
    fn length_errors() {
        let mut out = [0u8; 32];
        assert_eq!(merge(&[0; 10], 0, HashSpec::Sha1, &mut out), Err(AfError::ZeroStripes));
        assert_eq!(
            merge(&[0; 10], 2, HashSpec::Sha1, &mut out),
            Err(AfError::MaterialLength {
                expected: Some(64),
                len: 10
            })
        );
        assert_eq!(
            merge(&[0; 10], 2, HashSpec::Sha1, &mut []),
            Err(AfError::KeyLength { len: 0 })
        );
        let mut big = [0u8; 65];
        assert_eq!(
            split(&big.clone(), 1, HashSpec::Sha1, &mut seeded(1), &mut big),
            Err(AfError::KeyLength { len: 65 })
        );
        let mut rng = |_: &mut [u8]| Err(RngError { code: 5 });
        let mut mat = [0u8; 64];
        assert_eq!(
            split(&[1; 32], 2, HashSpec::Sha1, &mut rng, &mut mat),
            Err(AfError::Rng(RngError { code: 5 }))
        );
    }

    #[test]
    fn every_stripe_matters() {
        let key = [0x11u8; 64];
        let mut mat = vec![0u8; 64 * 10];
        split(&key, 10, HashSpec::Sha512, &mut seeded(9), &mut mat).unwrap();
        for i in [0, 64 * 5 + 3, 64 * 9 + 63] {
            let mut broken = mat.clone();
            broken[i] ^= 1;
            let mut out = [0u8; 64];
            merge(&broken, 10, HashSpec::Sha512, &mut out).unwrap();
            assert_ne!(out, key, "flip at {i}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn split_merge_round_trip(
            key in prop::collection::vec(any::<u8>(), 1..=64),
            stripes in 1u32..300,
            hash in prop_oneof![Just(HashSpec::Sha1), Just(HashSpec::Sha256), Just(HashSpec::Sha512)],
            seed in any::<u64>(),
        ) {
            let mut mat = vec![0u8; key.len() * stripes as usize];
            split(&key, stripes, hash, &mut seeded(seed), &mut mat).unwrap();
            let mut out = vec![0u8; key.len()];
            merge(&mat, stripes, hash, &mut out).unwrap();
            prop_assert_eq!(out, key);
        }
    }
}
