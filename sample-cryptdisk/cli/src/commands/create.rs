//! `cryptdisk create`: a new volume file, and the formatting step `encrypt` shares.

use crate::args::{CreateArgs, FormatArgs};
use crate::error::CliError;
use crate::output::{self, human_bytes, with_spinner};
use crate::output_file::{OutputFile, check_target};
use crate::passphrase::{Asker, KeySpec, Passphrase, STDIN_MARKER};
use crate::size::{self, SECTOR_BYTES};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::header::{DEFAULT_PAYLOAD_ALIGN_SECTORS, new_volume_layout};
use cryptdisk_core::luks::{self, FormatOptions, HashSpec, Unlocked};
use cryptdisk_core::rng::OsRandom;
use cryptdisk_core::spec::CipherSpec;
use std::path::Path;

/// Bytes taken by the LUKS1 header and key slots of a new volume with `cipher` (2 MiB).
///
/// # Errors
///
/// [`CliError::Layout`] (not for the supported key sizes).
pub fn header_bytes(cipher: CipherSpec) -> Result<u64, CliError> {
    let (_, payload) = new_volume_layout(cipher.key_bytes(), DEFAULT_PAYLOAD_ALIGN_SECTORS).ok_or(CliError::Layout)?;
    u64::from(payload).checked_mul(SECTOR_BYTES).ok_or(CliError::Layout)
}

/// Asks for (or reads) the new volume's passphrase.
///
/// # Errors
///
/// Passphrase errors.
pub fn new_passphrase(volume: &Path, spec: KeySpec<'_>, asker: &mut Asker) -> Result<Passphrase, CliError> {
    let prompt = format!("Enter a passphrase for the new volume {}: ", volume.display());
    Ok(asker.new_passphrase(spec, &prompt)?)
}

/// Refuses `-` as a volume to create.
///
/// # Errors
///
/// [`CliError::StdioVolume`].
pub fn check_volume_path(volume: &Path) -> Result<(), CliError> {
    if volume.as_os_str() == STDIN_MARKER {
        Err(CliError::StdioVolume)
    } else {
        Ok(())
    }
}

/// Formats `dev` (already sized) as a LUKS1 volume: calibrates PBKDF2 for `--iter-time`,
/// then writes the header and key slot 0. The data area is not touched.
///
/// # Errors
///
/// LUKS and device errors.
pub fn format_volume(
    dev: &mut FileDevice,
    path: &Path,
    format: &FormatArgs,
    passphrase: &Passphrase,
) -> Result<Unlocked, CliError> {
    let cipher = format.cipher();
    let hash = HashSpec::from(format.hash);
    let calibrated = volume_file::calibrate(path, hash, cipher.key_bytes(), format.iter_time)?;
    let options = FormatOptions::new(cipher, hash, calibrated.slot_iterations, calibrated.digest_iterations);
    with_spinner(format!("writing the header of {}", path.display()), || {
        luks::format(dev, &options, passphrase.as_bytes(), &mut OsRandom)
    })
    .map_err(|e| CliError::luks(path, e))
}

/// Prints what a new volume holds.
///
/// # Errors
///
/// Standard output errors.
pub fn print_created(path: &Path, unlocked: &Unlocked, data_bytes: u64) -> Result<(), CliError> {
    let header = &unlocked.header;
    let iterations = header.slot(unlocked.slot).map_or(0, |s| s.iterations);
    output::line(format_args!(
        "Created {}: {} of data after a {} header; {} with a {}-bit key, PBKDF2-{}.",
        path.display(),
        human_bytes(data_bytes),
        human_bytes(u64::from(header.payload_offset()).saturating_mul(SECTOR_BYTES)),
        header.cipher(),
        header.cipher().key_bytes().saturating_mul(8),
        header.hash(),
    ))?;
    output::line(format_args!(
        "Key slot {}: {iterations} iterations. UUID {}.",
        unlocked.slot,
        header.uuid()
    ))
}

/// `cryptdisk create VOLUME --size SIZE ...`.
///
/// # Errors
///
/// Size, output, passphrase, LUKS and I/O errors; on any error no volume file is left behind.
pub fn run(args: &CreateArgs) -> Result<(), CliError> {
    check_volume_path(&args.volume)?;
    if args.luks2.format_type == crate::luks2_args::FormatType::Luks2 {
        return crate::commands::luks2::create::run(args);
    }
    let header = header_bytes(args.format.cipher())?;
    let data_bytes = size::data_bytes(args.size, header)?;
    check_target(&args.volume, args.force)?;
    let pass = new_passphrase(&args.volume, args.key.spec(), &mut Asker::for_process(false))?;

    let out = OutputFile::create(&args.volume, args.force)?;
    out.set_len(args.size)?;
    let mut dev = FileDevice::from_file(out.handle()?, true).map_err(|e| CliError::luks(&args.volume, e.into()))?;
    let unlocked = format_volume(&mut dev, &args.volume, &args.format, &pass)?;
    drop(dev);
    out.commit()?;
    print_created(&args.volume, &unlocked, data_bytes)
}
