//! LUKS2 tests on memory devices: format / unlock round trips, both metadata copies (checksum,
//! seqid, fallback, every binary field corrupted), wrong passphrases writing nothing, KDF cost
//! limits, and crashes (including torn writes) at every write of a key change.

use super::*;
use crate::blockdev::{BackendError, BlockDevError, BlockDevice, IoOp, MemDevice};
use crate::kdf_limits::KdfLimits;
use crate::luks2::binary::{Copy, build_copy};
use crate::luks2::json::Value;
use crate::luks2::metadata::Argon2Variant;
use crate::testutil::seeded_rng;
use crate::xts::XtsKeySize;

const OFFSET: u64 = 1 << 20;
const SECTORS: usize = (OFFSET as usize + 64 * 1024) / 512;
const PBKDF2: KdfChoice = KdfChoice::Pbkdf2 {
    hash: crate::luks::HashSpec::Sha256,
    iterations: 5,
};
const ARGON: KdfChoice = KdfChoice::Argon2 {
    variant: Argon2Variant::Argon2id,
    time: 1,
    memory_kib: 64,
    cpus: 2,
};

fn opts(kdf: KdfChoice) -> Luks2Options {
    Luks2Options {
        data_offset: OFFSET,
        ..Luks2Options::new(kdf, 5)
    }
}

fn fresh(pass: &[u8]) -> (MemDevice, crate::key::MasterKey) {
    let mut dev = MemDevice::new(SECTORS);
    let u = format(&mut dev, &opts(PBKDF2), pass, &mut seeded_rng(1)).unwrap();
    (dev, u.volume_key)
}

fn limits() -> KdfLimits {
    KdfLimits::DEFAULT
}

#[test]
fn format_then_unlock_every_kdf_and_key_size() {
    for kdf in [
        PBKDF2,
        ARGON,
        KdfChoice::Argon2 {
            variant: Argon2Variant::Argon2i,
            time: 2,
            memory_kib: 32,
            cpus: 1,
        },
    ] {
        for key_size in [XtsKeySize::Bits256, XtsKeySize::Bits512] {
            let mut dev = MemDevice::new(SECTORS);
            let o = Luks2Options { key_size, ..opts(kdf) };
            let made = format(&mut dev, &o, b"pw", &mut seeded_rng(2)).unwrap();
            let opened = unlock(&mut dev, b"pw", None, &limits()).unwrap();
            assert!(opened.volume_key == made.volume_key);
            assert_eq!(opened.volume_key.len(), key_size.bytes());
            assert_eq!(opened.slot, 0);
            let h = &opened.header;
            assert_eq!(h.binary.seqid, 1);
            assert_eq!(h.metadata.segment.sector_size, 4096);
            assert_eq!(h.metadata.segment.offset, OFFSET);
            assert_eq!(h.metadata.segment.size, None);
            assert_eq!(
                h.metadata.keyslots[0].kdf.name(),
                match kdf {
                    KdfChoice::Pbkdf2 { .. } => "pbkdf2",
                    KdfChoice::Argon2 {
                        variant: Argon2Variant::Argon2i,
                        ..
                    } => "argon2i",
                    KdfChoice::Argon2 { .. } => "argon2id",
                }
            );
            assert!(h.damaged.is_none());
        }
    }
}

#[test]
fn wrong_passphrase_writes_nothing() {
    let (mut dev, _) = fresh(b"pw");
    let before = dev.clone();
    let writes = dev.write_count();
    assert_eq!(
        unlock(&mut dev, b"nope", None, &limits()).err(),
        Some(Luks2Error::WrongPassphrase)
    );
    assert_eq!(
        add_key_with_passphrase(&mut dev, b"nope", b"x", &PBKDF2, &mut seeded_rng(3), &limits()).err(),
        Some(Luks2Error::WrongPassphrase)
    );
    assert_eq!(
        change_key(&mut dev, b"nope", b"x", &PBKDF2, &mut seeded_rng(3), &limits()).err(),
        Some(Luks2Error::WrongPassphrase)
    );
    assert_eq!(
        remove_key(&mut dev, b"nope", &mut seeded_rng(3), &limits()).err(),
        Some(Luks2Error::WrongPassphrase)
    );
    assert_eq!(dev.write_count(), writes);
    assert_eq!(dev.as_bytes(), before.as_bytes());
}

fn reseal(dev: &mut MemDevice, copy: Copy, edit: impl FnOnce(&mut Vec<u8>)) {
    let off = if copy == Copy::Primary { 0 } else { 0x4000 };
    let mut area = dev.as_bytes()[off..off + 0x4000].to_vec();
    edit(&mut area);
    let sum = binary::checksum(&area);
    area[448..480].copy_from_slice(&sum);
    dev.as_bytes_mut()[off..off + 0x4000].copy_from_slice(&area);
}

#[test]
fn each_corrupted_binary_field_falls_back_to_the_other_copy() {
    let (dev, key) = fresh(b"pw");
    // (offset, reseal the checksum afterwards)
    let fields: [(usize, bool); 12] = [
        (0, false),    // magic
        (7, false),    // version
        (15, false),   // hdr_size
        (20, false),   // seqid (checksum catches it)
        (30, false),   // label
        (80, false),   // checksum_alg
        (110, false),  // salt
        (170, true),   // uuid (not a UUID; checksum resealed)
        (263, true),   // hdr_offset
        (450, false),  // csum
        (500, false),  // csum tail must be zero
        (5000, false), // JSON area
    ];
    for copy in [Copy::Primary, Copy::Secondary] {
        for (at, resealed) in fields {
            let mut bad = dev.clone();
            let base = if copy == Copy::Primary { 0 } else { 0x4000 };
            if resealed {
                reseal(&mut bad, copy, |a| a[at] ^= 0x5a);
            } else {
                bad.as_bytes_mut()[base + at] ^= 0x5a;
            }
            let before = bad.as_bytes().to_vec();
            let h = read_header(&mut bad).unwrap_or_else(|e| panic!("{copy} byte {at}: {e}"));
            let expected_copy = if copy == Copy::Primary {
                Copy::Secondary
            } else {
                Copy::Primary
            };
            assert_eq!(h.binary.copy, expected_copy, "{copy} byte {at}");
            assert!(h.damaged.is_some(), "{copy} byte {at}");
            let u = unlock(&mut bad, b"pw", None, &limits()).unwrap();
            assert!(u.volume_key == key);
            assert_eq!(bad.as_bytes(), &before[..], "reading wrote");
        }
    }
}

#[test]
fn both_copies_bad_is_refused_naming_both() {
    let (mut dev, _) = fresh(b"pw");
    dev.as_bytes_mut()[450] ^= 1;
    dev.as_bytes_mut()[0x4000 + 450] ^= 1;
    match read_header(&mut dev) {
        Err(Luks2Error::NoValidHeader { primary, secondary }) => {
            assert_eq!(
                *primary,
                Luks2Error::BadCopy {
                    copy: Copy::Primary,
                    reason: "checksum mismatch"
                }
            );
            assert_eq!(
                *secondary,
                Luks2Error::BadCopy {
                    copy: Copy::Secondary,
                    reason: "checksum mismatch"
                }
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        read_header(&mut MemDevice::new(SECTORS)).err(),
        Some(Luks2Error::NotLuks2)
    );
}

/// Rewrites the JSON of both copies (checksums recomputed), keeping seqid.
fn rewrite_json(dev: &mut MemDevice, edit: impl Fn(&mut Value)) {
    let h = read_header(dev).unwrap();
    let mut json = h.metadata.json.clone();
    edit(&mut json);
    let text = json.to_text();
    for (copy, off) in [(Copy::Primary, 0usize), (Copy::Secondary, 0x4000)] {
        let area = build_copy(&h.binary, copy, text.as_bytes()).unwrap();
        dev.as_bytes_mut()[off..off + area.len()].copy_from_slice(&area);
    }
}

#[test]
fn higher_seqid_wins_and_ties_go_to_the_primary() {
    let (mut dev, _) = fresh(b"pw");
    let h = read_header(&mut dev).unwrap();
    let mut newer = h.binary.clone();
    newer.seqid += 5;
    let mut json = h.metadata.json.clone();
    json.get_mut("config")
        .unwrap()
        .insert("flags", Value::Array(vec![Value::string("allow-discards")]));
    let area = build_copy(&newer, Copy::Secondary, json.to_text().as_bytes()).unwrap();
    dev.as_bytes_mut()[0x4000..0x8000].copy_from_slice(&area);
    let got = read_header(&mut dev).unwrap();
    assert_eq!(
        (got.binary.copy, got.binary.seqid),
        (Copy::Secondary, h.binary.seqid + 5)
    );
    assert!(got.metadata.json.get("config").unwrap().get("flags").is_some());
}

#[test]
fn metadata_rules_and_unsupported_features_are_named() {
    let (dev, _) = fresh(b"pw");
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str); 12] = [
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("encryption", Value::string("serpent-xts-plain64"));
            },
            "serpent-xts-plain64",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("integrity", Value::object([]));
            },
            "integrity",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("type", Value::string("linear"));
            },
            "type linear",
        ),
        (
            |j| {
                j.get_mut("config").unwrap().insert(
                    "requirements",
                    Value::object([("mandatory", Value::Array(vec![Value::string("online-reencrypt-v2")]))]),
                );
            },
            "online-reencrypt-v2",
        ),
        (
            |j| {
                j.get_mut("keyslots")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("type", Value::string("reencrypt"));
            },
            "type reencrypt",
        ),
        (
            |j| {
                j.get_mut("config").unwrap().insert("json_size", Value::decimal(4096));
            },
            "hdr_size",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("offset", Value::decimal(4096));
            },
            "inside the metadata",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("sector_size", Value::number(8192));
            },
            "sector_size",
        ),
        (
            |j| {
                j.get_mut("keyslots")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .get_mut("area")
                    .unwrap()
                    .insert("offset", Value::decimal(4096));
            },
            "outside the key-slot area",
        ),
        (
            |j| {
                j.get_mut("keyslots")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .get_mut("kdf")
                    .unwrap()
                    .insert("type", Value::string("scrypt"));
            },
            "scrypt",
        ),
        (
            |j| {
                j.get_mut("digests")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("keyslots", Value::Array(vec![Value::string("7")]));
            },
            "does not exist",
        ),
        (
            |j| {
                j.remove("segments");
            },
            "segments: missing",
        ),
    ];
    for (edit, needle) in cases {
        let mut bad = dev.clone();
        rewrite_json(&mut bad, edit);
        let before = bad.as_bytes().to_vec();
        let err = read_header(&mut bad).expect_err(needle);
        let text = format!("{err}");
        assert!(text.contains(needle), "{text:?} lacks {needle:?}");
        assert!(unlock(&mut bad, b"pw", None, &limits()).is_err());
        assert_eq!(bad.as_bytes(), &before[..]);
    }
    // Overlapping areas: a second slot placed on top of the first.
    let mut two = dev.clone();
    add_key_with_passphrase(&mut two, b"pw", b"two", &PBKDF2, &mut seeded_rng(4), &limits()).unwrap();
    rewrite_json(&mut two, |j| {
        j.get_mut("keyslots")
            .unwrap()
            .get_mut("1")
            .unwrap()
            .get_mut("area")
            .unwrap()
            .insert("offset", Value::decimal(0x8000 + 4096));
    });
    assert!(format!("{}", read_header(&mut two).unwrap_err()).contains("overlap"));
    // Areas past the device end.
    let mut short = MemDevice::from_vec(dev.as_bytes()[..(OFFSET as usize)].to_vec());
    assert!(matches!(read_header(&mut short), Err(Luks2Error::BeyondDevice { .. })));
}

#[test]
fn huge_kdf_costs_are_refused_before_deriving() {
    let (dev, _) = fresh(b"pw");
    let mut it = dev.clone();
    rewrite_json(&mut it, |j| {
        j.get_mut("keyslots")
            .unwrap()
            .get_mut("0")
            .unwrap()
            .get_mut("kdf")
            .unwrap()
            .insert("iterations", Value::number(u64::from(u32::MAX)));
    });
    let e = unlock(&mut it, b"pw", None, &limits()).unwrap_err();
    assert!(
        format!("{e}").contains("keyslot 0") && format!("{e}").contains("4294967295"),
        "{e}"
    );
    let mut dig = dev.clone();
    rewrite_json(&mut dig, |j| {
        j.get_mut("digests")
            .unwrap()
            .get_mut("0")
            .unwrap()
            .insert("iterations", Value::number(u64::from(u32::MAX)));
    });
    assert!(matches!(
        unlock(&mut dig, b"pw", None, &limits()),
        Err(Luks2Error::KdfCostTooHigh { .. })
    ));
    let mut mem = MemDevice::new(SECTORS);
    format(&mut mem, &opts(ARGON), b"pw", &mut seeded_rng(5)).unwrap();
    rewrite_json(&mut mem, |j| {
        j.get_mut("keyslots")
            .unwrap()
            .get_mut("0")
            .unwrap()
            .get_mut("kdf")
            .unwrap()
            .insert("memory", Value::number(u64::from(u32::MAX)));
    });
    let e = unlock(&mut mem, b"pw", None, &limits()).unwrap_err();
    assert!(format!("{e}").contains("memory"), "{e}");
    let tight = KdfLimits {
        max_argon2_memory_kib: 32,
        ..limits()
    };
    let mut ok = MemDevice::new(SECTORS);
    format(&mut ok, &opts(ARGON), b"pw", &mut seeded_rng(5)).unwrap();
    let e = unlock(&mut ok, b"pw", None, &tight).unwrap_err();
    assert!(format!("{e}").contains("more memory than this machine can give"), "{e}");
}

#[test]
fn add_remove_change_and_the_last_key() {
    let (mut dev, key) = fresh(b"one");
    let s = add_key_with_passphrase(&mut dev, b"one", b"two", &ARGON, &mut seeded_rng(6), &limits()).unwrap();
    assert_eq!(s, 1);
    let u = unlock(&mut dev, b"two", None, &limits()).unwrap();
    assert!(u.volume_key == key);
    assert_eq!(u.header.binary.seqid, 2);
    assert_eq!(u.header.metadata.keyslots[1].area_offset, 0x8000 + 258048);
    let (old, new) = change_key(&mut dev, b"one", b"three", &PBKDF2, &mut seeded_rng(7), &limits()).unwrap();
    assert_eq!(
        (old, new),
        (0, 2),
        "the new slot is added before the old one is removed"
    );
    assert!(unlock(&mut dev, b"one", None, &limits()).is_err());
    assert!(unlock(&mut dev, b"three", None, &limits()).unwrap().volume_key == key);
    assert_eq!(remove_key(&mut dev, b"two", &mut seeded_rng(8), &limits()).unwrap(), 1);
    assert_eq!(
        remove_key(&mut dev, b"three", &mut seeded_rng(8), &limits()).err(),
        Some(Luks2Error::LastKeySlot { slot: new })
    );
    assert!(unlock(&mut dev, b"three", None, &limits()).is_ok());
}

/// A device that, at its `cut`-th write, writes only the first half of the buffer (a torn
/// write) and then fails every write: what is on `inner` is what survives a crash there.
struct TornDevice {
    inner: MemDevice,
    cut: usize,
    writes: usize,
}

impl BlockDevice for TornDevice {
    fn sector_count(&self) -> u64 {
        self.inner.sector_count()
    }
    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        self.inner.read_sectors(lba, buf)
    }
    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        let fail = |done| BlockDevError::Io {
            op: IoOp::Write,
            cause: BackendError::Short {
                done,
                wanted: buf.len(),
            },
        };
        if self.writes > self.cut {
            return Err(fail(0));
        }
        self.writes += 1;
        if self.writes > self.cut {
            let half = (buf.len() / 1024) * 512;
            if half > 0 {
                self.inner.write_sectors(lba, &buf[..half])?;
            }
            return Err(fail(half));
        }
        self.inner.write_sectors(lba, buf)
    }
    fn flush(&mut self) -> Result<(), BlockDevError> {
        Ok(())
    }
}

/// A crash (clean or torn) at every write of add, change and remove leaves a volume that
/// opens with the old or the new passphrase, with the same volume key.
#[test]
fn crash_at_every_write_keeps_the_old_or_the_new_passphrase() {
    let (base, key) = fresh(b"old");
    let mut with_two = base.clone();
    add_key_with_passphrase(&mut with_two, b"old", b"spare", &PBKDF2, &mut seeded_rng(9), &limits()).unwrap();
    type Op = fn(&mut TornDevice) -> Result<(), Luks2Error>;
    type Case<'a> = (&'a str, &'a MemDevice, Op, &'a [u8], &'a [u8]);
    let ops: [Case<'_>; 3] = [
        (
            "add",
            &base,
            |d| add_key_with_passphrase(d, b"old", b"new", &PBKDF2, &mut seeded_rng(10), &KdfLimits::DEFAULT).map(drop),
            b"old",
            b"new",
        ),
        (
            "change",
            &base,
            |d| change_key(d, b"old", b"new", &PBKDF2, &mut seeded_rng(10), &KdfLimits::DEFAULT).map(drop),
            b"old",
            b"new",
        ),
        (
            "remove",
            &with_two,
            |d| remove_key(d, b"old", &mut seeded_rng(10), &KdfLimits::DEFAULT).map(drop),
            b"old",
            b"spare",
        ),
    ];
    for (name, start, op, old, new) in ops {
        let mut probe = TornDevice {
            inner: start.clone(),
            cut: usize::MAX,
            writes: 0,
        };
        op(&mut probe).unwrap();
        let total = probe.writes;
        assert!(total >= 3, "{name}: {total} writes");
        for cut in 0..total {
            let mut dev = TornDevice {
                inner: start.clone(),
                cut,
                writes: 0,
            };
            assert!(op(&mut dev).is_err(), "{name} cut {cut}");
            let mut after = dev.inner;
            let o = unlock(&mut after, old, None, &limits()).ok();
            let n = unlock(&mut after, new, None, &limits()).ok();
            assert!(
                o.is_some() || n.is_some(),
                "{name}: no working key after a crash at write {cut}"
            );
            for u in o.iter().chain(n.iter()) {
                assert!(u.volume_key == key, "{name} cut {cut}");
            }
        }
    }
}

/// The data path: 4096-byte units, tweak = unit number in 512-byte sectors + iv_tweak, requests
/// aligned to the sector size.
#[test]
fn volume_uses_4096_byte_units_with_512_byte_sector_tweaks() {
    let (mut dev, key) = fresh(b"pw");
    rewrite_json(&mut dev, |j| {
        j.get_mut("segments")
            .unwrap()
            .get_mut("0")
            .unwrap()
            .insert("iv_tweak", Value::decimal(1000));
    });
    let h = read_header(&mut dev).unwrap();
    let mut vol = crate::volume::Volume::from_luks2(dev, &h, &key).unwrap();
    assert_eq!(vol.unit_size(), 4096);
    assert_eq!(vol.sector_count(), 128);
    let data: Vec<u8> = (0..8192u32).map(|i| (i * 7) as u8).collect();
    vol.write_sectors(8, &data).unwrap();
    assert!(vol.write_sectors(4, &data).is_err(), "not aligned to 4096");
    assert!(vol.write_sectors(8, &data[..512]).is_err(), "not a whole unit");
    let mut back = vec![0u8; 8192];
    vol.read_sectors(8, &mut back).unwrap();
    assert_eq!(back, data);
    let xts = crate::xts::XtsAes::new(key.as_bytes()).unwrap();
    let stored = &vol.device().as_bytes()[OFFSET as usize + 4096..OFFSET as usize + 12288];
    for (i, unit) in stored.chunks(4096).enumerate() {
        let mut expect = data[i * 4096..(i + 1) * 4096].to_vec();
        xts.encrypt_data_unit(&mut expect, 1000 + 8 + 8 * i as u128).unwrap();
        assert_eq!(unit, &expect[..], "unit {i}");
    }
}

/// A cheap stand-in for the fuzz target where cargo-fuzz is not installed: thousands of
/// mutations of a real metadata document (bytes flipped, inserted, removed), each written with
/// valid checksums into both copies, never panic and never validate into something unreadable.
#[test]
fn mutated_metadata_never_panics() {
    let (dev, _) = fresh(b"pw");
    let h = read_header(&mut dev.clone()).unwrap();
    let text = h.metadata.json.to_text().into_bytes();
    let mut rng = seeded_rng(77);
    let mut pick = |n: usize| {
        let mut b = [0u8; 8];
        rng(&mut b).unwrap();
        (u64::from_le_bytes(b) % n.max(1) as u64) as usize
    };
    const CHARS: &[u8] = b"{}[]\",:0123456789-aez \\";
    let mut accepted = 0;
    for _ in 0..3000 {
        let mut json = text.clone();
        for _ in 0..=pick(3) {
            let at = pick(json.len());
            match pick(3) {
                0 => json[at] = CHARS[pick(CHARS.len())],
                1 => json.insert(at, CHARS[pick(CHARS.len())]),
                _ => {
                    json.remove(at);
                }
            }
        }
        let mut d = dev.clone();
        for (copy, off) in [(Copy::Primary, 0usize), (Copy::Secondary, 0x4000)] {
            if let Ok(area) = build_copy(&h.binary, copy, &json) {
                d.as_bytes_mut()[off..off + area.len()].copy_from_slice(&area);
            }
        }
        if let Ok(h2) = read_header(&mut d) {
            accepted += 1;
            let key = crate::key::MasterKey::from_slice(&[9u8; 64][..h2.metadata.key_size().unwrap_or(64)]).unwrap();
            if let Ok(mut v) = crate::volume::Volume::from_luks2(d, &h2, &key) {
                let mut unit = vec![0u8; v.unit_size()];
                let _ = v.read_sectors(0, &mut unit);
            }
        }
    }
    assert!(
        accepted > 0,
        "no mutation kept a valid header: the test exercises nothing past JSON"
    );
}

#[test]
fn add_key_to_a_chosen_slot_never_overwrites_one_in_use() {
    let (mut dev, key) = fresh(b"one");
    let s = add_key_to_slot(&mut dev, &key, b"five", &PBKDF2, Some(5), &mut seeded_rng(9), &limits()).unwrap();
    assert_eq!(s, 5);
    assert_eq!(unlock(&mut dev, b"five", None, &limits()).unwrap().slot, 5);
    let before = dev.clone();
    for slot in [0, 5, crate::luks2::metadata::MAX_KEYSLOT_ID + 1] {
        assert_eq!(
            add_key_to_slot(
                &mut dev,
                &key,
                b"x",
                &PBKDF2,
                Some(slot),
                &mut seeded_rng(10),
                &limits()
            )
            .err(),
            Some(Luks2Error::NoFreeSlot),
            "slot {slot}"
        );
    }
    assert!(dev == before, "a refused slot choice wrote");
    // Without a choice, the lowest free id.
    assert_eq!(
        add_key_to_slot(&mut dev, &key, b"two", &PBKDF2, None, &mut seeded_rng(11), &limits()).unwrap(),
        1
    );
}
