//! The volume side of the MOUNTDEV protocol: the [`MountdevVolume`] trait a driver implements and
//! [`handle_mountdev`], which answers every `IOCTL_MOUNTDEV_*` request from it.

mod handler;
mod unique_id;

pub use handler::{handle_mountdev, try_handle_mountdev, write_unique_id_change};
pub use unique_id::{UniqueId, UniqueIdError};

use crate::name::{DriveLetterLink, Guid, NtName, VolumeGuidName};

/// A link the volume suggests to the mount manager at arrival
/// (`IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME`, `protocol.md` §2.5, §4.3): a drive letter or a
/// volume GUID name, nothing else.
///
/// The mount manager takes a suggestion as a drive letter only when it is exactly
/// `\DosDevices\X:` with an uppercase letter (ReactOS `IsDriveLetter`, MSDN
/// `ioctl_mountdev_query_suggested_link_name`); any other name (`\DosDevices\q:`, a counted
/// terminator) is recorded as a plain link and, with `UseOnlyIfThereAreNoOtherLinks`, gives the
/// volume a second "letter" nobody asked for. Built from a [`DriveLetterLink`] or a
/// [`VolumeGuidName`], such a name cannot be expressed.
///
/// ```
/// use mountdev::{DriveLetterLink, SuggestedLink};
/// let z = DriveLetterLink::new(b'Z').unwrap();
/// let suggested = SuggestedLink::drive_letter(&z, false);
/// assert_eq!(suggested.name().to_string(), "\\DosDevices\\Z:");
/// assert!(DriveLetterLink::new(b'q').is_none(), "lowercase letters are not representable");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuggestedLink<'a> {
    /// The suggested link.
    pub link: SuggestedName<'a>,
    /// `UseOnlyIfThereAreNoOtherLinks`: use the name only when the database has no link at all
    /// for this unique ID. `false` makes it a genuine first choice for the automatic letter.
    pub use_only_if_there_are_no_other_links: bool,
}

/// The two shapes a [`SuggestedLink`] can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestedName<'a> {
    /// `\DosDevices\X:`, uppercase, 28 bytes: the only shape the mount manager takes as a letter.
    DriveLetter(&'a DriveLetterLink),
    /// `\??\Volume{GUID}`.
    VolumeName(&'a VolumeGuidName),
}

impl<'a> SuggestedLink<'a> {
    /// Suggests drive letter `letter`.
    pub const fn drive_letter(letter: &'a DriveLetterLink, use_only_if_there_are_no_other_links: bool) -> Self {
        Self {
            link: SuggestedName::DriveLetter(letter),
            use_only_if_there_are_no_other_links,
        }
    }

    /// Suggests volume GUID name `name`.
    pub const fn volume_name(name: &'a VolumeGuidName, use_only_if_there_are_no_other_links: bool) -> Self {
        Self {
            link: SuggestedName::VolumeName(name),
            use_only_if_there_are_no_other_links,
        }
    }

    /// The suggested name as the wire carries it.
    pub fn name(&self) -> NtName<'a> {
        match self.link {
            SuggestedName::DriveLetter(letter) => letter.as_name(),
            SuggestedName::VolumeName(name) => name.as_name(),
        }
    }
}

/// What a volume driver tells the mount manager about its volume.
///
/// Every method takes `&self`: the mount manager queries a volume from its own threads while the
/// volume serves I/O, so implementations keep any mutable state behind their own
/// synchronisation. None of these may block on the volume's I/O queue (`protocol.md` §8.8).
///
/// ```
/// use mountdev::{MountdevVolume, NtName, UniqueId, nt_name};
/// struct Vol;
/// impl MountdevVolume for Vol {
///     fn device_name(&self) -> NtName<'_> { nt_name!("\\Device\\XtsVolume1") }
///     fn unique_id(&self) -> UniqueId<'_> { UniqueId::new(b"xts-volume-1").unwrap() }
/// }
/// ```
pub trait MountdevVolume {
    /// The NT device name (`\Device\…`), answered to `QUERY_DEVICE_NAME`; at most
    /// [`crate::MAX_DEVICE_NAME_BYTES`] bytes, or the mount manager cannot read it back.
    fn device_name(&self) -> NtName<'_>;

    /// The persistent unique ID the mount manager keys its database with: the same bytes on every
    /// mount of the same volume, different for different volumes (`protocol.md` §4.5).
    fn unique_id(&self) -> UniqueId<'_>;

    /// A stable GUID; when given, the volume GUID name is `\??\Volume{<it>}` on every mount.
    fn stable_guid(&self) -> Option<Guid> {
        None
    }

    /// A suggested link; `None` answers `STATUS_NOT_FOUND`, which lets the mount manager choose.
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        None
    }

    /// The mount manager created `link` for this volume (both `LINK_CREATED` codes arrive here).
    /// Must not call back into the mount manager (defer such work, `protocol.md` §8.8).
    fn link_created(&self, link: NtName<'_>) {
        let _ = link;
    }

    /// The mount manager deleted `link` (both `LINK_DELETED` codes arrive here).
    fn link_deleted(&self, link: NtName<'_>) {
        let _ = link;
    }

    /// Opt in to `IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY`. When `true`, a notification whose input
    /// matches the current ID answers [`crate::Reply::pending`]: the driver must then queue the
    /// IRP, complete it with [`write_unique_id_change`] when the ID changes, and cancel it before
    /// the device goes away. When `false` (the default) the request fails at once with
    /// `STATUS_INVALID_DEVICE_REQUEST`, never with success and garbage (`protocol.md` §1.2).
    fn supports_unique_id_change_notify(&self) -> bool {
        false
    }
}
