//! End to end: `encrypt` / `decrypt` round trips (sizes that are not a multiple of 512 too, and
//! sizes that cross the 4 MiB streaming chunk), the ciphertext on disk checked with the core,
//! `--full`, and refusing to overwrite outputs.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, info_json, pattern, run, run_with_stdin, unlock};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::volume::Volume;

/// Encrypts `data` into a new volume and decrypts it back; returns (volume bytes, output).
fn round_trip(s: &Scratch, name: &str, data: &[u8], key: &std::path::Path) -> (std::path::PathBuf, Vec<u8>) {
    let raw = s.file(&format!("{name}.raw"), data);
    let vol = s.path(&format!("{name}.img"));
    let out = s.path(&format!("{name}.out"));
    let enc = run([
        "encrypt",
        "--type",
        "luks1",
        raw.to_str().unwrap(),
        vol.to_str().unwrap(),
        "--iter-time",
        ITER,
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(enc.ok().contains(&format!("({} bytes)", data.len())), "{enc:?}");
    let dec = run([
        "decrypt",
        vol.to_str().unwrap(),
        out.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(dec.ok().contains(&format!("({} bytes)", data.len())), "{dec:?}");
    (vol, std::fs::read(&out).unwrap())
}

#[test]
fn round_trips_are_byte_identical_for_any_length() {
    let s = Scratch::new();
    let key = s.file("k", b"round trip\n");
    for (i, len) in [1usize, 100, 511, 512, 513, 4096 + 17, 3 * 4096]
        .into_iter()
        .enumerate()
    {
        let data = pattern(len, u32::try_from(i).unwrap());
        let (vol, back) = round_trip(&s, &format!("r{len}"), &data, &key);
        assert!(back == data, "length {len}: round trip differs");

        // The volume is sized to the input rounded up to 512, plus the 2 MiB header.
        let sectors = len.div_ceil(512);
        assert_eq!(std::fs::metadata(&vol).unwrap().len(), (4096 + sectors as u64) * 512);
        let json = info_json(&vol);
        assert_eq!(json["data_sectors"], sectors);
        assert_eq!(json["original_length_bytes"], len);

        // The core reads the same plaintext (zero padding after it), and the file holds
        // ciphertext, not the plaintext.
        let opened = unlock(&vol, b"round trip\n").unwrap();
        let dev = FileDevice::open(&vol, false).unwrap();
        let mut volume = Volume::from_params(
            dev,
            &cryptdisk_core::volume::VolumeParams::from_header(&opened.header),
            &opened.master_key,
        )
        .unwrap();
        let mut plain = vec![0u8; sectors * 512];
        volume.read_sectors(0, &mut plain).unwrap();
        assert!(plain[..len] == data[..], "length {len}: core decrypts something else");
        assert!(
            plain[len..].iter().all(|&b| b == 0),
            "length {len}: padding is not zero"
        );
        let file = std::fs::read(&vol).unwrap();
        // Whole sectors: a single byte could match its ciphertext by chance, a sector cannot.
        assert!(file[4096 * 512..] != plain[..], "length {len}: data stored in clear");
    }
}

#[test]
fn round_trip_across_streaming_chunks() {
    // 4 MiB chunks: 9 MiB + 300 bytes needs three reads and a partial last sector.
    let s = Scratch::new();
    let key = s.file("k", b"chunks");
    let data = pattern(9 * 1024 * 1024 + 300, 99);
    let (_, back) = round_trip(&s, "big", &data, &key);
    assert_eq!(back.len(), data.len());
    assert!(back == data, "large round trip differs");
}

#[test]
fn decrypt_of_a_created_volume_gives_the_whole_data_area() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "2049K", &key, &[]);
    let out = s.path("v.raw");
    run([
        "decrypt",
        vol.to_str().unwrap(),
        out.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(std::fs::metadata(&out).unwrap().len(), 1024);
}

#[test]
fn full_ignores_the_recorded_length() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let data = pattern(700, 7);
    let (vol, _) = round_trip(&s, "v", &data, &key);
    let full = s.path("full.raw");
    run([
        "decrypt",
        vol.to_str().unwrap(),
        full.to_str().unwrap(),
        "--full",
        "--key-file",
        key.to_str().unwrap(),
    ])
    .ok();
    let back = std::fs::read(&full).unwrap();
    assert_eq!(back.len(), 1024);
    assert!(back[..700] == data[..] && back[700..].iter().all(|&b| b == 0));
}

#[test]
fn outputs_are_not_overwritten_without_force() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let raw = s.file("in.raw", &pattern(2000, 1));
    let vol = s.path("v.img");
    let enc = |extra: &[&str]| {
        let mut args = vec![
            "encrypt",
            "--type",
            "luks1",
            raw.to_str().unwrap(),
            vol.to_str().unwrap(),
            "--iter-time",
            ITER,
        ];
        args.extend(["--key-file", key.to_str().unwrap()]);
        args.extend(extra);
        run(args)
    };
    enc(&[]).ok();
    let before = std::fs::read(&vol).unwrap();

    // encrypt onto an existing volume
    let line = enc(&[]).fails(5).to_owned();
    assert!(line.contains("already exists") && line.contains("--force"), "{line}");
    assert!(std::fs::read(&vol).unwrap() == before, "volume changed without --force");

    // create onto an existing volume
    let out = run([
        "create",
        "--type",
        "luks1",
        vol.to_str().unwrap(),
        "--size",
        "3M",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(out.fails(5).contains("already exists"));
    assert!(std::fs::read(&vol).unwrap() == before);

    // decrypt onto an existing file
    let existing = s.file("existing.raw", b"keep me");
    let out = run([
        "decrypt",
        vol.to_str().unwrap(),
        existing.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(out.fails(5).contains("already exists"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    // --force replaces them
    enc(&["--force"]).ok();
    assert!(
        std::fs::read(&vol).unwrap() != before,
        "--force did not write a new volume"
    );
    run([
        "decrypt",
        vol.to_str().unwrap(),
        existing.to_str().unwrap(),
        "--force",
        "--key-file",
        key.to_str().unwrap(),
    ])
    .ok();
    assert_eq!(std::fs::read(&existing).unwrap(), pattern(2000, 1));
    assert_eq!(
        s.listing(),
        ["existing.raw", "in.raw", "k", "v.img"],
        "temporary files left"
    );
}

#[test]
fn empty_and_missing_inputs_are_refused() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let empty = s.file("empty.raw", b"");
    let vol = s.path("v.img");
    let out = run([
        "encrypt",
        "--type",
        "luks1",
        empty.to_str().unwrap(),
        vol.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(out.fails(1).contains("is empty"), "{out:?}");
    let missing = s.path("missing.raw");
    let out = run([
        "encrypt",
        "--type",
        "luks1",
        missing.to_str().unwrap(),
        vol.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(out.fails(1).contains("missing.raw"), "{out:?}");
    assert!(!vol.exists());
    assert_eq!(s.listing(), ["empty.raw", "k"]);
}

#[test]
fn key_from_standard_input_uses_all_of_it() {
    let s = Scratch::new();
    let raw = s.file("in.raw", &pattern(1500, 3));
    let vol = s.path("v.img");
    let pass = b"from stdin\nwith two lines\n";
    run_with_stdin(
        [
            "encrypt",
            "--type",
            "luks1",
            raw.to_str().unwrap(),
            vol.to_str().unwrap(),
            "--iter-time",
            ITER,
            "--key-file",
            "-",
        ],
        pass,
    )
    .ok();
    assert!(unlock(&vol, pass).is_ok(), "stdin bytes are not the passphrase");
    assert!(unlock(&vol, b"from stdin").is_err());

    let out = s.path("out.raw");
    run_with_stdin(
        [
            "decrypt",
            vol.to_str().unwrap(),
            out.to_str().unwrap(),
            "--key-file",
            "-",
        ],
        pass,
    )
    .ok();
    assert_eq!(std::fs::read(&out).unwrap(), pattern(1500, 3));

    // An empty standard input is not a passphrase.
    let out2 = s.path("out2.raw");
    let r = run_with_stdin(
        [
            "decrypt",
            vol.to_str().unwrap(),
            out2.to_str().unwrap(),
            "--key-file",
            "-",
        ],
        b"",
    );
    assert!(r.fails(1).contains("empty"), "{r:?}");
    assert!(!out2.exists());
}

#[cfg(unix)]
#[test]
fn special_files_are_never_replaced_even_with_force() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.create("v.img", "2049K", &key, &[]);
    let out = run([
        "decrypt",
        vol.to_str().unwrap(),
        "/dev/null",
        "--force",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(out.fails(1).contains("is not a regular file"), "{out:?}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
}

#[cfg(unix)]
#[test]
fn a_pipe_is_not_a_raw_image() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.path("v.img");
    let out = run_with_stdin(
        [
            "encrypt",
            "--type",
            "luks1",
            "/dev/stdin",
            vol.to_str().unwrap(),
            "--iter-time",
            ITER,
            "--key-file",
            key.to_str().unwrap(),
        ],
        b"some data",
    );
    assert!(out.fails(1).contains("cannot find the size of /dev/stdin"), "{out:?}");
    assert!(!vol.exists());
}
