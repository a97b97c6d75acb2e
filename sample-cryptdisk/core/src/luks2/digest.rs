//! The volume-key digest of the data segment (a `pbkdf2` digest object): how a volume key is
//! recognised without opening a key slot (feature `digest`, which the kernel driver builds with;
//! the key slots themselves need `kdf`). No allocation: the digest is at most 64 bytes.

use crate::kdf_limits::KdfLimits;
use crate::key::MasterKey;
use crate::luks2::fallible::text;
use crate::luks2::metadata::VolumeDigest;
use crate::luks2::{Luks2Error, Luks2Header};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The longest digest the metadata parser accepts.
const MAX_DIGEST: usize = 64;

/// Refuses a digest whose PBKDF2 iteration count is beyond `limits`.
///
/// # Errors
///
/// [`Luks2Error::KdfCostTooHigh`] naming the digest and its cost.
pub(crate) fn check_digest_cost(d: &VolumeDigest, limits: &KdfLimits) -> Result<(), Luks2Error> {
    if limits.pbkdf2_allows(d.iterations) {
        Ok(())
    } else {
        Err(Luks2Error::KdfCostTooHigh {
            what: text!("digest {}", d.id),
            detail: text!(
                "PBKDF2 iterations {} (limit {})",
                d.iterations,
                limits.max_pbkdf2_iterations
            ),
        })
    }
}

/// Whether `key` matches the data segment's digest (constant-time comparison).
///
/// # Errors
///
/// [`Luks2Error::KdfCostTooHigh`] for a digest beyond the limits, [`Luks2Error::Crypto`] for a
/// digest longer than 64 bytes (the parser refuses those) or a PBKDF2 failure.
pub fn verify_volume_key(header: &Luks2Header, key: &MasterKey, limits: &KdfLimits) -> Result<bool, Luks2Error> {
    let d = &header.metadata.digest;
    check_digest_cost(d, limits)?;
    // A header without key slots has no key size of its own: the digest alone decides.
    if header.metadata.key_size().is_some_and(|size| size != key.len()) {
        return Ok(false);
    }
    let mut buffer = Zeroizing::new([0u8; MAX_DIGEST]);
    let out = buffer
        .get_mut(..d.digest.len())
        .ok_or(Luks2Error::Crypto("digest longer than 64 bytes"))?;
    d.hash
        .pbkdf2(key.as_bytes(), &d.salt, d.iterations, out)
        .map_err(|_| Luks2Error::Crypto("PBKDF2 refused its input"))?;
    Ok(bool::from(out.ct_eq(&d.digest)))
}
