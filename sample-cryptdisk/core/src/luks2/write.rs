//! Writing LUKS2 metadata: both copies, in a crash-safe order.
//!
//! Every update raises `seqid` by one and writes the primary copy, flushes, then the
//! secondary copy, flushes. A crash while one copy is being written leaves that copy failing
//! its checksum and the other copy whole (the old metadata while the primary is written, the
//! new one while the secondary is), so [`read_header`](crate::luks2::read_header) always finds
//! a valid copy: the old or the new.

use crate::blockdev::{BlockDevice, SECTOR_SIZE_U64};
use crate::luks2::Luks2Error;
use crate::luks2::binary::{BinaryHeader, Copy, build_copy};
use crate::luks2::json::Value;

/// Writes `json` as the next metadata version: `binary.seqid` is incremented, then the primary
/// and the secondary copy are written and flushed one after the other.
///
/// # Errors
///
/// [`Luks2Error::JsonTooLarge`], [`Luks2Error::BadOptions`] (seqid overflow), device errors.
pub fn write_metadata<D: BlockDevice + ?Sized>(
    dev: &mut D,
    binary: &mut BinaryHeader,
    json: &Value,
) -> Result<(), Luks2Error> {
    binary.seqid = binary
        .seqid
        .checked_add(1)
        .ok_or(Luks2Error::BadOptions("seqid overflows"))?;
    let text = json.to_text();
    let primary = build_copy(binary, Copy::Primary, text.as_bytes())?;
    let secondary = build_copy(binary, Copy::Secondary, text.as_bytes())?;
    dev.write_sectors(0, &primary)?;
    dev.flush()?;
    dev.write_sectors(binary.hdr_size / SECTOR_SIZE_U64, &secondary)?;
    dev.flush()?;
    Ok(())
}
