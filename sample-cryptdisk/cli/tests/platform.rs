//! End to end: `mount`, `unmount` and `list` need the sample driver (Windows); `simulate` opens
//! the volume (the passphrase → master key step) and then says it is not available yet.

mod common;

use common::{Scratch, run};

#[cfg(not(windows))]
#[test]
fn driver_commands_exit_2_off_windows_without_asking_for_a_passphrase() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let before = std::fs::read(&vol).unwrap();
    let v = vol.to_str().unwrap();
    for (args, command) in [
        (&["mount", v][..], "mount"),
        (&["mount", v, "--letter", "Z", "--read-only"], "mount"),
        // No --key-file and no terminal needed: the refusal comes before any prompt.
        (&["mount", "does-not-exist.img", "--letter", "q:"], "mount"),
        (&["unmount", "Z"], "unmount"),
        (&["unmount", "z:"], "unmount"),
        (&["list"], "list"),
    ] {
        let out = run(args);
        let line = out.fails(2);
        assert!(
            line.contains(&format!("'{command}' needs the sample cryptdisk driver")),
            "{line}"
        );
        assert!(line.contains("Windows"), "{line}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    assert!(std::fs::read(&vol).unwrap() == before);
}

#[cfg(windows)]
#[test]
fn driver_commands_stop_at_the_unwired_control_protocol() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
    for args in [
        &["mount", v, "--letter", "Z", "--key-file", k][..],
        &["unmount", "Z"],
        &["list"],
    ] {
        let line = run(args).fails(2).to_owned();
        assert!(
            line.contains("the driver control protocol is not wired yet"),
            "{args:?}: {line}"
        );
    }
}

#[test]
fn drive_letters_are_validated() {
    for args in [
        &["mount", "v.img", "--letter", "ZZ"][..],
        &["unmount", "1"],
        &["simulate", "v.img", "--letter", "é"],
    ] {
        let out = run(args);
        assert!(out.fails(2).contains("not a drive letter"), "{out:?}");
    }
}

#[test]
fn simulate_unlocks_then_reports_what_is_missing() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let before = std::fs::read(&vol).unwrap();
    let uuid = common::info_json(&vol)["uuid"].as_str().unwrap().to_owned();

    let out = run([
        "simulate",
        vol.to_str().unwrap(),
        "--letter",
        "x",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    let line = out.fails(2);
    assert!(line.contains("'simulate' is not available yet"), "{line}");
    // The passphrase step ran: the volume was opened with slot 0 and its name derived.
    assert!(out.stdout.contains("with key slot 0"), "{out:?}");
    assert!(out.stdout.contains(&format!("\\??\\Volume{{{uuid}}}")), "{out:?}");
    assert!(out.stdout.contains("drive letter X: requested"), "{out:?}");
    // No invented trace.
    assert!(!out.stdout.contains("IOCTL"), "{out:?}");
    assert!(std::fs::read(&vol).unwrap() == before);
}
