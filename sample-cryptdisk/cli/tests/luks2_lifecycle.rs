//! The LUKS2 life cycle through the CLI, no tools needed: create (LUKS2 by default), info,
//! add-key, passwd, remove-key, decrypt, simulate; each key change checked with the core.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{Scratch, run};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks2;
use std::path::Path;

fn opens(vol: &Path, pass: &[u8]) -> Option<u32> {
    let mut dev = FileDevice::open(vol, false).unwrap();
    luks2::unlock(&mut dev, pass, None, &KdfLimits::DEFAULT)
        .ok()
        .map(|u| u.slot)
}

#[test]
fn create_keys_decrypt_and_simulate_a_luks2_volume() {
    let s = Scratch::new();
    let (k1, k2, k3) = (s.file("k1", b"one"), s.file("k2", b"two"), s.file("k3", b"three"));
    let vol = s.path("v.img");
    let v = vol.to_str().unwrap();
    let (p1, p2, p3) = (k1.to_str().unwrap(), k2.to_str().unwrap(), k3.to_str().unwrap());
    let out = run([
        "create",
        v,
        "--size",
        "18M",
        "--pbkdf-memory",
        "8192",
        "--pbkdf-force-iterations",
        "2",
        "--key-file",
        p1,
    ]);
    assert!(
        out.ok().contains("(LUKS2)") && out.stdout.contains("argon2id, time 2, memory 8192 KiB"),
        "{out:?}"
    );
    assert_eq!(opens(&vol, b"one"), Some(0));
    let info = run(["info", v]);
    assert!(info.ok().contains("Sector size:       4096 bytes"), "{info:?}");

    run([
        "add-key",
        v,
        "--key-file",
        p1,
        "--new-key-file",
        p2,
        "--iter-time",
        "10",
    ])
    .ok();
    assert_eq!(opens(&vol, b"two"), Some(1));
    run(["passwd", v, "--key-file", p2, "--new-key-file", p3, "--iter-time", "10"]).ok();
    assert_eq!(opens(&vol, b"two"), None);
    assert_eq!(
        opens(&vol, b"three"),
        Some(2),
        "the new slot is written before the old one goes"
    );
    let line = run(["remove-key", v, "--slot", "0", "--key-file", p1])
        .fails(2)
        .to_owned();
    assert!(line.contains("slot 0, the one being removed"), "{line}");
    run(["remove-key", v, "--slot", "0", "--key-file", p3]).ok();
    assert_eq!(opens(&vol, b"one"), None);
    let line = run(["remove-key", v, "--slot", "2", "--key-file", p3])
        .fails(1)
        .to_owned();
    assert!(line.contains("last working key"), "{line}");

    let raw = s.path("v.raw");
    run(["decrypt", v, raw.to_str().unwrap(), "--key-file", p3]).ok();
    assert_eq!(std::fs::read(&raw).unwrap().len(), 2 << 20);
    let sim = run(["simulate", v, "--key-file", p3]);
    assert!(sim.ok().contains("in 4096-byte sectors"), "{sim:?}");
    assert!(
        sim.stdout.contains("drive letters left after unmount: 0 (clean"),
        "{sim:?}"
    );
}
