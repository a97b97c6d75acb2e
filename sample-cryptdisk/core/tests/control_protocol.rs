//! The control protocol: round trips, every rejection, and arbitrary bytes never panic.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use cryptdisk_core::control::*;
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::xts::XtsKeySize;
use mountdev::{NtName, NtNameBuf, NtStatus};
use proptest::prelude::*;

fn key(len: usize) -> MasterKey {
    let bytes: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5A).collect();
    MasterKey::from_slice(&bytes).unwrap()
}

fn request(path: &str, letter: Option<u8>, key: &MasterKey) -> Result<Vec<u8>, ControlError> {
    MountCommandBuilder {
        path,
        letter,
        options: MountOptions {
            read_only: true,
            removable: false,
        },
        cipher: CipherSpec::AesXtsPlain64 {
            key_size: if key.len() == 64 {
                XtsKeySize::Bits512
            } else {
                XtsKeySize::Bits256
            },
        },
        key,
        payload_offset: 4096,
        data_sectors: 8192,
        uuid: Uuid::from_bytes([9; 16]),
    }
    .to_vec()
}

#[test]
fn mount_round_trip() {
    for len in [32, 64] {
        let k = key(len);
        let bytes = request("\\??\\C:\\vols\\a.luks", Some(b'Q'), &k).unwrap();
        assert_eq!(
            bytes.len(),
            MOUNT_COMMAND_FIXED_SIZE + 2 * "\\??\\C:\\vols\\a.luks".len()
        );
        let ControlRequest::Mount(parsed) = ControlRequest::decode(IOCTL_CRYPTDISK_MOUNT, &bytes).unwrap() else {
            panic!("not a mount")
        };
        assert_eq!(parsed.path, "\\??\\C:\\vols\\a.luks");
        assert_eq!(parsed.letter.unwrap().letter(), 'Q');
        assert_eq!(parsed.key, k);
        assert_eq!((parsed.payload_offset, parsed.data_sectors), (4096, 8192));
        assert!(parsed.options.read_only && !parsed.options.removable);
        assert_eq!(parsed.uuid, Uuid::from_bytes([9; 16]));
    }
    let bytes = request("\\??\\UNC\\server\\share\\v.img", None, &key(64)).unwrap();
    assert!(MountCommand::parse(&bytes).unwrap().letter.is_none());
}

#[test]
fn mount_rejections() {
    let good = request("\\??\\C:\\v.luks", Some(b'Z'), &key(64)).unwrap();
    let mutate = |offset: usize, value: u8| {
        let mut bytes = good.clone();
        bytes[offset] = value;
        MountCommand::parse(&bytes).map(|_| ())
    };
    assert_eq!(mutate(0, b'X'), Err(ControlError::Magic));
    assert_eq!(mutate(4, 2), Err(ControlError::Version { version: 2 }));
    assert_eq!(mutate(6, 4), Err(ControlError::Reserved { field: "flags" }));
    assert_eq!(mutate(8, b'z'), Err(ControlError::DriveLetter { letter: b'z' }));
    assert_eq!(mutate(9, 2), Err(ControlError::Cipher { cipher: 2 }));
    assert_eq!(mutate(10, 48), Err(ControlError::KeyLength { length: 48 }));
    assert_eq!(mutate(14, 1), Err(ControlError::Reserved { field: "reserved" }));
    assert!(matches!(
        mutate(17, 0),
        Err(ControlError::Size {
            field: "payload offset",
            value: 0
        })
    ));
    let mut zero_payload = good.clone();
    zero_payload[16..24].fill(0);
    assert!(matches!(
        MountCommand::parse(&zero_payload),
        Err(ControlError::Size {
            field: "payload offset",
            ..
        })
    ));
    let mut zero_data = good.clone();
    zero_data[24..32].fill(0);
    assert!(matches!(
        MountCommand::parse(&zero_data),
        Err(ControlError::Size { field: "data size", .. })
    ));
    let mut huge = good.clone();
    huge[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(MountCommand::parse(&huge).is_err());
    // A 32-byte key with garbage after it.
    let mut short_key = request("\\??\\C:\\v.luks", Some(b'Z'), &key(32)).unwrap();
    short_key[48 + 40] = 1;
    assert_eq!(
        MountCommand::parse(&short_key).map(|_| ()),
        Err(ControlError::KeyLength { length: 32 })
    );
    // Lengths: short, trailing, odd path.
    assert!(matches!(
        MountCommand::parse(&good[..100]),
        Err(ControlError::Short { .. })
    ));
    assert!(matches!(
        MountCommand::parse(&good[..good.len() - 2]),
        Err(ControlError::Short { .. })
    ));
    let mut trailing = good.clone();
    trailing.extend_from_slice(&[0, 0]);
    assert!(matches!(
        MountCommand::parse(&trailing),
        Err(ControlError::Trailing { .. })
    ));
    let mut odd = good.clone();
    odd[12] = 3;
    odd[13] = 0;
    assert!(matches!(MountCommand::parse(&odd), Err(ControlError::Path { .. })));
    // Paths that are not absolute NT paths never leave the builder.
    for bad in [
        "C:\\v.luks",
        "\\??\\C:\\..\\v",
        "\\??\\C:\\v\0x",
        "relative.luks",
        "\\??\\C:\\",
    ] {
        assert!(request(bad, None, &key(64)).is_err(), "{bad:?}");
    }
    // The key scrubber.
    let mut scrubbed = good.clone();
    MountCommand::scrub(&mut scrubbed);
    assert!(scrubbed[48..112].iter().all(|&b| b == 0));
    assert_eq!(scrubbed[..48], good[..48]);
}

#[test]
fn unmount_and_codes() {
    for target in [UnmountTarget::Letter(b'Z'), UnmountTarget::DeviceNumber(7)] {
        for force in [false, true] {
            let request = UnmountRequest { target, force };
            assert_eq!(UnmountRequest::parse(&request.to_bytes()), Ok(request));
        }
    }
    let mut bad = UnmountRequest {
        target: UnmountTarget::Letter(b'Z'),
        force: false,
    }
    .to_bytes();
    bad[9] = b'z';
    assert!(UnmountRequest::parse(&bad).is_err());
    assert!(UnmountRequest::parse(&[0; 15]).is_err());
    assert!(UnmountRequest::parse(&[0; 17]).is_err());
    assert_eq!(IOCTL_CRYPTDISK_MOUNT, 0x0022_E000);
    assert_eq!(IOCTL_CRYPTDISK_UNMOUNT, 0x0022_E004);
    assert_eq!(IOCTL_CRYPTDISK_LIST, 0x0022_E008);
    assert!(matches!(
        ControlRequest::decode(IOCTL_CRYPTDISK_LIST, &[]),
        Ok(ControlRequest::List)
    ));
    assert_eq!(
        ControlRequest::decode(0x0022_E00C, &[]).map(|_| ()),
        Err(ControlError::UnknownCode { code: 0x0022_E00C })
    );
    assert_eq!(NtStatus::from(ControlError::Magic), NtStatus::INVALID_PARAMETER);
}

fn path(text: &str) -> NtNameBuf<64> {
    let mut buf = NtNameBuf::new();
    buf.push_str(text).unwrap();
    buf
}

#[test]
fn list_every_output_size() {
    let paths = [path("\\??\\C:\\a.luks"), path("\\??\\D:\\vols\\b.luks")];
    let volumes: Vec<VolumeSummary<'_>> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| VolumeSummary {
            device_number: i as u32 + 1,
            drive_letter: (i == 0).then_some(b'Z'),
            read_only: i == 1,
            removable: false,
            fallback_link: i == 1,
            data_sectors: 100 * (i as u64 + 1),
            uuid: Uuid::from_bytes([i as u8; 16]),
            path: p.as_name().unwrap(),
        })
        .collect();
    let total = LIST_HEADER_SIZE + 2 * LIST_ENTRY_SIZE + volumes.iter().map(|v| v.path.byte_len()).sum::<usize>();
    for len in 0..=total + 2 {
        let mut out = vec![0xEEu8; len];
        let reply = write_list_reply(&volumes, &mut out);
        assert!(reply.is_consistent(len));
        if len < LIST_HEADER_SIZE {
            assert_eq!(reply.status, NtStatus::BUFFER_TOO_SMALL);
        } else if len < total {
            assert_eq!(
                (reply.status, reply.information),
                (NtStatus::BUFFER_OVERFLOW, LIST_HEADER_SIZE)
            );
            assert_eq!(
                ListReply::parse(&out[..16]).map(|_| ()),
                Err(ControlError::NeedsRetry { size: total })
            );
        } else {
            assert_eq!(reply, mountdev::Reply::success(total));
            let list = ListReply::parse(&out[..reply.information]).unwrap();
            let entries = list.to_vec().unwrap();
            assert_eq!(entries.len(), 2);
            assert_eq!(entries[1].path, "\\??\\D:\\vols\\b.luks");
            assert_eq!(entries[0].drive_letter, Some(b'Z'));
            assert!(entries[1].read_only && entries[1].fallback_link);
            assert_eq!(entries[1].data_sectors, 200);
        }
    }
    let mut empty = [0u8; 16];
    let reply = write_list_reply(&[], &mut empty);
    assert_eq!(reply, mountdev::Reply::success(16));
    assert!(ListReply::parse(&empty).unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), code in 0u32..4) {
        let code = [IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT, IOCTL_CRYPTDISK_LIST, 0][code as usize];
        let _ = ControlRequest::decode(code, &bytes);
        let _ = MountReply::parse(&bytes);
        if let Ok(list) = ListReply::parse(&bytes) {
            for entry in list.entries().flatten() {
                prop_assert!(entry.path.byte_len() <= bytes.len());
            }
        }
    }

    #[test]
    fn mutated_mount_requests_never_panic(index in 0usize..160, value: u8) {
        let mut bytes = request("\\??\\C:\\vols\\x.luks", Some(b'M'), &key(64)).unwrap();
        if let Some(byte) = bytes.get_mut(index) {
            *byte = value;
        }
        if let Ok(parsed) = MountCommand::parse(&bytes) {
            prop_assert!(validate_container_path(parsed.path).is_ok());
        }
    }

    #[test]
    fn mount_reply_round_trip(flags in 0u16..8, number: u32, letter in proptest::option::of(b'A'..=b'Z'), guid: [u8; 16]) {
        let reply = MountReply::new(MountReplyFlags::from_bits_truncate(flags), number, letter, guid);
        let parsed = MountReply::parse(zerocopy::IntoBytes::as_bytes(&reply)).unwrap();
        prop_assert_eq!(parsed, reply);
    }
}

#[test]
fn names_from_the_list_are_nt_names() {
    let name: NtName<'_> = mountdev::nt_name!("\\??\\C:\\x");
    assert!(validate_container_path(name).is_ok());
}
