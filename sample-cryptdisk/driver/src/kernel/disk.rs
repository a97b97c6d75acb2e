//! (a) Volume devices: `\Device\CryptDiskVolumeN` disk device objects, each serving one mounted
//! [`Volume`] through its own [`Worker`].
//!
//! * Device-control requests (MOUNTDEV, disk, storage and volume queries) are answered at once,
//!   on the calling thread, by `cryptdisk_core::device::DiskDevice::device_control` with the
//!   shared METHOD_BUFFERED system buffer: never queued behind I/O, because the mount manager
//!   queries the volume synchronously while a MOUNT waits for it.
//! * READ and WRITE are validated by `DiskDevice::check_io` (alignment, bounds, transfer size,
//!   read-only) in the dispatch routine; valid ones go to the worker, which maps the MDL and runs
//!   the XTS data path inside one save of the extended processor state for the whole request.
//! * FLUSH_BUFFERS goes to the worker too (after the writes queued before it).
//! * Once [`VolumeExtension::begin_close`] ran (UNMOUNT, unload), opens fail with
//!   `STATUS_DELETE_PENDING` and I/O with `STATUS_DEVICE_NOT_READY`; queries, cleanup and close
//!   still work.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::device::{self, DiskDevice, IoKind};
use cryptdisk_core::volume::Volume;
use mountdev::{MountdevVolume, NtStatus, Reply};
use wdk_sys::{
    DO_DIRECT_IO, FILE_DEVICE_DISK, FILE_DEVICE_SECURE_OPEN, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA, NTSTATUS,
};

use super::device::{DeviceExtension, DeviceKind, DeviceSpec, DriverRef, OwnedDevice};
use super::irp::{Irp, Request};
use super::name::NameBuf;
use super::worker::{IrpHandler, Worker};
use super::xstate::XStateSave;

/// The extension of a volume device.
pub struct VolumeExtension {
    disk: Arc<DiskDevice>,
    closing: AtomicBool,
    opens: AtomicU32,
    worker: Worker,
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
        self.opens.load(Ordering::Acquire)
    }

    /// From now on new opens and new I/O are refused (UNMOUNT and unload call this first).
    pub fn begin_close(&self) {
        self.closing.store(true, Ordering::Release);
    }

    fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }
}

/// Serves READ / WRITE / FLUSH on the worker thread.
struct VolumeIo<D> {
    disk: Arc<DiskDevice>,
    // Boxed: the key schedules make a volume a few KiB, too much to move between kernel stacks.
    volume: Box<Volume<D>>,
}

impl<D: BlockDevice> VolumeIo<D> {
    fn transfer(&mut self, irp: &mut Irp, kind: IoKind, offset: i64, length: u32) -> Result<usize, NtStatus> {
        let offset = u64::try_from(offset).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let range = self.disk.check_io(kind, offset, u64::from(length))?;
        let len = range.byte_len().ok_or(NtStatus::INVALID_PARAMETER)?;
        if len == 0 {
            return Ok(0);
        }
        let mut mdl = irp.mdl().ok_or(NtStatus::INVALID_PARAMETER)?;
        let buffer = mdl.system_buffer()?.get_mut(..len).ok_or(NtStatus::INVALID_PARAMETER)?;
        // One save of the AVX state for the whole request (performance.md §11).
        let mut area = XStateSave::new();
        let guard = area.save()?;
        let result = match kind {
            IoKind::Read => device::read(&mut self.volume, range, buffer),
            IoKind::Write => device::write(&mut self.volume, range, buffer),
        };
        drop(guard);
        result.map(|()| len)
    }
}

impl<D: BlockDevice + Send + 'static> IrpHandler for VolumeIo<D> {
    fn handle(&mut self, mut irp: Irp) {
        let result = match irp.request() {
            Request::Read { offset, length } => self.transfer(&mut irp, IoKind::Read, offset, length),
            Request::Write { offset, length } => self.transfer(&mut irp, IoKind::Write, offset, length),
            Request::Flush => self.volume.flush().map(|()| 0).map_err(|e| device::status_of(&e)),
            _ => Err(NtStatus::INVALID_DEVICE_REQUEST),
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
/// still has `DO_DEVICE_INITIALIZING` set: the mount plan clears it
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
    let mut name = NameBuf::new();
    name.push_units(disk.identity().device_name().iter())?;
    let mut characteristics = FILE_DEVICE_SECURE_OPEN;
    if disk.description().is_read_only() {
        characteristics |= FILE_READ_ONLY_DEVICE;
    }
    if disk.description().is_removable() {
        characteristics |= FILE_REMOVABLE_MEDIA;
    }
    let worker = Worker::start(VolumeIo {
        disk: Arc::clone(&disk),
        volume,
    })?;
    let spec = DeviceSpec {
        name: &name,
        device_type: FILE_DEVICE_DISK,
        characteristics,
        io_flags: DO_DIRECT_IO,
    };
    OwnedDevice::create(
        driver,
        &spec,
        VolumeExtension {
            disk,
            closing: AtomicBool::new(false),
            opens: AtomicU32::new(0),
            worker,
        },
    )
}

/// Dispatches an IRP sent to a volume device (see the module docs).
pub fn dispatch(volume: &VolumeExtension, mut irp: Irp) -> NTSTATUS {
    match irp.request() {
        Request::Create if volume.is_closing() => irp.fail(NtStatus::DELETE_PENDING),
        Request::Create => {
            volume.opens.fetch_add(1, Ordering::AcqRel);
            irp.complete(Reply::success(0))
        }
        Request::Cleanup => irp.complete(Reply::success(0)),
        Request::Close => {
            let _ = volume
                .opens
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
            irp.complete(Reply::success(0))
        }
        Request::Read { .. } | Request::Write { .. } | Request::Flush if volume.is_closing() => {
            irp.fail(NtStatus::DEVICE_NOT_READY)
        }
        Request::Read { offset, length } => queue_io(volume, irp, IoKind::Read, offset, length),
        Request::Write { offset, length } => queue_io(volume, irp, IoKind::Write, offset, length),
        Request::Flush => volume.worker.submit(irp),
        Request::DeviceControl { code, .. } => {
            let reply = volume.disk.device_control(code, irp.ioctl_buffers());
            irp.complete(reply)
        }
        Request::Other(_) => irp.fail(NtStatus::INVALID_DEVICE_REQUEST),
    }
}

/// Validates a READ/WRITE before it is queued; an empty one completes at once.
fn queue_io(volume: &VolumeExtension, irp: Irp, kind: IoKind, offset: i64, length: u32) -> NTSTATUS {
    let Ok(offset) = u64::try_from(offset) else {
        return irp.fail(NtStatus::INVALID_PARAMETER);
    };
    match volume.disk.check_io(kind, offset, u64::from(length)) {
        Err(status) => irp.fail(status),
        Ok(range) if range.count == 0 => irp.complete(Reply::success(0)),
        Ok(_) => volume.worker.submit(irp),
    }
}
