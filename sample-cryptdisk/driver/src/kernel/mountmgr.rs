//! (f) A kernel [`Transport`] to `\Device\MountPointManager`: `IoGetDeviceObjectPointer`, then
//! per request `IoBuildDeviceIoControlRequest` + `IofCallDriver`, waiting on an event when the
//! mount manager pends; the reply is the IRP's `IO_STATUS_BLOCK`.
//!
//! The mount manager queries the volume synchronously while it holds its own lock
//! (protocol.md §8 items 8–9), so requests go out from a dedicated system thread, never from a
//! volume's worker (which must stay free to answer those queries) nor from a user's context.
//! [`with_mount_manager`] is the only way to get a [`KernelMountMgr`], and it does exactly that.
//!
//! # Wine
//!
//! Wine 8's `IoGetDeviceObjectPointer` is a stub that reports success with **no file object**
//! and a placeholder device whose dispatch table is empty (its mount manager runs in another
//! driver-host process, where no in-process device object can reach it). A success without a
//! file object never happens on Windows; when it does, the transport sends each request through
//! a kernel handle instead (`ZwOpenFile` + `ZwDeviceIoControlFile`: the I/O manager builds the
//! IRP), which Wine routes to its mount manager. Either way the mount plan sees the same replies.

use core::pin::pin;
use core::ptr::{NonNull, null_mut};

use mountdev::{NtStatus, Reply};
use mountmgr_client::Transport;
use wdk_sys::ntddk::{
    IoBuildDeviceIoControlRequest, IoGetDeviceObjectPointer, IofCallDriver, ObfDereferenceObject, ZwClose,
    ZwDeviceIoControlFile, ZwOpenFile,
};
use wdk_sys::{
    DEVICE_OBJECT, FALSE, FILE_NON_DIRECTORY_FILE, FILE_OBJECT, FILE_READ_ATTRIBUTES, FILE_READ_DATA, FILE_SHARE_READ,
    FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, FILE_WRITE_DATA, HANDLE, IO_STATUS_BLOCK, OBJ_CASE_INSENSITIVE,
    OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, STATUS_PENDING, SYNCHRONIZE,
};

use super::name::NameBuf;
use super::sync::Event;
use super::thread::SystemThread;
use super::{check, status};

/// `MOUNTMGR_DEVICE_NAME`.
pub const MOUNTMGR_DEVICE_NAME: &str = "\\Device\\MountPointManager";

/// How requests reach the mount manager.
enum Channel {
    /// IRPs built here and sent with `IofCallDriver` (Windows).
    // INVARIANT: `file` is the referenced file object IoGetDeviceObjectPointer returned, and
    // `device` its device; dereferenced once, in Drop.
    Irp {
        file: NonNull<FILE_OBJECT>,
        device: NonNull<DEVICE_OBJECT>,
    },
    /// A synchronous kernel handle (Wine 8, see the module docs).
    // INVARIANT: a kernel handle opened for synchronous I/O, closed once, in Drop.
    Handle(HANDLE),
}

/// An open reference to the mount manager's device (see the module docs).
pub struct KernelMountMgr {
    channel: Channel,
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
            (Some(file), Some(device)) => Ok(Self {
                channel: Channel::Irp { file, device },
            }),
            (Some(file), None) => {
                // SAFETY: the reference IoGetDeviceObjectPointer took, released once.
                unsafe { ObfDereferenceObject(file.as_ptr().cast()) };
                Err(NtStatus::OBJECT_NAME_NOT_FOUND)
            }
            // Success without a file object: Wine's stub (the device it returns is a
            // placeholder that must not be called).
            (None, _) => Self::open_handle(&name),
        }
    }

    fn open_handle(name: &NameBuf) -> Result<Self, NtStatus> {
        let mut unicode = name.unicode_string();
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            ObjectName: &mut unicode,
            Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            ..OBJECT_ATTRIBUTES::default()
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let mut handle: HANDLE = null_mut();
        // SAFETY: pointers to locals that outlive the call; `unicode` points into `name`.
        check(unsafe {
            ZwOpenFile(
                &mut handle,
                FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE,
                &mut attributes,
                &mut iosb,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
            )
        })?;
        Ok(Self {
            channel: Channel::Handle(handle),
        })
    }

    fn send_irp(device: NonNull<DEVICE_OBJECT>, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
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
                device.as_ptr(),
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
        let mut result = unsafe { IofCallDriver(device.as_ptr(), irp) };
        if result == STATUS_PENDING {
            event.wait();
            // SAFETY: the IRP completed, so the I/O manager wrote the status block.
            result = unsafe { iosb.__bindgen_anon_1.Status };
        }
        Self::reply(result, &iosb, output.len())
    }

    fn send_by_handle(handle: HANDLE, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        let (Ok(input_len), Ok(output_len)) = (u32::try_from(input.len()), u32::try_from(output.len())) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a synchronous kernel handle (invariant), so the call returns once the request
        // completed; the buffers and the status block are borrowed for the call. The input is
        // only read.
        let result = unsafe {
            ZwDeviceIoControlFile(
                handle,
                null_mut(),
                None,
                null_mut(),
                &mut iosb,
                code,
                input.as_ptr().cast_mut().cast(),
                input_len,
                output.as_mut_ptr().cast(),
                output_len,
            )
        };
        Self::reply(result, &iosb, output.len())
    }

    fn reply(result: i32, iosb: &IO_STATUS_BLOCK, output_len: usize) -> Reply {
        let information = usize::try_from(iosb.Information).unwrap_or(0).min(output_len);
        let status = status(result);
        Reply::new(status, if status.copies_output() { information } else { 0 })
    }
}

impl Transport for KernelMountMgr {
    /// Sends one METHOD_BUFFERED request and waits for it (PASSIVE_LEVEL). The I/O manager
    /// copies `input` into a system buffer and at most `information` bytes back into `output`.
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        match self.channel {
            Channel::Irp { device, .. } => Self::send_irp(device, code, input, output),
            Channel::Handle(handle) => Self::send_by_handle(handle, code, input, output),
        }
    }
}

impl Drop for KernelMountMgr {
    fn drop(&mut self) {
        match self.channel {
            Channel::Irp { file, .. } => {
                // SAFETY: releases the reference IoGetDeviceObjectPointer took on the file
                // object, once.
                unsafe { ObfDereferenceObject(file.as_ptr().cast()) };
            }
            Channel::Handle(handle) => {
                // SAFETY: the handle opened in `open_handle`, closed once.
                let _ = unsafe { ZwClose(handle) };
            }
        }
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
