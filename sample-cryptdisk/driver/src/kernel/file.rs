//! (c) The container file: the adapter's [`KernelFile`] (a synchronous kernel handle from
//! `ZwCreateFile`, read and written at explicit byte offsets) exposed as a `cryptdisk_core`
//! [`BlockDevice`] of whole sectors.
//!
//! It is opened by the control device's dispatch routine, on the thread of the process that sent
//! MOUNT, with that caller's access check (`KernelFile::open_for_caller`); the kernel handle is
//! then used by the volume's worker. All calls need PASSIVE_LEVEL.

use core::fmt;

use cryptdisk_core::blockdev::{
    BackendError, BlockDevError, BlockDevice, IoOp, SECTOR_SIZE, SECTOR_SIZE_U64, check_request,
};
use mountdev::{NtName, NtStatus};
pub use mountdev_wdk::FileAccess;
use mountdev_wdk::KernelFile;

/// The largest single `ZwReadFile` / `ZwWriteFile` (1 MiB, a whole number of sectors); longer
/// requests are split.
const MAX_TRANSFER: usize = 1 << 20;

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
    file: KernelFile,
    sectors: u64,
    access: FileAccess,
}

impl ContainerFile {
    /// Opens an existing file by its NT path (for example `\??\C:\vault.img`) in the caller's
    /// context, with the caller's access check (`KernelFile::open_for_caller`); the name is
    /// copied into pool by the adapter, so it may come straight from a wire buffer.
    ///
    /// # Errors
    ///
    /// [`FileError`], naming the call that failed; `FileError::Open(STATUS_OBJECT_NAME_INVALID)`
    /// for a path too long for a `UNICODE_STRING`, `FileError::Open(STATUS_INSUFFICIENT_RESOURCES)`
    /// when the pool cannot hold the copy.
    pub fn open(path: NtName<'_>, access: FileAccess) -> Result<Self, FileError> {
        let file = KernelFile::open_for_caller(path, access).map_err(FileError::Open)?;
        let bytes = file.size().map_err(FileError::QuerySize)?;
        let sectors = u64::try_from(bytes).map_or(0, |b| b / SECTOR_SIZE_U64);
        if sectors == 0 {
            return Err(FileError::TooSmall { bytes });
        }
        Ok(Self { file, sectors, access })
    }

    /// The error of a transfer that failed or moved fewer bytes than asked.
    fn io_result(op: IoOp, result: Result<usize, NtStatus>, len: usize) -> Result<(), BlockDevError> {
        let cause = match result {
            Ok(moved) if moved == len => return Ok(()),
            Ok(done) => BackendError::Short { done, wanted: len },
            Err(status) => BackendError::Status(status),
        };
        Err(BlockDevError::Io { op, cause })
    }

    /// The byte offset of sector `lba`, which [`check_request`] bounded by the file's size.
    fn offset_of(&self, lba: u64, len: usize) -> Result<u64, BlockDevError> {
        lba.checked_mul(SECTOR_SIZE_U64).ok_or(BlockDevError::OutOfRange {
            lba,
            sectors: u64::try_from(len / SECTOR_SIZE).unwrap_or(u64::MAX),
            capacity: self.sectors,
        })
    }
}

impl BlockDevice for ContainerFile {
    fn sector_count(&self) -> u64 {
        self.sectors
    }

    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        let mut offset = self.offset_of(lba, buf.len())?;
        for chunk in buf.chunks_mut(MAX_TRANSFER) {
            let len = chunk.len();
            Self::io_result(IoOp::Read, self.file.read_at(offset, chunk), len)?;
            offset = offset.saturating_add(chunk.len() as u64);
        }
        Ok(())
    }

    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        if self.access == FileAccess::ReadOnly {
            return Err(BlockDevError::ReadOnly);
        }
        let mut offset = self.offset_of(lba, buf.len())?;
        for chunk in buf.chunks(MAX_TRANSFER) {
            Self::io_result(IoOp::Write, self.file.write_at(offset, chunk), chunk.len())?;
            offset = offset.saturating_add(chunk.len() as u64);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BlockDevError> {
        self.file.flush().map_err(|status| BlockDevError::Io {
            op: IoOp::Flush,
            cause: BackendError::Status(status),
        })
    }
}

const _: () = assert!(MAX_TRANSFER.is_multiple_of(SECTOR_SIZE));
