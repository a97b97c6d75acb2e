//! `cryptdisk add-key`, `remove-key` and `passwd`: key-slot management. Every passphrase is
//! checked before anything is written; the core keeps a working key on the volume at every
//! instant (new slots are written and verified before an old one is wiped).

use crate::args::{AddKeyArgs, PasswdArgs, RemoveKeyArgs};
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{self, Passphrase, TtyPrompter, check_one_stdin};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks::{self, LuksError, LuksHeader};
use cryptdisk_core::rng::OsRandom;
use std::path::Path;

/// Asks for (or reads) a new passphrase for `volume`.
fn new_passphrase(volume: &Path, key_file: Option<&Path>) -> Result<Passphrase, CliError> {
    let prompt = format!("Enter the new passphrase for {}: ", volume.display());
    Ok(passphrase::new(key_file, &prompt, &mut TtyPrompter)?)
}

/// PBKDF2 iterations for a new slot of the volume described by `header`.
fn slot_iterations(path: &Path, header: &LuksHeader, iter_time: u32) -> Result<u32, CliError> {
    let calibrated = volume_file::calibrate(path, header.hash(), header.cipher().key_bytes(), iter_time)?;
    Ok(calibrated.slot_iterations)
}

/// `cryptdisk add-key VOLUME`: an existing passphrase, then the new one (twice when typed).
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), a full slot table, passphrase, LUKS and
/// I/O errors.
pub fn add_key(args: &AddKeyArgs) -> Result<(), CliError> {
    check_one_stdin(args.key.key_file.as_deref(), args.new_key_file.as_deref())?;
    let path = args.volume.as_path();
    let (mut dev, unlocked) = volume_file::open_and_unlock(path, true, args.key.key_file.as_deref())?;
    if unlocked.header.slots().iter().all(|s| s.active) {
        return Err(CliError::luks(path, LuksError::NoFreeSlot));
    }
    let new = new_passphrase(path, args.new_key_file.as_deref())?;
    let iterations = slot_iterations(path, &unlocked.header, args.iter_time)?;
    let slot = with_spinner(format!("adding a key slot to {}", path.display()), || {
        luks::add_key(
            &mut dev,
            &unlocked.master_key,
            new.as_bytes(),
            iterations,
            &mut OsRandom,
        )
    })
    .map_err(|e| CliError::luks(path, e))?;
    output::line(format_args!(
        "Added key slot {slot} ({iterations} iterations) to {}.",
        path.display()
    ))
}

/// Finds an active slot other than `target` that `passphrase` opens; `None` when there is none.
fn authorising_slot(
    dev: &mut FileDevice,
    header: &LuksHeader,
    target: usize,
    passphrase: &Passphrase,
) -> Result<Option<usize>, LuksError> {
    for slot in header.active_slots().filter(|&s| s != target) {
        match luks::unlock_slot(dev, slot, passphrase.as_bytes()) {
            Ok(_) => return Ok(Some(slot)),
            Err(LuksError::WrongPassphrase) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// `cryptdisk remove-key VOLUME --slot N`: authorised by the passphrase of a *different*
/// active slot, so that the user provably keeps access; the last active slot is never removed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::SameSlot`], an inactive or last slot (all
/// before writing), LUKS and I/O errors.
pub fn remove_key(args: &RemoveKeyArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let target = usize::from(args.slot);
    let (mut dev, header) = volume_file::open_with_header(path, true)?;
    if !header.slot(target).is_some_and(|s| s.active) {
        return Err(CliError::luks(path, LuksError::SlotInactive { slot: target }));
    }
    if !header.active_slots().any(|s| s != target) {
        return Err(CliError::luks(path, LuksError::LastKeySlot { slot: target }));
    }
    let prompt = format!(
        "Enter the passphrase of another key slot of {} (not slot {target}): ",
        path.display()
    );
    let pass = passphrase::existing(args.key.key_file.as_deref(), &prompt, &mut TtyPrompter)?;
    let authorised = with_spinner(format!("opening {}", path.display()), || {
        authorising_slot(&mut dev, &header, target, &pass)
    })
    .map_err(|e| CliError::luks(path, e))?;
    let Some(by) = authorised else {
        return match luks::unlock_slot(&mut dev, target, pass.as_bytes()) {
            Ok(_) => Err(CliError::SameSlot { slot: target }),
            Err(e) => Err(CliError::luks(path, e)),
        };
    };
    with_spinner(format!("removing key slot {target} of {}", path.display()), || {
        luks::kill_slot(&mut dev, target, pass.as_bytes(), &mut OsRandom)
    })
    .map_err(|e| CliError::luks(path, e))?;
    output::line(format_args!(
        "Removed key slot {target} of {} (its key material was overwritten); slot {by} still opens it.",
        path.display()
    ))
}

/// `cryptdisk passwd VOLUME`: changes a passphrase. The old one is checked first; the new
/// slot is written and verified before the old slot is wiped.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), a full slot table, passphrase, LUKS and
/// I/O errors.
pub fn passwd(args: &PasswdArgs) -> Result<(), CliError> {
    check_one_stdin(args.key.key_file.as_deref(), args.new_key_file.as_deref())?;
    let path = args.volume.as_path();
    let (mut dev, header) = volume_file::open_with_header(path, true)?;
    let prompt = format!("Enter the passphrase to change for {}: ", path.display());
    let old = passphrase::existing(args.key.key_file.as_deref(), &prompt, &mut TtyPrompter)?;
    let unlocked = volume_file::unlock(&mut dev, path, &old)?;
    if header.slots().iter().all(|s| s.active) {
        return Err(CliError::luks(path, LuksError::NoFreeSlot));
    }
    let new = new_passphrase(path, args.new_key_file.as_deref())?;
    let iterations = slot_iterations(path, &unlocked.header, args.iter_time)?;
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
