//! `cryptdisk decrypt` for a LUKS2 volume: the original length `encrypt` recorded in the
//! `cryptdisk-length` token ([`crate::length_token`]), else (or with `--full`) the whole data
//! area, streamed as the LUKS1 `decrypt` does.

use crate::args::DecryptArgs;
use crate::commands::convert::{check_output, write_plaintext};
use crate::error::CliError;
use crate::length_record::LengthRecord;
use crate::length_token;
use crate::passphrase::Asker;
use cryptdisk_core::volume::Volume;

/// Decrypts the data segment of the LUKS2 volume `args.volume` into `args.raw_out`.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::OutputExists`], [`CliError::SameFile`], LUKS2, volume and I/O errors; on
/// any error no output file is left behind.
pub fn run(args: &DecryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    check_output(args)?;
    let mut asker = Asker::for_process(false);
    let (dev, unlocked, _) = super::open_and_unlock(path, false, &args.unlock, args.key_slot, &mut asker)?;
    let mut volume =
        Volume::from_luks2(dev, &unlocked.header, &unlocked.volume_key).map_err(|e| CliError::volume(path, e))?;
    // The whole data area: a multiple of the sector size.
    let data_bytes = volume.sector_count().saturating_mul(512);
    let sector_size = u64::from(unlocked.header.metadata.segment.sector_size);
    let record = if args.full {
        LengthRecord::Absent
    } else {
        length_token::read(&unlocked.header, data_bytes, sector_size)
    };
    let length = record.length_to_write(data_bytes);
    write_plaintext(&mut volume, length, args)
}
