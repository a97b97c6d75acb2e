//! `<what happened>; <what to do>` for the LUKS2 errors of [`CliError::Luks2`](crate::error::CliError::Luks2).

use cryptdisk_core::blockdev::BlockDevError;
use cryptdisk_core::luks2::Luks2Error;
use std::fmt;
use std::path::Path;

/// Writes the one-line message for `error` on the volume `path`.
///
/// # Errors
///
/// Formatter errors only.
pub fn show(f: &mut fmt::Formatter<'_>, path: &Path, error: &Luks2Error) -> fmt::Result {
    let p = path.display();
    match error {
        Luks2Error::Unsupported { .. } => write!(
            f,
            "{p}: {error}; cryptdisk opens LUKS2 volumes with aes-xts-plain64, luks2 key slots (pbkdf2, argon2i, argon2id) and one crypt segment. Nothing was written"
        ),
        Luks2Error::KdfCostTooHigh { .. } => write!(
            f,
            "{p}: {error}; the header may be crafted or damaged: restore a header backup. Nothing was written"
        ),
        Luks2Error::NoValidHeader { .. }
        | Luks2Error::BadCopy { .. }
        | Luks2Error::Json { .. }
        | Luks2Error::Metadata { .. } => write!(
            f,
            "{p}: damaged LUKS2 header: {error}; restore a header backup (cryptsetup luksHeaderRestore). Nothing was written"
        ),
        Luks2Error::BeyondDevice { .. } | Luks2Error::TooShort { .. } => {
            write!(f, "{p} is truncated: {error}; restore the complete file from a backup")
        }
        Luks2Error::Device(BlockDevError::ReadOnly) => {
            write!(f, "{p} is opened read-only; check the file's permissions")
        }
        Luks2Error::LastKeySlot { .. } => {
            write!(f, "{p}: {error}; add another passphrase first with 'cryptdisk add-key'")
        }
        Luks2Error::SlotInactive { .. } | Luks2Error::NoFreeSlot => {
            write!(f, "{p}: {error}; see 'cryptdisk info {p}' for the key slots")
        }
        Luks2Error::DeviceTooSmall { .. } => write!(f, "{p}: {error}; use a larger --size"),
        e => write!(f, "{p}: {e}; check the volume with 'cryptdisk info {p}'"),
    }
}
