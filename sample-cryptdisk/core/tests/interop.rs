//! Interop with independent LUKS1 implementations, both ways:
//!
//! * qemu-img / qemu-io (`luks` block driver, nettle/gnutls crypto) and
//! * cryptsetup (`luksFormat --type luks1`, `luksAddKey`, `luksDump --dump-volume-key`,
//!   `luksUUID`) on plain image files.
//!
//! These tests need the tools (Debian packages `qemu-utils` and `cryptsetup-bin`), so they are
//! `#[ignore]`d for a plain `cargo test --workspace`; `ci/install-test-tools.sh` installs the tools
//! and `ci/test-all.sh` runs them with `--include-ignored`. A missing tool makes a test FAIL with a
//! message naming it: they never pass silently. Recipes: `toolchain.md` §7.2-7.4 (fast PBKDF settings:
//! `iter-time=10` for qemu, `--pbkdf-force-iterations 1000` for cryptsetup).
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, FormatOptions, HashSpec, LuksError};
use cryptdisk_core::rng::OsRandom;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::volume::Volume;
use cryptdisk_core::xts::XtsKeySize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const PASS: &str = "interop-pass-1";
const PASS2: &str = "second-key-2";

/// Finds `name` on `PATH` (plus the sbin directories, where Debian puts cryptsetup), or fails
/// the test with a clear message.
fn require(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let extra = ["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from);
    for dir in std::env::split_paths(&path).chain(extra) {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "required tool `{name}` was not found on PATH or in /usr/sbin, /sbin: this interop test \
         cannot run without it. Install the Debian packages `qemu-utils` (qemu-img, qemu-io) and \
         `cryptsetup-bin` (cryptsetup): ci/install-test-tools.sh does."
    );
}

/// Runs a command, failing the test with its output when it does not succeed.
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed with {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch directory under Cargo's per-target temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cryptdisk-interop-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn key_file(&self, pass: &str) -> PathBuf {
        let p = self.path(&format!("key-{pass}"));
        std::fs::write(&p, pass).expect("write key file");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn secret(pass: &str) -> String {
    format!("secret,id=sec0,data={pass}")
}

fn qemu_luks_opts(file: &Path) -> String {
    format!("driver=luks,key-secret=sec0,file.filename={}", file.display())
}

/// `qemu-img create -f luks` with aes-256-xts-plain64, the given hash, iter-time 10 ms.
fn qemu_create(file: &Path, hash: &str, size: &str) {
    run(Command::new(require("qemu-img"))
        .args(["create", "--object", &secret(PASS), "-f", "luks", "-o"])
        .arg(format!(
            "key-secret=sec0,cipher-alg=aes-256,cipher-mode=xts,ivgen-alg=plain64,hash-alg={hash},iter-time=10"
        ))
        .arg(file)
        .arg(size));
}

/// Parses the hex bytes after `MK dump:` in `cryptsetup luksDump --dump-volume-key` output.
fn parse_mk_dump(out: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut in_dump = false;
    for line in out.lines() {
        let rest = if let Some(r) = line.trim_start().strip_prefix("MK dump:") {
            in_dump = true;
            r
        } else if in_dump && line.starts_with(char::is_whitespace) {
            line
        } else {
            if in_dump {
                break;
            }
            continue;
        };
        for tok in rest.split_whitespace() {
            match u8::from_str_radix(tok, 16) {
                Ok(b) if tok.len() == 2 => bytes.push(b),
                _ => {
                    in_dump = false;
                    break;
                }
            }
        }
    }
    assert!(!bytes.is_empty(), "no `MK dump:` in cryptsetup output:\n{out}");
    bytes
}

/// The volume key as cryptsetup sees it, unlocked with `pass`.
fn cryptsetup_master_key(scratch: &Scratch, file: &Path, pass: &str) -> Vec<u8> {
    let out = run(Command::new(require("cryptsetup"))
        .args(["luksDump", "--dump-volume-key", "-q", "--key-file"])
        .arg(scratch.key_file(pass))
        .arg(file));
    parse_mk_dump(&out)
}

fn cryptsetup_uuid(file: &Path) -> String {
    run(Command::new(require("cryptsetup")).arg("luksUUID").arg(file))
        .trim()
        .to_string()
}

fn core_unlock(file: &Path, pass: &str) -> Result<luks::Unlocked, LuksError> {
    let mut dev = FileDevice::open(file, false).expect("open image");
    luks::unlock(&mut dev, pass.as_bytes())
}

fn make_file(path: &Path, bytes: u64) {
    let f = std::fs::File::create(path).expect("create image");
    f.set_len(bytes).expect("size image");
}

#[test]
#[ignore = "needs qemu-img, qemu-io and cryptsetup: run ci/test-all.sh"]
fn qemu_made_volume_opens_and_master_key_matches_cryptsetup() {
    let s = Scratch::new("qemu-open");
    let file = s.path("q.luks");
    qemu_create(&file, "sha256", "4M");

    let before = std::fs::read(&file).unwrap();
    assert_eq!(
        core_unlock(&file, "not the passphrase").err(),
        Some(LuksError::WrongPassphrase)
    );
    assert!(
        std::fs::read(&file).unwrap() == before,
        "a wrong passphrase changed the image"
    );

    let opened = core_unlock(&file, PASS).expect("core opens the qemu volume");
    assert_eq!(opened.header.payload_offset(), 4040); // toolchain.md §7.4
    assert_eq!(
        opened.header.cipher(),
        CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512
        }
    );
    assert_eq!(opened.header.hash(), HashSpec::Sha256);
    let mk = cryptsetup_master_key(&s, &file, PASS);
    assert_eq!(mk.len(), 64);
    assert_eq!(
        opened.master_key.as_bytes(),
        mk.as_slice(),
        "master key differs from cryptsetup's"
    );
    assert_eq!(opened.header.uuid().to_string(), cryptsetup_uuid(&file));
}

#[test]
#[ignore = "needs qemu-img, qemu-io and cryptsetup: run ci/test-all.sh"]
fn plaintext_written_by_qemu_io_reads_back_through_the_core() {
    let s = Scratch::new("qemu-io");
    let file = s.path("q.luks");
    qemu_create(&file, "sha1", "4M");
    // Zeros everywhere, 'A' into sector 5, and a 64 KiB pattern at 1 MiB + 512.
    run(Command::new(require("qemu-io"))
        .args(["--object", &secret(PASS), "--image-opts", &qemu_luks_opts(&file)])
        .args([
            "-c",
            "write -P 0 0 4M",
            "-c",
            "write -P 0x41 2560 512",
            "-c",
            "write -P 0x5a 1049088 65536",
        ]));
    // qemu's own view of the plaintext.
    let raw = s.path("q.raw");
    run(Command::new(require("qemu-img"))
        .args([
            "convert",
            "--object",
            &secret(PASS),
            "--image-opts",
            &qemu_luks_opts(&file),
            "-O",
            "raw",
        ])
        .arg(&raw));
    let expected = std::fs::read(&raw).unwrap();
    assert_eq!(expected.len(), 4 << 20);

    let dev = FileDevice::open(&file, false).unwrap();
    let (mut vol, slot) = Volume::open(dev, PASS.as_bytes()).expect("core opens the qemu volume");
    assert_eq!(slot, 0);
    assert_eq!(vol.sector_count(), 8192);
    let mut plain = vec![0u8; 4 << 20];
    vol.read_sectors(0, &mut plain).unwrap();
    assert!(plain[2560..3072].iter().all(|&b| b == 0x41));
    assert!(plain[..2560].iter().all(|&b| b == 0));
    assert!(plain[1049088..1049088 + 65536].iter().all(|&b| b == 0x5a));
    assert!(plain == expected, "core plaintext differs from qemu's");
}

#[test]
#[ignore = "needs qemu-img, qemu-io and cryptsetup: run ci/test-all.sh"]
fn cryptsetup_luks1_volumes_open_in_the_core() {
    let s = Scratch::new("cs-open");
    for (bits, hash, want_hash, want_size) in [
        ("512", "sha256", HashSpec::Sha256, XtsKeySize::Bits512),
        ("256", "sha1", HashSpec::Sha1, XtsKeySize::Bits256),
        ("512", "sha512", HashSpec::Sha512, XtsKeySize::Bits512),
    ] {
        let file = s.path(&format!("cs-{bits}-{hash}.img"));
        make_file(&file, 8 << 20);
        run(Command::new(require("cryptsetup"))
            .args(["luksFormat", "-q", "--type", "luks1", "--cipher", "aes-xts-plain64"])
            .args([
                "--key-size",
                bits,
                "--hash",
                hash,
                "--pbkdf-force-iterations",
                "1000",
                "--key-file",
            ])
            .arg(s.key_file(PASS))
            .arg(&file));
        let opened = core_unlock(&file, PASS).unwrap_or_else(|e| panic!("{bits}/{hash}: {e}"));
        assert_eq!(opened.header.hash(), want_hash);
        assert_eq!(
            opened.header.cipher(),
            CipherSpec::AesXtsPlain64 { key_size: want_size }
        );
        assert_eq!(opened.header.payload_offset(), 4096);
        let mk = cryptsetup_master_key(&s, &file, PASS);
        assert_eq!(
            opened.master_key.as_bytes(),
            mk.as_slice(),
            "{bits}/{hash}: master key differs"
        );
        assert_eq!(opened.header.uuid().to_string(), cryptsetup_uuid(&file));
        assert_eq!(core_unlock(&file, PASS2).err(), Some(LuksError::WrongPassphrase));

        // A key added by cryptsetup opens in the core too.
        run(Command::new(require("cryptsetup"))
            .args(["luksAddKey", "-q", "--pbkdf-force-iterations", "1000", "--key-file"])
            .arg(s.key_file(PASS))
            .arg(&file)
            .arg(s.key_file(PASS2)));
        let second = core_unlock(&file, PASS2).expect("core opens the cryptsetup-added key");
        assert_eq!(second.slot, 1);
        assert_eq!(second.master_key.as_bytes(), mk.as_slice());
    }
}

#[test]
#[ignore = "needs qemu-img, qemu-io and cryptsetup: run ci/test-all.sh"]
fn core_made_volume_converts_with_qemu_to_the_same_plaintext() {
    let s = Scratch::new("core-qemu");
    let file = s.path("core.luks");
    make_file(&file, 12 << 20);
    let mut dev = FileDevice::open(&file, true).unwrap();
    let opts = FormatOptions::new(
        CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        },
        HashSpec::Sha256,
        1000,
        1000,
    );
    let made = luks::format(&mut dev, &opts, PASS.as_bytes(), &mut OsRandom).expect("format");
    assert_eq!(made.header.payload_offset(), 4096);

    let mut vol = Volume::from_params(
        dev,
        &cryptdisk_core::volume::VolumeParams::from_header(&made.header),
        &made.master_key,
    )
    .unwrap();
    let sectors = usize::try_from(vol.sector_count()).unwrap();
    assert_eq!(sectors, (12 << 20) / 512 - 4096);
    let mut plain = vec![0u8; sectors * 512];
    let mut x = 0x1234_5678_9abc_def0u64;
    for b in plain.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    vol.write_sectors(0, &plain).unwrap();
    vol.flush().unwrap();
    drop(vol);

    let raw = s.path("core.raw");
    run(Command::new(require("qemu-img"))
        .args([
            "convert",
            "--object",
            &secret(PASS),
            "--image-opts",
            &qemu_luks_opts(&file),
            "-O",
            "raw",
        ])
        .arg(&raw));
    let converted = std::fs::read(&raw).unwrap();
    assert_eq!(converted.len(), plain.len());
    assert!(converted == plain, "qemu's plaintext differs from what the core wrote");
}

#[test]
#[ignore = "needs qemu-img, qemu-io and cryptsetup: run ci/test-all.sh"]
fn cryptsetup_dumps_one_master_key_for_both_core_keys() {
    let s = Scratch::new("core-cs");
    for (key_size, hash) in [
        (XtsKeySize::Bits512, HashSpec::Sha256),
        (XtsKeySize::Bits256, HashSpec::Sha1),
    ] {
        let file = s.path(&format!("core-{}-{hash}.img", key_size.bytes()));
        make_file(&file, 8 << 20);
        let mut dev = FileDevice::open(&file, true).unwrap();
        let opts = FormatOptions::new(CipherSpec::AesXtsPlain64 { key_size }, hash, 1000, 1000);
        let made = luks::format(&mut dev, &opts, PASS.as_bytes(), &mut OsRandom).expect("format");
        let slot = luks::add_key(&mut dev, &made.master_key, PASS2.as_bytes(), 1000, &mut OsRandom).unwrap();
        assert_eq!(slot, 1);
        drop(dev);

        let first = cryptsetup_master_key(&s, &file, PASS);
        let second = cryptsetup_master_key(&s, &file, PASS2);
        assert_eq!(first, second, "cryptsetup sees two different master keys");
        assert_eq!(
            first.as_slice(),
            made.master_key.as_bytes(),
            "cryptsetup's master key differs from the core's"
        );
        assert_eq!(cryptsetup_uuid(&file), made.header.uuid().to_string());
        let dump = run(Command::new(require("cryptsetup")).arg("luksDump").arg(&file));
        assert!(
            dump.contains("Key Slot 0: ENABLED") && dump.contains("Key Slot 1: ENABLED"),
            "{dump}"
        );
        assert!(dump.contains("Key Slot 2: DISABLED"), "{dump}");

        // After a change of key in the core, cryptsetup accepts the new passphrase only.
        let mut dev = FileDevice::open(&file, true).unwrap();
        let change = luks::change_key(&mut dev, PASS.as_bytes(), b"third-key-3", 1000, &mut OsRandom).unwrap();
        assert_eq!((change.old_slot, change.new_slot), (0, 2));
        drop(dev);
        assert_eq!(cryptsetup_master_key(&s, &file, "third-key-3"), first);
        let out = Command::new(require("cryptsetup"))
            .args(["luksDump", "--dump-volume-key", "-q", "--key-file"])
            .arg(s.key_file(PASS))
            .arg(&file)
            .output()
            .unwrap();
        assert!(!out.status.success(), "cryptsetup still accepts the removed passphrase");
        let _ = FileDevice::open(&file, false).unwrap().sector_count();
    }
}
