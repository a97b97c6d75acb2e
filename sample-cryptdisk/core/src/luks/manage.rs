//! Opening a volume with a passphrase, creating it, and adding, changing and removing keys.
//!
//! See the [module docs](crate::luks) for the write ordering that keeps a working key on the
//! device at every instant.

use crate::blockdev::{BlockDevice, SECTOR_SIZE};
use crate::kdf_limits::KdfLimits;
use crate::key::MasterKey;
use crate::luks::header::{NUM_SLOTS, SALT_LEN, new_volume_layout};
use crate::luks::keyslot::{master_key_digest, open_slot, read_material, seal_slot, verify_master_key, wipe_material};
use crate::luks::{HashSpec, LuksError, LuksHeader, read_header, write_header};
use crate::rng::RandomSource;
use crate::spec::CipherSpec;
use crate::uuid::Uuid;
use alloc::vec;

/// Parameters of a new volume.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::luks::{FormatOptions, HashSpec};
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// let opts = FormatOptions::new(
///     CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 },
///     HashSpec::Sha256,
///     1000,
///     1000,
/// );
/// assert_eq!(opts.payload_align_sectors, 2048);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Volume cipher and key size.
    pub cipher: CipherSpec,
    /// Hash for PBKDF2 and the AF splitter.
    pub hash: HashSpec,
    /// PBKDF2 iterations of the first key slot (see `calibrate` for `--iter-time`).
    pub slot_iterations: u32,
    /// PBKDF2 iterations of the master-key digest.
    pub digest_iterations: u32,
    /// Payload alignment in sectors (default 2048 = 1 MiB, as cryptsetup).
    pub payload_align_sectors: u32,
}

impl FormatOptions {
    /// Options with the default payload alignment (1 MiB).
    pub const fn new(cipher: CipherSpec, hash: HashSpec, slot_iterations: u32, digest_iterations: u32) -> Self {
        Self {
            cipher,
            hash,
            slot_iterations,
            digest_iterations,
            payload_align_sectors: crate::luks::header::DEFAULT_PAYLOAD_ALIGN_SECTORS,
        }
    }
}

/// An opened LUKS volume: its header, master key and the slot that opened it.
#[derive(Clone, Debug)]
pub struct Unlocked {
    /// The header as read from the device.
    pub header: LuksHeader,
    /// The master key (zeroized on drop).
    pub master_key: MasterKey,
    /// The key slot that opened.
    pub slot: usize,
}

/// Which slots a [`change_key`] used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyChange {
    /// The slot of the old passphrase, now wiped and disabled.
    pub old_slot: usize,
    /// The slot holding the new passphrase.
    pub new_slot: usize,
}

/// Opens the volume with `passphrase`, trying every active slot in order. Reads only.
///
/// # Errors
///
/// [`LuksError::WrongPassphrase`] when no slot opens, [`LuksError::NoActiveSlots`],
/// header and device errors.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::MemDevice;
/// use cryptdisk_core::luks::{self, FormatOptions, HashSpec, LuksError};
/// use cryptdisk_core::rng::OsRandom;
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// let mut dev = MemDevice::new(4200);
/// let spec = CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 };
/// let opts = FormatOptions::new(spec, HashSpec::Sha256, 10, 10);
/// let created = luks::format(&mut dev, &opts, b"pw", &mut OsRandom)?;
/// let opened = luks::unlock(&mut dev, b"pw")?;
/// assert_eq!(opened.master_key, created.master_key);
/// assert_eq!(luks::unlock(&mut dev, b"nope").err(), Some(LuksError::WrongPassphrase));
/// # Ok::<(), LuksError>(())
/// ```
pub fn unlock<D: BlockDevice + ?Sized>(dev: &mut D, passphrase: &[u8]) -> Result<Unlocked, LuksError> {
    let header = read_header(dev)?;
    check_digest_cost(&header)?;
    let mut any = false;
    let mut refused = None;
    for slot in 0..NUM_SLOTS {
        if !header.slot(slot).is_some_and(|s| s.active) {
            continue;
        }
        any = true;
        if let Err(e) = check_slot_cost(&header, slot) {
            refused.get_or_insert(e); // skipped: reported only if no other slot opens
            continue;
        }
        let mut material = read_material(dev, &header, slot)?;
        if let Some(master_key) = open_slot(&header, slot, passphrase, &mut material)? {
            return Ok(Unlocked {
                header,
                master_key,
                slot,
            });
        }
    }
    Err(if let Some(e) = refused {
        e
    } else if any {
        LuksError::WrongPassphrase
    } else {
        LuksError::NoActiveSlots
    })
}

/// Refuses a master-key digest whose iteration count is beyond [`KdfLimits::DEFAULT`].
fn check_digest_cost(header: &LuksHeader) -> Result<(), LuksError> {
    let limit = KdfLimits::DEFAULT.max_pbkdf2_iterations;
    let iterations = header.mk_digest_iterations();
    if KdfLimits::DEFAULT.pbkdf2_allows(iterations) {
        Ok(())
    } else {
        Err(LuksError::KdfCostTooHigh {
            slot: None,
            iterations,
            limit,
        })
    }
}

/// Refuses a key slot whose iteration count is beyond [`KdfLimits::DEFAULT`].
fn check_slot_cost(header: &LuksHeader, slot: usize) -> Result<(), LuksError> {
    let limit = KdfLimits::DEFAULT.max_pbkdf2_iterations;
    let iterations = header.slot(slot).map_or(0, |s| s.iterations);
    if KdfLimits::DEFAULT.pbkdf2_allows(iterations) {
        Ok(())
    } else {
        Err(LuksError::KdfCostTooHigh {
            slot: Some(slot),
            iterations,
            limit,
        })
    }
}

/// Opens one specific slot with `passphrase`. Reads only.
///
/// # Errors
///
/// [`LuksError::SlotIndex`], [`LuksError::SlotInactive`], [`LuksError::WrongPassphrase`],
/// header and device errors.
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// let opened = cryptdisk_core::luks::unlock_slot(dev, 1, b"second passphrase")?;
/// assert_eq!(opened.slot, 1);
/// # Ok(()) }
/// ```
pub fn unlock_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    slot: usize,
    passphrase: &[u8],
) -> Result<Unlocked, LuksError> {
    let header = read_header(dev)?;
    let s = header.slot(slot).ok_or(LuksError::SlotIndex { slot })?;
    if !s.active {
        return Err(LuksError::SlotInactive { slot });
    }
    check_digest_cost(&header)?;
    check_slot_cost(&header, slot)?;
    let mut material = read_material(dev, &header, slot)?;
    match open_slot(&header, slot, passphrase, &mut material)? {
        Some(master_key) => Ok(Unlocked {
            header,
            master_key,
            slot,
        }),
        None => Err(LuksError::WrongPassphrase),
    }
}

/// Creates a LUKS1 volume on `dev`: random master key, UUID and salts from `rng`; the header
/// area (everything before the payload) is zeroed; key slot 0 gets `passphrase`. The slot is
/// verified by reading it back. The payload (data area) is not touched.
///
/// # Errors
///
/// [`LuksError::ZeroIterations`], [`LuksError::DeviceTooSmall`], [`LuksError::VerifyFailed`],
/// random-source and device errors.
///
/// # Examples
///
/// See [`unlock`].
pub fn format<D: BlockDevice + ?Sized>(
    dev: &mut D,
    opts: &FormatOptions,
    passphrase: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<Unlocked, LuksError> {
    if opts.slot_iterations == 0 || opts.digest_iterations == 0 {
        return Err(LuksError::ZeroIterations);
    }
    let available = dev.sector_count();
    let (offsets, payload) =
        new_volume_layout(opts.cipher.key_bytes(), opts.payload_align_sectors).ok_or(LuksError::DeviceTooSmall {
            needed: u64::MAX,
            available,
        })?;
    if u64::from(payload) >= available {
        return Err(LuksError::DeviceTooSmall {
            needed: u64::from(payload),
            available,
        });
    }
    let master_key = MasterKey::generate(opts.cipher, rng)?;
    let uuid = Uuid::generate(rng)?;
    let mut digest_salt = [0u8; SALT_LEN];
    rng.fill_random(&mut digest_salt)?;
    let digest = master_key_digest(opts.hash, &master_key, &digest_salt, opts.digest_iterations)?;
    let mut header = LuksHeader::new_volume(
        opts.cipher,
        opts.hash,
        uuid,
        digest,
        digest_salt,
        opts.digest_iterations,
        offsets,
        payload,
    )?;

    // Zero the header area (old headers and key material must not survive a re-format).
    let zeros = vec![0u8; 128 * SECTOR_SIZE];
    let mut lba = 0u64;
    let end = u64::from(payload);
    while lba < end {
        let n = (end.saturating_sub(lba)).min(128);
        let len = usize::try_from(n).unwrap_or(0).saturating_mul(SECTOR_SIZE);
        dev.write_sectors(lba, zeros.get(..len).unwrap_or(&[]))?;
        lba = lba.saturating_add(n);
    }

    let mut salt = [0u8; SALT_LEN];
    rng.fill_random(&mut salt)?;
    let material = seal_slot(&header, &master_key, passphrase, &salt, opts.slot_iterations, rng)?;
    let first = header
        .slot(0)
        .map(|s| s.key_material_offset)
        .ok_or(LuksError::SlotIndex { slot: 0 })?;
    dev.write_sectors(u64::from(first), &material)?;
    header.set_slot(0, true, opts.slot_iterations, salt);
    write_header(dev, &header)?;

    let opened = unlock_slot(dev, 0, passphrase).map_err(|_| LuksError::VerifyFailed { slot: 0 })?;
    if opened.master_key != master_key {
        return Err(LuksError::VerifyFailed { slot: 0 });
    }
    Ok(opened)
}

/// Adds `new_passphrase` in the first free slot, given the master key. The key is checked
/// against the header's digest before anything is written; the new slot's material is written
/// first, then the header, then the slot is verified by reading it back (on failure the
/// header is restored). Existing slots are never touched. Returns the new slot's index.
///
/// # Errors
///
/// [`LuksError::WrongMasterKey`] (nothing written), [`LuksError::NoFreeSlot`],
/// [`LuksError::ZeroIterations`], [`LuksError::VerifyFailed`], device and random-source errors.
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice, key: &cryptdisk_core::key::MasterKey) -> Result<(), cryptdisk_core::luks::LuksError> {
/// let slot = cryptdisk_core::luks::add_key(dev, key, b"new", 1000, &mut cryptdisk_core::rng::OsRandom)?;
/// # Ok(()) }
/// ```
pub fn add_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    master_key: &MasterKey,
    new_passphrase: &[u8],
    iterations: u32,
    rng: &mut dyn RandomSource,
) -> Result<usize, LuksError> {
    add_key_to_slot(dev, master_key, new_passphrase, iterations, None, rng)
}

/// As [`add_key`], into key slot `slot` when given (cryptsetup `luksAddKey --key-slot`), else
/// into the first free slot. A given slot that is active is [`LuksError::NoFreeSlot`]
/// (nothing written): an existing key is never overwritten.
///
/// # Errors
///
/// As [`add_key`], and [`LuksError::SlotIndex`] for a slot outside 0..8.
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice, key: &cryptdisk_core::key::MasterKey) -> Result<(), cryptdisk_core::luks::LuksError> {
/// let slot = cryptdisk_core::luks::add_key_to_slot(dev, key, b"new", 1000, Some(5), &mut cryptdisk_core::rng::OsRandom)?;
/// assert_eq!(slot, 5);
/// # Ok(()) }
/// ```
pub fn add_key_to_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    master_key: &MasterKey,
    new_passphrase: &[u8],
    iterations: u32,
    slot: Option<usize>,
    rng: &mut dyn RandomSource,
) -> Result<usize, LuksError> {
    if iterations == 0 {
        return Err(LuksError::ZeroIterations);
    }
    let header = read_header(dev)?;
    check_digest_cost(&header)?;
    if !verify_master_key(&header, master_key)? {
        return Err(LuksError::WrongMasterKey);
    }
    let slot = match slot {
        Some(slot) => match header.slot(slot) {
            None => return Err(LuksError::SlotIndex { slot }),
            Some(s) if s.active => return Err(LuksError::NoFreeSlot),
            Some(_) => slot,
        },
        None => header
            .slots()
            .iter()
            .position(|s| !s.active)
            .ok_or(LuksError::NoFreeSlot)?,
    };
    let offset = header
        .slot(slot)
        .map(|s| s.key_material_offset)
        .ok_or(LuksError::SlotIndex { slot })?;

    let mut salt = [0u8; SALT_LEN];
    rng.fill_random(&mut salt)?;
    let material = seal_slot(&header, master_key, new_passphrase, &salt, iterations, rng)?;
    // 1. key material into the free slot's area (harmless while the slot is disabled)...
    dev.write_sectors(u64::from(offset), &material)?;
    dev.flush()?;
    // 2. ...then the header that activates it.
    let mut updated = header.clone();
    updated.set_slot(slot, true, iterations, salt);
    write_header(dev, &updated)?;

    // 3. Verify from the device, not from memory.
    let verified = matches!(
        unlock_slot(dev, slot, new_passphrase),
        Ok(ref u) if u.master_key == *master_key
    );
    if !verified {
        // Best effort: deactivate the broken slot again (the other slots were not touched).
        let _ = write_header(dev, &header);
        return Err(LuksError::VerifyFailed { slot });
    }
    Ok(slot)
}

/// Adds `new_passphrase`, authorised by an existing passphrase. A wrong `existing` passphrase
/// is reported before anything is written.
///
/// # Errors
///
/// As [`unlock`], then as [`add_key`].
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// use cryptdisk_core::{luks, rng::OsRandom};
/// let slot = luks::add_key_with_passphrase(dev, b"old", b"new", 1000, &mut OsRandom)?;
/// # Ok(()) }
/// ```
pub fn add_key_with_passphrase<D: BlockDevice + ?Sized>(
    dev: &mut D,
    existing_passphrase: &[u8],
    new_passphrase: &[u8],
    iterations: u32,
    rng: &mut dyn RandomSource,
) -> Result<usize, LuksError> {
    let opened = unlock(dev, existing_passphrase)?;
    add_key(dev, &opened.master_key, new_passphrase, iterations, rng)
}

/// Wipes and disables `slot`; the caller has checked that another slot stays active.
fn destroy_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    slot: usize,
    rng: &mut dyn RandomSource,
) -> Result<(), LuksError> {
    let mut header = read_header(dev)?;
    wipe_material(dev, &header, slot, rng)?;
    dev.flush()?;
    header.set_slot(slot, false, 0, [0; SALT_LEN]);
    write_header(dev, &header)
}

fn ensure_not_last(header: &LuksHeader, slot: usize) -> Result<(), LuksError> {
    if header.active_slots().any(|s| s != slot) {
        Ok(())
    } else {
        Err(LuksError::LastKeySlot { slot })
    }
}

/// Replaces `old_passphrase` by `new_passphrase`: the new passphrase goes into a free slot,
/// which is written and verified (see [`add_key`]) **before** the old slot is wiped and
/// disabled. A crash at any point leaves at least one of the two passphrases working.
///
/// # Errors
///
/// [`LuksError::WrongPassphrase`] (nothing written), [`LuksError::NoFreeSlot`] (nothing
/// written: a change needs one free slot), then as [`add_key`].
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// use cryptdisk_core::{luks, rng::OsRandom};
/// let change = luks::change_key(dev, b"old", b"new", 1000, &mut OsRandom)?;
/// assert_ne!(change.old_slot, change.new_slot);
/// # Ok(()) }
/// ```
pub fn change_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    old_passphrase: &[u8],
    new_passphrase: &[u8],
    iterations: u32,
    rng: &mut dyn RandomSource,
) -> Result<KeyChange, LuksError> {
    let opened = unlock(dev, old_passphrase)?;
    if opened.header.slots().iter().all(|s| s.active) {
        return Err(LuksError::NoFreeSlot);
    }
    let new_slot = add_key(dev, &opened.master_key, new_passphrase, iterations, rng)?;
    destroy_slot(dev, opened.slot, rng)?;
    Ok(KeyChange {
        old_slot: opened.slot,
        new_slot,
    })
}

/// Removes the slot that `passphrase` opens (wipes its key material, then disables it).
/// Refuses to remove the last active slot. Returns the removed slot's index.
///
/// # Errors
///
/// [`LuksError::WrongPassphrase`] (nothing written), [`LuksError::LastKeySlot`] (nothing
/// written), device and random-source errors.
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// let removed = cryptdisk_core::luks::remove_key(dev, b"old", &mut cryptdisk_core::rng::OsRandom)?;
/// # Ok(()) }
/// ```
pub fn remove_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    passphrase: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<usize, LuksError> {
    let opened = unlock(dev, passphrase)?;
    ensure_not_last(&opened.header, opened.slot)?;
    destroy_slot(dev, opened.slot, rng)?;
    Ok(opened.slot)
}

/// Removes key slot `slot`, authorised by any working passphrase (which may be the slot's
/// own). Refuses to remove the last active slot.
///
/// # Errors
///
/// [`LuksError::SlotIndex`], [`LuksError::WrongPassphrase`], [`LuksError::SlotInactive`],
/// [`LuksError::LastKeySlot`] (all before writing), device and random-source errors.
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// cryptdisk_core::luks::kill_slot(dev, 3, b"any working passphrase", &mut cryptdisk_core::rng::OsRandom)?;
/// # Ok(()) }
/// ```
pub fn kill_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    slot: usize,
    authorising_passphrase: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<(), LuksError> {
    if slot >= NUM_SLOTS {
        return Err(LuksError::SlotIndex { slot });
    }
    let opened = unlock(dev, authorising_passphrase)?;
    if !opened.header.slot(slot).is_some_and(|s| s.active) {
        return Err(LuksError::SlotInactive { slot });
    }
    ensure_not_last(&opened.header, slot)?;
    destroy_slot(dev, slot, rng)
}
