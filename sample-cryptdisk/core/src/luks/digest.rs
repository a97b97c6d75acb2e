//! The LUKS1 master-key digest, `PBKDF2(hash, master key, mk-digest-salt, mk-digest-iter)`
//! truncated to 20 bytes: how a master key is recognised without opening a key slot (feature
//! `digest`, which the kernel driver builds with; the key slots themselves need `kdf`).

use crate::key::MasterKey;
use crate::luks::header::{DIGEST_LEN, SALT_LEN};
use crate::luks::{LuksError, LuksHeader};
use subtle::ConstantTimeEq;

/// Computes the master-key digest `PBKDF2(hash, key, salt, iterations)` (20 bytes).
///
/// # Errors
///
/// [`LuksError::Kdf`] (never in practice).
///
/// ```
/// use cryptdisk_core::{key::MasterKey, luks::{digest, HashSpec}};
/// let key = MasterKey::from_slice(&[1u8; 32])?;
/// let d = digest::master_key_digest(HashSpec::Sha256, &key, &[0u8; 32], 1000)?;
/// assert_eq!(d.len(), 20);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn master_key_digest(
    hash: crate::luks::HashSpec,
    key: &MasterKey,
    salt: &[u8; SALT_LEN],
    iterations: u32,
) -> Result<[u8; DIGEST_LEN], LuksError> {
    let mut out = [0u8; DIGEST_LEN];
    hash.pbkdf2(key.as_bytes(), salt, iterations, &mut out)?;
    Ok(out)
}

/// Whether `key` is the master key of the volume described by `header` (constant-time digest
/// comparison). Runs the digest's PBKDF2 iterations.
///
/// # Errors
///
/// [`LuksError::Kdf`] (never in practice).
///
/// ```no_run
/// # fn f(h: &cryptdisk_core::luks::LuksHeader, k: &cryptdisk_core::key::MasterKey) -> Result<(), cryptdisk_core::luks::LuksError> {
/// if !cryptdisk_core::luks::digest::verify_master_key(h, k)? { /* wrong key */ }
/// # Ok(()) }
/// ```
pub fn verify_master_key(header: &LuksHeader, key: &MasterKey) -> Result<bool, LuksError> {
    if key.len() != header.cipher().key_bytes() {
        return Ok(false);
    }
    let d = master_key_digest(
        header.hash(),
        key,
        header.mk_digest_salt(),
        header.mk_digest_iterations(),
    )?;
    Ok(bool::from(d.ct_eq(header.mk_digest())))
}
