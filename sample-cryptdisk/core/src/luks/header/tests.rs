//! Header parser tests: round trips, every rejection path, and "arbitrary bytes never panic".

use super::*;
use crate::xts::XtsKeySize;
use proptest::prelude::*;

fn valid_header(key: XtsKeySize) -> LuksHeader {
    let cipher = CipherSpec::AesXtsPlain64 { key_size: key };
    let (offsets, payload) = new_volume_layout(key.bytes(), DEFAULT_PAYLOAD_ALIGN_SECTORS).unwrap();
    let mut h = LuksHeader::new_volume(
        cipher,
        HashSpec::Sha256,
        Uuid::parse(b"6f0a8c2e-1b3d-4f5a-8c7e-9d0b1a2c3e4f").unwrap(),
        [0x11; DIGEST_LEN],
        [0x22; SALT_LEN],
        1000,
        offsets,
        payload,
    )
    .unwrap();
    h.set_slot(0, true, 2000, [0x33; SALT_LEN]);
    h
}

fn bytes_of(h: &LuksHeader) -> Vec<u8> {
    h.to_bytes().to_vec()
}

fn put_be32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

fn slot_field(slot: usize, field: usize) -> usize {
    208 + 48 * slot + field
}

#[test]
fn layout_matches_cryptsetup() {
    // cryptsetup 2.x LUKS1 with 1 MiB alignment: payload at 4096 sectors for both key sizes;
    // qemu packs the slots the same way (payload 4040 for 512-bit keys, toolchain.md §7.4).
    let (slots, payload) = new_volume_layout(64, DEFAULT_PAYLOAD_ALIGN_SECTORS).unwrap();
    assert_eq!(slots, [8, 512, 1016, 1520, 2024, 2528, 3032, 3536]);
    assert_eq!(payload, 4096);
    assert_eq!(new_volume_layout(64, 8).unwrap().1, 4040);
    let (slots, payload) = new_volume_layout(32, DEFAULT_PAYLOAD_ALIGN_SECTORS).unwrap();
    assert_eq!(slots[1], 264);
    assert_eq!(payload, 4096);
}

#[test]
fn round_trip_both_key_sizes() {
    for key in [XtsKeySize::Bits256, XtsKeySize::Bits512] {
        let h = valid_header(key);
        let bytes = bytes_of(&h);
        assert_eq!(&bytes[..6], b"LUKS\xba\xbe");
        assert_eq!(&bytes[8..12], b"aes\0");
        assert_eq!(&bytes[40..52], b"xts-plain64\0");
        assert_eq!(&bytes[72..79], b"sha256\0");
        let parsed = LuksHeader::parse(&bytes).unwrap();
        assert_eq!(parsed, h);
        assert_eq!(bytes_of(&parsed), bytes);
        assert_eq!(parsed.active_slots().collect::<Vec<_>>(), vec![0]);
        assert_eq!(parsed.uuid().to_string(), "6f0a8c2e-1b3d-4f5a-8c7e-9d0b1a2c3e4f");
        assert!(parsed.check_device(4097).is_ok());
        assert!(parsed.check_device(4096).is_ok());
    }
}

#[test]
fn unmodelled_bytes_survive_a_rewrite() {
    let mut bytes = bytes_of(&valid_header(XtsKeySize::Bits512));
    bytes[8 + 20] = 0x7f; // garbage after the NUL of cipher-name
    bytes[168 + 39] = 0; // still NUL-padded UUID
    let parsed = LuksHeader::parse(&bytes).unwrap();
    assert_eq!(bytes_of(&parsed), bytes);
}

fn expect_err(mutate: impl FnOnce(&mut Vec<u8>), want: HeaderError) {
    let mut bytes = bytes_of(&valid_header(XtsKeySize::Bits512));
    mutate(&mut bytes);
    assert_eq!(LuksHeader::parse(&bytes).err(), Some(want));
}

#[test]
fn corrupted_headers_are_rejected_with_typed_errors() {
    expect_err(|b| b.truncate(591), HeaderError::TooShort { len: 591 });
    expect_err(|b| b[0] = b'l', HeaderError::BadMagic);
    expect_err(|b| b[5] = 0xbf, HeaderError::BadMagic);
    expect_err(|b| b[7] = 2, HeaderError::UnsupportedVersion { version: 2 });
    expect_err(|b| b[6] = 1, HeaderError::UnsupportedVersion { version: 257 });
    expect_err(
        |b| b[8..16].copy_from_slice(b"twofish\0"),
        HeaderError::Cipher(SpecError::UnsupportedCipher),
    );
    expect_err(
        |b| b[8..12].copy_from_slice(b"AES\0"),
        HeaderError::Cipher(SpecError::UnsupportedCipher),
    );
    expect_err(
        |b| b[8..40].fill(b'a'),
        HeaderError::Cipher(SpecError::UnsupportedCipher),
    );
    expect_err(
        |b| b[40..57].copy_from_slice(b"cbc-essiv:sha256\0"),
        HeaderError::Cipher(SpecError::UnsupportedMode),
    );
    expect_err(
        |b| b[40..52].copy_from_slice(b"xts-plain\0\0\0"),
        HeaderError::Cipher(SpecError::UnsupportedMode),
    );
    for bad in [0u32, 16, 48, 128, u32::MAX] {
        expect_err(
            |b| put_be32(b, 108, bad),
            HeaderError::Cipher(SpecError::KeySize { bytes: bad }),
        );
    }
    expect_err(
        |b| b[72..82].copy_from_slice(b"ripemd160\0"),
        HeaderError::UnsupportedHash,
    );
    expect_err(|b| b[72..79].copy_from_slice(b"sha384\0"), HeaderError::UnsupportedHash);
    expect_err(|b| put_be32(b, 164, 0), HeaderError::ZeroIterations { slot: None });
    expect_err(|b| b[168] = b'x', HeaderError::Uuid(UuidError::InvalidUuid));
    expect_err(|b| b[168..208].fill(0), HeaderError::Uuid(UuidError::InvalidUuid));
    expect_err(
        |b| put_be32(b, slot_field(3, 0), 0x1234_5678),
        HeaderError::BadSlotState {
            slot: 3,
            value: 0x1234_5678,
        },
    );
    expect_err(
        |b| put_be32(b, slot_field(0, 4), 0),
        HeaderError::ZeroIterations { slot: Some(0) },
    );
    expect_err(
        |b| put_be32(b, slot_field(5, 44), 3999),
        HeaderError::BadStripes { slot: 5, stripes: 3999 },
    );
    expect_err(
        |b| put_be32(b, slot_field(2, 44), u32::MAX),
        HeaderError::BadStripes {
            slot: 2,
            stripes: u32::MAX,
        },
    );
    expect_err(
        |b| put_be32(b, slot_field(1, 40), 1),
        HeaderError::SlotOverlapsHeader { slot: 1 },
    );
    expect_err(
        |b| put_be32(b, slot_field(4, 40), 0),
        HeaderError::SlotOverlapsHeader { slot: 4 },
    );
    // Slot 1 moved into slot 0's area.
    expect_err(
        |b| put_be32(b, slot_field(1, 40), 8 + 100),
        HeaderError::SlotsOverlap { first: 0, second: 1 },
    );
    // Slot 7 and slot 2 share an area.
    expect_err(
        |b| put_be32(b, slot_field(7, 40), 1016),
        HeaderError::SlotsOverlap { first: 2, second: 7 },
    );
    // Out of range: into the payload, and at the very end of u32 (no overflow).
    expect_err(
        |b| put_be32(b, slot_field(7, 40), 4000),
        HeaderError::SlotBeyondPayload { slot: 7 },
    );
    expect_err(
        |b| put_be32(b, slot_field(6, 40), u32::MAX),
        HeaderError::SlotBeyondPayload { slot: 6 },
    );
    // Payload offset: zero (detached header) and too small for the slots.
    expect_err(|b| put_be32(b, 104, 0), HeaderError::DetachedHeader);
    expect_err(|b| put_be32(b, 104, 4000), HeaderError::SlotBeyondPayload { slot: 7 });
}

#[test]
fn payload_offset_beyond_the_device() {
    let mut bytes = bytes_of(&valid_header(XtsKeySize::Bits512));
    put_be32(&mut bytes, 104, u32::MAX);
    let h = LuksHeader::parse(&bytes).unwrap(); // structurally fine...
    assert_eq!(
        h.check_device(8192),
        Err(HeaderError::PayloadBeyondDevice {
            payload_offset: u32::MAX,
            device_sectors: 8192
        })
    );
    let h = valid_header(XtsKeySize::Bits256);
    assert_eq!(
        h.check_device(4095),
        Err(HeaderError::PayloadBeyondDevice {
            payload_offset: 4096,
            device_sectors: 4095
        })
    );
}

#[test]
fn read_header_checks_the_device() {
    use crate::blockdev::{BlockDevice, MemDevice};
    use crate::luks::{LuksError, read_header, write_header};
    let h = valid_header(XtsKeySize::Bits512);
    let mut dev = MemDevice::new(5000);
    write_header(&mut dev, &h).unwrap();
    assert_eq!(read_header(&mut dev).unwrap(), h);
    // The same header on a device that ends before the payload.
    let mut small = MemDevice::from_vec(dev.as_bytes()[..4000 * 512].to_vec());
    assert_eq!(
        read_header(&mut small).err(),
        Some(LuksError::Header(HeaderError::PayloadBeyondDevice {
            payload_offset: 4096,
            device_sectors: 4000
        }))
    );
    let mut tiny = MemDevice::new(1);
    assert_eq!(
        read_header(&mut tiny).err(),
        Some(LuksError::Header(HeaderError::TooShort { len: 512 }))
    );
    // Bytes after the header in sector 1 are preserved by write_header.
    dev.as_bytes_mut()[1000] = 0x5a;
    write_header(&mut dev, &h).unwrap();
    assert_eq!(dev.as_bytes()[1000], 0x5a);
    assert_eq!(dev.sector_count(), 5000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary bytes never panic the parser (and anything it accepts round-trips).
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..700)) {
        if let Ok(h) = LuksHeader::parse(&bytes) {
            prop_assert_eq!(LuksHeader::parse(&h.to_bytes()).unwrap(), h);
        }
    }

    /// A valid header with random bytes overwritten never panics the parser, and any header
    /// it accepts satisfies the layout invariants.
    #[test]
    fn mutated_headers_never_panic(
        edits in prop::collection::vec((0usize..HEADER_LEN, any::<u8>()), 1..12),
        big in any::<bool>(),
        device_sectors in any::<u64>(),
    ) {
        let mut bytes = bytes_of(&valid_header(if big { XtsKeySize::Bits512 } else { XtsKeySize::Bits256 }));
        for (at, v) in edits {
            bytes[at] = v;
        }
        if let Ok(h) = LuksHeader::parse(&bytes) {
            let payload = u64::from(h.payload_offset());
            for s in h.slots() {
                prop_assert_eq!(s.stripes, STRIPES);
                prop_assert!(u64::from(s.key_material_offset) >= HEADER_SECTORS);
                prop_assert!(u64::from(s.key_material_offset) + h.slot_area_sectors() <= payload);
            }
            if h.check_device(device_sectors).is_ok() {
                prop_assert!(payload <= device_sectors);
            }
            prop_assert_eq!(LuksHeader::parse(&h.to_bytes()).unwrap(), h);
        }
    }

    /// Reading a header from a device with arbitrary contents and size never panics, and an
    /// accepted header's payload lies inside that device.
    #[test]
    fn read_header_on_arbitrary_devices_never_panics(
        edits in prop::collection::vec((0usize..HEADER_LEN, any::<u8>()), 0..8),
        sectors in 0usize..5000,
    ) {
        use crate::blockdev::MemDevice;
        let mut dev = MemDevice::new(sectors);
        let bytes = bytes_of(&valid_header(XtsKeySize::Bits512));
        let n = bytes.len().min(dev.as_bytes().len());
        dev.as_bytes_mut()[..n].copy_from_slice(&bytes[..n]);
        for (at, v) in edits {
            if let Some(b) = dev.as_bytes_mut().get_mut(at) {
                *b = v;
            }
        }
        if let Ok(h) = crate::luks::read_header(&mut dev) {
            prop_assert!(u64::from(h.payload_offset()) <= sectors as u64);
        }
    }
}
