//! A volume file on disk: opening it, reading its header, unlocking it with a passphrase and
//! calibrating PBKDF2, each with a message that names the file.

use crate::error::CliError;
use crate::output::with_spinner;
use crate::passphrase::{self, Passphrase, TtyPrompter};
use cryptdisk_core::calibrate::{self, Calibrated};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, HashSpec, LuksHeader, Unlocked};
use std::fs::OpenOptions;
use std::path::Path;

/// Opens the volume file `path` (read-write when `writable`) as a block device.
///
/// # Errors
///
/// [`CliError::Io`] when the file cannot be opened or sized.
pub fn open(path: &Path, writable: bool) -> Result<FileDevice, CliError> {
    let file = OpenOptions::new()
        .read(true)
        .write(writable)
        .open(path)
        .map_err(CliError::io("open volume", path))?;
    if file
        .metadata()
        .map_err(CliError::io("read the size of volume", path))?
        .is_dir()
    {
        return Err(CliError::Io {
            action: "open volume",
            path: path.to_owned(),
            error: std::io::Error::other("it is a directory"),
        });
    }
    FileDevice::from_file(file, writable).map_err(|e| CliError::luks(path, e.into()))
}

/// Opens `path` and reads and validates its LUKS1 header (no passphrase, nothing written).
///
/// # Errors
///
/// As [`open`], then [`CliError::Luks`] for a missing, damaged or unsupported header.
pub fn open_with_header(path: &Path, writable: bool) -> Result<(FileDevice, LuksHeader), CliError> {
    let mut dev = open(path, writable)?;
    let header = luks::read_header(&mut dev).map_err(|e| CliError::luks(path, e))?;
    Ok((dev, header))
}

/// Opens the volume on `dev` with `passphrase` (trying every active slot), under a spinner.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), header and device errors.
pub fn unlock(dev: &mut FileDevice, path: &Path, passphrase: &Passphrase) -> Result<Unlocked, CliError> {
    with_spinner(format!("opening {}", path.display()), || {
        luks::unlock(dev, passphrase.as_bytes())
    })
    .map_err(|e| CliError::luks(path, e))
}

/// The passphrase → master key step shared by the commands that open a volume: checks the
/// header, asks for (or reads) the passphrase, and unlocks.
///
/// # Errors
///
/// As [`open_with_header`], passphrase errors, then as [`unlock`].
pub fn open_and_unlock(
    path: &Path,
    writable: bool,
    key_file: Option<&Path>,
) -> Result<(FileDevice, Unlocked), CliError> {
    let (mut dev, _header) = open_with_header(path, writable)?;
    let prompt = format!("Enter passphrase for {}: ", path.display());
    let pass = passphrase::existing(key_file, &prompt, &mut TtyPrompter)?;
    let unlocked = unlock(&mut dev, path, &pass)?;
    Ok((dev, unlocked))
}

/// Calibrates PBKDF2 for `iter_time_ms` on this machine, under a spinner.
///
/// # Errors
///
/// [`CliError::Luks`] if PBKDF2 fails (it does not in practice).
pub fn calibrate(path: &Path, hash: HashSpec, key_bytes: usize, iter_time_ms: u32) -> Result<Calibrated, CliError> {
    with_spinner(format!("measuring PBKDF2-{hash} for {iter_time_ms} ms"), || {
        calibrate::for_iter_time(hash, key_bytes, iter_time_ms)
    })
    .map_err(|e| CliError::luks(path, e.into()))
}
