//! Key-management tests: wrong passphrases write nothing, slot invariants of add / remove /
//! change, read-back verification, and crashes in the middle of a change of key.

use super::*;
use crate::blockdev::{BlockDevice, MemDevice};
use crate::key::MasterKey;
use crate::spec::CipherSpec;
use crate::testutil::{CrashDevice, LossyDevice, seeded_rng};
use crate::xts::XtsKeySize;

const SECTORS: usize = 4096 + 64;

fn opts(key: XtsKeySize, hash: HashSpec) -> FormatOptions {
    FormatOptions::new(CipherSpec::AesXtsPlain64 { key_size: key }, hash, 7, 5)
}

fn fresh(pass: &[u8]) -> (MemDevice, MasterKey) {
    let mut dev = MemDevice::new(SECTORS);
    let u = format(
        &mut dev,
        &opts(XtsKeySize::Bits512, HashSpec::Sha256),
        pass,
        &mut seeded_rng(1),
    )
    .unwrap();
    (dev, u.master_key)
}

fn slot_area(dev: &MemDevice, slot: usize) -> Vec<u8> {
    let mut d = dev.clone();
    let h = read_header(&mut d).unwrap();
    let off = h.slot(slot).unwrap().key_material_offset as usize * 512;
    let len = h.slot_area_sectors() as usize * 512;
    dev.as_bytes()[off..off + len].to_vec()
}

#[test]
fn format_then_unlock_all_key_sizes_and_hashes() {
    for key in [XtsKeySize::Bits256, XtsKeySize::Bits512] {
        for hash in [HashSpec::Sha1, HashSpec::Sha256, HashSpec::Sha512] {
            let mut dev = MemDevice::new(SECTORS);
            let made = format(&mut dev, &opts(key, hash), b"correct horse", &mut seeded_rng(2)).unwrap();
            assert_eq!(made.slot, 0);
            assert_eq!(made.master_key.len(), key.bytes());
            let h = read_header(&mut dev).unwrap();
            assert_eq!(h.hash(), hash);
            assert_eq!(h.payload_offset(), 4096);
            assert_eq!(h.active_slots().collect::<Vec<_>>(), vec![0]);
            let opened = unlock(&mut dev, b"correct horse").unwrap();
            assert_eq!(opened.master_key, made.master_key);
            assert!(keyslot::verify_master_key(&h, &made.master_key).unwrap());
            // The payload was not touched by format.
            assert!(dev.as_bytes()[4096 * 512..].iter().all(|&b| b == 0));
        }
    }
}

#[test]
fn format_rejects_bad_options() {
    let mut dev = MemDevice::new(4096);
    assert_eq!(
        format(
            &mut dev,
            &opts(XtsKeySize::Bits512, HashSpec::Sha256),
            b"x",
            &mut seeded_rng(3)
        )
        .err(),
        Some(LuksError::DeviceTooSmall {
            needed: 4096,
            available: 4096
        })
    );
    let mut o = opts(XtsKeySize::Bits512, HashSpec::Sha256);
    o.slot_iterations = 0;
    let mut dev = MemDevice::new(SECTORS);
    assert_eq!(
        format(&mut dev, &o, b"x", &mut seeded_rng(3)).err(),
        Some(LuksError::ZeroIterations)
    );
    assert_eq!(dev.write_count(), 0);
}

#[test]
fn wrong_passphrase_writes_nothing() {
    let (mut dev, mk) = fresh(b"right");
    add_key(&mut dev, &mk, b"second", 3, &mut seeded_rng(4)).unwrap();
    let before = dev.clone();
    let writes = dev.write_count();
    let mut rng = seeded_rng(5);

    assert_eq!(unlock(&mut dev, b"wrong").err(), Some(LuksError::WrongPassphrase));
    assert_eq!(
        unlock_slot(&mut dev, 1, b"right").err(),
        Some(LuksError::WrongPassphrase)
    );
    assert_eq!(
        change_key(&mut dev, b"wrong", b"new", 3, &mut rng).err(),
        Some(LuksError::WrongPassphrase)
    );
    assert_eq!(
        add_key_with_passphrase(&mut dev, b"wrong", b"new", 3, &mut rng).err(),
        Some(LuksError::WrongPassphrase)
    );
    assert_eq!(
        remove_key(&mut dev, b"wrong", &mut rng).err(),
        Some(LuksError::WrongPassphrase)
    );
    assert_eq!(
        kill_slot(&mut dev, 1, b"wrong", &mut rng).err(),
        Some(LuksError::WrongPassphrase)
    );
    let other = MasterKey::from_slice(&[9u8; 64]).unwrap();
    assert_eq!(
        add_key(&mut dev, &other, b"new", 3, &mut rng).err(),
        Some(LuksError::WrongMasterKey)
    );

    assert_eq!(dev.write_count(), writes);
    assert!(dev.as_bytes() == before.as_bytes(), "device bytes changed");
}

#[test]
fn add_key_keeps_existing_slots_and_opens_with_both() {
    let (mut dev, mk) = fresh(b"one");
    let slot0 = slot_area(&dev, 0);
    let header_before = read_header(&mut dev).unwrap();
    let s = add_key_with_passphrase(&mut dev, b"one", b"two", 3, &mut seeded_rng(6)).unwrap();
    assert_eq!(s, 1);
    assert_eq!(slot_area(&dev, 0), slot0, "slot 0 key material changed");
    let h = read_header(&mut dev).unwrap();
    assert_eq!(h.slot(0), header_before.slot(0));
    assert_eq!(h.mk_digest(), header_before.mk_digest());
    assert_eq!(h.uuid(), header_before.uuid());
    assert_eq!(unlock(&mut dev, b"one").unwrap().master_key, mk);
    let two = unlock(&mut dev, b"two").unwrap();
    assert_eq!((two.slot, two.master_key == mk), (1, true));
    assert_eq!(h.slot(1).unwrap().iterations, 3);
}

#[test]
fn eight_slots_then_no_free_slot() {
    let (mut dev, mk) = fresh(b"p0");
    let mut rng = seeded_rng(7);
    for i in 1..8 {
        let pass = format!("p{i}");
        assert_eq!(add_key(&mut dev, &mk, pass.as_bytes(), 2, &mut rng).unwrap(), i);
    }
    let before = dev.clone();
    assert_eq!(
        add_key(&mut dev, &mk, b"p8", 2, &mut rng).err(),
        Some(LuksError::NoFreeSlot)
    );
    assert_eq!(
        change_key(&mut dev, b"p3", b"p9", 2, &mut rng).err(),
        Some(LuksError::NoFreeSlot)
    );
    assert!(dev.as_bytes() == before.as_bytes());
    for i in 0..8 {
        assert_eq!(unlock(&mut dev, format!("p{i}").as_bytes()).unwrap().slot, i);
    }
}

#[test]
fn remove_and_kill_never_remove_the_last_key() {
    let (mut dev, mk) = fresh(b"a");
    let mut rng = seeded_rng(8);
    // Last slot: refused, nothing written.
    let before = dev.clone();
    assert_eq!(
        remove_key(&mut dev, b"a", &mut rng).err(),
        Some(LuksError::LastKeySlot { slot: 0 })
    );
    assert_eq!(
        kill_slot(&mut dev, 0, b"a", &mut rng).err(),
        Some(LuksError::LastKeySlot { slot: 0 })
    );
    assert_eq!(
        kill_slot(&mut dev, 8, b"a", &mut rng).err(),
        Some(LuksError::SlotIndex { slot: 8 })
    );
    assert_eq!(
        kill_slot(&mut dev, 5, b"a", &mut rng).err(),
        Some(LuksError::SlotInactive { slot: 5 })
    );
    assert!(dev.as_bytes() == before.as_bytes());

    add_key(&mut dev, &mk, b"b", 2, &mut rng).unwrap();
    add_key(&mut dev, &mk, b"c", 2, &mut rng).unwrap();
    let area0 = slot_area(&dev, 0);
    assert_eq!(remove_key(&mut dev, b"a", &mut rng).unwrap(), 0);
    assert_eq!(unlock(&mut dev, b"a").err(), Some(LuksError::WrongPassphrase));
    assert_ne!(slot_area(&dev, 0), area0, "removed slot's key material was not wiped");
    let h = read_header(&mut dev).unwrap();
    assert!(!h.slot(0).unwrap().active);
    assert_eq!(h.slot(0).unwrap().iterations, 0);
    assert_eq!(h.slot(0).unwrap().salt, [0; 32]);

    // Kill slot 2 ("c") authorised by "b".
    kill_slot(&mut dev, 2, b"b", &mut rng).unwrap();
    assert_eq!(unlock(&mut dev, b"c").err(), Some(LuksError::WrongPassphrase));
    assert_eq!(unlock(&mut dev, b"b").unwrap().master_key, mk);
    assert_eq!(
        remove_key(&mut dev, b"b", &mut rng).err(),
        Some(LuksError::LastKeySlot { slot: 1 })
    );
    // Freed slot 0 is reused first.
    assert_eq!(add_key(&mut dev, &mk, b"d", 2, &mut rng).unwrap(), 0);
}

#[test]
fn change_key_moves_to_a_new_slot_then_wipes_the_old() {
    let (mut dev, mk) = fresh(b"old");
    let area0 = slot_area(&dev, 0);
    let change = change_key(&mut dev, b"old", b"new", 4, &mut seeded_rng(9)).unwrap();
    assert_eq!(
        change,
        KeyChange {
            old_slot: 0,
            new_slot: 1
        }
    );
    assert_eq!(unlock(&mut dev, b"old").err(), Some(LuksError::WrongPassphrase));
    let u = unlock(&mut dev, b"new").unwrap();
    assert_eq!((u.slot, u.master_key == mk), (1, true));
    assert_ne!(slot_area(&dev, 0), area0);
    assert_eq!(u.header.active_slots().collect::<Vec<_>>(), vec![1]);
}

/// A crash after each write of `change_key`: what survives on the device always opens with the
/// old or the new passphrase (with the same master key), and the old passphrase still opens
/// after the new slot is written and verified but before the old slot is wiped.
#[test]
fn crash_during_change_key_keeps_a_working_key() {
    let (dev, mk) = fresh(b"old");
    // Count the writes of a complete change.
    let mut probe = CrashDevice {
        inner: dev.clone(),
        writes_left: usize::MAX,
    };
    change_key(&mut probe, b"old", b"new", 3, &mut seeded_rng(10)).unwrap();
    let total = (probe.inner.write_count() - dev.write_count()) as usize;
    assert_eq!(total, 4, "material, header, wipe, header");

    for budget in 0..=total {
        let mut crashing = CrashDevice {
            inner: dev.clone(),
            writes_left: budget,
        };
        let r = change_key(&mut crashing, b"old", b"new", 3, &mut seeded_rng(10));
        assert_eq!(r.is_ok(), budget == total, "budget {budget}");
        let mut after = crashing.inner;
        let old = unlock(&mut after, b"old").ok().map(|u| u.master_key);
        let new = unlock(&mut after, b"new").ok().map(|u| u.master_key);
        assert!(
            old.is_some() || new.is_some(),
            "no working key after a crash at write {budget}"
        );
        for k in old.iter().chain(new.iter()) {
            assert!(*k == mk);
        }
        let (want_old, want_new) = match budget {
            0 | 1 => (true, false), // new material written but not activated
            2 => (true, true),      // new slot written and verified, old not wiped yet
            3 => (false, true),     // old material wiped, header not yet updated
            _ => (false, true),
        };
        assert_eq!((old.is_some(), new.is_some()), (want_old, want_new), "budget {budget}");
    }
}

/// Writes that are silently lost make verification fail; the header is rolled back and the
/// old key still works.
#[test]
fn lost_writes_fail_verification_and_roll_back() {
    let (dev, mk) = fresh(b"old");
    let h = read_header(&mut dev.clone()).unwrap();
    let slot1 = u64::from(h.slot(1).unwrap().key_material_offset);
    let mut lossy = LossyDevice {
        inner: dev,
        lba_from: slot1,
    };
    assert_eq!(
        change_key(&mut lossy, b"old", b"new", 3, &mut seeded_rng(11)).err(),
        Some(LuksError::VerifyFailed { slot: 1 })
    );
    let mut after = lossy.inner;
    assert_eq!(unlock(&mut after, b"old").unwrap().master_key, mk);
    assert_eq!(
        read_header(&mut after).unwrap().active_slots().collect::<Vec<_>>(),
        vec![0]
    );
    assert!(after.sector_count() > 0);
}

#[test]
fn corrupted_digest_or_material_does_not_open() {
    let (dev, _) = fresh(b"pw");
    // Master-key digest mismatch.
    let mut bad = dev.clone();
    bad.as_bytes_mut()[112] ^= 1;
    assert_eq!(unlock(&mut bad, b"pw").err(), Some(LuksError::WrongPassphrase));
    // One flipped bit of key material.
    let mut bad = dev.clone();
    bad.as_bytes_mut()[8 * 512 + 12345] ^= 0x80;
    assert_eq!(unlock(&mut bad, b"pw").err(), Some(LuksError::WrongPassphrase));
    // No active slot at all.
    let mut none = dev.clone();
    none.as_bytes_mut()[208..212].copy_from_slice(&0x0000_DEADu32.to_be_bytes());
    assert_eq!(unlock(&mut none, b"pw").err(), Some(LuksError::NoActiveSlots));
}

#[test]
fn add_key_to_a_chosen_slot_never_overwrites_one_in_use() {
    let (mut dev, mk) = fresh(b"p0");
    let mut rng = seeded_rng(21);
    assert_eq!(add_key_to_slot(&mut dev, &mk, b"p5", 2, Some(5), &mut rng).unwrap(), 5);
    assert_eq!(unlock(&mut dev, b"p5").unwrap().slot, 5);
    let before = dev.clone();
    for (slot, error) in [
        (0, LuksError::NoFreeSlot),
        (5, LuksError::NoFreeSlot),
        (8, LuksError::SlotIndex { slot: 8 }),
    ] {
        assert_eq!(
            add_key_to_slot(&mut dev, &mk, b"x", 2, Some(slot), &mut rng).err(),
            Some(error)
        );
    }
    assert!(dev.as_bytes() == before.as_bytes(), "a refused slot choice wrote");
    // Without a choice, the first free slot.
    assert_eq!(add_key_to_slot(&mut dev, &mk, b"p1", 2, None, &mut rng).unwrap(), 1);
}

/// Issue 15 L1: a slot or digest asking for 2^32 - 1 iterations is refused at once (not hours
/// of PBKDF2); another slot still opens.
#[test]
fn huge_iteration_counts_are_refused_without_deriving() {
    let (mut dev, mk) = fresh(b"pw");
    add_key_with_passphrase(&mut dev, b"pw", b"two", 3, &mut seeded_rng(20)).unwrap();
    let mut header = read_header(&mut dev).unwrap();
    let salt = header.slot(0).unwrap().salt;
    header.set_slot(0, true, u32::MAX, salt);
    write_header(&mut dev, &header).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        unlock(&mut dev, b"pw").err(),
        Some(LuksError::KdfCostTooHigh {
            slot: Some(0),
            iterations: u32::MAX,
            limit: 100_000_000
        })
    );
    assert!(unlock(&mut dev, b"two").unwrap().master_key == mk);
    assert!(matches!(
        unlock_slot(&mut dev, 0, b"pw"),
        Err(LuksError::KdfCostTooHigh { .. })
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));

    let mut raw = dev.as_bytes()[..592].to_vec();
    raw[164..168].copy_from_slice(&u32::MAX.to_be_bytes()); // mk-digest-iter
    dev.as_bytes_mut()[..592].copy_from_slice(&raw);
    assert!(matches!(
        unlock(&mut dev, b"two"),
        Err(LuksError::KdfCostTooHigh { slot: None, .. })
    ));
}
