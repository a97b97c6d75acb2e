//! [`MountedVolume`]: one entry of the mount manager's list of volumes it has processed (ReactOS's
//! `DEVICE_INFORMATION`, `protocol.md` §4.2).

use alloc::vec::Vec;

use super::SimName;

/// A volume the mount manager has processed: what it learnt at arrival and the links it keeps
/// for it.
#[derive(Clone, Debug)]
pub struct MountedVolume {
    /// The name the arrival came with (the `TARGET_NAME` of VOLUME_ARRIVAL_NOTIFICATION).
    pub(crate) arrival_name: SimName,
    /// The name the volume reported (QUERY_DEVICE_NAME); links point here.
    pub(crate) device_name: SimName,
    pub(crate) unique_id: Vec<u8>,
    /// The device object this record was made for (see `Namespace`): tells a second
    /// arrival of the same object from a new object that re-uses the name.
    pub(crate) generation: u64,
    /// Links the mount manager created for the volume, in creation order.
    pub(crate) links: Vec<SimName>,
    /// Links of `links` that DELETE_POINTS_DBONLY marked offline (ReactOS
    /// `DeleteSymbolicLinkNameFromMemory` with `DbOnly`).
    pub(crate) offline: Vec<SimName>,
    pub(crate) removable: bool,
    /// False when the GPT attributes carry `NO_DRIVE_LETTER` (§4.2 step 1.1).
    pub(crate) drive_letter_allowed: bool,
    /// The suggested drive letter, when the suggestion was a drive-letter name (§4.3).
    pub(crate) suggested_letter: Option<u8>,
    /// IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE was sent for it.
    pub(crate) keep_links: bool,
    /// IOCTL_VOLUME_ONLINE was sent.
    pub(crate) online: bool,
}

impl MountedVolume {
    /// The device name the volume reported, which its links point to.
    pub fn device_name(&self) -> &SimName {
        &self.device_name
    }

    /// The name the arrival notification carried.
    pub fn arrival_name(&self) -> &SimName {
        &self.arrival_name
    }

    /// The unique ID the volume reported.
    pub fn unique_id(&self) -> &[u8] {
        &self.unique_id
    }

    /// The links the mount manager keeps for the volume, in creation order.
    pub fn links(&self) -> &[SimName] {
        &self.links
    }

    /// The volume's drive letter, if it has one online (ReactOS `HasDriveLetter`).
    pub fn drive_letter(&self) -> Option<char> {
        self.links
            .iter()
            .filter(|link| !self.is_offline(link))
            .find_map(SimName::drive_letter)
    }

    /// Whether DELETE_POINTS_DBONLY marked `link` offline.
    pub fn is_offline(&self, link: &SimName) -> bool {
        self.offline.contains(link)
    }

    /// Marks `link` offline.
    pub(crate) fn mark_offline(&mut self, link: &SimName) {
        if self.links.contains(link) && !self.offline.contains(link) {
            self.offline.push(link.clone());
        }
    }

    /// The volume's `\??\Volume{GUID}` name, if it has one.
    pub fn volume_name(&self) -> Option<&SimName> {
        self.links.iter().find(|link| link.is_volume_name())
    }

    /// Whether the mount manager sent it IOCTL_VOLUME_ONLINE.
    pub fn is_online(&self) -> bool {
        self.online
    }

    /// Whether IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE was sent for it.
    pub fn keeps_links(&self) -> bool {
        self.keep_links
    }

    /// Whether the device has removable media.
    pub fn is_removable(&self) -> bool {
        self.removable
    }

    /// Forgets `link`; whether the volume had it.
    pub(crate) fn forget_link(&mut self, link: &SimName) -> bool {
        let before = self.links.len();
        self.links.retain(|l| l != link);
        self.offline.retain(|l| l != link);
        self.links.len() != before
    }
}
