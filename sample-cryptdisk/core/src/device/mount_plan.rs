//! The mount and unmount orchestration the driver runs (`protocol.md` §8.6, §8.7), over the
//! operations a host provides ([`VolumeHost`]: the kernel shell, or the simulator in user mode)
//! and a mount-manager [`Transport`].
//!
//! Mount at a letter: refuse a letter that already exists (never take one over) → create the
//! device → clear `DO_DEVICE_INITIALIZING` → [`Client::mount_at_letter`] (`CREATE_POINT` first; a
//! letter the mount manager reports taken stops it before the arrival; then
//! `VOLUME_ARRIVAL_NOTIFICATION`, `QUERY_POINTS` to verify, and the repair of any letter the
//! caller did not ask for) → create a fallback link only if the mount manager refused. Unmount
//! first takes the volume from its file system: lock it ([`VolumeHost::lock_volume`],
//! `FSCTL_LOCK_VOLUME` on a handle to the volume, refused while files are open on it: the unmount
//! then stops with [`PlanError::FilesOpen`], nothing deleted, unless forced) → dismount it
//! ([`VolumeHost::dismount_volume`], `FSCTL_DISMOUNT_VOLUME`, which flushes the file system's
//! data; forced without a lock too) → refuse new opens ([`VolumeHost::refuse_new_opens`]). Then
//! it reverses the mount: [`Client::unmount_letters`] (`DELETE_POINTS` by each drive letter,
//! never by device name: after that Windows ignores the volume's later arrivals,
//! `docs/protocol.md` Errata 5), delete the fallback link, delete the device, and only then
//! release the lock handle ([`VolumeHost::release_volume`]: while it is held no file system can
//! mount the volume again). The volume GUID name stays in the
//! mount manager and in `MountedDevices`, so every later mount of the same container, at the same
//! or another letter, resolves to the same volume GUID name, as long as it comes back under the
//! same device name (the driver hands out the lowest free device number; a container mounted
//! again while another volume holds its old number gets no volume GUID name, see
//! [`Client::unmount_letters`]).
//!
//! # Threading
//! Run these from a system thread that does not service the volume's IRPs: the mount manager
//! queries the volume synchronously while it processes `CREATE_POINT` and the arrival.

use alloc::sync::Arc;
use core::fmt;

use mountdev::{DriveLetterLink, NtName, NtStatus, VolumeGuidName};
use mountmgr_client::sequence::{LetterOutcome, MountRequest, Needed};
use mountmgr_client::{Client, ClientError, Step, Transport};

use super::DiskDevice;

/// What the plan needs from the system it runs on.
pub trait VolumeHost {
    /// Creates the named device object for `device` (with `DO_DEVICE_INITIALIZING` still set).
    ///
    /// # Errors
    /// The status the host's device creation failed with.
    fn create_device(&mut self, device: &Arc<DiskDevice>) -> Result<(), NtStatus>;

    /// Clears `DO_DEVICE_INITIALIZING`, so the mount manager can open the device.
    ///
    /// # Errors
    /// The host's status.
    fn clear_initializing(&mut self, device: &DiskDevice) -> Result<(), NtStatus>;

    /// Whether `link` already exists in the global DOS device namespace.
    fn link_exists(&mut self, link: DriveLetterLink) -> bool;

    /// Creates `link` → `target` itself (the fallback when the mount manager refuses).
    ///
    /// # Errors
    /// The host's status.
    fn create_link(&mut self, link: DriveLetterLink, target: NtName<'_>) -> Result<(), NtStatus>;

    /// Deletes a link created with [`VolumeHost::create_link`].
    ///
    /// # Errors
    /// The host's status.
    fn delete_link(&mut self, link: DriveLetterLink) -> Result<(), NtStatus>;

    /// Deletes the device object.
    ///
    /// # Errors
    /// The host's status.
    fn delete_device(&mut self, device: &DiskDevice) -> Result<(), NtStatus>;

    /// Opens the volume `device` presents and locks it for exclusive use (`FSCTL_LOCK_VOLUME`,
    /// answered by the file system mounted on it), keeping the handle, locked or not, until
    /// [`VolumeHost::release_volume`].
    ///
    /// # Errors
    /// The status of the open or the lock: a file system with files open refuses the lock
    /// (`STATUS_ACCESS_DENIED` from NTFS and FAT).
    fn lock_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus>;

    /// Dismounts the file system on the volume (`FSCTL_DISMOUNT_VOLUME`: it flushes and lets go
    /// of the volume; handles still open on its files fail from then on), through the handle of
    /// [`VolumeHost::lock_volume`], or through one of its own when the lock failed (a forced
    /// unmount).
    ///
    /// # Errors
    /// The status of the open or the request.
    fn dismount_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus>;

    /// Refuses new opens and I/O on the device from now on.
    fn refuse_new_opens(&mut self, device: &DiskDevice);

    /// Closes the handle [`VolumeHost::lock_volume`] kept, if any.
    fn release_volume(&mut self, device: &DiskDevice);
}

/// How a volume ended up mounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mounted {
    /// Its drive letter, if it has one.
    pub letter: Option<DriveLetterLink>,
    /// The driver created the letter link itself because the mount manager refused.
    pub fallback_link: bool,
    /// The mount manager processed the volume (it has a volume GUID name and Win32 path APIs
    /// work on it).
    pub registered: bool,
    /// The volume GUID name, when the mount manager gave one.
    pub volume_name: Option<VolumeGuidName>,
    /// Letters the volume had besides the requested one (assigned by the mount manager on its own,
    /// or kept from an earlier mount) that the mount sequence removed.
    pub phantom_letters_removed: usize,
}

/// Why a mount or unmount failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlanError {
    /// The drive letter already exists (another volume, a `subst`, a network drive): refused
    /// rather than taken over.
    LetterInUse(DriveLetterLink),
    /// The host could not create, prepare or delete the device or a link.
    Host {
        /// What the plan was doing.
        step: &'static str,
        /// The host's status.
        status: NtStatus,
    },
    /// The mount manager failed a request the plan cannot do without.
    MountManager(ClientError),
    /// The file system on the volume refused the lock (files are open on it): the unmount was
    /// not forced, so nothing was changed.
    FilesOpen {
        /// The status of the lock (or of opening the volume for it).
        lock: NtStatus,
    },
    /// The volume kept letters other than the requested one even after the mount sequence's
    /// repair.
    WrongLetter {
        /// The letter asked for.
        requested: DriveLetterLink,
        /// How many letters the volume has.
        assigned: usize,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LetterInUse(link) => write!(f, "drive letter {}: is already in use", link.letter()),
            Self::Host { step, status } => write!(f, "{step} failed: {status}"),
            Self::MountManager(error) => write!(f, "mount manager: {error}"),
            Self::FilesOpen { lock } => write!(f, "the volume is in use (files open; lock: {lock})"),
            Self::WrongLetter { requested, assigned } => write!(
                f,
                "the mount manager left the volume {assigned} drive letter(s) other than {}:",
                requested.letter()
            ),
        }
    }
}

impl core::error::Error for PlanError {}

impl From<PlanError> for NtStatus {
    /// The status a MOUNT or UNMOUNT control request completes with.
    fn from(error: PlanError) -> Self {
        match error {
            PlanError::LetterInUse(_) => NtStatus::OBJECT_NAME_COLLISION,
            PlanError::Host { status, .. } => status,
            PlanError::MountManager(error) => error.status().unwrap_or(NtStatus::UNSUCCESSFUL),
            PlanError::FilesOpen { .. } => NtStatus::FILES_OPEN,
            PlanError::WrongLetter { .. } => NtStatus::UNSUCCESSFUL,
        }
    }
}

fn host(step: &'static str) -> impl Fn(NtStatus) -> PlanError {
    move |status| PlanError::Host { step, status }
}

/// Whether a client error means "this mount manager does not take part" (Wine answers
/// `STATUS_NOT_SUPPORTED` to CREATE_POINT and arrival; a mount manager may also refuse the
/// arrival outright): the volume then works through a link of the driver's own.
fn refused_by_mount_manager(error: &ClientError) -> bool {
    matches!(error.step(), Step::VolumeArrival | Step::CreatePoint)
        && matches!(
            error.status(),
            Some(
                NtStatus::NOT_SUPPORTED
                    | NtStatus::INVALID_DEVICE_REQUEST
                    | NtStatus::NOT_IMPLEMENTED
                    | NtStatus::ACCESS_DENIED
            )
        )
}

/// Mounts `device`: at `letter`, or wherever the mount manager chooses when `letter` is `None`.
/// On failure after the device was created, the device is deleted again.
///
/// # Errors
/// [`PlanError`].
pub fn mount<H: VolumeHost + Transport>(
    host_ops: &mut H,
    device: &Arc<DiskDevice>,
    letter: Option<DriveLetterLink>,
) -> Result<Mounted, PlanError> {
    if let Some(link) = letter
        && host_ops.link_exists(link)
    {
        return Err(PlanError::LetterInUse(link));
    }
    host_ops.create_device(device).map_err(host("create the device"))?;
    let result = host_ops
        .clear_initializing(device)
        .map_err(host("clear DO_DEVICE_INITIALIZING"))
        .and_then(|()| match letter {
            Some(link) => mount_at(host_ops, device, link),
            None => mount_anywhere(host_ops, device),
        });
    if result.is_err() {
        // Best effort: the error being reported is the one that matters.
        let _ = host_ops.delete_device(device);
    }
    result
}

fn mount_at<H: VolumeHost + Transport>(
    host_ops: &mut H,
    device: &DiskDevice,
    link: DriveLetterLink,
) -> Result<Mounted, PlanError> {
    let device_name = mountdev::MountdevVolume::device_name(device.identity());
    let request = MountRequest {
        device_name,
        letter: link,
    };
    let outcome = {
        let mut client = Client::new(&mut *host_ops);
        match client.mount_at_letter(&request) {
            Ok(outcome) => outcome,
            Err(error) if refused_by_mount_manager(&error) => {
                drop(client);
                host_ops
                    .create_link(link, device_name)
                    .map_err(host("create the fallback link"))?;
                return Ok(Mounted {
                    letter: Some(link),
                    fallback_link: true,
                    registered: false,
                    volume_name: None,
                    phantom_letters_removed: 0,
                });
            }
            Err(error) => return Err(PlanError::MountManager(error)),
        }
    };
    let mut mounted = Mounted {
        letter: Some(link),
        fallback_link: false,
        registered: outcome.volume_name.is_some(),
        volume_name: outcome.volume_name,
        phantom_letters_removed: outcome.extra_letters_removed.len(),
    };
    match outcome.letter {
        LetterOutcome::Ok => {}
        LetterOutcome::Fallback(Needed::CreateLinkYourself { link, target }) => {
            host_ops
                .create_link(link, target)
                .map_err(host("create the fallback link"))?;
            mounted.fallback_link = true;
        }
        LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken }) => {
            return Err(PlanError::LetterInUse(taken));
        }
        LetterOutcome::WrongLetter { requested, assigned } => {
            return Err(PlanError::WrongLetter {
                requested,
                assigned: assigned.len(),
            });
        }
    }
    Ok(mounted)
}

fn mount_anywhere<H: VolumeHost + Transport>(host_ops: &mut H, device: &DiskDevice) -> Result<Mounted, PlanError> {
    let device_name = mountdev::MountdevVolume::device_name(device.identity());
    let mut client = Client::new(&mut *host_ops);
    match client.mount_without_letter(device_name) {
        Ok(outcome) => Ok(Mounted {
            letter: outcome.letter,
            fallback_link: false,
            registered: outcome.volume_name.is_some(),
            volume_name: outcome.volume_name,
            phantom_letters_removed: 0,
        }),
        Err(error) if refused_by_mount_manager(&error) => Ok(Mounted {
            letter: None,
            fallback_link: false,
            registered: false,
            volume_name: None,
            phantom_letters_removed: 0,
        }),
        Err(error) => Err(PlanError::MountManager(error)),
    }
}

/// Unmounts a volume mounted by [`mount`] (see the module docs for the order): lock and
/// dismount its file system, refuse new opens, then its drive letters through the mount manager
/// ([`Client::unmount_letters`]) when the mount manager took part, the fallback link, the device,
/// and last the lock handle.
///
/// Without `force`, a lock the file system refuses stops the unmount with
/// [`PlanError::FilesOpen`] before anything changes. With `force` the file system is dismounted
/// anyway (its open files fail from then on; what it had cached is flushed as far as it can).
/// A failed dismount does not stop the unmount: after a successful lock nothing can use the
/// volume, and a forced unmount goes ahead by definition.
///
/// # Errors
/// [`PlanError`]; once past the lock, the device is deleted even when the mount manager fails,
/// and that failure is reported.
pub fn unmount<H: VolumeHost + Transport>(
    host_ops: &mut H,
    device: &DiskDevice,
    mounted: &Mounted,
    force: bool,
) -> Result<(), PlanError> {
    if let Err(lock) = host_ops.lock_volume(device)
        && !force
    {
        host_ops.release_volume(device);
        return Err(PlanError::FilesOpen { lock });
    }
    // Best effort (see the docs): the status only says whether a file system was there to go.
    let _ = host_ops.dismount_volume(device);
    host_ops.refuse_new_opens(device);
    let result = remove(host_ops, device, mounted);
    host_ops.release_volume(device);
    result
}

/// The mount points, the fallback link and the device, in that order.
fn remove<H: VolumeHost + Transport>(
    host_ops: &mut H,
    device: &DiskDevice,
    mounted: &Mounted,
) -> Result<(), PlanError> {
    let device_name = mountdev::MountdevVolume::device_name(device.identity());
    let mut first_error = None;
    if mounted.registered || (mounted.letter.is_some() && !mounted.fallback_link) {
        let mut client = Client::new(&mut *host_ops);
        if let Err(error) = client.unmount_letters(device_name).map(|_deleted| ()) {
            first_error = Some(PlanError::MountManager(error));
        }
    }
    if let (true, Some(link)) = (mounted.fallback_link, mounted.letter)
        && let Err(status) = host_ops.delete_link(link)
    {
        first_error.get_or_insert(PlanError::Host {
            step: "delete the fallback link",
            status,
        });
    }
    if let Err(status) = host_ops.delete_device(device) {
        first_error.get_or_insert(PlanError::Host {
            step: "delete the device",
            status,
        });
    }
    first_error.map_or(Ok(()), Err)
}
