//! The key-slot flows that LUKS1 ([`super::keys`]) and LUKS2 ([`super::luks2::keys`]) share,
//! written once: asking for a new passphrase, and `kill-slot` (authorising by another slot,
//! re-checking the header, removing the slot, reporting). Each format supplies what differs
//! through [`KillableVolume`].

use crate::args::UnlockArgs;
use crate::error::CliError;
use crate::output::{self, with_spinner};
use crate::passphrase::{Asker, KeySpec, Origin, Passphrase};
use std::path::Path;

/// Asks for (or reads) a new passphrase for `volume`.
///
/// # Errors
///
/// Passphrase errors (unreadable key file, the two typed copies differ, …).
pub fn new_passphrase(volume: &Path, spec: KeySpec<'_>, asker: &mut Asker) -> Result<Passphrase, CliError> {
    let prompt = format!("Enter the new passphrase for {}: ", volume.display());
    Ok(asker.new_passphrase(spec, &prompt)?)
}

/// What `kill-slot` needs of an open, locked volume whose target slot is known to be active and
/// not the last one.
pub trait KillableVolume {
    /// An active slot other than the target that `pass` opens; `None` when there is none.
    ///
    /// # Errors
    ///
    /// Format and I/O errors other than a wrong passphrase.
    fn authorising_slot(&mut self, pass: &Passphrase) -> Result<Option<usize>, CliError>;

    /// The error to report when no other slot opened with `pass`: [`CliError::SameSlot`] when
    /// `pass` opens the target itself, else why it does not.
    fn refusal(&mut self, pass: &Passphrase) -> CliError;

    /// Re-reads the header and refuses if it changed since it was read.
    ///
    /// # Errors
    ///
    /// [`CliError::HeaderChanged`], device errors.
    fn check_unchanged(&mut self) -> Result<(), CliError>;

    /// Removes the target slot, authorised by `pass`.
    ///
    /// # Errors
    ///
    /// Format and I/O errors.
    fn kill_target(&mut self, pass: &Passphrase) -> Result<(), CliError>;
}

/// Removes key slot `target` of `path` (cryptsetup `luksKillSlot`): asks (`unlock.tries` times
/// when typed) for the passphrase of a *different* active slot, re-checks the header, removes
/// the slot and says which slot still opens the volume.
///
/// # Errors
///
/// As the [`KillableVolume`] methods, passphrase errors.
pub fn kill(path: &Path, target: usize, unlock: &UnlockArgs, volume: &mut impl KillableVolume) -> Result<(), CliError> {
    let prompt = format!(
        "Enter the passphrase of another key slot of {} (not slot {target}): ",
        path.display()
    );
    let mut asker = Asker::for_process(false);
    let mut attempt = 1u32;
    let (pass, by) = loop {
        let (pass, origin) = asker.existing(unlock.key.spec(), &prompt)?;
        let authorised = with_spinner(format!("opening {}", path.display()), || volume.authorising_slot(&pass))?;
        match authorised {
            Some(by) => break (pass, by),
            None if origin == Origin::Typed && attempt < unlock.tries => {
                output::warn(format_args!("no other key slot opened with this passphrase; try again"));
                attempt = attempt.saturating_add(1);
            }
            None => return Err(volume.refusal(&pass)),
        }
    };
    volume.check_unchanged()?;
    with_spinner(format!("removing key slot {target} of {}", path.display()), || {
        volume.kill_target(&pass)
    })?;
    output::line(format_args!(
        "Removed key slot {target} of {} (its key material was overwritten); slot {by} still opens it.",
        path.display()
    ))
}

/// Reports that `remove-key` removed slot `removed` of `path`.
///
/// # Errors
///
/// As [`output::line`].
pub fn report_removed(path: &Path, removed: impl std::fmt::Display) -> Result<(), CliError> {
    output::line(format_args!(
        "Removed key slot {removed} of {} (its key material was overwritten).",
        path.display()
    ))
}
