//! Reading the two metadata copies from a device and choosing the one to trust.

use crate::blockdev::{BlockDevice, SECTOR_SIZE_U64};
use crate::heap::TryBox;
use crate::luks2::binary::{self, BINARY_LEN, BinaryHeader, Copy, METADATA_SIZES};
use crate::luks2::fallible::try_zeroed;
use crate::luks2::json::Value;
use crate::luks2::{Luks2Error, Metadata};
use alloc::vec::Vec;

/// A LUKS2 header read from a device: the binary fields and metadata of the copy in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Luks2Header {
    /// The binary header of the copy in use.
    pub binary: BinaryHeader,
    /// Its validated metadata.
    pub metadata: Metadata,
    /// The other copy, when it was refused (it is never used), and why.
    pub damaged: Option<Luks2Error>,
}

impl Luks2Header {
    /// The volume UUID.
    pub fn uuid(&self) -> crate::uuid::Uuid {
        self.binary.uuid
    }
}

fn read_bytes<D: BlockDevice + ?Sized>(dev: &mut D, offset: u64, len: u64) -> Result<Vec<u8>, Luks2Error> {
    let bytes = dev.sector_count().saturating_mul(SECTOR_SIZE_U64);
    let end = offset.checked_add(len).ok_or(Luks2Error::TooShort { len: bytes })?;
    if end > bytes {
        return Err(Luks2Error::TooShort { len: bytes });
    }
    let n = usize::try_from(len).map_err(|_| Luks2Error::TooShort { len: bytes })?;
    let mut buf = try_zeroed(n)?;
    dev.read_sectors(offset / SECTOR_SIZE_U64, &mut buf)?;
    Ok(buf)
}

/// Reads, checks and validates the copy at `offset`, whose size is `hdr_size`.
fn load_copy<D: BlockDevice + ?Sized>(
    dev: &mut D,
    copy: Copy,
    offset: u64,
    hdr_size: u64,
) -> Result<(BinaryHeader, Metadata), Luks2Error> {
    if !METADATA_SIZES.contains(&hdr_size) {
        return Err(Luks2Error::BadCopy {
            copy,
            reason: "hdr_size is not an allowed metadata size (16 KiB to 4 MiB)",
        });
    }
    let area = read_bytes(dev, offset, hdr_size).map_err(|e| match e {
        Luks2Error::TooShort { .. } => Luks2Error::BadCopy {
            copy,
            reason: "copy reaches past the device end",
        },
        other => other,
    })?;
    let (bin, json) = binary::parse_copy(&area, copy, offset)?;
    let value = Value::parse(json).map_err(|error| {
        if error.is_out_of_memory() {
            Luks2Error::OutOfMemory
        } else {
            Luks2Error::Json { copy, error }
        }
    })?;
    let metadata = Metadata::from_json(value, bin.hdr_size)?;
    Ok((bin, metadata))
}

/// The primary copy: its `hdr_size` comes from its own binary header.
fn load_primary<D: BlockDevice + ?Sized>(dev: &mut D) -> Result<(BinaryHeader, Metadata), Luks2Error> {
    let first = read_bytes(dev, 0, BINARY_LEN as u64)?;
    if first.get(..6) != Some(&binary::MAGIC_PRIMARY[..]) {
        return Err(Luks2Error::BadCopy {
            copy: Copy::Primary,
            reason: "bad magic",
        });
    }
    load_copy(dev, Copy::Primary, 0, binary::peek_hdr_size(&first))
}

/// The secondary copy: at the primary's `hdr_size` when that is plausible, else at each allowed
/// metadata size in turn (as cryptsetup probes).
fn load_secondary<D: BlockDevice + ?Sized>(
    dev: &mut D,
    hint: Option<u64>,
) -> Result<(BinaryHeader, Metadata), Luks2Error> {
    let mut first_err = None;
    let candidates = hint
        .into_iter()
        .chain(METADATA_SIZES.iter().copied().filter(|s| Some(*s) != hint));
    for offset in candidates {
        let head = match read_bytes(dev, offset, BINARY_LEN as u64) {
            Ok(head) => head,
            Err(Luks2Error::OutOfMemory) => return Err(Luks2Error::OutOfMemory),
            Err(_) => continue,
        };
        if head.get(..6) != Some(&binary::MAGIC_SECONDARY[..]) {
            continue;
        }
        match load_copy(dev, Copy::Secondary, offset, binary::peek_hdr_size(&head)) {
            Ok(found) if found.0.hdr_size == offset => return Ok(found),
            Ok(_) => {
                first_err.get_or_insert(Luks2Error::BadCopy {
                    copy: Copy::Secondary,
                    reason: "hdr_size does not match the copy's offset",
                });
            }
            Err(Luks2Error::OutOfMemory) => return Err(Luks2Error::OutOfMemory),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or(Luks2Error::BadCopy {
        copy: Copy::Secondary,
        reason: "not found at any allowed offset",
    }))
}

/// Whether an error means the copy passed its checksum (so its content is what was written:
/// an unsupported feature or a metadata rule is then the real answer).
fn checksum_passed(e: &Luks2Error) -> bool {
    !matches!(
        e,
        Luks2Error::BadCopy { .. } | Luks2Error::Device(_) | Luks2Error::TooShort { .. }
    )
}

/// Reads both metadata copies of `dev`, checks each (magic, version, `hdr_size`, offset,
/// checksum, JSON, metadata rules) and returns the valid copy with the higher `seqid` (the
/// primary on a tie), with the other copy's failure in [`Luks2Header::damaged`]. Finally
/// checks every area against the device size. Reads only.
///
/// # Errors
///
/// [`Luks2Error::NotLuks2`] when no copy has a LUKS2 magic, the error of a copy that passed its
/// checksum but breaks a rule (e.g. [`Luks2Error::Unsupported`]), else
/// [`Luks2Error::NoValidHeader`] with both reasons; [`Luks2Error::BeyondDevice`];
/// [`Luks2Error::OutOfMemory`] when an allocation fails (every one on this path is fallible).
///
/// ```
/// use cryptdisk_core::blockdev::MemDevice;
/// use cryptdisk_core::luks2::{read_header, Luks2Error};
/// assert_eq!(read_header(&mut MemDevice::new(64)).err(), Some(Luks2Error::NotLuks2));
/// ```
pub fn read_header<D: BlockDevice + ?Sized>(dev: &mut D) -> Result<Luks2Header, Luks2Error> {
    let device_bytes = dev.sector_count().saturating_mul(SECTOR_SIZE_U64);
    if device_bytes < METADATA_SIZES[1] {
        return Err(Luks2Error::TooShort { len: device_bytes });
    }
    // No memory is never a damaged copy: the other copy must not be chosen for it.
    let primary = load_primary(dev);
    let hint = match &primary {
        Ok((b, _)) => Some(b.hdr_size),
        Err(Luks2Error::OutOfMemory) => return Err(Luks2Error::OutOfMemory),
        Err(_) => match read_bytes(dev, 0, BINARY_LEN as u64) {
            Err(Luks2Error::OutOfMemory) => return Err(Luks2Error::OutOfMemory),
            head => head
                .ok()
                .map(|h| binary::peek_hdr_size(&h))
                .filter(|s| METADATA_SIZES.contains(s)),
        },
    };
    let secondary = load_secondary(dev, hint);
    if matches!(secondary, Err(Luks2Error::OutOfMemory)) {
        return Err(Luks2Error::OutOfMemory);
    }
    let (chosen, damaged) = match (primary, secondary) {
        (Ok(p), Ok(s)) => {
            if s.0.seqid > p.0.seqid {
                (s, None)
            } else {
                (p, None)
            }
        }
        (Ok(p), Err(e)) | (Err(e), Ok(p)) => (p, Some(e)),
        (Err(p), Err(s)) => {
            let no_magic = |e: &Luks2Error| {
                matches!(
                    e,
                    Luks2Error::BadCopy {
                        reason: "bad magic",
                        ..
                    }
                )
            };
            let not_found = matches!(
                s,
                Luks2Error::BadCopy {
                    reason: "not found at any allowed offset",
                    ..
                }
            );
            if no_magic(&p) && not_found {
                return Err(Luks2Error::NotLuks2);
            }
            return Err(if checksum_passed(&p) {
                p
            } else if checksum_passed(&s) {
                s
            } else {
                match (TryBox::new(p), TryBox::new(s)) {
                    (Ok(primary), Ok(secondary)) => Luks2Error::NoValidHeader { primary, secondary },
                    _ => Luks2Error::OutOfMemory,
                }
            });
        }
    };
    let (binary, metadata) = chosen;
    metadata.check_device(device_bytes)?;
    Ok(Luks2Header {
        binary,
        metadata,
        damaged,
    })
}
