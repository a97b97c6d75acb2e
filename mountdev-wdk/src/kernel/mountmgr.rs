//! [`KernelTransport`]: `mountmgr_client::Transport` from kernel mode, so
//! `Client::mount_at_letter` / `Client::unmount` run unchanged in a driver.
//!
//! Requests go to `\Device\MountPointManager`: the device is found with
//! `IoGetDeviceObjectPointer`, each request is an IRP from `IoBuildDeviceIoControlRequest` sent
//! with `IofCallDriver`, and a pended one is waited for on an event (PASSIVE_LEVEL).
//!
//! # Threading rule
//!
//! The mount manager answers `VOLUME_ARRIVAL_NOTIFICATION`, `CREATE_POINT` and `DELETE_POINTS`
//! only after it has queried the volume (`QUERY_DEVICE_NAME`, `QUERY_UNIQUE_ID`,
//! `LINK_CREATED`, ...) synchronously, on its own thread, while it holds its database lock. So
//! never send requests from the thread that serves the volume's own IRPs, while holding a lock
//! the volume's IOCTL path takes, or from inside a `LINK_CREATED` / `LINK_DELETED` callback: the
//! volume could not answer and both would wait forever. `DriverEntry`, `DriverUnload` and a
//! dedicated system thread are fine when the volume answers its IOCTLs inline in the dispatch
//! routine (as [`crate::answer_volume_ioctl`] does).
//!
//! # Wine
//!
//! Wine 8's `IoGetDeviceObjectPointer` is a stub that reports success with no file object and a
//! placeholder device with an empty dispatch table (its mount manager lives in another driver
//! host process). A success without a file object never happens on Windows; when it does, each
//! request goes through a kernel handle instead (`ZwOpenFile` + `ZwDeviceIoControlFile`: the I/O
//! manager builds the IRP), which Wine routes to its mount manager.

use core::pin::pin;
use core::ptr::{NonNull, null_mut};

use mountdev::{NtStatus, Reply, nt_name};
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

use super::check;
use super::sync::Event;
use super::unicode::UnicodeBuf;

/// `MOUNTMGR_DEVICE_NAME`.
pub const MOUNTMGR_DEVICE_NAME: mountdev::NtName<'static> = nt_name!("\\Device\\MountPointManager");

enum Channel {
    // INVARIANT: `file` is the referenced file object IoGetDeviceObjectPointer returned and
    // `device` its device; dereferenced once, in Drop.
    Irp {
        file: NonNull<FILE_OBJECT>,
        device: NonNull<DEVICE_OBJECT>,
    },
    // INVARIANT: a kernel handle opened for synchronous I/O, closed once, in Drop.
    Handle(HANDLE),
}

/// An open channel to the mount manager (see the module docs for the threading rule).
///
/// PASSIVE_LEVEL for every method.
pub struct KernelTransport {
    channel: Channel,
}

// SAFETY: the referenced objects / kernel handle may be used and released from any thread.
unsafe impl Send for KernelTransport {}

impl KernelTransport {
    /// Opens `\Device\MountPointManager`.
    ///
    /// # Errors
    /// The status of `IoGetDeviceObjectPointer` (or of `ZwOpenFile` on Wine).
    pub fn open() -> Result<Self, NtStatus> {
        let name = UnicodeBuf::from_name(MOUNTMGR_DEVICE_NAME)?;
        let unicode = name.as_unicode()?;
        let mut file: *mut FILE_OBJECT = null_mut();
        let mut device: *mut DEVICE_OBJECT = null_mut();
        // SAFETY: `unicode` points into `name`, alive for the call; out-pointers to locals.
        check(unsafe { IoGetDeviceObjectPointer(unicode.as_ptr(), FILE_READ_ATTRIBUTES, &mut file, &mut device) })?;
        match (NonNull::new(file), NonNull::new(device)) {
            (Some(file), Some(device)) => Ok(Self {
                channel: Channel::Irp { file, device },
            }),
            (Some(file), None) => {
                // SAFETY: the reference IoGetDeviceObjectPointer took, released once.
                unsafe { ObfDereferenceObject(file.as_ptr().cast()) };
                Err(NtStatus::OBJECT_NAME_NOT_FOUND)
            }
            // Success without a file object: Wine's stub (see the module docs).
            (None, _) => Self::open_handle(&name),
        }
    }

    fn open_handle(name: &UnicodeBuf) -> Result<Self, NtStatus> {
        let unicode = name.as_unicode()?;
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            ObjectName: unicode.as_ptr(),
            Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            ..OBJECT_ATTRIBUTES::default()
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let mut handle: HANDLE = null_mut();
        // SAFETY: pointers to locals that outlive the call; the name points into `name`.
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
        // outlive the IRP because this function waits for its completion below. The input is
        // only read (METHOD_BUFFERED copies it).
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
        // completed; the buffers and the status block are borrowed for the call; the input is
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

    /// The transport contract: the status exactly, `information` ≤ the output, 0 on an error.
    fn reply(result: i32, iosb: &IO_STATUS_BLOCK, output_len: usize) -> Reply {
        let status = NtStatus::from_i32(result);
        let information = usize::try_from(iosb.Information).unwrap_or(0).min(output_len);
        Reply::new(status, if status.copies_output() { information } else { 0 })
    }
}

impl Transport for KernelTransport {
    /// Sends one METHOD_BUFFERED request and waits for it (PASSIVE_LEVEL).
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        match self.channel {
            Channel::Irp { device, .. } => Self::send_irp(device, code, input, output),
            Channel::Handle(handle) => Self::send_by_handle(handle, code, input, output),
        }
    }
}

impl Drop for KernelTransport {
    fn drop(&mut self) {
        match self.channel {
            Channel::Irp { file, .. } => {
                // SAFETY: releases the reference IoGetDeviceObjectPointer took, once.
                unsafe { ObfDereferenceObject(file.as_ptr().cast()) };
            }
            Channel::Handle(handle) => {
                // SAFETY: the handle opened in `open_handle`, closed once.
                let _ = unsafe { ZwClose(handle) };
            }
        }
    }
}
