//! `cryptdisk header-backup` and `header-restore` (cryptsetup `luksHeaderBackup` /
//! `luksHeaderRestore`): the whole header area — everything before the data: for LUKS1 the
//! header and all eight key slots' material, for LUKS2 both metadata copies and the key-slot
//! area — saved to a file and written back. The format is told apart in one place
//! ([`AreaHeader`]); the copying is the same for both.
//!
//! A backup holds the key slots: anyone with it and an old passphrase can open the volume,
//! even after that passphrase was removed from the volume. It is written with mode 0600.
//!
//! A restore checks the backup first (a valid LUKS1 or LUKS2 header, long enough for its key
//! material) and the target: the volume must be large enough for the backup's header area
//! and, when it still has a readable header, have the same data offset and key size (as
//! cryptsetup checks) and the same UUID (unless `--force`). A damaged header can always be
//! restored over. The target is locked exclusively from the checks to the last write.

use crate::args::{HeaderBackupArgs, HeaderRestoreArgs};
use crate::error::CliError;
use crate::output;
use crate::output_file::{OutputFile, check_not_input, check_target};
use crate::passphrase::STDIN_MARKER;
use crate::size::SECTOR_BYTES;
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::blockdev::MemDevice;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::header::HEADER_LEN;
use cryptdisk_core::luks::{self, LuksError, LuksHeader};
use cryptdisk_core::luks2::binary::MAGIC_PRIMARY;
use cryptdisk_core::luks2::{self, Luks2Header};
use cryptdisk_core::uuid::Uuid;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use zeroize::Zeroize;
use zeroize::Zeroizing;

/// Sectors moved per read or write.
const CHUNK_SECTORS: u64 = 2048;

/// Bytes of the header area of `header`: everything before the data.
fn area_bytes(header: &LuksHeader) -> u64 {
    u64::from(header.payload_offset()).saturating_mul(SECTOR_BYTES)
}

/// The largest LUKS2 header backup read back (a LUKS2 header area is at most 2 × 4 MiB of
/// metadata and 128 MiB of key slots).
const MAX_LUKS2_AREA: u64 = 136 << 20;

/// A parsed header of either format, as far as a backup or a restore needs it.
enum AreaHeader {
    /// A LUKS1 header.
    Luks1(Box<LuksHeader>),
    /// A LUKS2 header (binary header and metadata of the copy used).
    Luks2(Box<Luks2Header>),
}

impl AreaHeader {
    /// Opens `path` (locked exclusively, see [`volume_file::open`]) and reads its header,
    /// LUKS2 or LUKS1.
    fn open(path: &Path, writable: bool) -> Result<(FileDevice, Self), CliError> {
        if crate::commands::luks2::is_luks2(path) {
            let (dev, header) = crate::commands::luks2::open_with_header(path, writable)?;
            Ok((dev, Self::Luks2(Box::new(header))))
        } else {
            let (dev, header) = volume_file::open_with_header(path, writable)?;
            Ok((dev, Self::Luks1(Box::new(header))))
        }
    }

    /// Bytes before the data: the whole header area.
    fn area_bytes(&self) -> u64 {
        match self {
            Self::Luks1(h) => area_bytes(h),
            Self::Luks2(h) => h.metadata.segment.offset,
        }
    }

    /// The volume's UUID.
    fn uuid(&self) -> Uuid {
        match self {
            Self::Luks1(h) => h.uuid(),
            Self::Luks2(h) => h.uuid(),
        }
    }

    /// The volume key size in bytes (`None`: a LUKS2 header without an active slot).
    fn key_bytes(&self) -> Option<usize> {
        match self {
            Self::Luks1(h) => Some(h.cipher().key_bytes()),
            Self::Luks2(h) => h.metadata.key_size(),
        }
    }

    /// The format's name.
    fn format(&self) -> &'static str {
        match self {
            Self::Luks1(_) => "LUKS1",
            Self::Luks2(_) => "LUKS2",
        }
    }

    /// Whether `other` is the same header (LUKS1: the same bytes; LUKS2: the same sequence
    /// number and metadata).
    fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Luks1(a), Self::Luks1(b)) => a.to_bytes() == b.to_bytes(),
            (Self::Luks2(a), Self::Luks2(b)) => a.binary.seqid == b.binary.seqid && a.metadata == b.metadata,
            _ => false,
        }
    }
}

/// Bytes up to the end of the last key slot's material (what cryptsetup itself backs up, and
/// the least a backup must hold).
fn material_end_bytes(header: &LuksHeader) -> u64 {
    let area = header.slot_area_sectors();
    header
        .slots()
        .iter()
        .map(|s| u64::from(s.key_material_offset).saturating_add(area))
        .max()
        .unwrap_or(0)
        .saturating_mul(SECTOR_BYTES)
}

/// `cryptdisk header-backup VOLUME --header-backup-file FILE`.
///
/// # Errors
///
/// [`CliError::OutputExists`] (a backup is never overwritten), [`CliError::SameFile`], header,
/// device and I/O errors; on any error no backup file is left behind.
pub fn backup(args: &HeaderBackupArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let file = args.header_backup_file.as_path();
    if file.as_os_str() == STDIN_MARKER {
        return Err(CliError::Usage(
            "a header backup is written to a file, not to standard output ('-')".into(),
        ));
    }
    check_target(file, false)?;
    check_not_input(path, file)?;
    let (mut dev, header) = AreaHeader::open(path, false)?;
    let end = header.area_bytes() / SECTOR_BYTES;
    let total = end.saturating_mul(SECTOR_BYTES);
    let out = OutputFile::create(file, false)?;
    let mut writer = out.handle()?;
    let mut buf = Zeroizing::new(vec![
        0u8;
        usize::try_from(CHUNK_SECTORS.saturating_mul(SECTOR_BYTES))
            .unwrap_or(0)
    ]);
    let mut lba = 0u64;
    while lba < end {
        let n = end.saturating_sub(lba).min(CHUNK_SECTORS);
        let len = usize::try_from(n.saturating_mul(SECTOR_BYTES)).map_err(|_| CliError::Internal("chunk too large"))?;
        let part = buf.get_mut(..len).ok_or(CliError::Internal("chunk too large"))?;
        dev.read_sectors(lba, part)
            .map_err(|e| CliError::luks(path, LuksError::Device(e)))?;
        writer.write_all(part).map_err(CliError::io("write", file))?;
        lba = lba.saturating_add(n);
    }
    drop(writer);
    out.commit()?;
    output::line(format_args!(
        "Saved the {} header area of {} ({total} bytes: header and key slots, UUID {}) to {}. Keep it as safe as the passphrases.",
        header.format(),
        path.display(),
        header.uuid(),
        file.display()
    ))
}

/// Reads a header backup: its bytes (at most the header area its header describes) and the
/// parsed header.
fn read_backup(file: &Path) -> Result<(Zeroizing<Vec<u8>>, AreaHeader), CliError> {
    let mut reader = File::open(file).map_err(CliError::io("open the header backup", file))?;
    let mut first = [0u8; HEADER_LEN];
    reader.read_exact(&mut first).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => CliError::BackupMismatch {
            path: file.to_owned(),
            detail: format!("the file is shorter than a LUKS header ({HEADER_LEN} bytes)"),
        },
        _ => CliError::io("read the header backup", file)(e),
    })?;
    if first.get(..6) == Some(&MAGIC_PRIMARY[..]) && first.get(6..8) == Some(&[0u8, 2][..]) {
        return read_luks2_backup(file, reader, &first);
    }
    let header = LuksHeader::parse(&first).map_err(|e| CliError::luks(file, LuksError::Header(e)))?;
    let area = usize::try_from(area_bytes(&header)).map_err(|_| CliError::OutOfMemory)?;
    let mut bytes = Zeroizing::new(Vec::new());
    bytes.try_reserve_exact(area).map_err(|_| CliError::OutOfMemory)?;
    bytes.extend_from_slice(&first);
    let rest = u64::try_from(area.saturating_sub(HEADER_LEN)).unwrap_or(0);
    reader
        .take(rest)
        .read_to_end(&mut bytes)
        .map_err(CliError::io("read the header backup", file))?;
    let len = u64::try_from(bytes.len()).unwrap_or(0);
    let needed = material_end_bytes(&header);
    if len < needed {
        return Err(CliError::BackupMismatch {
            path: file.to_owned(),
            detail: format!("the backup holds {len} bytes, but its key slots end at byte {needed}: it is truncated"),
        });
    }
    // Whole sectors only (a cryptsetup backup is rounded to pages, which are whole sectors).
    let whole = len.saturating_sub(len % SECTOR_BYTES);
    bytes.truncate(usize::try_from(whole).unwrap_or(0));
    Ok((bytes, AreaHeader::Luks1(Box::new(header))))
}

/// The LUKS2 half of [`read_backup`]: reads the rest of the backup (at most
/// [`MAX_LUKS2_AREA`] bytes) and parses it as a LUKS2 header area; the backup must reach the
/// data offset its header names, and what lies beyond is ignored.
fn read_luks2_backup(file: &Path, reader: File, first: &[u8]) -> Result<(Zeroizing<Vec<u8>>, AreaHeader), CliError> {
    let mut bytes = Zeroizing::new(Vec::new());
    bytes.extend_from_slice(first);
    reader
        .take(MAX_LUKS2_AREA.saturating_sub(u64::try_from(first.len()).unwrap_or(0)))
        .read_to_end(&mut bytes)
        .map_err(CliError::io("read the header backup", file))?;
    // The LUKS2 reader checks the data segment starts inside the device: give the area one
    // further (largest) encryption sector of zeros, then wipe the copy.
    let mut padded = Vec::new();
    padded
        .try_reserve_exact(bytes.len().saturating_add(4096))
        .map_err(|_| CliError::OutOfMemory)?;
    padded.extend_from_slice(&bytes);
    padded.resize(bytes.len().saturating_add(4096), 0);
    let mut dev = MemDevice::from_vec(padded);
    let parsed = luks2::read_header(&mut dev);
    dev.as_bytes_mut().zeroize();
    let header = parsed.map_err(|e| CliError::luks2(file, e))?;
    let area = header.metadata.segment.offset;
    let len = u64::try_from(bytes.len()).unwrap_or(0);
    if len < area || !area.is_multiple_of(SECTOR_BYTES) {
        return Err(CliError::BackupMismatch {
            path: file.to_owned(),
            detail: format!("the backup holds {len} bytes, but its header area ends at byte {area}: it is truncated"),
        });
    }
    bytes.truncate(usize::try_from(area).map_err(|_| CliError::OutOfMemory)?);
    Ok((bytes, AreaHeader::Luks2(Box::new(header))))
}

/// The current header of the volume on `dev` (`path`), LUKS2 or LUKS1; `None` when it has no
/// readable header (a damaged header can always be restored over).
fn current_header(dev: &mut FileDevice, path: &Path) -> Result<Option<AreaHeader>, CliError> {
    let luks2_header = crate::commands::luks2::is_luks2(path);
    let found = if luks2_header {
        luks2::read_header(dev)
            .map(|h| AreaHeader::Luks2(Box::new(h)))
            .map_err(|e| e.to_string())
    } else {
        match luks::read_header(dev) {
            Ok(h) => Ok(AreaHeader::Luks1(Box::new(h))),
            Err(LuksError::Header(e)) => Err(e.to_string()),
            Err(e) => return Err(CliError::luks(path, e)),
        }
    };
    match found {
        Ok(header) => Ok(Some(header)),
        Err(e) => {
            output::warn(format_args!(
                "{} has no readable LUKS header ({e}); restoring the backup over it",
                path.display()
            ));
            Ok(None)
        }
    }
}

/// Checks that the backup `backup` fits the volume on `dev` (see the [module docs](self)).
fn check_fits(dev: &mut FileDevice, path: &Path, backup: &AreaHeader, force: bool) -> Result<(), CliError> {
    let mismatch = |detail: String| CliError::BackupMismatch {
        path: path.to_owned(),
        detail,
    };
    let device_bytes = dev.sector_count().saturating_mul(SECTOR_BYTES);
    match backup {
        AreaHeader::Luks1(h) => h
            .check_device(dev.sector_count())
            .map_err(|e| mismatch(format!("the volume is too small for the backup's header area ({e})")))?,
        AreaHeader::Luks2(h) => h
            .metadata
            .check_device(device_bytes)
            .map_err(|e| mismatch(format!("the volume is too small for the backup's header area ({e})")))?,
    }
    let Some(current) = current_header(dev, path)? else {
        return Ok(());
    };
    if current.area_bytes() != backup.area_bytes() || current.key_bytes() != backup.key_bytes() {
        let bits = |k: Option<usize>| k.map_or_else(|| "unknown".to_owned(), |k| k.saturating_mul(8).to_string());
        return Err(mismatch(format!(
            "data offset or key size differ (volume: {} at byte {}, {}-bit key; backup: {} at byte {}, {}-bit key)",
            current.format(),
            current.area_bytes(),
            bits(current.key_bytes()),
            backup.format(),
            backup.area_bytes(),
            bits(backup.key_bytes())
        )));
    }
    if current.uuid() != backup.uuid() && !force {
        return Err(mismatch(format!(
            "the backup is of another volume (UUID {}; this volume has UUID {}); add --force to restore it anyway",
            backup.uuid(),
            current.uuid()
        )));
    }
    Ok(())
}

/// `cryptdisk header-restore VOLUME --header-backup-file FILE [--force]`.
///
/// # Errors
///
/// [`CliError::BackupMismatch`] (nothing written), [`CliError::SameFile`], [`CliError::Busy`],
/// header, device and I/O errors.
pub fn restore(args: &HeaderRestoreArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let file = args.header_backup_file.as_path();
    check_not_input(file, path)?;
    let (bytes, header) = read_backup(file)?;
    let mut dev = volume_file::open(path, true)?;
    check_fits(&mut dev, path, &header, args.force)?;
    dev.write_sectors(0, &bytes)
        .and_then(|()| dev.flush())
        .map_err(|e| CliError::luks(path, LuksError::Device(e)))?;
    let written = match &header {
        AreaHeader::Luks1(_) => AreaHeader::Luks1(Box::new(
            luks::read_header(&mut dev).map_err(|e| CliError::luks(path, e))?,
        )),
        AreaHeader::Luks2(_) => AreaHeader::Luks2(Box::new(
            luks2::read_header(&mut dev).map_err(|e| CliError::luks2(path, e))?,
        )),
    };
    if !written.same_as(&header) {
        return Err(CliError::Internal("the restored header did not read back"));
    }
    output::line(format_args!(
        "Restored the {} header area of {} ({} bytes, UUID {}) from {}.",
        header.format(),
        path.display(),
        bytes.len(),
        header.uuid(),
        file.display()
    ))
}
