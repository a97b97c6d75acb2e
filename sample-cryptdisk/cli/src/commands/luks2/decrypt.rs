//! `cryptdisk decrypt` for a LUKS2 volume: the whole data area (LUKS2 volumes carry no
//! recorded original length), streamed as the LUKS1 `decrypt` does.

use crate::args::DecryptArgs;
use crate::commands::convert::write_plaintext;
use crate::error::CliError;
use crate::output_file::check_target;
use cryptdisk_core::volume::Volume;

/// Decrypts the data segment of the LUKS2 volume `args.volume` into `args.raw_out`.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::OutputExists`], LUKS2, volume and I/O errors; on
/// any error no output file is left behind.
pub fn run(args: &DecryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    check_target(&args.raw_out, args.force)?;
    let (dev, unlocked) = super::open_and_unlock(path, false, args.key.key_file.as_deref())?;
    let mut volume =
        Volume::from_luks2(dev, &unlocked.header, &unlocked.volume_key).map_err(|e| CliError::volume(path, e))?;
    // The whole data area: a multiple of the sector size, so every chunk is too.
    let length = volume.sector_count().saturating_mul(512);
    write_plaintext(&mut volume, length, args)
}
