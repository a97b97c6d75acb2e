//! The LUKS2 binary header (4096 bytes, big-endian), one per metadata copy.
//!
//! Layout (LUKS2 On-Disk Format Specification, "LUKS2 binary header"):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 6 | magic: `LUKS\xba\xbe` (primary) or `SKUL\xba\xbe` (secondary) |
//! | 6 | 2 | version (2) |
//! | 8 | 8 | hdr_size: binary header + JSON area, bytes |
//! | 16 | 8 | seqid: incremented on every update |
//! | 24 | 48 | label |
//! | 72 | 32 | checksum_alg (`sha256`) |
//! | 104 | 64 | salt |
//! | 168 | 40 | uuid |
//! | 208 | 48 | subsystem |
//! | 256 | 8 | hdr_offset: where this copy starts |
//! | 448 | 64 | csum: sha256 over the `hdr_size` bytes with this field zeroed |
//!
//! The JSON area follows the binary header and fills the rest of `hdr_size`; the secondary copy
//! starts at `hdr_size`.

use crate::luks::header::{field as get, text};
use crate::luks2::Luks2Error;
use crate::uuid::Uuid;
use core::ops::Range;
use sha2::{Digest, Sha256};

/// Size of the binary header.
pub const BINARY_LEN: usize = 4096;
/// Magic of the primary copy.
pub const MAGIC_PRIMARY: [u8; 6] = [b'L', b'U', b'K', b'S', 0xba, 0xbe];
/// Magic of the secondary copy.
pub const MAGIC_SECONDARY: [u8; 6] = [b'S', b'K', b'U', b'L', 0xba, 0xbe];
/// The metadata sizes (`hdr_size`) the specification allows: 16 KiB to 4 MiB, powers of two.
pub const METADATA_SIZES: [u64; 9] = [
    0x4000, 0x8000, 0x1_0000, 0x2_0000, 0x4_0000, 0x8_0000, 0x10_0000, 0x20_0000, 0x40_0000,
];

const VERSION: Range<usize> = 6..8;
const HDR_SIZE: Range<usize> = 8..16;
const SEQID: Range<usize> = 16..24;
const LABEL: Range<usize> = 24..72;
const CSUM_ALG: Range<usize> = 72..104;
const SALT: Range<usize> = 104..168;
const UUID: Range<usize> = 168..208;
const SUBSYSTEM: Range<usize> = 208..256;
const HDR_OFFSET: Range<usize> = 256..264;
const CSUM: Range<usize> = 448..512;

/// Which of the two metadata copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copy {
    /// The copy at offset 0.
    Primary,
    /// The copy at offset `hdr_size`.
    Secondary,
}

impl core::fmt::Display for Copy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Primary => "primary",
            Self::Secondary => "secondary",
        })
    }
}

/// The fields of a binary header that passed its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryHeader {
    /// Which copy this is.
    pub copy: Copy,
    /// Binary header + JSON area size, bytes (one of [`METADATA_SIZES`]).
    pub hdr_size: u64,
    /// Update counter.
    pub seqid: u64,
    /// Label (may be empty).
    pub label: [u8; 48],
    /// Subsystem (may be empty).
    pub subsystem: [u8; 48],
    /// Salt of the header (random, written by cryptsetup).
    pub salt: [u8; 64],
    /// The volume UUID.
    pub uuid: Uuid,
}

fn be64(raw: &[u8], r: Range<usize>) -> u64 {
    u64::from_be_bytes(get::<8>(raw, r))
}

/// The `hdr_size` field of a binary header (no check), to know how much to read.
pub fn peek_hdr_size(raw: &[u8]) -> u64 {
    be64(raw, HDR_SIZE)
}

/// Whether `raw` starts with a LUKS magic and version 2 (a LUKS2 volume, valid or not).
///
/// ```
/// use cryptdisk_core::luks2::binary::is_luks2;
/// assert!(is_luks2(b"LUKS\xba\xbe\x00\x02"));
/// assert!(!is_luks2(b"LUKS\xba\xbe\x00\x01"));
/// ```
pub fn is_luks2(raw: &[u8]) -> bool {
    raw.get(..6) == Some(&MAGIC_PRIMARY[..]) && raw.get(VERSION) == Some(&[0u8, 2][..])
}

/// sha256 over `area` with the checksum field zeroed.
pub fn checksum(area: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(area.get(..CSUM.start).unwrap_or(area));
    h.update([0u8; 64]);
    h.update(area.get(CSUM.end..).unwrap_or(&[]));
    h.finalize().into()
}

/// Checks one metadata copy: `area` holds exactly `hdr_size` bytes read at `offset` (the binary
/// header, then the JSON area). Returns the header fields and the JSON text (up to the first
/// NUL).
///
/// # Errors
///
/// [`Luks2Error::BadCopy`] naming the field that is wrong.
pub fn parse_copy(area: &[u8], copy: Copy, offset: u64) -> Result<(BinaryHeader, &[u8]), Luks2Error> {
    let bad = |reason: &'static str| Luks2Error::BadCopy { copy, reason };
    let magic = match copy {
        Copy::Primary => MAGIC_PRIMARY,
        Copy::Secondary => MAGIC_SECONDARY,
    };
    if area.get(..6) != Some(&magic[..]) {
        return Err(bad("bad magic"));
    }
    if get::<2>(area, VERSION) != [0, 2] {
        return Err(bad("version is not 2"));
    }
    let hdr_size = be64(area, HDR_SIZE);
    if !METADATA_SIZES.contains(&hdr_size) {
        return Err(bad("hdr_size is not an allowed metadata size (16 KiB to 4 MiB)"));
    }
    if u64::try_from(area.len()).ok() != Some(hdr_size) {
        return Err(bad("hdr_size differs from the copy's size"));
    }
    if be64(area, HDR_OFFSET) != offset {
        return Err(bad("hdr_offset does not match where the copy is"));
    }
    if text(area, CSUM_ALG) != b"sha256" {
        return Err(bad("checksum algorithm is not sha256"));
    }
    let stored = area.get(CSUM).unwrap_or(&[]);
    let (want, rest) = stored.split_at(stored.len().min(32));
    if want != checksum(area) || rest.iter().any(|&b| b != 0) {
        return Err(bad("checksum mismatch"));
    }
    let uuid = Uuid::parse(&get::<40>(area, UUID)).map_err(|_| bad("uuid is not a UUID"))?;
    let json_area = area.get(BINARY_LEN..).unwrap_or(&[]);
    let end = json_area.iter().position(|&b| b == 0).unwrap_or(json_area.len());
    let header = BinaryHeader {
        copy,
        hdr_size,
        seqid: be64(area, SEQID),
        label: get::<48>(area, LABEL),
        subsystem: get::<48>(area, SUBSYSTEM),
        salt: get::<64>(area, SALT),
        uuid,
    };
    Ok((header, json_area.get(..end).unwrap_or(&[])))
}

/// Builds one metadata copy of `hdr_size` bytes: the binary header for `copy` (at offset 0 or
/// `hdr_size`) with `seqid`, then `json` padded with NULs, checksummed.
///
/// # Errors
///
/// [`Luks2Error::JsonTooLarge`] when `json` does not fit the JSON area.
pub fn build_copy(header: &BinaryHeader, copy: Copy, json: &[u8]) -> Result<alloc::vec::Vec<u8>, Luks2Error> {
    let size = usize::try_from(header.hdr_size).map_err(|_| Luks2Error::JsonTooLarge)?;
    let room = size.checked_sub(BINARY_LEN).ok_or(Luks2Error::JsonTooLarge)?;
    if json.len() >= room {
        return Err(Luks2Error::JsonTooLarge);
    }
    let mut area = alloc::vec![0u8; size];
    let (magic, offset) = match copy {
        Copy::Primary => (MAGIC_PRIMARY, 0),
        Copy::Secondary => (MAGIC_SECONDARY, header.hdr_size),
    };
    let mut put = |r: Range<usize>, bytes: &[u8]| {
        if let Some(dst) = area.get_mut(r.start..r.start.saturating_add(bytes.len())) {
            dst.copy_from_slice(bytes);
        }
    };
    put(0..6, &magic);
    put(VERSION, &2u16.to_be_bytes());
    put(HDR_SIZE, &header.hdr_size.to_be_bytes());
    put(SEQID, &header.seqid.to_be_bytes());
    put(LABEL, &header.label);
    put(CSUM_ALG, b"sha256");
    put(SALT, &header.salt);
    put(UUID, &header.uuid.to_text());
    put(SUBSYSTEM, &header.subsystem);
    put(HDR_OFFSET, &offset.to_be_bytes());
    put(BINARY_LEN..size, json);
    let sum = checksum(&area);
    if let Some(dst) = area.get_mut(CSUM.start..CSUM.start.saturating_add(32)) {
        dst.copy_from_slice(&sum);
    }
    Ok(area)
}
