//! The requests with variable-length output: probed, and retried with the size the mount manager
//! asks for.

use mountdev::NtName;

use super::{Client, ClientError, DELETE_INITIAL_OUTPUT, Output, QUERY_INITIAL_OUTPUT, Scratch, SizeField, Step};
use crate::reply::{MountPoints, Parsed, ReplyError, VolumePaths};
use crate::request::{MountPointFilter, TargetNameRequest};
use crate::transport::Transport;

impl<T: Transport, S: Scratch> Client<T, S> {
    /// `IOCTL_MOUNTMGR_QUERY_POINTS`: the mount points `filter` selects
    /// ([`MountPointFilter::all`] lists every one).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::QueryPoints`]; an unknown link or device is usually
    /// [`ClientError::Refused`] with `STATUS_OBJECT_NAME_NOT_FOUND` or
    /// `STATUS_INVALID_PARAMETER` (`protocol.md` §4.6a).
    pub fn query_points(&mut self, filter: &MountPointFilter<'_>) -> Result<MountPoints<'_>, ClientError> {
        self.mount_points(Step::QueryPoints, filter, QUERY_INITIAL_OUTPUT)
    }

    /// `IOCTL_MOUNTMGR_DELETE_POINTS`: deletes the links `filter` selects and their database
    /// entries, and returns what was deleted.
    ///
    /// The first output offered is at least a page ([`super::DELETE_INITIAL_OUTPUT`]) when the
    /// scratch can grow; an overflowing reply deletes nothing and is retried with the size the
    /// mount manager asks for. With a fixed scratch, a reply that does not fit is
    /// [`ClientError::ScratchTooSmall`] and nothing was deleted. Never send this from the thread
    /// that serves the volume's requests (`protocol.md` §8 item 8).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::DeletePoints`].
    pub fn delete_points(&mut self, filter: &MountPointFilter<'_>) -> Result<MountPoints<'_>, ClientError> {
        self.mount_points(Step::DeletePoints, filter, DELETE_INITIAL_OUTPUT)
    }

    /// `IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY`: deletes the database entries `filter` selects but
    /// leaves the links in place; returns what was deleted.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::DeletePointsDbOnly`].
    pub fn delete_points_db_only(&mut self, filter: &MountPointFilter<'_>) -> Result<MountPoints<'_>, ClientError> {
        self.mount_points(Step::DeletePointsDbOnly, filter, DELETE_INITIAL_OUTPUT)
    }

    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH`: the volume's first DOS path (`C:\`, ...).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::QueryDosVolumePath`].
    pub fn query_dos_volume_path(&mut self, device_name: NtName<'_>) -> Result<VolumePaths<'_>, ClientError> {
        self.volume_paths(Step::QueryDosVolumePath, device_name)
    }

    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS`: every DOS path of the volume.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::QueryDosVolumePaths`].
    pub fn query_dos_volume_paths(&mut self, device_name: NtName<'_>) -> Result<VolumePaths<'_>, ClientError> {
        self.volume_paths(Step::QueryDosVolumePaths, device_name)
    }

    fn mount_points(
        &mut self,
        step: Step,
        filter: &MountPointFilter<'_>,
        initial: usize,
    ) -> Result<MountPoints<'_>, ClientError> {
        let output = Output::Variable {
            initial,
            size: SizeField::MountPoints,
        };
        let range = self.exchange(step, filter, output)?;
        let returned = self.returned(step, range)?;
        match MountPoints::parse(returned) {
            Ok(Parsed::Complete(points)) => Ok(points),
            Ok(Parsed::Retry { required }) => Err(incomplete(step, required, returned.len())),
            Err(error) => Err(ClientError::Reply { step, error }),
        }
    }

    fn volume_paths(&mut self, step: Step, device_name: NtName<'_>) -> Result<VolumePaths<'_>, ClientError> {
        let output = Output::Variable {
            initial: QUERY_INITIAL_OUTPUT,
            size: SizeField::VolumePaths,
        };
        let range = self.exchange(step, &TargetNameRequest::new(device_name), output)?;
        let returned = self.returned(step, range)?;
        match VolumePaths::parse(returned) {
            Ok(Parsed::Complete(paths)) => Ok(paths),
            Ok(Parsed::Retry { required }) => Err(incomplete(step, required, returned.len())),
            Err(error) => Err(ClientError::Reply { step, error }),
        }
    }
}

/// A reply that claimed success but returned fewer bytes than its own size field.
fn incomplete(step: Step, needed: usize, available: usize) -> ClientError {
    ClientError::Reply {
        step,
        error: ReplyError::Short { needed, available },
    }
}
