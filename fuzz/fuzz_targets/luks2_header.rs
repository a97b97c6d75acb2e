//! The LUKS2 JSON parser, metadata validation and header reader on arbitrary input: no panic;
//! JSON that parses serializes to text that parses to the same value; a device whose header
//! validates opens with a master key and reads a unit without panicking.
//!
//! Input: byte 0 chooses the metadata size (bits 0-2), whether the secondary copy gets a
//! higher seqid (bit 3), and which copy gets a corrupted byte (bits 4-5, at the offset in bytes
//! 1-2); the rest is the JSON text, written with valid checksums into both copies so that the
//! fuzzer reaches the metadata rules (seeds: fuzz/seeds/luks2_header, one cryptsetup header).
#![no_main]

use cryptdisk_core::blockdev::MemDevice;
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::luks2::binary::{BinaryHeader, Copy, METADATA_SIZES, build_copy};
use cryptdisk_core::luks2::json::Value;
use cryptdisk_core::luks2::read_header;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::volume::Volume;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else { return };
    let Some((at, json)) = rest.split_at_checked(2) else { return };
    if let Ok(value) = Value::parse(json) {
        let text = value.to_text();
        assert_eq!(Value::parse(text.as_bytes()).ok(), Some(value));
    }
    let hdr_size = METADATA_SIZES[usize::from(knobs & 7) % 3];
    let mut binary = BinaryHeader {
        copy: Copy::Primary,
        hdr_size,
        seqid: 1,
        label: [0; 48],
        subsystem: [0; 48],
        salt: [0; 64],
        uuid: Uuid::from_bytes([7; 16]),
    };
    let Ok(primary) = build_copy(&binary, Copy::Primary, json) else { return };
    if knobs & 8 != 0 {
        binary.seqid = 2;
    }
    let Ok(secondary) = build_copy(&binary, Copy::Secondary, json) else { return };
    let size = usize::try_from(hdr_size).unwrap_or(0);
    let mut bytes = vec![0u8; 2 * size + (1 << 20)];
    bytes[..size].copy_from_slice(&primary);
    bytes[size..2 * size].copy_from_slice(&secondary);
    let offset = usize::from(u16::from_le_bytes([at[0], at[1]]));
    match (knobs >> 4) & 3 {
        1 => bytes[offset % size] ^= 0x40,
        2 => bytes[size + offset % size] ^= 0x40,
        _ => {}
    }
    let mut device = MemDevice::from_vec(bytes);
    if let Ok(header) = read_header(&mut device) {
        let len = header.metadata.key_size().unwrap_or(64);
        let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
        if let Ok(key) = MasterKey::from_slice(&key) {
            if let Ok(mut volume) = Volume::from_luks2(device, &header, &key) {
                let mut unit = vec![0u8; volume.unit_size()];
                let _ = volume.read_sectors(0, &mut unit);
            }
        }
    }
});
