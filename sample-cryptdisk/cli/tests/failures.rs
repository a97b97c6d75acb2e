//! End to end: wrong passphrases (exit 2, the message, the volume byte-identical afterwards),
//! damaged volumes (bad magic, truncated file, flipped digest byte: one clear line, no panic),
//! key-slot refusals, bad sizes and bad arguments.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, active_slots, fails_without_writing, opens, run, run_with_stdin};
use std::path::Path;

const WRONG: &str = "cryptdisk: error: no key slot opened with this passphrase; ";

#[test]
fn wrong_passphrase_exits_2_and_writes_nothing() {
    let s = Scratch::new();
    let key = s.file("good.key", b"good");
    let wrong = s.file("wrong.key", b"good\n");
    let new = s.file("new.key", b"new");
    let vol = s.create("v.img", "3M", &key, &[]);
    let raw = s.path("out.raw");
    let (v, w, n, r) = (
        vol.to_str().unwrap(),
        wrong.to_str().unwrap(),
        new.to_str().unwrap(),
        raw.to_str().unwrap(),
    );

    for args in [
        &["add-key", v, "--key-file", w, "--new-key-file", n, "--iter-time", ITER][..],
        &["passwd", v, "--key-file", w, "--new-key-file", n, "--iter-time", ITER],
        &["decrypt", v, r, "--key-file", w],
        &["simulate", v, "--key-file", w],
    ] {
        let line = fails_without_writing(&vol, args, 2);
        assert!(line.starts_with(WRONG), "{args:?}: {line}");
    }
    assert!(!raw.exists(), "decrypt left an output behind");

    // remove-key needs a second slot to get as far as the passphrase.
    run([
        "add-key",
        v,
        "--key-file",
        "-",
        "--new-key-file",
        n,
        "--iter-time",
        ITER,
    ])
    .fails(1);
    let ok = run_with_stdin(
        [
            "add-key",
            v,
            "--key-file",
            "-",
            "--new-key-file",
            n,
            "--iter-time",
            ITER,
        ],
        b"good",
    );
    ok.ok();
    let line = fails_without_writing(&vol, &["remove-key", v, "--slot", "1", "--key-file", w], 2);
    assert!(line.starts_with(WRONG), "{line}");
    assert_eq!(active_slots(&vol), [0, 1]);
    assert_eq!(s.listing(), ["good.key", "new.key", "v.img", "wrong.key"]);
}

#[test]
fn remove_key_refusals() {
    let s = Scratch::new();
    let a = s.file("a.key", b"alpha");
    let b = s.file("b.key", b"bravo");
    let vol = s.create("v.img", "3M", &a, &[]);
    let (v, ka, kb) = (vol.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap());

    // The last slot is never removed (refused before asking for a passphrase).
    let line = fails_without_writing(&vol, &["remove-key", v, "--slot", "0", "--key-file", ka], 1);
    assert!(line.contains("last working key") && line.contains("add-key"), "{line}");

    // An inactive slot.
    let line = fails_without_writing(&vol, &["remove-key", v, "--slot", "5", "--key-file", ka], 1);
    assert!(line.contains("key slot 5") && line.contains("not active"), "{line}");

    // A passphrase that opens only the slot being removed does not authorise it.
    run([
        "add-key",
        v,
        "--key-file",
        ka,
        "--new-key-file",
        kb,
        "--iter-time",
        ITER,
    ])
    .ok();
    let line = fails_without_writing(&vol, &["remove-key", v, "--slot", "1", "--key-file", kb], 2);
    assert!(line.contains("opens only key slot 1"), "{line}");
    assert_eq!(opens(&vol, b"bravo"), Some(1));

    // A slot number out of range is a usage error.
    let line = fails_without_writing(&vol, &["remove-key", v, "--slot", "8", "--key-file", ka], 1);
    assert!(line.contains("--key-slot"), "{line}");
}

#[test]
fn full_slot_table_is_reported_before_asking_for_the_new_passphrase() {
    let s = Scratch::new();
    let key = s.file("k", b"k");
    let vol = s.create("v.img", "3M", &key, &[]);
    let v = vol.to_str().unwrap();
    let k = key.to_str().unwrap();
    for _ in 1..8 {
        run(["add-key", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER]).ok();
    }
    assert_eq!(active_slots(&vol).len(), 8);
    for args in [
        &["add-key", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER][..],
        &["passwd", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER],
    ] {
        let line = fails_without_writing(&vol, args, 1);
        assert!(
            line.contains("all 8 key slots are in use") && line.contains("kill-slot"),
            "{line}"
        );
    }
}

/// A fresh volume with a damaged copy, for header tests.
fn damaged(s: &Scratch, damage: impl FnOnce(&mut Vec<u8>)) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let mut bytes = std::fs::read(&vol).unwrap();
    damage(&mut bytes);
    std::fs::write(&vol, &bytes).unwrap();
    (vol, key)
}

/// Every command that reads the header, on a damaged volume: exit 4 (wrong device, as
/// cryptsetup), one line containing `expected`, nothing written.
fn all_commands_fail_cleanly(s: &Scratch, vol: &Path, key: &Path, expected: &str, code_after_header: i32) {
    let out = s.path("out.raw");
    let (v, k, o) = (vol.to_str().unwrap(), key.to_str().unwrap(), out.to_str().unwrap());
    let header_only = [&["info", v][..], &["info", v, "--json"]];
    let with_key = [
        &["add-key", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER][..],
        &["passwd", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER],
        &["decrypt", v, o, "--key-file", k],
        &["simulate", v, "--key-file", k],
        &["remove-key", v, "--slot", "0", "--key-file", k],
    ];
    for args in header_only {
        let line = fails_without_writing(vol, args, 4);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    for args in with_key {
        let line = fails_without_writing(vol, args, code_after_header);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    assert!(!out.exists());
}

#[test]
fn bad_magic() {
    let s = Scratch::new();
    let (vol, key) = damaged(&s, |b| b[0] = b'X');
    all_commands_fail_cleanly(&s, &vol, &key, "is not a LUKS volume (bad magic); check the path", 4);
}

#[test]
fn a_luks1_header_marked_version_2_is_a_damaged_luks2_header() {
    let s = Scratch::new();
    let (vol, key) = damaged(&s, |b| b[7] = 2);
    all_commands_fail_cleanly(&s, &vol, &key, "LUKS2", 4);
}

#[test]
fn truncated_files() {
    for len in [0usize, 100, 600, 1024, 3000, 2 * 1024 * 1024 - 512] {
        let s = Scratch::new();
        let (vol, key) = damaged(&s, |b| b.truncate(len));
        all_commands_fail_cleanly(&s, &vol, &key, "is truncated", 4);
    }
}

#[test]
fn flipped_digest_byte_opens_no_slot() {
    // The master-key digest (offset 112) no longer matches: no slot opens, as with cryptsetup.
    let s = Scratch::new();
    let (vol, key) = damaged(&s, |b| b[112] ^= 0x01);
    let out = run(["info", vol.to_str().unwrap()]);
    out.ok();
    all_commands_fail_cleanly_after_info(&s, &vol, &key);
}

fn all_commands_fail_cleanly_after_info(s: &Scratch, vol: &Path, key: &Path) {
    let out = s.path("out.raw");
    let (v, k, o) = (vol.to_str().unwrap(), key.to_str().unwrap(), out.to_str().unwrap());
    for args in [
        &["add-key", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER][..],
        &["passwd", v, "--key-file", k, "--new-key-file", k, "--iter-time", ITER],
        &["decrypt", v, o, "--key-file", k],
        &["simulate", v, "--key-file", k],
    ] {
        let line = fails_without_writing(vol, args, 2);
        assert!(line.starts_with(WRONG), "{args:?}: {line}");
    }
    assert!(!out.exists());
}

#[test]
fn damaged_slot_table_is_named() {
    let s = Scratch::new();
    // Slot 3's stripe count (offset 208 + 3 * 48 + 44, big-endian) set to 3999.
    let (vol, key) = damaged(&s, |b| {
        b[208 + 3 * 48 + 44..208 + 3 * 48 + 48].copy_from_slice(&3999u32.to_be_bytes())
    });
    all_commands_fail_cleanly(&s, &vol, &key, "damaged LUKS header: key slot 3 has 3999 stripes", 4);
}

#[test]
fn random_garbage_never_panics() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    for seed in 0..8u32 {
        let mut bytes = common::pattern(3 << 20, seed);
        if seed % 2 == 1 {
            // A valid magic and version, garbage after them.
            bytes[..8].copy_from_slice(b"LUKS\xba\xbe\x00\x01");
        }
        let vol = s.file("g.img", &bytes);
        let out = run(["info", vol.to_str().unwrap()]);
        out.fails(4);
        let out = run([
            "decrypt",
            vol.to_str().unwrap(),
            s.path("o").to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ]);
        out.fails(4);
    }
}

#[test]
fn missing_volume_and_directories() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let missing = s.path("nope.img");
    let line = run(["info", missing.to_str().unwrap()]).fails(4).to_owned();
    assert!(line.contains("nope.img") && line.contains("check the path"), "{line}");
    let dir = s.path("");
    let line = run(["info", dir.to_str().unwrap()]).fails(4).to_owned();
    assert!(line.contains("directory"), "{line}");
    let line = run([
        "create",
        "--type",
        "luks1",
        dir.to_str().unwrap(),
        "--size",
        "3M",
        "--key-file",
        key.to_str().unwrap(),
    ])
    .fails(1)
    .to_owned();
    assert!(line.contains("directory"), "{line}");
}

#[test]
fn sizes_are_validated_and_explained() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.path("v.img");
    let k = key.to_str().unwrap();
    let v = vol.to_str().unwrap();
    for (size, code, expected) in [
        ("1M", 1, "leaves no room for data"),
        ("2M", 1, "leaves no room for data"),
        ("3000000", 1, "not a multiple of 512"),
        ("3Q", 1, "unknown size suffix 'Q'"),
        ("lots", 1, "is not a size"),
        ("99999999T", 1, "too large"),
    ] {
        let line = run(["create", v, "--type", "luks1", "--size", size, "--key-file", k])
            .fails(code)
            .to_owned();
        assert!(line.contains(expected), "{size}: {line}");
    }
    assert!(!vol.exists());
    assert_eq!(s.listing(), ["k"]);
}

#[test]
fn usage_errors_are_one_line_with_exit_1() {
    for args in [
        &["frobnicate"][..],
        &["create", "v.img"],
        &["create", "v.img", "--size", "3M", "--key-size", "384"],
        &["create", "v.img", "--size", "3M", "--hash", "md5"],
        &["create", "v.img", "--size", "3M", "--iter-time", "0"],
        &["info"],
        &["bench", "--seconds", "-1"],
        &["mount", "v.img", "--letter", "11"],
    ] {
        let out = run(args);
        let line = out.fails(1);
        assert!(line.ends_with("see 'cryptdisk --help'"), "{args:?}: {line}");
    }
    assert_eq!(run(["--help"]).code, 0);
    assert!(run(["--version"]).ok().starts_with("cryptdisk "));
}

#[test]
fn both_passphrases_from_stdin_are_refused() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let v = vol.to_str().unwrap();
    for cmd in ["add-key", "passwd"] {
        let before = std::fs::read(&vol).unwrap();
        let out = run_with_stdin([cmd, v, "--key-file", "-", "--new-key-file", "-"], b"pw");
        assert!(out.fails(1).contains("standard input cannot be read twice"), "{out:?}");
        assert!(std::fs::read(&vol).unwrap() == before);
    }
}

#[test]
fn missing_key_file_names_it() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let gone = s.path("gone.key");
    let line = fails_without_writing(
        &vol,
        &[
            "decrypt",
            vol.to_str().unwrap(),
            s.path("o").to_str().unwrap(),
            "--key-file",
            gone.to_str().unwrap(),
        ],
        1,
    );
    assert!(line.contains("gone.key") && line.contains("check the path"), "{line}");
}
