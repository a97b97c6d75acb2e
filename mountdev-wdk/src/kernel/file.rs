//! [`KernelFile`]: a file opened with `ZwCreateFile` as a synchronous kernel handle, read and
//! written at explicit byte offsets (`ZwReadFile` / `ZwWriteFile`), sized
//! (`ZwQueryInformationFile`) and flushed (`ZwFlushBuffersFile`): the backing store of a
//! file-backed volume.
//!
//! [`KernelFile::open`] opens with the kernel's own rights (no access check): for files the
//! driver itself names. [`KernelFile::open_for_caller`] opens a file a caller named, in the
//! caller's context (its dispatch routine, on the caller's thread) with `OBJ_FORCE_ACCESS_CHECK`,
//! so the caller's token decides and its drive letters and network sessions resolve the path.
//! Either way the handle is a kernel handle (`OBJ_KERNEL_HANDLE`), usable from any thread
//! afterwards. Every call needs PASSIVE_LEVEL.

use core::ptr::null_mut;

use mountdev::{NtName, NtStatus};
use wdk_sys::ntddk::{ZwClose, ZwCreateFile, ZwFlushBuffersFile, ZwQueryInformationFile, ZwReadFile, ZwWriteFile};
use wdk_sys::{
    _FILE_INFORMATION_CLASS, FILE_ATTRIBUTE_NORMAL, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_SHARE_READ,
    FILE_STANDARD_INFORMATION, FILE_SYNCHRONOUS_IO_NONALERT, FILE_WRITE_THROUGH, GENERIC_READ, GENERIC_WRITE, HANDLE,
    IO_STATUS_BLOCK, LARGE_INTEGER, OBJ_CASE_INSENSITIVE, OBJ_FORCE_ACCESS_CHECK, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES,
    SYNCHRONIZE,
};

use super::check;
use super::unicode::UnicodeBuf;

/// How a [`KernelFile`] is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAccess {
    /// Reads only.
    ReadOnly,
    /// Reads and writes, written through to the disk (`FILE_WRITE_THROUGH`).
    ReadWrite,
}

/// An existing file opened by its NT path (see the module docs); closed on drop. Others may
/// open it for reading only while it is open (`FILE_SHARE_READ`).
#[derive(Debug)]
pub struct KernelFile {
    // INVARIANT: a kernel handle opened for synchronous I/O, closed once (in Drop).
    handle: HANDLE,
}

// SAFETY: a kernel handle (OBJ_KERNEL_HANDLE) is valid in every thread and process context.
unsafe impl Send for KernelFile {}

impl KernelFile {
    /// Opens the existing file `path` (for example `\??\C:\vault.img`); the name is copied
    /// into pool first, so it may come straight from a packed wire buffer.
    ///
    /// # Errors
    /// The status of `ZwCreateFile` (`STATUS_OBJECT_NAME_NOT_FOUND`, `STATUS_SHARING_VIOLATION`,
    /// ...), `STATUS_OBJECT_NAME_INVALID` for a path too long for a `UNICODE_STRING`,
    /// `STATUS_INSUFFICIENT_RESOURCES` when the pool cannot hold the copy.
    pub fn open(path: NtName<'_>, access: FileAccess) -> Result<Self, NtStatus> {
        Self::open_with(path, access, 0)
    }

    /// Opens the existing file `path` as [`KernelFile::open`] does, but with the access check
    /// of the calling thread's token (`OBJ_FORCE_ACCESS_CHECK`): call it from a dispatch routine
    /// running on the requester's thread (a top-level driver's `IRP_MJ_DEVICE_CONTROL`), never
    /// from a system thread, whose token is the machine's.
    ///
    /// # Errors
    /// As [`KernelFile::open`]; `STATUS_ACCESS_DENIED` when the caller may not open the file.
    pub fn open_for_caller(path: NtName<'_>, access: FileAccess) -> Result<Self, NtStatus> {
        Self::open_with(path, access, OBJ_FORCE_ACCESS_CHECK)
    }

    fn open_with(path: NtName<'_>, access: FileAccess, extra_attributes: u32) -> Result<Self, NtStatus> {
        let path = UnicodeBuf::from_name(path).map_err(|status| match status {
            NtStatus::INVALID_PARAMETER => NtStatus::OBJECT_NAME_INVALID,
            other => other,
        })?;
        let name = path.as_unicode().map_err(|_| NtStatus::OBJECT_NAME_INVALID)?;
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            ObjectName: name.as_ptr(),
            Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE | extra_attributes,
            ..OBJECT_ATTRIBUTES::default()
        };
        let desired = match access {
            FileAccess::ReadOnly => GENERIC_READ | SYNCHRONIZE,
            FileAccess::ReadWrite => GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE,
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let mut handle: HANDLE = null_mut();
        // SAFETY: every pointer is to a local that outlives the call; the name points into
        // `path`, alive for the call.
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
        })?;
        Ok(Self { handle })
    }

    /// The file's size in bytes (`EndOfFile`).
    ///
    /// # Errors
    /// The status of `ZwQueryInformationFile`.
    pub fn size(&self) -> Result<i64, NtStatus> {
        let mut info = FILE_STANDARD_INFORMATION::default();
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a valid handle (invariant); `info` is a writable FILE_STANDARD_INFORMATION of
        // the size passed.
        check(unsafe {
            ZwQueryInformationFile(
                self.handle,
                &mut iosb,
                (&raw mut info).cast(),
                size_of::<FILE_STANDARD_INFORMATION>() as u32,
                _FILE_INFORMATION_CLASS::FileStandardInformation,
            )
        })?;
        // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
        Ok(unsafe { info.EndOfFile.QuadPart })
    }

    /// Reads up to `buf.len()` bytes at byte `offset` in one `ZwReadFile`; returns how many
    /// were read.
    ///
    /// # Errors
    /// The status of `ZwReadFile` (`STATUS_END_OF_FILE`, ...); `STATUS_INVALID_PARAMETER` for an
    /// offset beyond `i64::MAX` or a buffer beyond 4 GiB.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, NtStatus> {
        let (mut position, length) = Self::position(offset, buf.len())?;
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a synchronous handle (invariant), so the call returns after the transfer;
        // `buf` has `length` writable bytes, borrowed for the call; the rest are locals.
        check(unsafe {
            ZwReadFile(
                self.handle,
                null_mut(),
                None,
                null_mut(),
                &mut iosb,
                buf.as_mut_ptr().cast(),
                length,
                &mut position,
                null_mut(),
            )
        })?;
        Ok(usize::try_from(iosb.Information).unwrap_or(0).min(buf.len()))
    }

    /// Writes `buf` at byte `offset` in one `ZwWriteFile`; returns how many bytes were written.
    ///
    /// # Errors
    /// The status of `ZwWriteFile` (`STATUS_ACCESS_DENIED` for a read-only file, ...);
    /// `STATUS_INVALID_PARAMETER` for an offset beyond `i64::MAX` or a buffer beyond 4 GiB.
    pub fn write_at(&self, offset: u64, buf: &[u8]) -> Result<usize, NtStatus> {
        let (mut position, length) = Self::position(offset, buf.len())?;
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: as in `read_at`; `buf` has `length` readable bytes, which ZwWriteFile only
        // reads (its prototype's pointer is mutable only).
        check(unsafe {
            ZwWriteFile(
                self.handle,
                null_mut(),
                None,
                null_mut(),
                &mut iosb,
                buf.as_ptr().cast_mut().cast(),
                length,
                &mut position,
                null_mut(),
            )
        })?;
        Ok(usize::try_from(iosb.Information).unwrap_or(0).min(buf.len()))
    }

    /// Flushes the file's buffers to the disk.
    ///
    /// # Errors
    /// The status of `ZwFlushBuffersFile`.
    pub fn flush(&self) -> Result<(), NtStatus> {
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a valid handle (invariant) and a local status block.
        check(unsafe { ZwFlushBuffersFile(self.handle, &mut iosb) })
    }

    fn position(offset: u64, len: usize) -> Result<(LARGE_INTEGER, u32), NtStatus> {
        let position = LARGE_INTEGER {
            QuadPart: i64::try_from(offset).map_err(|_| NtStatus::INVALID_PARAMETER)?,
        };
        let length = u32::try_from(len).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        Ok((position, length))
    }
}

impl Drop for KernelFile {
    fn drop(&mut self) {
        // SAFETY: the handle is closed once, here (invariant).
        let _ = unsafe { ZwClose(self.handle) };
    }
}
