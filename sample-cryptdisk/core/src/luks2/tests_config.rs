//! Key-slot priority (unlock order, kept across key changes, `config`) and application tokens,
//! on memory devices.

use super::config::{MAX_TOKEN_ID, find_token, put_token, set_priority};
use super::json::Value;
use super::metadata::Priority;
use super::write::write_metadata;
use super::*;
use crate::blockdev::MemDevice;
use crate::kdf_limits::KdfLimits;
use crate::testutil::seeded_rng;
use alloc::string::String;
use alloc::vec;

const OFFSET: u64 = 2 << 20;
const SECTORS: usize = (OFFSET as usize + 64 * 1024) / 512;
const PBKDF2: KdfChoice = KdfChoice::Pbkdf2 {
    hash: crate::luks::HashSpec::Sha256,
    iterations: 5,
};

fn limits() -> KdfLimits {
    KdfLimits::DEFAULT
}

/// A volume whose slots 0, 1 and 2 all open with `pw`.
fn three_slots() -> MemDevice {
    let mut dev = MemDevice::new(SECTORS);
    let o = Luks2Options {
        data_offset: OFFSET,
        ..Luks2Options::new(PBKDF2, 5)
    };
    let made = format(&mut dev, &o, b"pw", &mut seeded_rng(1)).unwrap();
    for _ in 0..2 {
        add_key(
            &mut dev,
            &made.volume_key,
            b"pw",
            &PBKDF2,
            &mut seeded_rng(2),
            &limits(),
        )
        .unwrap();
    }
    dev
}

fn opened_slot(dev: &mut MemDevice) -> Result<u32, Luks2Error> {
    unlock(dev, b"pw", None, &limits()).map(|u| u.slot)
}

fn priorities(dev: &mut MemDevice) -> Vec<(u32, Priority)> {
    let h = read_header(dev).unwrap();
    h.metadata.keyslots.iter().map(|k| (k.id, k.priority)).collect()
}

#[test]
fn priority_decides_which_slot_opens_first() {
    let mut dev = three_slots();
    assert_eq!(opened_slot(&mut dev), Ok(0), "all normal: id order");
    set_priority(&mut dev, 2, Priority::Prefer).unwrap();
    assert_eq!(opened_slot(&mut dev), Ok(2), "a preferred slot is tried first");
    set_priority(&mut dev, 2, Priority::Normal).unwrap();
    set_priority(&mut dev, 0, Priority::Ignore).unwrap();
    assert_eq!(opened_slot(&mut dev), Ok(1), "an ignored slot is skipped");
    set_priority(&mut dev, 1, Priority::Ignore).unwrap();
    set_priority(&mut dev, 2, Priority::Ignore).unwrap();
    assert_eq!(
        opened_slot(&mut dev),
        Err(Luks2Error::WrongPassphrase),
        "only ignored slots: nothing opens without naming one"
    );
    let named = unlock(&mut dev, b"pw", Some(1), &limits()).unwrap();
    assert_eq!(named.slot, 1, "a named slot opens whatever its priority");
}

#[test]
fn priority_is_stored_as_cryptsetup_does_and_kept_by_key_changes() {
    let mut dev = three_slots();
    set_priority(&mut dev, 1, Priority::Prefer).unwrap();
    set_priority(&mut dev, 2, Priority::Ignore).unwrap();
    let json = read_header(&mut dev).unwrap().metadata.json;
    let member = |slot: &str| {
        json.get("keyslots")
            .and_then(|k| k.get(slot))
            .and_then(|s| s.get("priority"))
            .cloned()
    };
    assert_eq!(member("1"), Some(Value::number(2)));
    assert_eq!(member("2"), Some(Value::number(0)));
    assert_eq!(member("0"), None, "normal is the absent member");
    set_priority(&mut dev, 2, Priority::Normal).unwrap();
    let json = read_header(&mut dev).unwrap().metadata.json;
    assert!(
        json.get("keyslots")
            .and_then(|k| k.get("2"))
            .and_then(|s| s.get("priority"))
            .is_none()
    );

    // Adding a key rewrites the JSON: the other slots keep their priority.
    set_priority(&mut dev, 2, Priority::Ignore).unwrap();
    let key = unlock(&mut dev, b"pw", None, &limits()).unwrap().volume_key;
    add_key(&mut dev, &key, b"other", &PBKDF2, &mut seeded_rng(3), &limits()).unwrap();
    assert_eq!(
        priorities(&mut dev),
        [
            (0, Priority::Normal),
            (1, Priority::Prefer),
            (2, Priority::Ignore),
            (3, Priority::Normal)
        ]
    );
    // Changing the passphrase of the preferred slot: its replacement is preferred too.
    let (old, new) = change_key(&mut dev, b"pw", b"new", &PBKDF2, &mut seeded_rng(4), &limits()).unwrap();
    assert_eq!((old, new), (1, 4), "the preferred slot opened first");
    assert_eq!(
        priorities(&mut dev),
        [
            (0, Priority::Normal),
            (2, Priority::Ignore),
            (3, Priority::Normal),
            (4, Priority::Prefer)
        ]
    );
    // Removing a slot keeps the others' priorities.
    remove_key(&mut dev, b"other", &mut seeded_rng(5), &limits()).unwrap();
    assert_eq!(
        priorities(&mut dev),
        [(0, Priority::Normal), (2, Priority::Ignore), (4, Priority::Prefer)]
    );
}

#[test]
fn bad_priorities_and_slots_are_refused() {
    let mut dev = three_slots();
    let writes = dev.write_count();
    assert_eq!(
        set_priority(&mut dev, 7, Priority::Prefer),
        Err(Luks2Error::SlotInactive { slot: 7 })
    );
    assert_eq!(dev.write_count(), writes, "nothing written");
    for bad in [Value::number(3), Value::string("2"), Value::Bool(true)] {
        let h = read_header(&mut dev).unwrap();
        let mut json = h.metadata.json.clone();
        json.get_mut("keyslots")
            .and_then(|k| k.get_mut("1"))
            .map(|s| s.insert("priority", bad.clone()));
        let mut binary = h.binary.clone();
        write_metadata(&mut dev, &mut binary, &json).unwrap();
        match read_header(&mut dev) {
            Err(e) => assert!(
                alloc::format!("{e}").contains("keyslot 1.priority: not 0, 1 or 2"),
                "{bad:?}: {e}"
            ),
            Ok(h) => panic!("{bad:?} accepted: {:?}", h.metadata.keyslots[1].priority),
        }
        // Put a valid one back for the next round.
        json.get_mut("keyslots")
            .and_then(|k| k.get_mut("1"))
            .map(|s| s.insert("priority", Value::number(1)));
        let mut binary = h.binary.clone();
        binary.seqid += 2;
        write_metadata(&mut dev, &mut binary, &json).unwrap();
        assert_eq!(priorities(&mut dev)[1], (1, Priority::Normal));
    }
}

#[test]
fn tokens_are_added_replaced_and_others_kept() {
    let mut dev = three_slots();
    let h = read_header(&mut dev).unwrap();
    let mut json = h.metadata.json.clone();
    let foreign = Value::parse(br#"{"type":"luks2-keyring","keyslots":["0"],"key_description":"k"}"#).unwrap();
    json.get_mut("tokens").map(|t| t.insert("0", foreign.clone()));
    let mut binary = h.binary.clone();
    write_metadata(&mut dev, &mut binary, &json).unwrap();

    let members = |n: u64| vec![(String::from("length"), Value::decimal(n))];
    assert_eq!(put_token(&mut dev, "cryptdisk-length", members(1000)), Ok(1));
    assert_eq!(
        put_token(&mut dev, "cryptdisk-length", members(2000)),
        Ok(1),
        "replaced"
    );
    let h = read_header(&mut dev).unwrap();
    assert_eq!(h.metadata.tokens, 2);
    let (id, token) = find_token(&h.metadata.json, "cryptdisk-length").unwrap();
    assert_eq!(id, 1);
    assert_eq!(
        token.to_text(),
        r#"{"type":"cryptdisk-length","keyslots":[],"length":"2000"}"#
    );
    assert_eq!(
        find_token(&h.metadata.json, "luks2-keyring").map(|(_, t)| t),
        Some(&foreign)
    );
    assert_eq!(opened_slot(&mut dev), Ok(0), "the volume still opens");

    let writes = dev.write_count();
    for reserved in ["luks2-keyring", ""] {
        assert!(matches!(
            put_token(&mut dev, reserved, members(1)),
            Err(Luks2Error::BadOptions(_))
        ));
    }
    assert_eq!(dev.write_count(), writes, "nothing written");
}

#[test]
fn a_full_token_table_is_refused() {
    let mut dev = three_slots();
    let h = read_header(&mut dev).unwrap();
    let mut json = h.metadata.json.clone();
    for i in 0..=MAX_TOKEN_ID {
        let t = Value::parse(br#"{"type":"other","keyslots":[]}"#).unwrap();
        json.get_mut("tokens")
            .map(|tokens| tokens.insert(&alloc::format!("{i}"), t));
    }
    let mut binary = h.binary.clone();
    write_metadata(&mut dev, &mut binary, &json).unwrap();
    let writes = dev.write_count();
    assert!(matches!(
        put_token(&mut dev, "cryptdisk-length", vec![]),
        Err(Luks2Error::BadOptions(_))
    ));
    assert_eq!(dev.write_count(), writes);
    assert_eq!(put_token(&mut dev, "other", vec![]), Ok(0), "its own type is replaced");
}
