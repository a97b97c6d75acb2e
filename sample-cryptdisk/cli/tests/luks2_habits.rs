//! End to end: the cryptsetup habits on a LUKS2 volume, where its code path differs from
//! LUKS1's (`habits.rs` covers LUKS1): the volume lock, `kill-slot`, `remove-key` by
//! passphrase, `--key-slot`, piped passphrases and key-file offsets, header backup and
//! restore, decrypt to standard output.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, fails_without_writing, run, run_with_stdin};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks2;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The key slot `pass` opens, if any (checked with the core, not the CLI).
fn opens(vol: &Path, pass: &[u8]) -> Option<u32> {
    let mut dev = FileDevice::open(vol, false).unwrap();
    luks2::unlock(&mut dev, pass, None, &KdfLimits::DEFAULT)
        .ok()
        .map(|u| u.slot)
}

/// A fresh 18 MiB LUKS2 volume `v.img` (cheap Argon2id) whose slot 0 opens with `key`.
fn volume(s: &Scratch, key: &Path) -> PathBuf {
    let vol = s.path("v.img");
    run([
        "create",
        vol.to_str().unwrap(),
        "--size",
        "18M",
        "--pbkdf-memory",
        "8192",
        "--pbkdf-force-iterations",
        "2",
        "-d",
        key.to_str().unwrap(),
    ])
    .ok();
    vol
}

/// Adds `new` (a key file) to `vol`, authorised by `by`.
fn add(vol: &Path, by: &Path, new: &Path) {
    run([
        "add-key",
        vol.to_str().unwrap(),
        "-d",
        by.to_str().unwrap(),
        "--new-keyfile",
        new.to_str().unwrap(),
    ])
    .ok();
}

#[test]
fn a_locked_luks2_volume_refuses_key_changes_and_restores() {
    let s = Scratch::new();
    let k = s.file("k", b"one");
    let k2 = s.file("k2", b"two");
    let vol = volume(&s, &k);
    add(&vol, &k, &k2);
    let backup = s.path("backup");
    let (v, kk, b) = (vol.to_str().unwrap(), k.to_str().unwrap(), backup.to_str().unwrap());
    run(["header-backup", v, "--header-backup-file", b]).ok();
    // Another program holds the volume's exclusive lock (as a running key change does).
    let holder = std::fs::File::open(&vol).unwrap();
    holder.lock().unwrap();
    let k2s = k2.to_str().unwrap();
    for args in [
        &["add-key", v, "-d", kk, "--new-keyfile", k2s][..],
        &["passwd", v, "-d", kk, "--new-keyfile", k2s],
        &["kill-slot", v, "1", "-d", kk],
        &["remove-key", v, "-d", k2s],
        &["header-restore", v, "--header-backup-file", b],
    ] {
        let line = fails_without_writing(&vol, args, 5);
        assert!(line.contains("is busy"), "{args:?}: {line}");
    }
    holder.unlock().unwrap();
    assert_eq!((opens(&vol, b"one"), opens(&vol, b"two")), (Some(0), Some(1)));
}

#[test]
fn kill_slot_and_remove_key_by_passphrase_on_luks2() {
    let s = Scratch::new();
    let (k1, k2, k3) = (s.file("k1", b"one"), s.file("k2", b"two"), s.file("k3", b"three"));
    let vol = volume(&s, &k1);
    add(&vol, &k1, &k2);
    add(&vol, &k1, &k3);
    let v = vol.to_str().unwrap();
    let (p1, p2, p3) = (k1.to_str().unwrap(), k2.to_str().unwrap(), k3.to_str().unwrap());
    // kill-slot needs the passphrase of another slot: its own slot's is refused (exit 2).
    let line = fails_without_writing(&vol, &["kill-slot", v, "0", "-d", p1], 2);
    assert!(line.contains("slot 0"), "{line}");
    // An inactive slot: exit 1, nothing written.
    fails_without_writing(&vol, &["kill-slot", v, "5", "-d", p2], 1);
    run(["kill-slot", v, "0", "-d", p2]).ok();
    assert_eq!(opens(&vol, b"one"), None);
    assert_eq!(opens(&vol, b"two"), Some(1));
    // remove-key: the slot the passphrase opens.
    let out = run(["remove-key", v, "-d", p3]);
    assert!(out.ok().contains("Removed key slot 2"), "{out:?}");
    assert_eq!(opens(&vol, b"three"), None);
    // Never the last slot.
    let line = fails_without_writing(&vol, &["remove-key", v, "-d", p2], 1);
    assert!(line.contains("last"), "{line}");
    assert_eq!(opens(&vol, b"two"), Some(1));
}

#[test]
fn piped_passphrases_key_file_offsets_and_tries_on_luks2() {
    let s = Scratch::new();
    let k = s.file("k", b"one");
    let vol = volume(&s, &k);
    let v = vol.to_str().unwrap();
    // A piped passphrase: the first line.
    let out = run_with_stdin(["mount", v, "--test-passphrase"], b"one\nrest\n");
    assert!(out.ok().contains("Key slot 0"), "{out:?}");
    run_with_stdin(["mount", v, "--test-passphrase"], b"wrong\n").fails(2);
    // A key file read from an offset, with a size.
    let part = s.file("part", b"HEADERoneTRAILER");
    let p = part.to_str().unwrap();
    run([
        "mount",
        v,
        "--test-passphrase",
        "-d",
        p,
        "--keyfile-offset",
        "6",
        "-l",
        "3",
    ])
    .ok();
    run(["mount", v, "--test-passphrase", "-d", p, "--keyfile-offset", "6"]).fails(2);
    // add-key -S: the slot asked for; a slot in use is refused (nothing written).
    let k2 = s.file("k2", b"two");
    let (kk, k2s) = (k.to_str().unwrap(), k2.to_str().unwrap());
    run(["add-key", v, "-d", kk, "--new-keyfile", k2s, "-S", "3"]).ok();
    assert_eq!(opens(&vol, b"two"), Some(3));
    let line = fails_without_writing(&vol, &["add-key", v, "-d", kk, "--new-keyfile", k2s, "-S", "3"], 1);
    assert!(line.contains("slot 3"), "{line}");
    // --key-slot restricts the slots tried.
    run(["mount", v, "--test-passphrase", "-d", k.to_str().unwrap(), "-S", "0"]).ok();
    let out = run(["mount", v, "--test-passphrase", "-d", k.to_str().unwrap(), "-S", "1"]);
    assert!(out.fails(1).contains("key slot 1 is not active"), "{out:?}");
}

#[test]
fn luks2_header_backup_restore_round_trip() {
    let s = Scratch::new();
    let (k1, k2) = (s.file("k1", b"one"), s.file("k2", b"two"));
    let vol = volume(&s, &k1);
    let backup = s.path("backup");
    let (v, b) = (vol.to_str().unwrap(), backup.to_str().unwrap());
    let out = run(["header-backup", v, "--header-backup-file", b]);
    assert!(out.ok().contains("LUKS2 header area"), "{out:?}");
    // Everything before the data: both metadata copies and the key-slot area (16 MiB).
    let pristine = std::fs::read(&vol).unwrap();
    let saved = std::fs::read(&backup).unwrap();
    assert_eq!(saved.len(), 16 << 20);
    assert!(saved[..] == pristine[..16 << 20]);
    // Change the passphrase, then restore: the old one opens again, the new one does not.
    run([
        "passwd",
        v,
        "-d",
        k1.to_str().unwrap(),
        "--new-keyfile",
        k2.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(opens(&vol, b"one"), None);
    run(["header-restore", v, "--header-backup-file", b]).ok();
    assert_eq!(opens(&vol, b"one"), Some(0));
    assert_eq!(opens(&vol, b"two"), None);
    assert!(std::fs::read(&vol).unwrap() == pristine);
    // Both metadata copies destroyed: the backup still restores over them.
    let mut wiped = pristine.clone();
    wiped[..64 << 10].fill(0);
    std::fs::write(&vol, &wiped).unwrap();
    assert_eq!(opens(&vol, b"one"), None);
    run(["header-restore", v, "--header-backup-file", b]).ok();
    assert_eq!(opens(&vol, b"one"), Some(0));
    // Another volume's backup is refused without --force (nothing written).
    let other_dir = Scratch::new();
    let other = volume(&other_dir, &k1);
    let line = fails_without_writing(
        &other,
        &["header-restore", other.to_str().unwrap(), "--header-backup-file", b],
        1,
    );
    assert!(line.contains("another volume"), "{line}");
    // A truncated backup is refused (its header names an area it does not hold: exit 4).
    let short = s.file("short", &saved[..1 << 20]);
    let line = fails_without_writing(
        &vol,
        &["header-restore", v, "--header-backup-file", short.to_str().unwrap()],
        4,
    );
    assert!(line.contains("truncated"), "{line}");
}

#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn cryptsetup_reads_a_restored_luks2_header() {
    let s = Scratch::new();
    let (k1, k2) = (s.file("k1", b"one"), s.file("k2", b"two"));
    let vol = volume(&s, &k1);
    let backup = s.path("backup");
    let (v, b) = (vol.to_str().unwrap(), backup.to_str().unwrap());
    run(["header-backup", v, "--header-backup-file", b]).ok();
    run([
        "passwd",
        v,
        "-d",
        k1.to_str().unwrap(),
        "--new-keyfile",
        k2.to_str().unwrap(),
    ])
    .ok();
    run(["header-restore", v, "--header-backup-file", b]).ok();
    let dump = Command::new("cryptsetup").args(["luksDump", v]).output().unwrap();
    assert!(dump.status.success(), "{dump:?}");
    assert!(
        String::from_utf8_lossy(&dump.stdout).contains("Version:       \t2"),
        "{dump:?}"
    );
    for (key, ok) in [(&k1, true), (&k2, false)] {
        let status = Command::new("cryptsetup")
            .args(["open", "--test-passphrase", "--key-file"])
            .arg(key)
            .arg(&vol)
            .status()
            .unwrap();
        assert_eq!(status.success(), ok, "{}", key.display());
    }
    // And cryptsetup restores our backup too.
    let copy = s.file("copy.img", &std::fs::read(&vol).unwrap());
    let status = Command::new("cryptsetup")
        .args(["luksHeaderRestore", "-q", "--header-backup-file", b])
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn luks2_decrypt_to_standard_output() {
    let s = Scratch::new();
    let k = s.file("k", b"one");
    let vol = volume(&s, &k);
    let (v, kk) = (vol.to_str().unwrap(), k.to_str().unwrap());
    let file = s.path("plain.raw");
    run(["decrypt", v, file.to_str().unwrap(), "-d", kk]).ok();
    let out = Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(["decrypt", v, "-", "-d", kk])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let expected = std::fs::read(&file).unwrap();
    assert_eq!(expected.len(), 2 << 20);
    assert!(out.stdout == expected, "standard output differs from the file");
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
    // The volume itself as the output is refused (same file), even with --force.
    let line = fails_without_writing(&vol, &["decrypt", v, v, "-d", kk, "--force"], 1);
    assert!(line.contains("same file") || line.contains("is the volume"), "{line}");
}
