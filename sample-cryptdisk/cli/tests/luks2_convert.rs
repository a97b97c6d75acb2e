//! `encrypt` makes LUKS2 volumes by default (`--type luks1` keeps the old format) and
//! `decrypt` gives back exactly the bytes encrypted, at lengths that are not a multiple of the
//! 4096-byte sector, through the `cryptdisk-length` token; cryptsetup (tool-backed) keeps and
//! lists the token, opens the volume and adds keys to it, and decrypts the same plaintext.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, dumped_key, info_json, pattern, run, run_with_stdin};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fast LUKS2 key derivation for tests.
const FAST: [&str; 4] = ["--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000"];
/// The LUKS2 data offset.
const HEADER: u64 = 16 << 20;

fn encrypt(s: &Scratch, name: &str, data: &[u8], key: &Path, extra: &[&str]) -> PathBuf {
    let raw = s.file(&format!("{name}.raw"), data);
    let vol = s.path(&format!("{name}.img"));
    let mut args = vec![
        "encrypt",
        raw.to_str().unwrap(),
        vol.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(&FAST);
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.ok().contains(&format!("({} bytes)", data.len())), "{out:?}");
    vol
}

fn decrypt(s: &Scratch, vol: &Path, key: &Path, extra: &[&str]) -> Vec<u8> {
    let out = s.path("out.raw");
    let _ = std::fs::remove_file(&out);
    let mut args = vec![
        "decrypt",
        vol.to_str().unwrap(),
        out.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args).ok();
    std::fs::read(&out).unwrap()
}

#[test]
fn encrypt_makes_luks2_and_decrypt_restores_odd_lengths() {
    let s = Scratch::new();
    let key = s.file("k", b"odd lengths");
    for (i, len) in [1usize, 511, 512, 4095, 4096, 4097, 3 * 4096 + 100]
        .into_iter()
        .enumerate()
    {
        let data = pattern(len, 40 + u32::try_from(i).unwrap());
        let vol = encrypt(&s, &format!("v{len}"), &data, &key, &[]);
        let units = len.div_ceil(4096) as u64;
        assert_eq!(
            std::fs::metadata(&vol).unwrap().len(),
            HEADER + units * 4096,
            "length {len}"
        );
        let json = info_json(&vol);
        assert_eq!(json["version"], 2, "LUKS2 by default");
        assert_eq!(json["sector_size"], 4096);
        assert_eq!(json["tokens"], 1, "the length token");
        assert_eq!(json["original_length_bytes"], len);
        assert!(decrypt(&s, &vol, &key, &[]) == data, "length {len}: round trip differs");
        let full = decrypt(&s, &vol, &key, &["--full"]);
        assert_eq!(full.len() as u64, units * 4096, "--full gives whole sectors");
        assert!(full[..len] == data[..] && full[len..].iter().all(|&b| b == 0));
    }
    // 512-byte sectors, and a piece crossing the 4 MiB streaming chunk.
    let data = pattern((4 << 20) + 700, 9);
    let vol = encrypt(&s, "small-sectors", &data, &key, &["--sector-size", "512"]);
    assert_eq!(std::fs::metadata(&vol).unwrap().len(), HEADER + (4 << 20) + 1024);
    assert!(decrypt(&s, &vol, &key, &[]) == data);
}

#[test]
fn type_luks1_keeps_the_old_format_and_standard_input_works_for_luks2() {
    let s = Scratch::new();
    let key = s.file("k", b"formats");
    let data = pattern(1000, 3);
    let vol = encrypt(&s, "old", &data, &key, &["--type", "luks1", "-i", "10"]);
    assert_eq!(info_json(&vol)["version"], 1);
    assert_eq!(std::fs::metadata(&vol).unwrap().len(), (2 << 20) + 1024);
    assert!(decrypt(&s, &vol, &key, &[]) == data);

    let piped = s.path("piped.img");
    let data = pattern(5000, 4);
    let mut args = vec![
        "encrypt",
        "-",
        piped.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(&FAST);
    run_with_stdin(&args, &data).ok();
    assert_eq!(std::fs::metadata(&piped).unwrap().len(), HEADER + 8192);
    assert!(decrypt(&s, &piped, &key, &[]) == data);
}

#[test]
fn a_length_token_that_does_not_fit_is_ignored_with_a_warning() {
    use cryptdisk_core::filedev::FileDevice;
    let s = Scratch::new();
    let key = s.file("k", b"edited");
    let data = pattern(5000, 5);
    let vol = encrypt(&s, "v", &data, &key, &[]);
    // As if the volume had been edited: a record beyond the data area.
    cryptdisk_core::luks2::config::put_token(
        &mut FileDevice::open(&vol, true).unwrap(),
        "cryptdisk-length",
        vec![("length".to_owned(), cryptdisk_core::luks2::json::Value::decimal(9000))],
    )
    .unwrap();
    let out = s.path("o.raw");
    let r = run([
        "decrypt",
        vol.to_str().unwrap(),
        out.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    r.ok();
    assert!(
        r.stderr.contains("ignoring the recorded original length (9000 bytes)"),
        "{r:?}"
    );
    assert_eq!(std::fs::read(&out).unwrap().len(), 8192);
}

fn cryptsetup(args: &[&str], vol: &Path) -> String {
    let out = Command::new("cryptsetup")
        .args(args)
        .arg(vol)
        .output()
        .expect("run cryptsetup");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cryptsetup {args:?}: {text}");
    text
}

/// cryptsetup accepts an encrypted volume with its length token: `luksDump` lists the token,
/// `open --test-passphrase` and `luksAddKey` work (and keep the token), and the data
/// decrypted under cryptsetup's volume key with Python's AES-XTS is the plaintext.
#[test]
#[ignore = "needs cryptsetup and python3-cryptography: run ci/test-all.sh"]
fn cryptsetup_accepts_an_encrypted_volume_with_its_length_token() {
    let s = Scratch::new();
    let key = s.file("k", b"cryptsetup check");
    let key2 = s.file("k2", b"added by cryptsetup");
    let data = pattern(3 * 4096 + 1234, 11);
    let vol = encrypt(&s, "v", &data, &key, &[]);
    let k = key.to_str().unwrap();
    let dump = cryptsetup(&["luksDump"], &vol);
    assert!(dump.contains("cryptdisk-length"), "{dump}");
    cryptsetup(&["open", "--test-passphrase", "--key-file", k], &vol);
    let added = Command::new("cryptsetup")
        .args([
            "luksAddKey",
            "-q",
            "--pbkdf",
            "pbkdf2",
            "--pbkdf-force-iterations",
            "1000",
            "--key-file",
            k,
        ])
        .arg(&vol)
        .arg(&key2)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let dump = cryptsetup(&["luksDump"], &vol);
    assert!(dump.contains("cryptdisk-length"), "cryptsetup kept the token: {dump}");
    cryptsetup(
        &["open", "--test-passphrase", "--key-file", key2.to_str().unwrap()],
        &vol,
    );
    assert!(
        decrypt(&s, &vol, &key2, &[]) == data,
        "cryptdisk decrypts with the key cryptsetup added"
    );

    let volume_key = dumped_key(&cryptsetup(
        &["luksDump", "-q", "--dump-volume-key", "--key-file", k],
        &vol,
    ));
    let file = std::fs::read(&vol).unwrap();
    let plain = common::python_xts(&volume_key, 4096, false, &file[HEADER as usize..]);
    assert!(
        plain[..data.len()] == data[..],
        "Python's AES-XTS under cryptsetup's key disagrees"
    );
}
