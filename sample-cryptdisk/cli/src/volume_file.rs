//! A volume file on disk: opening and locking it, reading its header, unlocking it with a
//! passphrase (up to `--tries`, one slot with `--key-slot`), checking the header is unchanged
//! before a write, and calibrating PBKDF2, each with a message that names the file.
//!
//! # Locking
//!
//! Every command holds a lock on the volume file from opening it to its last write (the lock
//! is the open file's: `flock` on Unix, `LockFileEx` on Windows, through `File::try_lock`):
//! commands that change the header (opening it writable) take it exclusively, the others
//! shared. A command that finds the lock held stops at once with
//! [`CliError::Busy`] (exit 5) instead of waiting, so two key changes at once never both
//! write: the second is refused before it asks for a passphrase. A program that ignores the
//! lock is caught by [`check_unchanged`], which re-reads the header just before writing.

use crate::args::UnlockArgs;
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{Asker, Origin, Passphrase};
use cryptdisk_core::calibrate::{self, Calibrated};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, HashSpec, LuksError, LuksHeader, Unlocked};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// Takes the lock on `file` without waiting: exclusive for a `writable` file, else shared.
fn lock(file: &File, path: &Path, writable: bool) -> Result<(), CliError> {
    let result = if writable {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match result {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(CliError::Busy { path: path.to_owned() }),
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            output::warn(format_args!(
                "{}: the file system does not support file locks; do not run two cryptdisk commands on this volume at once",
                path.display()
            ));
            Ok(())
        }
        Err(TryLockError::Error(e)) => Err(CliError::io("lock volume", path)(e)),
    }
}

/// Opens and locks the volume file `path` as a block device (read-write and locked
/// exclusively when `writable`, else locked shared). The lock lasts as long as the device.
///
/// # Errors
///
/// [`CliError::StdioVolume`] for `-`, [`CliError::Io`] when the file cannot be opened or sized,
/// [`CliError::Busy`] when another process holds the lock.
pub fn open(path: &Path, writable: bool) -> Result<FileDevice, CliError> {
    if path.as_os_str() == crate::passphrase::STDIN_MARKER {
        return Err(CliError::StdioVolume);
    }
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
    lock(&file, path, writable)?;
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

/// Opens the volume on `dev` with `passphrase` (every active slot, or only `slot`), under a
/// spinner.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), header and device errors.
pub fn unlock(
    dev: &mut FileDevice,
    path: &Path,
    passphrase: &Passphrase,
    slot: Option<u8>,
) -> Result<Unlocked, CliError> {
    with_spinner(format!("opening {}", path.display()), || match slot {
        Some(slot) => luks::unlock_slot(dev, usize::from(slot), passphrase.as_bytes()),
        None => luks::unlock(dev, passphrase.as_bytes()),
    })
    .map_err(|e| CliError::luks(path, e))
}

/// Gets an existing passphrase (key file, piped line or prompt) and unlocks `dev` with it;
/// a typed passphrase that opens nothing is asked again, up to `--tries` times in all.
/// Returns the opened volume and the passphrase that opened it.
///
/// # Errors
///
/// Passphrase errors, then as [`unlock`].
pub fn ask_and_unlock(
    dev: &mut FileDevice,
    path: &Path,
    args: &UnlockArgs,
    slot: Option<u8>,
    prompt: &str,
    asker: &mut Asker,
) -> Result<(Unlocked, Passphrase), CliError> {
    ask_until_open(args, prompt, asker, |pass| unlock(dev, path, pass, slot))
}

/// The `--tries` loop shared by LUKS1 and LUKS2: gets an existing passphrase and hands it to
/// `open`; a typed passphrase that opens nothing ([`CliError::WrongPassphrase`]) is asked again,
/// up to `--tries` times in all. Returns what `open` returned and the passphrase.
///
/// # Errors
///
/// Passphrase errors, then what `open` returned last.
pub fn ask_until_open<T>(
    args: &UnlockArgs,
    prompt: &str,
    asker: &mut Asker,
    mut open: impl FnMut(&Passphrase) -> Result<T, CliError>,
) -> Result<(T, Passphrase), CliError> {
    let mut attempt = 1u32;
    loop {
        let (pass, origin) = asker.existing(args.key.spec(), prompt)?;
        match open(&pass) {
            Err(CliError::WrongPassphrase) if origin == Origin::Typed && attempt < args.tries => {
                output::warn(format_args!("no key slot opened with this passphrase; try again"));
                attempt = attempt.saturating_add(1);
            }
            result => return result.map(|opened| (opened, pass)),
        }
    }
}

/// The passphrase → master key step shared by the commands that open a volume: opens and
/// locks the file, checks the header, gets the passphrase, and unlocks (see
/// [`ask_and_unlock`]).
///
/// # Errors
///
/// As [`open_with_header`], then as [`ask_and_unlock`].
pub fn open_and_unlock(
    path: &Path,
    writable: bool,
    args: &UnlockArgs,
    slot: Option<u8>,
    asker: &mut Asker,
) -> Result<(FileDevice, Unlocked), CliError> {
    let (mut dev, _header) = open_with_header(path, writable)?;
    let prompt = format!("Enter passphrase for {}: ", path.display());
    let (unlocked, _) = ask_and_unlock(&mut dev, path, args, slot, &prompt, asker)?;
    Ok((dev, unlocked))
}

/// Re-reads the header just before a write and refuses if it differs from `expected` (the
/// header the command unlocked): another program wrote it meanwhile.
///
/// # Errors
///
/// [`CliError::HeaderChanged`] (nothing written), header and device errors.
pub fn check_unchanged(dev: &mut FileDevice, path: &Path, expected: &LuksHeader) -> Result<(), CliError> {
    match luks::read_header(dev) {
        Ok(now) if now.to_bytes() == expected.to_bytes() => Ok(()),
        Ok(_) | Err(LuksError::Header(_)) => Err(CliError::HeaderChanged { path: path.to_owned() }),
        Err(e) => Err(CliError::luks(path, e)),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(dir: &Path) -> (std::path::PathBuf, LuksHeader) {
        use cryptdisk_core::luks::{FormatOptions, HashSpec};
        use cryptdisk_core::spec::CipherSpec;
        use cryptdisk_core::xts::XtsKeySize;
        let path = dir.join("v.img");
        std::fs::write(&path, vec![0u8; 3 << 20]).unwrap();
        let mut dev = FileDevice::open(&path, true).unwrap();
        let opts = FormatOptions::new(
            CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits256,
            },
            HashSpec::Sha256,
            10,
            10,
        );
        let u = luks::format(&mut dev, &opts, b"pw", &mut cryptdisk_core::rng::OsRandom).unwrap();
        (path, u.header)
    }

    #[test]
    fn an_exclusive_lock_refuses_every_other_opener() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = volume(dir.path());
        let writer = open(&path, true).unwrap();
        for writable in [false, true] {
            let e = open(&path, writable).unwrap_err();
            assert!(matches!(e, CliError::Busy { .. }), "{e:?}");
            assert_eq!(e.exit_code(), crate::error::EXIT_BUSY);
        }
        drop(writer);
        let r1 = open(&path, false).unwrap();
        let _r2 = open(&path, false).unwrap();
        assert!(matches!(open(&path, true), Err(CliError::Busy { .. })));
        drop(r1);
    }

    // On Unix the lock is advisory, so a program that ignores it can still write; on Windows
    // it is mandatory and such a write fails instead.
    #[cfg(unix)]
    #[test]
    fn a_header_written_behind_our_back_is_noticed() {
        use std::io::{Seek, SeekFrom, Write};
        let dir = tempfile::tempdir().unwrap();
        let (path, header) = volume(dir.path());
        let mut dev = open(&path, true).unwrap();
        check_unchanged(&mut dev, &path, &header).unwrap();
        // A program that ignores the (advisory, on Unix) lock changes a key slot's salt.
        let mut other = OpenOptions::new().write(true).open(&path).unwrap();
        other.seek(SeekFrom::Start(208 + 8)).unwrap();
        other.write_all(&[0x5a; 4]).unwrap();
        drop(other);
        let e = check_unchanged(&mut dev, &path, &header).unwrap_err();
        assert!(matches!(e, CliError::HeaderChanged { .. }), "{e:?}");
    }

    #[test]
    fn a_dash_is_not_a_volume() {
        assert!(matches!(open(Path::new("-"), false), Err(CliError::StdioVolume)));
    }
}
