//! `cryptdisk decrypt` for a LUKS2 volume: the whole data area (LUKS2 volumes carry no
//! recorded original length), streamed in [`CHUNK_BYTES`] pieces.

use crate::args::DecryptArgs;
use crate::commands::convert::CHUNK_BYTES;
use crate::error::CliError;
use crate::output::{self, byte_bar, human_bytes};
use crate::output_file::{OutputFile, check_target};
use cryptdisk_core::volume::Volume;
use std::io::Write;
use zeroize::Zeroizing;

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
    let length = volume.sector_count().saturating_mul(512);
    let out = OutputFile::create(&args.raw_out, args.force)?;
    let mut writer = out.handle()?;
    let bar = byte_bar(length, "decrypting");
    let mut buf = Zeroizing::new(vec![0u8; CHUNK_BYTES]);
    let mut lba = 0u64;
    let mut remaining = length;
    while remaining > 0 {
        // CHUNK_BYTES and the data size are multiples of every sector size (4096 at most).
        let take = remaining.min(CHUNK_BYTES as u64);
        let n = usize::try_from(take).map_err(|_| CliError::Internal("chunk larger than its buffer"))?;
        let piece = buf
            .get_mut(..n)
            .ok_or(CliError::Internal("chunk larger than its buffer"))?;
        volume.read_sectors(lba, piece).map_err(|e| CliError::volume(path, e))?;
        writer.write_all(piece).map_err(CliError::io("write", &args.raw_out))?;
        lba = lba.saturating_add(take / 512);
        remaining = remaining.saturating_sub(take);
        bar.inc(take);
    }
    bar.finish_and_clear();
    drop(writer);
    out.commit()?;
    output::line(format_args!(
        "Decrypted {} ({length} bytes) from {} into {}.",
        human_bytes(length),
        path.display(),
        args.raw_out.display()
    ))
}
