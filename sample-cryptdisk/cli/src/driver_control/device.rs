//! The control device `\\.\CryptDiskControl` (`\??\CryptDiskControl`), opened for reading and
//! writing and spoken to with `NtDeviceIoControlFile`, so every completion's exact `NTSTATUS`
//! and `Information` reach [`DriverError`]: `DeviceIoControl` would fold them into Win32 error
//! codes (`STATUS_OBJECT_NAME_COLLISION` and `STATUS_FILES_OPEN` both lose their identity, and
//! `STATUS_BUFFER_OVERFLOW` turns the LIST probe into a failure).
//!
//! The open uses `NtOpenFile` for the same reason: "not found" (the driver is not running) and
//! "access denied" (not elevated) must lead to different advice.
//!
//! The three ntdll routines are declared here (`raw-dylib`, no import library needed) rather
//! than taken from `windows-sys`, to keep the CLI's dependencies as they are. This is the only
//! module of the CLI allowed to use `unsafe`: one FFI call per block, each with its argument.
#![allow(
    unsafe_code,
    reason = "FFI calls into ntdll (NtOpenFile, NtDeviceIoControlFile, NtClose) on the control device"
)]

use core::ffi::c_void;
use core::ptr;

use mountdev::{NtStatus, Reply};

use super::error::DriverError;
use super::requests::Channel;

/// The NT name of `\\.\CryptDiskControl`.
pub const CONTROL_DEVICE: &str = "\\??\\CryptDiskControl";

type Handle = *mut c_void;

/// `UNICODE_STRING`.
#[repr(C)]
struct UnicodeString {
    length: u16,
    maximum_length: u16,
    buffer: *const u16,
}

/// `OBJECT_ATTRIBUTES`.
#[repr(C)]
struct ObjectAttributes {
    length: u32,
    root_directory: Handle,
    object_name: *const UnicodeString,
    attributes: u32,
    security_descriptor: *const c_void,
    security_quality_of_service: *const c_void,
}

/// `IO_STATUS_BLOCK` (the status / pointer union is read as the status).
#[repr(C)]
struct IoStatusBlock {
    status: usize,
    information: usize,
}

/// `OBJ_CASE_INSENSITIVE`.
const OBJ_CASE_INSENSITIVE: u32 = 0x40;
/// `FILE_GENERIC_READ | FILE_GENERIC_WRITE` (with `SYNCHRONIZE`).
const READ_WRITE_ACCESS: u32 = 0x0012_0089 | 0x0012_0116;
/// `FILE_SHARE_READ | FILE_SHARE_WRITE`.
const SHARE_READ_WRITE: u32 = 0x1 | 0x2;
/// `FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE`.
const SYNCHRONOUS_NON_DIRECTORY: u32 = 0x20 | 0x40;

#[link(name = "ntdll.dll", kind = "raw-dylib", modifiers = "+verbatim")]
unsafe extern "system" {
    fn NtOpenFile(
        handle: *mut Handle,
        desired_access: u32,
        attributes: *const ObjectAttributes,
        io_status: *mut IoStatusBlock,
        share_access: u32,
        open_options: u32,
    ) -> i32;
    fn NtDeviceIoControlFile(
        handle: Handle,
        event: Handle,
        apc_routine: *const c_void,
        apc_context: *const c_void,
        io_status: *mut IoStatusBlock,
        code: u32,
        input: *const c_void,
        input_length: u32,
        output: *mut c_void,
        output_length: u32,
    ) -> i32;
    fn NtClose(handle: Handle) -> i32;
}

/// An open handle to the control device, closed on drop.
#[derive(Debug)]
pub struct ControlDevice {
    // INVARIANT: a handle opened for synchronous I/O by `open`, closed once, in Drop.
    handle: Handle,
}

impl ControlDevice {
    /// Opens `\\.\CryptDiskControl` for reading and writing (the control codes need both).
    ///
    /// # Errors
    ///
    /// [`DriverError::NotInstalled`] when the device does not exist,
    /// [`DriverError::AccessDenied`] when the caller is not an administrator,
    /// [`DriverError::Open`] otherwise.
    pub fn open() -> Result<Self, DriverError> {
        let name: Vec<u16> = CONTROL_DEVICE.encode_utf16().collect();
        let bytes = u16::try_from(name.len().saturating_mul(2)).map_err(|_| DriverError::Open {
            status: NtStatus::OBJECT_NAME_INVALID,
        })?;
        let unicode = UnicodeString {
            length: bytes,
            maximum_length: bytes,
            buffer: name.as_ptr(),
        };
        let attributes = ObjectAttributes {
            length: u32::try_from(size_of::<ObjectAttributes>()).unwrap_or(u32::MAX),
            root_directory: ptr::null_mut(),
            object_name: &unicode,
            attributes: OBJ_CASE_INSENSITIVE,
            security_descriptor: ptr::null(),
            security_quality_of_service: ptr::null(),
        };
        let mut handle: Handle = ptr::null_mut();
        let mut io_status = IoStatusBlock {
            status: 0,
            information: 0,
        };
        // SAFETY: every pointer argument points at a live local of the declared layout for the
        // whole call: `handle` and `io_status` are writable, `attributes` names `unicode`,
        // whose buffer `name` holds `bytes` bytes. NtOpenFile keeps none of them.
        let status = unsafe {
            NtOpenFile(
                &mut handle,
                READ_WRITE_ACCESS,
                &attributes,
                &mut io_status,
                SHARE_READ_WRITE,
                SYNCHRONOUS_NON_DIRECTORY,
            )
        };
        let status = NtStatus::from_i32(status);
        if status.is_success() {
            Ok(Self { handle })
        } else {
            Err(DriverError::from_open_status(status))
        }
    }
}

impl Channel for ControlDevice {
    /// Sends the request and returns its status and `Information` exactly (`Information` only
    /// for non-error statuses, clamped to `output.len()`). Buffers longer than `u32::MAX` bytes
    /// are refused with `STATUS_INVALID_PARAMETER` without sending.
    fn control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        let (Ok(input_length), Ok(output_length)) = (u32::try_from(input.len()), u32::try_from(output.len())) else {
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
        let mut io_status = IoStatusBlock {
            status: 0,
            information: 0,
        };
        // SAFETY: the handle is open (invariant) and synchronous, so the call returns only once
        // the request completed and keeps no pointer; the buffers are valid for the lengths
        // passed (or null with length 0) and `io_status` is a writable local.
        let status = unsafe {
            NtDeviceIoControlFile(
                self.handle,
                ptr::null_mut(),
                ptr::null(),
                ptr::null(),
                &mut io_status,
                code,
                input_ptr,
                input_length,
                output_ptr,
                output_length,
            )
        };
        let status = NtStatus::from_i32(status);
        let information = if status.copies_output() {
            io_status.information.min(output.len())
        } else {
            0
        };
        Reply::new(status, information)
    }
}

impl Drop for ControlDevice {
    fn drop(&mut self) {
        // SAFETY: the handle was opened by `open` and is closed once, here (invariant).
        let _ = unsafe { NtClose(self.handle) };
    }
}
