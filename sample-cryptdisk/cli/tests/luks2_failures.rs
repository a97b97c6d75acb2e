//! LUKS2 volumes that must be refused: corrupt headers (each binary field, broken JSON, JSON
//! contradicting the binary header, one bad copy, offsets past the end, overlapping areas, huge
//! KDF costs) and wrong passphrases. Each refusal is one error line, a non-zero exit, and a
//! file left byte-identical. No tools needed.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, fails_without_writing, run};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks2::binary::{Copy, build_copy};
use cryptdisk_core::luks2::json::Value;
use cryptdisk_core::luks2::read_header;
use std::path::{Path, PathBuf};

const HDR: usize = 0x4000;

/// A fast LUKS2 volume (PBKDF2, 1000 iterations) of 17 MiB.
fn volume(s: &Scratch, key: &Path) -> PathBuf {
    let vol = s.path("v.img");
    run([
        "create",
        vol.to_str().unwrap(),
        "--size",
        "17M",
        "--pbkdf",
        "pbkdf2",
        "--pbkdf-force-iterations",
        "1000",
        "--key-file",
        key.to_str().unwrap(),
    ])
    .ok();
    vol
}

/// Every command that reads the header fails with `code` (4, wrong device, for a header that
/// does not parse, as for LUKS1), a line containing `expected`, and nothing written.
fn all_fail(s: &Scratch, vol: &Path, key: &Path, expected: &str, code: i32) {
    let out = s.path("out.raw");
    let (v, k, o) = (vol.to_str().unwrap(), key.to_str().unwrap(), out.to_str().unwrap());
    for args in [&["info", v][..], &["info", v, "--json"]] {
        let line = fails_without_writing(vol, args, code);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    for args in [
        &["decrypt", v, o, "--key-file", k][..],
        &["add-key", v, "--key-file", k, "--new-key-file", k, "--iter-time", "10"],
        &["passwd", v, "--key-file", k, "--new-key-file", k, "--iter-time", "10"],
        &["remove-key", v, "--slot", "0", "--key-file", k],
    ] {
        let line = fails_without_writing(vol, args, code);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    assert!(!out.exists());
}

/// Rewrites the JSON of both copies with valid checksums.
fn rewrite_json(vol: &Path, edit: impl Fn(&mut Value)) {
    let mut dev = FileDevice::open(vol, false).unwrap();
    let h = read_header(&mut dev).unwrap();
    drop(dev);
    let mut json = h.metadata.json.clone();
    edit(&mut json);
    let mut bytes = std::fs::read(vol).unwrap();
    for (copy, at) in [(Copy::Primary, 0), (Copy::Secondary, HDR)] {
        let area = build_copy(&h.binary, copy, json.to_text().as_bytes()).unwrap();
        bytes[at..at + HDR].copy_from_slice(&area);
    }
    std::fs::write(vol, bytes).unwrap();
}

#[test]
fn each_binary_field_broken_in_both_copies_is_refused() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let good = std::fs::read(volume(&s, &key)).unwrap();
    // magic, version, hdr_size, seqid, checksum_alg, uuid, hdr_offset, csum, JSON area
    for at in [0usize, 7, 14, 23, 72, 170, 262, 460, 4200] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x21;
        bytes[HDR + at] ^= 0x21;
        let vol = s.file("v.img", &bytes);
        // Both magics gone: not a LUKS volume at all.
        let expected = if at == 0 { "not a LUKS volume" } else { "LUKS2" };
        all_fail(&s, &vol, &key, expected, 4);
    }
}

#[test]
fn one_bad_copy_is_reported_and_the_other_used() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let good = std::fs::read(volume(&s, &key)).unwrap();
    for at in [460usize, HDR + 460] {
        let mut bytes = good.clone();
        bytes[at] ^= 1;
        let vol = s.file("v.img", &bytes);
        let out = run(["info", vol.to_str().unwrap()]);
        assert!(out.ok().contains("Damaged copy:"), "{out:?}");
        assert!(out.stderr.contains("checksum mismatch"), "{out:?}");
        let raw = s.path("o.raw");
        run([
            "decrypt",
            vol.to_str().unwrap(),
            raw.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ])
        .ok();
        std::fs::remove_file(&raw).unwrap();
        assert!(std::fs::read(&vol).unwrap() == bytes, "reading wrote");
    }
}

#[test]
fn broken_or_contradicting_json_and_bad_areas_are_refused() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let pristine = std::fs::read(volume(&s, &key)).unwrap();
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str); 6] = [
        (
            |j| {
                j.insert(
                    "config",
                    Value::object([
                        ("json_size", Value::decimal(4096)),
                        ("keyslots_size", Value::decimal(4096)),
                    ]),
                );
            },
            "contradicts the binary header",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("offset", Value::decimal(1 << 40));
            },
            "past the device end",
        ),
        (
            |j| {
                j.get_mut("keyslots")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .get_mut("area")
                    .unwrap()
                    .insert("offset", Value::decimal(0x4000));
            },
            "outside the key-slot area",
        ),
        (
            |j| {
                j.get_mut("segments")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("encryption", Value::string("twofish-xts-plain64"));
            },
            "twofish-xts-plain64",
        ),
        (
            |j| {
                j.get_mut("keyslots")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .get_mut("kdf")
                    .unwrap()
                    .insert("iterations", Value::number(4_294_967_295));
            },
            "cost too high",
        ),
        (
            |j| {
                j.get_mut("digests")
                    .unwrap()
                    .get_mut("0")
                    .unwrap()
                    .insert("iterations", Value::number(4_000_000_000));
            },
            "cost too high",
        ),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        let vol = s.file("v.img", &pristine);
        rewrite_json(&vol, edit);
        // KDF costs are judged when unlocking: `info` shows them, the others refuse.
        if expected == "cost too high" {
            let out = s.path("o.raw");
            let (v, k) = (vol.to_str().unwrap(), key.to_str().unwrap());
            let line = fails_without_writing(&vol, &["decrypt", v, out.to_str().unwrap(), "--key-file", k], 1);
            assert!(line.contains(expected), "case {i}: {line}");
            let info = run(["info", v]);
            assert!(info.ok().contains("key-derivation cost too high") || i == 5, "{info:?}");
        } else {
            // A header that parses but asks for an unsupported cipher is not a wrong device.
            let code = if expected.contains("twofish") { 1 } else { 4 };
            all_fail(&s, &vol, &key, expected, code);
        }
    }
    // Broken JSON text (checksums valid).
    let vol = s.file("v.img", &pristine);
    let mut bytes = pristine.clone();
    for (copy, at) in [(Copy::Primary, 0), (Copy::Secondary, HDR)] {
        let mut dev = FileDevice::open(&vol, false).unwrap();
        let h = read_header(&mut dev).unwrap();
        let area = build_copy(&h.binary, copy, b"{\"keyslots\":{\"0\":").unwrap();
        bytes[at..at + HDR].copy_from_slice(&area);
    }
    let vol = s.file("v.img", &bytes);
    all_fail(&s, &vol, &key, "invalid JSON", 4);
    // Truncated: the key-slot area and the data are gone.
    let vol = s.file("v.img", &pristine[..8 << 20]);
    all_fail(&s, &vol, &key, "truncated", 4);
}

#[test]
fn wrong_passphrase_exits_2_and_writes_nothing() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let wrong = s.file("w", b"pw\n");
    let vol = volume(&s, &key);
    let (v, k, w) = (vol.to_str().unwrap(), key.to_str().unwrap(), wrong.to_str().unwrap());
    let out = s.path("o.raw");
    let o = out.to_str().unwrap();
    for args in [
        &["decrypt", v, o, "--key-file", w][..],
        &["add-key", v, "--key-file", w, "--new-key-file", k, "--iter-time", "10"],
        &["passwd", v, "--key-file", w, "--new-key-file", k, "--iter-time", "10"],
    ] {
        let line = fails_without_writing(&vol, args, 2);
        assert!(line.contains("no key slot opened"), "{line}");
    }
    assert!(!out.exists());
    // info reads LUKS2 fields without a passphrase.
    let json: serde_json::Value = serde_json::from_str(run(["info", v, "--json"]).ok()).unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(json["sector_size"], 4096);
    assert_eq!(json["data_offset_bytes"], 16 << 20);
    assert_eq!(json["data_size_bytes"], 1 << 20);
    assert_eq!(json["key_slots"][0]["kdf"], "pbkdf2");
}
