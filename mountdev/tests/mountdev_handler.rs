//! The MOUNTDEV handler at every output size (through the `mountdev::testing` kit), the protocol.md §8.12 vectors, link callbacks and
//! the unique-ID change notification.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
// The test kit is on in the workspace (mountdev's self dev-dependency); a packaged copy of the
// crate runs these tests with `--all-features` (ci/package-check.sh).
#![cfg(feature = "testing")]

use std::cell::RefCell;

use mountdev::ioctl::*;
use mountdev::testing::{check_handler, utf16};
use mountdev::{
    DriveLetterLink, Guid, IoBuffers, MountdevVolume, NtName, NtStatus, Reply, SuggestedLink, UniqueId,
    handle_mountdev, nt_name, write_unique_id_change,
};

struct TestVolume {
    device: NtName<'static>,
    id: &'static [u8],
    guid: Option<Guid>,
    letter: Option<(DriveLetterLink, bool)>,
    notify: bool,
    links: RefCell<Vec<(bool, String)>>,
}

impl TestVolume {
    fn new() -> Self {
        Self {
            device: nt_name!("\\Device\\XtsVolume1"),
            id: b"xts-volume-1-unique",
            guid: None,
            letter: None,
            notify: false,
            links: RefCell::new(Vec::new()),
        }
    }
}

impl MountdevVolume for TestVolume {
    fn device_name(&self) -> NtName<'_> {
        self.device
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(self.id).unwrap()
    }
    fn stable_guid(&self) -> Option<Guid> {
        self.guid
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        self.letter
            .as_ref()
            .map(|(link, only)| SuggestedLink::drive_letter(link, *only))
    }
    fn link_created(&self, link: NtName<'_>) {
        self.links.borrow_mut().push((true, link.to_string()));
    }
    fn link_deleted(&self, link: NtName<'_>) {
        self.links.borrow_mut().push((false, link.to_string()));
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        self.notify
    }
}

fn call(volume: &TestVolume, code: u32, input: &[u8], out_len: usize) -> (Reply, Vec<u8>) {
    let mut out = vec![0xA5u8; out_len];
    let reply = handle_mountdev(volume, code, IoBuffers::split(input, &mut out));
    assert!(reply.is_consistent(out_len), "{code:#x} at {out_len}: {reply:?}");
    (reply, out)
}

/// Checks one counted query with the test kit (every output size from 0 to whole + 2: the counted
/// rule, split and shared buffers, nothing written past or left unwritten inside Information) and
/// compares the whole reply with `expected`.
fn check_counted(volume: &TestVolume, code: u32, c_sizeof: usize, expected: &[u8]) {
    let checked =
        check_handler(|code, io| handle_mountdev(volume, code, io), code, &[]).unwrap_or_else(|v| panic!("{v}"));
    assert_eq!(checked.whole(), Reply::success(expected.len()));
    assert_eq!(checked.bytes(), expected);
    let replies = checked.replies();
    assert_eq!(replies.len(), expected.len() + 3);
    assert_eq!(replies[c_sizeof - 1], Reply::error(NtStatus::BUFFER_TOO_SMALL));
    assert_eq!(replies[c_sizeof], Reply::new(NtStatus::BUFFER_OVERFLOW, c_sizeof));
}

#[test]
fn device_name_vector_of_protocol_8_12() {
    // protocol.md §8 item 12: 4-byte probe → `24 00 ?? ??`, 0x80000005, Information 4;
    // a >= 38-byte buffer → `24 00` + 36 name bytes, success, Information 38.
    let volume = TestVolume::new();
    let (reply, out) = call(&volume, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], 4);
    assert_eq!((reply.status.0, reply.information), (0x8000_0005, 4));
    assert_eq!(&out[..2], &[0x24, 0x00]);
    let mut expected = vec![0x24, 0x00];
    expected.extend(utf16("\\Device\\XtsVolume1"));
    assert_eq!(expected.len(), 38);
    check_counted(&volume, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, 4, &expected);
}

#[test]
fn unique_id_every_size() {
    let volume = TestVolume::new();
    let mut expected = vec![volume.id.len() as u8, 0];
    expected.extend_from_slice(volume.id);
    check_counted(&volume, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, 4, &expected);
}

#[test]
fn suggested_link_every_size_and_absent() {
    let mut volume = TestVolume::new();
    let (reply, _) = call(&volume, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, &[], 64);
    assert_eq!(reply, Reply::error(NtStatus::NOT_FOUND));
    volume.letter = Some((DriveLetterLink::new(b'Z').unwrap(), true));
    let mut expected = vec![1, 0, 28, 0];
    expected.extend(utf16("\\DosDevices\\Z:"));
    assert_eq!(expected.len(), 32);
    check_counted(&volume, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, 6, &expected);
}

#[test]
fn stable_guid_fixed_reply() {
    let mut volume = TestVolume::new();
    let (reply, _) = call(&volume, IOCTL_MOUNTDEV_QUERY_STABLE_GUID, &[], 16);
    assert_eq!(reply, Reply::error(NtStatus::INVALID_DEVICE_REQUEST));
    let guid: Guid = "6b29fc40-ca47-1067-b31d-00dd010662da".parse().unwrap();
    volume.guid = Some(guid);
    let checked = check_handler(
        |code, io| handle_mountdev(&volume, code, io),
        IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
        &[],
    )
    .unwrap_or_else(|v| panic!("{v}"));
    assert_eq!(checked.bytes(), &guid.to_le_bytes());
    for (len, reply) in checked.replies().iter().enumerate() {
        let expected = if len < 16 {
            Reply::error(NtStatus::BUFFER_TOO_SMALL)
        } else {
            Reply::success(16)
        };
        assert_eq!(*reply, expected, "len {len}");
    }
}

#[test]
fn link_notifications_accept_both_codes_and_reject_bad_input() {
    let volume = TestVolume::new();
    let mut input = vec![28, 0];
    input.extend(utf16("\\DosDevices\\Z:"));
    for code in [IOCTL_MOUNTDEV_LINK_CREATED, IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS] {
        assert_eq!(call(&volume, code, &input, 0).0, Reply::success(0));
    }
    for code in [IOCTL_MOUNTDEV_LINK_DELETED, IOCTL_MOUNTDEV_LINK_DELETED_ANY_ACCESS] {
        assert_eq!(call(&volume, code, &input, 0).0, Reply::success(0));
    }
    let seen = volume.links.borrow().clone();
    assert_eq!(seen.len(), 4);
    assert!(seen.iter().all(|(_, name)| name == "\\DosDevices\\Z:"));
    assert_eq!(seen.iter().filter(|(created, _)| *created).count(), 2);
    // Length past the buffer, odd length, NUL inside, empty.
    for bad in [
        &[30u8, 0][..],
        &[3, 0, b'A', 0, 0],
        &[4, 0, b'A', 0, 0, 0],
        &[0, 0],
        &[],
    ] {
        assert_eq!(
            call(&volume, IOCTL_MOUNTDEV_LINK_CREATED, bad, 0).0,
            Reply::error(NtStatus::INVALID_PARAMETER)
        );
    }
    assert_eq!(
        volume.links.borrow().len(),
        4,
        "rejected input must not reach the volume"
    );
}

#[test]
fn unknown_and_non_mountdev_codes_are_invalid_device_requests() {
    let volume = TestVolume::new();
    for code in [
        0u32,
        IOCTL_DISK_GET_LENGTH_INFO,
        IOCTL_MOUNTMGR_CREATE_POINT,
        0x004D_001C,
        0xFFFF_FFFF,
    ] {
        assert_eq!(
            call(&volume, code, &[1, 2, 3], 64).0,
            Reply::error(NtStatus::INVALID_DEVICE_REQUEST)
        );
    }
}

#[test]
fn unique_id_change_notify() {
    let mut volume = TestVolume::new();
    let mut input = vec![volume.id.len() as u8, 0];
    input.extend_from_slice(volume.id);
    // Not opted in: fail at once, never success with garbage.
    for code in [
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_ANY_ACCESS,
    ] {
        assert_eq!(
            call(&volume, code, &input, 1036).0,
            Reply::error(NtStatus::INVALID_DEVICE_REQUEST)
        );
    }
    volume.notify = true;
    assert_eq!(
        call(&volume, IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, &input, 1036).0,
        Reply::pending()
    );
    assert_eq!(
        call(&volume, IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, &[9, 0, 1], 1036).0,
        Reply::error(NtStatus::INVALID_PARAMETER)
    );

    // The mount manager knows an older ID: complete now, through a shared METHOD_BUFFERED buffer.
    let old = b"old-id";
    let mut system = vec![0u8; 1036];
    system[0] = old.len() as u8;
    system[2..2 + old.len()].copy_from_slice(old);
    let reply = handle_mountdev(
        &volume,
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
        IoBuffers::shared(&mut system, 2 + old.len(), 1036),
    );
    let total = 12 + old.len() + volume.id.len();
    assert_eq!(reply, Reply::success(total));
    let (_, parsed_old, parsed_new) = mountdev::layout::UniqueIdChangeNotifyOutput::parse(&system[..total]).unwrap();
    assert_eq!(parsed_old, old);
    assert_eq!(parsed_new, volume.id);

    // Too small for the whole reply: Size only, overflow; smaller than 12: too small.
    let mut small = vec![0u8; 20];
    small[0] = old.len() as u8;
    small[2..2 + old.len()].copy_from_slice(old);
    let reply = handle_mountdev(
        &volume,
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
        IoBuffers::shared(&mut small, 8, 20),
    );
    assert_eq!(reply, Reply::new(NtStatus::BUFFER_OVERFLOW, 12));
    assert_eq!(u32::from_le_bytes(small[..4].try_into().unwrap()) as usize, total);
    let mut out = [0u8; 11];
    assert_eq!(
        write_unique_id_change(&mut out, UniqueId::new(b"a").unwrap(), UniqueId::new(b"b").unwrap()),
        Reply::error(NtStatus::BUFFER_TOO_SMALL)
    );
}

/// Every request of the handler through the kit, for volumes with and without the optional
/// answers: the shared METHOD_BUFFERED buffer gives what split buffers give, at every size.
#[test]
fn every_request_keeps_the_reply_rules() {
    let mut link = vec![28, 0];
    link.extend(utf16("\\DosDevices\\Q:"));
    let mut known_id = vec![6, 0];
    known_id.extend_from_slice(b"old-id");
    for optional in [false, true] {
        let mut volume = TestVolume::new();
        if optional {
            volume.letter = Some((DriveLetterLink::new(b'Q').unwrap(), false));
            volume.guid = Some("6b29fc40-ca47-1067-b31d-00dd010662da".parse().unwrap());
            volume.notify = true;
        }
        for ioctl in Ioctl::ALL
            .iter()
            .filter(|i| i.name().is_some_and(|n| n.starts_with("IOCTL_MOUNTDEV")))
        {
            for input in [&[][..], &link, &known_id] {
                check_handler(|code, io| handle_mountdev(&volume, code, io), ioctl.code(), input)
                    .unwrap_or_else(|v| panic!("{v}"));
            }
        }
    }
}
