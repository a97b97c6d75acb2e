//! Mounting: at a requested drive letter (`protocol.md` §8.6, the order that keeps phantom
//! letters away) or wherever the mount manager puts the volume.

use mountdev::{DriveLetterLink, NtName, NtStatus, VolumeGuidName};

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
    /// How the first `CREATE_POINT` completed (`SUCCESS`, or the refusal: e.g.
    /// `STATUS_INVALID_PARAMETER` when the mount manager still knew the volume with a letter,
    /// `STATUS_OBJECT_NAME_COLLISION` when the letter belongs to something else).
    pub create_point_status: NtStatus,
    /// Whether `VOLUME_ARRIVAL_NOTIFICATION` was sent. It is not when the letter is taken: the
    /// sequence stops before the arrival, so the mount manager assigns no letter the caller did
    /// not ask for.
    pub arrival_sent: bool,
    /// Drive letters the volume had after the arrival that the caller did not ask for (a letter
    /// the mount manager still kept for the volume from an earlier mount, or one it assigned on
    /// its own), deleted by the sequence by their links.
    pub extra_letters_removed: LetterSet,
}

impl MountOutcome<'_> {
    /// Whether the volume has exactly the requested letter and exactly one volume GUID name,
    /// which is what a correct mount looks like. A mount with the letter but no volume GUID name
    /// means the mount manager ignored the arrival (on Windows: the volume's unique ID was
    /// unmounted earlier with a `DELETE_POINTS` filter other than a drive letter, see
    /// [`crate::sequence::UnmountBy`]).
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
    /// The volume still has other letters after the sequence's own repair (deleting each extra
    /// letter by its link, then `CREATE_POINT` of the requested one), with or without the
    /// requested one: the phantom-letter situation of `protocol.md` §4.7 that the repair could not
    /// undo.
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
    /// `STATUS_OBJECT_NAME_COLLISION`): choose another letter. When the first `CREATE_POINT`
    /// answered this, the arrival was not sent ([`MountOutcome::arrival_sent`]); mount again
    /// with another letter.
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

impl<T: Transport, S: Scratch> Client<T, S> {
    /// Mounts a volume at a requested drive letter in the order of `protocol.md` §8.6:
    ///
    /// 1. `CREATE_POINT(\DosDevices\X:, device)` *before* the arrival, so a mount manager that
    ///    does not know the volume yet accepts the letter and drops other letters recorded for
    ///    its unique ID (MSDN `ioctl_mountmgr_create_point`). `STATUS_OBJECT_NAME_COLLISION` (the
    ///    letter belongs to something else) **stops the sequence before the arrival** and is
    ///    reported as [`Needed::ChooseAnotherLetter`]: an arrival would make the mount manager
    ///    assign a letter of its own. Any other refusal is recorded in
    ///    [`MountOutcome::create_point_status`] and the sequence goes on (e.g.
    ///    `STATUS_INVALID_PARAMETER`: the mount manager still holds the volume with a letter,
    ///    after a crash or on ReactOS, which never forgets a non-PnP volume);
    /// 2. `VOLUME_ARRIVAL_NOTIFICATION(device)`;
    /// 3. `QUERY_POINTS` by device name;
    /// 4. when the volume has letters other than the requested one: `DELETE_POINTS` by each of
    ///    those letters (a symbolic-link filter, the only one after which Windows still processes
    ///    the volume's later arrivals), then `CREATE_POINT` of the requested letter if it is
    ///    missing, and `QUERY_POINTS` again.
    ///
    /// The result is reported in [`MountOutcome::letter`], with the fallback needed when the
    /// volume did not get its letter. The volume should also answer
    /// `IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME` with the same letter and
    /// `UseOnlyIfThereAreNoOtherLinks = FALSE`.
    ///
    /// # Threading
    /// Never call this from the thread that services the volume's own IRPs, while holding a lock
    /// the volume's IOCTL path takes, or from inside a `LINK_CREATED` handler: the mount manager
    /// queries the volume synchronously before it answers (see [`crate::sequence`]).
    ///
    /// # Errors
    /// [`ClientError`] naming the step that failed: [`crate::Step::VolumeArrival`] (the arrival
    /// was refused), [`crate::Step::QueryPoints`] (verification), [`crate::Step::DeletePoints`]
    /// (repair), or a request/scratch error of any step.
    pub fn mount_at_letter<'a>(&mut self, request: &MountRequest<'a>) -> Result<MountOutcome<'a>, ClientError> {
        let create_point_status = self.try_create_point(request)?;
        if create_point_status == NtStatus::OBJECT_NAME_COLLISION {
            return Ok(MountOutcome {
                letter: LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: request.letter }),
                volume_name: None,
                links: LinkSummary::default(),
                create_point_status,
                arrival_sent: false,
                extra_letters_removed: LetterSet::new(),
            });
        }
        self.volume_arrival(request.device_name)?;
        let mut links = self.device_links(request.device_name)?;
        let extra_letters_removed = links.letters.without(request.letter);
        let mut repair_status = NtStatus::SUCCESS;
        if links.letters != LetterSet::only(request.letter) {
            for extra in extra_letters_removed {
                let _deleted = self.delete_points(&MountPointFilter::by_drive_letter(&extra))?;
            }
            if !links.letters.contains(request.letter) {
                repair_status = self.try_create_point(request)?;
            }
            links = self.device_links(request.device_name)?;
        }
        let letter = if links.letters == LetterSet::only(request.letter) {
            LetterOutcome::Ok
        } else if !links.letters.is_empty() {
            LetterOutcome::WrongLetter {
                requested: request.letter,
                assigned: links.letters,
            }
        } else if repair_status == NtStatus::OBJECT_NAME_COLLISION {
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
            arrival_sent: true,
            extra_letters_removed,
        })
    }

    /// `CREATE_POINT` of the requested letter: `SUCCESS` or the mount manager's refusal.
    fn try_create_point(&mut self, request: &MountRequest<'_>) -> Result<NtStatus, ClientError> {
        match self.create_point(request.letter.as_name(), request.device_name) {
            Ok(()) => Ok(NtStatus::SUCCESS),
            Err(ClientError::Refused { status, .. }) => Ok(status),
            Err(other) => Err(other),
        }
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
    pub(super) fn device_links(&mut self, device_name: NtName<'_>) -> Result<LinkSummary, ClientError> {
        let points = self.query_points(&MountPointFilter::by_device_name(device_name))?;
        Ok(LinkSummary::of(&points, Some(device_name)))
    }
}
