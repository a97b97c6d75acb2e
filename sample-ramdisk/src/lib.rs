//! A RAM-disk volume driver: `\Device\RamDiskVolume0`, 8 MiB of nonpaged pool, mounted at `R:`.
//!
//! It is written only against the public APIs of `mountdev` (what to answer), `mountdev-wdk`
//! (the kernel adapter) and `mountmgr-client` (the mount and unmount sequences), as a second
//! driver proving that the adapter is all a volume driver needs:
//!
//! - every MOUNTDEV probe, disk / storage / volume query and pended `UNIQUE_ID_CHANGE_NOTIFY`
//!   goes through [`mountdev_wdk::answer_volume_ioctl`], which hands back the driver's own
//!   control (`IOCTL_RAMDISK_RENEW_ID`: a new unique ID, announced to the pended
//!   notifications); every other IRP through [`mountdev_wdk::answer_volume_irp`];
//! - reads and writes (`DO_BUFFERED_IO`, sector-aligned) copy to and from the RAM under a spin lock;
//! - `DriverEntry` mounts at `R:` with `Client::mount_at_letter` over the kernel transport. Where
//!   the mount manager does not create the letter (Wine's refuses `CREATE_POINT` and the
//!   arrival), the driver creates `\??\R:` itself (the documented fallback) and deletes it at
//!   unload;
//! - `DriverUnload` cancels pended notifications, removes the mount points (`Client::unmount` by
//!   device name), deletes the fallback link and the device, and frees the RAM.
//!
//! Threading: the mount manager calls back into the volume while it processes the arrival. The
//! volume answers its IOCTLs inline in the dispatch routine, on the caller's thread, so sending
//! the mount requests from `DriverEntry` / `DriverUnload` cannot deadlock.
//!
//! `unsafe`: no `unsafe` block. The one `unsafe` token is the `#[unsafe(export_name =
//! "DriverEntry")]` attribute: the image's entry symbol must be exported by the driver crate
//! itself, and exporting a symbol is an unsafe attribute in edition 2024.
#![no_std]
#![deny(unsafe_code)]

use core::sync::atomic::{AtomicBool, Ordering};

use mountdev::ioctl::{Access, DeviceType, Method, ctl_code};
use mountdev::storage::{DiskConfig, DiskDescription};
use mountdev::{DriveLetterLink, MountdevVolume, NtName, NtStatus, Reply, SuggestedLink, UniqueId, nt_name};
use mountdev_wdk::ffi::{DO_BUFFERED_IO, DRIVER_OBJECT, FILE_DEVICE_DISK, NTSTATUS, PCUNICODE_STRING};
use mountdev_wdk::{
    Device, DeviceControl, DeviceSpec, Irp, KernelTransport, NotifyQueue, PoolBuf, SpinLock, SymbolicLink, Transfer,
    TransferKind, answer_volume_ioctl, answer_volume_irp, install,
};
use mountmgr_client::{Client, ClientError, LetterOutcome, MountRequest, Needed, Step, UnmountBy};

/// The volume's device name.
const DEVICE_NAME: NtName<'static> = nt_name!("\\Device\\RamDiskVolume0");
/// The drive letter asked for.
static LETTER: Option<DriveLetterLink> = DriveLetterLink::new(b'R');
/// The link the driver creates itself when the mount manager does not (global for a driver).
const FALLBACK_LINK: NtName<'static> = nt_name!("\\??\\R:");
/// The volume's size.
const SIZE: u64 = 8 << 20;
/// The sector size; transfers must be whole sectors.
const SECTOR: u64 = 512;
/// The mount client's buffer (requests and `QUERY_POINTS` replies).
const SCRATCH_BYTES: usize = 16 << 10;
/// The volume's unique IDs: the first, and the one [`IOCTL_RAMDISK_RENEW_ID`] switches to (and
/// back from).
const UNIQUE_IDS: [UniqueId<'static>; 2] = [
    UniqueId::from_array(b"mountdev sample-ramdisk volume 0"),
    UniqueId::from_array(b"mountdev sample-ramdisk volume 0, renewed"),
];
/// The driver's own control (`CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED,
/// FILE_ANY_ACCESS)`): the volume takes its other unique ID, as a volume does whose identity
/// changes, and every pended `UNIQUE_ID_CHANGE_NOTIFY` learns the old and the new one.
const IOCTL_RAMDISK_RENEW_ID: u32 = ctl_code(DeviceType(0x22), 0x800, Method::Buffered, Access::ANY);
/// Which of [`UNIQUE_IDS`] the volume has.
static RENEWED: AtomicBool = AtomicBool::new(false);

/// The unique ID the volume has before (`false`) or after (`true`) a renewal.
const fn unique_id_for(renewed: bool) -> UniqueId<'static> {
    let [first, second] = UNIQUE_IDS;
    if renewed { second } else { first }
}

/// What the mount manager learns about the volume.
struct Volume;

impl MountdevVolume for Volume {
    fn device_name(&self) -> NtName<'_> {
        DEVICE_NAME
    }
    fn unique_id(&self) -> UniqueId<'_> {
        unique_id_for(RENEWED.load(Ordering::Acquire))
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        LETTER.as_ref().map(|letter| SuggestedLink::drive_letter(letter, false))
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        true
    }
}

static NOTIFY: NotifyQueue = NotifyQueue::new();
static DISK: SpinLock<Option<DiskDescription>> = SpinLock::new(None);
static RAM: SpinLock<Option<PoolBuf>> = SpinLock::new(None);
static DEVICE: SpinLock<Option<Device>> = SpinLock::new(None);
static LINK: SpinLock<Option<SymbolicLink>> = SpinLock::new(None);

fn dispatch(irp: Irp) -> NTSTATUS {
    let Some(disk) = *DISK.lock() else {
        return irp.fail(NtStatus::NO_SUCH_DEVICE);
    };
    let irp = match irp.into_device_control() {
        Ok(request) => match answer_volume_ioctl(request, &Volume, &disk, &NOTIFY) {
            Ok(status) => return status,
            Err(request) if request.code() == IOCTL_RAMDISK_RENEW_ID => return renew_id(request),
            Err(request) => return request.complete(Reply::error(NtStatus::INVALID_DEVICE_REQUEST)),
        },
        Err(irp) => irp,
    };
    answer_volume_irp(irp, &Volume, &disk, &NOTIFY, |transfer| serve(transfer, &disk))
}

/// [`IOCTL_RAMDISK_RENEW_ID`]: switch IDs, then answer the pended notifications.
fn renew_id(request: DeviceControl) -> NTSTATUS {
    let was_renewed = RENEWED.fetch_xor(true, Ordering::AcqRel);
    let old = unique_id_for(was_renewed);
    let new = unique_id_for(!was_renewed);
    let _ = NOTIFY.complete_all(old, new);
    request.complete(Reply::success(0))
}

/// The byte range of a transfer, when it is whole sectors inside the disk.
fn sector_range(offset: i64, length: u32, disk: &DiskDescription) -> Option<core::ops::Range<usize>> {
    let start = u64::try_from(offset).ok()?;
    let end = start.checked_add(u64::from(length))?;
    let aligned = start.is_multiple_of(SECTOR) && u64::from(length).is_multiple_of(SECTOR);
    (aligned && end <= disk.size()).then_some(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
}

/// Reads and writes: copies between the caller's buffer and the RAM.
fn serve(mut transfer: Transfer, disk: &DiskDescription) -> NTSTATUS {
    let Some(range) = sector_range(transfer.offset(), transfer.len(), disk) else {
        return transfer.complete(Reply::error(NtStatus::INVALID_PARAMETER));
    };
    let kind = transfer.kind();
    let reply = match transfer.buffer() {
        Err(status) => Reply::error(status),
        Ok(buffer) => {
            let mut ram = RAM.lock();
            match ram.as_mut().and_then(|ram| ram.get_mut(range)) {
                None => Reply::error(NtStatus::NO_SUCH_DEVICE),
                Some(area) if area.len() != buffer.len() => Reply::error(NtStatus::INVALID_PARAMETER),
                Some(area) => {
                    match kind {
                        TransferKind::Read => buffer.copy_from_slice(area),
                        TransferKind::Write => area.copy_from_slice(buffer),
                    }
                    Reply::success(buffer.len())
                }
            }
        }
    };
    transfer.complete(reply)
}

/// Mounts at `R:`: the mount manager's sequence, or the fallback link where it refuses.
fn mount() -> Result<Option<SymbolicLink>, NtStatus> {
    let letter = LETTER.ok_or(NtStatus::INVALID_PARAMETER)?;
    let mut scratch = PoolBuf::try_zeroed(SCRATCH_BYTES)?;
    let mut client = Client::with_scratch(KernelTransport::open()?, &mut scratch[..]);
    let request = MountRequest {
        device_name: DEVICE_NAME,
        letter,
    };
    match client.mount_at_letter(&request) {
        Ok(outcome) => match outcome.letter {
            LetterOutcome::Ok | LetterOutcome::WrongLetter { .. } => Ok(None),
            LetterOutcome::Fallback(Needed::CreateLinkYourself { .. }) => {
                SymbolicLink::create(FALLBACK_LINK, DEVICE_NAME).map(Some)
            }
            LetterOutcome::Fallback(Needed::ChooseAnotherLetter { .. }) => Err(NtStatus::OBJECT_NAME_COLLISION),
        },
        // Wine's mount manager refuses the arrival: the letter is ours to make.
        Err(ClientError::Refused {
            step: Step::VolumeArrival,
            ..
        }) => SymbolicLink::create(FALLBACK_LINK, DEVICE_NAME).map(Some),
        Err(ClientError::Refused { status, .. }) => Err(status),
        Err(_) => Err(NtStatus::UNSUCCESSFUL),
    }
}

/// Removes the volume's mount points; failures leave nothing to undo (the device goes anyway).
fn unmount() {
    let Ok(mut scratch) = PoolBuf::try_zeroed(SCRATCH_BYTES) else {
        return;
    };
    let Ok(transport) = KernelTransport::open() else { return };
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    let _ = client.unmount(UnmountBy::DeviceName(DEVICE_NAME));
}

/// Takes everything down, in the reverse order of `DriverEntry`. Each value is taken out of its
/// lock first and dropped with no lock held (deleting links and devices needs PASSIVE_LEVEL).
fn teardown() {
    NOTIFY.cancel_all();
    let link = LINK.lock().take();
    match link {
        Some(link) => drop(link),
        None => unmount(),
    }
    *DISK.lock() = None;
    let device = DEVICE.lock().take();
    drop(device);
    let ram = RAM.lock().take();
    drop(ram);
}

fn start(driver: &mut DRIVER_OBJECT) -> Result<(), NtStatus> {
    let disk = DiskDescription::new(&DiskConfig::new(SIZE)).map_err(|_| NtStatus::INVALID_PARAMETER)?;
    let ram = PoolBuf::try_zeroed(usize::try_from(SIZE).map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)?)?;
    let spec = DeviceSpec {
        name: DEVICE_NAME,
        device_type: FILE_DEVICE_DISK,
        characteristics: 0,
        io_flags: DO_BUFFERED_IO,
    };
    let device = Device::create(driver, &spec)?;
    *RAM.lock() = Some(ram);
    *DISK.lock() = Some(disk);
    install(driver, dispatch, teardown);
    device.finish_initializing();
    *DEVICE.lock() = Some(device);
    let link = mount()?;
    *LINK.lock() = link;
    Ok(())
}

/// `DriverEntry`: the volume, mounted at `R:`; on any failure everything is taken down again.
#[allow(unsafe_code, reason = "the entry symbol must be exported by the driver image itself")]
#[unsafe(export_name = "DriverEntry")]
pub extern "system" fn driver_entry(driver: &mut DRIVER_OBJECT, _registry_path: PCUNICODE_STRING) -> NTSTATUS {
    match start(driver) {
        Ok(()) => NtStatus::SUCCESS.as_i32(),
        Err(status) => {
            teardown();
            status.as_i32()
        }
    }
}
