//! (f) A kernel [`Transport`] to `\Device\MountPointManager`: `IoGetDeviceObjectPointer`, then
//! per request `IoBuildDeviceIoControlRequest` + `IofCallDriver`, waiting on an event when the
//! mount manager pends; the reply is the IRP's `IO_STATUS_BLOCK`.
//!
//! The mount manager queries the volume synchronously while it holds its own lock
//! (protocol.md §8 items 8–9), so requests go out from a dedicated system thread, never from a
//! volume's worker (which must stay free to answer those queries) nor from a user's context.
//! [`with_mount_manager`] is the only way to get a [`KernelMountMgr`], and it does exactly that.

use core::pin::pin;
use core::ptr::{NonNull, null_mut};

use mountdev::{NtStatus, Reply};
use mountmgr_client::Transport;
use wdk_sys::ntddk::{IoBuildDeviceIoControlRequest, IoGetDeviceObjectPointer, IofCallDriver, ObfDereferenceObject};
use wdk_sys::{DEVICE_OBJECT, FALSE, FILE_OBJECT, FILE_READ_ATTRIBUTES, IO_STATUS_BLOCK, STATUS_PENDING};

use super::name::NameBuf;
use super::sync::Event;
use super::thread::SystemThread;
use super::{check, status};

/// `MOUNTMGR_DEVICE_NAME`.
pub const MOUNTMGR_DEVICE_NAME: &str = "\\Device\\MountPointManager";

/// An open reference to the mount manager's device (see the module docs).
pub struct KernelMountMgr {
    // INVARIANT: `file` is the referenced file object IoGetDeviceObjectPointer returned, and
    // `device` its device; dereferenced once, in Drop.
    file: NonNull<FILE_OBJECT>,
    device: NonNull<DEVICE_OBJECT>,
}

impl KernelMountMgr {
    fn open() -> Result<Self, NtStatus> {
        let name = NameBuf::from_ascii(MOUNTMGR_DEVICE_NAME)?;
        let mut unicode = name.unicode_string();
        let mut file: *mut FILE_OBJECT = null_mut();
        let mut device: *mut DEVICE_OBJECT = null_mut();
        // SAFETY: `unicode` points into `name`, alive for the call; out-pointers to locals.
        check(unsafe { IoGetDeviceObjectPointer(&mut unicode, FILE_READ_ATTRIBUTES, &mut file, &mut device) })?;
        match (NonNull::new(file), NonNull::new(device)) {
            (Some(file), Some(device)) => Ok(Self { file, device }),
            (Some(file), None) => {
                // SAFETY: the reference IoGetDeviceObjectPointer took, released once.
                unsafe { ObfDereferenceObject(file.as_ptr().cast()) };
                Err(NtStatus::OBJECT_NAME_NOT_FOUND)
            }
            _ => Err(NtStatus::OBJECT_NAME_NOT_FOUND),
        }
    }
}

impl Transport for KernelMountMgr {
    /// Sends one METHOD_BUFFERED request and waits for it (PASSIVE_LEVEL). The I/O manager
    /// copies `input` into a system buffer and at most `information` bytes back into `output`.
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        let (Ok(input_len), Ok(output_len)) = (u32::try_from(input.len()), u32::try_from(output.len())) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        let event = pin!(Event::new());
        let event = event.into_ref();
        event.init();
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: the device is referenced (invariant); the buffers, event and status block
        // outlive the IRP because this function waits for its completion below. The input
        // pointer is only read (METHOD_BUFFERED copies it).
        let irp = unsafe {
            IoBuildDeviceIoControlRequest(
                code,
                self.device.as_ptr(),
                input.as_ptr().cast_mut().cast(),
                input_len,
                output.as_mut_ptr().cast(),
                output_len,
                FALSE as _,
                event.as_ptr(),
                &mut iosb,
            )
        };
        if irp.is_null() {
            return Reply::error(NtStatus::INSUFFICIENT_RESOURCES);
        }
        // SAFETY: a freshly built IRP for this device; the I/O manager owns it from here and
        // signals `event` when it completes.
        let mut result = unsafe { IofCallDriver(self.device.as_ptr(), irp) };
        if result == STATUS_PENDING {
            event.wait();
            // SAFETY: the IRP completed, so the I/O manager wrote the status block.
            result = unsafe { iosb.__bindgen_anon_1.Status };
        }
        let information = usize::try_from(iosb.Information).unwrap_or(0).min(output.len());
        let status = status(result);
        Reply::new(status, if status.copies_output() { information } else { 0 })
    }
}

impl Drop for KernelMountMgr {
    fn drop(&mut self) {
        // SAFETY: releases the reference IoGetDeviceObjectPointer took on the file object, once.
        unsafe { ObfDereferenceObject(self.file.as_ptr().cast()) };
    }
}

/// Opens the mount manager on a new system thread, runs `session` there with it, and returns
/// what `session` returned (PASSIVE_LEVEL; never call it from a volume's worker thread).
///
/// # Errors
///
/// The status of creating the thread or of opening `\Device\MountPointManager`.
pub fn with_mount_manager<R, F>(session: F) -> Result<R, NtStatus>
where
    R: Send + 'static,
    F: FnOnce(&mut KernelMountMgr) -> R + Send + 'static,
{
    SystemThread::run(move || {
        let mut mount_manager = KernelMountMgr::open()?;
        Ok(session(&mut mount_manager))
    })?
}
