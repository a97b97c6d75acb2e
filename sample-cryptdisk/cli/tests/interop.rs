//! Interop with cryptsetup: a volume made by `cryptdisk create` opens with
//! `cryptsetup luksDump --dump-volume-key`, and the master key cryptsetup prints is the one the
//! core derives from the same passphrase. Needs cryptsetup (run `ci/test-all.sh`).
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, dumped_key, unlock};
use std::process::Command;

#[test]
#[ignore = "needs cryptsetup: run ci/test-all.sh"]
fn cryptsetup_opens_a_cryptdisk_volume_with_the_same_master_key() {
    let s = Scratch::new();
    let key = s.file("k", b"interop passphrase\n");
    for (name, key_size, hash, bits) in [("a.img", "512", "sha256", "512"), ("b.img", "256", "sha1", "256")] {
        let vol = s.create(name, "3M", &key, &["--key-size", key_size, "--hash", hash]);
        let out = Command::new("cryptsetup")
            .args(["luksDump", "--dump-volume-key", "-q", "--key-file"])
            .arg(&key)
            .arg(&vol)
            .output()
            .expect("run cryptsetup");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "cryptsetup failed: {}{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(&format!("MK bits:       \t{bits}")), "{stdout}");
        let dump = Command::new("cryptsetup")
            .arg("luksDump")
            .arg(&vol)
            .output()
            .expect("run cryptsetup");
        let dump = String::from_utf8_lossy(&dump.stdout);
        assert!(dump.contains(&format!("Hash spec:     \t{hash}")), "{dump}");
        assert!(
            dump.contains("Key Slot 0: ENABLED") && dump.contains("Key Slot 1: DISABLED"),
            "{dump}"
        );
        let ours = unlock(&vol, b"interop passphrase\n").unwrap().master_key;
        assert_eq!(
            dumped_key(&stdout),
            ours.as_bytes(),
            "{name}: cryptsetup and cryptdisk disagree on the master key"
        );
    }
}

#[test]
fn dump_parser_reads_the_key_lines_only() {
    let sample = "MK bits:       \t256\nMK dump:\t61 1c 48 6c 2d cd 48 87 ba c9 75 44 d7 51 6a 13 \n\t\t65 79 e1 40 c6 3e 54 57 01 93 a6 cd 8c ad 3b 38 \n";
    let key = dumped_key(sample);
    assert_eq!(key.len(), 32);
    assert_eq!((key[0], key[31]), (0x61, 0x38));
}
