//! End to end: `mount`, `unmount` and `list` need the sample driver (Windows); `simulate` opens
//! the volume and mounts it in the simulated mount manager.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, run};

#[cfg(not(windows))]
#[test]
fn driver_commands_exit_1_off_windows_without_asking_for_a_passphrase() {
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
        let line = out.fails(1);
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
fn driver_commands_say_when_the_driver_is_not_running_before_any_prompt() {
    // A Windows machine without the sample driver (CI runners): every command stops at the
    // control device, before the passphrase, with exit code 2.
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "3M", &key, &[]);
    let v = vol.to_str().unwrap();
    for args in [&["mount", v, "--letter", "Z"][..], &["unmount", "Z"], &["list"]] {
        let line = run(args).fails(2).to_owned();
        assert!(line.contains("the cryptdisk driver is not running"), "{args:?}: {line}");
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
        assert!(out.fails(1).contains("not a drive letter"), "{out:?}");
    }
}

#[test]
fn simulate_mounts_in_the_simulator_and_leaves_the_database_clean() {
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
    let stdout = out.ok();
    assert!(stdout.contains("with key slot 0"), "{out:?}");
    // The trace: CREATE_POINT before the arrival, the 4-byte probes, the verification.
    let create = stdout
        .find("IOCTL_MOUNTMGR_CREATE_POINT")
        .expect("CREATE_POINT in the trace");
    let arrival = stdout
        .find("IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION")
        .expect("arrival in the trace");
    assert!(create < arrival, "{stdout}");
    assert!(
        stdout.contains("IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=4  ← STATUS_BUFFER_OVERFLOW"),
        "{stdout}"
    );
    assert!(stdout.contains("IOCTL_MOUNTMGR_DELETE_POINTS"), "{stdout}");
    // The resulting names.
    assert!(stdout.contains("Drive letter:  X:\n"), "{stdout}");
    assert!(
        stdout.contains(&format!("Volume name:   \\??\\Volume{{{uuid}}}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "X:\\ -> \\\\?\\Volume{{{uuid}}}\\ -> \\Device\\CryptDiskVolume1"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("Findings:      none"), "{stdout}");
    assert!(
        stdout.contains("MountedDevices drive letters left after unmount: 0 (clean"),
        "{stdout}"
    );
    // Nothing was written to the volume.
    assert!(std::fs::read(&vol).unwrap() == before);

    // A wrong passphrase stops before anything is simulated.
    let bad = s.file("bad", b"nope");
    let out = run(["simulate", vol.to_str().unwrap(), "--key-file", bad.to_str().unwrap()]);
    assert!(out.fails(2).contains("no key slot opened"), "{out:?}");
    assert!(!out.stdout.contains("IOCTL"), "{out:?}");
}
