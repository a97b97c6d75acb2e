//! `add-key`, `remove-key` and `passwd` for a LUKS2 volume. Every passphrase is checked before
//! anything is written; the core writes a new slot and verifies it before an old one goes.

use crate::args::{AddKeyArgs, PasswdArgs, RemoveKeyArgs};
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{self, Passphrase, TtyPrompter, check_one_stdin};
use crate::volume_file;
use cryptdisk_core::luks2::metadata::Kdf;
use cryptdisk_core::luks2::{self, KdfChoice, Luks2Error, Unlocked2};
use cryptdisk_core::rng::OsRandom;
use std::path::Path;

fn new_passphrase(volume: &Path, key_file: Option<&Path>) -> Result<Passphrase, CliError> {
    let prompt = format!("Enter the new passphrase for {}: ", volume.display());
    Ok(passphrase::new(key_file, &prompt, &mut TtyPrompter)?)
}

/// The KDF of a new slot: the opened slot's Argon2 costs, or PBKDF2 with its hash calibrated
/// for `iter_time` milliseconds.
fn new_slot_kdf(path: &Path, unlocked: &Unlocked2, iter_time: u32) -> Result<KdfChoice, CliError> {
    let slot = unlocked
        .header
        .metadata
        .keyslots
        .iter()
        .find(|k| k.id == unlocked.slot)
        .ok_or(CliError::Internal("the slot that opened is missing"))?;
    Ok(match &slot.kdf {
        Kdf::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
            ..
        } => KdfChoice::Argon2 {
            variant: *variant,
            time: *time,
            memory_kib: *memory_kib,
            cpus: *cpus,
        },
        Kdf::Pbkdf2 { hash, .. } => KdfChoice::Pbkdf2 {
            hash: *hash,
            iterations: volume_file::calibrate(path, *hash, slot.key_size, iter_time)?.slot_iterations,
        },
    })
}

/// `cryptdisk add-key VOLUME` on LUKS2.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), passphrase, LUKS2 and I/O errors.
pub fn add_key(args: &AddKeyArgs) -> Result<(), CliError> {
    check_one_stdin(args.key.key_file.as_deref(), args.new_key_file.as_deref())?;
    let path = args.volume.as_path();
    let (mut dev, unlocked) = super::open_and_unlock(path, true, args.key.key_file.as_deref())?;
    let new = new_passphrase(path, args.new_key_file.as_deref())?;
    let kdf = new_slot_kdf(path, &unlocked, args.iter_time)?;
    let limits = super::limits();
    let slot = with_spinner(format!("adding a key slot to {}", path.display()), || {
        luks2::add_key(
            &mut dev,
            &unlocked.volume_key,
            new.as_bytes(),
            &kdf,
            &mut OsRandom,
            &limits,
        )
    })
    .map_err(|e| CliError::luks2(path, e))?;
    output::line(format_args!("Added key slot {slot} to {}.", path.display()))
}

/// `cryptdisk remove-key VOLUME --slot N` on LUKS2: authorised by the passphrase of another
/// slot; the last slot is never removed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::SameSlot`], an inactive or last slot (all before
/// writing), LUKS2 and I/O errors.
pub fn remove_key(args: &RemoveKeyArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let target = u32::from(args.slot);
    let (mut dev, header) = super::open_with_header(path, true)?;
    let active: Vec<u32> = header.metadata.active_keyslots().map(|k| k.id).collect();
    if !active.contains(&target) {
        return Err(CliError::luks2(path, Luks2Error::SlotInactive { slot: target }));
    }
    if active.len() < 2 {
        return Err(CliError::luks2(path, Luks2Error::LastKeySlot { slot: target }));
    }
    let prompt = format!(
        "Enter the passphrase of another key slot of {} (not slot {target}): ",
        path.display()
    );
    let pass = passphrase::existing(args.key.key_file.as_deref(), &prompt, &mut TtyPrompter)?;
    let limits = super::limits();
    let mut by = None;
    for s in active.iter().copied().filter(|s| *s != target) {
        match luks2::unlock(&mut dev, pass.as_bytes(), Some(s), &limits) {
            Ok(_) => {
                by = Some(s);
                break;
            }
            Err(Luks2Error::WrongPassphrase) => {}
            Err(e) => return Err(CliError::luks2(path, e)),
        }
    }
    let Some(by) = by else {
        return match luks2::unlock(&mut dev, pass.as_bytes(), Some(target), &limits) {
            Ok(_) => Err(CliError::SameSlot {
                slot: usize::from(args.slot),
            }),
            Err(e) => Err(CliError::luks2(path, e)),
        };
    };
    with_spinner(format!("removing key slot {target} of {}", path.display()), || {
        luks2::kill_slot(&mut dev, target, pass.as_bytes(), &mut OsRandom, &limits)
    })
    .map_err(|e| CliError::luks2(path, e))?;
    output::line(format_args!(
        "Removed key slot {target} of {} (its key material was overwritten); slot {by} still opens it.",
        path.display()
    ))
}

/// `cryptdisk passwd VOLUME` on LUKS2: the new slot is written and verified before the old one
/// is removed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), passphrase, LUKS2 and I/O errors.
pub fn passwd(args: &PasswdArgs) -> Result<(), CliError> {
    check_one_stdin(args.key.key_file.as_deref(), args.new_key_file.as_deref())?;
    let path = args.volume.as_path();
    let (mut dev, _header) = super::open_with_header(path, true)?;
    let prompt = format!("Enter the passphrase to change for {}: ", path.display());
    let old = passphrase::existing(args.key.key_file.as_deref(), &prompt, &mut TtyPrompter)?;
    let unlocked = super::unlock(&mut dev, path, &old, None)?;
    let new = new_passphrase(path, args.new_key_file.as_deref())?;
    let kdf = new_slot_kdf(path, &unlocked, args.iter_time)?;
    let limits = super::limits();
    let (old_slot, new_slot) = with_spinner(format!("changing the passphrase of {}", path.display()), || {
        luks2::change_key(&mut dev, old.as_bytes(), new.as_bytes(), &kdf, &mut OsRandom, &limits)
    })
    .map_err(|e| CliError::luks2(path, e))?;
    output::line(format_args!(
        "Changed the passphrase of {}: key slot {new_slot} replaces slot {old_slot}.",
        path.display()
    ))
}
