//! `cryptdisk info`: the header of a volume, its identity and its key slots, as text or JSON.
//! Needs no passphrase and writes nothing.

use super::info_common::{self, VolumeIdentity};
use crate::args::InfoArgs;
use crate::error::CliError;
use crate::length_record::{self, LengthRecord};
use crate::output::human_bytes;
use crate::size::SECTOR_BYTES;
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks::LuksHeader;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// The LUKS version cryptdisk reads (the core refuses every other).
const LUKS_VERSION: u16 = 1;

/// Everything `info` shows; serialized as is for `--json`.
#[derive(Debug, Serialize)]
pub struct InfoReport {
    /// The volume file.
    pub path: String,
    /// LUKS version (always 1).
    pub version: u16,
    /// Cipher specification, e.g. `aes-xts-plain64`.
    pub cipher: String,
    /// Master key size in bits (256 or 512).
    pub key_size_bits: usize,
    /// PBKDF2 / AF hash.
    pub hash: String,
    /// First sector of the data area.
    pub payload_offset_sectors: u32,
    /// First byte of the data area.
    pub payload_offset_bytes: u64,
    /// Size of the data area in bytes.
    pub data_size_bytes: u64,
    /// Size of the data area in 512-byte sectors.
    pub data_sectors: u64,
    /// Original length, UUID, GUIDs and unique ID.
    #[serde(flatten)]
    pub identity: VolumeIdentity,
    /// PBKDF2 iterations of the master-key digest.
    pub mk_digest_iterations: u32,
    /// The eight key slots.
    pub key_slots: Vec<SlotReport>,
}

/// One key slot in an [`InfoReport`].
#[derive(Debug, Serialize)]
pub struct SlotReport {
    /// Slot index, 0 to 7.
    pub slot: usize,
    /// Whether the slot holds a passphrase.
    pub active: bool,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// Anti-forensic stripes.
    pub stripes: u32,
    /// First sector of the slot's key material.
    pub key_material_offset_sectors: u32,
    /// First byte of the slot's key material.
    pub key_material_offset_bytes: u64,
}

impl InfoReport {
    /// Builds the report for a volume of `device_sectors` sectors.
    pub fn new(path: &Path, header: &LuksHeader, device_sectors: u64, record: LengthRecord) -> Self {
        let payload = u64::from(header.payload_offset());
        let data_sectors = device_sectors.saturating_sub(payload);
        Self {
            path: path.display().to_string(),
            version: LUKS_VERSION,
            cipher: header.cipher().to_string(),
            key_size_bits: header.cipher().key_bytes().saturating_mul(8),
            hash: header.hash().to_string(),
            payload_offset_sectors: header.payload_offset(),
            payload_offset_bytes: payload.saturating_mul(SECTOR_BYTES),
            data_size_bytes: data_sectors.saturating_mul(SECTOR_BYTES),
            data_sectors,
            identity: VolumeIdentity::new(
                &header.uuid(),
                match record {
                    LengthRecord::Valid(len) => Some(len),
                    LengthRecord::Absent | LengthRecord::Mismatch(_) => None,
                },
            ),
            mk_digest_iterations: header.mk_digest_iterations(),
            key_slots: header
                .slots()
                .iter()
                .enumerate()
                .map(|(slot, s)| SlotReport {
                    slot,
                    active: s.active,
                    iterations: s.iterations,
                    stripes: s.stripes,
                    key_material_offset_sectors: s.key_material_offset,
                    key_material_offset_bytes: u64::from(s.key_material_offset).saturating_mul(SECTOR_BYTES),
                })
                .collect(),
        }
    }

    /// The text form.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "LUKS header of {}", self.path);
        let _ = writeln!(s, "Version:           {}", self.version);
        let _ = writeln!(s, "Cipher:            {}", self.cipher);
        let _ = writeln!(s, "Key size:          {} bits", self.key_size_bits);
        let _ = writeln!(s, "Hash:              {}", self.hash);
        let _ = writeln!(
            s,
            "Payload offset:    {} sectors ({} bytes)",
            self.payload_offset_sectors, self.payload_offset_bytes
        );
        let _ = writeln!(
            s,
            "Data size:         {} ({} bytes, {} sectors)",
            human_bytes(self.data_size_bytes),
            self.data_size_bytes,
            self.data_sectors
        );
        self.identity.write_text(&mut s);
        let _ = writeln!(s, "MK iterations:     {}", self.mk_digest_iterations);
        let _ = writeln!(s, "Key slots:");
        for k in &self.key_slots {
            let state = if k.active { "active" } else { "inactive" };
            let _ = writeln!(
                s,
                "  {}: {state:<8}  iterations {:<9}  stripes {}  key material at sector {} (byte {})",
                k.slot, k.iterations, k.stripes, k.key_material_offset_sectors, k.key_material_offset_bytes
            );
            if k.active && !KdfLimits::DEFAULT.pbkdf2_allows(k.iterations) {
                let _ = writeln!(
                    s,
                    "     warning: unlocking skips this slot: more than {} PBKDF2 iterations",
                    KdfLimits::DEFAULT.max_pbkdf2_iterations
                );
            }
        }
        if !KdfLimits::DEFAULT.pbkdf2_allows(self.mk_digest_iterations) {
            let _ = writeln!(
                s,
                "warning: the master-key digest asks for more than {} PBKDF2 iterations: the volume is refused",
                KdfLimits::DEFAULT.max_pbkdf2_iterations
            );
        }
        s
    }
}

/// `cryptdisk info VOLUME [--json]`.
///
/// # Errors
///
/// I/O and header errors.
pub fn run(args: &InfoArgs) -> Result<(), CliError> {
    let (mut dev, header) = volume_file::open_with_header(&args.volume, false)?;
    let device_sectors = dev.sector_count();
    let data_sectors = device_sectors.saturating_sub(u64::from(header.payload_offset()));
    let record =
        length_record::read(&mut dev, &header, data_sectors).map_err(|e| CliError::luks(&args.volume, e.into()))?;
    let report = InfoReport::new(&args.volume, &header, device_sectors, record);
    info_common::print(&report, args.json, InfoReport::to_text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::hex;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::luks::{self, FormatOptions, HashSpec};
    use cryptdisk_core::rng::OsRandom;
    use cryptdisk_core::spec::CipherSpec;
    use cryptdisk_core::uuid::Uuid;
    use cryptdisk_core::xts::XtsKeySize;
    use mountdev::{Guid, VolumeGuidName};

    #[test]
    fn the_stable_guid_reads_as_the_uuid_text() {
        for text in [
            "8f14e45f-ceea-467f-a8b5-3d9b3c3e1c2a",
            "00000000-0000-0000-0000-000000000001",
            "ffffffff-0102-0304-0506-0708090a0b0c",
        ] {
            let uuid = Uuid::parse(text.as_bytes()).unwrap();
            let ours = Guid::from_uuid_bytes(*uuid.as_bytes());
            assert_eq!(uuid.stable_guid(), ours);
            assert_eq!(ours.to_string(), text);
            assert_eq!(VolumeGuidName::new(ours).to_string(), format!("\\??\\Volume{{{text}}}"));
        }
    }

    #[test]
    fn report_of_a_fresh_volume() {
        let mut dev = MemDevice::new(4096 + 10);
        let spec = CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits256,
        };
        let header = luks::format(
            &mut dev,
            &FormatOptions::new(spec, HashSpec::Sha512, 1, 1),
            b"pw",
            &mut OsRandom,
        )
        .unwrap()
        .header;
        let report = InfoReport::new(Path::new("x.img"), &header, 4096 + 10, LengthRecord::Valid(5000));
        assert_eq!(report.key_size_bits, 256);
        assert_eq!(report.hash, "sha512");
        assert_eq!((report.data_sectors, report.data_size_bytes), (10, 5120));
        assert_eq!(report.identity.original_length_bytes, Some(5000));
        assert_eq!(report.identity.unique_id.len(), 64);
        assert!(report.identity.unique_id.starts_with(&hex(b"cryptdisk-luks1:")));
        assert_eq!(report.key_slots.iter().filter(|s| s.active).count(), 1);
        let text = report.to_text();
        assert!(text.contains("Original length:   5000 bytes"), "{text}");
        assert!(text.contains("  0: active "), "{text}");
        assert_eq!(text.lines().count(), 14 + 8, "{text}");
        let mismatch = InfoReport::new(Path::new("x.img"), &header, 4096 + 10, LengthRecord::Mismatch(1));
        assert_eq!(mismatch.identity.original_length_bytes, None);
    }
}
