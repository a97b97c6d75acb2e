//! `cryptdisk simulate` of a LUKS2 volume: unlock, open the data path with the volume's sector
//! size and read the first sector through it; the mount-manager simulation then runs on a disk
//! device that reports that sector size.

use crate::error::CliError;
use crate::output::{self, human_bytes};
use cryptdisk_core::identity::Uuid;
use cryptdisk_core::volume::Volume;
use std::path::Path;

/// Unlocks `path`, reads its first encryption sector through the data path, prints what was
/// opened and returns its UUID, size in 512-byte sectors and sector size.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), passphrase, LUKS2, volume and I/O errors.
pub fn open(path: &Path, key_file: Option<&Path>) -> Result<(Uuid, u64, u32), CliError> {
    let (dev, unlocked) = super::open_and_unlock(path, false, key_file)?;
    let mut volume =
        Volume::from_luks2(dev, &unlocked.header, &unlocked.volume_key).map_err(|e| CliError::volume(path, e))?;
    let sector_size = unlocked.header.metadata.segment.sector_size;
    let mut first = vec![0u8; volume.unit_size()];
    volume
        .read_sectors(0, &mut first)
        .map_err(|e| CliError::volume(path, e))?;
    output::line(format_args!(
        "Opened {} (LUKS2) with key slot {}: {} of data in {sector_size}-byte sectors; sector 0 read through the data path.",
        path.display(),
        unlocked.slot,
        human_bytes(volume.sector_count().saturating_mul(512)),
    ))?;
    Ok((unlocked.header.uuid(), volume.sector_count(), sector_size))
}
