//! `cryptdisk mount`, `unmount` and `list`: talking to the sample driver, which exists on
//! Windows only.
//!
//! On Windows each command first opens the driver's control device (a missing driver or a
//! missing elevation is reported before any passphrase prompt), then `mount` derives the master
//! key ([`MountPlan::prepare`], shared with `simulate`) and sends it with the container's NT path
//! ([`crate::driver_control`]); elsewhere they exit 2 at once.

use crate::args::{MountArgs, UnlockArgs, UnmountArgs};
use crate::driver_control::nt_path::{NtPathError, to_nt_path};
use crate::driver_control::{self, Channel, DriverError, report};
use crate::error::CliError;
use crate::output::{self, human_bytes};
use crate::passphrase::Asker;
use crate::size::SECTOR_BYTES;
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::control::{ListReply, MountCommandBuilder, MountOptions, UnmountTarget};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::luks::Unlocked;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use mountdev::{DriveLetterLink, Guid, VolumeGuidName};
use std::path::{Path, PathBuf};

/// What a MOUNT (or the simulator) needs from an unlocked LUKS1 or LUKS2 header.
#[derive(Debug)]
pub struct OpenedVolume {
    /// The LUKS UUID.
    pub uuid: Uuid,
    /// Cipher and key size.
    pub cipher: CipherSpec,
    /// First 512-byte sector of the data area.
    pub payload_offset: u64,
    /// Encryption sector size (512 for LUKS1).
    pub sector_size: u32,
    /// The key slot that opened.
    pub slot: usize,
    /// The master (volume) key.
    pub master_key: MasterKey,
}

impl OpenedVolume {
    fn from_luks1(u: &Unlocked) -> Self {
        Self {
            uuid: u.header.uuid(),
            cipher: u.header.cipher(),
            payload_offset: u64::from(u.header.payload_offset()),
            sector_size: 512,
            slot: u.slot,
            master_key: u.master_key.clone(),
        }
    }
}

/// An opened volume, ready to be handed to the driver or the simulator.
#[derive(Debug)]
pub struct MountPlan {
    /// The volume file.
    pub volume: PathBuf,
    /// What the header says and the master key (LUKS1 or LUKS2).
    pub opened: OpenedVolume,
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
        unlock: &UnlockArgs,
        key_slot: Option<u8>,
        letter: Option<DriveLetterLink>,
        read_only: bool,
    ) -> Result<Self, CliError> {
        let mut asker = Asker::for_process(false);
        let (opened, data_sectors) = if crate::commands::luks2::is_luks2(volume) {
            let (dev, u, _) = crate::commands::luks2::open_and_unlock(volume, false, unlock, key_slot, &mut asker)?;
            let vol = cryptdisk_core::volume::Volume::from_luks2(dev, &u.header, &u.volume_key)
                .map_err(|e| CliError::volume(volume, e))?;
            let opened = OpenedVolume {
                uuid: u.header.uuid(),
                cipher: vol.params().cipher,
                payload_offset: vol.params().payload_offset,
                sector_size: u.header.metadata.segment.sector_size,
                slot: usize::try_from(u.slot).unwrap_or(usize::MAX),
                master_key: u.volume_key.clone(),
            };
            (opened, vol.sector_count())
        } else {
            let (dev, unlocked) = volume_file::open_and_unlock(volume, false, unlock, key_slot, &mut asker)?;
            let data_sectors = dev
                .sector_count()
                .saturating_sub(u64::from(unlocked.header.payload_offset()));
            (OpenedVolume::from_luks1(&unlocked), data_sectors)
        };
        Ok(Self {
            volume: volume.to_owned(),
            opened,
            data_sectors,
            letter,
            read_only,
        })
    }

    /// The `\??\Volume{GUID}` name the mount manager will give the volume (from its UUID).
    pub fn volume_name(&self) -> VolumeGuidName {
        VolumeGuidName::new(Guid::from_uuid_bytes(*self.opened.uuid.as_bytes()))
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
            "Opened {} with key slot {}: {} of data in {}-byte sectors, {}, {}{}.",
            self.volume.display(),
            self.opened.slot,
            human_bytes(self.data_sectors.saturating_mul(SECTOR_BYTES)),
            self.opened.sector_size,
            self.volume_name(),
            letter,
            if self.read_only { ", read-only" } else { "" }
        ))
    }
}

/// Opens the driver's control device, or refuses `command` on systems without the sample
/// driver (everything but Windows).
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows; on Windows [`CliError::Driver`] when the driver
/// is not running or the caller is not an administrator.
#[cfg(windows)]
fn require_driver(_command: &'static str) -> Result<impl Channel, CliError> {
    driver_control::device::ControlDevice::open().map_err(CliError::Driver)
}

/// Opens the driver's control device, or refuses `command` on systems without the sample
/// driver (everything but Windows).
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows.
#[cfg(not(windows))]
fn require_driver(command: &'static str) -> Result<impl Channel, CliError> {
    Err::<driver_control::Unavailable, _>(CliError::NeedsWindowsDriver { command })
}

/// The MOUNT request for `plan`: the container's absolute NT path, the letter, the options, and
/// the cipher, sizes, UUID and master key from its header.
///
/// # Errors
///
/// I/O errors resolving the path; [`CliError::Driver`] for a path without an NT form or a
/// request the core refuses.
fn mount_request(plan: &MountPlan) -> Result<Vec<u8>, CliError> {
    let absolute = std::fs::canonicalize(&plan.volume).map_err(CliError::io("resolve the path of", &plan.volume))?;
    let text = absolute.to_str().ok_or_else(|| {
        CliError::Driver(DriverError::Path(NtPathError {
            path: absolute.display().to_string(),
            reason: "not valid Unicode",
        }))
    })?;
    let nt_path = to_nt_path(text).map_err(|e| CliError::Driver(DriverError::Path(e)))?;
    let opened = &plan.opened;
    MountCommandBuilder {
        path: &nt_path,
        letter: plan.letter.and_then(|l| u8::try_from(l.letter()).ok()),
        options: MountOptions {
            read_only: plan.read_only,
            removable: false,
        },
        cipher: opened.cipher,
        key: &opened.master_key,
        payload_offset: opened.payload_offset,
        data_sectors: plan.data_sectors,
        uuid: opened.uuid,
    }
    .to_vec()
    .map_err(|e| CliError::Driver(DriverError::Request(e)))
}

/// `cryptdisk mount VOLUME --test-passphrase` (cryptsetup `open --test-passphrase`): opens
/// the volume with the passphrase and says which key slot it opened; nothing is mounted or
/// written, and no driver is needed.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], passphrase, header and I/O errors.
fn test_passphrase(args: &MountArgs) -> Result<(), CliError> {
    let plan = MountPlan::prepare(&args.volume, &args.unlock, args.key_slot, None, true)?;
    output::line(format_args!(
        "Key slot {} of {} opens with this passphrase.",
        plan.opened.slot,
        plan.volume.display()
    ))
}

/// `cryptdisk mount VOLUME [--letter X] [--read-only]`, or `--test-passphrase`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows (before any prompt); on Windows
/// [`CliError::Driver`] when the driver is missing or refuses, passphrase and header errors.
pub fn mount(args: &MountArgs) -> Result<(), CliError> {
    if args.test_passphrase {
        return test_passphrase(args);
    }
    let mut channel = require_driver("mount")?;
    let plan = MountPlan::prepare(&args.volume, &args.unlock, args.key_slot, args.letter, args.read_only)?;
    plan.describe()?;
    let mut request = mount_request(&plan)?;
    let reply = driver_control::requests::mount(&mut channel, &mut request, plan.letter).map_err(CliError::Driver)?;
    for line in report::mounted_lines(&reply, &plan.volume_name()) {
        output::line(format_args!("{line}"))?;
    }
    Ok(())
}

/// `cryptdisk unmount X` or `cryptdisk unmount --device N`, optionally `--force`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows, else [`CliError::Driver`] when the driver is
/// missing or refuses (no such volume, files open on it without `--force`).
pub fn unmount(args: &UnmountArgs) -> Result<(), CliError> {
    let target = match (args.letter, args.device) {
        (Some(letter), _) => UnmountTarget::Letter(u8::try_from(letter.letter()).unwrap_or(0)),
        (None, Some(number)) => UnmountTarget::DeviceNumber(number),
        (None, None) => return Err(CliError::Usage("give a drive letter or --device N".into())),
    };
    let mut channel = require_driver("unmount")?;
    driver_control::requests::unmount(&mut channel, target, args.force).map_err(CliError::Driver)?;
    output::line(format_args!(
        "Unmounted {}.",
        driver_control::error::describe_target(target)
    ))
}

/// `cryptdisk list`.
///
/// # Errors
///
/// [`CliError::NeedsWindowsDriver`] off Windows, else [`CliError::Driver`].
pub fn list() -> Result<(), CliError> {
    let mut channel = require_driver("list")?;
    let bytes = driver_control::requests::list(&mut channel).map_err(CliError::Driver)?;
    let reply = ListReply::parse(&bytes).map_err(|e| CliError::Driver(DriverError::BadReply(e)))?;
    let lines = report::list_lines(&reply).map_err(|e| CliError::Driver(DriverError::BadReply(e)))?;
    for line in lines {
        output::line(format_args!("{line}"))?;
    }
    Ok(())
}
