//! (c) The container file: opened with `ZwCreateFile` as a kernel handle, read and written at
//! explicit byte offsets with `ZwReadFile` / `ZwWriteFile`, flushed with `ZwFlushBuffersFile`,
//! and exposed as a `cryptdisk_core` [`BlockDevice`].
//!
//! Open it from a system thread ([`SystemThread::run`](super::thread::SystemThread::run) or the
//! volume's worker) so that the path resolves in the global namespace and the handle belongs to
//! the system process. All calls need PASSIVE_LEVEL.

use core::fmt;
use core::ptr::null_mut;

use cryptdisk_core::blockdev::{BlockDevError, BlockDevice, IoOp, SECTOR_SIZE, SECTOR_SIZE_U64, check_request};
use mountdev::{NtName, NtStatus};
use mountdev_wdk::UnicodeBuf;
use wdk_sys::ntddk::{ZwClose, ZwCreateFile, ZwFlushBuffersFile, ZwQueryInformationFile, ZwReadFile, ZwWriteFile};
use wdk_sys::{
    _FILE_INFORMATION_CLASS, FILE_ATTRIBUTE_NORMAL, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_SHARE_READ,
    FILE_STANDARD_INFORMATION, FILE_SYNCHRONOUS_IO_NONALERT, FILE_WRITE_THROUGH, GENERIC_READ, GENERIC_WRITE, HANDLE,
    IO_STATUS_BLOCK, LARGE_INTEGER, OBJ_CASE_INSENSITIVE, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, SYNCHRONIZE,
};

use super::{check, status};

/// The largest single `ZwReadFile` / `ZwWriteFile` (1 MiB, a whole number of sectors); longer
/// requests are split.
const MAX_TRANSFER: usize = 1 << 20;

/// How the container is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAccess {
    /// Reads only; writes fail with [`BlockDevError::ReadOnly`].
    ReadOnly,
    /// Reads and writes (written through to the disk).
    ReadWrite,
}

/// Why the container could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileError {
    /// `ZwCreateFile` failed.
    Open(NtStatus),
    /// `ZwQueryInformationFile(FileStandardInformation)` failed.
    QuerySize(NtStatus),
    /// The file holds less than one sector.
    TooSmall {
        /// Its size in bytes.
        bytes: i64,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(s) => write!(f, "cannot open the container file ({s:?})"),
            Self::QuerySize(s) => write!(f, "cannot read the container's size ({s:?})"),
            Self::TooSmall { bytes } => write!(f, "container of {bytes} bytes holds no whole sector"),
        }
    }
}

impl core::error::Error for FileError {}

impl From<FileError> for NtStatus {
    fn from(error: FileError) -> Self {
        match error {
            FileError::Open(s) | FileError::QuerySize(s) => s,
            FileError::TooSmall { .. } => NtStatus::INVALID_PARAMETER,
        }
    }
}

/// An open container file (see the module docs). Closed on drop.
#[derive(Debug)]
pub struct ContainerFile {
    // INVARIANT: a kernel handle opened for synchronous I/O, closed once (in Drop).
    handle: HANDLE,
    sectors: u64,
    access: FileAccess,
}

// SAFETY: a kernel handle (OBJ_KERNEL_HANDLE) is valid in every thread and process context.
unsafe impl Send for ContainerFile {}

impl ContainerFile {
    /// Opens an existing file by its NT path (for example `\??\C:\vault.img`); the name is
    /// copied into pool (the adapter's `UnicodeBuf`), so it may come straight from a wire buffer.
    ///
    /// # Errors
    ///
    /// [`FileError`], naming the call that failed; `FileError::Open(STATUS_OBJECT_NAME_INVALID)`
    /// for a path too long for a `UNICODE_STRING`, `FileError::Open(STATUS_INSUFFICIENT_RESOURCES)`
    /// when the pool cannot hold the copy.
    pub fn open(path: NtName<'_>, access: FileAccess) -> Result<Self, FileError> {
        let path = UnicodeBuf::from_name(path).map_err(|status| match status {
            NtStatus::INVALID_PARAMETER => FileError::Open(NtStatus::OBJECT_NAME_INVALID),
            other => FileError::Open(other),
        })?;
        let name = path
            .as_unicode()
            .map_err(|_| FileError::Open(NtStatus::OBJECT_NAME_INVALID))?;
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            ObjectName: name.as_ptr(),
            Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            ..OBJECT_ATTRIBUTES::default()
        };
        let desired = match access {
            FileAccess::ReadOnly => GENERIC_READ | SYNCHRONIZE,
            FileAccess::ReadWrite => GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let mut handle: HANDLE = null_mut();
        // SAFETY: every pointer is to a local that outlives the call; `name` points into `path`,
        // alive for the call.
        check(unsafe {
            ZwCreateFile(
                &mut handle,
                desired,
                &mut attributes,
                &mut iosb,
                null_mut(),
                FILE_ATTRIBUTE_NORMAL,
                FILE_SHARE_READ,
                FILE_OPEN,
                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE | FILE_WRITE_THROUGH,
                null_mut(),
                0,
            )
        })
        .map_err(FileError::Open)?;
        let mut file = Self {
            handle,
            sectors: 0,
            access,
        };
        let bytes = file.query_size()?;
        file.sectors = u64::try_from(bytes).map_or(0, |b| b / SECTOR_SIZE_U64);
        if file.sectors == 0 {
            return Err(FileError::TooSmall { bytes });
        }
        Ok(file)
    }

    fn query_size(&self) -> Result<i64, FileError> {
        let mut info = FILE_STANDARD_INFORMATION::default();
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: `info` is a writable FILE_STANDARD_INFORMATION of the size passed.
        check(unsafe {
            ZwQueryInformationFile(
                self.handle,
                &mut iosb,
                (&raw mut info).cast(),
                size_of::<FILE_STANDARD_INFORMATION>() as u32,
                _FILE_INFORMATION_CLASS::FileStandardInformation,
            )
        })
        .map_err(FileError::QuerySize)?;
        // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
        Ok(unsafe { info.EndOfFile.QuadPart })
    }

    /// One synchronous read or write of at most [`MAX_TRANSFER`] bytes at `offset`.
    fn transfer(&self, op: IoOp, offset: u64, buf: *mut u8, len: usize) -> Result<(), BlockDevError> {
        let io_error = |code: i32| BlockDevError::Io { op, code };
        let length = u32::try_from(len).map_err(|_| io_error(-1))?;
        let mut position = LARGE_INTEGER {
            QuadPart: i64::try_from(offset).map_err(|_| io_error(-1))?,
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let raw = match op {
            // SAFETY: `buf` has `len` writable bytes (the caller's slice); synchronous handle,
            // so the call returns after the transfer; the other pointers are locals.
            IoOp::Read => unsafe {
                ZwReadFile(
                    self.handle,
                    null_mut(),
                    None,
                    null_mut(),
                    &mut iosb,
                    buf.cast(),
                    length,
                    &mut position,
                    null_mut(),
                )
            },
            // SAFETY: as above, `buf` has `len` readable bytes.
            _ => unsafe {
                ZwWriteFile(
                    self.handle,
                    null_mut(),
                    None,
                    null_mut(),
                    &mut iosb,
                    buf.cast(),
                    length,
                    &mut position,
                    null_mut(),
                )
            },
        };
        check(raw).map_err(|s| io_error(s.as_i32()))?;
        if usize::try_from(iosb.Information).ok() != Some(len) {
            return Err(io_error(-1));
        }
        Ok(())
    }
}

impl BlockDevice for ContainerFile {
    fn sector_count(&self) -> u64 {
        self.sectors
    }

    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        let mut offset = lba.checked_mul(SECTOR_SIZE_U64).ok_or(BlockDevError::Io {
            op: IoOp::Read,
            code: -1,
        })?;
        for chunk in buf.chunks_mut(MAX_TRANSFER) {
            self.transfer(IoOp::Read, offset, chunk.as_mut_ptr(), chunk.len())?;
            offset = offset.saturating_add(chunk.len() as u64);
        }
        Ok(())
    }

    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        if self.access == FileAccess::ReadOnly {
            return Err(BlockDevError::ReadOnly);
        }
        let mut offset = lba.checked_mul(SECTOR_SIZE_U64).ok_or(BlockDevError::Io {
            op: IoOp::Write,
            code: -1,
        })?;
        for chunk in buf.chunks(MAX_TRANSFER) {
            // ZwWriteFile only reads the buffer; the pointer is mutable in its prototype only.
            self.transfer(IoOp::Write, offset, chunk.as_ptr().cast_mut(), chunk.len())?;
            offset = offset.saturating_add(chunk.len() as u64);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BlockDevError> {
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a valid handle (invariant) and a local status block.
        check(unsafe { ZwFlushBuffersFile(self.handle, &mut iosb) }).map_err(|s| BlockDevError::Io {
            op: IoOp::Flush,
            code: s.as_i32(),
        })
    }
}

impl Drop for ContainerFile {
    fn drop(&mut self) {
        // SAFETY: the handle is closed once, here (invariant).
        let _ = status(unsafe { ZwClose(self.handle) });
    }
}

const _: () = assert!(MAX_TRANSFER.is_multiple_of(SECTOR_SIZE));
