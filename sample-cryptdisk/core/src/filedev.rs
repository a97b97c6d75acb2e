//! [`FileDevice`]: a [`BlockDevice`] on a `std::fs::File` (user mode, `std` feature).

use crate::blockdev::{BlockDevError, BlockDevice, IoOp, SECTOR_SIZE_U64, check_request};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// A block device backed by a regular file (or anything `std::fs::File` can open).
///
/// The capacity is the file length at open time, rounded down to whole sectors. Writes never
/// extend the file.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::BlockDevice;
/// use cryptdisk_core::filedev::FileDevice;
///
/// let path = std::env::temp_dir().join(format!("filedev-doc-{}.img", std::process::id()));
/// std::fs::write(&path, vec![0u8; 4096])?;
/// let mut dev = FileDevice::open(&path, true)?;
/// assert_eq!(dev.sector_count(), 8);
/// dev.write_sectors(7, &[1u8; 512])?;
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FileDevice {
    file: File,
    sectors: u64,
    writable: bool,
}

fn io_err(op: IoOp) -> impl Fn(std::io::Error) -> BlockDevError {
    move |e| BlockDevError::Io { op, cause: e.into() }
}

impl FileDevice {
    /// Opens `path`, read-write when `writable`, else read-only.
    ///
    /// # Errors
    ///
    /// [`BlockDevError::Io`] with [`IoOp::Open`] when the file cannot be opened or sized.
    ///
    /// ```no_run
    /// let dev = cryptdisk_core::filedev::FileDevice::open("volume.img", false)?;
    /// # Ok::<(), cryptdisk_core::blockdev::BlockDevError>(())
    /// ```
    pub fn open(path: impl AsRef<Path>, writable: bool) -> Result<Self, BlockDevError> {
        let file = OpenOptions::new()
            .read(true)
            .write(writable)
            .open(path)
            .map_err(io_err(IoOp::Open))?;
        Self::from_file(file, writable)
    }

    /// Wraps an open file; `writable` must match how it was opened.
    ///
    /// # Errors
    ///
    /// [`BlockDevError::Io`] with [`IoOp::Open`] when its size cannot be read.
    ///
    /// ```no_run
    /// let file = std::fs::File::open("volume.img").unwrap();
    /// let dev = cryptdisk_core::filedev::FileDevice::from_file(file, false)?;
    /// # Ok::<(), cryptdisk_core::blockdev::BlockDevError>(())
    /// ```
    pub fn from_file(file: File, writable: bool) -> Result<Self, BlockDevError> {
        let len = file.metadata().map_err(io_err(IoOp::Open))?.len();
        Ok(Self {
            file,
            sectors: len / SECTOR_SIZE_U64,
            writable,
        })
    }

    /// Gives the file back.
    ///
    /// ```no_run
    /// let dev = cryptdisk_core::filedev::FileDevice::open("volume.img", false)?;
    /// let _file: std::fs::File = dev.into_file();
    /// # Ok::<(), cryptdisk_core::blockdev::BlockDevError>(())
    /// ```
    pub fn into_file(self) -> File {
        self.file
    }

    fn seek_to(&mut self, lba: u64, op: IoOp) -> Result<(), BlockDevError> {
        let offset = lba.checked_mul(SECTOR_SIZE_U64).ok_or(BlockDevError::OutOfRange {
            lba,
            sectors: 0,
            capacity: self.sectors,
        })?;
        self.file.seek(SeekFrom::Start(offset)).map_err(io_err(op))?;
        Ok(())
    }
}

impl BlockDevice for FileDevice {
    fn sector_count(&self) -> u64 {
        self.sectors
    }

    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        self.seek_to(lba, IoOp::Read)?;
        self.file.read_exact(buf).map_err(io_err(IoOp::Read))
    }

    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), self.sectors)?;
        if !self.writable {
            return Err(BlockDevError::ReadOnly);
        }
        self.seek_to(lba, IoOp::Write)?;
        self.file.write_all(buf).map_err(io_err(IoOp::Write))
    }

    fn flush(&mut self) -> Result<(), BlockDevError> {
        if self.writable {
            self.file.sync_data().map_err(io_err(IoOp::Flush))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blockdev::BackendError;

    #[test]
    fn a_file_that_shrank_fails_the_read_with_the_os_error() {
        let path = std::env::temp_dir().join(format!("cryptdisk-filedev-{}", std::process::id()));
        let file = File::create(&path).unwrap();
        file.set_len(1024).unwrap();
        let mut dev = FileDevice::open(&path, false).unwrap();
        file.set_len(512).unwrap();
        let error = dev.read_sectors(1, &mut [0; 512]).unwrap_err();
        drop((dev, file));
        std::fs::remove_file(&path).unwrap();
        match error {
            BlockDevError::Io {
                op: IoOp::Read,
                cause: BackendError::Os(os),
            } => assert_eq!(os.get_ref().kind(), std::io::ErrorKind::UnexpectedEof),
            other => panic!("{other:?}"),
        }
    }
}
