//! [`NtDevice`]: any device opened from user mode and spoken to through ntdll, so that every
//! completion's exact `NTSTATUS` and `Information` come back (`DeviceIoControl`, `ReadFile` and
//! friends fold statuses into Win32 error codes: `STATUS_BUFFER_OVERFLOW` becomes a failure,
//! `STATUS_FILES_OPEN` and `STATUS_INVALID_PARAMETER` lose their identity).
//!
//! One type serves the mount manager ([`super::WindowsTransport`]), the sample's CLI (its
//! control device) and the sample driver's exerciser (the control device and the volumes). It
//! opens an NT name with `NtOpenFile` ([`NtDevice::open`]) or takes over a handle opened some
//! other way, e.g. `std::fs::OpenOptions` on a Win32 path ([`NtDevice::from`]); it is `Send`
//! and `Sync`, and closes its handle on drop.
#![allow(
    unsafe_code,
    reason = "FFI calls into ntdll (NtOpenFile, NtDeviceIoControlFile, NtReadFile, NtWriteFile, NtFlushBuffersFile, NtWaitForSingleObject), the handle NtOpenFile returns taken into an OwnedHandle, and one read of the IO_STATUS_BLOCK status union"
)]

use core::ptr;
use std::fs::File;
use std::os::windows::io::{AsHandle, AsRawHandle, BorrowedHandle, FromRawHandle, OwnedHandle, RawHandle};
use std::vec::Vec;

use mountdev::{NtStatus, Reply};
use windows_sys::Wdk::Foundation::OBJECT_ATTRIBUTES;
use windows_sys::Wdk::Storage::FileSystem::{
    FILE_NON_DIRECTORY_FILE, FILE_SYNCHRONOUS_IO_NONALERT, NtFlushBuffersFile, NtOpenFile, NtReadFile, NtWriteFile,
};
use windows_sys::Wdk::System::IO::NtDeviceIoControlFile;
use windows_sys::Wdk::System::Threading::NtWaitForSingleObject;
use windows_sys::Win32::Foundation::{HANDLE, OBJ_CASE_INSENSITIVE, UNICODE_STRING};
use windows_sys::Win32::Storage::FileSystem::{FILE_SHARE_READ, FILE_SHARE_WRITE};
use windows_sys::Win32::System::IO::IO_STATUS_BLOCK;

use crate::transport::Transport;

/// An open device handle whose requests go through ntdll (see the module docs).
#[derive(Debug)]
pub struct NtDevice {
    // INVARIANT: an open handle opened for synchronous I/O (FILE_SYNCHRONOUS_IO_NONALERT, or a
    // Win32 open without FILE_FLAG_OVERLAPPED); a request that still returns STATUS_PENDING is
    // waited for before the buffers are released.
    handle: OwnedHandle,
}

impl NtDevice {
    /// Opens the NT name `nt_name` (e.g. `\??\MountPointManager`, `\??\CryptDiskControl`) with
    /// `desired_access`, sharing read and write, for synchronous I/O.
    ///
    /// # Errors
    ///
    /// The `NTSTATUS` of `NtOpenFile` (`STATUS_OBJECT_NAME_NOT_FOUND` for a device that does not
    /// exist, `STATUS_ACCESS_DENIED` for a caller without the rights); a name longer than a
    /// `UNICODE_STRING` holds is `STATUS_OBJECT_NAME_INVALID`.
    pub fn open(nt_name: &str, desired_access: u32) -> Result<Self, NtStatus> {
        let mut name: Vec<u16> = nt_name.encode_utf16().collect();
        let length = name
            .len()
            .checked_mul(2)
            .and_then(|bytes| u16::try_from(bytes).ok())
            .ok_or(NtStatus::OBJECT_NAME_INVALID)?;
        let unicode = UNICODE_STRING {
            Length: length,
            MaximumLength: length,
            Buffer: name.as_mut_ptr(),
        };
        let attributes = OBJECT_ATTRIBUTES {
            Length: u32::try_from(size_of::<OBJECT_ATTRIBUTES>()).map_err(|_| NtStatus::INVALID_PARAMETER)?,
            RootDirectory: ptr::null_mut(),
            ObjectName: &unicode,
            Attributes: OBJ_CASE_INSENSITIVE,
            SecurityDescriptor: ptr::null(),
            SecurityQualityOfService: ptr::null(),
        };
        let mut handle: HANDLE = ptr::null_mut();
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: every pointer argument points at a live local of the right type for the whole
        // call: `handle` and `iosb` are writable, `attributes` names `unicode`, whose buffer
        // `name` holds `length` bytes and outlives the call. NtOpenFile does not keep them.
        let status = unsafe {
            NtOpenFile(
                &mut handle,
                desired_access,
                &attributes,
                &mut iosb,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
            )
        };
        let status = NtStatus::from_i32(status);
        if !status.is_success() {
            return Err(status);
        }
        // SAFETY: NtOpenFile succeeded, so `handle` is an open handle that nothing else owns;
        // the OwnedHandle closes it once, on drop.
        let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
        Ok(Self { handle })
    }

    fn raw(&self) -> HANDLE {
        self.handle.as_raw_handle()
    }

    /// Sends the IOCTL `code` with `input`, offering `output`, with `NtDeviceIoControlFile`, and
    /// returns its status and `Information` exactly (`Information` only for non-error statuses,
    /// clamped to `output.len()`). Buffers longer than `u32::MAX` bytes are refused with
    /// `STATUS_INVALID_PARAMETER` without sending.
    pub fn control(&self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        let (Ok(input_len), Ok(output_len)) = (u32::try_from(input.len()), u32::try_from(output.len())) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        let input_ptr = if input.is_empty() {
            ptr::null()
        } else {
            input.as_ptr().cast()
        };
        let output_ptr = if output.is_empty() {
            ptr::null_mut()
        } else {
            output.as_mut_ptr().cast()
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: the handle is open (type invariant). `input_ptr` / `output_ptr` are null for
        // empty buffers or point at `input_len` readable / `output_len` writable bytes borrowed
        // for this whole call; `iosb` is a live local. A STATUS_PENDING return is waited for in
        // `finish`, before the borrows end.
        let status = unsafe {
            NtDeviceIoControlFile(
                self.raw(),
                ptr::null_mut(),
                None,
                ptr::null(),
                &mut iosb,
                code,
                input_ptr,
                input_len,
                output_ptr,
                output_len,
            )
        };
        self.finish(status, &iosb, output.len())
    }

    /// Reads `buffer.len()` bytes at byte `offset` with `NtReadFile`: the status exactly and
    /// `Information` (the bytes read). An offset beyond `i64::MAX` or a buffer longer than
    /// `u32::MAX` bytes is refused with `STATUS_INVALID_PARAMETER` without sending.
    pub fn read_at(&self, offset: u64, buffer: &mut [u8]) -> Reply {
        let data = buffer.as_mut_ptr().cast();
        self.transfer(offset, buffer.len(), |offset, length, iosb| {
            // SAFETY: the handle is open (type invariant); `buffer` is writable for `length`
            // bytes and stays borrowed by `read_at` until `transfer` has waited for a pending
            // read; `offset` and `iosb` are live for the whole call.
            unsafe {
                NtReadFile(
                    self.raw(),
                    ptr::null_mut(),
                    None,
                    ptr::null(),
                    iosb,
                    data,
                    length,
                    offset,
                    ptr::null(),
                )
            }
        })
    }

    /// Writes `data` at byte `offset` with `NtWriteFile`: the status exactly and `Information`
    /// (the bytes written). Limits as for [`NtDevice::read_at`].
    pub fn write_at(&self, offset: u64, data: &[u8]) -> Reply {
        let bytes = data.as_ptr().cast();
        self.transfer(offset, data.len(), |offset, length, iosb| {
            // SAFETY: the handle is open (type invariant); `data` is readable for `length` bytes
            // and stays borrowed by `write_at` until `transfer` has waited for a pending write;
            // `offset` and `iosb` are live for the whole call.
            unsafe {
                NtWriteFile(
                    self.raw(),
                    ptr::null_mut(),
                    None,
                    ptr::null(),
                    iosb,
                    bytes,
                    length,
                    offset,
                    ptr::null(),
                )
            }
        })
    }

    /// A read or write of `len` bytes at `offset`: `call` makes the request with the offset,
    /// the length and the status block; the completion is waited for here.
    fn transfer(&self, offset: u64, len: usize, call: impl FnOnce(&i64, u32, &mut IO_STATUS_BLOCK) -> i32) -> Reply {
        let (Ok(offset), Ok(length)) = (i64::try_from(offset), u32::try_from(len)) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let status = call(&offset, length, &mut iosb);
        self.finish(status, &iosb, len)
    }

    /// `NtFlushBuffersFile`: the status exactly.
    pub fn flush(&self) -> Reply {
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: the handle is open (type invariant) and `iosb` is a live local.
        let status = unsafe { NtFlushBuffersFile(self.raw(), &mut iosb) };
        self.finish(status, &iosb, 0)
    }

    /// The completion of a request that returned `status`: waits for a pending one, then
    /// returns the final status with `Information` clamped to `limit` (0 for an error).
    fn finish(&self, status: i32, iosb: &IO_STATUS_BLOCK, limit: usize) -> Reply {
        let mut status = NtStatus::from_i32(status);
        if status == NtStatus::PENDING {
            // SAFETY: the handle is open; a null timeout waits without limit. Waiting on a file
            // handle returns when its pending I/O completes.
            let waited = unsafe { NtWaitForSingleObject(self.raw(), false, ptr::null_mut()) };
            let waited = NtStatus::from_i32(waited);
            if !waited.is_success() {
                return Reply::error(waited);
            }
            // SAFETY: at completion the I/O manager has written the `Status` member of the
            // union (an i32, valid for every bit pattern).
            status = NtStatus::from_i32(unsafe { iosb.Anonymous.Status });
        }
        if status.is_error() {
            return Reply::error(status);
        }
        Reply::new(status, iosb.Information.min(limit))
    }
}

impl From<OwnedHandle> for NtDevice {
    /// Takes over a handle opened for synchronous I/O (without `FILE_FLAG_OVERLAPPED`).
    fn from(handle: OwnedHandle) -> Self {
        Self { handle }
    }
}

impl From<File> for NtDevice {
    /// Takes over a `std::fs::File`, e.g. a device opened with `std::fs::OpenOptions` on its
    /// Win32 path (`\\.\X:`), whose failure gives the Win32 error code.
    fn from(file: File) -> Self {
        Self {
            handle: OwnedHandle::from(file),
        }
    }
}

impl AsHandle for NtDevice {
    fn as_handle(&self) -> BorrowedHandle<'_> {
        self.handle.as_handle()
    }
}

impl AsRawHandle for NtDevice {
    fn as_raw_handle(&self) -> RawHandle {
        self.handle.as_raw_handle()
    }
}

impl Transport for NtDevice {
    /// [`NtDevice::control`].
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.control(code, input, output)
    }
}
