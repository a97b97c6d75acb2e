//! The fixed-size outputs: [`DriveLetterInfo`] (`NEXT_DRIVE_LETTER`), [`AutoMountState`]
//! (`QUERY_AUTO_MOUNT`) and the epic number of `CHANGE_NOTIFY`.

use mountdev::DriveLetterLink;
use mountdev::layout::{AutoMount, ChangeNotifyInfo, DriveLetterInformation};
use zerocopy::FromBytes;

use super::ReplyError;

/// A parsed `MOUNTMGR_DRIVE_LETTER_INFORMATION` (`protocol.md` §2.12).
///
/// ```
/// use mountmgr_client::DriveLetterInfo;
/// let info = DriveLetterInfo::parse(&[1, b'E']).unwrap();
/// assert!(info.was_assigned);
/// assert_eq!(info.current.unwrap().letter(), 'E');
/// assert_eq!(DriveLetterInfo::parse(&[0, 0]).unwrap().current, None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_DRIVE_LETTER_INFORMATION")]
pub struct DriveLetterInfo {
    /// `DriveLetterWasAssigned`: the request gave the volume a letter.
    pub was_assigned: bool,
    /// `CurrentDriveLetter`; `None` when the field is 0.
    pub current: Option<DriveLetterLink>,
}

impl DriveLetterInfo {
    /// Parses the 2 bytes `NEXT_DRIVE_LETTER` returned.
    ///
    /// # Errors
    /// [`ReplyError::Short`], or [`ReplyError::Field`] for a `CurrentDriveLetter` that is neither
    /// 0 nor an uppercase ASCII letter.
    pub fn parse(returned: &[u8]) -> Result<Self, ReplyError> {
        let (info, _) = DriveLetterInformation::read_from_prefix(returned).map_err(|_| ReplyError::Short {
            needed: DriveLetterInformation::C_SIZEOF,
            available: returned.len(),
        })?;
        let current = match info.current_drive_letter {
            0 => None,
            letter => Some(DriveLetterLink::new(letter).ok_or(ReplyError::Field {
                field: "CurrentDriveLetter",
                value: letter.into(),
            })?),
        };
        Ok(Self {
            was_assigned: info.drive_letter_was_assigned != 0,
            current,
        })
    }
}

/// `MOUNTMGR_AUTO_MOUNT_STATE` (`protocol.md` §2.15).
///
/// ```
/// use mountmgr_client::AutoMountState;
/// assert_eq!(AutoMountState::parse(&[1, 0, 0, 0]).unwrap(), AutoMountState::Enabled);
/// assert!(AutoMountState::parse(&[2, 0, 0, 0]).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "MOUNTMGR_AUTO_MOUNT_STATE")]
pub enum AutoMountState {
    /// `Disabled` (0): new volumes get no automatic drive letter.
    Disabled,
    /// `Enabled` (1).
    Enabled,
}

impl AutoMountState {
    /// The wire value.
    pub const fn to_wire(self) -> u32 {
        match self {
            Self::Disabled => AutoMount::DISABLED,
            Self::Enabled => AutoMount::ENABLED,
        }
    }

    /// From the wire value.
    ///
    /// # Errors
    /// [`ReplyError::Field`] for a value other than 0 or 1.
    pub fn from_wire(value: u32) -> Result<Self, ReplyError> {
        match value {
            AutoMount::DISABLED => Ok(Self::Disabled),
            AutoMount::ENABLED => Ok(Self::Enabled),
            other => Err(ReplyError::Field {
                field: "CurrentState",
                value: other.into(),
            }),
        }
    }

    /// Parses the 4 bytes `QUERY_AUTO_MOUNT` returned (`MOUNTMGR_QUERY_AUTO_MOUNT`).
    ///
    /// # Errors
    /// [`ReplyError::Short`] or [`ReplyError::Field`].
    pub fn parse(returned: &[u8]) -> Result<Self, ReplyError> {
        let (state, _) = AutoMount::read_from_prefix(returned).map_err(|_| ReplyError::Short {
            needed: AutoMount::C_SIZEOF,
            available: returned.len(),
        })?;
        Self::from_wire(state.state.get())
    }
}

/// Parses the `MOUNTMGR_CHANGE_NOTIFY_INFO` a completed `CHANGE_NOTIFY` returned: the mount
/// manager's current epic number.
///
/// ```
/// assert_eq!(mountmgr_client::reply::parse_epic_number(&[9, 0, 0, 0]), Ok(9));
/// ```
///
/// # Errors
/// [`ReplyError::Short`].
pub fn parse_epic_number(returned: &[u8]) -> Result<u32, ReplyError> {
    ChangeNotifyInfo::read_from_prefix(returned)
        .map(|(info, _)| info.epic_number.get())
        .map_err(|_| ReplyError::Short {
            needed: ChangeNotifyInfo::C_SIZEOF,
            available: returned.len(),
        })
}
