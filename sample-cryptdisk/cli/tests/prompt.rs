//! End to end on a real terminal: without `--key-file`, cryptdisk prompts on its controlling
//! terminal with echo off, asks twice for a new passphrase and refuses a mismatch; without a
//! terminal it says to use `--key-file`.
//!
//! The terminal is a pseudo-terminal driven by a small Python helper (python3 is installed by
//! `ci/install-test-tools.sh`): it waits for each prompt and for echo to be switched off
//! (checked with `tcgetattr` on the master side) before typing, so that "no echo" is tested
//! deterministically.
#![cfg(target_os = "linux")]
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, active_slots, opens, run};
use std::process::Command;

/// Runs cryptdisk in a pseudo-terminal (argv[2:]), types the answers (argv[1], JSON) one per
/// prompt once echo is off, prints everything the terminal showed and exits with cryptdisk's
/// exit code (99: a prompt never came).
const DRIVER: &str = r#"
import json, os, pty, select, sys, termios, time
answers = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = bytearray()
def pump(timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    out.extend(chunk)
    return True
def echo_off():
    try:
        return not (termios.tcgetattr(fd)[3] & termios.ECHO)
    except termios.error:
        return False
deadline = time.time() + 300
alive = True
for i, answer in enumerate(answers):
    while not (out.count(b"assphrase") > i and echo_off()):
        if time.time() > deadline or not alive:
            sys.stderr.write("no prompt %d; got %r\n" % (i, bytes(out)))
            sys.exit(99)
        alive = pump(0.05)
    os.write(fd, answer.encode() + b"\r")
while alive and time.time() < deadline:
    alive = pump(1.0)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(bytes(out))
sys.exit(os.waitstatus_to_exitcode(status))
"#;

fn in_terminal(answers: &[&str], args: &[&str]) -> (i32, String) {
    let answers = serde_json::to_string(answers).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(DRIVER)
        .arg(answers)
        .arg(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(args)
        .output()
        .expect("python3 is needed for the terminal tests (ci/install-test-tools.sh installs it)");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = out.status.code().expect("exit code");
    assert_ne!(code, 99, "terminal driver: {}", String::from_utf8_lossy(&out.stderr));
    (code, shown)
}

#[test]
fn new_passphrase_is_asked_twice_without_echo() {
    let s = Scratch::new();
    let vol = s.path("v.img");
    let v = vol.to_str().unwrap();
    let (code, shown) = in_terminal(
        &["typed secret", "typed secret"],
        &["create", v, "--type", "luks1", "--size", "3M", "--iter-time", ITER],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("Enter a passphrase for the new volume"), "{shown}");
    assert!(shown.contains("Verify passphrase: "), "{shown}");
    assert!(!shown.contains("typed secret"), "the passphrase was echoed: {shown}");
    assert_eq!(
        opens(&vol, b"typed secret"),
        Some(0),
        "typed passphrase (without newline) opens slot 0"
    );

    // An existing passphrase is asked once with --tries 1; wrong → exit 2.
    let out = s.path("o.raw");
    let (code, shown) = in_terminal(&["not it"], &["decrypt", v, out.to_str().unwrap(), "-T", "1"]);
    assert_eq!(code, 2, "{shown}");
    assert!(shown.contains("Enter passphrase for"), "{shown}");
    assert!(shown.contains("no key slot opened with this passphrase"), "{shown}");
    let (code, shown) = in_terminal(&["typed secret"], &["decrypt", v, out.to_str().unwrap()]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(std::fs::metadata(&out).unwrap().len(), 1 << 20);

    // add-key: existing once, new twice.
    let (code, shown) = in_terminal(
        &["typed secret", "second typed", "second typed"],
        &["add-key", v, "--iter-time", ITER],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("second typed"), "{shown}");
    assert_eq!(opens(&vol, b"second typed"), Some(1));
}

/// cryptsetup `--tries/-T`: a typed passphrase that opens nothing is asked again, up to N
/// times in all (default 3); then exit 2.
#[test]
fn tries_asks_again_for_a_typed_passphrase() {
    let s = Scratch::new();
    let key = s.file("k", b"right");
    let vol = s.create("v.img", "3M", &key, &[]);
    let v = vol.to_str().unwrap();
    let (code, shown) = in_terminal(&["wrong", "right"], &["mount", v, "--test-passphrase", "--tries", "2"]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown.matches("Enter passphrase for").count(), 2, "{shown}");
    assert!(shown.contains("Key slot 0 of"), "{shown}");
    let (code, shown) = in_terminal(&["wrong", "still wrong"], &["mount", v, "--test-passphrase", "-T", "2"]);
    assert_eq!(code, 2, "{shown}");
    assert_eq!(shown.matches("Enter passphrase for").count(), 2, "{shown}");
    // The default is 3 tries.
    let (code, shown) = in_terminal(&["a", "b", "right"], &["mount", v, "--test-passphrase"]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown.matches("Enter passphrase for").count(), 3, "{shown}");
}

/// `kill-slot` asks for the passphrase of *another* slot up to `--tries` times when it is
/// typed (the slot being removed does not count); after the last wrong one it exits 2 with the
/// volume byte for byte unchanged. LUKS1 and LUKS2.
#[test]
fn kill_slot_asks_again_for_a_typed_passphrase() {
    for format in ["luks1", "luks2"] {
        let s = Scratch::new();
        let first = s.file("first", b"first key");
        let second = s.file("second", b"second key");
        let vol = s.path("v.img");
        let v = vol.to_str().unwrap();
        let (f, k) = (first.to_str().unwrap(), second.to_str().unwrap());
        // Cheap key derivation: PBKDF2 for LUKS1, a small Argon2id for LUKS2 (whose add-key
        // takes the cost of the slot that opened).
        let (create_cost, add_cost): (&[&str], &[&str]) = if format == "luks1" {
            (&["--iter-time", ITER], &["--iter-time", ITER])
        } else {
            (&["--pbkdf-memory", "8192", "--pbkdf-force-iterations", "2"], &[])
        };
        run([
            &["create", v, "--type", format, "--size", "18M", "-d", f][..],
            create_cost,
        ]
        .concat())
        .ok();
        run([&["add-key", v, "-d", f, "--new-keyfile", k][..], add_cost].concat()).ok();
        assert_eq!(active_slots(&vol), [0, 1], "{format}");

        // Wrong twice (the second time: slot 1's own passphrase, which cannot authorise its
        // removal) with -T 2: exit 2, nothing written.
        let before = std::fs::read(&vol).unwrap();
        let (code, shown) = in_terminal(&["wrong", "second key"], &["kill-slot", v, "1", "-T", "2"]);
        assert_eq!(code, 2, "{format}: {shown}");
        assert_eq!(
            shown.matches("Enter the passphrase of another key slot").count(),
            2,
            "{format}: {shown}"
        );
        assert!(shown.contains("try again"), "{format}: {shown}");
        assert!(std::fs::read(&vol).unwrap() == before, "{format}: the volume changed");

        // Wrong, then right (default 3 tries): slot 1 removed, slot 0 named as still opening it.
        let (code, shown) = in_terminal(&["wrong", "first key"], &["kill-slot", v, "1"]);
        assert_eq!(code, 0, "{format}: {shown}");
        assert_eq!(
            shown.matches("Enter the passphrase of another key slot").count(),
            2,
            "{format}: {shown}"
        );
        assert!(
            shown.contains("Removed key slot 1 of") && shown.contains("slot 0 still opens it"),
            "{shown}"
        );
        assert_eq!(active_slots(&vol), [0], "{format}");
    }
}

#[test]
fn mismatched_new_passphrases_are_refused() {
    let s = Scratch::new();
    let vol = s.path("v.img");
    let (code, shown) = in_terminal(
        &["one", "two"],
        &["create", vol.to_str().unwrap(), "--type", "luks1", "--size", "3M"],
    );
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("cryptdisk: error: the two passphrases do not match; "),
        "{shown}"
    );
    assert!(!vol.exists());
    assert!(s.listing().is_empty(), "{:?}", s.listing());
}

#[test]
fn without_a_terminal_the_error_points_to_key_file() {
    let s = Scratch::new();
    let vol = s.path("v.img");
    // `setsid` detaches from any controlling terminal, so /dev/tty cannot be opened; an empty
    // standard input holds no passphrase line either.
    let out = Command::new("setsid")
        .arg("-w")
        .arg(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(["create", vol.to_str().unwrap(), "--type", "luks1", "--size", "3M"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid (util-linux)");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("cryptdisk: error: no passphrase on standard input"),
        "{stderr}"
    );
    assert!(stderr.contains("--key-file"), "{stderr}");
    assert!(!vol.exists());
}
