//! The simulated mount manager's `IRP_MJ_DEVICE_CONTROL`: one arm per request, each a call into
//! the module that models it. Every code not listed gets `STATUS_INVALID_DEVICE_REQUEST`.

use mountdev::ioctl::Ioctl;
use mountdev::{NtStatus, Reply};

use super::Sim;
use super::paths::PathsKind;

impl Sim {
    /// Handles one request; `out` is the system buffer the reply is written to.
    pub(crate) fn dispatch(&mut self, code: u32, input: &[u8], out: &mut [u8]) -> Reply {
        match Ioctl::decode(code) {
            Ioctl::MountmgrCreatePoint => self.ioctl_create_point(input),
            Ioctl::MountmgrDeletePoints => self.ioctl_delete_points(input, out),
            Ioctl::MountmgrQueryPoints => self.ioctl_query_points(input, out),
            Ioctl::MountmgrDeletePointsDbOnly => self.ioctl_delete_points_db_only(input, out),
            Ioctl::MountmgrNextDriveLetter => self.ioctl_next_drive_letter(input, out),
            Ioctl::MountmgrAutoDlAssignments => self.ioctl_auto_dl_assignments(),
            Ioctl::MountmgrChangeNotify => self.ioctl_change_notify(input, out),
            Ioctl::MountmgrKeepLinksWhenOffline => self.ioctl_keep_links(input),
            Ioctl::MountmgrCheckUnprocessedVolumes => self.ioctl_check_unprocessed(),
            Ioctl::MountmgrVolumeArrivalNotification => self.ioctl_volume_arrival(input),
            Ioctl::MountmgrQueryDosVolumePath => self.ioctl_query_dos_volume_paths(PathsKind::One, input, out),
            Ioctl::MountmgrQueryDosVolumePaths => self.ioctl_query_dos_volume_paths(PathsKind::All, input, out),
            Ioctl::MountmgrScrubRegistry => self.ioctl_scrub_registry(),
            Ioctl::MountmgrQueryAutoMount => self.ioctl_query_auto_mount(out),
            Ioctl::MountmgrSetAutoMount => self.ioctl_set_auto_mount(input),
            _ => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
        }
    }
}
