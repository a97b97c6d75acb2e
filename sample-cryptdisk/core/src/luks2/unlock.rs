//! Opening LUKS2 key slots: key derivation (PBKDF2 or Argon2, costs as stored and bounded by
//! [`KdfLimits`]), the key-slot area (aes-xts-plain64, 512-byte sectors, tweak from 0 at the
//! area start), the AF merge, and the volume-key digest.

use crate::blockdev::{BlockDevice, SECTOR_SIZE, SECTOR_SIZE_U64};
use crate::kdf_limits::KdfLimits;
use crate::key::{MAX_KEY_BYTES, MasterKey};
use crate::luks::af;
use crate::luks2::digest::check_digest_cost;
use crate::luks2::metadata::{Argon2Variant, Kdf, Keyslot};
use crate::luks2::{Luks2Error, Luks2Header, read_header};
use crate::xts::XtsAes;
use alloc::format;
use alloc::vec;
use zeroize::Zeroizing;

/// An opened LUKS2 volume.
#[derive(Clone, Debug)]
pub struct Unlocked2 {
    /// The header as read.
    pub header: Luks2Header,
    /// The volume key.
    pub volume_key: MasterKey,
    /// The key slot that opened.
    pub slot: u32,
    /// Slots skipped because their KDF cost is beyond the limits.
    pub skipped: alloc::vec::Vec<u32>,
}

impl Unlocked2 {
    /// The header's entry for the key slot that opened (`None` only for a hand-built value whose
    /// `slot` is not in its header).
    pub fn opened_keyslot(&self) -> Option<&Keyslot> {
        self.header.metadata.keyslots.iter().find(|k| k.id == self.slot)
    }
}

fn too_high(what: alloc::string::String, detail: alloc::string::String) -> Luks2Error {
    Luks2Error::KdfCostTooHigh { what, detail }
}

/// Checks a key slot's KDF cost against `limits`.
///
/// # Errors
///
/// [`Luks2Error::KdfCostTooHigh`] naming the slot and the cost.
pub fn check_kdf_cost(slot: &Keyslot, limits: &KdfLimits) -> Result<(), Luks2Error> {
    match &slot.kdf {
        Kdf::Pbkdf2 { iterations, .. } if !limits.pbkdf2_allows(*iterations) => Err(too_high(
            format!("keyslot {}", slot.id),
            format!(
                "PBKDF2 iterations {iterations} (limit {})",
                limits.max_pbkdf2_iterations
            ),
        )),
        Kdf::Argon2 {
            time, memory_kib, cpus, ..
        } => limits.argon2_allows(*time, *memory_kib, *cpus).map_err(|r| {
            too_high(
                format!("keyslot {}", slot.id),
                format!("argon2 time {time}, memory {memory_kib} KiB, {cpus} lanes: {r}"),
            )
        }),
        Kdf::Pbkdf2 { .. } => Ok(()),
    }
}

/// Derives `out.len()` bytes from `passphrase` with a key slot's KDF.
///
/// # Errors
///
/// [`Luks2Error::Crypto`] when the KDF refuses its parameters or cannot allocate its memory.
pub fn derive(kdf: &Kdf, passphrase: &[u8], out: &mut [u8]) -> Result<(), Luks2Error> {
    match kdf {
        Kdf::Pbkdf2 { hash, iterations, salt } => hash
            .pbkdf2(passphrase, salt, *iterations, out)
            .map_err(|_| Luks2Error::Crypto("PBKDF2 refused its input")),
        Kdf::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
            salt,
        } => {
            let algorithm = match variant {
                Argon2Variant::Argon2i => argon2::Algorithm::Argon2i,
                Argon2Variant::Argon2id => argon2::Algorithm::Argon2id,
            };
            let params = argon2::Params::new(*memory_kib, *time, *cpus, Some(out.len()))
                .map_err(|_| Luks2Error::Crypto("argon2 refused the stored costs"))?;
            let done = argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
                .hash_password_into(passphrase, salt, out);
            // Argon2 hashed the passphrase and the output (the area key) in its frames.
            crate::wipe::wipe_stack();
            done.map_err(|e| match e {
                argon2::Error::OutOfMemory => Luks2Error::Crypto("argon2 could not allocate its memory"),
                _ => Luks2Error::Crypto("argon2 refused its input"),
            })
        }
    }
}

pub use crate::luks2::digest::verify_volume_key;

/// Opens one key slot: derives the area key, decrypts the area, merges the AF stripes and
/// checks the digest. `Ok(None)` for a wrong passphrase.
fn open_keyslot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    header: &Luks2Header,
    slot: &Keyslot,
    passphrase: &[u8],
    limits: &KdfLimits,
) -> Result<Option<MasterKey>, Luks2Error> {
    let af_len = slot
        .key_size
        .checked_mul(usize::try_from(slot.stripes).map_err(|_| Luks2Error::Crypto("stripes"))?)
        .ok_or(Luks2Error::Crypto("AF size overflows"))?;
    let area_len = af_len.div_ceil(SECTOR_SIZE).saturating_mul(SECTOR_SIZE);
    let mut material = Zeroizing::new(vec![0u8; area_len]);
    dev.read_sectors(slot.area_offset / SECTOR_SIZE_U64, &mut material)?;
    let mut area_key = Zeroizing::new([0u8; MAX_KEY_BYTES]);
    let area_key = area_key
        .get_mut(..slot.area_key_size)
        .ok_or(Luks2Error::Crypto("area key size"))?;
    derive(&slot.kdf, passphrase, area_key)?;
    let Ok(xts) = XtsAes::new(area_key) else {
        return Ok(None); // equal halves: this passphrase cannot have sealed the slot
    };
    xts.decrypt_sectors(&mut material, SECTOR_SIZE, 0)
        .map_err(|_| Luks2Error::Crypto("key-slot area geometry"))?;
    // The merge writes straight into the key's own allocation.
    let mut key = MasterKey::zeroed(slot.key_size).map_err(|_| Luks2Error::Crypto("volume key size"))?;
    af::merge(
        material.get(..af_len).unwrap_or(&[]),
        slot.stripes,
        slot.af_hash,
        key.as_mut_bytes(),
    )
    .map_err(|_| Luks2Error::Crypto("AF merge refused the key-slot geometry"))?;
    crate::wipe::wipe_stack();
    if verify_volume_key(header, &key, limits)? {
        Ok(Some(key))
    } else {
        Ok(None)
    }
}

/// Opens the LUKS2 volume on `dev` with `passphrase`, trying the key slots of the data segment
/// in [`Metadata::unlock_order`](crate::luks2::Metadata::unlock_order) (priority `2` first, then
/// `1`, each in id order; priority `0` slots never), or only `only_slot` (whatever its
/// priority). Slots whose KDF cost is beyond `limits` are
/// skipped and listed in [`Unlocked2::skipped`]. Reads only.
///
/// # Errors
///
/// [`Luks2Error::WrongPassphrase`] (nothing written; also when every slot is ignored), [`Luks2Error::KdfCostTooHigh`] when no
/// slot opened and a slot was skipped for its cost (or the digest is beyond the limits),
/// [`Luks2Error::SlotInactive`], [`Luks2Error::NoActiveSlots`], header and device errors.
pub fn unlock<D: BlockDevice + ?Sized>(
    dev: &mut D,
    passphrase: &[u8],
    only_slot: Option<u32>,
    limits: &KdfLimits,
) -> Result<Unlocked2, Luks2Error> {
    let header = read_header(dev)?;
    check_digest_cost(&header.metadata.digest, limits)?;
    let slots: alloc::vec::Vec<Keyslot> = match only_slot {
        // A named slot opens whatever its priority.
        Some(s) => header
            .metadata
            .active_keyslots()
            .filter(|k| k.id == s)
            .cloned()
            .collect(),
        None => header.metadata.unlock_order().into_iter().cloned().collect(),
    };
    if let Some(s) = only_slot
        && slots.is_empty()
    {
        return Err(Luks2Error::SlotInactive { slot: s });
    }
    if header.metadata.active_keyslots().next().is_none() {
        return Err(Luks2Error::NoActiveSlots);
    }
    let mut skipped = alloc::vec::Vec::new();
    let mut first_refusal = None;
    for slot in &slots {
        if let Err(e) = check_kdf_cost(slot, limits) {
            skipped.push(slot.id);
            first_refusal.get_or_insert(e);
            continue;
        }
        if let Some(volume_key) = open_keyslot(dev, &header, slot, passphrase, limits)? {
            return Ok(Unlocked2 {
                header,
                volume_key,
                slot: slot.id,
                skipped,
            });
        }
    }
    Err(first_refusal.unwrap_or(Luks2Error::WrongPassphrase))
}
