//! `IOCTL_DISK_VERIFY` at the edges of the disk: the last sector is inside, one past the end is
//! not, negative offsets and `i64` overflow are rejected, short input is rejected.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use mountdev::ioctl::IOCTL_DISK_VERIFY;
use mountdev::storage::{DiskConfig, DiskDescription, handle_storage};
use mountdev::{IoBuffers, NtStatus, Reply};

const SECTOR: i64 = 4096;
const SIZE: i64 = 1000 * SECTOR;

fn disk() -> DiskDescription {
    DiskDescription::new(&DiskConfig {
        logical_sector_size: 4096,
        physical_sector_size: 4096,
        ..DiskConfig::new(SIZE as u64)
    })
    .unwrap()
}

/// `VERIFY_INFORMATION`: StartingOffset i64 @0, Length u32 @8, 4 bytes of padding.
fn input(start: i64, length: u32) -> [u8; 16] {
    let mut bytes = [0xCCu8; 16];
    bytes[..8].copy_from_slice(&start.to_le_bytes());
    bytes[8..12].copy_from_slice(&length.to_le_bytes());
    bytes
}

fn verify(start: i64, length: u32) -> Reply {
    let mut out = [0xEEu8; 8];
    let reply = handle_storage(
        &disk(),
        IOCTL_DISK_VERIFY,
        IoBuffers::split(&input(start, length), &mut out),
    );
    assert_eq!(out, [0xEE; 8], "verify writes no output");
    reply
}

const OK: Reply = Reply::success(0);
const BAD: Reply = Reply::error(NtStatus::INVALID_PARAMETER);

#[test]
fn edges_of_the_disk() {
    assert_eq!(verify(0, 4096), OK, "first sector");
    assert_eq!(verify(0, SIZE as u32), OK, "the whole disk");
    assert_eq!(verify(SIZE - SECTOR, 4096), OK, "last sector");
    assert_eq!(verify(SIZE - 1, 1), OK, "last byte");
    assert_eq!(verify(SIZE, 0), OK, "empty range at the end");
    assert_eq!(verify(SIZE, 4096), BAD, "one past the end");
    assert_eq!(verify(SIZE - SECTOR, 4097), BAD, "last sector plus one byte");
    assert_eq!(verify(SIZE + 1, 0), BAD, "empty range beyond the end");
}

#[test]
fn negative_and_overflowing_ranges() {
    assert_eq!(verify(-1, 0), BAD);
    assert_eq!(verify(-4096, 4096), BAD, "negative start ending at 0");
    assert_eq!(verify(i64::MIN, u32::MAX), BAD);
    assert_eq!(verify(i64::MAX, 1), BAD, "StartingOffset + Length overflows i64");
    assert_eq!(verify(i64::MAX - 10, u32::MAX), BAD);
    assert_eq!(verify(i64::MAX, 0), BAD);
}

#[test]
fn input_must_hold_verify_information() {
    let disk = disk();
    let full = input(0, 4096);
    for len in 0..16 {
        assert_eq!(
            handle_storage(&disk, IOCTL_DISK_VERIFY, IoBuffers::split(&full[..len], &mut [])),
            BAD,
            "input {len}"
        );
    }
    let mut longer = full.to_vec();
    longer.extend_from_slice(&[0xFF; 8]);
    assert_eq!(
        handle_storage(&disk, IOCTL_DISK_VERIFY, IoBuffers::split(&longer, &mut [])),
        OK
    );
}

/// Through a shared METHOD_BUFFERED buffer the input is read before anything could be written.
#[test]
fn shared_buffer() {
    let disk = disk();
    let mut system = input(SIZE - SECTOR, 4096);
    assert_eq!(
        handle_storage(&disk, IOCTL_DISK_VERIFY, IoBuffers::shared(&mut system, 16, 16)),
        OK
    );
    let mut system = input(SIZE, 4096);
    assert_eq!(
        handle_storage(&disk, IOCTL_DISK_VERIFY, IoBuffers::shared(&mut system, 16, 16)),
        BAD
    );
}
