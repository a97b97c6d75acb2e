//! [`GrowingFile`]: a block device on a file that grows as sectors are written past its end,
//! for `encrypt -`, whose input length is unknown until standard input ends.

use cryptdisk_core::blockdev::{BlockDevError, BlockDevice, IoOp, SECTOR_SIZE_U64, check_request};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

/// The capacity a [`GrowingFile`] reports: the largest sector count whose byte offset fits a
/// `u64` (the file system refuses long before).
pub const CAPACITY_SECTORS: u64 = u64::MAX / SECTOR_SIZE_U64;

/// A file seen as a device of [`CAPACITY_SECTORS`] sectors: writes extend it, reads past its
/// end fail.
#[derive(Debug)]
pub struct GrowingFile(File);

impl GrowingFile {
    /// Wraps a file opened for reading and writing.
    pub fn new(file: File) -> Self {
        Self(file)
    }

    fn seek_to(&mut self, lba: u64, op: IoOp) -> Result<(), BlockDevError> {
        let offset = lba.checked_mul(SECTOR_SIZE_U64).ok_or(BlockDevError::OutOfRange {
            lba,
            sectors: 0,
            capacity: CAPACITY_SECTORS,
        })?;
        self.0.seek(SeekFrom::Start(offset)).map(|_| ()).map_err(io_err(op))
    }
}

fn io_err(op: IoOp) -> impl Fn(std::io::Error) -> BlockDevError {
    move |e| BlockDevError::Io { op, cause: e.into() }
}

impl BlockDevice for GrowingFile {
    fn sector_count(&self) -> u64 {
        CAPACITY_SECTORS
    }

    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), CAPACITY_SECTORS)?;
        self.seek_to(lba, IoOp::Read)?;
        self.0.read_exact(buf).map_err(io_err(IoOp::Read))
    }

    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        check_request(lba, buf.len(), CAPACITY_SECTORS)?;
        self.seek_to(lba, IoOp::Write)?;
        self.0.write_all(buf).map_err(io_err(IoOp::Write))
    }

    fn flush(&mut self) -> Result<(), BlockDevError> {
        self.0.sync_data().map_err(io_err(IoOp::Flush))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_extend_the_file_and_reads_see_them() {
        let file = tempfile::tempfile().unwrap();
        let mut dev = GrowingFile::new(file.try_clone().unwrap());
        dev.write_sectors(3, &[7u8; 1024]).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 5 * 512);
        let mut back = [0u8; 512];
        dev.read_sectors(4, &mut back).unwrap();
        assert_eq!(back, [7u8; 512]);
        assert!(dev.read_sectors(5, &mut back).is_err());
        assert!(dev.write_sectors(0, &[0u8; 100]).is_err());
    }
}
