//! `cryptdisk header-backup` and `header-restore` (cryptsetup `luksHeaderBackup` /
//! `luksHeaderRestore`): the whole header area — the header and all eight key slots' material,
//! everything before the data — saved to a file and written back.
//!
//! A backup holds the key slots: anyone with it and an old passphrase can open the volume,
//! even after that passphrase was removed from the volume. It is written with mode 0600.
//!
//! A restore checks the backup first (a valid LUKS1 header, long enough for its key
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
use cryptdisk_core::luks::header::HEADER_LEN;
use cryptdisk_core::luks::{self, LuksError, LuksHeader};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// Sectors moved per read or write.
const CHUNK_SECTORS: u64 = 2048;

/// Bytes of the header area of `header`: everything before the data.
fn area_bytes(header: &LuksHeader) -> u64 {
    u64::from(header.payload_offset()).saturating_mul(SECTOR_BYTES)
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
    let (mut dev, header) = volume_file::open_with_header(path, false)?;
    let total = area_bytes(&header);
    let out = OutputFile::create(file, false)?;
    let mut writer = out.handle()?;
    let mut buf = Zeroizing::new(vec![
        0u8;
        usize::try_from(CHUNK_SECTORS.saturating_mul(SECTOR_BYTES))
            .unwrap_or(0)
    ]);
    let mut lba = 0u64;
    let end = u64::from(header.payload_offset());
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
        "Saved the header area of {} ({total} bytes: header and key slots, UUID {}) to {}. Keep it as safe as the passphrases.",
        path.display(),
        header.uuid(),
        file.display()
    ))
}

/// Reads a header backup: its bytes (at most the header area its header describes) and the
/// parsed header.
fn read_backup(file: &Path) -> Result<(Zeroizing<Vec<u8>>, LuksHeader), CliError> {
    let mut reader = File::open(file).map_err(CliError::io("open the header backup", file))?;
    let mut first = [0u8; HEADER_LEN];
    reader.read_exact(&mut first).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => CliError::BackupMismatch {
            path: file.to_owned(),
            detail: format!("the file is shorter than a LUKS header ({HEADER_LEN} bytes)"),
        },
        _ => CliError::io("read the header backup", file)(e),
    })?;
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
    Ok((bytes, header))
}

/// Checks that the backup `backup` fits the volume on `dev` (see the [module docs](self)).
fn check_fits(
    dev: &mut cryptdisk_core::filedev::FileDevice,
    path: &Path,
    backup: &LuksHeader,
    force: bool,
) -> Result<(), CliError> {
    let mismatch = |detail: String| CliError::BackupMismatch {
        path: path.to_owned(),
        detail,
    };
    backup
        .check_device(dev.sector_count())
        .map_err(|e| mismatch(format!("the volume is too small for the backup's header area ({e})")))?;
    match luks::read_header(dev) {
        Ok(current) => {
            if current.payload_offset() != backup.payload_offset()
                || current.cipher().key_bytes() != backup.cipher().key_bytes()
            {
                return Err(mismatch(format!(
                    "data offset or key size differ (volume: sector {}, {}-bit key; backup: sector {}, {}-bit key)",
                    current.payload_offset(),
                    current.cipher().key_bytes().saturating_mul(8),
                    backup.payload_offset(),
                    backup.cipher().key_bytes().saturating_mul(8)
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
        Err(LuksError::Header(e)) => {
            output::warn(format_args!(
                "{} has no readable LUKS header ({e}); restoring the backup over it",
                path.display()
            ));
            Ok(())
        }
        Err(e) => Err(CliError::luks(path, e)),
    }
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
    let written = luks::read_header(&mut dev).map_err(|e| CliError::luks(path, e))?;
    if written.to_bytes() != header.to_bytes() {
        return Err(CliError::Internal("the restored header did not read back"));
    }
    output::line(format_args!(
        "Restored the header area of {} ({} bytes, UUID {}) from {}.",
        path.display(),
        bytes.len(),
        header.uuid(),
        file.display()
    ))
}
