//! `cryptdisk add-key`, `remove-key`, `kill-slot` and `passwd`: key-slot management. Every
//! passphrase is checked before anything is written; the core keeps a working key on the
//! volume at every instant (new slots are written and verified before an old one is wiped).
//!
//! Each command holds the volume's exclusive lock from opening it to its last write, and
//! re-reads the header just before writing ([`volume_file::check_unchanged`]): two key changes
//! at once never both write (the second stops with exit 5), so neither loses a passphrase.

use super::key_flow::{self, KillableVolume};
use crate::args::{AddKeyArgs, PasswdArgs, RemoveKeyArgs, UnlockArgs};
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{Asker, Passphrase, check_one_stdin};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, LuksError, LuksHeader};
use cryptdisk_core::rng::OsRandom;
use std::path::Path;

/// PBKDF2 iterations for a new slot of the volume described by `header`.
fn slot_iterations(path: &Path, header: &LuksHeader, iter_time: u32) -> Result<u32, CliError> {
    let calibrated = volume_file::calibrate(path, header.hash(), header.cipher().key_bytes(), iter_time)?;
    Ok(calibrated.slot_iterations)
}

/// `cryptdisk add-key VOLUME [-S N]`: an existing passphrase, then the new one (twice when
/// typed), into slot N or the first free slot.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), [`CliError::SlotInUse`], a full slot table,
/// [`CliError::Busy`], [`CliError::HeaderChanged`], passphrase, LUKS and I/O errors.
pub fn add_key(args: &AddKeyArgs) -> Result<(), CliError> {
    check_one_stdin(args.unlock.key.key_file.as_deref(), args.new_key.new_keyfile.as_deref())?;
    let path = args.volume.as_path();
    let mut asker = Asker::for_process(false);
    let (mut dev, unlocked) = volume_file::open_and_unlock(path, true, &args.unlock, None, &mut asker)?;
    match args.key_slot.map(usize::from) {
        Some(slot) if unlocked.header.slot(slot).is_some_and(|s| s.active) => {
            return Err(CliError::SlotInUse {
                path: path.to_owned(),
                slot,
            });
        }
        None if unlocked.header.slots().iter().all(|s| s.active) => {
            return Err(CliError::luks(path, LuksError::NoFreeSlot));
        }
        _ => {}
    }
    let new = key_flow::new_passphrase(path, args.new_key.spec(), &mut asker)?;
    let iterations = slot_iterations(path, &unlocked.header, args.iter_time)?;
    volume_file::check_unchanged(&mut dev, path, &unlocked.header)?;
    let slot = with_spinner(format!("adding a key slot to {}", path.display()), || {
        luks::add_key_to_slot(
            &mut dev,
            &unlocked.master_key,
            new.as_bytes(),
            iterations,
            args.key_slot.map(usize::from),
            &mut OsRandom,
        )
    })
    .map_err(|e| CliError::luks(path, e))?;
    output::line(format_args!(
        "Added key slot {slot} ({iterations} iterations) to {}.",
        path.display()
    ))
}

/// A LUKS1 volume open for `kill-slot`, with the slot to remove.
struct Luks1Kill<'a> {
    path: &'a Path,
    dev: FileDevice,
    header: LuksHeader,
    target: usize,
}

impl KillableVolume for Luks1Kill<'_> {
    fn authorising_slot(&mut self, pass: &Passphrase) -> Result<Option<usize>, CliError> {
        for slot in self.header.active_slots().filter(|&s| s != self.target) {
            match luks::unlock_slot(&mut self.dev, slot, pass.as_bytes()) {
                Ok(_) => return Ok(Some(slot)),
                Err(LuksError::WrongPassphrase) => {}
                Err(e) => return Err(CliError::luks(self.path, e)),
            }
        }
        Ok(None)
    }

    fn refusal(&mut self, pass: &Passphrase) -> CliError {
        match luks::unlock_slot(&mut self.dev, self.target, pass.as_bytes()) {
            Ok(_) => CliError::SameSlot { slot: self.target },
            Err(e) => CliError::luks(self.path, e),
        }
    }

    fn check_unchanged(&mut self) -> Result<(), CliError> {
        volume_file::check_unchanged(&mut self.dev, self.path, &self.header)
    }

    fn kill_target(&mut self, pass: &Passphrase) -> Result<(), CliError> {
        luks::kill_slot(&mut self.dev, self.target, pass.as_bytes(), &mut OsRandom)
            .map_err(|e| CliError::luks(self.path, e))
    }
}

/// `cryptdisk kill-slot VOLUME N` (cryptsetup `luksKillSlot`): removes key slot `slot` of
/// `path`, authorised by the passphrase of a *different* active slot, so that the user provably
/// keeps access; the last active slot is never removed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::SameSlot`], an inactive or last slot (all
/// before writing), [`CliError::Busy`], [`CliError::HeaderChanged`], LUKS and I/O errors.
pub fn kill_slot(path: &Path, slot: u8, unlock: &UnlockArgs) -> Result<(), CliError> {
    let target = usize::from(slot);
    let (dev, header) = volume_file::open_with_header(path, true)?;
    if !header.slot(target).is_some_and(|s| s.active) {
        return Err(CliError::luks(path, LuksError::SlotInactive { slot: target }));
    }
    if !header.active_slots().any(|s| s != target) {
        return Err(CliError::luks(path, LuksError::LastKeySlot { slot: target }));
    }
    let mut volume = Luks1Kill {
        path,
        dev,
        header,
        target,
    };
    key_flow::kill(path, target, unlock, &mut volume)
}

/// `cryptdisk remove-key VOLUME`: removes the key slot the passphrase opens (cryptsetup
/// `luksRemoveKey`), never the last one; with `--key-slot N`, as [`kill_slot`].
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], the last slot (both before writing), as [`kill_slot`] with
/// `--key-slot`, [`CliError::Busy`], [`CliError::HeaderChanged`], LUKS and I/O errors.
pub fn remove_key(args: &RemoveKeyArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    if let Some(slot) = args.key_slot {
        return kill_slot(path, slot, &args.unlock);
    }
    let (mut dev, _) = volume_file::open_with_header(path, true)?;
    let prompt = format!("Enter the passphrase to remove from {}: ", path.display());
    let mut asker = Asker::for_process(false);
    let (unlocked, pass) = volume_file::ask_and_unlock(&mut dev, path, &args.unlock, None, &prompt, &mut asker)?;
    if !unlocked.header.active_slots().any(|s| s != unlocked.slot) {
        return Err(CliError::luks(path, LuksError::LastKeySlot { slot: unlocked.slot }));
    }
    volume_file::check_unchanged(&mut dev, path, &unlocked.header)?;
    let removed = with_spinner(format!("removing a key slot of {}", path.display()), || {
        luks::remove_key(&mut dev, pass.as_bytes(), &mut OsRandom)
    })
    .map_err(|e| CliError::luks(path, e))?;
    key_flow::report_removed(path, removed)
}

/// `cryptdisk passwd VOLUME`: changes a passphrase. The old one is checked first; the new
/// slot is written and verified before the old slot is wiped.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), a full slot table, [`CliError::Busy`],
/// [`CliError::HeaderChanged`], passphrase, LUKS and I/O errors.
pub fn passwd(args: &PasswdArgs) -> Result<(), CliError> {
    check_one_stdin(args.unlock.key.key_file.as_deref(), args.new_key.new_keyfile.as_deref())?;
    let path = args.volume.as_path();
    let (mut dev, _) = volume_file::open_with_header(path, true)?;
    let prompt = format!("Enter the passphrase to change for {}: ", path.display());
    let mut asker = Asker::for_process(false);
    let (unlocked, old) = volume_file::ask_and_unlock(&mut dev, path, &args.unlock, None, &prompt, &mut asker)?;
    if unlocked.header.slots().iter().all(|s| s.active) {
        return Err(CliError::luks(path, LuksError::NoFreeSlot));
    }
    let new = key_flow::new_passphrase(path, args.new_key.spec(), &mut asker)?;
    let iterations = slot_iterations(path, &unlocked.header, args.iter_time)?;
    volume_file::check_unchanged(&mut dev, path, &unlocked.header)?;
    let change = with_spinner(format!("changing the passphrase of {}", path.display()), || {
        luks::change_key(&mut dev, old.as_bytes(), new.as_bytes(), iterations, &mut OsRandom)
    })
    .map_err(|e| CliError::luks(path, e))?;
    output::line(format_args!(
        "Changed the passphrase of {}: key slot {} replaces slot {} ({iterations} iterations).",
        path.display(),
        change.new_slot,
        change.old_slot
    ))
}
