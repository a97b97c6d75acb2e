//! `cryptdisk mount`, `unmount` and `list`: talking to the sample driver, which exists on
//! Windows only.
//!
//! Done now: argument parsing (drive letters), and for `mount` the passphrase → master key
//! step ([`MountPlan::prepare`], shared with `simulate`). Not done: the driver's control
//! protocol (its request layouts will live in `cryptdisk_core::control`), so on Windows these
//! commands stop with "the driver control protocol is not wired yet"; elsewhere they exit 2
//! at once, before asking for a passphrase.

use crate::args::{MountArgs, UnmountArgs};
use crate::error::CliError;
use crate::output::{self, human_bytes};
use crate::size::SECTOR_BYTES;
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::luks::Unlocked;
use mountdev::{DriveLetterLink, Guid, VolumeGuidName};
use std::path::{Path, PathBuf};

/// An opened volume, ready to be handed to the driver or the simulator.
#[derive(Debug)]
pub struct MountPlan {
    /// The volume file.
    pub volume: PathBuf,
    /// Header, master key and the slot that opened.
    pub unlocked: Unlocked,
    /// Size of the data area in sectors.
    pub data_sectors: u64,
    /// The drive letter asked for, if any.
    pub letter: Option<DriveLetterLink>,
    /// Whether to mount read-only.
    pub read_only: bool,
}

impl MountPlan {
    /// Checks the volume's header, asks for (or reads) the passphrase and derives the master
    /// key. Nothing is written.
    ///
    /// # Errors
    ///
    /// [`CliError::WrongPassphrase`], passphrase, header and I/O errors.
    pub fn prepare(
        volume: &Path,
        key_file: Option<&Path>,
        letter: Option<DriveLetterLink>,
        read_only: bool,
    ) -> Result<Self, CliError> {
        let (dev, unlocked) = volume_file::open_and_unlock(volume, false, key_file)?;
        let data_sectors = dev
            .sector_count()
            .saturating_sub(u64::from(unlocked.header.payload_offset()));
        Ok(Self {
            volume: volume.to_owned(),
            unlocked,
            data_sectors,
            letter,
            read_only,
        })
    }

    /// The `\??\Volume{GUID}` name the mount manager will give the volume (from its UUID).
    pub fn volume_name(&self) -> VolumeGuidName {
        VolumeGuidName::new(Guid::from_uuid_bytes(*self.unlocked.header.uuid().as_bytes()))
    }

    /// Prints what was opened.
    ///
    /// # Errors
    ///
    /// Standard output errors.
    pub fn describe(&self) -> Result<(), CliError> {
        let letter = match self.letter {
            Some(l) => format!("drive letter {}: requested", l.letter()),
            None => "no drive letter requested".to_owned(),
        };
        output::line(format_args!(
            "Opened {} with key slot {}: {} of data, {}, {}{}.",
            self.volume.display(),
            self.unlocked.slot,
            human_bytes(self.data_sectors.saturating_mul(SECTOR_BYTES)),
            self.volume_name(),
            letter,
            if self.read_only { ", read-only" } else { "" }
        ))
    }
}

/// Refuses `command` on systems without the sample driver (everything but Windows).
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows.
fn require_driver(command: &'static str) -> Result<(), CliError> {
    if cfg!(windows) {
        Ok(())
    } else {
        Err(CliError::NeedsWindowsDriver { command })
    }
}

/// The sample driver's control device. Its request layouts are not defined yet
/// (`cryptdisk_core::control`), so every request fails with [`CliError::ControlNotWired`].
mod driver_control {
    use super::MountPlan;
    use crate::error::CliError;
    use mountdev::DriveLetterLink;

    /// Asks the driver to mount `plan`.
    pub fn mount(_plan: &MountPlan) -> Result<(), CliError> {
        Err(CliError::ControlNotWired { command: "mount" })
    }

    /// Asks the driver to unmount the volume at `letter`.
    pub fn unmount(_letter: DriveLetterLink) -> Result<(), CliError> {
        Err(CliError::ControlNotWired { command: "unmount" })
    }

    /// Asks the driver for its mounted volumes.
    pub fn list() -> Result<(), CliError> {
        Err(CliError::ControlNotWired { command: "list" })
    }
}

/// `cryptdisk mount VOLUME [--letter X] [--read-only]`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows (before any prompt); on Windows passphrase
/// errors, then [`CliError::ControlNotWired`].
pub fn mount(args: &MountArgs) -> Result<(), CliError> {
    require_driver("mount")?;
    let plan = MountPlan::prepare(&args.volume, args.key.key_file.as_deref(), args.letter, args.read_only)?;
    plan.describe()?;
    driver_control::mount(&plan)
}

/// `cryptdisk unmount X`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows, else [`CliError::ControlNotWired`].
pub fn unmount(args: &UnmountArgs) -> Result<(), CliError> {
    require_driver("unmount")?;
    driver_control::unmount(args.letter)
}

/// `cryptdisk list`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows, else [`CliError::ControlNotWired`].
pub fn list() -> Result<(), CliError> {
    require_driver("list")?;
    driver_control::list()
}
