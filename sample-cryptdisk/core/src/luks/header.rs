//! The LUKS1 on-disk header (`phdr`, 592 bytes, big-endian fields) and its key-slot table.
//!
//! Layout (LUKS1 On-Disk Format Specification, version 1.2.3):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 6 | magic `LUKS\xba\xbe` |
//! | 6 | 2 | version (1) |
//! | 8 | 32 | cipher-name (NUL-padded), e.g. `aes` |
//! | 40 | 32 | cipher-mode, e.g. `xts-plain64` |
//! | 72 | 32 | hash-spec, e.g. `sha256` |
//! | 104 | 4 | payload-offset (sectors) |
//! | 108 | 4 | key-bytes |
//! | 112 | 20 | mk-digest |
//! | 132 | 32 | mk-digest-salt |
//! | 164 | 4 | mk-digest-iter |
//! | 168 | 40 | uuid (text, NUL-padded) |
//! | 208 | 8 × 48 | key slots: active, iterations, salt\[32\], key-material-offset (sectors), stripes |
//!
//! Parsing never panics and never allocates: every field is checked, and every offset is
//! checked with overflow-free arithmetic against the header, the other slots and the payload
//! (and, with [`LuksHeader::check_device`], against the device size).

use crate::luks::HashSpec;
use crate::spec::{CipherSpec, SpecError};
use crate::uuid::{Uuid, UuidError};
use core::fmt;
use core::ops::Range;

/// LUKS magic bytes.
pub const MAGIC: [u8; 6] = [b'L', b'U', b'K', b'S', 0xba, 0xbe];
/// Size of the LUKS1 header in bytes.
pub const HEADER_LEN: usize = 592;
/// Sectors the header occupies (592 bytes round up to two 512-byte sectors).
pub const HEADER_SECTORS: u64 = 2;
/// Number of key slots.
pub const NUM_SLOTS: usize = 8;
/// Anti-forensic stripes per key slot. cryptsetup and qemu write 4000 and cryptsetup refuses
/// anything else; so does this crate (it also bounds a slot's key material to 256,000 bytes).
pub const STRIPES: u32 = 4000;
/// Salt length (slots and digest).
pub const SALT_LEN: usize = 32;
/// Master-key digest length.
pub const DIGEST_LEN: usize = 20;
/// `active` value of an enabled key slot.
pub const SLOT_ACTIVE: u32 = 0x00AC_71F3;
/// `active` value of a disabled key slot.
pub const SLOT_DISABLED: u32 = 0x0000_DEAD;
/// First key-material sector cryptsetup uses (4096-byte alignment).
pub const FIRST_SLOT_SECTOR: u32 = 8;
/// Key-slot areas are aligned to this many sectors (4096 bytes), as cryptsetup does.
pub const SLOT_ALIGN_SECTORS: u32 = 8;
/// Default payload alignment for new volumes: 1 MiB, as cryptsetup.
pub const DEFAULT_PAYLOAD_ALIGN_SECTORS: u32 = 2048;

const VERSION: Range<usize> = 6..8;
const CIPHER_NAME: Range<usize> = 8..40;
const CIPHER_MODE: Range<usize> = 40..72;
const HASH_SPEC: Range<usize> = 72..104;
const PAYLOAD_OFFSET: Range<usize> = 104..108;
const KEY_BYTES: Range<usize> = 108..112;
const MK_DIGEST: Range<usize> = 112..132;
const MK_SALT: Range<usize> = 132..164;
const MK_ITER: Range<usize> = 164..168;
const UUID: Range<usize> = 168..208;
const SLOTS_START: usize = 208;
const SLOT_LEN: usize = 48;

/// One key slot of the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySlot {
    /// Whether the slot holds a key.
    pub active: bool,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// PBKDF2 salt.
    pub salt: [u8; SALT_LEN],
    /// First sector of the slot's key material.
    pub key_material_offset: u32,
    /// Anti-forensic stripes (always [`STRIPES`] once validated).
    pub stripes: u32,
}

/// A parsed and validated LUKS1 header.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::MemDevice;
/// use cryptdisk_core::luks::{self, FormatOptions, HashSpec, HeaderError, LuksHeader};
/// use cryptdisk_core::rng::OsRandom;
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// assert_eq!(LuksHeader::parse(&[0u8; 100]).err(), Some(HeaderError::TooShort { len: 100 }));
/// assert_eq!(LuksHeader::parse(&[0u8; 592]).err(), Some(HeaderError::BadMagic));
///
/// let mut dev = MemDevice::new(4200);
/// let spec = CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 };
/// luks::format(&mut dev, &FormatOptions::new(spec, HashSpec::Sha256, 10, 10), b"pw", &mut OsRandom)?;
/// let header = LuksHeader::parse(dev.as_bytes())?;
/// assert_eq!(header.cipher(), spec);
/// assert_eq!(header.hash(), HashSpec::Sha256);
/// assert_eq!(header.payload_offset(), 4096);
/// assert_eq!(header.mk_digest_iterations(), 10);
/// assert_eq!(header.active_slots().collect::<Vec<_>>(), [0]);
/// assert_eq!(header.slot(1).map(|s| s.key_material_offset), Some(512));
/// assert_eq!(header.slot_area_sectors(), 500);
/// assert!(header.check_device(4200).is_ok());
/// assert_eq!(&header.to_bytes()[..], &dev.as_bytes()[..592]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct LuksHeader {
    /// The serialized header. INVARIANT: equal to `to_bytes()` at all times (set by `parse`,
    /// `new_volume` and `set_slot`), so the derived equality compares contents; unmodelled bytes
    /// (string padding) are written back as they were read.
    raw: [u8; HEADER_LEN],
    cipher: CipherSpec,
    hash: HashSpec,
    payload_offset: u32,
    mk_digest: [u8; DIGEST_LEN],
    mk_digest_salt: [u8; SALT_LEN],
    mk_digest_iterations: u32,
    uuid: Uuid,
    slots: [KeySlot; NUM_SLOTS],
}

impl fmt::Debug for LuksHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LuksHeader")
            .field("cipher", &self.cipher)
            .field("hash", &self.hash)
            .field("payload_offset", &self.payload_offset)
            .field("mk_digest_iterations", &self.mk_digest_iterations)
            .field("uuid", &self.uuid)
            .field("slots", &self.slots)
            .finish_non_exhaustive()
    }
}

/// The bytes of `raw[r]` as an array (zeros when the range is out of bounds or has another length).
pub(crate) fn field<const N: usize>(raw: &[u8], r: Range<usize>) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(src) = raw.get(r)
        && src.len() == N
    {
        out.copy_from_slice(src);
    }
    out
}

fn be32(raw: &[u8], r: Range<usize>) -> u32 {
    u32::from_be_bytes(field::<4>(raw, r))
}

/// The text of a NUL-padded string field (up to the first NUL).
pub(crate) fn text(raw: &[u8], r: Range<usize>) -> &[u8] {
    let f = raw.get(r).unwrap_or(&[]);
    let end = f.iter().position(|&b| b == 0).unwrap_or(f.len());
    f.get(..end).unwrap_or(&[])
}

fn put(raw: &mut [u8], r: Range<usize>, bytes: &[u8]) {
    if let Some(dst) = raw.get_mut(r)
        && dst.len() == bytes.len()
    {
        dst.copy_from_slice(bytes);
    }
}

fn put_text(raw: &mut [u8], r: Range<usize>, s: &[u8]) {
    if let Some(dst) = raw.get_mut(r) {
        dst.fill(0);
        for (d, c) in dst.iter_mut().zip(s) {
            *d = *c;
        }
    }
}

fn slot_range(i: usize) -> Range<usize> {
    let start = SLOTS_START.saturating_add(i.saturating_mul(SLOT_LEN));
    start..start.saturating_add(SLOT_LEN)
}

/// Sectors of key material a slot needs: `key_bytes * stripes` rounded up to whole sectors.
///
/// ```
/// use cryptdisk_core::luks::header::{slot_area_sectors, STRIPES};
/// assert_eq!(slot_area_sectors(64, STRIPES), Some(500));
/// assert_eq!(slot_area_sectors(32, STRIPES), Some(250));
/// ```
pub fn slot_area_sectors(key_bytes: usize, stripes: u32) -> Option<u64> {
    let bytes = u64::try_from(key_bytes).ok()?.checked_mul(u64::from(stripes))?;
    Some(bytes.div_ceil(512))
}

fn align_up(v: u64, align: u64) -> Option<u64> {
    if align == 0 {
        return Some(v);
    }
    v.div_ceil(align).checked_mul(align)
}

/// Where the key slots and the payload go on a new volume: slot `i` at
/// `8 + i * align8(area)` sectors and the payload aligned to `payload_align` sectors, as
/// cryptsetup lays out LUKS1 (4096 sectors for both key sizes at 1 MiB alignment).
///
/// ```
/// use cryptdisk_core::luks::header::new_volume_layout;
/// let (slots, payload) = new_volume_layout(64, 2048).unwrap();
/// assert_eq!(slots[..3], [8, 512, 1016]);
/// assert_eq!(payload, 4096);
/// ```
pub fn new_volume_layout(key_bytes: usize, payload_align: u32) -> Option<([u32; NUM_SLOTS], u32)> {
    let area = align_up(slot_area_sectors(key_bytes, STRIPES)?, u64::from(SLOT_ALIGN_SECTORS))?;
    let mut offsets = [0u32; NUM_SLOTS];
    let mut next = u64::from(FIRST_SLOT_SECTOR);
    for o in &mut offsets {
        *o = u32::try_from(next).ok()?;
        next = next.checked_add(area)?;
    }
    let payload = align_up(next, u64::from(payload_align))?;
    Some((offsets, u32::try_from(payload).ok()?))
}

impl LuksHeader {
    /// Parses and validates the first [`HEADER_LEN`] bytes of `bytes`.
    ///
    /// Checks: magic, version 1, cipher `aes` / `xts-plain64`, key size 32 or 64 bytes, hash
    /// `sha1` / `sha256` / `sha512`, non-zero iteration counts, a well-formed UUID, slot states,
    /// 4000 stripes, key-material areas after the header, before the payload and not
    /// overlapping each other, and a payload on the same device (detached headers are not
    /// supported).
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`HeaderError`].
    ///
    /// ```
    /// use cryptdisk_core::luks::{HeaderError, LuksHeader};
    /// let mut bytes = [0u8; 592];
    /// bytes[..6].copy_from_slice(b"LUKS\xba\xbe");
    /// bytes[7] = 2; // version 2
    /// assert_eq!(LuksHeader::parse(&bytes).err(), Some(HeaderError::UnsupportedVersion { version: 2 }));
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, HeaderError> {
        let raw: [u8; HEADER_LEN] = match bytes.get(..HEADER_LEN) {
            Some(b) => field::<HEADER_LEN>(b, 0..HEADER_LEN),
            None => return Err(HeaderError::TooShort { len: bytes.len() }),
        };
        if field::<6>(&raw, 0..6) != MAGIC {
            return Err(HeaderError::BadMagic);
        }
        let version = u16::from_be_bytes(field::<2>(&raw, VERSION));
        if version != 1 {
            return Err(HeaderError::UnsupportedVersion { version });
        }
        let cipher = CipherSpec::from_luks(text(&raw, CIPHER_NAME), text(&raw, CIPHER_MODE), be32(&raw, KEY_BYTES))
            .map_err(HeaderError::Cipher)?;
        let hash = HashSpec::from_luks(text(&raw, HASH_SPEC)).ok_or(HeaderError::UnsupportedHash)?;
        let mk_digest_iterations = be32(&raw, MK_ITER);
        if mk_digest_iterations == 0 {
            return Err(HeaderError::ZeroIterations { slot: None });
        }
        let uuid = Uuid::parse(&field::<40>(&raw, UUID)).map_err(HeaderError::Uuid)?;

        let mut slots: [KeySlot; NUM_SLOTS] = core::array::from_fn(|_| KeySlot {
            active: false,
            iterations: 0,
            salt: [0; SALT_LEN],
            key_material_offset: 0,
            stripes: 0,
        });
        for (i, slot) in slots.iter_mut().enumerate() {
            let r = slot_range(i);
            let s = raw.get(r).unwrap_or(&[]);
            let state = be32(s, 0..4);
            slot.active = match state {
                SLOT_ACTIVE => true,
                SLOT_DISABLED => false,
                value => return Err(HeaderError::BadSlotState { slot: i, value }),
            };
            slot.iterations = be32(s, 4..8);
            slot.salt = field::<SALT_LEN>(s, 8..40);
            slot.key_material_offset = be32(s, 40..44);
            slot.stripes = be32(s, 44..48);
            if slot.active && slot.iterations == 0 {
                return Err(HeaderError::ZeroIterations { slot: Some(i) });
            }
        }
        let header = Self {
            raw,
            cipher,
            hash,
            payload_offset: be32(&raw, PAYLOAD_OFFSET),
            mk_digest: field::<DIGEST_LEN>(&raw, MK_DIGEST),
            mk_digest_salt: field::<SALT_LEN>(&raw, MK_SALT),
            mk_digest_iterations,
            uuid,
            slots,
        };
        header.check_layout()?;
        Ok(header)
    }

    /// Builds a header for a new volume with all slots disabled.
    #[cfg_attr(not(feature = "kdf"), allow(dead_code))]
    #[expect(clippy::too_many_arguments, reason = "crate-internal constructor of a flat record")]
    pub(crate) fn new_volume(
        cipher: CipherSpec,
        hash: HashSpec,
        uuid: Uuid,
        mk_digest: [u8; DIGEST_LEN],
        mk_digest_salt: [u8; SALT_LEN],
        mk_digest_iterations: u32,
        slot_offsets: [u32; NUM_SLOTS],
        payload_offset: u32,
    ) -> Result<Self, HeaderError> {
        let mut raw = [0u8; HEADER_LEN];
        put_text(&mut raw, CIPHER_NAME, cipher.cipher_name().as_bytes());
        put_text(&mut raw, CIPHER_MODE, cipher.cipher_mode().as_bytes());
        put_text(&mut raw, HASH_SPEC, hash.name().as_bytes());
        put_text(&mut raw, UUID, &uuid.to_text());
        let slots = slot_offsets.map(|key_material_offset| KeySlot {
            active: false,
            iterations: 0,
            salt: [0; SALT_LEN],
            key_material_offset,
            stripes: STRIPES,
        });
        if mk_digest_iterations == 0 {
            return Err(HeaderError::ZeroIterations { slot: None });
        }
        let mut header = Self {
            raw,
            cipher,
            hash,
            payload_offset,
            mk_digest,
            mk_digest_salt,
            mk_digest_iterations,
            uuid,
            slots,
        };
        header.check_layout()?;
        header.raw = header.to_bytes();
        Ok(header)
    }

    /// Slot and payload geometry checks that do not need the device size.
    fn check_layout(&self) -> Result<(), HeaderError> {
        let payload = u64::from(self.payload_offset);
        if payload == 0 {
            return Err(HeaderError::DetachedHeader);
        }
        let key_bytes = self.cipher.key_bytes();
        let mut areas = [(0u64, 0u64, 0usize); NUM_SLOTS];
        for (i, (slot, area)) in self.slots.iter().zip(areas.iter_mut()).enumerate() {
            if slot.stripes != STRIPES {
                return Err(HeaderError::BadStripes {
                    slot: i,
                    stripes: slot.stripes,
                });
            }
            let start = u64::from(slot.key_material_offset);
            if start < HEADER_SECTORS {
                return Err(HeaderError::SlotOverlapsHeader { slot: i });
            }
            let end = slot_area_sectors(key_bytes, slot.stripes)
                .and_then(|n| start.checked_add(n))
                .ok_or(HeaderError::SlotBeyondPayload { slot: i })?;
            if end > payload {
                return Err(HeaderError::SlotBeyondPayload { slot: i });
            }
            *area = (start, end, i);
        }
        areas.sort_unstable();
        for pair in areas.windows(2) {
            if let [(_, end_a, a), (start_b, _, b)] = pair
                && start_b < end_a
            {
                return Err(HeaderError::SlotsOverlap {
                    first: *a.min(b),
                    second: *a.max(b),
                });
            }
        }
        Ok(())
    }

    /// Checks the header against the size of the device it was read from: the payload (and so
    /// every key-material area, which lies before it) must start inside the device.
    ///
    /// # Errors
    ///
    /// [`HeaderError::PayloadBeyondDevice`].
    ///
    /// See the [type-level example](Self).
    pub fn check_device(&self, device_sectors: u64) -> Result<(), HeaderError> {
        if u64::from(self.payload_offset) > device_sectors {
            return Err(HeaderError::PayloadBeyondDevice {
                payload_offset: self.payload_offset,
                device_sectors,
            });
        }
        Ok(())
    }

    /// Serializes the header (592 bytes).
    ///
    /// Parsing the result gives back an equal header (see the [type-level example](Self)).
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut raw = self.raw;
        put(&mut raw, 0..6, &MAGIC);
        put(&mut raw, VERSION, &1u16.to_be_bytes());
        put(&mut raw, PAYLOAD_OFFSET, &self.payload_offset.to_be_bytes());
        let key_bytes = u32::try_from(self.cipher.key_bytes()).unwrap_or(0);
        put(&mut raw, KEY_BYTES, &key_bytes.to_be_bytes());
        put(&mut raw, MK_DIGEST, &self.mk_digest);
        put(&mut raw, MK_SALT, &self.mk_digest_salt);
        put(&mut raw, MK_ITER, &self.mk_digest_iterations.to_be_bytes());
        for (i, slot) in self.slots.iter().enumerate() {
            let r = slot_range(i);
            if let Some(s) = raw.get_mut(r) {
                let state = if slot.active { SLOT_ACTIVE } else { SLOT_DISABLED };
                put(s, 0..4, &state.to_be_bytes());
                put(s, 4..8, &slot.iterations.to_be_bytes());
                put(s, 8..40, &slot.salt);
                put(s, 40..44, &slot.key_material_offset.to_be_bytes());
                put(s, 44..48, &slot.stripes.to_be_bytes());
            }
        }
        raw
    }

    /// The volume cipher.
    pub fn cipher(&self) -> CipherSpec {
        self.cipher
    }

    /// The hash of PBKDF2 and of the anti-forensic splitter.
    pub fn hash(&self) -> HashSpec {
        self.hash
    }

    /// First sector of the encrypted payload (the data area).
    pub fn payload_offset(&self) -> u32 {
        self.payload_offset
    }

    /// The master-key digest: PBKDF2(master key, [`mk_digest_salt`](Self::mk_digest_salt),
    /// [`mk_digest_iterations`](Self::mk_digest_iterations)), 20 bytes.
    pub fn mk_digest(&self) -> &[u8; DIGEST_LEN] {
        &self.mk_digest
    }

    /// Salt of the master-key digest.
    pub fn mk_digest_salt(&self) -> &[u8; SALT_LEN] {
        &self.mk_digest_salt
    }

    /// PBKDF2 iterations of the master-key digest.
    pub fn mk_digest_iterations(&self) -> u32 {
        self.mk_digest_iterations
    }

    /// The volume UUID.
    pub fn uuid(&self) -> Uuid {
        self.uuid
    }

    /// The eight key slots.
    pub fn slots(&self) -> &[KeySlot; NUM_SLOTS] {
        &self.slots
    }

    /// One key slot, or `None` when `index >= 8`.
    pub fn slot(&self, index: usize) -> Option<&KeySlot> {
        self.slots.get(index)
    }

    /// Indices of the active key slots, in order.
    pub fn active_slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| s.active).map(|(i, _)| i)
    }

    /// Sectors of key material per slot (250 for 256-bit keys, 500 for 512-bit keys).
    pub fn slot_area_sectors(&self) -> u64 {
        slot_area_sectors(self.cipher.key_bytes(), STRIPES).unwrap_or(0)
    }

    /// Replaces a slot's parameters (the area offset and stripes stay as laid out).
    #[cfg_attr(not(feature = "kdf"), allow(dead_code))]
    pub(crate) fn set_slot(&mut self, index: usize, active: bool, iterations: u32, salt: [u8; SALT_LEN]) {
        if let Some(s) = self.slots.get_mut(index) {
            s.active = active;
            s.iterations = iterations;
            s.salt = salt;
        }
        self.raw = self.to_bytes(); // keep `raw` equal to the serialized form
    }
}

/// A LUKS1 header that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderError {
    /// Fewer than 592 bytes.
    TooShort {
        /// Bytes available.
        len: usize,
    },
    /// The magic is not `LUKS\xba\xbe`.
    BadMagic,
    /// The version is not 1 (LUKS2 is not supported).
    UnsupportedVersion {
        /// Version found.
        version: u16,
    },
    /// Cipher name, mode or key size not supported.
    Cipher(SpecError),
    /// Hash spec other than sha1, sha256, sha512.
    UnsupportedHash,
    /// The UUID field is not a UUID.
    Uuid(UuidError),
    /// An iteration count is zero (`slot: None` for the master-key digest).
    ZeroIterations {
        /// The slot, or `None` for the digest.
        slot: Option<usize>,
    },
    /// A slot's `active` field is neither enabled nor disabled.
    BadSlotState {
        /// Slot index.
        slot: usize,
        /// Value found.
        value: u32,
    },
    /// A slot's stripe count is not 4000.
    BadStripes {
        /// Slot index.
        slot: usize,
        /// Value found.
        stripes: u32,
    },
    /// A slot's key material starts inside the header.
    SlotOverlapsHeader {
        /// Slot index.
        slot: usize,
    },
    /// A slot's key material reaches into the payload (or its end overflows).
    SlotBeyondPayload {
        /// Slot index.
        slot: usize,
    },
    /// Two slots' key-material areas overlap.
    SlotsOverlap {
        /// Lower slot index.
        first: usize,
        /// Higher slot index.
        second: usize,
    },
    /// Payload offset 0: a detached header, not supported.
    DetachedHeader,
    /// The payload starts beyond the end of the device.
    PayloadBeyondDevice {
        /// Payload offset in sectors.
        payload_offset: u32,
        /// Device size in sectors.
        device_sectors: u64,
    },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { len } => write!(f, "LUKS header needs 592 bytes, got {len}"),
            Self::BadMagic => f.write_str("not a LUKS volume (bad magic)"),
            Self::UnsupportedVersion { version } => {
                write!(f, "unsupported LUKS version {version} (only LUKS1)")
            }
            Self::Cipher(e) => write!(f, "LUKS header: {e}"),
            Self::UnsupportedHash => f.write_str("unsupported hash spec (only sha1, sha256, sha512)"),
            Self::Uuid(e) => write!(f, "LUKS header: {e}"),
            Self::ZeroIterations { slot: None } => f.write_str("master-key digest has 0 iterations"),
            Self::ZeroIterations { slot: Some(s) } => write!(f, "key slot {s} has 0 iterations"),
            Self::BadSlotState { slot, value } => {
                write!(f, "key slot {slot} has invalid state {value:#010x}")
            }
            Self::BadStripes { slot, stripes } => {
                write!(f, "key slot {slot} has {stripes} stripes (expected 4000)")
            }
            Self::SlotOverlapsHeader { slot } => write!(f, "key slot {slot} overlaps the header"),
            Self::SlotBeyondPayload { slot } => {
                write!(f, "key slot {slot} key material reaches into the payload")
            }
            Self::SlotsOverlap { first, second } => {
                write!(f, "key slots {first} and {second} overlap")
            }
            Self::DetachedHeader => f.write_str("detached LUKS headers (payload offset 0) are not supported"),
            Self::PayloadBeyondDevice {
                payload_offset,
                device_sectors,
            } => write!(
                f,
                "payload offset {payload_offset} is beyond the device end ({device_sectors} sectors)"
            ),
        }
    }
}

impl core::error::Error for HeaderError {}

#[cfg(test)]
mod tests;
