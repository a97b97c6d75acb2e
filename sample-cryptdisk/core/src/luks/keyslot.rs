//! PBKDF2 key slots: sealing the master key into a slot, opening a slot with a passphrase, and
//! the master-key digest.
//!
//! A slot holds `AF-split(master key)` (4000 stripes), encrypted with the volume's cipher
//! (aes-xts-plain64, 512-byte sectors, tweak = sector index counted from the start of the
//! slot's key material) under the key `PBKDF2(hash, passphrase, slot salt, slot iterations)`.

use crate::blockdev::{BlockDevice, SECTOR_SIZE};
use crate::key::{MAX_KEY_BYTES, MasterKey};
use crate::luks::header::{SALT_LEN, STRIPES};
use crate::luks::{LuksError, LuksHeader, af};
use crate::rng::RandomSource;
use crate::xts::XtsAes;
use alloc::vec;
use zeroize::Zeroizing;

/// Key material of one slot, zeroized on drop.
pub type SlotMaterial = Zeroizing<alloc::vec::Vec<u8>>;

pub use crate::luks::digest::{master_key_digest, verify_master_key};

/// Bytes of key material per slot.
fn material_len(header: &LuksHeader) -> Result<usize, LuksError> {
    let sectors = header.slot_area_sectors();
    usize::try_from(sectors)
        .ok()
        .and_then(|s| s.checked_mul(SECTOR_SIZE))
        .ok_or(LuksError::Header(crate::luks::HeaderError::SlotBeyondPayload {
            slot: 0,
        }))
}

fn derive_slot_key(
    header: &LuksHeader,
    passphrase: &[u8],
    salt: &[u8; SALT_LEN],
    iterations: u32,
) -> Result<Zeroizing<[u8; MAX_KEY_BYTES]>, LuksError> {
    let n = header.cipher().key_bytes();
    let mut dk = Zeroizing::new([0u8; MAX_KEY_BYTES]);
    let out = dk
        .get_mut(..n)
        .ok_or(LuksError::Key(crate::key::KeyError::InvalidLength { len: n }))?;
    header.hash().pbkdf2(passphrase, salt, iterations, out)?;
    Ok(dk)
}

/// Reads the (still encrypted) key material of slot `index` from the device.
///
/// # Errors
///
/// [`LuksError::SlotIndex`] or [`LuksError::Device`].
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::{BlockDevice, MemDevice};
/// use cryptdisk_core::luks::{self, keyslot, FormatOptions, HashSpec};
/// use cryptdisk_core::rng::OsRandom;
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// let mut dev = MemDevice::new(4200);
/// let spec = CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 };
/// let made = luks::format(&mut dev, &FormatOptions::new(spec, HashSpec::Sha1, 10, 10), b"pw", &mut OsRandom)?;
/// let header = luks::read_header(&mut dev)?;
///
/// let mut material = keyslot::read_material(&mut dev, &header, 0)?;
/// assert_eq!(material.len(), 32 * 4000);
/// let key = keyslot::open_slot(&header, 0, b"pw", &mut material)?;
/// assert!(key == Some(made.master_key.clone()));
///
/// // Seal the same key for another passphrase (this only builds the material).
/// let sealed = keyslot::seal_slot(&header, &made.master_key, b"other", &[7; 32], 10, &mut OsRandom)?;
/// let mut copy = sealed.to_vec();
/// assert!(keyslot::open_slot(&header, 0, b"other", &mut copy)?.is_none()); // slot 0 has another salt
/// # Ok::<(), cryptdisk_core::luks::LuksError>(())
/// ```
pub fn read_material<D: BlockDevice + ?Sized>(
    dev: &mut D,
    header: &LuksHeader,
    index: usize,
) -> Result<SlotMaterial, LuksError> {
    let slot = header.slot(index).ok_or(LuksError::SlotIndex { slot: index })?;
    let mut material = Zeroizing::new(vec![0u8; material_len(header)?]);
    dev.read_sectors(u64::from(slot.key_material_offset), &mut material)?;
    Ok(material)
}

/// Tries to open slot `index` with `passphrase`, given its encrypted key material (which is
/// decrypted in place). Returns the master key when the recovered key matches the digest.
///
/// # Errors
///
/// [`LuksError::SlotIndex`], or a KDF/AF failure (never with a validated header).
///
/// # Examples
///
/// See [`read_material`].
pub fn open_slot(
    header: &LuksHeader,
    index: usize,
    passphrase: &[u8],
    material: &mut [u8],
) -> Result<Option<MasterKey>, LuksError> {
    let slot = header.slot(index).ok_or(LuksError::SlotIndex { slot: index })?;
    let n = header.cipher().key_bytes();
    let dk = derive_slot_key(header, passphrase, &slot.salt, slot.iterations)?;
    let Ok(xts) = XtsAes::new(dk.get(..n).unwrap_or(&[])) else {
        return Ok(None); // equal halves: this passphrase cannot have sealed the slot
    };
    xts.decrypt_sectors(material, SECTOR_SIZE, 0)?;
    let af_len = n.saturating_mul(STRIPES as usize);
    let stripes = material.get(..af_len).ok_or(LuksError::SlotIndex { slot: index })?;
    // The merge writes straight into the key's own allocation.
    let mut key = MasterKey::zeroed(n)?;
    af::merge(stripes, STRIPES, header.hash(), key.as_mut_bytes())?;
    crate::wipe::wipe_stack();
    if verify_master_key(header, &key)? {
        Ok(Some(key))
    } else {
        Ok(None)
    }
}

/// Seals `key` for a slot: AF-splits it with fresh random stripes and encrypts the result
/// under `PBKDF2(passphrase, salt, iterations)`. Returns the material to write at the slot's
/// key-material offset.
///
/// # Errors
///
/// [`LuksError::Rng`], [`LuksError::Xts`] (derived key with equal halves), KDF/AF failures.
///
/// # Examples
///
/// See [`read_material`].
pub fn seal_slot(
    header: &LuksHeader,
    key: &MasterKey,
    passphrase: &[u8],
    salt: &[u8; SALT_LEN],
    iterations: u32,
    rng: &mut dyn RandomSource,
) -> Result<SlotMaterial, LuksError> {
    let n = header.cipher().key_bytes();
    if key.len() != n {
        return Err(LuksError::Key(crate::key::KeyError::InvalidLength { len: key.len() }));
    }
    let mut material = Zeroizing::new(vec![0u8; material_len(header)?]);
    let af_len = n.saturating_mul(STRIPES as usize);
    let stripes = material.get_mut(..af_len).ok_or(LuksError::SlotIndex { slot: 0 })?;
    af::split(key.as_bytes(), STRIPES, header.hash(), rng, stripes)?;
    let dk = derive_slot_key(header, passphrase, salt, iterations)?;
    XtsAes::new(dk.get(..n).unwrap_or(&[]))?.encrypt_sectors(&mut material, SECTOR_SIZE, 0)?;
    // The AF split and the slot key's derivation ran below this frame.
    crate::wipe::wipe_stack();
    Ok(material)
}

/// Overwrites slot `index`'s key material with random bytes.
pub(crate) fn wipe_material<D: BlockDevice + ?Sized>(
    dev: &mut D,
    header: &LuksHeader,
    index: usize,
    rng: &mut dyn RandomSource,
) -> Result<(), LuksError> {
    let slot = header.slot(index).ok_or(LuksError::SlotIndex { slot: index })?;
    let mut noise = Zeroizing::new(vec![0u8; material_len(header)?]);
    rng.fill_random(&mut noise)?;
    dev.write_sectors(u64::from(slot.key_material_offset), &noise)?;
    Ok(())
}
