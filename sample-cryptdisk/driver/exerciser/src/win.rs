//! The Win32 calls the checks make (Windows / Wine only): opens by Win32 path, `DeviceIoControl`
//! (to see what Win32 callers see), DOS-device queries. Requests whose exact status matters go
//! through [`Handle`], `mountmgr_client::windows::NtDevice` (`NtDeviceIoControlFile`,
//! `NtReadFile`, `NtWriteFile`, `NtFlushBuffersFile`).

use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::AsRawHandle;
use std::ptr::null_mut;

pub use mountmgr_client::windows::NtDevice as Handle;
use windows_sys::Win32::Storage::FileSystem::{FILE_SHARE_READ, FILE_SHARE_WRITE, QueryDosDeviceW};
use windows_sys::Win32::System::IO::DeviceIoControl;

/// `GetLastError()` (through `std::io::Error::last_os_error`).
pub fn last_error() -> u32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .map_or(0, |code| u32::from_ne_bytes(code.to_ne_bytes()))
}

/// `CreateFileW(path, access, share read/write, OPEN_EXISTING)` (through `std::fs`): a
/// synchronous handle, or the Win32 error.
pub fn open(path: &str, access: u32) -> Result<Handle, u32> {
    std::fs::OpenOptions::new()
        .access_mode(access)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .open(path)
        .map(Handle::from)
        .map_err(|e| {
            e.raw_os_error()
                .map_or(u32::MAX, |code| u32::from_ne_bytes(code.to_ne_bytes()))
        })
}

/// `DeviceIoControl`: success, bytes returned, and the Win32 error (0 on success).
pub fn win32_ioctl(handle: &Handle, code: u32, input: &[u8], output: &mut [u8]) -> (bool, u32, u32) {
    let mut returned = 0u32;
    // SAFETY: the buffers are valid for the lengths passed; synchronous handle, no OVERLAPPED.
    let ok = unsafe {
        DeviceIoControl(
            handle.as_raw_handle(),
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
