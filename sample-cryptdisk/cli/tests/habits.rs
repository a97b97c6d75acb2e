//! End to end: cryptdisk's cryptsetup habits, one test per row of the table in the CLI's
//! README (`sample-cryptdisk/cli/README.md`; [`readme_table_names_only_tests_that_exist`]
//! keeps the two in step). The comparisons with cryptsetup itself are in `habits_cryptsetup.rs`.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, active_slots, opens, pattern, run, run_with_stdin, test_passphrase};
use std::path::Path;

#[test]
fn piped_passphrase_is_the_first_line() {
    let s = Scratch::new();
    let vol = s.path("v.img");
    let v = vol.to_str().unwrap();
    // A new volume's passphrase: one line, asked once (no verification), newline not included.
    run_with_stdin(
        ["create", v, "--type", "luks1", "--size", "3M", "-i", ITER],
        b"piped pw\n",
    )
    .ok();
    assert_eq!(opens(&vol, b"piped pw"), Some(0));
    // Only the first line counts.
    assert!(
        test_passphrase(&vol, &[], b"piped pw\nanything else\n")
            .ok()
            .contains("Key slot 0")
    );
    assert!(test_passphrase(&vol, &[], b"piped pw").ok().contains("Key slot 0"));
    let wrong = test_passphrase(&vol, &[], b"piped pw \n");
    assert!(wrong.fails(2).contains("no key slot opened"), "{wrong:?}");
    // add-key: the existing passphrase, then the new one, one line each.
    run_with_stdin(["add-key", v, "-i", ITER], b"piped pw\nsecond\n").ok();
    assert_eq!(opens(&vol, b"second"), Some(1));
    // passwd likewise.
    run_with_stdin(["passwd", v, "-i", ITER], b"second\nthird\n").ok();
    assert_eq!((opens(&vol, b"second"), opens(&vol, b"third")), (None, Some(2)));
    // Nothing piped: a clear error, nothing written.
    let before = std::fs::read(&vol).unwrap();
    let out = run(["add-key", v, "-i", ITER]);
    assert!(out.fails(1).contains("no passphrase on standard input"), "{out:?}");
    assert!(std::fs::read(&vol).unwrap() == before);
}

#[test]
fn key_file_short_flag() {
    let s = Scratch::new();
    let key = s.file("k", b"exact bytes\n");
    let vol = s.path("v.img");
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    run(["create", v, "--type", "luks1", "--size", "3M", "-i", ITER, "-d", k]).ok();
    assert_eq!(opens(&vol, b"exact bytes\n"), Some(0));
    test_passphrase(&vol, &["-d", k], b"").ok();
    test_passphrase(&vol, &["--key-file", "-"], b"exact bytes\n").ok();
    test_passphrase(&vol, &["-d", "-"], b"exact bytes").fails(2);
}

#[test]
fn keyfile_size_and_offset() {
    let s = Scratch::new();
    let (vol, key) = s.volume_keyed_by_part_of_a_file();
    let k = key.to_str().unwrap();
    assert_eq!(opens(&vol, b"secret-part"), Some(0));
    test_passphrase(&vol, &["-d", k, "--keyfile-offset", "6", "--keyfile-size", "11"], b"").ok();
    test_passphrase(&vol, &["-d", k, "--keyfile-offset", "6"], b"").fails(2);
    // Through standard input too (the offset is read past).
    test_passphrase(
        &vol,
        &["-d", "-", "--keyfile-offset", "6", "-l", "11"],
        b"HEADERsecret-partTRAILER",
    )
    .ok();
    // A file shorter than offset + size: a clear error.
    let out = test_passphrase(&vol, &["-d", k, "--keyfile-offset", "20", "-l", "11"], b"");
    assert!(
        out.fails(1)
            .contains("shorter than --keyfile-offset plus --keyfile-size (31 bytes)"),
        "{out:?}"
    );
    // The sizes need a key file, and are bounded.
    test_passphrase(&vol, &["-l", "11"], b"").fails(1);
    test_passphrase(&vol, &["-d", k, "-l", "0"], b"").fails(1);
    test_passphrase(&vol, &["-d", k, "-l", "8388609"], b"").fails(1);
}

#[test]
fn new_keyfile_names_the_new_passphrase() {
    let s = Scratch::new();
    let key = s.file("k", b"one");
    let two = s.file("two", b"..two..");
    let three = s.file("three", b"three");
    let vol = s.create("v.img", "3M", &key, &[]);
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    let t = two.to_str().unwrap();
    run([
        "add-key",
        v,
        "-d",
        k,
        "--new-keyfile",
        t,
        "--new-keyfile-offset",
        "2",
        "--new-keyfile-size",
        "3",
        "-i",
        ITER,
    ])
    .ok();
    assert_eq!(opens(&vol, b"two"), Some(1));
    // The old spelling stays an alias.
    run([
        "add-key",
        v,
        "-d",
        k,
        "--new-key-file",
        three.to_str().unwrap(),
        "-i",
        ITER,
    ])
    .ok();
    assert_eq!(opens(&vol, b"three"), Some(2));
}

#[test]
fn key_slot_choice() {
    let s = Scratch::new();
    let key = s.file("k", b"zero");
    let five = s.file("five", b"five");
    let vol = s.create("v.img", "3M", &key, &[]);
    let (v, k, f) = (vol.to_str().unwrap(), key.to_str().unwrap(), five.to_str().unwrap());
    run(["add-key", v, "-d", k, "--new-keyfile", f, "-S", "5", "-i", ITER]).ok();
    assert_eq!(active_slots(&vol), [0, 5]);
    assert_eq!(opens(&vol, b"five"), Some(5));
    // A slot in use is refused before anything is written.
    let before = std::fs::read(&vol).unwrap();
    let out = run(["add-key", v, "-d", k, "--new-keyfile", f, "--key-slot", "0", "-i", ITER]);
    assert!(out.fails(1).contains("key slot 0 of"), "{out:?}");
    assert!(std::fs::read(&vol).unwrap() == before);
    run(["add-key", v, "-d", k, "--new-keyfile", f, "-S", "8"]).fails(1);
    // Opening with -S tries that slot only.
    assert!(
        test_passphrase(&vol, &["-d", f, "-S", "5"], b"")
            .ok()
            .contains("Key slot 5")
    );
    test_passphrase(&vol, &["-d", f, "-S", "0"], b"").fails(2);
    let out = s.path("o.raw");
    run(["decrypt", v, out.to_str().unwrap(), "-d", f, "--key-slot", "0"]).fails(2);
    run(["decrypt", v, out.to_str().unwrap(), "-d", f, "--key-slot", "5"]).ok();
}

#[test]
fn remove_key_by_passphrase() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"alpha", b"bravo");
    let (v, ka, kb) = (vol.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap());
    run(["add-key", v, "-d", ka, "--new-keyfile", kb, "-i", ITER]).ok();
    let out = run(["remove-key", v, "-d", kb]);
    assert!(out.ok().contains("Removed key slot 1"), "{out:?}");
    assert_eq!(active_slots(&vol), [0]);
    assert_eq!(opens(&vol, b"bravo"), None);
    // The last passphrase is never removed; a wrong one writes nothing.
    let before = std::fs::read(&vol).unwrap();
    assert!(run(["remove-key", v, "-d", ka]).fails(1).contains("last working key"));
    run(["remove-key", v, "-d", kb]).fails(2);
    assert!(std::fs::read(&vol).unwrap() == before);
}

#[test]
fn kill_slot_by_number() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"alpha", b"bravo");
    let (v, ka, kb) = (vol.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap());
    for _ in 0..2 {
        run(["add-key", v, "-d", ka, "--new-keyfile", kb, "-i", ITER]).ok();
    }
    assert_eq!(active_slots(&vol), [0, 1, 2]);
    // Authorised by another slot's passphrase (slot 2 also opens with bravo).
    assert!(
        run(["kill-slot", v, "1", "-d", kb])
            .ok()
            .contains("slot 2 still opens it")
    );
    // A passphrase that opens only the slot being removed does not authorise it.
    run(["kill-slot", v, "0", "-d", kb]).ok();
    assert_eq!(active_slots(&vol), [2]);
    assert!(
        run(["kill-slot", v, "2", "-d", kb])
            .fails(1)
            .contains("last working key")
    );
    run(["add-key", v, "-d", kb, "--new-keyfile", ka, "-i", ITER]).ok();
    let line = run(["remove-key", v, "-S", "2", "-d", kb]).fails(2).to_owned();
    assert!(line.contains("opens only key slot 2"), "{line}");
    // remove-key -S N is kill-slot N.
    run(["remove-key", v, "-S", "2", "-d", ka]).ok();
    assert_eq!(active_slots(&vol), [0]);
}

#[test]
fn change_key() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"old", b"new");
    run([
        "passwd",
        vol.to_str().unwrap(),
        "-d",
        a.to_str().unwrap(),
        "--new-keyfile",
        b.to_str().unwrap(),
        "-i",
        ITER,
    ])
    .ok();
    assert_eq!((opens(&vol, b"old"), opens(&vol, b"new")), (None, Some(1)));
}

#[test]
fn test_passphrase_writes_nothing_and_mounts_nothing() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let wrong = s.file("w", b"nope");
    let vol = s.create("v.img", "3M", &key, &[]);
    let before = std::fs::read(&vol).unwrap();
    for command in ["mount", "open"] {
        let out = run([
            command,
            vol.to_str().unwrap(),
            "--test-passphrase",
            "-d",
            key.to_str().unwrap(),
        ]);
        assert!(out.ok().contains("Key slot 0 of"), "{out:?}");
        let out = run([
            command,
            vol.to_str().unwrap(),
            "--test-passphrase",
            "-d",
            wrong.to_str().unwrap(),
        ]);
        assert!(out.fails(2).contains("no key slot opened"), "{out:?}");
    }
    assert!(std::fs::read(&vol).unwrap() == before);
}

#[test]
fn header_backup_and_restore() {
    let s = Scratch::new();
    let (vol, a, b) = s.volume_with_two_keys(b"old", b"new");
    let backup = s.path("v.header");
    let (v, ka, kb, hb) = (
        vol.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        backup.to_str().unwrap(),
    );
    run(["header-backup", v, "--header-backup-file", hb]).ok();
    let header_area = std::fs::read(&vol).unwrap()[..2 << 20].to_vec();
    assert!(
        std::fs::read(&backup).unwrap() == header_area,
        "the backup is the whole header area"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(
        run(["header-backup", v, "--header-backup-file", "-"])
            .fails(1)
            .contains("standard output")
    );
    // A backup is never overwritten (exit 5, as cryptsetup: it exists).
    assert!(
        run(["header-backup", v, "--header-backup-file", hb])
            .fails(5)
            .contains("already exists")
    );

    // Change the passphrase, then restore: the old one opens again, the new one does not.
    run(["passwd", v, "-d", ka, "--new-keyfile", kb, "-i", ITER]).ok();
    assert_eq!(opens(&vol, b"old"), None);
    run(["header-restore", v, "--header-backup-file", hb]).ok();
    assert_eq!((opens(&vol, b"old"), opens(&vol, b"new")), (Some(0), None));

    // A damaged header is restored over.
    let mut bytes = std::fs::read(&vol).unwrap();
    bytes[..512].fill(0);
    std::fs::write(&vol, &bytes).unwrap();
    run(["info", v]).fails(4);
    run(["header-restore", v, "--header-backup-file", hb]).ok();
    assert_eq!(opens(&vol, b"old"), Some(0));

    // Another volume of the same layout: refused unless --force.
    let other = s.create("other.img", "3M", &b, &[]);
    let o = other.to_str().unwrap();
    let before = std::fs::read(&other).unwrap();
    let line = run(["header-restore", o, "--header-backup-file", hb])
        .fails(1)
        .to_owned();
    assert!(line.contains("another volume") && line.contains("--force"), "{line}");
    assert!(std::fs::read(&other).unwrap() == before);
    run(["header-restore", o, "--header-backup-file", hb, "--force"]).ok();
    assert_eq!(opens(&other, b"old"), Some(0));

    // Another size class (a 256-bit key): refused even with --force.
    let small = s.create("small.img", "3M", &b, &["--key-size", "256"]);
    let before = std::fs::read(&small).unwrap();
    let line = run([
        "header-restore",
        small.to_str().unwrap(),
        "--header-backup-file",
        hb,
        "--force",
    ])
    .fails(1)
    .to_owned();
    assert!(line.contains("data offset or key size differ"), "{line}");
    // A volume too small for the header area, and a truncated backup: refused.
    let tiny = s.file("tiny.img", &vec![0u8; 1 << 20]);
    run(["header-restore", tiny.to_str().unwrap(), "--header-backup-file", hb]).fails(1);
    let cut = s.file("cut.header", &header_area[..1 << 20]);
    let line = run([
        "header-restore",
        small.to_str().unwrap(),
        "--header-backup-file",
        cut.to_str().unwrap(),
    ])
    .fails(1)
    .to_owned();
    assert!(line.contains("truncated"), "{line}");
    assert!(std::fs::read(&small).unwrap() == before);
}

#[test]
fn exit_codes_are_cryptsetups() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let wrong = s.file("w", b"wrong");
    let vol = s.create("v.img", "3M", &key, &[]);
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    // 1: wrong parameters.
    run(["add-key", v, "--no-such-flag"]).fails(1);
    // 2: wrong passphrase.
    run(["mount", v, "--test-passphrase", "-d", wrong.to_str().unwrap()]).fails(2);
    // 4: wrong device (missing, not LUKS).
    run(["info", s.path("missing.img").to_str().unwrap()]).fails(4);
    run(["info", s.file("zeros.img", &[0u8; 4096]).to_str().unwrap()]).fails(4);
    // 5: busy (another process holds the volume's lock), and an output that exists.
    let holder = std::fs::OpenOptions::new().read(true).write(true).open(&vol).unwrap();
    holder.lock().unwrap();
    let out = run(["add-key", v, "-d", k, "--new-keyfile", k, "-i", ITER]);
    assert!(out.fails(5).contains("is busy"), "{out:?}");
    run(["mount", v, "--test-passphrase", "-d", k]).fails(5);
    drop(holder);
    run(["mount", v, "--test-passphrase", "-d", k]).ok();
    run(["decrypt", v, k, "-d", k]).fails(5);
    // The codes are documented in --help.
    let help = run(["--help"]);
    for line in [
        "1 wrong parameters",
        "2 no\npermission",
        "3 out of memory",
        "4 wrong device",
        "5 device busy",
    ] {
        assert!(
            help.ok().replace('\n', " ").contains(&line.replace('\n', " ")),
            "{line}: {help:?}"
        );
    }
}

/// 3: out of memory. The conversion buffer is reserved fallibly: under an address-space
/// limit too small for it, decrypt stops with exit 3 and leaves no output.
#[cfg(target_os = "linux")]
#[test]
fn out_of_memory_exits_3() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let out = s.path("o.raw");
    // Find a limit the binary starts under (`--version`) but where the 4 MiB buffer fails.
    let bin = env!("CARGO_BIN_EXE_cryptdisk");
    let mut seen = Vec::new();
    for mib in 8..=128u64 {
        let limit = mib << 20;
        let run = |args: &[&str]| {
            std::process::Command::new("prlimit")
                .arg(format!("--as={limit}"))
                .arg(bin)
                .args(args)
                .output()
                .expect("prlimit (util-linux)")
        };
        if !run(&["--version"]).status.success() {
            continue;
        }
        let r = run(&[
            "decrypt",
            vol.to_str().unwrap(),
            out.to_str().unwrap(),
            "-d",
            key.to_str().unwrap(),
        ]);
        seen.push((mib, r.status.code()));
        if r.status.code() == Some(3) {
            let stderr = String::from_utf8_lossy(&r.stderr);
            assert!(stderr.contains("not enough memory"), "{stderr}");
            assert!(!out.exists());
            assert_eq!(s.listing(), ["k", "v.img"]);
            return;
        }
        if r.status.success() {
            break;
        }
    }
    panic!("no address-space limit gave exit 3: {seen:?}");
}

#[test]
fn dash_is_standard_input_and_output() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let data = pattern(1_000_003, 7);
    let vol = s.path("v.img");
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    run_with_stdin(["encrypt", "--type", "luks1", "-", v, "-i", ITER, "-d", k], &data).ok();
    assert_eq!(std::fs::metadata(&vol).unwrap().len(), (2 << 20) + 1_000_448);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(["decrypt", v, "-", "-d", k])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout == data, "decrypt - gave other bytes");
    assert!(String::from_utf8_lossy(&out.stderr).contains("into standard output"));
    assert!(!s.path("-").exists());
    // A volume is never '-'; '-' is read once.
    assert!(
        run(["create", "-", "--size", "3M", "-d", k])
            .fails(1)
            .contains("cannot be a volume")
    );
    assert!(run(["info", "-"]).fails(1).contains("cannot be a volume"));
    run_with_stdin(
        [
            "encrypt",
            "--type",
            "luks1",
            "-",
            s.path("w.img").to_str().unwrap(),
            "-d",
            "-",
        ],
        b"x",
    )
    .fails(1);
    assert!(!s.path("w.img").exists());
    run_with_stdin(
        [
            "encrypt",
            "--type",
            "luks1",
            "-",
            s.path("e.img").to_str().unwrap(),
            "-d",
            k,
        ],
        b"",
    )
    .fails(1);
    assert_eq!(s.listing(), ["k", "v.img"]);
}

#[test]
fn output_is_never_the_input() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    let before = std::fs::read(&vol).unwrap();
    let hard = s.path("hard.img");
    std::fs::hard_link(&vol, &hard).unwrap();
    #[cfg_attr(not(unix), expect(unused_mut, reason = "the symbolic link case is Unix only"))]
    let mut cases = vec![
        vec!["decrypt", v, v, "-d", k, "--force"],
        vec!["decrypt", v, hard.to_str().unwrap(), "-d", k, "--force"],
    ];
    #[cfg(unix)]
    let link = s.path("link.img");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&vol, &link).unwrap();
        cases.push(vec!["decrypt", link.to_str().unwrap(), v, "-d", k, "--force"]);
    }
    for args in cases {
        let out = run(&args);
        assert!(out.fails(1).contains("is the input"), "{args:?}: {out:?}");
    }
    let raw = s.file("raw.img", &pattern(4096, 1));
    let r = raw.to_str().unwrap();
    run(["encrypt", "--type", "luks1", r, r, "-d", k, "-i", ITER, "--force"]).fails(1);
    assert_eq!(std::fs::read(&raw).unwrap(), pattern(4096, 1));
    // Standard output redirected onto the volume itself.
    let sink = std::fs::OpenOptions::new().append(true).open(&vol).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(["decrypt", v, "-", "-d", k])
        .stdout(sink)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(std::fs::read(&vol).unwrap() == before, "the volume changed");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(["completions", shell]);
        assert!(script.ok().contains("kill-slot"), "{shell}");
    }
    run(["completions", "tcsh"]).fails(1);
    let page = run(["man"]);
    assert!(page.ok().contains(".TH cryptdisk 1"), "{page:?}");
    let page = run(["man", "header-restore"]);
    assert!(page.ok().contains("header\\-backup\\-file"), "{page:?}");
    run(["man", "nope"]).fails(1);
}

#[test]
fn short_flags() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.path("v.img");
    let v = vol.to_str().unwrap();
    let k = key.to_str().unwrap();
    run([
        "create", v, "--type", "luks1", "--size", "3M", "-s", "256", "-i", ITER, "-d", k,
    ])
    .ok();
    let info = common::info_json(&vol);
    assert_eq!(info["key_size_bits"], 256, "{info}");
    run([
        "add-key",
        v,
        "-d",
        k,
        "--new-keyfile",
        k,
        "-S",
        "3",
        "-i",
        ITER,
        "-T",
        "1",
    ])
    .ok();
    run(["mount", v, "--test-passphrase", "-d", k, "-S", "3", "-T", "1", "-r"]).ok();
}

/// Tries `args` against a volume created with `--iter-time` `slow`, started first, and checks
/// that a second key change while the first one runs is refused (exit 5, nothing written by
/// it) and the first one completes intact.
#[test]
fn two_key_changes_at_once_one_is_refused() {
    let s = Scratch::new();
    let old = s.file("old", b"old");
    let new = s.file("new", b"new");
    let other = s.file("other", b"other");
    let vol = s.create("v.img", "3M", &old, &[]);
    let v = vol.to_str().unwrap();
    // The first key change holds the lock through a long PBKDF2 calibration and sealing.
    let first = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args([
            "passwd",
            v,
            "-d",
            old.to_str().unwrap(),
            "--new-keyfile",
            new.to_str().unwrap(),
            "-i",
            "3000",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it holds the volume's lock (a shared lock is then refused).
    let probe = std::fs::File::open(&vol).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        match probe.try_lock_shared() {
            Ok(()) => probe.unlock().unwrap(),
            Err(std::fs::TryLockError::WouldBlock) => break,
            Err(e) => panic!("{e}"),
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the first key change never locked the volume"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // The second key change at the same time: refused at once, before any passphrase.
    let (o, x) = (old.to_str().unwrap(), other.to_str().unwrap());
    let change = |command| vec![command, v, "-d", o, "--new-keyfile", x, "-i", ITER];
    for args in [change("add-key"), change("passwd"), vec!["kill-slot", v, "0", "-d", o]] {
        let out = run(&args);
        assert!(out.fails(5).contains("is busy"), "{args:?}: {out:?}");
    }
    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "the first key change failed: {out:?}");
    // The first change is intact: the new passphrase opens, the old one and the refused
    // change's passphrase do not.
    assert_eq!(opens(&vol, b"new"), Some(1));
    assert_eq!((opens(&vol, b"old"), opens(&vol, b"other")), (None, None));
    assert_eq!(active_slots(&vol), [1]);
}

/// Ctrl-C during decrypt: the partial plaintext is removed, nothing is left (issue 15, L4).
#[cfg(unix)]
#[test]
fn ctrl_c_removes_the_partial_output() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    // A large, sparse volume: decrypting it takes seconds.
    let vol = s.create("v.img", "2G", &key, &[]);
    let out = s.path("plain.raw");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args([
            "decrypt",
            vol.to_str().unwrap(),
            out.to_str().unwrap(),
            "-d",
            key.to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the partial file to have some plaintext in it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let part = s
            .listing()
            .into_iter()
            .find(|n| n.starts_with(".cryptdisk-") && n.ends_with(".part"));
        if let Some(part) = part
            && std::fs::metadata(s.path(&part)).map(|m| m.len()).unwrap_or(0) > 0
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no partial output appeared");
        assert!(
            child.try_wait().unwrap().is_none(),
            "decrypt ended before it could be interrupted"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.code(), Some(130), "{result:?}");
    assert_eq!(s.listing(), ["k", "v.img"], "a partial output was left");
}

/// Every row of the README's table names a test that exists in this crate (`tests/` or a
/// unit test in `src/`).
#[test]
fn readme_table_names_only_tests_that_exist() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    fn sources(dir: &Path, into: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut sources_text = String::new();
    sources(&dir.join("tests"), &mut sources_text);
    sources(&dir.join("src"), &mut sources_text);
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| cryptsetup"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(rows.len() >= 20, "the table is missing or short: {} rows", rows.len());
    for row in rows {
        let test = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        let names: Vec<&str> = test
            .split(',')
            .map(|t| t.trim().trim_matches('`'))
            .filter(|t| !t.is_empty())
            .collect();
        assert!(!names.is_empty(), "row without a test: {row}");
        for name in names {
            let name = name.rsplit("::").next().unwrap();
            assert!(
                sources_text.contains(&format!("fn {name}(")),
                "row names a missing test {name}: {row}"
            );
        }
    }
}
