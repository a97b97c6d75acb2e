//! Pool exhaustion on the MOUNT path (issue 15 L6): with a global allocator that fails the
//! `n`-th allocation of the test's thread, a MOUNT of a LUKS1 or a LUKS2 container (both halves: the
//! dispatch routine's `accept_mount` and the worker's `ControlService::mount`) must complete
//! with `STATUS_INSUFFICIENT_RESOURCES` for every `n` up to the number of allocations a MOUNT
//! makes, and succeed beyond it. An infallible allocation on the path would call the allocation
//! error handler instead, which aborts this test (in the kernel: a bug check). The same for
//! LUKS2 headers the driver refuses (their error text is built on the reading path): every
//! MOUNT completes with the refusal or with `STATUS_INSUFFICIENT_RESOURCES`.
//!
//! The allocator is test code: the one `unsafe` here is the `GlobalAlloc` contract, forwarded
//! to the system allocator.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr::null_mut;

use cryptdisk_core::blockdev::{BlockDevice, MemDevice};
use cryptdisk_core::control::{MountCommandBuilder, MountOptions, MountReply};
use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::Mounted;
use cryptdisk_core::luks::{FormatOptions, HashSpec, format};
use cryptdisk_core::luks2::{KdfChoice, Luks2Options};
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::volume::Volume;
use cryptdisk_core::xts::XtsKeySize;
use cryptdisk_driver_logic::control::{ControlBuffers, ControlJob, accept_mount, handle_control};
use cryptdisk_driver_logic::service::{ControlService, Platform, TakeDownError};
use mountdev::{DriveLetterLink, NtStatus, Reply};
use zerocopy::FromBytes;

std::thread_local! {
    /// Allocations this thread may still make before one fails (`None`: unlimited).
    static ALLOWANCE: Cell<Option<u32>> = const { Cell::new(None) };
    /// Whether an allocation of this thread was failed since the last `arm`.
    static FAILED: Cell<bool> = const { Cell::new(false) };
}

/// The system allocator, failing one allocation of an armed thread.
struct Failing;

impl Failing {
    fn should_fail() -> bool {
        ALLOWANCE
            .try_with(|allowance| match allowance.get() {
                Some(0) => {
                    allowance.set(None);
                    true
                }
                Some(n) => {
                    allowance.set(Some(n - 1));
                    false
                }
                None => false,
            })
            .unwrap_or(false)
    }
}

// SAFETY: every block comes from `System` with the caller's layout and goes back to it; a failure
// is a null return, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for Failing {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::should_fail() {
            let _ = FAILED.try_with(|failed| failed.set(true));
            return null_mut();
        }
        // SAFETY: forwarded with the caller's (non-zero-sized) layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with `layout` (caller contract).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Failing = Failing;

/// The kernel's part, allocation-free: the real one allocates only fallibly (`try_arc`,
/// `try_box`), which the driver's own tests cannot run here.
struct NoKernel;

impl Platform for NoKernel {
    type Container = MemDevice;
    type Volume = u32;

    fn mount(
        &mut self,
        _volume: Volume<MemDevice>,
        disk: DiskDevice,
        letter: Option<DriveLetterLink>,
    ) -> Result<(Mounted, u32), NtStatus> {
        let mounted = Mounted {
            letter,
            fallback_link: true,
            registered: false,
            volume_name: None,
            phantom_letters_removed: 0,
        };
        Ok((mounted, disk.number()))
    }

    fn open_count(&self, _volume: &u32) -> u32 {
        0
    }

    fn take_down(&mut self, _volume: u32, _mounted: &Mounted, _force: bool) -> Result<(), TakeDownError<u32>> {
        Ok(())
    }
}

const CIPHER: CipherSpec = CipherSpec::AesXtsPlain64 {
    key_size: XtsKeySize::Bits512,
};

/// A deterministic random source for the formatters.
fn rng() -> impl FnMut(&mut [u8]) -> Result<(), cryptdisk_core::rng::RngError> {
    let mut counter = 0u8;
    move |buf: &mut [u8]| {
        for byte in buf {
            counter = counter.wrapping_add(97);
            *byte = counter;
        }
        Ok(())
    }
}

/// The MOUNT command of a container whose data starts at `payload` (512-byte sectors).
fn command(
    device: &MemDevice,
    key: &cryptdisk_core::key::MasterKey,
    payload: u64,
    uuid: cryptdisk_core::uuid::Uuid,
) -> Vec<u8> {
    MountCommandBuilder {
        path: "\\??\\C:\\volumes\\a-rather-long-directory-name\\vault.luks",
        letter: Some(b'Q'),
        options: MountOptions::default(),
        cipher: CIPHER,
        key,
        payload_offset: payload,
        data_sectors: device.sector_count() - payload,
        uuid,
    }
    .to_vec()
    .unwrap()
}

/// A formatted LUKS1 container (sha256, 1000 iterations) of 64 data sectors and its MOUNT
/// command.
fn luks1() -> (MemDevice, Vec<u8>) {
    let mut device = MemDevice::new(4096 + 64);
    let opts = FormatOptions::new(CIPHER, HashSpec::Sha256, 1000, 1000);
    let unlocked = format(&mut device, &opts, b"pass", &mut rng()).unwrap();
    let payload = u64::from(unlocked.header.payload_offset());
    let command = command(&device, &unlocked.master_key, payload, unlocked.header.uuid());
    (device, command)
}

/// A LUKS2 container made by the core's formatter (a PBKDF2-sha256 key slot and digest of 1000
/// iterations, 4096-byte sectors, 1 MiB data offset) of 64 data sectors and its MOUNT command.
fn luks2() -> (MemDevice, Vec<u8>) {
    let mut device = MemDevice::new(2048 + 64);
    let kdf = KdfChoice::Pbkdf2 {
        hash: HashSpec::Sha256,
        iterations: 1000,
    };
    let opts = Luks2Options {
        data_offset: 1 << 20,
        ..Luks2Options::new(kdf, 1000)
    };
    let unlocked = cryptdisk_core::luks2::format(&mut device, &opts, b"pass", &mut rng()).unwrap();
    let payload = unlocked.header.metadata.segment.offset / 512;
    let command = command(&device, &unlocked.volume_key, payload, unlocked.header.uuid());
    (device, command)
}

/// A change of a LUKS2 metadata JSON text.
type JsonEdit = fn(&str) -> String;

/// [`luks2`]'s container with its metadata JSON changed by `edit` (both copies rewritten with
/// valid checksums), or with both copies' checksums broken when `edit` is `None`.
fn refused_luks2(edit: Option<JsonEdit>) -> (MemDevice, Vec<u8>) {
    use cryptdisk_core::luks2::binary::{Copy, build_copy};
    let (mut device, command) = luks2();
    let header = cryptdisk_core::luks2::read_header(&mut device).unwrap();
    let size = usize::try_from(header.binary.hdr_size).unwrap();
    for (copy, at) in [(Copy::Primary, 0), (Copy::Secondary, size)] {
        match edit {
            Some(edit) => {
                let json = edit(&header.metadata.json.to_text());
                let bytes = build_copy(&header.binary, copy, json.as_bytes()).unwrap();
                device.as_bytes_mut()[at..at + size].copy_from_slice(&bytes);
            }
            None => device.as_bytes_mut()[at + 4096] ^= 1,
        }
    }
    (device, command)
}

/// Fails every allocation of a MOUNT that the driver refuses: each must complete with the same
/// refusal as without a failure, or with `STATUS_INSUFFICIENT_RESOURCES`; the number of
/// allocations the refused MOUNT makes.
fn every_allocation_of_a_refusal_fails_gracefully(device: &MemDevice, command: &[u8]) -> u32 {
    let (refusal, failed) = mount_failing_at(None, device, command);
    assert!(!refusal.status.is_success() && !failed, "{refusal:?}");
    let mut points = 0;
    for n in 0.. {
        let (reply, failed) = mount_failing_at(Some(n), device, command);
        if !failed {
            assert_eq!(reply, refusal);
            break;
        }
        assert!(
            reply == refusal || reply == Reply::error(NtStatus::INSUFFICIENT_RESOURCES),
            "allocation {n}: {reply:?}"
        );
        points += 1;
    }
    points
}

#[test]
fn refused_luks2_headers_fail_gracefully_under_allocation_failure() {
    let cases: [(&str, Option<JsonEdit>); 3] = [
        (
            "unsupported cipher",
            Some(|j| j.replace("aes-xts-plain64", "serpent-xts-plain64")),
        ),
        ("missing member", Some(|j| j.replace(r#""iv_tweak":"0","#, ""))),
        ("both copies damaged", None),
    ];
    for (what, edit) in cases {
        let (device, command) = refused_luks2(edit);
        let points = every_allocation_of_a_refusal_fails_gracefully(&device, &command);
        println!("a refused LUKS2 MOUNT ({what}) allocates {points} times, each fallibly");
        assert!(points > 0, "{what}");
    }
}

/// One MOUNT, both halves, with the `n`-th allocation failed (or none); whether one was.
fn mount_failing_at(n: Option<u32>, device: &MemDevice, command: &[u8]) -> (Reply, bool) {
    let mut service = ControlService::new(NoKernel);
    let mut container = Some(device.clone());
    let mut system = vec![0u8; command.len()];
    system.copy_from_slice(command);
    FAILED.set(false);
    ALLOWANCE.set(n);
    let reply = match accept_mount(ControlBuffers::shared(&mut system, command.len(), 32), |_, _| {
        container.take().ok_or(NtStatus::UNSUCCESSFUL)
    }) {
        Ok(pending) => handle_control(
            &mut service,
            ControlJob::Mount(pending),
            ControlBuffers::shared(&mut system, command.len(), 32),
        ),
        Err(status) => Reply::error(status),
    };
    ALLOWANCE.set(None);
    let failed = FAILED.get();
    if reply.status.is_success() {
        assert!(MountReply::read_from_prefix(&system).is_ok());
    }
    drop(service);
    (reply, failed)
}

/// Fails every allocation of a MOUNT of `device` in turn (each must give
/// `STATUS_INSUFFICIENT_RESOURCES`); the number of allocations the MOUNT makes.
fn every_allocation_fails_gracefully(device: &MemDevice, command: &[u8]) -> u32 {
    let (reply, failed) = mount_failing_at(None, device, command);
    assert!(reply.status.is_success() && !failed, "{reply:?}");
    let mut points = 0;
    for n in 0.. {
        let (reply, failed) = mount_failing_at(Some(n), device, command);
        if !failed {
            assert!(reply.status.is_success(), "{reply:?}");
            break;
        }
        assert_eq!(reply, Reply::error(NtStatus::INSUFFICIENT_RESOURCES), "allocation {n}");
        points += 1;
    }
    points
}

#[test]
fn every_allocation_of_a_luks1_mount_fails_gracefully() {
    let (device, command) = luks1();
    let points = every_allocation_fails_gracefully(&device, &command);
    println!("a LUKS1 MOUNT allocates {points} times, each fallibly");
    assert!(points >= 2, "the path copy and the registry slot at least");
}

#[test]
fn every_allocation_of_a_luks2_mount_fails_gracefully() {
    let (device, command) = luks2();
    let (luks1_device, luks1_command) = luks1();
    let luks1_points = every_allocation_fails_gracefully(&luks1_device, &luks1_command);
    let points = every_allocation_fails_gracefully(&device, &command);
    println!("a LUKS2 MOUNT allocates {points} times, each fallibly");
    // Beyond LUKS1's: both metadata copies read and parsed (areas, keys, strings, vectors).
    assert!(points > luks1_points + 20, "{points} vs LUKS1 {luks1_points}");
}
