//! `add-key`, `remove-key`, `kill-slot` and `passwd` for a LUKS2 volume. Every passphrase is
//! checked before anything is written; the core writes a new slot and verifies it before an old
//! one goes. As on LUKS1, each command holds the volume's exclusive lock (taken by
//! [`volume_file::open`]) from opening to its last write and re-reads the header just before
//! writing ([`check_unchanged`]).

use crate::args::{AddKeyArgs, PasswdArgs, RemoveKeyArgs, UnlockArgs};
use crate::commands::key_flow::{self, KillableVolume};
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{Asker, Passphrase, check_one_stdin};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks2::metadata::Kdf;
use cryptdisk_core::luks2::{self, KdfChoice, Luks2Error, Luks2Header, Unlocked2};
use cryptdisk_core::rng::OsRandom;
use std::path::Path;

/// Re-reads the LUKS2 header just before a write and refuses if its sequence number (which
/// every LUKS2 header update increments) or its metadata changed since `expected` was read.
///
/// # Errors
///
/// [`CliError::HeaderChanged`] (nothing written), device errors.
fn check_unchanged(dev: &mut FileDevice, path: &Path, expected: &Luks2Header) -> Result<(), CliError> {
    match luks2::read_header(dev) {
        Ok(now) if now.binary.seqid == expected.binary.seqid && now.metadata == expected.metadata => Ok(()),
        Ok(_) | Err(_) => Err(CliError::HeaderChanged { path: path.to_owned() }),
    }
}

/// The KDF of a new slot: the opened slot's Argon2 costs, or PBKDF2 with its hash calibrated
/// for `iter_time` milliseconds.
fn new_slot_kdf(path: &Path, unlocked: &Unlocked2, iter_time: u32) -> Result<KdfChoice, CliError> {
    let slot = unlocked
        .opened_keyslot()
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

/// `cryptdisk add-key VOLUME [-S N]` on LUKS2: an existing passphrase, then the new one, into
/// slot N or the first free slot.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), [`CliError::SlotInUse`], a full slot table,
/// [`CliError::Busy`], [`CliError::HeaderChanged`], passphrase, LUKS2 and I/O errors.
pub fn add_key(args: &AddKeyArgs) -> Result<(), CliError> {
    check_one_stdin(args.unlock.key.key_file.as_deref(), args.new_key.new_keyfile.as_deref())?;
    let path = args.volume.as_path();
    let mut asker = Asker::for_process(false);
    let (mut dev, unlocked, _) = super::open_and_unlock(path, true, &args.unlock, None, &mut asker)?;
    let wanted = args.key_slot.map(u32::from);
    if let Some(slot) = wanted.filter(|s| unlocked.header.metadata.keyslots.iter().any(|k| k.id == *s)) {
        return Err(CliError::SlotInUse {
            path: path.to_owned(),
            slot: usize::try_from(slot).unwrap_or(usize::MAX),
        });
    }
    let new = key_flow::new_passphrase(path, args.new_key.spec(), &mut asker)?;
    let kdf = new_slot_kdf(path, &unlocked, args.iter_time)?;
    let limits = super::limits();
    check_unchanged(&mut dev, path, &unlocked.header)?;
    let slot = with_spinner(format!("adding a key slot to {}", path.display()), || {
        luks2::add_key_to_slot(
            &mut dev,
            &unlocked.volume_key,
            new.as_bytes(),
            &kdf,
            wanted,
            &mut OsRandom,
            &limits,
        )
    })
    .map_err(|e| CliError::luks2(path, e))?;
    output::line(format_args!("Added key slot {slot} to {}.", path.display()))
}

/// A LUKS2 volume open for `kill-slot`, with the slot to remove and the slots that may
/// authorise it, in unlock order.
struct Luks2Kill<'a> {
    path: &'a Path,
    dev: FileDevice,
    header: Luks2Header,
    target: u32,
    tried: Vec<u32>,
}

impl KillableVolume for Luks2Kill<'_> {
    fn authorising_slot(&mut self, pass: &Passphrase) -> Result<Option<usize>, CliError> {
        let limits = super::limits();
        for s in self.tried.iter().copied().filter(|s| *s != self.target) {
            match luks2::unlock(&mut self.dev, pass.as_bytes(), Some(s), &limits) {
                Ok(_) => return Ok(Some(usize::try_from(s).unwrap_or(usize::MAX))),
                Err(Luks2Error::WrongPassphrase) => {}
                Err(e) => return Err(CliError::luks2(self.path, e)),
            }
        }
        Ok(None)
    }

    fn refusal(&mut self, pass: &Passphrase) -> CliError {
        let limits = super::limits();
        match luks2::unlock(&mut self.dev, pass.as_bytes(), Some(self.target), &limits) {
            Ok(_) => CliError::SameSlot {
                slot: usize::try_from(self.target).unwrap_or(usize::MAX),
            },
            Err(e) => CliError::luks2(self.path, e),
        }
    }

    fn check_unchanged(&mut self) -> Result<(), CliError> {
        check_unchanged(&mut self.dev, self.path, &self.header)
    }

    fn kill_target(&mut self, pass: &Passphrase) -> Result<(), CliError> {
        let limits = super::limits();
        luks2::kill_slot(&mut self.dev, self.target, pass.as_bytes(), &mut OsRandom, &limits)
            .map_err(|e| CliError::luks2(self.path, e))
    }
}

/// `cryptdisk kill-slot VOLUME N` on LUKS2: as [`crate::commands::keys::kill_slot`]; slots of
/// priority `ignore` do not authorise.
///
/// # Errors
///
/// As the LUKS1 command, with LUKS2 errors.
pub fn kill_slot(path: &Path, slot: u8, unlock: &UnlockArgs) -> Result<(), CliError> {
    let target = u32::from(slot);
    let (dev, header) = super::open_with_header(path, true)?;
    let active: Vec<u32> = header.metadata.active_keyslots().map(|k| k.id).collect();
    if !active.contains(&target) {
        return Err(CliError::luks2(path, Luks2Error::SlotInactive { slot: target }));
    }
    if active.len() < 2 {
        return Err(CliError::luks2(path, Luks2Error::LastKeySlot { slot: target }));
    }
    // As cryptsetup: slots of priority `ignore` do not authorise (an unlock never tries them).
    let tried: Vec<u32> = header.metadata.unlock_order().iter().map(|k| k.id).collect();
    let mut volume = Luks2Kill {
        path,
        dev,
        header,
        target,
        tried,
    };
    key_flow::kill(path, usize::from(slot), unlock, &mut volume)
}

/// `cryptdisk remove-key VOLUME` on LUKS2: as [`crate::commands::keys::remove_key`].
///
/// # Errors
///
/// As the LUKS1 command, with LUKS2 errors.
pub fn remove_key(args: &RemoveKeyArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    if let Some(slot) = args.key_slot {
        return kill_slot(path, slot, &args.unlock);
    }
    let mut asker = Asker::for_process(false);
    let (mut dev, unlocked, pass) = super::open_and_unlock(path, true, &args.unlock, None, &mut asker)?;
    if !unlocked
        .header
        .metadata
        .active_keyslots()
        .any(|k| k.id != unlocked.slot)
    {
        return Err(CliError::luks2(path, Luks2Error::LastKeySlot { slot: unlocked.slot }));
    }
    check_unchanged(&mut dev, path, &unlocked.header)?;
    let limits = super::limits();
    let removed = with_spinner(format!("removing a key slot of {}", path.display()), || {
        luks2::remove_key(&mut dev, pass.as_bytes(), &mut OsRandom, &limits)
    })
    .map_err(|e| CliError::luks2(path, e))?;
    key_flow::report_removed(path, removed)
}

/// `cryptdisk passwd VOLUME` on LUKS2: the new slot is written and verified before the old one
/// is removed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`] (nothing written), [`CliError::Busy`],
/// [`CliError::HeaderChanged`], passphrase, LUKS2 and I/O errors.
pub fn passwd(args: &PasswdArgs) -> Result<(), CliError> {
    check_one_stdin(args.unlock.key.key_file.as_deref(), args.new_key.new_keyfile.as_deref())?;
    let path = args.volume.as_path();
    let mut asker = Asker::for_process(false);
    let (mut dev, unlocked, old) = super::open_and_unlock(path, true, &args.unlock, None, &mut asker)?;
    let new = key_flow::new_passphrase(path, args.new_key.spec(), &mut asker)?;
    let kdf = new_slot_kdf(path, &unlocked, args.iter_time)?;
    let limits = super::limits();
    check_unchanged(&mut dev, path, &unlocked.header)?;
    let (old_slot, new_slot) = with_spinner(format!("changing the passphrase of {}", path.display()), || {
        luks2::change_key(&mut dev, old.as_bytes(), new.as_bytes(), &kdf, &mut OsRandom, &limits)
    })
    .map_err(|e| CliError::luks2(path, e))?;
    output::line(format_args!(
        "Changed the passphrase of {}: key slot {new_slot} replaces slot {old_slot}.",
        path.display()
    ))
}
