//! End to end: create → info (text and JSON) → add-key → both passphrases open → passwd → the
//! old passphrase fails, the new one opens → remove-key; every step checked with the core.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::{ITER, Scratch, active_slots, info_json, opens, run, unlock};
use cryptdisk_core::uuid::Uuid;

#[test]
fn volume_lifecycle() {
    let s = Scratch::new();
    let first = s.file("first.key", b"correct horse\n");
    let second = s.file("second.key", b"battery staple");
    let third = s.file("third.key", b"\x00\xffbinary\r\n");

    // create: 3 MiB file = 2 MiB header + 1 MiB data.
    let vol = s.create("vol.img", "3M", &first, &[]);
    assert_eq!(std::fs::metadata(&vol).unwrap().len(), 3 << 20);
    assert_eq!(
        s.listing(),
        ["first.key", "second.key", "third.key", "vol.img"],
        "temporary files left"
    );
    assert_eq!(opens(&vol, b"correct horse\n"), Some(0));
    assert_eq!(
        opens(&vol, b"correct horse"),
        None,
        "key file bytes must be used exactly"
    );

    // info, text.
    let text = run(["info", vol.to_str().unwrap()]);
    let text = text.ok();
    let header = unlock(&vol, b"correct horse\n").unwrap().header;
    let uuid = header.uuid().to_string();
    for expected in [
        "Version:           1".to_owned(),
        "Cipher:            aes-xts-plain64".to_owned(),
        "Key size:          512 bits".to_owned(),
        "Hash:              sha256".to_owned(),
        "Payload offset:    4096 sectors (2097152 bytes)".to_owned(),
        "Data size:         1 MiB (1048576 bytes, 2048 sectors)".to_owned(),
        format!("UUID:              {uuid}"),
        format!("Volume GUID name:  \\??\\Volume{{{uuid}}}"),
        "  0: active".to_owned(),
        "  1: inactive".to_owned(),
        "stripes 4000  key material at sector 8 (byte 4096)".to_owned(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }

    // info, JSON parsed back and checked against the header.
    let json = info_json(&vol);
    assert_eq!(json["version"], 1);
    assert_eq!(json["cipher"], "aes-xts-plain64");
    assert_eq!(json["key_size_bits"], 512);
    assert_eq!(json["hash"], "sha256");
    assert_eq!(json["payload_offset_sectors"], 4096);
    assert_eq!(json["payload_offset_bytes"], 4096 * 512);
    assert_eq!(json["data_size_bytes"], 1 << 20);
    assert_eq!(json["data_sectors"], 2048);
    assert_eq!(json["original_length_bytes"], serde_json::Value::Null);
    assert_eq!(json["uuid"], uuid.as_str());
    assert_eq!(json["volume_guid_name"], format!("\\??\\Volume{{{uuid}}}"));
    let mut unique_id = b"cryptdisk-luks1:".to_vec();
    unique_id.extend_from_slice(Uuid::parse(uuid.as_bytes()).unwrap().as_bytes());
    let unique_hex: String = unique_id.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(json["unique_id"], unique_hex.as_str());
    assert_eq!(json["mk_digest_iterations"], header.mk_digest_iterations());
    let slots = json["key_slots"].as_array().unwrap();
    assert_eq!(slots.len(), 8);
    for (i, (slot, h)) in slots.iter().zip(header.slots()).enumerate() {
        assert_eq!(slot["slot"], i);
        assert_eq!(slot["active"], h.active);
        assert_eq!(slot["iterations"], h.iterations);
        assert_eq!(slot["stripes"], 4000);
        assert_eq!(slot["key_material_offset_sectors"], h.key_material_offset);
        assert_eq!(
            slot["key_material_offset_bytes"],
            u64::from(h.key_material_offset) * 512
        );
    }

    // add-key: the second passphrase goes into slot 1; both open the same master key.
    let out = run([
        "add-key",
        vol.to_str().unwrap(),
        "--key-file",
        first.to_str().unwrap(),
        "--new-key-file",
        second.to_str().unwrap(),
        "--iter-time",
        ITER,
    ]);
    assert!(out.ok().contains("Added key slot 1"), "{out:?}");
    assert_eq!(opens(&vol, b"correct horse\n"), Some(0));
    assert_eq!(opens(&vol, b"battery staple"), Some(1));
    let key0 = unlock(&vol, b"correct horse\n").unwrap().master_key;
    let key1 = unlock(&vol, b"battery staple").unwrap().master_key;
    assert_eq!(key0, key1);
    assert_eq!(active_slots(&vol), [0, 1]);

    // passwd: first → third. The old passphrase fails, the new one opens, the key is kept.
    let out = run([
        "passwd",
        vol.to_str().unwrap(),
        "--key-file",
        first.to_str().unwrap(),
        "--new-key-file",
        third.to_str().unwrap(),
        "--iter-time",
        ITER,
    ]);
    assert!(out.ok().contains("key slot 2 replaces slot 0"), "{out:?}");
    assert_eq!(opens(&vol, b"correct horse\n"), None);
    assert_eq!(opens(&vol, b"\x00\xffbinary\r\n"), Some(2));
    assert_eq!(unlock(&vol, b"\x00\xffbinary\r\n").unwrap().master_key, key0);
    assert_eq!(active_slots(&vol), [1, 2]);

    // remove-key: slot 1, authorised by the passphrase of slot 2.
    let out = run([
        "remove-key",
        vol.to_str().unwrap(),
        "--slot",
        "1",
        "--key-file",
        third.to_str().unwrap(),
    ]);
    assert!(out.ok().contains("Removed key slot 1"), "{out:?}");
    assert_eq!(opens(&vol, b"battery staple"), None);
    assert_eq!(opens(&vol, b"\x00\xffbinary\r\n"), Some(2));
    assert_eq!(active_slots(&vol), [2]);

    // The UUID (and so the volume's identity) never changed.
    assert_eq!(info_json(&vol)["uuid"], uuid.as_str());
    assert_eq!(s.listing(), ["first.key", "second.key", "third.key", "vol.img"]);
}

#[test]
fn create_options_reach_the_header() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    for (key_size, hash, bits) in [("256", "sha1", 256), ("512", "sha512", 512), ("256", "sha256", 256)] {
        let name = format!("v-{key_size}-{hash}.img");
        let vol = s.create(&name, "2100K", &key, &["--key-size", key_size, "--hash", hash]);
        let json = info_json(&vol);
        assert_eq!(json["key_size_bits"], bits, "{name}");
        assert_eq!(json["hash"], hash, "{name}");
        assert_eq!(json["data_size_bytes"], 2100 * 1024 - 2 * 1024 * 1024, "{name}");
        let opened = unlock(&vol, b"pw").unwrap();
        assert_eq!(opened.master_key.len() * 8, bits);
    }
}

#[test]
fn create_accepts_plain_bytes_and_reports_the_layout() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let vol = s.path("v.img");
    let out = run([
        "create",
        "--type",
        "luks1",
        vol.to_str().unwrap(),
        "--size",
        "2098176",
        "--iter-time",
        ITER,
        "--key-file",
        key.to_str().unwrap(),
    ]);
    let stdout = out.ok();
    assert!(
        stdout.contains("Created") && stdout.contains("1 KiB of data after a 2 MiB header"),
        "{stdout}"
    );
    assert_eq!(info_json(&vol)["data_sectors"], 2);
}

#[test]
fn iteration_counts_follow_iter_time() {
    let s = Scratch::new();
    let key = s.file("k", b"pw");
    let short = s.create("short.img", "3M", &key, &[]);
    let long = s.path("long.img");
    let args = [
        "create",
        "--type",
        "luks1",
        long.to_str().unwrap(),
        "--size",
        "3M",
        "--iter-time",
        "400",
        "--key-file",
        key.to_str().unwrap(),
    ];
    run(args).ok();
    let iterations = |v| info_json(v)["key_slots"][0]["iterations"].as_u64().unwrap();
    assert!(iterations(&short) >= 1000, "LUKS1 minimum");
    assert!(
        iterations(&long) > iterations(&short),
        "400 ms gave {} iterations, 10 ms gave {}",
        iterations(&long),
        iterations(&short)
    );
}
