//! The requests with no or fixed-size output.

use mountdev::NtName;

use super::{Client, ClientError, NoInput, Output, Scratch, Step};
use crate::reply::{AutoMountState, DriveLetterInfo, parse_epic_number};
use crate::request::{ChangeNotifyRequest, CreatePointRequest, SetAutoMountRequest, TargetNameRequest};
use crate::transport::Transport;

impl<T: Transport, S: Scratch> Client<T, S> {
    /// `IOCTL_MOUNTMGR_CREATE_POINT`: asks the mount manager to create `symbolic_link_name` for
    /// `device_name` and record it in its database.
    ///
    /// A volume may have one drive letter; asking for another one for a volume the mount manager
    /// already knows fails with `STATUS_INVALID_PARAMETER` (`protocol.md` §4.4).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::CreatePoint`].
    pub fn create_point(&mut self, symbolic_link_name: NtName<'_>, device_name: NtName<'_>) -> Result<(), ClientError> {
        let request = CreatePointRequest::new(symbolic_link_name, device_name);
        self.exchange(Step::CreatePoint, &request, Output::Fixed(0)).map(drop)
    }

    /// `IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION`: tells the mount manager a non-PnP volume
    /// arrived. The mount manager then queries the volume (MOUNTDEV requests) synchronously
    /// before it answers: never send this from the thread that serves those requests
    /// (`protocol.md` §8 item 8).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::VolumeArrival`].
    pub fn volume_arrival(&mut self, device_name: NtName<'_>) -> Result<(), ClientError> {
        self.target_name_command(Step::VolumeArrival, device_name)
    }

    /// `IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE`: keep the volume's links while it is offline.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::KeepLinksWhenOffline`].
    pub fn keep_links_when_offline(&mut self, device_name: NtName<'_>) -> Result<(), ClientError> {
        self.target_name_command(Step::KeepLinksWhenOffline, device_name)
    }

    /// `IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE` (Windows 8 and later).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::PrepareVolumeDelete`].
    pub fn prepare_volume_delete(&mut self, device_name: NtName<'_>) -> Result<(), ClientError> {
        self.target_name_command(Step::PrepareVolumeDelete, device_name)
    }

    /// `IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE` (Windows 8 and later).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::CancelVolumeDelete`].
    pub fn cancel_volume_delete(&mut self, device_name: NtName<'_>) -> Result<(), ClientError> {
        self.target_name_command(Step::CancelVolumeDelete, device_name)
    }

    /// `IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES`: retry the arrival of volumes the mount manager
    /// failed to process earlier.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::CheckUnprocessedVolumes`].
    pub fn check_unprocessed_volumes(&mut self) -> Result<(), ClientError> {
        self.exchange(Step::CheckUnprocessedVolumes, &NoInput, Output::Fixed(0))
            .map(drop)
    }

    /// `IOCTL_MOUNTMGR_SCRUB_REGISTRY`: drop database entries of volumes that no longer exist.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::ScrubRegistry`].
    pub fn scrub_registry(&mut self) -> Result<(), ClientError> {
        self.exchange(Step::ScrubRegistry, &NoInput, Output::Fixed(0)).map(drop)
    }

    /// `IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER`: give the volume the next free letter if it has none.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::NextDriveLetter`].
    pub fn next_drive_letter(&mut self, device_name: NtName<'_>) -> Result<DriveLetterInfo, ClientError> {
        let step = Step::NextDriveLetter;
        let range = self.exchange(step, &TargetNameRequest::new(device_name), Output::Fixed(2))?;
        DriveLetterInfo::parse(self.returned(step, range)?).map_err(|error| ClientError::Reply { step, error })
    }

    /// `IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT`.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::QueryAutoMount`].
    pub fn query_auto_mount(&mut self) -> Result<AutoMountState, ClientError> {
        let step = Step::QueryAutoMount;
        let range = self.exchange(step, &NoInput, Output::Fixed(4))?;
        AutoMountState::parse(self.returned(step, range)?).map_err(|error| ClientError::Reply { step, error })
    }

    /// `IOCTL_MOUNTMGR_SET_AUTO_MOUNT`: a global, persistent setting; volume drivers should leave
    /// it alone (`protocol.md` §1.3).
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::SetAutoMount`].
    pub fn set_auto_mount(&mut self, state: AutoMountState) -> Result<(), ClientError> {
        self.exchange(Step::SetAutoMount, &SetAutoMountRequest::new(state), Output::Fixed(0))
            .map(drop)
    }

    /// `IOCTL_MOUNTMGR_CHANGE_NOTIFY`: waits until the mount manager's epic number differs from
    /// `epic_number` and returns the new one. This request pends by design: the call blocks
    /// until a mount point changes.
    ///
    /// # Errors
    /// [`ClientError`] with [`Step::ChangeNotify`].
    pub fn change_notify(&mut self, epic_number: u32) -> Result<u32, ClientError> {
        let step = Step::ChangeNotify;
        let range = self.exchange(step, &ChangeNotifyRequest::new(epic_number), Output::Fixed(4))?;
        parse_epic_number(self.returned(step, range)?).map_err(|error| ClientError::Reply { step, error })
    }

    fn target_name_command(&mut self, step: Step, device_name: NtName<'_>) -> Result<(), ClientError> {
        self.exchange(step, &TargetNameRequest::new(device_name), Output::Fixed(0))
            .map(drop)
    }
}
