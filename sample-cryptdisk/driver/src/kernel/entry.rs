//! `DriverEntry`, `DriverUnload`, the control device and the one dispatch routine.

use mountdev::{NtStatus, Reply};
use mountdev_wdk::{SymbolicLink, UnicodeBuf};
use wdk_sys::{
    DRIVER_OBJECT, FILE_DEVICE_SECURE_OPEN, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
    IRP_MJ_FLUSH_BUFFERS, IRP_MJ_READ, IRP_MJ_WRITE, NTSTATUS, PCUNICODE_STRING, PDEVICE_OBJECT, PIRP,
    STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
};

use cryptdisk_driver_logic::control::ControlJob;
use cryptdisk_driver_logic::control_codes::{CONTROL_DEVICE_NAME, CONTROL_LINK_NAME, ControlCode, FILE_DEVICE_UNKNOWN};

use super::control_service::{ControlWorker, PendingBox, accept};
use super::device::{DeviceExtension, DeviceKind, DeviceRef, DeviceSpec, DriverHandle, DriverRef, OwnedDevice};
use super::disk::{self, VolumeExtension};
use super::irp::{Irp, IrpExt, Request};
use super::worker::Worker;

/// The control device's extension: the worker that serves MOUNT / UNMOUNT / LIST (it owns the
/// control service and with it every mounted volume), and the device's symbolic link.
struct ControlExtension {
    worker: Worker<ControlJob<PendingBox>>,
    _link: SymbolicLink,
}

impl DeviceExtension for ControlExtension {
    const KIND: DeviceKind = DeviceKind::Control;
}

/// Creates `\Device\CryptDiskControl` with its worker, restricts it to SY and BA, and links
/// `\DosDevices\CryptDiskControl` to it. On failure nothing is left behind (the link, the worker
/// and the device are owned values, dropped on the error path).
fn create_control_device(driver: DriverRef<'_>) -> Result<(), NtStatus> {
    let name = UnicodeBuf::from_text(CONTROL_DEVICE_NAME)?;
    let link = SymbolicLink::create(
        UnicodeBuf::from_text(CONTROL_LINK_NAME)?.as_unicode()?.name(),
        name.as_unicode()?.name(),
    )?;
    // SAFETY: the handle lives in the control service, which lives on the control worker's
    // thread; DriverUnload drops the control device, which stops and joins that thread, before
    // it returns (and a failure below drops the worker before DriverEntry returns).
    let handle = unsafe { DriverHandle::new(driver) };
    let worker = Worker::start(ControlWorker::new(handle))?;
    let spec = DeviceSpec {
        name: name.as_unicode()?.name(),
        device_type: u32::from(FILE_DEVICE_UNKNOWN.0),
        characteristics: FILE_DEVICE_SECURE_OPEN,
        io_flags: 0,
    };
    let device = OwnedDevice::create(driver, &spec, ControlExtension { worker, _link: link })?;
    device.adapter_device().restrict_to_system_and_admins()?;
    device.finish_initializing();
    // DriverUnload takes it back from the driver's device chain.
    device.leak();
    Ok(())
}

/// What the control device answers: opens and closes succeed, the three control requests (their
/// code matched here, once) are prepared on the caller's thread ([`accept`]: a MOUNT is decoded,
/// its key scrubbed from the system buffer and its container opened with the caller's access
/// check) and go to the control worker; anything else is an invalid request. (The control device
/// is a top-level device that only user mode opens, so this routine runs in the requester's
/// thread.)
fn dispatch_control(control: &ControlExtension, mut irp: Irp) -> NTSTATUS {
    match irp.request() {
        Request::Create | Request::Cleanup | Request::Close => irp.complete(Reply::success(0)),
        Request::DeviceControl { code, .. } => match ControlCode::from_ioctl(code) {
            Some(code) => match accept(&mut irp, code) {
                Ok(job) => match control.worker.try_submit(irp, job) {
                    Ok(pending) => pending,
                    Err(refused) => {
                        if let ControlJob::Mount(pending) = job {
                            // SAFETY: the worker refused the IRP, so this is the job's only
                            // taker; dropping it closes the container.
                            drop(unsafe { pending.take() });
                        }
                        refused.fail(NtStatus::DELETE_PENDING)
                    }
                },
                Err(status) => irp.fail(status),
            },
            None => irp.fail(NtStatus::INVALID_DEVICE_REQUEST),
        },
        _ => irp.fail(NtStatus::INVALID_DEVICE_REQUEST),
    }
}

/// The dispatch routine of every major function the driver handles: routes by device kind.
unsafe extern "C" fn dispatch(device: PDEVICE_OBJECT, irp: PIRP) -> NTSTATUS {
    // SAFETY: the I/O manager passes an IRP addressed to this driver, which we now own.
    let Some(irp) = (unsafe { Irp::from_raw(irp) }) else {
        return STATUS_INVALID_PARAMETER;
    };
    // SAFETY: the I/O manager passes one of this driver's devices, live for the call.
    let Some(device) = (unsafe { DeviceRef::from_raw(device) }) else {
        return irp.fail(NtStatus::INVALID_PARAMETER);
    };
    if let Some(entered) = device.enter() {
        if let Some(control) = entered.extension::<ControlExtension>() {
            return dispatch_control(control, irp);
        }
        if let Some(volume) = entered.extension::<VolumeExtension>() {
            return disk::dispatch(volume, irp);
        }
    }
    // A device being deleted (or never finished): let handles go, refuse the rest.
    match irp.request() {
        Request::Cleanup | Request::Close => irp.complete(Reply::success(0)),
        _ => irp.fail(NtStatus::DELETE_PENDING),
    }
}

/// Deletes the control device: its worker finishes the queued control requests, then the
/// control service takes down every volume still mounted (`mount_plan::unmount`, open handles
/// or not), and the device and its link go.
unsafe extern "C" fn driver_unload(driver: *mut DRIVER_OBJECT) {
    // SAFETY: the I/O manager passes this driver's object, live for the call.
    let Some(driver) = (unsafe { DriverRef::from_raw(driver) }) else {
        return;
    };
    let mut next = driver.first_device();
    while let Some(device) = next {
        next = device.next_device();
        if device.kind() == DeviceKind::Control {
            // SAFETY: DriverEntry leaked the control device for DriverUnload to take back, and it
            // is taken back once. Volume devices are owned by the control service (deleted with
            // it), so the walk stops here instead of following a chain that changes meanwhile.
            drop(unsafe { OwnedDevice::<ControlExtension>::from_chain(device) });
            break;
        }
    }
}

/// `DriverEntry`: sets up dispatch and creates the control device.
///
/// # Safety
///
/// Called by the I/O manager only, at PASSIVE_LEVEL in the system process, with this driver's
/// object.
#[unsafe(export_name = "DriverEntry")]
pub unsafe extern "system" fn driver_entry(driver: &mut DRIVER_OBJECT, _registry_path: PCUNICODE_STRING) -> NTSTATUS {
    for major in [
        IRP_MJ_CREATE,
        IRP_MJ_CLEANUP,
        IRP_MJ_CLOSE,
        IRP_MJ_READ,
        IRP_MJ_WRITE,
        IRP_MJ_FLUSH_BUFFERS,
        IRP_MJ_DEVICE_CONTROL,
    ] {
        if let Some(slot) = driver.MajorFunction.get_mut(major as usize) {
            *slot = Some(dispatch);
        }
    }
    driver.DriverUnload = Some(driver_unload);
    // SAFETY: `driver` is this driver's object for the whole of DriverEntry.
    let Some(driver_ref) = (unsafe { DriverRef::from_raw(driver) }) else {
        return STATUS_INVALID_PARAMETER;
    };
    match create_control_device(driver_ref) {
        Ok(()) => STATUS_SUCCESS,
        Err(status) => status.as_i32(),
    }
}
