//! `DriverEntry`, `DriverUnload`, the control device and the one dispatch routine.

use mountdev::{NtStatus, Reply};
use wdk_sys::{
    DRIVER_OBJECT, FILE_DEVICE_SECURE_OPEN, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
    IRP_MJ_FLUSH_BUFFERS, IRP_MJ_READ, IRP_MJ_WRITE, NTSTATUS, PCUNICODE_STRING, PDEVICE_OBJECT, PIRP,
    STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
};

use crate::control::handle_control;
use crate::control_codes::{CONTROL_DEVICE_NAME, FILE_DEVICE_UNKNOWN};
use crate::kernel::device::{DeviceExtension, DeviceKind, DeviceRef, DeviceSpec, DriverRef, OwnedDevice};
use crate::kernel::disk::{self, VolumeExtension};
use crate::kernel::irp::{Irp, Request};
use crate::kernel::links::OwnedLink;
use crate::kernel::name::NameBuf;
use crate::kernel::security::restrict_to_system_and_admins;

/// The control device's link, created from DriverEntry (system process, so it is global).
pub const CONTROL_LINK_NAME: &str = "\\DosDevices\\CryptDiskControl";

/// The control device's extension: it owns the device's symbolic link.
struct ControlExtension {
    _link: OwnedLink,
}

// SAFETY: OwnedLink is a name buffer; nothing in it is touched through `&self`.
unsafe impl Sync for ControlExtension {}

impl DeviceExtension for ControlExtension {
    const KIND: DeviceKind = DeviceKind::Control;
}

/// Creates `\Device\CryptDiskControl`, restricts it to SY and BA, and links
/// `\DosDevices\CryptDiskControl` to it. On failure nothing is left behind (the link and the
/// device are owned values, dropped on the error path).
fn create_control_device(driver: DriverRef<'_>) -> Result<(), NtStatus> {
    let name = NameBuf::from_ascii(CONTROL_DEVICE_NAME)?;
    let link = OwnedLink::create(&NameBuf::from_ascii(CONTROL_LINK_NAME)?, &name)?;
    let spec = DeviceSpec {
        name: &name,
        device_type: u32::from(FILE_DEVICE_UNKNOWN.0),
        characteristics: FILE_DEVICE_SECURE_OPEN,
        io_flags: 0,
    };
    let device = OwnedDevice::create(driver, &spec, ControlExtension { _link: link })?;
    restrict_to_system_and_admins(device.device())?;
    device.finish_initializing();
    // DriverUnload takes it back from the driver's device chain.
    device.leak();
    Ok(())
}

/// What the control device answers.
fn dispatch_control(mut irp: Irp) -> NTSTATUS {
    match irp.request() {
        Request::Create | Request::Cleanup | Request::Close => irp.complete(Reply::success(0)),
        Request::DeviceControl { code, .. } => {
            let reply = handle_control(code, irp.ioctl_buffers());
            irp.complete(reply)
        }
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
    if device.extension::<ControlExtension>().is_some() {
        return dispatch_control(irp);
    }
    if let Some(volume) = device.extension::<VolumeExtension>() {
        return disk::dispatch(volume, irp);
    }
    irp.fail(NtStatus::INVALID_DEVICE_REQUEST)
}

/// Deletes every device the driver still has (volumes first stop their workers).
unsafe extern "C" fn driver_unload(driver: *mut DRIVER_OBJECT) {
    // SAFETY: the I/O manager passes this driver's object, live for the call.
    let Some(driver) = (unsafe { DriverRef::from_raw(driver) }) else {
        return;
    };
    let mut next = driver.first_device();
    while let Some(device) = next {
        next = device.next_device();
        // The kind is read once, before the device may be deleted.
        match device.kind() {
            // SAFETY: every device on the chain was leaked by its creator for DriverUnload to
            // take back, and each is taken back once (the chain is walked once).
            DeviceKind::Control => drop(unsafe { OwnedDevice::<ControlExtension>::from_chain(device) }),
            // SAFETY: as above.
            DeviceKind::Volume => drop(unsafe { OwnedDevice::<VolumeExtension>::from_chain(device) }),
            DeviceKind::Unknown => {}
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
    crate::phase2::keep_linked();
    // SAFETY: `driver` is this driver's object for the whole of DriverEntry.
    let Some(driver_ref) = (unsafe { DriverRef::from_raw(driver) }) else {
        return STATUS_INVALID_PARAMETER;
    };
    match create_control_device(driver_ref) {
        Ok(()) => STATUS_SUCCESS,
        Err(status) => status.as_i32(),
    }
}
