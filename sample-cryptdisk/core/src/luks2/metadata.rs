//! The LUKS2 JSON metadata, typed and validated: key slots, the data segment, digests and
//! config, every offset and size checked against the others.
//!
//! Supported: key slots of type `luks2` (KDF `pbkdf2`, `argon2i`, `argon2id`; AF `luks1` with
//! 4000 stripes; area `raw` with `aes-xts-plain64`), one data segment of type `crypt` with
//! `aes-xts-plain64` and a sector size of 512 to 4096 bytes, `pbkdf2` digests. Tokens are kept
//! untouched. Everything else (re-encryption, integrity, other ciphers, `requirements`) is
//! refused with [`Luks2Error::Unsupported`] naming it.
//!
//! Validating a valid document allocates only what [`Metadata`] keeps, each allocation fallible
//! ([`Luks2Error::OutOfMemory`]); error messages are built with ordinary allocation.

use crate::luks::HashSpec;
use crate::luks2::Luks2Error;
use crate::luks2::binary::BINARY_LEN;
use crate::luks2::fallible::{Section, sort_by_key_in_place, text, try_push, try_zeroed};
use crate::luks2::json::Value;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64, Encoding};

/// The only cipher this project implements.
pub const CIPHER: &str = "aes-xts-plain64";
/// Anti-forensic stripes accepted (what cryptsetup writes).
pub const STRIPES: u32 = 4000;
/// Highest key-slot id (LUKS2 has 32 slots).
pub const MAX_KEYSLOT_ID: u32 = 31;
/// The encryption sector sizes the specification allows.
pub const SECTOR_SIZES: [u32; 4] = [512, 1024, 2048, 4096];

/// Argon2 variant of a key slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argon2Variant {
    /// `argon2i`.
    Argon2i,
    /// `argon2id` (cryptsetup's default).
    Argon2id,
}

/// The key-derivation function of a key slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kdf {
    /// PBKDF2-HMAC.
    Pbkdf2 {
        /// Hash.
        hash: HashSpec,
        /// Iterations.
        iterations: u32,
        /// Salt.
        salt: Vec<u8>,
    },
    /// Argon2 (version 0x13).
    Argon2 {
        /// Variant.
        variant: Argon2Variant,
        /// Time cost (passes).
        time: u32,
        /// Memory cost, KiB.
        memory_kib: u32,
        /// Parallelism (lanes).
        cpus: u32,
        /// Salt.
        salt: Vec<u8>,
    },
}

impl Kdf {
    /// The KDF's name as written in the metadata.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pbkdf2 { .. } => "pbkdf2",
            Self::Argon2 {
                variant: Argon2Variant::Argon2i,
                ..
            } => "argon2i",
            Self::Argon2 {
                variant: Argon2Variant::Argon2id,
                ..
            } => "argon2id",
        }
    }
}

/// One `luks2` key slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyslot {
    /// Slot id (0..=31).
    pub id: u32,
    /// Volume key size sealed in the slot, bytes (32 or 64).
    pub key_size: usize,
    /// AF hash.
    pub af_hash: HashSpec,
    /// AF stripes (4000).
    pub stripes: u32,
    /// Key material offset from the device start, bytes.
    pub area_offset: u64,
    /// Key material area size, bytes.
    pub area_size: u64,
    /// Key size of the area cipher (aes-xts-plain64), bytes.
    pub area_key_size: usize,
    /// The KDF.
    pub kdf: Kdf,
    /// The slot's `priority` (absent: [`Priority::Normal`]).
    pub priority: Priority,
}

/// A key slot's `priority` in the LUKS2 JSON, as cryptsetup uses it when no slot is named:
/// [`Prefer`](Self::Prefer) slots are tried first, then [`Normal`](Self::Normal) ones;
/// [`Ignore`](Self::Ignore) slots only open when named explicitly (`--key-slot`).
///
/// ```
/// use cryptdisk_core::luks2::metadata::Priority;
/// assert_eq!(Priority::from_json(2), Some(Priority::Prefer));
/// assert_eq!(Priority::Ignore.to_json(), 0);
/// assert_eq!(Priority::from_json(3), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// `0`: never tried unless the slot is named.
    Ignore,
    /// `1` (or no `priority` member): tried after the preferred slots.
    #[default]
    Normal,
    /// `2`: tried first.
    Prefer,
}

impl Priority {
    /// The priority stored as `n` in the JSON; `None` for a value cryptsetup does not define.
    pub fn from_json(n: u64) -> Option<Self> {
        match n {
            0 => Some(Self::Ignore),
            1 => Some(Self::Normal),
            2 => Some(Self::Prefer),
            _ => None,
        }
    }

    /// The JSON number of this priority.
    pub fn to_json(self) -> u64 {
        match self {
            Self::Ignore => 0,
            Self::Normal => 1,
            Self::Prefer => 2,
        }
    }

    /// The word `cryptsetup luksDump` prints for it (`ignored`, `normal`, `preferred`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Ignore => "ignored",
            Self::Normal => "normal",
            Self::Prefer => "preferred",
        }
    }
}

/// The data segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Segment id.
    pub id: u32,
    /// Data offset from the device start, bytes.
    pub offset: u64,
    /// Data size in bytes, `None` for `dynamic` (to the device end).
    pub size: Option<u64>,
    /// Added to the tweak (in 512-byte sectors).
    pub iv_tweak: u64,
    /// Encryption sector size (512, 1024, 2048 or 4096).
    pub sector_size: u32,
}

/// A `pbkdf2` digest of the volume key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeDigest {
    /// Digest id.
    pub id: u32,
    /// Key slots whose key this digest checks.
    pub keyslots: Vec<u32>,
    /// Segments this digest's key encrypts.
    pub segments: Vec<u32>,
    /// PBKDF2 hash.
    pub hash: HashSpec,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// Salt.
    pub salt: Vec<u8>,
    /// Expected PBKDF2 output.
    pub digest: Vec<u8>,
}

/// Validated LUKS2 metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Key slots, in id order.
    pub keyslots: Vec<Keyslot>,
    /// The data segment.
    pub segment: Segment,
    /// The digest of the data segment's key.
    pub digest: VolumeDigest,
    /// `config.json_size`.
    pub json_size: u64,
    /// `config.keyslots_size`.
    pub keyslots_size: u64,
    /// Number of tokens (kept untouched).
    pub tokens: usize,
    /// The JSON document as read (written back with changes by key management).
    pub json: Value,
}

fn invalid(section: &str, reason: &'static str) -> Luks2Error {
    Luks2Error::Metadata {
        section: text!("{section}"),
        reason,
    }
}

fn unsupported(what: String) -> Luks2Error {
    Luks2Error::Unsupported { what }
}

fn member<'a>(v: &'a Value, section: &str, key: &'static str) -> Result<&'a Value, Luks2Error> {
    v.get(key).ok_or_else(|| Luks2Error::Metadata {
        section: text!("{section}.{key}"),
        reason: "missing",
    })
}

fn str_member<'a>(v: &'a Value, section: &str, key: &'static str) -> Result<&'a str, Luks2Error> {
    member(v, section, key)?.as_str().ok_or_else(|| Luks2Error::Metadata {
        section: text!("{section}.{key}"),
        reason: "not a string",
    })
}

fn u64_member(v: &Value, section: &str, key: &'static str) -> Result<u64, Luks2Error> {
    member(v, section, key)?.as_u64().ok_or_else(|| Luks2Error::Metadata {
        section: text!("{section}.{key}"),
        reason: "not a non-negative 64-bit integer",
    })
}

fn u32_member(v: &Value, section: &str, key: &'static str) -> Result<u32, Luks2Error> {
    u32::try_from(u64_member(v, section, key)?).map_err(|_| Luks2Error::Metadata {
        section: text!("{section}.{key}"),
        reason: "out of range",
    })
}

fn b64_member(v: &Value, section: &str, key: &'static str, min: usize, max: usize) -> Result<Vec<u8>, Luks2Error> {
    let text = str_member(v, section, key)?;
    // As `decode_vec`, into a buffer reserved fallibly (the decoded length is below the text's).
    let mut bytes = try_zeroed(text.len())?;
    let decoded = Base64::decode(text, &mut bytes)
        .map_err(|_| Luks2Error::Metadata {
            section: text!("{section}.{key}"),
            reason: "not base64",
        })?
        .len();
    bytes.truncate(decoded);
    if bytes.len() < min || bytes.len() > max {
        return Err(Luks2Error::Metadata {
            section: text!("{section}.{key}"),
            reason: "length out of range",
        });
    }
    Ok(bytes)
}

fn hash_member(v: &Value, section: &str, key: &'static str) -> Result<HashSpec, Luks2Error> {
    let name = str_member(v, section, key)?;
    HashSpec::from_luks(name.as_bytes()).ok_or_else(|| unsupported(text!("{section} hash {name}")))
}

fn object<'a>(v: &'a Value, section: &str) -> Result<&'a [(String, Value)], Luks2Error> {
    v.as_object().ok_or_else(|| invalid(section, "not an object"))
}

fn id(text: &str, section: &str, max: u32) -> Result<u32, Luks2Error> {
    let ok = !text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit());
    text.parse::<u32>()
        .ok()
        .filter(|&n| ok && n <= max && (text == "0" || !text.starts_with('0')))
        .ok_or_else(|| Luks2Error::Metadata {
            section: text!("{section} \"{text}\""),
            reason: "not a valid id",
        })
}

fn id_list(v: &Value, section: &str, key: &'static str) -> Result<Vec<u32>, Luks2Error> {
    let items = member(v, section, key)?
        .as_array()
        .ok_or_else(|| Luks2Error::Metadata {
            section: text!("{section}.{key}"),
            reason: "not an array",
        })?;
    let mut ids = Vec::new();
    ids.try_reserve_exact(items.len())?;
    for i in items {
        let text = i.as_str().ok_or_else(|| Luks2Error::Metadata {
            section: text!("{section}.{key}"),
            reason: "item is not a string",
        })?;
        try_push(&mut ids, id(text, section, u32::MAX)?)?;
    }
    Ok(ids)
}

fn xts_key_size(v: &Value, section: &str, key: &'static str) -> Result<usize, Luks2Error> {
    match u64_member(v, section, key)? {
        32 => Ok(32),
        64 => Ok(64),
        n => Err(unsupported(text!("{section} {key} {n} (aes-xts needs 32 or 64 bytes)"))),
    }
}

fn parse_kdf(v: &Value, section: &str) -> Result<Kdf, Luks2Error> {
    let section = Section::new(format_args!("{section}.kdf"));
    let section = section.as_str();
    let salt = |v| b64_member(v, section, "salt", 8, 64);
    match str_member(v, section, "type")? {
        "pbkdf2" => Ok(Kdf::Pbkdf2 {
            hash: hash_member(v, section, "hash")?,
            iterations: positive(u32_member(v, section, "iterations")?, section)?,
            salt: salt(v)?,
        }),
        t @ ("argon2i" | "argon2id") => Ok(Kdf::Argon2 {
            variant: if t == "argon2i" {
                Argon2Variant::Argon2i
            } else {
                Argon2Variant::Argon2id
            },
            time: positive(u32_member(v, section, "time")?, section)?,
            memory_kib: positive(u32_member(v, section, "memory")?, section)?,
            cpus: positive(u32_member(v, section, "cpus")?, section)?,
            salt: salt(v)?,
        }),
        other => Err(unsupported(text!("{section} type {other}"))),
    }
}

fn positive(n: u32, section: &str) -> Result<u32, Luks2Error> {
    if n == 0 {
        Err(invalid(section, "a cost is zero"))
    } else {
        Ok(n)
    }
}

fn parse_keyslot(slot_id: u32, v: &Value) -> Result<Keyslot, Luks2Error> {
    let section = Section::new(format_args!("keyslot {slot_id}"));
    let s = section.as_str();
    match str_member(v, s, "type")? {
        "luks2" => {}
        other => return Err(unsupported(text!("{s} type {other}"))),
    }
    let key_size = xts_key_size(v, s, "key_size")?;
    let af = member(v, s, "af")?;
    let af_s = Section::new(format_args!("{s}.af"));
    let af_s = af_s.as_str();
    match str_member(af, af_s, "type")? {
        "luks1" => {}
        other => return Err(unsupported(text!("{af_s} type {other}"))),
    }
    let stripes = u32_member(af, af_s, "stripes")?;
    if stripes != STRIPES {
        return Err(unsupported(text!("{af_s} stripes {stripes} (only 4000)")));
    }
    let af_hash = hash_member(af, af_s, "hash")?;
    let area = member(v, s, "area")?;
    let area_s = Section::new(format_args!("{s}.area"));
    let area_s = area_s.as_str();
    match str_member(area, area_s, "type")? {
        "raw" => {}
        other => return Err(unsupported(text!("{area_s} type {other}"))),
    }
    let enc = str_member(area, area_s, "encryption")?;
    if enc != CIPHER {
        return Err(unsupported(text!("{area_s} encryption {enc}")));
    }
    let area_key_size = xts_key_size(area, area_s, "key_size")?;
    let area_offset = u64_member(area, area_s, "offset")?;
    let area_size = u64_member(area, area_s, "size")?;
    if area_offset % 512 != 0 || area_size % 512 != 0 {
        return Err(invalid(area_s, "offset or size is not a multiple of 512"));
    }
    let needed = u64::try_from(key_size)
        .ok()
        .and_then(|k| k.checked_mul(u64::from(stripes)))
        .map(|b| b.div_ceil(512).saturating_mul(512))
        .unwrap_or(u64::MAX);
    if area_size < needed {
        return Err(invalid(area_s, "size is smaller than the AF-split key"));
    }
    let kdf = parse_kdf(member(v, s, "kdf")?, s)?;
    // A JSON number (cryptsetup stores an int), not a decimal string.
    let priority = match v.get("priority") {
        None => Some(Priority::Normal),
        Some(p @ Value::Number(_)) => p.as_u64().and_then(Priority::from_json),
        Some(_) => None,
    }
    .ok_or_else(|| invalid(&text!("{s}.priority"), "not 0, 1 or 2"))?;
    Ok(Keyslot {
        id: slot_id,
        key_size,
        af_hash,
        stripes,
        area_offset,
        area_size,
        area_key_size,
        kdf,
        priority,
    })
}

fn parse_segment(seg_id: u32, v: &Value) -> Result<Segment, Luks2Error> {
    let section = Section::new(format_args!("segment {seg_id}"));
    let s = section.as_str();
    match str_member(v, s, "type")? {
        "crypt" => {}
        other => return Err(unsupported(text!("{s} type {other}"))),
    }
    if v.get("integrity").is_some() {
        return Err(unsupported(text!("{s} integrity")));
    }
    if let Some(flags) = v.get("flags") {
        let flags = flags.as_array().ok_or_else(|| invalid(s, "flags is not an array"))?;
        if let Some(f) = flags.first() {
            return Err(unsupported(text!("{s} flag {}", f.as_str().unwrap_or("?"))));
        }
    }
    let enc = str_member(v, s, "encryption")?;
    if enc != CIPHER {
        return Err(unsupported(text!("{s} encryption {enc}")));
    }
    let sector_size = u32_member(v, s, "sector_size")?;
    if !SECTOR_SIZES.contains(&sector_size) {
        return Err(invalid(s, "sector_size is not 512, 1024, 2048 or 4096"));
    }
    let offset = u64_member(v, s, "offset")?;
    if offset == 0 {
        return Err(unsupported(text!("{s} offset 0 (detached header)")));
    }
    if !offset.is_multiple_of(u64::from(sector_size)) {
        return Err(invalid(s, "offset is not a multiple of sector_size"));
    }
    let size = match member(v, s, "size")? {
        Value::String(t) if t == "dynamic" => None,
        other => {
            let n = other
                .as_u64()
                .ok_or_else(|| invalid(s, "size is neither \"dynamic\" nor a number"))?;
            if n == 0 || !n.is_multiple_of(u64::from(sector_size)) {
                return Err(invalid(s, "size is zero or not a multiple of sector_size"));
            }
            offset
                .checked_add(n)
                .ok_or_else(|| invalid(s, "offset + size overflows"))?;
            Some(n)
        }
    };
    Ok(Segment {
        id: seg_id,
        offset,
        size,
        iv_tweak: u64_member(v, s, "iv_tweak")?,
        sector_size,
    })
}

fn parse_digest(dig_id: u32, v: &Value) -> Result<VolumeDigest, Luks2Error> {
    let section = Section::new(format_args!("digest {dig_id}"));
    let s = section.as_str();
    match str_member(v, s, "type")? {
        "pbkdf2" => {}
        other => return Err(unsupported(text!("{s} type {other}"))),
    }
    Ok(VolumeDigest {
        id: dig_id,
        keyslots: id_list(v, s, "keyslots")?,
        segments: id_list(v, s, "segments")?,
        hash: hash_member(v, s, "hash")?,
        iterations: positive(u32_member(v, s, "iterations")?, s)?,
        salt: b64_member(v, s, "salt", 1, 64)?,
        digest: b64_member(v, s, "digest", 16, 64)?,
    })
}

impl Metadata {
    /// Validates the JSON document of a copy whose binary header says `hdr_size`.
    ///
    /// # Errors
    ///
    /// [`Luks2Error::Metadata`] for a rule broken, [`Luks2Error::Unsupported`] for a feature
    /// this project does not implement.
    pub fn from_json(json: Value, hdr_size: u64) -> Result<Self, Luks2Error> {
        object(&json, "top level")?;
        let config = member(&json, "top level", "config")?;
        object(config, "config")?;
        let json_size = u64_member(config, "config", "json_size")?;
        if Some(json_size) != hdr_size.checked_sub(BINARY_LEN as u64) {
            return Err(invalid("config.json_size", "contradicts the binary header's hdr_size"));
        }
        let keyslots_size = u64_member(config, "config", "keyslots_size")?;
        if keyslots_size % 4096 != 0 {
            return Err(invalid("config.keyslots_size", "not a multiple of 4096"));
        }
        if let Some(req) = config.get("requirements") {
            let mandatory = req.get("mandatory").and_then(Value::as_array).unwrap_or(&[]);
            if let Some(first) = mandatory.first() {
                return Err(unsupported(text!(
                    "requirement {}",
                    first.as_str().unwrap_or("(not a string)")
                )));
            }
        }
        let metadata_end = hdr_size
            .checked_mul(2)
            .ok_or_else(|| invalid("config", "metadata size overflows"))?;
        let slots_end = metadata_end
            .checked_add(keyslots_size)
            .ok_or_else(|| invalid("config.keyslots_size", "overflows"))?;

        let mut keyslots = Vec::new();
        for (k, v) in object(member(&json, "top level", "keyslots")?, "keyslots")? {
            let slot = parse_keyslot(id(k, "keyslot", MAX_KEYSLOT_ID)?, v)?;
            let end = slot.area_offset.checked_add(slot.area_size);
            if slot.area_offset < metadata_end || end.is_none_or(|e| e > slots_end) {
                return Err(invalid(
                    &text!("keyslot {}.area", slot.id),
                    "lies outside the key-slot area",
                ));
            }
            try_push(&mut keyslots, slot)?;
        }
        sort_by_key_in_place(&mut keyslots, |s| s.area_offset);
        for pair in keyslots.windows(2) {
            if let [a, b] = pair
                && a.area_offset.saturating_add(a.area_size) > b.area_offset
            {
                return Err(invalid(
                    &text!("keyslots {} and {}", a.id.min(b.id), a.id.max(b.id)),
                    "areas overlap",
                ));
            }
        }
        sort_by_key_in_place(&mut keyslots, |s| s.id);

        let segs = object(member(&json, "top level", "segments")?, "segments")?;
        let mut segment = None;
        for (k, v) in segs {
            let seg = parse_segment(id(k, "segment", u32::MAX)?, v)?;
            if segment.is_some() {
                return Err(unsupported(text!("more than one data segment")));
            }
            segment = Some(seg);
        }
        let segment = segment.ok_or_else(|| invalid("segments", "no data segment"))?;
        if segment.offset < slots_end {
            return Err(invalid(
                &text!("segment {}", segment.id),
                "data offset lies inside the metadata or key-slot area",
            ));
        }

        let mut digest = None;
        for (k, v) in object(member(&json, "top level", "digests")?, "digests")? {
            let d = parse_digest(id(k, "digest", u32::MAX)?, v)?;
            for s in &d.keyslots {
                if !keyslots.iter().any(|k| k.id == *s) {
                    return Err(invalid(
                        &text!("digest {}", d.id),
                        "names a key slot that does not exist",
                    ));
                }
            }
            if d.segments.iter().any(|s| *s != segment.id) {
                return Err(invalid(
                    &text!("digest {}", d.id),
                    "names a segment that does not exist",
                ));
            }
            if d.segments.contains(&segment.id) {
                if digest.is_some() {
                    return Err(invalid("digests", "two digests for the data segment"));
                }
                digest = Some(d);
            }
        }
        let digest = digest.ok_or_else(|| invalid("digests", "no digest for the data segment"))?;
        if digest.digest.len() != digest.hash.digest_size().min(32) && digest.digest.len() != digest.hash.digest_size()
        {
            return Err(invalid(
                &text!("digest {}", digest.id),
                "digest length does not match its hash",
            ));
        }
        let mut key_size = None;
        for s in keyslots.iter().filter(|k| digest.keyslots.contains(&k.id)) {
            if key_size.is_some_and(|n| n != s.key_size) {
                return Err(invalid("keyslots", "key slots of one digest have different key sizes"));
            }
            key_size = Some(s.key_size);
        }
        let tokens = match json.get("tokens") {
            None => 0,
            Some(t) => object(t, "tokens")?.len(),
        };
        Ok(Self {
            keyslots,
            segment,
            digest,
            json_size,
            keyslots_size,
            tokens,
            json,
        })
    }

    /// The key slots that hold the data segment's key, in id order.
    pub fn active_keyslots(&self) -> impl Iterator<Item = &Keyslot> + '_ {
        self.keyslots.iter().filter(|k| self.digest.keyslots.contains(&k.id))
    }

    /// The active key slots in the order an unlock without a named slot tries them, as
    /// cryptsetup does: [`Priority::Prefer`] slots, then [`Priority::Normal`] ones, each group in
    /// id order; [`Priority::Ignore`] slots are left out.
    pub fn unlock_order(&self) -> Vec<&Keyslot> {
        let mut slots: Vec<&Keyslot> = self
            .active_keyslots()
            .filter(|k| k.priority != Priority::Ignore)
            .collect();
        // Stable: ids stay in order within a priority.
        slots.sort_by_key(|k| core::cmp::Reverse(k.priority));
        slots
    }

    /// The volume key size in bytes (from the active key slots; `None` without any).
    pub fn key_size(&self) -> Option<usize> {
        self.active_keyslots().next().map(|k| k.key_size)
    }

    /// Checks every area against the device size (bytes).
    ///
    /// # Errors
    ///
    /// [`Luks2Error::BeyondDevice`].
    pub fn check_device(&self, device_bytes: u64) -> Result<(), Luks2Error> {
        let beyond = |what: String, end: u64| Luks2Error::BeyondDevice {
            what,
            end,
            device: device_bytes,
        };
        for k in &self.keyslots {
            let end = k.area_offset.saturating_add(k.area_size);
            if end > device_bytes {
                return Err(beyond(text!("keyslot {} area", k.id), end));
            }
        }
        let s = &self.segment;
        let end = s.offset.saturating_add(s.size.unwrap_or(0));
        if end > device_bytes || s.offset >= device_bytes {
            return Err(beyond(text!("segment {}", s.id), end));
        }
        Ok(())
    }
}
