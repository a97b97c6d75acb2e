//! (a) Volume devices: `\Device\CryptDiskVolumeN` disk device objects, each serving one mounted
//! [`Volume`] through its own [`Worker`].
//!
//! What each request gets is decided by `cryptdisk_driver_logic::volume_io::route` (device
//! control answered at once by `DiskDevice::device_control`; READ / WRITE validated once into a
//! `ValidIo` that travels with the queued IRP; FLUSH queued; opens and I/O refused once
//! [`VolumeExtension::begin_close`] ran). This module carries the decisions out: it completes,
//! answers or queues the IRP, and on the worker maps the MDL and runs the XTS data path inside
//! one save of the extended processor state for the whole request.

use alloc::boxed::Box;
use alloc::sync::Arc;

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::volume::Volume;
use cryptdisk_driver_logic::volume_io::{self, OpenState, Route, ValidIo, VolumeJob};
use mountdev::{MountdevVolume, NtStatus, Reply};
use wdk_sys::{
    DO_DIRECT_IO, FILE_DEVICE_DISK, FILE_DEVICE_SECURE_OPEN, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA, NTSTATUS,
};

use super::device::{DeviceExtension, DeviceKind, DeviceSpec, DriverRef, OwnedDevice};
use super::irp::{Irp, IrpExt};
use super::worker::{IrpHandler, Worker};
use super::xstate::XStateSave;

/// The extension of a volume device.
pub struct VolumeExtension {
    disk: Arc<DiskDevice>,
    state: OpenState,
    worker: Worker<VolumeJob>,
}

impl DeviceExtension for VolumeExtension {
    const KIND: DeviceKind = DeviceKind::Volume;
}

impl VolumeExtension {
    /// The volume as device-control requests see it.
    pub fn disk(&self) -> &Arc<DiskDevice> {
        &self.disk
    }

    /// Open file objects on the device (CREATE minus CLOSE).
    pub fn open_count(&self) -> u32 {
        self.state.open_count()
    }

    /// From now on new opens and new I/O are refused (UNMOUNT and unload call this first).
    pub fn begin_close(&self) {
        self.state.begin_close();
    }
}

/// Serves READ / WRITE / FLUSH on the worker thread; each is one transfer to or a flush of the
/// container file, bounded by the file system's own completion ([`IrpHandler`]'s contract).
struct VolumeIo<D> {
    // Boxed: the key schedules make a volume a few KiB, too much to move between kernel stacks.
    volume: Box<Volume<D>>,
}

impl<D: BlockDevice> VolumeIo<D> {
    fn transfer(&mut self, irp: &mut Irp, io: ValidIo) -> Result<usize, NtStatus> {
        let buffer = irp.mdl().ok_or(NtStatus::INVALID_PARAMETER)?.into_system_buffer()?;
        // One save of the AVX state for the whole request (performance.md §11).
        let mut area = XStateSave::new();
        let guard = area.save()?;
        let result = io.serve(&mut self.volume, buffer);
        drop(guard);
        result
    }
}

impl<D: BlockDevice + Send + 'static> IrpHandler for VolumeIo<D> {
    type Job = VolumeJob;

    fn handle(&mut self, mut irp: Irp, job: VolumeJob) {
        let result = match job {
            VolumeJob::Transfer(io) => self.transfer(&mut irp, io),
            VolumeJob::Flush => volume_io::flush(&mut self.volume),
        };
        let _ = irp.complete(match result {
            Ok(information) => Reply::success(information),
            Err(status) => Reply::error(status),
        });
    }
}

/// Creates the device `disk` describes (its MOUNTDEV device name, FILE_DEVICE_DISK,
/// DO_DIRECT_IO, FILE_DEVICE_SECURE_OPEN, plus FILE_READ_ONLY_DEVICE / FILE_REMOVABLE_MEDIA as
/// the disk description says) and starts its worker over `volume` (PASSIVE_LEVEL). The device
/// gets the control device's protected SYSTEM + Administrators DACL
/// (the adapter's `Device::restrict_to_system_and_admins`),
/// removable or not, and still has `DO_DEVICE_INITIALIZING` set: the mount plan clears it
/// ([`OwnedDevice::finish_initializing`]).
///
/// # Errors
///
/// `STATUS_OBJECT_NAME_COLLISION` when the name is taken, or the status of the step that
/// failed; nothing is left behind then (the worker is stopped and `volume` dropped, which closes
/// the container and zeroizes the key schedule).
pub fn create_volume<D: BlockDevice + Send + 'static>(
    driver: DriverRef<'_>,
    disk: Arc<DiskDevice>,
    volume: Box<Volume<D>>,
) -> Result<OwnedDevice<VolumeExtension>, NtStatus> {
    let mut characteristics = FILE_DEVICE_SECURE_OPEN;
    if disk.description().is_read_only() {
        characteristics |= FILE_READ_ONLY_DEVICE;
    }
    if disk.description().is_removable() {
        characteristics |= FILE_REMOVABLE_MEDIA;
    }
    let worker = Worker::start(VolumeIo { volume })?;
    let owner = Arc::clone(&disk);
    let spec = DeviceSpec {
        name: owner.identity().device_name(),
        device_type: FILE_DEVICE_DISK,
        characteristics,
        io_flags: DO_DIRECT_IO,
    };
    let device = OwnedDevice::create(
        driver,
        &spec,
        VolumeExtension {
            disk,
            state: OpenState::new(),
            worker,
        },
    )?;
    // The default descriptor of a disk device lets Everyone read (and, with
    // FILE_REMOVABLE_MEDIA on client Windows, interactive users write) the decrypted sectors;
    // the DACL is set whatever the description's flags, before anyone can open the device.
    device.adapter_device().restrict_to_system_and_admins()?;
    Ok(device)
}

/// Dispatches an IRP sent to a volume device (see the module docs).
pub fn dispatch(volume: &VolumeExtension, mut irp: Irp) -> NTSTATUS {
    match volume_io::route(&volume.state, &volume.disk, irp.request()) {
        Route::Complete(reply) => irp.complete(reply),
        Route::Queue(job) => volume.worker.submit(irp, job),
        Route::DeviceControl { code } => {
            let reply = volume.disk.device_control(code, irp.ioctl_buffers());
            irp.complete(reply)
        }
    }
}
