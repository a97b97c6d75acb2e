//! The LUKS2 side of the commands: format detection, `info`, `decrypt`, key management and
//! `create --type luks2`. The LUKS1 commands hand a volume over here when its header says LUKS2.

pub mod create;
pub mod decrypt;
pub mod info;
pub mod keys;

use crate::args::UnlockArgs;
use crate::error::CliError;
use crate::output::with_spinner;
use crate::passphrase::{Asker, Passphrase};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks2::binary::{BINARY_LEN, MAGIC_PRIMARY, MAGIC_SECONDARY, METADATA_SIZES};
use cryptdisk_core::luks2::{self, Luks2Header, Unlocked2};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Whether `path` holds a LUKS2 volume (valid or not): a primary header with LUKS magic and
/// version 2, or (primary destroyed) no LUKS magic at all but a secondary LUKS2 copy at one of
/// the allowed offsets. Unreadable files are left to the LUKS1 path's error messages.
pub fn is_luks2(path: &Path) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut head = [0u8; 8];
    if file.read_exact(&mut head).is_err() {
        return false;
    }
    if head.get(..6) == Some(&MAGIC_PRIMARY[..]) {
        return head.get(6..8) == Some(&[0u8, 2][..]);
    }
    METADATA_SIZES.iter().any(|&offset| {
        let mut magic = [0u8; 6];
        file.seek(SeekFrom::Start(offset)).is_ok()
            && file.read_exact(&mut magic).is_ok()
            && magic == MAGIC_SECONDARY
            && offset >= BINARY_LEN as u64
    })
}

/// The limits for key derivation on this machine (Argon2 memory bounded by what it can give).
pub fn limits() -> KdfLimits {
    KdfLimits::for_this_machine()
}

/// Opens `path` and reads its LUKS2 header (no passphrase, nothing written); a damaged copy is
/// reported as a warning.
///
/// # Errors
///
/// I/O and LUKS2 header errors.
pub fn open_with_header(path: &Path, writable: bool) -> Result<(FileDevice, Luks2Header), CliError> {
    let mut dev = volume_file::open(path, writable)?;
    let header = luks2::read_header(&mut dev).map_err(|e| CliError::luks2(path, e))?;
    if let Some(damage) = &header.damaged {
        crate::output::warn(format_args!(
            "{}: one header copy is damaged and was not used ({damage}); the {} copy (seqid {}) is intact",
            path.display(),
            header.binary.copy,
            header.binary.seqid
        ));
    }
    Ok((dev, header))
}

/// Unlocks with `pass` (every slot of the data segment, or only `slot`), under a spinner;
/// slots skipped for their KDF cost are reported.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), LUKS2 errors.
pub fn unlock(dev: &mut FileDevice, path: &Path, pass: &Passphrase, slot: Option<u32>) -> Result<Unlocked2, CliError> {
    let limits = limits();
    let unlocked = with_spinner(format!("opening {}", path.display()), || {
        luks2::unlock(dev, pass.as_bytes(), slot, &limits)
    })
    .map_err(|e| CliError::luks2(path, e))?;
    for s in &unlocked.skipped {
        crate::output::warn(format_args!(
            "key slot {s} of {} was skipped: its key-derivation cost is beyond the limits",
            path.display()
        ));
    }
    Ok(unlocked)
}

/// Checks the header (opening and locking the file as [`volume_file::open`] does), gets the
/// passphrase (key file, piped line or prompt, `--tries` times when typed) and unlocks (every
/// slot of the data segment, or only `slot`). Returns the passphrase too.
///
/// # Errors
///
/// As [`open_with_header`], passphrase errors, then as [`unlock`].
pub fn open_and_unlock(
    path: &Path,
    writable: bool,
    args: &UnlockArgs,
    slot: Option<u8>,
    asker: &mut Asker,
) -> Result<(FileDevice, Unlocked2, Passphrase), CliError> {
    let (mut dev, _header) = open_with_header(path, writable)?;
    let prompt = format!("Enter passphrase for {}: ", path.display());
    let (unlocked, pass) = volume_file::ask_until_open(args, &prompt, asker, |pass| {
        unlock(&mut dev, path, pass, slot.map(u32::from))
    })?;
    Ok((dev, unlocked, pass))
}
