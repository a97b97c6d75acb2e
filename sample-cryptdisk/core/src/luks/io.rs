//! Reading and writing the LUKS1 header on a block device.

use crate::blockdev::{BlockDevice, SECTOR_SIZE};
use crate::luks::header::{HEADER_LEN, HEADER_SECTORS};
use crate::luks::{HeaderError, LuksError, LuksHeader};

/// Bytes of the sectors holding the header.
const HEADER_AREA: usize = 2 * SECTOR_SIZE;

/// Reads, parses and validates the header of `dev`, including the check that the payload
/// starts inside the device. Needs no key and derives nothing (usable in the driver).
///
/// # Errors
///
/// [`LuksError::Header`] for an invalid header or a device shorter than two sectors,
/// [`LuksError::Device`] when reading fails.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::MemDevice;
/// use cryptdisk_core::luks::{read_header, HeaderError, LuksError};
///
/// let mut blank = MemDevice::new(16);
/// assert_eq!(read_header(&mut blank).err(), Some(LuksError::Header(HeaderError::BadMagic)));
/// ```
pub fn read_header<D: BlockDevice + ?Sized>(dev: &mut D) -> Result<LuksHeader, LuksError> {
    let sectors = dev.sector_count();
    if sectors < HEADER_SECTORS {
        let len = usize::try_from(sectors).unwrap_or(0).saturating_mul(SECTOR_SIZE);
        return Err(HeaderError::TooShort { len }.into());
    }
    let mut buf = [0u8; HEADER_AREA];
    dev.read_sectors(0, &mut buf)?;
    let header = LuksHeader::parse(&buf)?;
    header.check_device(sectors)?;
    Ok(header)
}

/// Writes `header` to sectors 0-1 of `dev` (the bytes after the 592-byte header in sector 1
/// are preserved) and flushes.
///
/// # Errors
///
/// [`LuksError::Device`] when reading, writing or flushing fails.
///
/// # Examples
///
/// ```no_run
/// # fn f(dev: &mut cryptdisk_core::blockdev::MemDevice) -> Result<(), cryptdisk_core::luks::LuksError> {
/// let header = cryptdisk_core::luks::read_header(dev)?;
/// cryptdisk_core::luks::write_header(dev, &header)?;
/// # Ok(()) }
/// ```
pub fn write_header<D: BlockDevice + ?Sized>(dev: &mut D, header: &LuksHeader) -> Result<(), LuksError> {
    let mut buf = [0u8; HEADER_AREA];
    dev.read_sectors(0, &mut buf)?;
    if let Some(dst) = buf.get_mut(..HEADER_LEN) {
        dst.copy_from_slice(&header.to_bytes());
    }
    dev.write_sectors(0, &buf)?;
    dev.flush()?;
    Ok(())
}
