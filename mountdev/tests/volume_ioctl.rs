//! `handle_volume_ioctl`: for every known code and several output sizes it answers exactly what
//! `try_handle_mountdev` or `try_handle_storage` answer, in that order, and hands every other
//! code back with its buffers untouched; on a shared METHOD_BUFFERED buffer too.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use mountdev::ioctl::{IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, Ioctl};
use mountdev::storage::{DiskConfig, DiskDescription};
use mountdev::{
    IoBuffers, MountdevVolume, NtName, NtStatus, Reply, UniqueId, handle_volume_ioctl, nt_name, try_handle_mountdev,
    try_handle_storage,
};

struct Vol;

impl MountdevVolume for Vol {
    fn device_name(&self) -> NtName<'_> {
        nt_name!("\\Device\\RamVolume0")
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(b"ram-volume-0-id").unwrap()
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        true
    }
}

fn disk() -> DiskDescription {
    DiskDescription::new(&DiskConfig::new(8 << 20)).unwrap()
}

/// Runs `f` on a split buffer pair filled with a marker; returns the result and the output.
fn run(f: impl FnOnce(IoBuffers<'_>) -> Option<Reply>, input: &[u8], out_len: usize) -> (Option<Reply>, Vec<u8>) {
    let mut out = vec![0xA5u8; out_len];
    let reply = f(IoBuffers::split(input, &mut out));
    (reply, out)
}

#[test]
fn every_known_code_is_answered_by_the_first_handler_that_owns_it() {
    let disk = disk();
    let mut owned_by_mountdev = 0;
    let mut owned_by_storage = 0;
    let mut handed_back = 0;
    for ioctl in Ioctl::ALL {
        let code = ioctl.code();
        for out_len in [0usize, 1, 4, 8, 24, 64, 512] {
            let input = [0u8; 16];
            let combined = run(|io| handle_volume_ioctl(&Vol, &disk, code, io).ok(), &input, out_len);
            let mountdev = run(|io| try_handle_mountdev(&Vol, code, io).ok(), &input, out_len);
            let storage = run(|io| try_handle_storage(&disk, code, io).ok(), &input, out_len);
            match (mountdev.0, storage.0) {
                (Some(_), _) => {
                    assert_eq!(combined, mountdev, "{:?} at {out_len}", ioctl.name());
                    owned_by_mountdev += 1;
                }
                (None, Some(_)) => {
                    assert_eq!(combined, storage, "{:?} at {out_len}", ioctl.name());
                    owned_by_storage += 1;
                }
                (None, None) => {
                    assert_eq!(combined.0, None, "{:?}", ioctl.name());
                    assert!(
                        combined.1.iter().all(|&b| b == 0xA5),
                        "{:?} touched the output",
                        ioctl.name()
                    );
                    handed_back += 1;
                }
            }
        }
    }
    // Each side owns codes, and some known codes (the FSCTLs) are left to the driver.
    assert!(owned_by_mountdev >= 10 * 7, "{owned_by_mountdev}");
    assert!(owned_by_storage >= 30 * 7, "{owned_by_storage}");
    assert!(handed_back >= 3 * 7, "{handed_back}");
}

#[test]
fn a_private_code_comes_back_with_its_buffers() {
    let disk = disk();
    let mut system = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let io = IoBuffers::shared(&mut system, 3, 8);
    let Err(io) = handle_volume_ioctl(&Vol, &disk, 0x0022_2004, io) else {
        panic!("a private code was answered");
    };
    assert_eq!(io.input(), &[1, 2, 3]);
    assert_eq!(io.output_len(), 8);
    assert_eq!(system, [1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn the_shared_system_buffer_gets_the_unique_id_probe_and_the_full_reply() {
    let disk = disk();
    let mut system = [0u8; 4];
    let reply = handle_volume_ioctl(
        &Vol,
        &disk,
        IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
        IoBuffers::shared(&mut system, 0, 4),
    )
    .unwrap();
    assert_eq!((reply.status, reply.information), (NtStatus::BUFFER_OVERFLOW, 4));
    assert_eq!(&system[..2], &15u16.to_le_bytes());
    let mut system = [0u8; 17];
    let reply = handle_volume_ioctl(
        &Vol,
        &disk,
        IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
        IoBuffers::shared(&mut system, 0, 17),
    )
    .unwrap();
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, 17));
    assert_eq!(&system[2..], b"ram-volume-0-id");
}

#[test]
fn a_change_notify_with_the_current_id_pends_and_with_an_old_one_completes() {
    let disk = disk();
    let mut current = vec![15u8, 0];
    current.extend_from_slice(b"ram-volume-0-id");
    let mut system = current.clone();
    system.resize(64, 0);
    let reply = handle_volume_ioctl(
        &Vol,
        &disk,
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
        IoBuffers::shared(&mut system, current.len(), 64),
    )
    .unwrap();
    assert_eq!(reply, Reply::pending());

    let mut system = vec![3u8, 0, b'o', b'l', b'd'];
    system.resize(64, 0);
    let reply = handle_volume_ioctl(
        &Vol,
        &disk,
        IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
        IoBuffers::shared(&mut system, 5, 64),
    )
    .unwrap();
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, 12 + 3 + 15));
    assert_eq!(&system[12..15], b"old");
    assert_eq!(&system[15..30], b"ram-volume-0-id");
}
