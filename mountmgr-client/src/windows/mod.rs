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
//! The requests themselves go through [`NtDevice`], the crate's one user-mode NT device
//! transport (also used by the sample's CLI and its driver's exerciser); its module is the only
//! one of the crate allowed to use `unsafe`: one FFI call per block, each with its `SAFETY`
//! argument.

use core::fmt;

use mountdev::{NtStatus, Reply};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_READ_ATTRIBUTES, SYNCHRONIZE,
};

use crate::transport::Transport;

mod device;

pub use device::NtDevice;

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
    device: NtDevice,
    mode: OpenMode,
}

impl WindowsTransport {
    /// Opens the mount manager with `mode`.
    ///
    /// # Errors
    /// [`OpenError`] with the `NTSTATUS` of the open.
    pub fn open(mode: OpenMode) -> Result<Self, OpenError> {
        let device =
            NtDevice::open(MOUNT_POINT_MANAGER, mode.desired_access()).map_err(|status| OpenError { mode, status })?;
        Ok(Self { device, mode })
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
    /// Sends the request with `NtDeviceIoControlFile` ([`NtDevice::control`]) and returns its
    /// status and `Information` exactly (`Information` only for non-error statuses, clamped to
    /// `output.len()`). Buffers longer than `u32::MAX` bytes are refused with
    /// `STATUS_INVALID_PARAMETER` without sending.
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.device.control(code, input, output)
    }
}
