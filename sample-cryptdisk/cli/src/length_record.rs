//! The original-length record: how `encrypt` remembers the exact size of a raw image whose
//! length is not a multiple of 512 bytes, so that `decrypt` gives back the same bytes.
//!
//! The data area of a volume is whole 512-byte sectors; `encrypt` pads the last one with
//! zeros. The exact length goes into sector 2 of the volume file, which LUKS1 leaves unused
//! (the 592-byte header is in sectors 0-1, key material starts at sector 8 on every volume
//! cryptdisk and cryptsetup create, and both zero this gap when formatting):
//!
//! | offset in sector 2 | size | field |
//! |---|---|---|
//! | 0 | 16 | magic `cryptdisk-length` |
//! | 16 | 8 | original length in bytes, little-endian |
//! | 24 | 488 | zero |
//!
//! The record is in clear text: it reveals how far into its last sector the image reaches,
//! which the file size already tells to within 511 bytes. Other LUKS tools ignore it; a
//! volume without it (made by `create`, cryptsetup or qemu) decrypts to its whole data area.
//! `decrypt` uses the record only when the length fits the volume's data area exactly
//! (rounded up to whole sectors).

use cryptdisk_core::blockdev::{BlockDevError, BlockDevice, SECTOR_SIZE};
use cryptdisk_core::luks::LuksHeader;

/// The sector holding the record.
pub const RECORD_SECTOR: u64 = 2;

/// The record's magic.
pub const MAGIC: &[u8; 16] = b"cryptdisk-length";

/// What sector 2 of a volume says about its original length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthRecord {
    /// No record (or no room for one: key material starts before sector 3).
    Absent,
    /// A record whose length fits the data area: the original image was this many bytes.
    Valid(u64),
    /// A record whose length does not fit the data area (the volume was resized or edited).
    Mismatch(u64),
}

impl LengthRecord {
    /// The bytes `decrypt` writes from a data area of `data_bytes`: the recorded length when it
    /// fits, else all of it (with a warning when a record does not fit).
    pub fn length_to_write(self, data_bytes: u64) -> u64 {
        match self {
            Self::Valid(len) => len,
            Self::Absent => data_bytes,
            Self::Mismatch(len) => {
                crate::output::warn(format_args!(
                    "ignoring the recorded original length ({len} bytes): it does not fit the data area; writing all {data_bytes} bytes"
                ));
                data_bytes
            }
        }
    }
}

/// Whether the header leaves sector 2 free (every key slot's material starts after it).
fn has_room(header: &LuksHeader) -> bool {
    header
        .slots()
        .iter()
        .all(|s| u64::from(s.key_material_offset) > RECORD_SECTOR)
}

/// Writes the record for an image of `length` bytes. Returns `false` (writing nothing) when the
/// header leaves no room for it.
///
/// # Errors
///
/// Device errors.
pub fn write<D: BlockDevice + ?Sized>(dev: &mut D, header: &LuksHeader, length: u64) -> Result<bool, BlockDevError> {
    if !has_room(header) {
        return Ok(false);
    }
    let mut sector = [0u8; SECTOR_SIZE];
    let (magic, rest) = sector.split_at_mut(MAGIC.len());
    magic.copy_from_slice(MAGIC);
    if let Some(len) = rest.get_mut(..8) {
        len.copy_from_slice(&length.to_le_bytes());
    }
    dev.write_sectors(RECORD_SECTOR, &sector)?;
    Ok(true)
}

/// Reads the record and checks it against a data area of `data_sectors` sectors.
///
/// # Errors
///
/// Device errors.
pub fn read<D: BlockDevice + ?Sized>(
    dev: &mut D,
    header: &LuksHeader,
    data_sectors: u64,
) -> Result<LengthRecord, BlockDevError> {
    if !has_room(header) {
        return Ok(LengthRecord::Absent);
    }
    let mut sector = [0u8; SECTOR_SIZE];
    dev.read_sectors(RECORD_SECTOR, &mut sector)?;
    let (magic, rest) = sector.split_at(MAGIC.len());
    if magic != MAGIC {
        return Ok(LengthRecord::Absent);
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(rest.get(..8).unwrap_or(&[0; 8]));
    let length = u64::from_le_bytes(len);
    let fits = length > 0 && crate::size::sectors_for(length) == data_sectors;
    Ok(if fits {
        LengthRecord::Valid(length)
    } else {
        LengthRecord::Mismatch(length)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::luks::{self, FormatOptions, HashSpec};
    use cryptdisk_core::rng::OsRandom;
    use cryptdisk_core::spec::CipherSpec;
    use cryptdisk_core::xts::XtsKeySize;

    fn volume(data_sectors: usize) -> (MemDevice, LuksHeader) {
        let mut dev = MemDevice::new(4096 + data_sectors);
        let spec = CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits256,
        };
        let opts = FormatOptions::new(spec, HashSpec::Sha256, 1, 1);
        let header = luks::format(&mut dev, &opts, b"pw", &mut OsRandom).unwrap().header;
        (dev, header)
    }

    #[test]
    fn fresh_volume_has_no_record() {
        let (mut dev, header) = volume(4);
        assert_eq!(read(&mut dev, &header, 4).unwrap(), LengthRecord::Absent);
    }

    #[test]
    fn round_trip_and_fit_check() {
        let (mut dev, header) = volume(4);
        assert!(write(&mut dev, &header, 1537).unwrap());
        assert_eq!(read(&mut dev, &header, 4).unwrap(), LengthRecord::Valid(1537));
        assert_eq!(read(&mut dev, &header, 5).unwrap(), LengthRecord::Mismatch(1537));
        assert!(write(&mut dev, &header, 2048).unwrap());
        assert_eq!(read(&mut dev, &header, 4).unwrap(), LengthRecord::Valid(2048));
        assert!(write(&mut dev, &header, 0).unwrap());
        assert_eq!(read(&mut dev, &header, 0).unwrap(), LengthRecord::Mismatch(0));
    }

    #[test]
    fn record_survives_key_management_and_leaves_the_volume_usable() {
        let (mut dev, header) = volume(4);
        write(&mut dev, &header, 2000).unwrap();
        luks::add_key_with_passphrase(&mut dev, b"pw", b"second", 1, &mut OsRandom).unwrap();
        luks::change_key(&mut dev, b"pw", b"third", 1, &mut OsRandom).unwrap();
        assert!(luks::unlock(&mut dev, b"third").is_ok());
        let header = luks::read_header(&mut dev).unwrap();
        assert_eq!(read(&mut dev, &header, 4).unwrap(), LengthRecord::Valid(2000));
    }

    #[test]
    fn record_lies_between_header_and_key_material() {
        let (mut dev, header) = volume(1);
        write(&mut dev, &header, 512).unwrap();
        let bytes = dev.as_bytes();
        assert_eq!(&bytes[1024..1040], MAGIC);
        assert!(bytes[592..1024].iter().all(|&b| b == 0));
        assert!(bytes[1536..4096].iter().all(|&b| b == 0));
    }
}
