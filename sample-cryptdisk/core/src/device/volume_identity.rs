//! [`VolumeIdentity`]: what the volume tells the mount manager, taken from the LUKS UUID.

use core::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use mountdev::{DriveLetterLink, Guid, MountdevVolume, NtName, NtNameBuf, SuggestedLink, UniqueId, VolumeGuidName};

use crate::uuid::{UNIQUE_ID_LEN, Uuid};

/// The identity of a mounted volume: device name, unique ID and stable GUID (both from the LUKS
/// UUID, so the same container gets the same `\??\Volume{…}` name and database entries on every
/// mount, and different containers never share them), and the drive letter it suggests.
///
/// It also records what the mount manager reported through `LINK_CREATED` / `LINK_DELETED`
/// (lock-free, since those arrive on the mount manager's thread).
#[derive(Debug)]
pub struct VolumeIdentity {
    device_name: NtNameBuf<48>,
    unique_id: [u8; UNIQUE_ID_LEN],
    guid: Guid,
    suggested: Option<DriveLetterLink>,
    // The letter of the last `\DosDevices\X:` link created for us, 0 when none.
    letter: AtomicU8,
    // Whether the mount manager created the volume GUID name for us.
    volume_name_seen: AtomicBool,
}

impl VolumeIdentity {
    pub(crate) fn new(device_name: NtNameBuf<48>, uuid: &Uuid, suggested: Option<DriveLetterLink>) -> Self {
        Self {
            device_name,
            unique_id: uuid.unique_id(),
            guid: Guid::from_uuid_bytes(*uuid.as_bytes()),
            suggested,
            letter: AtomicU8::new(0),
            volume_name_seen: AtomicBool::new(false),
        }
    }

    /// The stable GUID (the LUKS UUID read as a GUID).
    pub fn guid(&self) -> Guid {
        self.guid
    }

    /// The `\??\Volume{…}` name the mount manager builds from the stable GUID.
    pub fn volume_name(&self) -> VolumeGuidName {
        VolumeGuidName::new(self.guid)
    }

    /// The unique ID bytes (`cryptdisk-luks1:` + the 16 UUID bytes).
    pub fn unique_id_bytes(&self) -> &[u8; UNIQUE_ID_LEN] {
        &self.unique_id
    }

    /// The drive letter the mount manager last reported creating, if any.
    pub fn reported_letter(&self) -> Option<char> {
        match self.letter.load(Ordering::Acquire) {
            0 => None,
            letter => Some(char::from(letter)),
        }
    }

    /// Whether the mount manager reported creating the volume GUID name.
    pub fn volume_name_reported(&self) -> bool {
        self.volume_name_seen.load(Ordering::Acquire)
    }
}

impl MountdevVolume for VolumeIdentity {
    fn device_name(&self) -> NtName<'_> {
        // The name is built non-empty in `DiskDevice::new`.
        self.device_name
            .as_name()
            .unwrap_or(mountdev::nt_name!("\\Device\\CryptDiskVolume"))
    }

    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::from_array(&self.unique_id)
    }

    fn stable_guid(&self) -> Option<Guid> {
        Some(self.guid)
    }

    /// The requested letter as a genuine suggestion (`UseOnlyIfThereAreNoOtherLinks = FALSE`), so
    /// even an arrival that comes before `CREATE_POINT` picks it (`protocol.md` §8 item 6); no
    /// letter requested → `STATUS_NOT_FOUND`, and the mount manager chooses.
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        self.suggested
            .as_ref()
            .map(|link| SuggestedLink::drive_letter(link, false))
    }

    fn link_created(&self, link: NtName<'_>) {
        if let Ok(letter) = DriveLetterLink::parse(link) {
            self.letter
                .store(u8::try_from(letter.letter()).unwrap_or(0), Ordering::Release);
        } else if VolumeGuidName::parse(link).is_ok_and(|name| name.guid() == self.guid) {
            self.volume_name_seen.store(true, Ordering::Release);
        }
    }

    fn link_deleted(&self, link: NtName<'_>) {
        if let Ok(letter) = DriveLetterLink::parse(link) {
            let letter = u8::try_from(letter.letter()).unwrap_or(0);
            let _ = self
                .letter
                .compare_exchange(letter, 0, Ordering::AcqRel, Ordering::Acquire);
        } else if VolumeGuidName::parse(link).is_ok_and(|name| name.guid() == self.guid) {
            self.volume_name_seen.store(false, Ordering::Release);
        }
    }
}
