//! Unmounting: `DELETE_POINTS` with the filter the caller chooses (`protocol.md` §4.6, §8.7).

use mountdev::{DriveLetterLink, NtName, UniqueId};

use super::letters::LinkSummary;
use crate::client::{Client, ClientError, Scratch};
use crate::request::MountPointFilter;
use crate::transport::Transport;

/// Which mount points [`Client::unmount`] deletes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmountBy<'a> {
    /// Every link of the device and their database entries: a clean "forget" (Dokany's choice).
    /// The recommended default: no stale letter is left for the next mount.
    DeviceName(NtName<'a>),
    /// Only this drive letter (VeraCrypt's choice). The mount manager then records a "no drive
    /// letter" marker for the volume, and the volume GUID name stays in the database.
    DriveLetter(DriveLetterLink),
    /// Every link of every device with this unique ID.
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
}
