//! Creating a LUKS2 volume and adding, changing and removing its keys.
//!
//! Write ordering (each metadata update is itself crash-safe, see [`write`](mod@super::write)):
//!
//! * add: the new slot's key material goes into a free part of the key-slot area first, then
//!   the metadata naming the slot is written, then the slot is verified from the device;
//! * remove: the metadata without the slot is written first, then its key material is
//!   overwritten with random bytes;
//! * change: add the new passphrase (verified), then remove the old slot.
//!
//! A crash at any write leaves a volume that opens with the old or the new passphrase.

use crate::blockdev::{BlockDevice, SECTOR_SIZE, SECTOR_SIZE_U64};
use crate::kdf_limits::KdfLimits;
use crate::key::MasterKey;
use crate::luks::{HashSpec, af};
use crate::luks2::binary::{BinaryHeader, Copy};
use crate::luks2::json::Value;
use crate::luks2::metadata::{Argon2Variant, CIPHER, MAX_KEYSLOT_ID, Priority, SECTOR_SIZES, STRIPES};
use crate::luks2::unlock::{Unlocked2, derive, unlock, verify_volume_key};
use crate::luks2::write::write_metadata;
use crate::luks2::{Luks2Error, Luks2Header, read_header};
use crate::rng::RandomSource;
use crate::spec::CipherSpec;
use crate::uuid::Uuid;
use crate::xts::{XtsAes, XtsKeySize};
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

/// Metadata size of new volumes (16 KiB, as cryptsetup).
pub const DEFAULT_HDR_SIZE: u64 = 0x4000;
/// Data offset of new volumes (16 MiB, as cryptsetup).
pub const DEFAULT_DATA_OFFSET: u64 = 16 << 20;
/// Salt length of key slots and digests.
const SALT_LEN: usize = 32;

/// The key-derivation function of a new key slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KdfChoice {
    /// PBKDF2-HMAC.
    Pbkdf2 {
        /// Hash.
        hash: HashSpec,
        /// Iterations.
        iterations: u32,
    },
    /// Argon2.
    Argon2 {
        /// Variant.
        variant: Argon2Variant,
        /// Time cost.
        time: u32,
        /// Memory, KiB.
        memory_kib: u32,
        /// Lanes.
        cpus: u32,
    },
}

/// Parameters of a new LUKS2 volume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Luks2Options {
    /// Volume key size (aes-xts-plain64).
    pub key_size: XtsKeySize,
    /// Encryption sector size (512 to 4096).
    pub sector_size: u32,
    /// Data offset, bytes (a multiple of the sector size and of 4096).
    pub data_offset: u64,
    /// KDF of key slot 0.
    pub kdf: KdfChoice,
    /// PBKDF2-SHA256 iterations of the volume-key digest.
    pub digest_iterations: u32,
}

impl Luks2Options {
    /// cryptsetup's defaults (512-bit key, 4096-byte sectors, 16 MiB data offset) with the
    /// given KDF.
    pub const fn new(kdf: KdfChoice, digest_iterations: u32) -> Self {
        Self {
            key_size: XtsKeySize::Bits512,
            sector_size: 4096,
            data_offset: DEFAULT_DATA_OFFSET,
            kdf,
            digest_iterations,
        }
    }
}

fn b64(bytes: &[u8]) -> Value {
    Value::String(Base64::encode_string(bytes))
}

fn kdf_json(kdf: &KdfChoice, salt: &[u8]) -> Value {
    match *kdf {
        KdfChoice::Pbkdf2 { hash, iterations } => Value::object([
            ("type", Value::string("pbkdf2")),
            ("hash", Value::string(hash.name())),
            ("iterations", Value::number(u64::from(iterations))),
            ("salt", b64(salt)),
        ]),
        KdfChoice::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
        } => Value::object([
            (
                "type",
                Value::string(match variant {
                    Argon2Variant::Argon2i => "argon2i",
                    Argon2Variant::Argon2id => "argon2id",
                }),
            ),
            ("time", Value::number(u64::from(time))),
            ("memory", Value::number(u64::from(memory_kib))),
            ("cpus", Value::number(u64::from(cpus))),
            ("salt", b64(salt)),
        ]),
    }
}

fn to_metadata_kdf(kdf: &KdfChoice, salt: Vec<u8>) -> crate::luks2::metadata::Kdf {
    use crate::luks2::metadata::Kdf;
    match *kdf {
        KdfChoice::Pbkdf2 { hash, iterations } => Kdf::Pbkdf2 { hash, iterations, salt },
        KdfChoice::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
        } => Kdf::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
            salt,
        },
    }
}

/// Bytes of one key slot's area for a `key_size`-byte key: the AF-split key rounded up to
/// 4096 bytes (258048 for 64-byte keys, as cryptsetup).
pub fn area_size(key_size: usize) -> u64 {
    let bytes = u64::try_from(key_size).unwrap_or(0).saturating_mul(u64::from(STRIPES));
    bytes.div_ceil(4096).saturating_mul(4096)
}

/// A sealed key slot: its JSON and the key material to write at `offset`.
struct Sealed {
    json: Value,
    material: Zeroizing<Vec<u8>>,
    offset: u64,
}

fn seal(
    key: &MasterKey,
    passphrase: &[u8],
    kdf: &KdfChoice,
    offset: u64,
    rng: &mut dyn RandomSource,
) -> Result<Sealed, Luks2Error> {
    let n = key.len();
    let size = area_size(n);
    let af_len = n.saturating_mul(STRIPES as usize);
    let mut material = Zeroizing::new(vec![0u8; af_len.div_ceil(SECTOR_SIZE).saturating_mul(SECTOR_SIZE)]);
    let stripes = material.get_mut(..af_len).ok_or(Luks2Error::Crypto("AF size"))?;
    af::split(key.as_bytes(), STRIPES, HashSpec::Sha256, rng, stripes)
        .map_err(|_| Luks2Error::Crypto("AF split refused the key"))?;
    let mut salt = [0u8; SALT_LEN];
    rng.fill_random(&mut salt)?;
    let mut area_key = Zeroizing::new(vec![0u8; n]);
    derive(&to_metadata_kdf(kdf, salt.to_vec()), passphrase, &mut area_key)?;
    XtsAes::new(&area_key)
        .map_err(|_| Luks2Error::Crypto("derived key has equal halves"))?
        .encrypt_sectors(&mut material, SECTOR_SIZE, 0)
        .map_err(|_| Luks2Error::Crypto("key-slot area geometry"))?;
    // The AF split and the area key's derivation ran below this frame.
    crate::wipe::wipe_stack();
    let nn = u64::try_from(n).unwrap_or(0);
    let json = Value::object([
        ("type", Value::string("luks2")),
        ("key_size", Value::number(nn)),
        (
            "af",
            Value::object([
                ("type", Value::string("luks1")),
                ("stripes", Value::number(u64::from(STRIPES))),
                ("hash", Value::string("sha256")),
            ]),
        ),
        (
            "area",
            Value::object([
                ("type", Value::string("raw")),
                ("offset", Value::decimal(offset)),
                ("size", Value::decimal(size)),
                ("encryption", Value::string(CIPHER)),
                ("key_size", Value::number(nn)),
            ]),
        ),
        ("kdf", kdf_json(kdf, &salt)),
    ]);
    Ok(Sealed { json, material, offset })
}

/// The key-slot id `wanted` (if it is free; without a wish, the lowest free id) and the lowest
/// free area offset of `size` bytes.
fn free_slot(header: &Luks2Header, size: u64, wanted: Option<u32>) -> Result<(u32, u64), Luks2Error> {
    let md = &header.metadata;
    let free = |i: &u32| *i <= MAX_KEYSLOT_ID && !md.keyslots.iter().any(|k| k.id == *i);
    let id = match wanted {
        Some(i) => Some(i).filter(free),
        None => (0..=MAX_KEYSLOT_ID).find(free),
    }
    .ok_or(Luks2Error::NoFreeSlot)?;
    let start = header.binary.hdr_size.saturating_mul(2);
    let end = start.saturating_add(md.keyslots_size);
    let mut areas: Vec<(u64, u64)> = md
        .keyslots
        .iter()
        .map(|k| (k.area_offset, k.area_offset.saturating_add(k.area_size)))
        .collect();
    areas.sort_unstable();
    let mut candidate = start;
    for (a, b) in areas {
        if candidate.saturating_add(size) <= a {
            break;
        }
        candidate = candidate.max(b);
    }
    if candidate.saturating_add(size) > end {
        return Err(Luks2Error::NoFreeSlot);
    }
    Ok((id, candidate))
}

fn write_bytes<D: BlockDevice + ?Sized>(dev: &mut D, offset: u64, bytes: &[u8]) -> Result<(), Luks2Error> {
    dev.write_sectors(offset / SECTOR_SIZE_U64, bytes)?;
    Ok(())
}

/// Creates a LUKS2 volume on `dev` (aes-xts-plain64, one `dynamic` data segment at
/// `opts.data_offset`, key slot 0 for `passphrase`): the metadata and key-slot areas are zeroed,
/// the slot is written, then both metadata copies; the slot is verified by reading it back. The
/// data area is not touched.
///
/// # Errors
///
/// [`Luks2Error::BadOptions`], [`Luks2Error::DeviceTooSmall`], [`Luks2Error::VerifyFailed`],
/// random-source, KDF and device errors.
pub fn format<D: BlockDevice + ?Sized>(
    dev: &mut D,
    opts: &Luks2Options,
    passphrase: &[u8],
    rng: &mut dyn RandomSource,
) -> Result<Unlocked2, Luks2Error> {
    if !SECTOR_SIZES.contains(&opts.sector_size) {
        return Err(Luks2Error::BadOptions("sector size must be 512, 1024, 2048 or 4096"));
    }
    if opts.digest_iterations == 0 {
        return Err(Luks2Error::BadOptions("digest iterations must be at least 1"));
    }
    let hdr_size = DEFAULT_HDR_SIZE;
    let key_bytes = opts.key_size.bytes();
    let metadata_end = hdr_size.saturating_mul(2);
    if !opts.data_offset.is_multiple_of(4096) || opts.data_offset < metadata_end.saturating_add(area_size(key_bytes)) {
        return Err(Luks2Error::BadOptions(
            "data offset must be a multiple of 4096 with room for the metadata and one key slot",
        ));
    }
    let available = dev.sector_count().saturating_mul(SECTOR_SIZE_U64);
    let needed = opts.data_offset.saturating_add(u64::from(opts.sector_size));
    if available < needed {
        return Err(Luks2Error::DeviceTooSmall { needed, available });
    }
    let keyslots_size = opts.data_offset.saturating_sub(metadata_end);
    let volume_key = MasterKey::generate(
        CipherSpec::AesXtsPlain64 {
            key_size: opts.key_size,
        },
        rng,
    )?;
    let uuid = Uuid::generate(rng)?;
    let mut salt = [0u8; 64];
    rng.fill_random(&mut salt)?;
    let mut binary = BinaryHeader {
        copy: Copy::Primary,
        hdr_size,
        seqid: 0,
        label: [0; 48],
        subsystem: [0; 48],
        salt,
        uuid,
    };

    let mut digest_salt = [0u8; SALT_LEN];
    rng.fill_random(&mut digest_salt)?;
    let mut digest = [0u8; 32];
    HashSpec::Sha256
        .pbkdf2(volume_key.as_bytes(), &digest_salt, opts.digest_iterations, &mut digest)
        .map_err(|_| Luks2Error::Crypto("PBKDF2 refused its input"))?;
    let sealed = seal(&volume_key, passphrase, &opts.kdf, metadata_end, rng)?;
    let json = Value::object([
        ("keyslots", Value::object([("0", sealed.json)])),
        ("tokens", Value::object([])),
        (
            "segments",
            Value::object([(
                "0",
                Value::object([
                    ("type", Value::string("crypt")),
                    ("offset", Value::decimal(opts.data_offset)),
                    ("size", Value::string("dynamic")),
                    ("iv_tweak", Value::decimal(0)),
                    ("encryption", Value::string(CIPHER)),
                    ("sector_size", Value::number(u64::from(opts.sector_size))),
                ]),
            )]),
        ),
        (
            "digests",
            Value::object([(
                "0",
                Value::object([
                    ("type", Value::string("pbkdf2")),
                    ("keyslots", Value::Array(vec![Value::string("0")])),
                    ("segments", Value::Array(vec![Value::string("0")])),
                    ("hash", Value::string("sha256")),
                    ("iterations", Value::number(u64::from(opts.digest_iterations))),
                    ("salt", b64(&digest_salt)),
                    ("digest", b64(&digest)),
                ]),
            )]),
        ),
        (
            "config",
            Value::object([
                ("json_size", Value::decimal(hdr_size.saturating_sub(4096))),
                ("keyslots_size", Value::decimal(keyslots_size)),
            ]),
        ),
    ]);

    // Zero the metadata and key-slot areas (old headers and key material must not survive).
    let zeros = vec![0u8; 1 << 20];
    let mut at = 0u64;
    while at < opts.data_offset {
        let n = opts.data_offset.saturating_sub(at).min(1 << 20);
        write_bytes(dev, at, zeros.get(..usize::try_from(n).unwrap_or(0)).unwrap_or(&[]))?;
        at = at.saturating_add(n);
    }
    write_bytes(dev, sealed.offset, &sealed.material)?;
    dev.flush()?;
    write_metadata(dev, &mut binary, &json)?;
    let opened =
        unlock(dev, passphrase, Some(0), &KdfLimits::DEFAULT).map_err(|_| Luks2Error::VerifyFailed { slot: 0 })?;
    if opened.volume_key != volume_key {
        return Err(Luks2Error::VerifyFailed { slot: 0 });
    }
    Ok(opened)
}

/// Adds `new_passphrase` in a new key slot (the lowest free id), given the volume key (checked
/// against the digest before anything is written). Returns the new slot's id.
///
/// # Errors
///
/// [`Luks2Error::WrongVolumeKey`] (nothing written), [`Luks2Error::NoFreeSlot`],
/// [`Luks2Error::VerifyFailed`], random-source, KDF and device errors.
pub fn add_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    volume_key: &MasterKey,
    new_passphrase: &[u8],
    kdf: &KdfChoice,
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<u32, Luks2Error> {
    add_key_to_slot(dev, volume_key, new_passphrase, kdf, None, rng, limits)
}

/// As [`add_key`], into key slot `slot` when given (cryptsetup `luksAddKey --key-slot`); a
/// slot in use (or beyond the highest id) is refused before anything is written.
///
/// # Errors
///
/// As [`add_key`]; [`Luks2Error::NoFreeSlot`] also for a `slot` in use.
pub fn add_key_to_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    volume_key: &MasterKey,
    new_passphrase: &[u8],
    kdf: &KdfChoice,
    slot: Option<u32>,
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<u32, Luks2Error> {
    add_key_with_priority(
        dev,
        volume_key,
        new_passphrase,
        kdf,
        slot,
        Priority::Normal,
        rng,
        limits,
    )
}

/// As [`add_key_to_slot`], the new slot with `priority` (stored only when not normal).
#[allow(clippy::too_many_arguments)]
fn add_key_with_priority<D: BlockDevice + ?Sized>(
    dev: &mut D,
    volume_key: &MasterKey,
    new_passphrase: &[u8],
    kdf: &KdfChoice,
    slot: Option<u32>,
    priority: Priority,
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<u32, Luks2Error> {
    let header = read_header(dev)?;
    if !verify_volume_key(&header, volume_key, limits)? {
        return Err(Luks2Error::WrongVolumeKey);
    }
    let (id, offset) = free_slot(&header, area_size(volume_key.len()), slot)?;
    let mut sealed = seal(volume_key, new_passphrase, kdf, offset, rng)?;
    if priority != Priority::Normal {
        sealed.json.insert("priority", Value::number(priority.to_json()));
    }
    let mut json = header.metadata.json.clone();
    let name = format!("{id}");
    json.get_mut("keyslots")
        .map(|k| k.insert(&name, sealed.json))
        .filter(|ok| *ok)
        .ok_or(Luks2Error::Crypto("metadata has no keyslots object"))?;
    let digest_id = format!("{}", header.metadata.digest.id);
    match json
        .get_mut("digests")
        .and_then(|d| d.get_mut(&digest_id))
        .and_then(|d| d.get_mut("keyslots"))
    {
        Some(Value::Array(list)) => list.push(Value::string(&name)),
        _ => return Err(Luks2Error::Crypto("metadata digest has no keyslots list")),
    }
    // 1. key material into a free part of the key-slot area (no metadata points there yet)...
    write_bytes(dev, sealed.offset, &sealed.material)?;
    dev.flush()?;
    // 2. ...then the metadata naming the slot.
    let mut binary = header.binary.clone();
    write_metadata(dev, &mut binary, &json)?;
    // 3. Verify from the device.
    match unlock(dev, new_passphrase, Some(id), limits) {
        Ok(u) if u.volume_key == *volume_key => Ok(id),
        _ => Err(Luks2Error::VerifyFailed { slot: id }),
    }
}

/// Adds `new_passphrase`, authorised by an existing passphrase (checked before any write).
///
/// # Errors
///
/// As [`unlock`], then as [`add_key`].
pub fn add_key_with_passphrase<D: BlockDevice + ?Sized>(
    dev: &mut D,
    existing: &[u8],
    new_passphrase: &[u8],
    kdf: &KdfChoice,
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<u32, Luks2Error> {
    let opened = unlock(dev, existing, None, limits)?;
    add_key(dev, &opened.volume_key, new_passphrase, kdf, rng, limits)
}

/// Removes key slot `slot` from the metadata (written first), then overwrites its key
/// material with random bytes. The caller has checked that another slot stays.
fn destroy_slot<D: BlockDevice + ?Sized>(dev: &mut D, slot: u32, rng: &mut dyn RandomSource) -> Result<(), Luks2Error> {
    let header = read_header(dev)?;
    let area = header
        .metadata
        .keyslots
        .iter()
        .find(|k| k.id == slot)
        .map(|k| (k.area_offset, k.area_size))
        .ok_or(Luks2Error::SlotInactive { slot })?;
    let name = format!("{slot}");
    let mut json = header.metadata.json.clone();
    json.get_mut("keyslots").and_then(|k| k.remove(&name));
    if let Some(Value::Object(digests)) = json.get_mut("digests") {
        for (_, d) in digests.iter_mut() {
            if let Some(Value::Array(list)) = d.get_mut("keyslots") {
                list.retain(|v| v.as_str() != Some(name.as_str()));
            }
        }
    }
    let mut binary = header.binary.clone();
    write_metadata(dev, &mut binary, &json)?;
    let mut noise = Zeroizing::new(vec![0u8; usize::try_from(area.1).unwrap_or(0)]);
    rng.fill_random(&mut noise)?;
    write_bytes(dev, area.0, &noise)?;
    dev.flush()?;
    Ok(())
}

fn ensure_not_last(header: &Luks2Header, slot: u32) -> Result<(), Luks2Error> {
    if header.metadata.active_keyslots().any(|k| k.id != slot) {
        Ok(())
    } else {
        Err(Luks2Error::LastKeySlot { slot })
    }
}

/// Removes the slot `passphrase` opens; refuses the last one. Returns its id.
///
/// # Errors
///
/// [`Luks2Error::WrongPassphrase`], [`Luks2Error::LastKeySlot`] (nothing written), device and
/// random-source errors.
pub fn remove_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    passphrase: &[u8],
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<u32, Luks2Error> {
    let opened = unlock(dev, passphrase, None, limits)?;
    ensure_not_last(&opened.header, opened.slot)?;
    destroy_slot(dev, opened.slot, rng)?;
    Ok(opened.slot)
}

/// Removes key slot `slot`, authorised by any working passphrase; refuses the last one.
///
/// # Errors
///
/// [`Luks2Error::WrongPassphrase`], [`Luks2Error::SlotInactive`], [`Luks2Error::LastKeySlot`]
/// (all before writing), device and random-source errors.
pub fn kill_slot<D: BlockDevice + ?Sized>(
    dev: &mut D,
    slot: u32,
    authorising: &[u8],
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<(), Luks2Error> {
    let opened = unlock(dev, authorising, None, limits)?;
    if !opened.header.metadata.active_keyslots().any(|k| k.id == slot) {
        return Err(Luks2Error::SlotInactive { slot });
    }
    ensure_not_last(&opened.header, slot)?;
    destroy_slot(dev, slot, rng)
}

/// Replaces `old` by `new`: the new slot (with the old slot's priority) is added and verified
/// before the old one is removed.
/// Returns `(old slot, new slot)`.
///
/// # Errors
///
/// As [`unlock`], then as [`add_key`].
pub fn change_key<D: BlockDevice + ?Sized>(
    dev: &mut D,
    old: &[u8],
    new: &[u8],
    kdf: &KdfChoice,
    rng: &mut dyn RandomSource,
    limits: &KdfLimits,
) -> Result<(u32, u32), Luks2Error> {
    let opened = unlock(dev, old, None, limits)?;
    let priority = opened.opened_keyslot().map_or(Priority::Normal, |k| k.priority);
    let new_slot = add_key_with_priority(dev, &opened.volume_key, new, kdf, None, priority, rng, limits)?;
    destroy_slot(dev, opened.slot, rng)?;
    Ok((opened.slot, new_slot))
}
