//! LUKS2 interop with cryptsetup, the independent reference, both ways, with data checked
//! against an oracle that shares no code with the project: the volume key printed by
//! `cryptsetup luksDump --dump-volume-key`, AES-XTS from Python `cryptography`, and cryptsetup's
//! own offline `reencrypt --encrypt` of a known plaintext. Needs cryptsetup and python3 with
//! `cryptography` (run `ci/test-all.sh`). Small KDF costs keep the runs short.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, dumped_key, pattern, python_xts, run};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks2;
use std::path::Path;
use std::process::Command;

const PASS: &[u8] = b"luks2 interop passphrase";
/// cryptsetup's cost options for fast test volumes (its defaults otherwise).
const FAST: [&str; 4] = ["--pbkdf-memory", "32768", "--iter-time", "100"];

fn cryptsetup(args: &[&str], vol: &Path, key: &Path) -> String {
    let out = Command::new("cryptsetup")
        .args(args)
        .arg("--key-file")
        .arg(key)
        .arg("-q")
        .arg(vol)
        .output()
        .expect("run cryptsetup");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "cryptsetup {args:?} failed: {text}");
    text
}

/// The volume key cryptsetup prints.
fn cryptsetup_volume_key(vol: &Path, key: &Path) -> Vec<u8> {
    dumped_key(&cryptsetup(&["luksDump", "--dump-volume-key"], vol, key))
}

fn core_unlock(vol: &Path, pass: &[u8]) -> luks2::Unlocked2 {
    let mut dev = FileDevice::open(vol, false).unwrap();
    luks2::unlock(&mut dev, pass, None, &KdfLimits::DEFAULT).unwrap()
}

/// Volumes made by `cryptsetup luksFormat` (default argon2id + 4096-byte sectors, pbkdf2,
/// argon2i, 512-byte sectors, a second slot from luksAddKey): cryptdisk derives cryptsetup's
/// volume key, and `cryptdisk decrypt` gives back data that Python encrypted with that key.
#[test]
#[ignore = "needs cryptsetup and python3-cryptography: run ci/test-all.sh"]
fn cryptsetup_volumes_open_and_decrypt() {
    let s = Scratch::new();
    let key = s.file("k", PASS);
    let key2 = s.file("k2", b"second slot passphrase");
    let cases: [(&str, &[&str], u32); 4] = [
        ("default", &FAST, 4096),
        (
            "pbkdf2",
            &["--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"],
            4096,
        ),
        (
            "argon2i",
            &["--pbkdf", "argon2i", "--pbkdf-memory", "32768", "--iter-time", "100"],
            4096,
        ),
        (
            "sector512",
            &["--sector-size", "512", "--pbkdf-memory", "32768", "--iter-time", "100"],
            512,
        ),
    ];
    for (name, opts, sector_size) in cases {
        let vol = s.path(&format!("{name}.img"));
        std::fs::File::create(&vol).unwrap().set_len(20 << 20).unwrap();
        let mut args = vec!["luksFormat", "--type", "luks2"];
        args.extend_from_slice(opts);
        cryptsetup(&args, &vol, &key);
        let volume_key = cryptsetup_volume_key(&vol, &key);
        let opened = core_unlock(&vol, PASS);
        assert_eq!(
            opened.volume_key.as_bytes(),
            &volume_key[..],
            "{name}: volume keys differ"
        );
        assert_eq!(opened.header.metadata.segment.sector_size, sector_size, "{name}");

        // Known data written by the oracle, read back by `cryptdisk decrypt`.
        let plain = pattern(4 << 20, 7);
        let cipher = python_xts(&volume_key, sector_size, true, &plain);
        let mut bytes = std::fs::read(&vol).unwrap();
        bytes[16 << 20..].copy_from_slice(&cipher);
        std::fs::write(&vol, &bytes).unwrap();
        let out = s.path(&format!("{name}.raw"));
        run([
            "decrypt",
            vol.to_str().unwrap(),
            out.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ])
        .ok();
        assert!(std::fs::read(&out).unwrap() == plain, "{name}: decrypted data differs");

        // A second slot added by cryptsetup opens too, with the same key.
        // luksAddKey takes the KDF options, not the format's sector size.
        let mut add = vec!["luksAddKey"];
        let mut rest = opts.iter();
        while let Some(o) = rest.next() {
            if *o == "--sector-size" {
                rest.next();
            } else {
                add.push(o);
            }
        }
        let out = Command::new("cryptsetup")
            .args(&add)
            .arg("-q")
            .arg("--key-file")
            .arg(&key)
            .arg(&vol)
            .arg(&key2)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let second = core_unlock(&vol, b"second slot passphrase");
        assert_eq!(second.slot, 1);
        assert_eq!(second.volume_key.as_bytes(), &volume_key[..]);
    }
}

/// cryptsetup's offline `reencrypt --encrypt` turns a known plaintext into a LUKS2 volume in
/// place (4096- and 512-byte sectors); `cryptdisk decrypt` gives the plaintext back.
#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn cryptsetup_reencrypt_of_a_known_plaintext_decrypts() {
    let s = Scratch::new();
    let key = s.file("k", PASS);
    for sector in ["4096", "512"] {
        let plain = pattern(40 << 20, 11);
        let vol = s.file(&format!("re{sector}.img"), &plain);
        let mut args = vec![
            "reencrypt",
            "--encrypt",
            "--type",
            "luks2",
            "--reduce-device-size",
            "32M",
            "--sector-size",
            sector,
        ];
        args.extend_from_slice(&FAST);
        cryptsetup(&args, &vol, &key);
        let out = s.path(&format!("re{sector}.raw"));
        run([
            "decrypt",
            vol.to_str().unwrap(),
            out.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ])
        .ok();
        let got = std::fs::read(&out).unwrap();
        // The data segment starts at 16 MiB and runs to the end (24 MiB); the plaintext that
        // cryptsetup keeps is the file minus the reduction: the first 8 MiB.
        assert_eq!(got.len(), 24 << 20, "data area after the 16 MiB header");
        assert!(
            got[..8 << 20] == plain[..8 << 20],
            "sector {sector}: plaintext not given back"
        );
    }
}

/// `cryptdisk create` makes LUKS2 volumes that cryptsetup dumps and opens with the same volume
/// key; data written through the core decrypts with Python's AES-XTS under cryptsetup's key;
/// keys added and changed by cryptdisk open in cryptsetup.
#[test]
#[ignore = "needs cryptsetup and python3-cryptography: run ci/test-all.sh"]
fn cryptdisk_volumes_open_in_cryptsetup() {
    let s = Scratch::new();
    let key = s.file("k", PASS);
    let key2 = s.file("k2", b"added by cryptdisk");
    let key3 = s.file("k3", b"changed by cryptdisk");
    for (name, extra) in [
        ("argon2id", &["--pbkdf-memory", "32768", "--iter-time", "100"][..]),
        (
            "pbkdf2-512",
            &["--pbkdf", "pbkdf2", "--sector-size", "512", "--iter-time", "100"][..],
        ),
    ] {
        let vol = s.path(&format!("{name}.img"));
        let mut args = vec![
            "create",
            vol.to_str().unwrap(),
            "--size",
            "20M",
            "--key-file",
            key.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args).ok();
        let dump = cryptsetup(&["luksDump"], &vol, &key);
        assert!(dump.contains("Version:       \t2"), "{dump}");
        cryptsetup(&["open", "--test-passphrase"], &vol, &key);
        let volume_key = cryptsetup_volume_key(&vol, &key);
        let opened = core_unlock(&vol, PASS);
        assert_eq!(opened.volume_key.as_bytes(), &volume_key[..]);

        let plain = pattern(1 << 20, 3);
        {
            let dev = FileDevice::open(&vol, true).unwrap();
            let mut v = cryptdisk_core::volume::Volume::from_luks2(dev, &opened.header, &opened.volume_key).unwrap();
            v.write_sectors(0, &plain).unwrap();
            v.flush().unwrap();
        }
        let bytes = std::fs::read(&vol).unwrap();
        let sector_size = opened.header.metadata.segment.sector_size;
        let back = python_xts(
            &volume_key,
            sector_size,
            false,
            &bytes[16 << 20..(16 << 20) + (1 << 20)],
        );
        assert!(back == plain, "{name}: Python cannot decrypt what cryptdisk wrote");

        let v = vol.to_str().unwrap();
        run([
            "add-key",
            v,
            "--key-file",
            key.to_str().unwrap(),
            "--new-key-file",
            key2.to_str().unwrap(),
            "--iter-time",
            "100",
        ])
        .ok();
        cryptsetup(&["open", "--test-passphrase"], &vol, &key2);
        run([
            "passwd",
            v,
            "--key-file",
            key2.to_str().unwrap(),
            "--new-key-file",
            key3.to_str().unwrap(),
            "--iter-time",
            "100",
        ])
        .ok();
        cryptsetup(&["open", "--test-passphrase"], &vol, &key3);
        let out = Command::new("cryptsetup")
            .args(["open", "--test-passphrase", "-q", "--key-file"])
            .arg(&key2)
            .arg(&vol)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name}: the changed passphrase still opens");
        run(["remove-key", v, "--slot", "0", "--key-file", key3.to_str().unwrap()]).ok();
        let dump = cryptsetup(&["luksDump"], &vol, &key3);
        assert!(!dump.contains("  0: luks2"), "{name}: slot 0 still there: {dump}");
        assert_eq!(cryptsetup_volume_key(&vol, &key3), volume_key);
    }
}
