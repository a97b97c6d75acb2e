//! LUKS2 key-slot `priority`: the slot a passphrase opens follows it as in cryptsetup (which
//! sets it with `cryptsetup config --priority` and reports the slot it opened), `info` shows it,
//! and `passwd` keeps it. The cryptsetup comparison needs cryptsetup (run
//! `ci/test-all.sh`); the rest runs everywhere.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, info_json, run, test_passphrase};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks2::config::set_priority;
use cryptdisk_core::luks2::metadata::Priority;
use std::path::Path;
use std::process::Command;

/// A LUKS2 volume made by cryptdisk whose slots 0, 1 and 2 all open with the key file.
fn three_slots(s: &Scratch) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = s.file("k", b"priority passphrase");
    let vol = s.path("v.img");
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    let fast = ["--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"];
    let mut create = vec!["create", v, "--size", "20M", "--key-file", k];
    create.extend_from_slice(&fast);
    run(&create).ok();
    for _ in 0..2 {
        run(["add-key", v, "--key-file", k, "--new-key-file", k, "-i", "10"]).ok();
    }
    (vol, key)
}

/// The slot `cryptdisk mount --test-passphrase` says opened (`None` when it failed).
fn cryptdisk_opens(vol: &Path, key: &Path, extra: &[&str]) -> Option<u32> {
    let mut args = vec!["--key-file", key.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = test_passphrase(vol, &args, b"");
    r.stdout
        .split("Key slot ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .filter(|_| r.code == 0)
}

fn priorities(vol: &Path) -> Vec<String> {
    info_json(vol)["key_slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["priority"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn priority_orders_unlocking_shows_in_info_and_survives_passwd() {
    let s = Scratch::new();
    let (vol, key) = three_slots(&s);
    let set = |slot, p| set_priority(&mut FileDevice::open(&vol, true).unwrap(), slot, p).unwrap();
    assert_eq!(cryptdisk_opens(&vol, &key, &[]), Some(0));
    set(2, Priority::Prefer);
    assert_eq!(cryptdisk_opens(&vol, &key, &[]), Some(2));
    assert_eq!(priorities(&vol), ["normal", "normal", "preferred"]);
    let text = run(["info", vol.to_str().unwrap()]).ok().to_owned();
    assert!(text.contains("  2: active  priority preferred  pbkdf2"), "{text}");
    set(0, Priority::Ignore);
    set(2, Priority::Normal);
    assert_eq!(cryptdisk_opens(&vol, &key, &[]), Some(1));
    set(1, Priority::Ignore);
    set(2, Priority::Ignore);
    assert_eq!(cryptdisk_opens(&vol, &key, &[]), None, "every slot ignored");
    assert_eq!(cryptdisk_opens(&vol, &key, &["--key-slot", "1"]), Some(1), "named");

    set(1, Priority::Prefer);
    let new_key = s.file("new", b"changed");
    run([
        "passwd",
        vol.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
        "--new-key-file",
        new_key.to_str().unwrap(),
        "-i",
        "10",
    ])
    .ok();
    let slots = info_json(&vol)["key_slots"].clone();
    let of = |id: u64| {
        slots
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["slot"] == id)
            .map(|k| k["priority"].as_str().unwrap().to_owned())
    };
    assert_eq!(of(1), None, "the old slot is gone");
    assert_eq!(
        of(3).as_deref(),
        Some("preferred"),
        "its replacement keeps the priority"
    );
}

/// The slot `cryptsetup open --test-passphrase -v` says it unlocked (`None` when it failed).
fn cryptsetup_opens(vol: &Path, key: &Path, extra: &[&str]) -> Option<u32> {
    let out = Command::new("cryptsetup")
        .args(["open", "--test-passphrase", "-v", "--key-file"])
        .arg(key)
        .args(extra)
        .arg(vol)
        .output()
        .expect("run cryptsetup");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.split("Key slot ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .filter(|_| out.status.success())
}

fn cryptsetup_config(vol: &Path, slot: u32, priority: &str) {
    let out = Command::new("cryptsetup")
        .args(["config", "--priority", priority, "--key-slot", &slot.to_string()])
        .arg(vol)
        .output()
        .expect("run cryptsetup");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Priorities set by `cryptsetup config`: cryptdisk opens the slot cryptsetup opens, in every
/// combination, and `info` words them as `luksDump` does.
#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn priorities_set_by_cryptsetup_open_the_slot_cryptsetup_opens() {
    let s = Scratch::new();
    let (vol, key) = three_slots(&s);
    let words = ["ignore", "normal", "prefer"];
    for combination in 0..27u32 {
        let chosen: Vec<&str> = (0..3)
            .map(|i| words[(combination / 3u32.pow(i) % 3) as usize])
            .collect();
        for (slot, word) in chosen.iter().enumerate() {
            cryptsetup_config(&vol, slot as u32, word);
        }
        let reference = cryptsetup_opens(&vol, &key, &[]);
        assert_eq!(cryptdisk_opens(&vol, &key, &[]), reference, "priorities {chosen:?}");
        if reference.is_none() {
            for slot in ["0", "2"] {
                assert_eq!(
                    cryptdisk_opens(&vol, &key, &["--key-slot", slot]),
                    cryptsetup_opens(&vol, &key, &["--key-slot", slot]),
                    "{chosen:?}, slot {slot} named"
                );
            }
        }
        let dump = Command::new("cryptsetup").arg("luksDump").arg(&vol).output().unwrap();
        let dump = String::from_utf8_lossy(&dump.stdout).into_owned();
        let dumped: Vec<&str> = dump
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Priority:"))
            .map(str::trim)
            .collect();
        assert_eq!(
            priorities(&vol),
            dumped,
            "info words the priorities as luksDump does ({chosen:?})"
        );
    }
}

#[test]
fn an_ignored_slot_does_not_authorise_kill_slot() {
    let s = Scratch::new();
    let (vol, key) = three_slots(&s);
    let set = |slot, p| set_priority(&mut FileDevice::open(&vol, true).unwrap(), slot, p).unwrap();
    set(1, Priority::Ignore);
    set(2, Priority::Ignore);
    let before = std::fs::read(&vol).unwrap();
    let kill = || {
        run([
            "kill-slot",
            vol.to_str().unwrap(),
            "0",
            "--key-file",
            key.to_str().unwrap(),
        ])
    };
    let refused = kill();
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(std::fs::read(&vol).unwrap() == before, "nothing written");
    set(2, Priority::Normal);
    assert!(kill().ok().contains("slot 2 still opens it"));
    assert_eq!(priorities(&vol), ["ignored", "normal"]);
}
