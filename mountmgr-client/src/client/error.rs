//! [`Step`] and [`ClientError`]: which request failed, and how.

use core::fmt;

use mountdev::NtStatus;
use mountdev::ioctl::{
    IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE, IOCTL_MOUNTMGR_CHANGE_NOTIFY, IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES,
    IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY,
    IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE, IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE,
    IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH, IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS,
    IOCTL_MOUNTMGR_QUERY_POINTS, IOCTL_MOUNTMGR_SCRUB_REGISTRY, IOCTL_MOUNTMGR_SET_AUTO_MOUNT,
    IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
};

use crate::reply::ReplyError;
use crate::request::RequestError;

/// A request the client sends, one per `IOCTL_MOUNTMGR_*` code it uses. Errors name the step so a
/// log line says which request of a sequence failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step {
    /// `IOCTL_MOUNTMGR_CREATE_POINT`.
    CreatePoint,
    /// `IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION`.
    VolumeArrival,
    /// `IOCTL_MOUNTMGR_QUERY_POINTS`.
    QueryPoints,
    /// `IOCTL_MOUNTMGR_DELETE_POINTS`.
    DeletePoints,
    /// `IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY`.
    DeletePointsDbOnly,
    /// `IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER`.
    NextDriveLetter,
    /// `IOCTL_MOUNTMGR_CHANGE_NOTIFY`.
    ChangeNotify,
    /// `IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE`.
    KeepLinksWhenOffline,
    /// `IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES`.
    CheckUnprocessedVolumes,
    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH`.
    QueryDosVolumePath,
    /// `IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS`.
    QueryDosVolumePaths,
    /// `IOCTL_MOUNTMGR_SCRUB_REGISTRY`.
    ScrubRegistry,
    /// `IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT`.
    QueryAutoMount,
    /// `IOCTL_MOUNTMGR_SET_AUTO_MOUNT`.
    SetAutoMount,
    /// `IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE`.
    PrepareVolumeDelete,
    /// `IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE`.
    CancelVolumeDelete,
}

impl Step {
    /// The IOCTL code this step sends.
    pub const fn code(self) -> u32 {
        match self {
            Self::CreatePoint => IOCTL_MOUNTMGR_CREATE_POINT,
            Self::VolumeArrival => IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            Self::QueryPoints => IOCTL_MOUNTMGR_QUERY_POINTS,
            Self::DeletePoints => IOCTL_MOUNTMGR_DELETE_POINTS,
            Self::DeletePointsDbOnly => IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY,
            Self::NextDriveLetter => IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER,
            Self::ChangeNotify => IOCTL_MOUNTMGR_CHANGE_NOTIFY,
            Self::KeepLinksWhenOffline => IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE,
            Self::CheckUnprocessedVolumes => IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES,
            Self::QueryDosVolumePath => IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH,
            Self::QueryDosVolumePaths => IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS,
            Self::ScrubRegistry => IOCTL_MOUNTMGR_SCRUB_REGISTRY,
            Self::QueryAutoMount => IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT,
            Self::SetAutoMount => IOCTL_MOUNTMGR_SET_AUTO_MOUNT,
            Self::PrepareVolumeDelete => IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE,
            Self::CancelVolumeDelete => IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE,
        }
    }

    /// The C name of the IOCTL.
    pub const fn name(self) -> &'static str {
        match self {
            Self::CreatePoint => "IOCTL_MOUNTMGR_CREATE_POINT",
            Self::VolumeArrival => "IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION",
            Self::QueryPoints => "IOCTL_MOUNTMGR_QUERY_POINTS",
            Self::DeletePoints => "IOCTL_MOUNTMGR_DELETE_POINTS",
            Self::DeletePointsDbOnly => "IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY",
            Self::NextDriveLetter => "IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER",
            Self::ChangeNotify => "IOCTL_MOUNTMGR_CHANGE_NOTIFY",
            Self::KeepLinksWhenOffline => "IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE",
            Self::CheckUnprocessedVolumes => "IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES",
            Self::QueryDosVolumePath => "IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH",
            Self::QueryDosVolumePaths => "IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS",
            Self::ScrubRegistry => "IOCTL_MOUNTMGR_SCRUB_REGISTRY",
            Self::QueryAutoMount => "IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT",
            Self::SetAutoMount => "IOCTL_MOUNTMGR_SET_AUTO_MOUNT",
            Self::PrepareVolumeDelete => "IOCTL_MOUNTMGR_PREPARE_VOLUME_DELETE",
            Self::CancelVolumeDelete => "IOCTL_MOUNTMGR_CANCEL_VOLUME_DELETE",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a client request failed. Every variant names the [`Step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// The mount manager (or the transport) completed the request with this status: an error,
    /// a warning other than a handled `STATUS_BUFFER_OVERFLOW`, or `STATUS_PENDING`.
    Refused {
        /// The request.
        step: Step,
        /// The `NTSTATUS`.
        status: NtStatus,
    },
    /// The input could not be built.
    Request {
        /// The request.
        step: Step,
        /// Why.
        error: RequestError,
    },
    /// The mount manager's reply is malformed.
    Reply {
        /// The request.
        step: Step,
        /// Why.
        error: ReplyError,
    },
    /// The caller's fixed scratch buffer cannot hold the input plus the output the mount manager
    /// asked for. Nothing was changed by a `DELETE_POINTS` that ended this way.
    ScratchTooSmall {
        /// The request.
        step: Step,
        /// Scratch bytes needed (input and output).
        required: usize,
    },
    /// The mount manager kept asking for a larger buffer (`STATUS_BUFFER_OVERFLOW`) after the
    /// client's retry limit.
    RetriesExhausted {
        /// The request.
        step: Step,
        /// Requests sent.
        attempts: u8,
        /// The output size the last reply asked for.
        required: usize,
    },
    /// The mount manager asked for more output than the client's limit
    /// ([`crate::Client::with_max_output`]).
    ReplyTooLarge {
        /// The request.
        step: Step,
        /// Bytes asked for.
        required: usize,
        /// The limit.
        limit: usize,
    },
    /// The transport reported more valid output bytes than the output buffer holds, or output
    /// with an error status: a broken transport.
    InconsistentReply {
        /// The request.
        step: Step,
        /// The status reported.
        status: NtStatus,
        /// `Information` reported.
        information: usize,
        /// The output length offered.
        output_len: usize,
    },
}

impl ClientError {
    /// The request that failed.
    pub const fn step(&self) -> Step {
        match self {
            Self::Refused { step, .. }
            | Self::Request { step, .. }
            | Self::Reply { step, .. }
            | Self::ScratchTooSmall { step, .. }
            | Self::RetriesExhausted { step, .. }
            | Self::ReplyTooLarge { step, .. }
            | Self::InconsistentReply { step, .. } => *step,
        }
    }

    /// The `NTSTATUS` the mount manager answered with, for [`ClientError::Refused`] (and
    /// [`ClientError::InconsistentReply`]).
    pub const fn status(&self) -> Option<NtStatus> {
        match self {
            Self::Refused { status, .. } | Self::InconsistentReply { status, .. } => Some(*status),
            Self::Request { .. }
            | Self::Reply { .. }
            | Self::ScratchTooSmall { .. }
            | Self::RetriesExhausted { .. }
            | Self::ReplyTooLarge { .. } => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused { step, status } => {
                write!(f, "{step} failed with {status}")?;
                if *status == NtStatus::ACCESS_DENIED {
                    f.write_str(
                        " (the handle lacks the access this request needs; read/write requests need an administrator)",
                    )?;
                }
                Ok(())
            }
            Self::Request { step, error } => write!(f, "{step}: cannot build the input: {error}"),
            Self::Reply { step, error } => write!(f, "{step}: malformed reply: {error}"),
            Self::ScratchTooSmall { step, required } => {
                write!(f, "{step}: the scratch buffer must hold {required} bytes")
            }
            Self::RetriesExhausted {
                step,
                attempts,
                required,
            } => write!(
                f,
                "{step}: still STATUS_BUFFER_OVERFLOW after {attempts} requests (last asked for {required} bytes)"
            ),
            Self::ReplyTooLarge { step, required, limit } => {
                write!(f, "{step}: reply of {required} bytes exceeds the limit of {limit}")
            }
            Self::InconsistentReply {
                step,
                status,
                information,
                output_len,
            } => write!(
                f,
                "{step}: transport reported {information} output bytes with {status} for a {output_len}-byte buffer"
            ),
        }
    }
}

impl core::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Request { error, .. } => Some(error),
            Self::Reply { error, .. } => Some(error),
            _ => None,
        }
    }
}
