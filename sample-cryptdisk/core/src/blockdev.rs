//! The block-device trait the volume and the LUKS code read and write through.
//!
//! Addressing is in 512-byte sectors ([`SECTOR_SIZE`]); buffers are whole sectors. In user mode
//! the implementation is a file ([`FileDevice`](crate::filedev::FileDevice), `std` feature); in
//! the driver it wraps the kernel's file calls (`ZwReadFile` / `ZwWriteFile` at byte offset
//! `lba * 512`). [`MemDevice`] keeps everything in memory, for tests and simulations.

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

mod backend;

pub use backend::BackendError;
#[cfg(feature = "std")]
pub use backend::OsError;

/// Size of one device sector, in bytes. LUKS1 and the data path use 512-byte sectors only.
pub const SECTOR_SIZE: usize = 512;

/// [`SECTOR_SIZE`] as a `u64`, for offset arithmetic.
pub const SECTOR_SIZE_U64: u64 = 512;

/// The operation that failed in a [`BlockDevError::Io`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoOp {
    /// Reading sectors.
    Read,
    /// Writing sectors.
    Write,
    /// Flushing written data to stable storage.
    Flush,
    /// Opening the device or querying its size.
    Open,
}

impl fmt::Display for IoOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Flush => "flush",
            Self::Open => "open",
        })
    }
}

/// Errors of a block device.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockDevError {
    /// The buffer length is not a multiple of [`SECTOR_SIZE`].
    Misaligned {
        /// Buffer length in bytes.
        len: usize,
    },
    /// The request reaches past the end of the device.
    OutOfRange {
        /// First sector of the request.
        lba: u64,
        /// Number of sectors requested.
        sectors: u64,
        /// Capacity of the device in sectors.
        capacity: u64,
    },
    /// The device was opened read-only.
    ReadOnly,
    /// The backend failed.
    Io {
        /// Operation that failed.
        op: IoOp,
        /// What the backend reported.
        cause: BackendError,
    },
}

impl fmt::Display for BlockDevError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Misaligned { len } => {
                write!(f, "buffer of {len} bytes is not a whole number of 512-byte sectors")
            }
            Self::OutOfRange { lba, sectors, capacity } => write!(
                f,
                "{sectors} sectors at sector {lba} reach past the device end ({capacity} sectors)"
            ),
            Self::ReadOnly => f.write_str("device is read-only"),
            Self::Io { op, cause } => write!(f, "device {op} failed: {cause}"),
        }
    }
}

/// Transparent over [`BlockDevError::Io`]'s cause, whose message is already part of this one.
impl core::error::Error for BlockDevError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Io { cause, .. } => cause.source(),
            Self::Misaligned { .. } | Self::OutOfRange { .. } | Self::ReadOnly => None,
        }
    }
}

/// Checks that `len` bytes at sector `lba` are whole sectors inside a device of `capacity`
/// sectors; returns the number of sectors.
///
/// Implementations of [`BlockDevice`] call this first so that every backend rejects the same
/// requests the same way.
///
/// # Errors
///
/// [`BlockDevError::Misaligned`] or [`BlockDevError::OutOfRange`].
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::{check_request, BlockDevError};
/// assert_eq!(check_request(2, 1024, 4), Ok(2));
/// assert!(matches!(check_request(3, 1024, 4), Err(BlockDevError::OutOfRange { .. })));
/// assert!(matches!(check_request(0, 100, 4), Err(BlockDevError::Misaligned { len: 100 })));
/// ```
pub fn check_request(lba: u64, len: usize, capacity: u64) -> Result<u64, BlockDevError> {
    if !len.is_multiple_of(SECTOR_SIZE) {
        return Err(BlockDevError::Misaligned { len });
    }
    let sectors = u64::try_from(len / SECTOR_SIZE).map_err(|_| BlockDevError::Misaligned { len })?;
    match lba.checked_add(sectors) {
        Some(end) if end <= capacity => Ok(sectors),
        _ => Err(BlockDevError::OutOfRange { lba, sectors, capacity }),
    }
}

/// A device of 512-byte sectors.
///
/// Implementations must reject misaligned or out-of-range requests without touching the
/// device (see [`check_request`]).
pub trait BlockDevice {
    /// Capacity in sectors (a trailing partial sector of the backing store is not counted).
    fn sector_count(&self) -> u64;

    /// Reads `buf.len() / 512` sectors starting at sector `lba`.
    ///
    /// # Errors
    ///
    /// [`BlockDevError`] for bad geometry or a failing backend.
    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError>;

    /// Writes `buf.len() / 512` sectors starting at sector `lba`.
    ///
    /// # Errors
    ///
    /// [`BlockDevError`] for bad geometry, a read-only device or a failing backend.
    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError>;

    /// Makes previous writes durable.
    ///
    /// # Errors
    ///
    /// [`BlockDevError::Io`] when the backend fails.
    fn flush(&mut self) -> Result<(), BlockDevError>;
}

impl<D: BlockDevice + ?Sized> BlockDevice for &mut D {
    fn sector_count(&self) -> u64 {
        (**self).sector_count()
    }
    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        (**self).read_sectors(lba, buf)
    }
    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        (**self).write_sectors(lba, buf)
    }
    fn flush(&mut self) -> Result<(), BlockDevError> {
        (**self).flush()
    }
}

/// An in-memory block device (tests, simulations, small images).
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::{BlockDevice, MemDevice};
///
/// let mut dev = MemDevice::new(8);
/// dev.write_sectors(3, &[0xAA; 512])?;
/// let mut buf = [0u8; 1024];
/// dev.read_sectors(2, &mut buf)?;
/// assert_eq!(buf[511], 0);
/// assert_eq!(buf[512], 0xAA);
/// # Ok::<(), cryptdisk_core::blockdev::BlockDevError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemDevice {
    data: Vec<u8>,
    writes: u64,
}

impl MemDevice {
    /// A zero-filled device of `sectors` sectors.
    ///
    /// # Panics
    ///
    /// Only if the size does not fit in memory (allocation failure), like `vec!`.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::blockdev::MemDevice::new(4).as_bytes().len(), 2048);
    /// ```
    pub fn new(sectors: usize) -> Self {
        Self {
            data: vec![0; sectors.saturating_mul(SECTOR_SIZE)],
            writes: 0,
        }
    }

    /// Wraps existing bytes; a trailing partial sector is dropped.
    ///
    /// ```
    /// let dev = cryptdisk_core::blockdev::MemDevice::from_vec(vec![1; 1000]);
    /// assert_eq!(dev.as_bytes().len(), 512);
    /// ```
    pub fn from_vec(mut data: Vec<u8>) -> Self {
        let whole = data.len().saturating_sub(data.len() % SECTOR_SIZE);
        data.truncate(whole);
        Self { data, writes: 0 }
    }

    /// The raw device contents.
    ///
    /// ```
    /// assert!(cryptdisk_core::blockdev::MemDevice::new(1).as_bytes().iter().all(|&b| b == 0));
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// Mutable access to the raw contents (to corrupt a header in a test, for example).
    ///
    /// ```
    /// let mut dev = cryptdisk_core::blockdev::MemDevice::new(1);
    /// dev.as_bytes_mut()[0] = 1;
    /// ```
    pub fn as_bytes_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// Number of successful `write_sectors` calls so far.
    ///
    /// ```
    /// use cryptdisk_core::blockdev::{BlockDevice, MemDevice};
    /// let mut dev = MemDevice::new(1);
    /// dev.write_sectors(0, &[0; 512])?;
    /// assert_eq!(dev.write_count(), 1);
    /// # Ok::<(), cryptdisk_core::blockdev::BlockDevError>(())
    /// ```
    pub fn write_count(&self) -> u64 {
        self.writes
    }

    /// Returns the contents.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::blockdev::MemDevice::new(2).into_inner().len(), 1024);
    /// ```
    pub fn into_inner(self) -> Vec<u8> {
        self.data
    }

    /// The byte range of a request: [`check_request`]'s error, or `OutOfRange` for a range it
    /// accepted that still does not fit `usize`.
    fn range(&self, lba: u64, len: usize) -> Result<core::ops::Range<usize>, BlockDevError> {
        check_request(lba, len, self.sector_count())?;
        let start = usize::try_from(lba)
            .ok()
            .and_then(|l| l.checked_mul(SECTOR_SIZE))
            .ok_or_else(|| self.out_of_range(lba, len))?;
        let end = start.checked_add(len).ok_or_else(|| self.out_of_range(lba, len))?;
        Ok(start..end)
    }

    /// The error of `len` bytes at `lba` that do not lie inside the device.
    fn out_of_range(&self, lba: u64, len: usize) -> BlockDevError {
        BlockDevError::OutOfRange {
            lba,
            sectors: u64::try_from(len / SECTOR_SIZE).unwrap_or(u64::MAX),
            capacity: self.sector_count(),
        }
    }
}

impl BlockDevice for MemDevice {
    fn sector_count(&self) -> u64 {
        u64::try_from(self.data.len() / SECTOR_SIZE).unwrap_or(u64::MAX)
    }

    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        let r = self.range(lba, buf.len())?;
        let src = self.data.get(r).ok_or_else(|| self.out_of_range(lba, buf.len()))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        let r = self.range(lba, buf.len())?;
        let err = self.out_of_range(lba, buf.len());
        let dst = self.data.get_mut(r).ok_or(err)?;
        dst.copy_from_slice(buf);
        self.writes = self.writes.saturating_add(1);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BlockDevError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_device_bounds() {
        let mut dev = MemDevice::new(4);
        assert_eq!(dev.sector_count(), 4);
        let mut buf = [0u8; 512];
        assert!(dev.read_sectors(3, &mut buf).is_ok());
        assert_eq!(
            dev.read_sectors(4, &mut buf),
            Err(BlockDevError::OutOfRange {
                lba: 4,
                sectors: 1,
                capacity: 4
            })
        );
        assert_eq!(
            dev.write_sectors(u64::MAX, &buf),
            Err(BlockDevError::OutOfRange {
                lba: u64::MAX,
                sectors: 1,
                capacity: 4
            })
        );
        assert_eq!(
            dev.write_sectors(0, &buf[..511]),
            Err(BlockDevError::Misaligned { len: 511 })
        );
        assert!(dev.read_sectors(4, &mut []).is_ok());
        assert_eq!(dev.write_count(), 0);
    }

    #[test]
    fn an_io_error_names_the_operation_and_the_backend_cause() {
        let status = BlockDevError::Io {
            op: IoOp::Write,
            cause: BackendError::Status(mountdev::NtStatus::DEVICE_REMOVED),
        };
        assert_eq!(
            status.to_string(),
            "device write failed: STATUS_DEVICE_REMOVED(0xC00002B6)"
        );
        let short = BlockDevError::Io {
            op: IoOp::Read,
            cause: BackendError::Short { done: 0, wanted: 512 },
        };
        assert_eq!(short.to_string(), "device read failed: moved 0 of 512 bytes");
    }
}
