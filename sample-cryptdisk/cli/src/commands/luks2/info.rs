//! `cryptdisk info` for a LUKS2 volume, as text or JSON. Needs no passphrase, writes nothing.

use crate::args::InfoArgs;
use crate::commands::info_common::{self, VolumeIdentity};
use crate::error::CliError;
use crate::output::human_bytes;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::luks2::Luks2Header;
use cryptdisk_core::luks2::metadata::{Kdf, Keyslot};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything `info` shows for a LUKS2 volume; serialized as is for `--json`.
#[derive(Debug, Serialize)]
pub struct Luks2Report {
    /// The volume file.
    pub path: String,
    /// LUKS version (2).
    pub version: u16,
    /// Metadata update counter of the copy in use.
    pub seqid: u64,
    /// The copy in use (`primary` or `secondary`).
    pub header_copy: String,
    /// Why the other copy was not used, when it is damaged.
    pub damaged_copy: Option<String>,
    /// Binary header + JSON area size, bytes.
    pub metadata_size_bytes: u64,
    /// Key-slot area size, bytes.
    pub keyslots_size_bytes: u64,
    /// Label.
    pub label: String,
    /// Subsystem.
    pub subsystem: String,
    /// Cipher specification.
    pub cipher: String,
    /// Volume key size in bits.
    pub key_size_bits: usize,
    /// Encryption sector size, bytes.
    pub sector_size: u32,
    /// Data offset, bytes.
    pub data_offset_bytes: u64,
    /// Data segment size: `dynamic` or bytes.
    pub segment_size: String,
    /// Added to the XTS tweak, in 512-byte sectors.
    pub iv_tweak: u64,
    /// Size of the data area in bytes.
    pub data_size_bytes: u64,
    /// Original length (from the `cryptdisk-length` token), UUID, GUIDs and unique ID.
    #[serde(flatten)]
    pub identity: VolumeIdentity,
    /// The volume-key digest: hash and PBKDF2 iterations.
    pub digest: DigestReport,
    /// Key slots.
    pub key_slots: Vec<KeyslotReport>,
    /// Number of tokens (kept untouched).
    pub tokens: usize,
}

/// The volume-key digest in a [`Luks2Report`].
#[derive(Debug, Serialize)]
pub struct DigestReport {
    /// PBKDF2 hash.
    pub hash: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
}

/// One key slot in a [`Luks2Report`].
#[derive(Debug, Serialize)]
pub struct KeyslotReport {
    /// Slot id.
    pub slot: u32,
    /// Whether it holds the data segment's key.
    pub active: bool,
    /// `pbkdf2`, `argon2i` or `argon2id`.
    pub kdf: String,
    /// PBKDF2 hash.
    pub hash: Option<String>,
    /// PBKDF2 iterations.
    pub iterations: Option<u32>,
    /// Argon2 time cost.
    pub time: Option<u32>,
    /// Argon2 memory, KiB.
    pub memory_kib: Option<u32>,
    /// Argon2 lanes.
    pub cpus: Option<u32>,
    /// Key size in bits.
    pub key_size_bits: usize,
    /// AF hash.
    pub af_hash: String,
    /// AF stripes.
    pub stripes: u32,
    /// Area offset, bytes.
    pub area_offset_bytes: u64,
    /// Area size, bytes.
    pub area_size_bytes: u64,
    /// Why unlocking skips this slot (a KDF cost beyond the limits), if it does.
    pub refused: Option<String>,
    /// `priority` as `cryptsetup luksDump` words it: `preferred` (tried first), `normal`, or
    /// `ignored` (opens only when named with `--key-slot`).
    pub priority: &'static str,
}

fn text48(b: &[u8; 48]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(b.get(..end).unwrap_or(&[])).into_owned()
}

fn slot_report(header: &Luks2Header, k: &Keyslot) -> KeyslotReport {
    let active = header.metadata.active_keyslots().any(|a| a.id == k.id);
    let (hash, iterations, time, memory_kib, cpus) = match &k.kdf {
        Kdf::Pbkdf2 { hash, iterations, .. } => (Some(hash.to_string()), Some(*iterations), None, None, None),
        Kdf::Argon2 {
            time, memory_kib, cpus, ..
        } => (None, None, Some(*time), Some(*memory_kib), Some(*cpus)),
    };
    KeyslotReport {
        slot: k.id,
        active,
        kdf: k.kdf.name().to_owned(),
        hash,
        iterations,
        time,
        memory_kib,
        cpus,
        key_size_bits: k.key_size.saturating_mul(8),
        af_hash: k.af_hash.to_string(),
        stripes: k.stripes,
        area_offset_bytes: k.area_offset,
        area_size_bytes: k.area_size,
        refused: cryptdisk_core::luks2::unlock::check_kdf_cost(k, &super::limits())
            .err()
            .map(|e| e.to_string()),
        priority: k.priority.name(),
    }
}

impl Luks2Report {
    /// Builds the report for a volume file of `device_bytes` bytes.
    pub fn new(path: &std::path::Path, header: &Luks2Header, device_bytes: u64) -> Self {
        let md = &header.metadata;
        let seg = &md.segment;
        let mut data = device_bytes.saturating_sub(seg.offset);
        if let Some(size) = seg.size {
            data = data.min(size);
        }
        data = data.saturating_sub(data.checked_rem(u64::from(seg.sector_size)).unwrap_or(0));
        Self {
            path: path.display().to_string(),
            version: 2,
            seqid: header.binary.seqid,
            header_copy: header.binary.copy.to_string(),
            damaged_copy: header.damaged.as_ref().map(ToString::to_string),
            metadata_size_bytes: header.binary.hdr_size,
            keyslots_size_bytes: md.keyslots_size,
            label: text48(&header.binary.label),
            subsystem: text48(&header.binary.subsystem),
            cipher: cryptdisk_core::luks2::metadata::CIPHER.to_owned(),
            key_size_bits: md.key_size().unwrap_or(0).saturating_mul(8),
            sector_size: seg.sector_size,
            data_offset_bytes: seg.offset,
            segment_size: seg.size.map_or_else(|| "dynamic".to_owned(), |s| s.to_string()),
            iv_tweak: seg.iv_tweak,
            data_size_bytes: data,
            identity: VolumeIdentity::new(
                &header.uuid(),
                match crate::length_token::read(header, data, u64::from(seg.sector_size)) {
                    crate::length_record::LengthRecord::Valid(len) => Some(len),
                    _ => None,
                },
            ),
            digest: DigestReport {
                hash: md.digest.hash.to_string(),
                iterations: md.digest.iterations,
            },
            key_slots: md.keyslots.iter().map(|k| slot_report(header, k)).collect(),
            tokens: md.tokens,
        }
    }

    /// The text form.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "LUKS header of {}", self.path);
        let _ = writeln!(s, "Version:           {}", self.version);
        let _ = writeln!(s, "Seqid:             {} ({} copy)", self.seqid, self.header_copy);
        if let Some(d) = &self.damaged_copy {
            let _ = writeln!(s, "Damaged copy:      {d}");
        }
        let _ = writeln!(s, "Metadata area:     {} bytes", self.metadata_size_bytes);
        let _ = writeln!(s, "Keyslots area:     {} bytes", self.keyslots_size_bytes);
        let _ = writeln!(s, "Label:             {}", self.label);
        let _ = writeln!(s, "Cipher:            {}", self.cipher);
        let _ = writeln!(s, "Key size:          {} bits", self.key_size_bits);
        let _ = writeln!(s, "Sector size:       {} bytes", self.sector_size);
        let _ = writeln!(s, "Data offset:       {} bytes", self.data_offset_bytes);
        let _ = writeln!(s, "Segment size:      {}", self.segment_size);
        let _ = writeln!(s, "IV tweak:          {}", self.iv_tweak);
        let _ = writeln!(
            s,
            "Data size:         {} ({} bytes)",
            human_bytes(self.data_size_bytes),
            self.data_size_bytes
        );
        self.identity.write_text(&mut s);
        let _ = writeln!(
            s,
            "Digest:            pbkdf2-{}, {} iterations",
            self.digest.hash, self.digest.iterations
        );
        let _ = writeln!(s, "Tokens:            {}", self.tokens);
        let _ = writeln!(s, "Key slots:");
        for k in &self.key_slots {
            let cost = match (k.iterations, k.time, k.memory_kib, k.cpus) {
                (Some(i), ..) => format!("{}-{} iterations {i}", k.kdf, k.hash.as_deref().unwrap_or("?")),
                (None, Some(t), Some(m), Some(c)) => format!("{} time {t} memory {m} KiB threads {c}", k.kdf),
                _ => k.kdf.clone(),
            };
            let state = if k.active { "active" } else { "unbound" };
            let _ = writeln!(
                s,
                "  {}: {state}  priority {}  {cost}  key {} bits  AF {} x {}  area at byte {} ({} bytes)",
                k.slot, k.priority, k.key_size_bits, k.af_hash, k.stripes, k.area_offset_bytes, k.area_size_bytes
            );
            if let Some(why) = &k.refused {
                let _ = writeln!(s, "     warning: unlocking skips this slot: {why}");
            }
        }
        s
    }
}

/// `cryptdisk info VOLUME [--json]` for a LUKS2 volume.
///
/// # Errors
///
/// I/O and header errors.
pub fn run(args: &InfoArgs) -> Result<(), CliError> {
    let (dev, header) = super::open_with_header(&args.volume, false)?;
    let bytes = dev.sector_count().saturating_mul(512);
    let report = Luks2Report::new(&args.volume, &header, bytes);
    info_common::print(&report, args.json, Luks2Report::to_text)
}
