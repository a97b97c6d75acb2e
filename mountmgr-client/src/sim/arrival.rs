//! Arrival processing: IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION and
//! IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES (`protocol.md` §4.1, §4.2, §3.3 step 4).

use alloc::format;
use alloc::vec::Vec;

use mountdev::layout::TargetName;
use mountdev::{NtStatus, Reply, VolumeGuidName};

use super::describe::hex_id;
use super::namespace::Opened;
use super::query::Suggestion;
use super::{MountedVolume, Sim, SimName};

/// Parses a `MOUNTMGR_TARGET_NAME` input with the checks ReactOS applies (`MountMgrVolumeArrivalNotification`, §2.8): shorter than
/// `sizeof` (4) or than `2 + DeviceNameLength` → `STATUS_INVALID_PARAMETER`. An odd or zero
/// length, which cannot hold a UTF-16 name, is refused the same way (the simulator's choice).
/// The name keeps any NUL it holds: it is looked up as it is (§4.7).
pub(crate) fn parse_target_name(input: &[u8]) -> Result<SimName, NtStatus> {
    if input.len() < TargetName::C_SIZEOF {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    let target = TargetName::parse(input).map_err(|_| NtStatus::INVALID_PARAMETER)?;
    // The raw units, not `TargetName::device_name()`: that one refuses a NUL, the object manager
    // does not.
    let name = SimName::from_units(&target.device_name);
    if name.is_empty() {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    Ok(name)
}

impl Sim {
    /// IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION (ReactOS `MountMgrVolumeArrivalNotification`): the
    /// non-PnP way into the mount manager (§4.1).
    pub(crate) fn ioctl_volume_arrival(&mut self, input: &[u8]) -> Reply {
        match parse_target_name(input) {
            Ok(name) => {
                self.check_request_name("device name", &name);
                Reply::new(self.volume_arrival(&name), 0)
            }
            Err(status) => Reply::error(status),
        }
    }

    /// IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES (ReactOS `MountMgrCheckUnprocessedVolumes`): every volume on the unprocessed ("dead") list
    /// goes through arrival again; the first failure is the answer (§1.3, §3.3 step 4).
    pub(crate) fn ioctl_check_unprocessed(&mut self) -> Reply {
        let pending = core::mem::take(&mut self.unprocessed);
        if pending.is_empty() {
            self.note("no unprocessed volumes".into());
        }
        let mut status = NtStatus::SUCCESS;
        for name in pending {
            self.note(format!("retrying arrival of {name}"));
            let result = self.volume_arrival(&name);
            if status == NtStatus::SUCCESS {
                status = result;
            }
        }
        Reply::new(status, 0)
    }

    /// Arrival processing of the volume named `arrival_name`, step by step as `protocol.md` §4.2
    /// describes it (ReactOS `MountMgrMountedDeviceArrival`). Returns the completion status.
    pub(crate) fn volume_arrival(&mut self, arrival_name: &SimName) -> NtStatus {
        // §3.3 step 1: open the device; the name must resolve exactly and the device must not be
        // DO_DEVICE_INITIALIZING.
        let opened = match self.namespace.open(arrival_name) {
            Ok(opened) => opened,
            Err(status) => return self.abandon(arrival_name, status),
        };
        // §4.2 step 1.1 (ReactOS `QueryDeviceInformation`, Errata 3): the partition information,
        // non-removable media only; an EFI system partition or GPT bit 63 means "no automatic
        // drive letter". Failure is ignored.
        let drive_letter_allowed = if opened.removable || !self.partition_forbids_letter(&opened) {
            true
        } else {
            self.note("GPT: EFI system partition or NO_DRIVE_LETTER attribute: no automatic drive letter".into());
            false
        };
        // §4.2 steps 1.3 and 1.4: device name and unique ID, probed; failure aborts (§3.3 step 4).
        let device_name = match self.query_device_name(&opened) {
            Ok(name) => name,
            Err(status) => return self.abandon(arrival_name, status),
        };
        let unique_id = match self.query_unique_id(&opened) {
            Ok(id) => id,
            Err(status) => return self.abandon(arrival_name, status),
        };
        // SimMode::Windows: VeraCrypt `Ntdriver.c` `MountManagerUnmount` records that after a
        // DELETE_POINTS with any filter other than a symbolic link the mount manager ignores later
        // VOLUME_ARRIVAL_NOTIFICATIONs for the same volume ID (`docs/protocol.md` Errata 5).
        if self.ignored_ids.contains(&unique_id) {
            self.note(format!(
                "unique ID {} was deleted by a filter other than a symbolic link: arrival ignored (Windows, \
                 VeraCrypt MountManagerUnmount)",
                hex_id(&unique_id)
            ));
            self.unprocessed.retain(|n| n != arrival_name);
            return NtStatus::SUCCESS;
        }
        // §4.2 step 1.5 and step 2: stable GUID and suggested link; failures are tolerated.
        let stable_guid = self.query_stable_guid(&opened);
        let suggestion = self.query_suggested_link(&opened);

        // §4.2 step 3: a device already in the list.
        if let Some(index) = self.volume_index(&device_name) {
            if !self.is_stale(index, &opened) {
                let same_object = self
                    .volumes
                    .get(index)
                    .is_some_and(|v| v.generation == opened.generation);
                self.note(format!(
                    "{device_name} is already in the volume list: arrival ignored{}",
                    if same_object {
                        ""
                    } else {
                        " (ReactOS duplicate-name rule, §4.2 step 3)"
                    }
                ));
                self.unprocessed.retain(|n| n != arrival_name);
                return NtStatus::SUCCESS;
            }
            // The entry belongs to a deleted device object whose name was re-used: process its
            // removal first (what VeraCrypt's name re-use on Windows implies; see SimConfig).
            self.note(format!(
                "{device_name}: entry of a deleted device object with this name; removing it first"
            ));
            self.remove_volume_entry(index);
        }
        self.unprocessed.retain(|n| n != arrival_name);
        let (volume, letter_from_database) = self.process_new_volume(
            &opened,
            arrival_name,
            device_name,
            unique_id,
            stable_guid,
            suggestion,
            drive_letter_allowed,
        );
        self.finish_arrival(&opened, volume, letter_from_database);
        NtStatus::SUCCESS
    }

    /// Steps 4 to 8: links from the database, the volume GUID name, the automatic letter. Also
    /// returns whether a drive letter came from the database (ReactOS's `IsDrvLetter` in
    /// `MountMgrMountedDeviceArrival`, which decides VOLUME_ONLINE).
    #[expect(clippy::too_many_arguments, reason = "the facts gathered in §4.2 steps 1-2")]
    fn process_new_volume(
        &mut self,
        opened: &Opened,
        arrival_name: &SimName,
        device_name: SimName,
        unique_id: Vec<u8>,
        stable_guid: Option<mountdev::Guid>,
        suggestion: Option<Suggestion>,
        drive_letter_allowed: bool,
    ) -> (MountedVolume, bool) {
        // §4.2 step 4: every database value holding this unique ID belongs to the volume.
        let mut recorded: Vec<SimName> = self
            .db
            .names_for(&unique_id)
            .into_iter()
            .filter(|name| !super::Database::is_marker(name))
            .collect();
        let had_links = !recorded.is_empty();
        // A suggestion that is not a drive letter, with UseOnlyIfThereAreNoOtherLinks, is recorded
        // and used when the database knows nothing of the unique ID.
        let first_seen_link = suggestion
            .as_ref()
            .filter(|s| !had_links && s.only_if_no_other_links && s.name.drive_letter().is_none());
        if let Some(s) = first_seen_link {
            self.note(format!(
                "DB: suggested link {} recorded (first arrival of this unique ID)",
                s.name
            ));
            self.db.set(&s.name, &unique_id);
            recorded.push(s.name.clone());
        }
        // §4.3: SimMode::Windows follows MSDN (`ioctl_mountdev_query_suggested_link_name`):
        // UseOnlyIfThereAreNoOtherLinks = TRUE makes the suggestion count only when the database has
        // no link at all for the unique ID. SimMode::Reactos follows `MountMgrMountedDeviceArrival`,
        // which keeps a drive-letter suggestion as `SuggestedDriveLetter` whatever the flag.
        let msdn = self.config.mode == super::SimMode::Windows;
        let suggested_letter = suggestion.as_ref().and_then(|s| {
            let letter = s.name.drive_letter()?;
            if msdn && s.only_if_no_other_links && had_links {
                None
            } else {
                u8::try_from(letter).ok()
            }
        });
        let mut volume = MountedVolume {
            arrival_name: arrival_name.clone(),
            device_name: device_name.clone(),
            unique_id: unique_id.clone(),
            generation: opened.generation,
            links: Vec::new(),
            offline: Vec::new(),
            removable: opened.removable,
            drive_letter_allowed,
            suggested_letter,
            keep_links: false,
            online: false,
        };
        // §4.2 step 5: recreate the recorded links; only the first drive letter is kept.
        let mut has_letter = false;
        let mut has_volume_name = false;
        for link in recorded {
            let is_letter = link.drive_letter().is_some();
            if link.is_volume_name() {
                has_volume_name = true;
            } else if is_letter {
                if has_letter {
                    self.note(format!(
                        "DB: {link} deleted: a second recorded drive letter (one letter per volume)"
                    ));
                    self.db.remove(&link);
                    continue;
                }
                has_letter = true;
            }
            if self.recreate_link(&link, &device_name, &unique_id) {
                volume.links.push(link);
            } else if is_letter {
                has_letter = false;
                self.note(format!("{link} belongs to another device now; DB: {link} deleted"));
                self.db.remove(&link);
            }
        }
        for link in volume.links.clone() {
            self.send_link_created(&link);
        }
        // §4.2 step 6: a volume GUID name, from the stable GUID when the volume gave one.
        if !has_volume_name {
            let guid = match stable_guid {
                Some(guid) => guid,
                None => self.guids.next_guid(),
            };
            let name = SimName::from_nt(VolumeGuidName::new(guid).as_name());
            self.db.set(&name, &unique_id);
            if self.namespace.create_link(&name, &device_name).is_ok() {
                self.note(format!(
                    "volume name ({}): link {} → {device_name}; DB: {name} = {}",
                    if stable_guid.is_some() {
                        "stable GUID"
                    } else {
                        "generated GUID"
                    },
                    name.global_key(),
                    hex_id(&unique_id)
                ));
                volume.links.push(name.clone());
                self.send_link_created(&name);
            } else {
                self.note(format!("link {} exists already: not created", name.global_key()));
            }
        }
        // §4.2 step 7: the automatic drive letter.
        if !has_letter {
            self.automatic_letter(&mut volume, drive_letter_allowed);
        }
        (volume, has_letter)
    }

    /// Recreates a recorded link (§4.2 step 5). Whether the volume keeps it: a link that exists
    /// already is kept when it leads to this device or was saved for this unique ID
    /// (KEEP_LINKS_WHEN_OFFLINE, redirected), and dropped when another device owns it.
    fn recreate_link(&mut self, link: &SimName, device_name: &SimName, unique_id: &[u8]) -> bool {
        if self.namespace.create_link(link, device_name).is_ok() {
            self.note(format!(
                "link {} → {device_name} (from the database)",
                link.global_key()
            ));
            return true;
        }
        if let Some(position) = self
            .saved_links
            .iter()
            .position(|s| s.link == *link && s.unique_id == unique_id)
        {
            self.saved_links.remove(position);
            self.namespace.delete_link(link);
            let _ = self.namespace.create_link(link, device_name);
            self.note(format!("saved link {} redirected to {device_name}", link.global_key()));
            return true;
        }
        if self.namespace.link_target(link) == Some(device_name) {
            self.note(format!(
                "link {} already leads to {device_name}: kept",
                link.global_key()
            ));
            return true;
        }
        false
    }

    /// §4.2 step 7: an automatic letter when the volume has none, auto-mount allows it (or the
    /// medium is removable), automatic assignment is on, the GPT attributes (or a drive-letter
    /// suggestion) allow it, and no `#{GUID}` marker says "no letter". Suggested letter first,
    /// then the first free letter from C:.
    pub(crate) fn automatic_letter(&mut self, volume: &mut MountedVolume, drive_letter_allowed: bool) {
        let reason = if self.no_auto_mount && !volume.removable {
            Some("NoAutoMount is set")
        } else if !self.automatic_letters {
            Some("automatic drive-letter assignment is off")
        } else if !drive_letter_allowed && volume.suggested_letter.is_none() {
            Some("the GPT attributes forbid it")
        } else if self.db.has_no_letter_marker(&volume.unique_id) {
            Some("a #{GUID} \"no drive letter\" marker holds its unique ID")
        } else {
            None
        };
        if let Some(reason) = reason {
            self.note(format!("no automatic drive letter: {reason}"));
            return;
        }
        match self.assign_free_letter(&volume.device_name, volume.suggested_letter) {
            Some(link) => {
                self.db.set(&link, &volume.unique_id);
                self.note(format!(
                    "automatic drive letter: link {} → {}; DB: {} = {}",
                    link.global_key(),
                    volume.device_name,
                    link,
                    hex_id(&volume.unique_id)
                ));
                volume.links.push(link.clone());
                self.send_link_created(&link);
            }
            None => {
                let guid = self.guids.next_guid();
                if let Some(marker) = self.db.add_no_letter_marker(&volume.unique_id, guid) {
                    self.note(format!("no free drive letter; DB: marker {marker} recorded"));
                }
            }
        }
    }

    /// Creates `\DosDevices\X:` → `device_name` for the suggested letter if it is free, else the
    /// first free letter from C: (A: and B: are the floppies', §4.2 step 7). The link made.
    pub(crate) fn assign_free_letter(&mut self, device_name: &SimName, suggested: Option<u8>) -> Option<SimName> {
        let candidates = suggested.into_iter().chain(b'C'..=b'Z');
        for letter in candidates {
            let link = SimName::from_nt(mountdev::DriveLetterLink::new(letter)?.as_name());
            if self.namespace.create_link(&link, device_name).is_ok() {
                return Some(link);
            }
        }
        None
    }

    /// Step 9: the entry joins the list, VOLUME_ONLINE, UNIQUE_ID_CHANGE_NOTIFY. No epic number
    /// change: ReactOS's `MountMgrMountedDeviceArrival` never calls `MountMgrNotify`
    /// (`docs/protocol.md` Errata 4).
    fn finish_arrival(&mut self, opened: &Opened, mut volume: MountedVolume, letter_from_database: bool) {
        // ReactOS `MountMgrMountedDeviceArrival`: online now unless NoAutoMount is set and no drive
        // letter came from the database (`IsDrvLetter`; an automatic letter does not count);
        // CREATE_POINT of a letter sends it later.
        if !self.no_auto_mount || letter_from_database {
            self.send_volume_online(opened);
            volume.online = true;
        } else {
            self.note("VOLUME_ONLINE deferred: NoAutoMount and no drive letter".into());
        }
        let unique_id = volume.unique_id.clone();
        self.volumes.push(volume);
        if let Some(new_id) = self.post_unique_id_change_notify(opened, &unique_id) {
            self.change_unique_id(&unique_id, &new_id);
        }
    }

    /// The volume reported a new unique ID: every database value and entry moves to it.
    fn change_unique_id(&mut self, old: &[u8], new: &[u8]) {
        for name in self.db.names_for(old) {
            self.db.set(&name, new);
        }
        for volume in self.volumes.iter_mut().filter(|v| v.unique_id == old) {
            volume.unique_id = new.to_vec();
        }
        self.note(format!(
            "unique ID changed from {} to {}: database updated",
            hex_id(old),
            hex_id(new)
        ));
    }

    /// §3.3 step 4: the arrival failed; the volume goes on the unprocessed list.
    fn abandon(&mut self, arrival_name: &SimName, status: NtStatus) -> NtStatus {
        if !self.unprocessed.contains(arrival_name) {
            self.unprocessed.push(arrival_name.clone());
        }
        self.note(format!(
            "arrival of {arrival_name} abandoned ({}): on the unprocessed list",
            super::describe::status_text(status)
        ));
        status
    }
}
