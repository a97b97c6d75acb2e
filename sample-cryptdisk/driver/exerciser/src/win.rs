//! The Win32 / native calls the checks make (Windows / Wine only), each returning the exact
//! status: opens, IOCTLs, reads and writes at byte offsets, DOS-device queries.

use std::ptr::{null, null_mut};

use windows_sys::Wdk::Storage::FileSystem::{NtFlushBuffersFile, NtReadFile, NtWriteFile};
use windows_sys::Wdk::System::IO::NtDeviceIoControlFile;
use windows_sys::Win32::Foundation::{CloseHandle, GetLastError, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING, QueryDosDeviceW,
};
use windows_sys::Win32::System::IO::{DeviceIoControl, IO_STATUS_BLOCK};

/// An open handle, closed on drop.
#[derive(Debug)]
pub struct Handle(pub HANDLE);

// SAFETY: a kernel handle may be used from any thread of the process.
unsafe impl Send for Handle {}
// SAFETY: the calls made through `&Handle` are thread-safe on a synchronous handle.
unsafe impl Sync for Handle {}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle this program opened, closed once.
        unsafe { CloseHandle(self.0) };
    }
}

/// `GetLastError()`.
pub fn last_error() -> u32 {
    // SAFETY: no arguments; reads the thread's last-error value.
    unsafe { GetLastError() }
}

/// `CreateFileW(path, access, share read/write, OPEN_EXISTING)`: a synchronous handle, or the
/// Win32 error.
pub fn open(path: &str, access: u32) -> Result<Handle, u32> {
    let wide: Vec<u16> = path.encode_utf16().chain(Some(0)).collect();
    // SAFETY: `wide` is a NUL-terminated UTF-16 path; no security attributes or template.
    let handle = unsafe {
        CreateFileW(
            wide.as_ptr(),
            access,
            FILE_SHARE_READ | FILE_SHARE_WRITE,
            null(),
            OPEN_EXISTING,
            0,
            null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        Err(last_error())
    } else {
        Ok(Handle(handle))
    }
}

/// How one native request went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// The NTSTATUS (as its bit pattern).
    pub status: u32,
    /// `IO_STATUS_BLOCK.Information`.
    pub information: usize,
}

impl Status {
    /// Whether the status is a success (not a warning or an error).
    pub fn ok(&self) -> bool {
        self.status < 0x8000_0000
    }
}

fn status_of(status: i32, iosb: &IO_STATUS_BLOCK) -> Status {
    Status {
        status: status as u32,
        information: iosb.Information,
    }
}

/// `NtDeviceIoControlFile` on a synchronous handle: the status the driver completed the IRP
/// with, and `Information`.
pub fn nt_ioctl(handle: &Handle, code: u32, input: &[u8], output: &mut [u8]) -> Status {
    // SAFETY: IO_STATUS_BLOCK is plain data; all-zero is a valid initial value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    // SAFETY: the buffers are valid for the lengths passed; a synchronous handle, so the call
    // completes before it returns.
    let status = unsafe {
        NtDeviceIoControlFile(
            handle.0,
            null_mut(),
            None,
            null(),
            &mut iosb,
            code,
            if input.is_empty() {
                null()
            } else {
                input.as_ptr().cast()
            },
            input.len() as u32,
            if output.is_empty() {
                null_mut()
            } else {
                output.as_mut_ptr().cast()
            },
            output.len() as u32,
        )
    };
    status_of(status, &iosb)
}

/// `DeviceIoControl`: success, bytes returned, and the Win32 error (0 on success).
pub fn win32_ioctl(handle: &Handle, code: u32, input: &[u8], output: &mut [u8]) -> (bool, u32, u32) {
    let mut returned = 0u32;
    // SAFETY: the buffers are valid for the lengths passed; synchronous handle, no OVERLAPPED.
    let ok = unsafe {
        DeviceIoControl(
            handle.0,
            code,
            input.as_ptr().cast(),
            input.len() as u32,
            output.as_mut_ptr().cast(),
            output.len() as u32,
            &mut returned,
            null_mut(),
        )
    } != 0;
    (ok, returned, if ok { 0 } else { last_error() })
}

/// `NtReadFile` at byte `offset` (synchronous handle).
pub fn read_at(handle: &Handle, offset: u64, buffer: &mut [u8]) -> Status {
    // SAFETY: IO_STATUS_BLOCK is plain data; all-zero is a valid initial value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    let offset = offset as i64;
    // SAFETY: `buffer` is writable for its length; synchronous handle.
    let status = unsafe {
        NtReadFile(
            handle.0,
            null_mut(),
            None,
            null(),
            &mut iosb,
            buffer.as_mut_ptr().cast(),
            buffer.len() as u32,
            &offset,
            null(),
        )
    };
    status_of(status, &iosb)
}

/// `NtWriteFile` at byte `offset` (synchronous handle).
pub fn write_at(handle: &Handle, offset: u64, data: &[u8]) -> Status {
    // SAFETY: IO_STATUS_BLOCK is plain data; all-zero is a valid initial value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    let offset = offset as i64;
    // SAFETY: `data` is readable for its length; synchronous handle.
    let status = unsafe {
        NtWriteFile(
            handle.0,
            null_mut(),
            None,
            null(),
            &mut iosb,
            data.as_ptr().cast(),
            data.len() as u32,
            &offset,
            null(),
        )
    };
    status_of(status, &iosb)
}

/// `NtFlushBuffersFile`.
pub fn flush(handle: &Handle) -> Status {
    // SAFETY: IO_STATUS_BLOCK is plain data; all-zero is a valid initial value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    // SAFETY: a valid handle and a local status block.
    let status = unsafe { NtFlushBuffersFile(handle.0, &mut iosb) };
    status_of(status, &iosb)
}

/// `QueryDosDeviceW(name)`: the first target of the DOS device `name` (e.g. `Q:`), or the
/// Win32 error.
pub fn query_dos_device(name: &str) -> Result<String, u32> {
    let wide: Vec<u16> = name.encode_utf16().chain(Some(0)).collect();
    let mut target = vec![0u16; 1024];
    // SAFETY: `wide` is NUL-terminated; `target` is writable for its length.
    let written = unsafe { QueryDosDeviceW(wide.as_ptr(), target.as_mut_ptr(), target.len() as u32) };
    if written == 0 {
        return Err(last_error());
    }
    let end = target.iter().position(|&u| u == 0).unwrap_or(target.len());
    Ok(String::from_utf16_lossy(&target[..end]))
}
