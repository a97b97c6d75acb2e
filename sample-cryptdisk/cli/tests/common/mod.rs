//! Helpers for the end-to-end tests: run the `cryptdisk` binary, make scratch files, and open
//! volumes with the core directly (independently of the CLI).
#![allow(dead_code, reason = "each test crate uses a different subset of the helpers")]

use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, LuksError};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// PBKDF2 time for test volumes: small, so the tests stay fast.
pub const ITER: &str = "10";

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns standard output.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success:\n{self:#?}");
        &self.stdout
    }

    /// Asserts exit code `code` with exactly one `cryptdisk: error: <what>; <what to do>` line
    /// on standard error, and returns that line.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "unexpected exit code:\n{self:#?}");
        let line = self.stderr.strip_suffix('\n').unwrap_or(&self.stderr);
        assert!(!line.contains('\n'), "error is not one line:\n{self:#?}");
        assert!(line.starts_with("cryptdisk: error: "), "no error prefix:\n{self:#?}");
        assert!(line.contains("; "), "no remedy in the error:\n{self:#?}");
        assert!(!self.stderr.contains("panicked"), "panic:\n{self:#?}");
        line
    }
}

/// Runs `cryptdisk` with `args` and `stdin` as standard input.
pub fn run_with_stdin<I, S>(args: I, stdin: &[u8]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cryptdisk");
    {
        let mut input = child.stdin.take().expect("stdin");
        // The command may exit without reading (e.g. on a usage error): ignore a broken pipe.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().expect("wait for cryptdisk");
    Run {
        code: out.status.code().expect("exit code (not a signal)"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Runs `cryptdisk` with `args` and an empty standard input.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with_stdin(args, b"")
}

/// A scratch directory, removed at the end of the test.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A path in the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path
    }

    /// The names of the files in the directory, sorted.
    pub fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Creates a volume `name` of `size` with the passphrase in `key`, plus `extra` options.
    pub fn create(&self, name: &str, size: &str, key: &Path, extra: &[&str]) -> PathBuf {
        let volume = self.path(name);
        let mut args: Vec<&OsStr> = vec![
            "create".as_ref(),
            volume.as_os_str(),
            "--type".as_ref(),
            "luks1".as_ref(),
            "--size".as_ref(),
            size.as_ref(),
            "--iter-time".as_ref(),
            ITER.as_ref(),
            "--key-file".as_ref(),
            key.as_os_str(),
        ];
        args.extend(extra.iter().map(|a| OsStr::new(*a)));
        run(args).ok();
        volume
    }
}

impl Scratch {
    /// Key files `a` and `b` holding `a_bytes` and `b_bytes`, and a 3 MiB volume `v.img` whose
    /// slot 0 opens with `a`: (volume, a, b).
    pub fn volume_with_two_keys(&self, a_bytes: &[u8], b_bytes: &[u8]) -> (PathBuf, PathBuf, PathBuf) {
        let a = self.file("a", a_bytes);
        let b = self.file("b", b_bytes);
        let volume = self.create("v.img", "3M", &a, &[]);
        (volume, a, b)
    }
}

impl Scratch {
    /// A key file `k` holding `HEADERsecret-partTRAILER` and a 3 MiB volume `v.img` whose
    /// slot 0 opens with `secret-part` (created with `-d k --keyfile-offset 6 -l 11`):
    /// (volume, key file).
    pub fn volume_keyed_by_part_of_a_file(&self) -> (PathBuf, PathBuf) {
        let key = self.file("k", b"HEADERsecret-partTRAILER");
        let volume = self.path("v.img");
        let (v, k) = (volume.to_str().expect("UTF-8"), key.to_str().expect("UTF-8"));
        run([
            "create",
            v,
            "--type",
            "luks1",
            "--size",
            "3M",
            "-i",
            ITER,
            "-d",
            k,
            "--keyfile-offset",
            "6",
            "-l",
            "11",
        ])
        .ok();
        (volume, key)
    }
}

/// `cryptdisk mount VOLUME --test-passphrase ARGS` with `stdin` as standard input.
pub fn test_passphrase(volume: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut all = vec!["mount", volume.to_str().expect("UTF-8 path"), "--test-passphrase"];
    all.extend_from_slice(args);
    run_with_stdin(all, stdin)
}

/// Opens `volume` with the core (not the CLI); the slot that opened, or the core's error.
pub fn unlock(volume: &Path, passphrase: &[u8]) -> Result<luks::Unlocked, LuksError> {
    let mut dev = FileDevice::open(volume, false).expect("open volume");
    luks::unlock(&mut dev, passphrase)
}

/// The slot `passphrase` opens, per the core; `None` for a wrong passphrase.
pub fn opens(volume: &Path, passphrase: &[u8]) -> Option<usize> {
    match unlock(volume, passphrase) {
        Ok(u) => Some(u.slot),
        Err(LuksError::WrongPassphrase) => None,
        Err(e) => panic!("unexpected error opening {}: {e}", volume.display()),
    }
}

/// `info --json`, parsed.
pub fn info_json(volume: &Path) -> serde_json::Value {
    let out = run([OsStr::new("info"), volume.as_os_str(), OsStr::new("--json")]);
    serde_json::from_str(out.ok()).expect("info --json prints JSON")
}

/// Indices of the active key slots, per `info --json`.
pub fn active_slots(volume: &Path) -> Vec<u64> {
    info_json(volume)["key_slots"]
        .as_array()
        .expect("key_slots array")
        .iter()
        .filter(|s| s["active"] == true)
        .map(|s| s["slot"].as_u64().expect("slot number"))
        .collect()
}

/// Deterministic test data that is not all zeros.
pub fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// The hex digits after `MK dump:` in `cryptsetup luksDump --dump-volume-key` output.
pub fn dumped_key(output: &str) -> Vec<u8> {
    let start = output.find("MK dump:").expect("no 'MK dump:' in cryptsetup output") + "MK dump:".len();
    let hex: String = output[start..]
        .lines()
        .take_while(|l| {
            l.split_whitespace()
                .all(|w| w.len() == 2 && w.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .flat_map(|l| l.split_whitespace())
        .collect();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Runs `cryptdisk` with `args`, asserts exit `code` with one error line and the volume file
/// byte-identical afterwards; returns the error line.
#[track_caller]
pub fn fails_without_writing(volume: &Path, args: &[&str], code: i32) -> String {
    let before = std::fs::read(volume).unwrap();
    let out: Run = run(args);
    let line = out.fails(code).to_owned();
    assert!(std::fs::read(volume).unwrap() == before, "{args:?} changed the volume");
    line
}

/// Python `cryptography` AES-XTS over `sector_size` units, tweak = byte offset / 512 + iv_tweak.
const XTS_PY: &str = r#"
import sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
key = bytes.fromhex(sys.argv[1]); ss = int(sys.argv[2]); iv = int(sys.argv[3]); enc = sys.argv[4] == "enc"
data = sys.stdin.buffer.read(); out = bytearray()
for i in range(0, len(data), ss):
    c = Cipher(algorithms.AES(key), modes.XTS((i // 512 + iv).to_bytes(16, "little")))
    op = c.encryptor() if enc else c.decryptor()
    out += op.update(data[i:i + ss]) + op.finalize()
sys.stdout.buffer.write(out)
"#;

/// AES-XTS of `data` by Python `cryptography` (an oracle sharing no code with the project), in
/// `sector_size` units with dm-crypt's LUKS2 tweak (byte offset / 512).
pub fn python_xts(key: &[u8], sector_size: u32, encrypt: bool, data: &[u8]) -> Vec<u8> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut child = Command::new("/usr/bin/python3")
        .args([
            "-c",
            XTS_PY,
            &hex,
            &sector_size.to_string(),
            "0",
            if encrypt { "enc" } else { "dec" },
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python cryptography failed");
    out.stdout
}
