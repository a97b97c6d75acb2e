//! The smallest complete volume driver on `mountdev-wdk`: `\Device\MinimalVolume0`, a 1 MiB
//! read-only volume of zeros that answers every MOUNTDEV probe, every disk / storage query and
//! the pended unique-ID change notification, with no `unsafe` block of its own. Built as a `.sys`
//! by `ci/drivers/mountdev-wdk/check.sh`; its `dispatch` is the README's "answer the mount manager in 20 lines".
#![no_std]

use mountdev::storage::{DiskConfig, DiskDescription};
use mountdev::{MountdevVolume, NtName, NtStatus, Reply, UniqueId, nt_name};
use mountdev_wdk::ffi::{DO_BUFFERED_IO, DRIVER_OBJECT, FILE_DEVICE_DISK, NTSTATUS, PCUNICODE_STRING};
use mountdev_wdk::{
    Device, DeviceSpec, Irp, NotifyQueue, SpinLock, Transfer, TransferKind, answer_volume_irp, install,
};

const DEVICE_NAME: NtName<'static> = nt_name!("\\Device\\MinimalVolume0");
const SIZE: u64 = 1 << 20;

// ANCHOR: dispatch
struct Volume;
impl MountdevVolume for Volume {
    fn device_name(&self) -> NtName<'_> {
        DEVICE_NAME
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::from_array(b"mountdev-wdk minimal volume")
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        true
    }
}
static NOTIFY: NotifyQueue = NotifyQueue::new();
static DISK: SpinLock<Option<DiskDescription>> = SpinLock::new(None);
fn dispatch(irp: Irp) -> NTSTATUS {
    let Some(disk) = *DISK.lock() else {
        return irp.fail(NtStatus::NO_SUCH_DEVICE);
    };
    answer_volume_irp(irp, &Volume, &disk, &NOTIFY, |transfer| read_zeros(transfer, &disk))
}
// ANCHOR_END: dispatch

/// The device, deleted at unload.
static DEVICE: SpinLock<Option<Device>> = SpinLock::new(None);

/// Reads return zeros inside the volume; writes are refused.
fn read_zeros(mut transfer: Transfer, disk: &DiskDescription) -> NTSTATUS {
    if transfer.kind() == TransferKind::Write {
        return transfer.complete(Reply::error(NtStatus::MEDIA_WRITE_PROTECTED));
    }
    let length = u64::from(transfer.len());
    let inside = u64::try_from(transfer.offset())
        .ok()
        .and_then(|offset| offset.checked_add(length))
        .is_some_and(|end| end <= disk.size());
    if !inside {
        return transfer.complete(Reply::error(NtStatus::INVALID_PARAMETER));
    }
    let reply = match transfer.buffer() {
        Ok(buffer) => {
            buffer.fill(0);
            Reply::success(buffer.len())
        }
        Err(status) => Reply::error(status),
    };
    transfer.complete(reply)
}

fn unload() {
    NOTIFY.cancel_all();
    *DISK.lock() = None;
    let device = DEVICE.lock().take();
    drop(device);
}

/// `DriverEntry`: describe the disk, create the device, route every IRP to `dispatch`.
#[unsafe(export_name = "DriverEntry")]
pub extern "system" fn driver_entry(driver: &mut DRIVER_OBJECT, _registry_path: PCUNICODE_STRING) -> NTSTATUS {
    let Ok(disk) = DiskDescription::new(&DiskConfig {
        read_only: true,
        ..DiskConfig::new(SIZE)
    }) else {
        return NtStatus::INVALID_PARAMETER.as_i32();
    };
    let spec = DeviceSpec {
        name: DEVICE_NAME,
        device_type: FILE_DEVICE_DISK,
        characteristics: 0,
        io_flags: DO_BUFFERED_IO,
    };
    let device = match Device::create(driver, &spec) {
        Ok(device) => device,
        Err(status) => return status.as_i32(),
    };
    *DISK.lock() = Some(disk);
    install(driver, dispatch, unload);
    device.finish_initializing();
    *DEVICE.lock() = Some(device);
    NtStatus::SUCCESS.as_i32()
}
