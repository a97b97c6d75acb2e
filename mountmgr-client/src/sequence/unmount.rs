//! Unmounting: `DELETE_POINTS` with the filter the caller chooses (`protocol.md` §4.6, §8.7),
//! and the recommended default, [`Client::unmount_letters`].

use mountdev::{DriveLetterLink, NtName, UniqueId};

use super::letters::{LetterSet, LinkSummary};
use crate::client::{Client, ClientError, Scratch};
use crate::request::MountPointFilter;
use crate::transport::Transport;

/// Which mount points [`Client::unmount`] deletes.
///
/// Only [`UnmountBy::DriveLetter`] lets the same volume be mounted again with its volume GUID
/// name: the recommended unmount is [`Client::unmount_letters`], which deletes each drive letter
/// of the device that way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmountBy<'a> {
    /// Every link of the device (letter and volume GUID name) and their database entries
    /// (Dokany's choice). **Do not use it for a volume you mount again.** On Windows the mount
    /// manager then ignores every later `VOLUME_ARRIVAL_NOTIFICATION` for the volume's unique ID
    /// (VeraCrypt `Ntdriver.c` `MountManagerUnmount`; `docs/protocol.md` Errata 5), and ReactOS
    /// keeps a non-PnP volume's entry for good, ignoring later arrivals under its device name
    /// (`MountMgrMountedDeviceArrival`): the next mount gets no `\??\Volume{GUID}` name, and
    /// `GetVolumeNameForVolumeMountPoint` fails on it.
    DeviceName(NtName<'a>),
    /// Only this drive letter (VeraCrypt's choice). The mount manager records a `#{GUID}` "no
    /// drive letter" marker for the volume (deleted again by the next `CREATE_POINT` of a letter
    /// while it knows the volume), and the volume GUID name stays, in memory and in the
    /// database: the next mount of the volume finds it again.
    DriveLetter(DriveLetterLink),
    /// Every link of the first device with this unique ID. The same warning as for
    /// [`UnmountBy::DeviceName`] applies.
    UniqueId(UniqueId<'a>),
}

impl<'a> UnmountBy<'a> {
    /// The `DELETE_POINTS` filter.
    pub fn filter(&'a self) -> MountPointFilter<'a> {
        match self {
            Self::DeviceName(name) => MountPointFilter::by_device_name(*name),
            Self::DriveLetter(letter) => MountPointFilter::by_drive_letter(letter),
            Self::UniqueId(id) => MountPointFilter::by_unique_id(*id),
        }
    }
}

/// What [`Client::unmount`] deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct UnmountOutcome {
    /// The links the mount manager reported deleted.
    pub deleted: LinkSummary,
}

impl<T: Transport, S: Scratch> Client<T, S> {
    /// Removes a volume's mount points with `DELETE_POINTS` (`protocol.md` §8.7).
    ///
    /// The output offered is never too small on purpose: an overflowing `DELETE_POINTS` deletes
    /// nothing, so the client offers a page first (growing scratch) and retries with the size the
    /// mount manager asks for. Call this after `FSCTL_LOCK_VOLUME` / `FSCTL_DISMOUNT_VOLUME` and
    /// before `IoDeleteDevice`; delete any link you created yourself separately.
    ///
    /// # Threading
    /// Never call this from the thread that services the volume's own IRPs, while holding a lock
    /// the volume's IOCTL path takes, or from inside a `LINK_DELETED` handler: the mount manager
    /// notifies the volume synchronously (see [`crate::sequence`]).
    ///
    /// # Errors
    /// [`ClientError`] with [`crate::Step::DeletePoints`].
    pub fn unmount(&mut self, by: UnmountBy<'_>) -> Result<UnmountOutcome, ClientError> {
        let points = self.delete_points(&by.filter())?;
        Ok(UnmountOutcome {
            deleted: LinkSummary::of(&points, None),
        })
    }

    /// The recommended unmount: `QUERY_POINTS` by device name, then `DELETE_POINTS` by each of
    /// the device's drive letters ([`UnmountBy::DriveLetter`]). The volume GUID name stays, so
    /// the same volume can be mounted again, at the same or another letter, any number of times
    /// and its volume GUID name resolves every time; `MountedDevices` keeps one volume-name value
    /// and at most one `#{GUID}` marker per volume, never one per mount.
    ///
    /// Call it while the device still exists (the mount manager opens it to answer
    /// `QUERY_POINTS` by device name), after `FSCTL_LOCK_VOLUME` / `FSCTL_DISMOUNT_VOLUME`.
    ///
    /// Mount the volume again under the same device name: the mount manager never drops a
    /// non-PnP volume's entry, and that entry keeps the `\??\Volume{GUID}` link pointing at the old
    /// device name, so a volume that comes back under another name gets no volume GUID name
    /// (the simulator shows this in both modes).
    ///
    /// # Threading
    /// As [`Client::unmount`].
    ///
    /// # Errors
    /// [`ClientError`] with [`crate::Step::QueryPoints`] or [`crate::Step::DeletePoints`].
    pub fn unmount_letters(&mut self, device_name: NtName<'_>) -> Result<UnmountOutcome, ClientError> {
        let letters: LetterSet = self.device_links(device_name)?.letters;
        let mut deleted = LinkSummary::default();
        for letter in letters {
            let points = self.delete_points(&crate::request::MountPointFilter::by_drive_letter(&letter))?;
            let summary = LinkSummary::of(&points, None);
            for gone in summary.letters {
                deleted.letters.insert(gone);
            }
            deleted.points = deleted.points.saturating_add(summary.points);
        }
        Ok(UnmountOutcome { deleted })
    }
}
