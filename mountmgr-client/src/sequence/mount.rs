//! Mounting: at a requested drive letter (`protocol.md` §8.6, the order that keeps phantom
//! letters away) or wherever the mount manager puts the volume.

use mountdev::{DriveLetterLink, NtName, NtStatus, UniqueId, VolumeGuidName};

use super::letters::{LetterSet, LinkSummary};
use crate::client::{Client, ClientError, Scratch};
use crate::request::MountPointFilter;
use crate::transport::Transport;

/// What to mount where: the input of [`Client::mount_at_letter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MountRequest<'a> {
    /// The volume's NT device name (the device must exist, be named and have
    /// `DO_DEVICE_INITIALIZING` cleared).
    pub device_name: NtName<'a>,
    /// The drive letter wanted.
    pub letter: DriveLetterLink,
    /// The volume's unique ID (what it answers to `IOCTL_MOUNTDEV_QUERY_UNIQUE_ID`). When given,
    /// drive-letter records left in the database for this ID under other letters are dropped
    /// first. It must have an even length to be used as a filter
    /// ([`crate::RequestError::OddUniqueIdLength`]).
    pub unique_id: Option<UniqueId<'a>>,
}

/// What [`Client::mount_at_letter`] found after the mount manager processed the volume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct MountOutcome<'a> {
    /// Whether the volume got the requested letter, and what to do if not.
    pub letter: LetterOutcome<'a>,
    /// The volume GUID name the mount manager gave the volume, if any.
    pub volume_name: Option<VolumeGuidName>,
    /// Everything `QUERY_POINTS` by device name showed.
    pub links: LinkSummary,
    /// How `CREATE_POINT` completed (`SUCCESS`, or the refusal, e.g. `STATUS_INVALID_PARAMETER`
    /// when the volume was already known with another letter).
    pub create_point_status: NtStatus,
    /// Stale drive-letter records of the unique ID removed from the database before
    /// `CREATE_POINT`.
    pub stale_letters_removed: LetterSet,
}

impl MountOutcome<'_> {
    /// Whether the volume has exactly the requested letter and exactly one volume GUID name,
    /// which is what a correct mount looks like.
    pub fn is_clean(&self) -> bool {
        self.letter == LetterOutcome::Ok && self.links.volume_names == 1
    }
}

/// Whether the volume got the requested letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterOutcome<'a> {
    /// The volume has exactly the requested letter and no other.
    Ok,
    /// The mount manager gave the volume no letter; the caller must act.
    Fallback(Needed<'a>),
    /// The mount manager gave the volume other letters (the phantom-letter situation of
    /// `protocol.md` §4.7), with or without the requested one. Remedy: `DELETE_POINTS` by each
    /// letter in [`LetterOutcome::extra_letters`] (a drive-letter-only filter) and, if the
    /// requested letter is missing, `CREATE_POINT` it again (the volume then has no letter, so the
    /// mount manager accepts it).
    WrongLetter {
        /// The letter asked for.
        requested: DriveLetterLink,
        /// Every letter the volume has now.
        assigned: LetterSet,
    },
}

impl LetterOutcome<'_> {
    /// Letters the volume has but should not.
    pub fn extra_letters(&self) -> LetterSet {
        match self {
            Self::WrongLetter { requested, assigned } => assigned.without(*requested),
            Self::Ok | Self::Fallback(_) => LetterSet::new(),
        }
    }
}

/// What the caller has to do when the mount manager did not give the volume its letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed<'a> {
    /// Create `link` → `target` yourself (`IoCreateSymbolicLink`) and delete it yourself at
    /// unmount: the mount manager refused or ignored the letter but the letter is free.
    CreateLinkYourself {
        /// The drive-letter link to create.
        link: DriveLetterLink,
        /// The volume's device name it must point at.
        target: NtName<'a>,
    },
    /// The letter belongs to something else (`CREATE_POINT` answered
    /// `STATUS_OBJECT_NAME_COLLISION`): choose another letter.
    ChooseAnotherLetter {
        /// The letter that is taken.
        taken: DriveLetterLink,
    },
}

/// What [`Client::mount_without_letter`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct ArrivalOutcome {
    /// The letter the mount manager chose, if any (the first if it chose several).
    pub letter: Option<DriveLetterLink>,
    /// The volume GUID name, if any.
    pub volume_name: Option<VolumeGuidName>,
    /// Everything `QUERY_POINTS` by device name showed.
    pub links: LinkSummary,
}

/// Statuses with which `QUERY_POINTS` by unique ID says "no such volume".
const NOTHING_KNOWN: [NtStatus; 3] = [
    NtStatus::OBJECT_NAME_NOT_FOUND,
    NtStatus::INVALID_PARAMETER,
    NtStatus::NOT_FOUND,
];

impl<T: Transport, S: Scratch> Client<T, S> {
    /// Mounts a volume at a requested drive letter in the order of `protocol.md` §8.6:
    ///
    /// 1. with a unique ID: `QUERY_POINTS` by that ID, then `DELETE_POINTS_DBONLY` on each drive
    ///    letter recorded for it other than the requested one (statuses that mean "ID unknown"
    ///    are not errors);
    /// 2. `CREATE_POINT(\DosDevices\X:, device)` *before* the mount manager knows the volume, so
    ///    the letter is accepted and other letters of the ID are purged (a refusal is recorded in
    ///    [`MountOutcome::create_point_status`], not an error);
    /// 3. `VOLUME_ARRIVAL_NOTIFICATION(device)`;
    /// 4. `QUERY_POINTS` by device name to verify: exactly the requested letter and one volume
    ///    GUID name. Anything else is reported in [`MountOutcome::letter`], with the fallback
    ///    needed.
    ///
    /// The volume should also answer `IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME` with the same
    /// letter and `UseOnlyIfThereAreNoOtherLinks = FALSE`.
    ///
    /// # Threading
    /// Never call this from the thread that services the volume's own IRPs, while holding a lock
    /// the volume's IOCTL path takes, or from inside a `LINK_CREATED` handler: the mount manager
    /// queries the volume synchronously before it answers (see [`crate::sequence`]).
    ///
    /// # Errors
    /// [`ClientError`] naming the step that failed: [`crate::Step::QueryPoints`] or
    /// [`crate::Step::DeletePointsDbOnly`] (stale letters), [`crate::Step::VolumeArrival`] (the arrival was
    /// refused), [`crate::Step::QueryPoints`] (verification), or a request/scratch error of any step.
    pub fn mount_at_letter<'a>(&mut self, request: &MountRequest<'a>) -> Result<MountOutcome<'a>, ClientError> {
        let stale_letters_removed = match request.unique_id {
            Some(id) => self.drop_stale_letters(id, request.letter)?,
            None => LetterSet::new(),
        };
        let create_point_status = match self.create_point(request.letter.as_name(), request.device_name) {
            Ok(()) => NtStatus::SUCCESS,
            Err(ClientError::Refused { status, .. }) => status,
            Err(other) => return Err(other),
        };
        self.volume_arrival(request.device_name)?;
        let links = self.device_links(request.device_name)?;
        let letter = if links.letters == LetterSet::only(request.letter) {
            LetterOutcome::Ok
        } else if !links.letters.is_empty() {
            LetterOutcome::WrongLetter {
                requested: request.letter,
                assigned: links.letters,
            }
        } else if create_point_status == NtStatus::OBJECT_NAME_COLLISION {
            LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: request.letter })
        } else {
            LetterOutcome::Fallback(Needed::CreateLinkYourself {
                link: request.letter,
                target: request.device_name,
            })
        };
        Ok(MountOutcome {
            letter,
            volume_name: links.volume_name,
            links,
            create_point_status,
            stale_letters_removed,
        })
    }

    /// Mounts a volume wherever the mount manager puts it (`protocol.md` §8.6, "without a letter
    /// preference"): `VOLUME_ARRIVAL_NOTIFICATION`, then `QUERY_POINTS` by device name to learn
    /// the letter and volume GUID name it chose.
    ///
    /// # Threading
    /// As [`Client::mount_at_letter`]: never from the volume's own IRP thread, under a lock its
    /// IOCTL path takes, or inside a `LINK_CREATED` handler.
    ///
    /// # Errors
    /// [`ClientError`] with [`crate::Step::VolumeArrival`] or [`crate::Step::QueryPoints`].
    pub fn mount_without_letter(&mut self, device_name: NtName<'_>) -> Result<ArrivalOutcome, ClientError> {
        self.volume_arrival(device_name)?;
        let links = self.device_links(device_name)?;
        Ok(ArrivalOutcome {
            letter: links.letters.iter().next(),
            volume_name: links.volume_name,
            links,
        })
    }

    /// The links of `device_name`, from `QUERY_POINTS` by device name.
    fn device_links(&mut self, device_name: NtName<'_>) -> Result<LinkSummary, ClientError> {
        let points = self.query_points(&MountPointFilter::by_device_name(device_name))?;
        Ok(LinkSummary::of(&points, Some(device_name)))
    }

    /// Removes from the database every drive letter recorded for `id` except `keep`.
    fn drop_stale_letters(&mut self, id: UniqueId<'_>, keep: DriveLetterLink) -> Result<LetterSet, ClientError> {
        let stale = match self.query_points(&MountPointFilter::by_unique_id(id)) {
            Ok(points) => LinkSummary::of(&points, None).letters.without(keep),
            Err(ClientError::Refused { status, .. }) if NOTHING_KNOWN.contains(&status) => LetterSet::new(),
            Err(other) => return Err(other),
        };
        for letter in stale {
            self.delete_points_db_only(&MountPointFilter::by_drive_letter(&letter))?;
        }
        Ok(stale)
    }
}
