//! The smaller requests: NEXT_DRIVE_LETTER, KEEP_LINKS_WHEN_OFFLINE, CHANGE_NOTIFY,
//! QUERY/SET_AUTO_MOUNT, SCRUB_REGISTRY and AUTO_DL_ASSIGNMENTS (`protocol.md` §1.3, §2.12-§2.15).

use alloc::format;

use mountdev::layout::{AutoMount, ChangeNotifyInfo, DriveLetterInformation};
use mountdev::reply::write_fixed;
use mountdev::{NtStatus, Reply};
use zerocopy::byteorder::little_endian::U32;
use zerocopy::{FromBytes, IntoBytes};

use super::arrival::parse_target_name;
use super::{Sim, SimName};

impl Sim {
    /// `FindDeviceInfo` as ReactOS runs it for these requests: open the name (a device or a link
    /// to one), ask the device for its name, find the entry. Errors: the open's status, the
    /// query's status, or `STATUS_OBJECT_NAME_NOT_FOUND` for a volume the mount manager has not
    /// processed.
    pub(crate) fn find_volume_for(&mut self, name: &SimName) -> Result<usize, NtStatus> {
        let opened = self.namespace.open(name)?;
        let device_name = self.query_device_name(&opened)?;
        self.volume_index(&device_name).ok_or_else(|| {
            self.note(format!("{device_name} is not in the volume list"));
            NtStatus::OBJECT_NAME_NOT_FOUND
        })
    }

    /// IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER (ReactOS `MountMgrNextDriveLetterWorker`): input or
    /// output too short → `STATUS_INVALID_PARAMETER`; a volume with a letter reports it; a volume
    /// that may not have one (GPT attribute, `#{GUID}` marker) or that automatic assignment
    /// already passed over (auto-mount on, fixed media) gets none; otherwise the suggested letter
    /// or the first free one is assigned.
    pub(crate) fn ioctl_next_drive_letter(&mut self, input: &[u8], out: &mut [u8]) -> Reply {
        if out.len() < DriveLetterInformation::C_SIZEOF {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        }
        let name = match parse_target_name(input) {
            Ok(name) => name,
            Err(status) => return Reply::error(status),
        };
        let index = match self.find_volume_for(&name) {
            Ok(index) => index,
            Err(status) => return Reply::error(status),
        };
        let (letter, assigned) = self.next_drive_letter(index);
        let info = DriveLetterInformation {
            drive_letter_was_assigned: u8::from(assigned),
            current_drive_letter: letter,
        };
        write_fixed(out, info.as_bytes())
    }

    /// The decision of NEXT_DRIVE_LETTER: `(letter or 0, whether it was assigned now)`.
    fn next_drive_letter(&mut self, index: usize) -> (u8, bool) {
        let Some(volume) = self.volumes.get(index) else {
            return (0, false);
        };
        if let Some(letter) = volume.drive_letter() {
            return (u8::try_from(letter).unwrap_or(0), false);
        }
        if !volume.drive_letter_allowed || self.db.has_no_letter_marker(&volume.unique_id) {
            self.note("no letter: GPT attribute or #{GUID} marker".into());
            return (0, false);
        }
        if !self.no_auto_mount && !volume.removable {
            self.note("no letter: auto-mount is on and arrival already passed this fixed volume over".into());
            return (0, false);
        }
        let (device_name, unique_id, suggested) = (
            volume.device_name.clone(),
            volume.unique_id.clone(),
            volume.suggested_letter,
        );
        match self.assign_free_letter(&device_name, suggested) {
            Some(link) => {
                self.db.set(&link, &unique_id);
                self.note(format!(
                    "link {} → {device_name}; DB: {link} = {}",
                    link.global_key(),
                    super::describe::hex_id(&unique_id)
                ));
                let letter = link.drive_letter().and_then(|c| u8::try_from(c).ok()).unwrap_or(0);
                if let Some(volume) = self.volumes.get_mut(index) {
                    volume.links.push(link.clone());
                }
                self.send_link_created(&link);
                self.bump_epic();
                (letter, true)
            }
            None => {
                let guid = self.guids.next_guid();
                if let Some(marker) = self.db.add_no_letter_marker(&unique_id, guid) {
                    self.note(format!("no free letter; DB: marker {marker} recorded"));
                }
                (0, false)
            }
        }
    }

    /// IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE (ReactOS `MountMgrKeepLinksWhenOffline`): the volume's links survive its removal
    /// ([`Sim::notify_volume_removal`]) and are redirected when its unique ID arrives again.
    pub(crate) fn ioctl_keep_links(&mut self, input: &[u8]) -> Reply {
        let name = match parse_target_name(input) {
            Ok(name) => name,
            Err(status) => return Reply::error(status),
        };
        match self.find_volume_for(&name) {
            Ok(index) => {
                if let Some(volume) = self.volumes.get_mut(index) {
                    volume.keep_links = true;
                }
                Reply::success(0)
            }
            Err(status) => Reply::error(status),
        }
    }

    /// IOCTL_MOUNTMGR_CHANGE_NOTIFY (ReactOS `MountMgrChangeNotify`, §2.14): input or output
    /// shorter than 4 bytes → `STATUS_INVALID_PARAMETER`; an epic number other than the current
    /// one → the current one at once; the current one → the request pends
    /// (`STATUS_PENDING`) until the epic number changes. The simulator's transport is
    /// synchronous, so the caller sees `STATUS_PENDING` and no output, and the waiter is counted
    /// ([`Sim::pending_change_notifications`]); the next change completes it (nobody is left to
    /// receive it).
    pub(crate) fn ioctl_change_notify(&mut self, input: &[u8], out: &mut [u8]) -> Reply {
        let Ok((info, _)) = ChangeNotifyInfo::read_from_prefix(input) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        if out.len() < ChangeNotifyInfo::C_SIZEOF {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        }
        if info.epic_number.get() != self.epic {
            let current = ChangeNotifyInfo {
                epic_number: U32::new(self.epic),
            };
            return write_fixed(out, current.as_bytes());
        }
        self.pending_change_notifies = self.pending_change_notifies.saturating_add(1);
        self.note(format!(
            "epic number {} is current: the request pends until it changes",
            self.epic
        ));
        Reply::new(NtStatus::PENDING, 0)
    }

    /// IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT (ReactOS `MountMgrQueryAutoMount`, §2.15): output shorter than 4 → `STATUS_INVALID_PARAMETER`.
    pub(crate) fn ioctl_query_auto_mount(&mut self, out: &mut [u8]) -> Reply {
        if out.len() < AutoMount::C_SIZEOF {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        }
        let state = if self.no_auto_mount {
            AutoMount::DISABLED
        } else {
            AutoMount::ENABLED
        };
        write_fixed(out, AutoMount { state: U32::new(state) }.as_bytes())
    }

    /// IOCTL_MOUNTMGR_SET_AUTO_MOUNT (ReactOS `MountMgrSetAutoMount`, §2.15): input shorter than 4 → `STATUS_INVALID_PARAMETER`;
    /// a state other than `Disabled` (0) / `Enabled` (1) too (the simulator's choice: the enum has
    /// two values). The setting is persistent (`NoAutoMount`) and survives a reboot.
    pub(crate) fn ioctl_set_auto_mount(&mut self, input: &[u8]) -> Reply {
        let Ok((state, _)) = AutoMount::read_from_prefix(input) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        match state.state.get() {
            AutoMount::DISABLED => self.no_auto_mount = true,
            AutoMount::ENABLED => self.no_auto_mount = false,
            _ => return Reply::error(NtStatus::INVALID_PARAMETER),
        }
        self.note(format!("NoAutoMount = {}", u8::from(self.no_auto_mount)));
        Reply::success(0)
    }

    /// IOCTL_MOUNTMGR_SCRUB_REGISTRY: deletes every database value whose unique ID belongs to no
    /// processed volume (ReactOS `MountMgrScrubRegistry`), markers included.
    pub(crate) fn ioctl_scrub_registry(&mut self) -> Reply {
        let live: alloc::vec::Vec<alloc::vec::Vec<u8>> = self.volumes.iter().map(|v| v.unique_id.clone()).collect();
        let gone = self
            .db
            .remove_where(|_, data| !live.iter().any(|id| id.as_slice() == data));
        for name in &gone {
            self.note(format!("DB: {name} scrubbed"));
        }
        Reply::success(0)
    }

    /// IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS (ReactOS `MountMgrDeviceControl` →
    /// `MountMgrAssignDriveLetters`): switches automatic drive-letter assignment on, as the
    /// system does once at boot (§1.3), and gives every volume already in the list that has no
    /// drive letter one, with the arrival's rules (§4.2 step 7: NoAutoMount, GPT attributes,
    /// `#{GUID}` marker, suggested letter first). ReactOS goes through
    /// `MountMgrNextDriveLetterWorker` here, whose auto-mount test reads inverted (the inversion
    /// `docs/protocol.md` §4.2 step 7 notes for older arrival code); the simulator applies the
    /// arrival's conditions.
    pub(crate) fn ioctl_auto_dl_assignments(&mut self) -> Reply {
        self.automatic_letters = true;
        self.note("automatic drive-letter assignment on".into());
        let mut index = 0;
        while index < self.volumes.len() {
            let without_letter = self.volumes.get(index).filter(|v| v.drive_letter().is_none()).cloned();
            if let Some(mut volume) = without_letter {
                let allowed = volume.drive_letter_allowed;
                self.automatic_letter(&mut volume, allowed);
                if let Some(slot) = self.volumes.get_mut(index) {
                    *slot = volume;
                }
            }
            index = index.saturating_add(1);
        }
        Reply::success(0)
    }
}
