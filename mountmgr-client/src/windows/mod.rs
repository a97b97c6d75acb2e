//! The Windows user-mode [`Transport`]: `\\.\MountPointManager` (`\??\MountPointManager`),
//! through ntdll so the `NTSTATUS` and `Information` come back exactly.
//!
//! Requests go through `NtDeviceIoControlFile` rather than `DeviceIoControl`: the Win32 call
//! folds the status into a Win32 error code (`STATUS_BUFFER_OVERFLOW` and
//! `STATUS_BUFFER_TOO_SMALL` become `ERROR_MORE_DATA` / `ERROR_INSUFFICIENT_BUFFER`, and
//! `STATUS_INVALID_PARAMETER` and others lose their identity), while the client needs the exact
//! status and `Information` of every completion (`protocol.md` §3.1).
//!
//! # Access (`protocol.md` §1.3)
//!
//! The I/O manager checks each IOCTL's access bits against the handle. [`OpenMode::Query`] asks
//! for no data access and is enough for the `FILE_ANY_ACCESS` requests (`QUERY_POINTS`,
//! `QUERY_DOS_VOLUME_PATH(S)`, `QUERY_AUTO_MOUNT`); [`OpenMode::Read`] adds read access
//! (`CHANGE_NOTIFY`, `VOLUME_ARRIVAL_NOTIFICATION`, `CHECK_UNPROCESSED_VOLUMES`);
//! [`OpenMode::ReadWrite`] is needed for `CREATE_POINT`, `DELETE_POINTS` and the other
//! read/write requests and, in practice, administrator rights. A request the handle lacks the
//! access for completes with `STATUS_ACCESS_DENIED`; an open the caller lacks the rights for
//! fails with [`OpenError`] whose [`OpenError::is_access_denied`] is true.
//!
//! This is the only module of the crate allowed to use `unsafe`: one FFI call per block, each
//! with its `SAFETY` argument.
#![allow(
    unsafe_code,
    reason = "FFI calls into ntdll (NtOpenFile, NtDeviceIoControlFile, NtWaitForSingleObject, NtClose) and one read of the IO_STATUS_BLOCK status union"
)]

use core::fmt;
use core::ptr;
use std::vec::Vec;

use mountdev::{NtStatus, Reply};
use windows_sys::Wdk::Foundation::{NtClose, OBJECT_ATTRIBUTES};
use windows_sys::Wdk::Storage::FileSystem::{FILE_NON_DIRECTORY_FILE, FILE_SYNCHRONOUS_IO_NONALERT, NtOpenFile};
use windows_sys::Wdk::System::IO::NtDeviceIoControlFile;
use windows_sys::Wdk::System::Threading::NtWaitForSingleObject;
use windows_sys::Win32::Foundation::{HANDLE, OBJ_CASE_INSENSITIVE, UNICODE_STRING};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_READ_ATTRIBUTES, FILE_SHARE_READ, FILE_SHARE_WRITE, SYNCHRONIZE,
};
use windows_sys::Win32::System::IO::IO_STATUS_BLOCK;

use crate::transport::Transport;

/// The NT name the transport opens: `\\.\MountPointManager` in Win32 terms, a link to
/// `\Device\MountPointManager`.
pub const MOUNT_POINT_MANAGER: &str = r"\??\MountPointManager";

/// The access a [`WindowsTransport`] opens the mount manager with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpenMode {
    /// No data access (`SYNCHRONIZE | FILE_READ_ATTRIBUTES`, what `CreateFileW` with access 0
    /// asks for): the `FILE_ANY_ACCESS` queries. Needs no privileges.
    Query,
    /// Read access: adds the `FILE_READ_ACCESS` requests.
    Read,
    /// Read and write access: every request; needs administrator rights.
    ReadWrite,
}

impl OpenMode {
    /// The `DesiredAccess` mask.
    pub const fn desired_access(self) -> u32 {
        match self {
            Self::Query => SYNCHRONIZE | FILE_READ_ATTRIBUTES,
            Self::Read => FILE_GENERIC_READ,
            Self::ReadWrite => FILE_GENERIC_READ | FILE_GENERIC_WRITE,
        }
    }
}

impl fmt::Display for OpenMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Query => "queries",
            Self::Read => "reading",
            Self::ReadWrite => "reading and writing",
        })
    }
}

/// Why `\\.\MountPointManager` could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenError {
    /// The access asked for.
    pub mode: OpenMode,
    /// The status of `NtOpenFile`.
    pub status: NtStatus,
}

impl OpenError {
    /// Whether the open failed for lack of rights (`STATUS_ACCESS_DENIED`): read/write access to
    /// the mount manager needs an elevated (administrator) process.
    pub fn is_access_denied(&self) -> bool {
        self.status == NtStatus::ACCESS_DENIED
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot open \\\\.\\MountPointManager for {}: {}",
            self.mode, self.status
        )?;
        if self.is_access_denied() {
            f.write_str(" (access denied: run as administrator, or open for queries only)")?;
        }
        Ok(())
    }
}

impl core::error::Error for OpenError {}

/// A handle to `\\.\MountPointManager` that sends requests with `NtDeviceIoControlFile`.
///
/// The handle is opened for synchronous I/O, so every request returns when the mount manager
/// has completed it (`CHANGE_NOTIFY` blocks until a mount point changes). The handle is closed on
/// drop.
#[derive(Debug)]
pub struct WindowsTransport {
    // INVARIANT: an open handle owned by this value, opened with FILE_SYNCHRONOUS_IO_NONALERT;
    // closed only in Drop.
    handle: HANDLE,
    mode: OpenMode,
}

impl WindowsTransport {
    /// Opens the mount manager with `mode`.
    ///
    /// # Errors
    /// [`OpenError`] with the `NTSTATUS` of the open.
    pub fn open(mode: OpenMode) -> Result<Self, OpenError> {
        let fail = |status| OpenError { mode, status };
        let mut name: Vec<u16> = MOUNT_POINT_MANAGER.encode_utf16().collect();
        let length = name
            .len()
            .checked_mul(2)
            .and_then(|bytes| u16::try_from(bytes).ok())
            .ok_or(fail(NtStatus::OBJECT_NAME_INVALID))?;
        let unicode = UNICODE_STRING {
            Length: length,
            MaximumLength: length,
            Buffer: name.as_mut_ptr(),
        };
        let attributes = OBJECT_ATTRIBUTES {
            Length: u32::try_from(core::mem::size_of::<OBJECT_ATTRIBUTES>())
                .map_err(|_| fail(NtStatus::INVALID_PARAMETER))?,
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
                mode.desired_access(),
                &attributes,
                &mut iosb,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE,
            )
        };
        let status = NtStatus::from_i32(status);
        if !status.is_success() {
            return Err(fail(status));
        }
        Ok(Self { handle, mode })
    }

    /// Opens the mount manager for queries only ([`OpenMode::Query`]; no privileges needed).
    ///
    /// # Errors
    /// [`OpenError`].
    pub fn open_for_queries() -> Result<Self, OpenError> {
        Self::open(OpenMode::Query)
    }

    /// The access this handle was opened with.
    pub const fn mode(&self) -> OpenMode {
        self.mode
    }
}

impl Transport for WindowsTransport {
    /// Sends the request with `NtDeviceIoControlFile` and returns its status and `Information`
    /// exactly (`Information` only for non-error statuses, clamped to `output.len()`). Buffers
    /// longer than `u32::MAX` bytes are refused with `STATUS_INVALID_PARAMETER` without sending.
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
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
        // SAFETY: `self.handle` is open (type invariant). `input_ptr` / `output_ptr` are null for
        // empty buffers or point at `input_len` readable / `output_len` writable bytes borrowed
        // for this whole call; `iosb` is a live local. The handle was opened for synchronous I/O,
        // so the I/O manager completes the request before returning and no pointer is used
        // after the call (a STATUS_PENDING return is waited for below, before the borrows end).
        let status = unsafe {
            NtDeviceIoControlFile(
                self.handle,
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
        let mut status = NtStatus::from_i32(status);
        if status == NtStatus::PENDING {
            // SAFETY: `self.handle` is open; a null timeout waits without limit. Waiting on a
            // file handle returns when its pending I/O completes.
            let waited = unsafe { NtWaitForSingleObject(self.handle, false, ptr::null_mut()) };
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
        Reply::new(status, iosb.Information.min(output.len()))
    }
}

impl Drop for WindowsTransport {
    fn drop(&mut self) {
        // SAFETY: `self.handle` is open and owned (type invariant) and is not used after this.
        let status = unsafe { NtClose(self.handle) };
        // Nothing useful can be done about a failed close in drop.
        let _ = status;
    }
}
