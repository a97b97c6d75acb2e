//! cryptdisk and cryptsetup side by side on the same volume files: the same flags and piped
//! passphrases open the same slots with the same exit codes, slots added or removed by one are
//! seen by the other, and header backups are interchangeable. Needs cryptsetup (run
//! `ci/test-all.sh`).
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, active_slots, opens, run, run_with_stdin, test_passphrase};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs cryptsetup with `args` and `stdin`; its exit code.
fn cryptsetup(args: &[&str], stdin: &[u8]) -> i32 {
    let mut child = Command::new("cryptsetup")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cryptsetup");
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    out.status.code().expect("cryptsetup exit code")
}

/// The exit code of `cryptdisk mount VOLUME --test-passphrase ARGS` with `stdin`.
fn cryptdisk_test(volume: &Path, args: &[&str], stdin: &[u8]) -> i32 {
    test_passphrase(volume, args, stdin).code
}

/// The exit code of `cryptsetup open --test-passphrase VOLUME ARGS` with `stdin`.
fn cryptsetup_test(volume: &Path, args: &[&str], stdin: &[u8]) -> i32 {
    let mut all = vec!["open", "--test-passphrase", volume.to_str().unwrap()];
    all.extend_from_slice(args);
    cryptsetup(&all, stdin)
}

#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn same_flags_same_answers_as_cryptsetup() {
    let s = Scratch::new();
    let (vol, key) = s.volume_keyed_by_part_of_a_file();
    let k = key.to_str().unwrap();
    let piped = b"secret-part\nrest\n";
    for (args, stdin, expected) in [
        // piped passphrase: the first line
        (&[][..], &piped[..], 0),
        (&[], b"secret-part \n", 2),
        // --key-file/-d, --keyfile-size/-l, --keyfile-offset
        (&["-d", k, "--keyfile-offset", "6", "-l", "11"], b"", 0),
        (
            &["--key-file", k, "--keyfile-offset", "6", "--keyfile-size", "11"],
            b"",
            0,
        ),
        (&["-d", k], b"", 2),
        (
            &["-d", "-", "--keyfile-offset", "6", "-l", "11"],
            b"HEADERsecret-partTRAILER",
            0,
        ),
        // --key-slot/-S: only that slot
        (&["-d", k, "--keyfile-offset", "6", "-l", "11", "-S", "0"], b"", 0),
        (&["-d", k, "--keyfile-offset", "6", "-l", "11", "-S", "1"], b"", 1),
        // --tries/-T (no effect on piped passphrases)
        (&["-T", "1"], &piped[..], 0),
    ] {
        let ours = cryptdisk_test(&vol, args, stdin);
        let theirs = cryptsetup_test(&vol, args, stdin);
        assert_eq!((ours, theirs), (expected, expected), "{args:?} with {stdin:?}");
    }
    // A missing volume: wrong device, 4, for both.
    let missing = s.path("missing.img");
    assert_eq!(cryptdisk_test(&missing, &[], piped), 4);
    assert_eq!(cryptsetup_test(&missing, &[], piped), 4);
}

#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn key_slots_changed_by_one_tool_are_seen_by_the_other() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"alpha", b"..bravo");
    let (v, ka, kb) = (vol.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap());
    // cryptsetup luksAddKey -S 4 --new-keyfile-offset ↔ cryptdisk add-key -S 4 --new-keyfile-offset
    let code = cryptsetup(
        &[
            "luksAddKey",
            "-q",
            "--iter-time",
            ITER,
            "-d",
            ka,
            "--new-keyfile",
            kb,
            "--new-keyfile-offset",
            "2",
            "-S",
            "4",
            v,
        ],
        b"",
    );
    assert_eq!(code, 0);
    assert_eq!(opens(&vol, b"bravo"), Some(4));
    run([
        "add-key",
        v,
        "-d",
        ka,
        "--new-keyfile",
        kb,
        "--new-keyfile-offset",
        "2",
        "-S",
        "6",
        "-i",
        ITER,
    ])
    .ok();
    assert_eq!(
        cryptsetup_test(&vol, &["-d", kb, "--keyfile-offset", "2", "-S", "6"], b""),
        0
    );
    // luksKillSlot ↔ kill-slot; luksRemoveKey ↔ remove-key.
    run(["kill-slot", v, "4", "-d", ka]).ok();
    assert_eq!(
        cryptsetup_test(&vol, &["-S", "4"], b"bravo\n"),
        1,
        "slot 4 still active for cryptsetup"
    );
    assert_eq!(cryptsetup(&["luksKillSlot", "-q", v, "6"], b""), 0);
    assert_eq!(active_slots(&vol), [0]);
    run_with_stdin(["add-key", v, "-i", ITER], b"alpha\ncharlie\n").ok();
    assert_eq!(cryptsetup(&["luksRemoveKey", "-q", v], b"charlie\n"), 0);
    assert_eq!(active_slots(&vol), [0]);
    // luksChangeKey ↔ passwd: piped old and new passphrases, one line each.
    run_with_stdin(["passwd", v, "-i", ITER], b"alpha\ndelta\n").ok();
    assert_eq!(cryptsetup_test(&vol, &[], b"delta\n"), 0);
    assert_eq!(cryptsetup_test(&vol, &[], b"alpha\n"), 2);
}

#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn header_backups_are_interchangeable_with_cryptsetup() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"old", b"new");
    let (v, ka, kb) = (vol.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap());
    let theirs = s.path("theirs.header");
    let ours = s.path("ours.header");
    assert_eq!(
        cryptsetup(
            &["luksHeaderBackup", v, "--header-backup-file", theirs.to_str().unwrap()],
            b""
        ),
        0
    );
    run(["header-backup", v, "--header-backup-file", ours.to_str().unwrap()]).ok();
    // cryptsetup's backup ends with the key material (rounded to a page); ours is the whole
    // header area up to the data; both start with the same bytes.
    let (t, o) = (std::fs::read(&theirs).unwrap(), std::fs::read(&ours).unwrap());
    assert!(
        o.len() >= t.len() && o[..t.len()] == t[..],
        "{} vs {} bytes",
        o.len(),
        t.len()
    );

    // cryptsetup's backup restored by cryptdisk, ours by cryptsetup.
    run(["passwd", v, "-d", ka, "--new-keyfile", kb, "-i", ITER]).ok();
    run(["header-restore", v, "--header-backup-file", theirs.to_str().unwrap()]).ok();
    assert_eq!((opens(&vol, b"old"), opens(&vol, b"new")), (Some(0), None));
    run(["passwd", v, "-d", ka, "--new-keyfile", kb, "-i", ITER]).ok();
    assert_eq!(
        cryptsetup(
            &[
                "luksHeaderRestore",
                "-q",
                v,
                "--header-backup-file",
                ours.to_str().unwrap()
            ],
            b""
        ),
        0
    );
    assert_eq!((opens(&vol, b"old"), opens(&vol, b"new")), (Some(0), None));
}
