//! [`DriverError`]: how talking to the sample driver failed, with the remedy, decided from the
//! exact `NTSTATUS` of the open or of the request.

use std::fmt;

use cryptdisk_core::control::{ControlError, MAX_DIGEST_ITERATIONS, STATUS_WRONG_KEY, UnmountTarget};
use mountdev::NtStatus;

use super::nt_path::NtPathError;

/// The request that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// MOUNT of a container, at this drive letter if one was asked for.
    Mount {
        /// The letter asked for.
        letter: Option<char>,
    },
    /// UNMOUNT of a volume.
    Unmount {
        /// Which volume: a drive letter or a device number.
        target: UnmountTarget,
    },
    /// LIST.
    List,
}

/// See the module docs.
#[derive(Debug)]
#[non_exhaustive]
pub enum DriverError {
    /// `\\.\CryptDiskControl` does not exist: the driver is not installed or not started.
    NotInstalled {
        /// The status of the open.
        status: NtStatus,
    },
    /// The control device refused the open: only administrators and SYSTEM may open it.
    AccessDenied,
    /// The open failed otherwise.
    Open {
        /// The status of the open.
        status: NtStatus,
    },
    /// The container path has no NT form the driver takes.
    Path(NtPathError),
    /// The request could not be built (the core refused it).
    Request(ControlError),
    /// The driver refused or failed the request.
    Refused {
        /// The request.
        request: Request,
        /// The status the driver completed it with.
        status: NtStatus,
    },
    /// The driver's reply does not parse.
    BadReply(ControlError),
}

impl DriverError {
    /// Whether the error means "this system cannot run the command" (exit code 2) rather than
    /// "the operation failed" (exit code 1): the driver is missing or the user is not an
    /// administrator.
    pub fn is_refusal(&self) -> bool {
        matches!(self, Self::NotInstalled { .. } | Self::AccessDenied)
    }

    /// The error of a failed open of the control device.
    pub fn from_open_status(status: NtStatus) -> Self {
        match status {
            NtStatus::OBJECT_NAME_NOT_FOUND | NtStatus::OBJECT_PATH_NOT_FOUND | NtStatus::NO_SUCH_DEVICE => {
                Self::NotInstalled { status }
            }
            NtStatus::ACCESS_DENIED => Self::AccessDenied,
            status => Self::Open { status },
        }
    }
}

fn mount_refusal(f: &mut fmt::Formatter<'_>, letter: Option<char>, status: NtStatus) -> fmt::Result {
    let at = letter.map_or_else(String::new, |l| format!(" at {l}:"));
    match status {
        NtStatus::OBJECT_NAME_COLLISION => match letter {
            Some(l) => write!(
                f,
                "drive letter {l}: is already in use (a disk, a network drive, subst or another volume); choose another with --letter"
            ),
            None => write!(f, "the driver could not name the new volume ({status}); unmount a volume and try again"),
        },
        NtStatus::OBJECT_NAME_NOT_FOUND | NtStatus::OBJECT_PATH_NOT_FOUND => f.write_str(
            "the driver cannot find the container; use the path of an existing file on a local disk or a UNC path",
        ),
        NtStatus::SHARING_VIOLATION => f.write_str(
            "the container is in use (already mounted, or open in another program); unmount it or close the program",
        ),
        NtStatus::ACCESS_DENIED => f.write_str(
            "access to the container was denied: the driver opens it with your rights; check that you may read (and, without --read-only, write) the file",
        ),
        STATUS_WRONG_KEY => f.write_str(
            "the driver refused the master key: it does not match the container's key digest; check that no other program rewrote the container's header and try again",
        ),
        NtStatus::UNRECOGNIZED_VOLUME => f.write_str(
            "the driver found no valid LUKS1 header in the container; check the file with 'cryptdisk info'",
        ),
        NtStatus::INVALID_PARAMETER => f.write_str(
            "the driver refused the request: the container's header or size no longer matches what was read from it; check that no other program writes to it and try again",
        ),
        NtStatus::NOT_SUPPORTED => write!(
            f,
            "the driver does not support this volume; cryptdisk mounts aes-xts-plain64 volumes whose key digest takes at most {MAX_DIGEST_ITERATIONS} PBKDF2 iterations"
        ),
        NtStatus::INSUFFICIENT_RESOURCES => write!(
            f,
            "the driver could not mount the volume{at}: out of memory or too many volumes mounted; unmount a volume and try again"
        ),
        NtStatus::DELETE_PENDING => f.write_str("the driver is stopping; start it again with 'sc start cryptdisk'"),
        status => write!(
            f,
            "the driver could not mount the volume{at} ({status}); see 'cryptdisk list' and the system event log"
        ),
    }
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotInstalled { status } => write!(
                f,
                "the cryptdisk driver is not running (\\\\.\\CryptDiskControl: {status}); install and start it ('sc start cryptdisk', see sample-cryptdisk/driver/README.md)"
            ),
            Self::AccessDenied => f.write_str(
                "access to the cryptdisk driver was denied; run cryptdisk as administrator (an elevated prompt)",
            ),
            Self::Open { status } => write!(
                f,
                "cannot open the cryptdisk driver's control device ({status}); check that the driver is installed and running"
            ),
            Self::Path(error) => write!(f, "{error}; give the volume as a path on a drive or a UNC share"),
            Self::Request(error) => write!(
                f,
                "cannot build the mount request: {error}; check the volume with 'cryptdisk info'"
            ),
            Self::Refused { request, status } => match *request {
                Request::Mount { letter } => mount_refusal(f, letter, *status),
                Request::Unmount { target } => {
                    let what = describe_target(target);
                    match *status {
                        NtStatus::NOT_FOUND => {
                            write!(f, "no cryptdisk volume is mounted at {what}; see 'cryptdisk list'")
                        }
                        NtStatus::FILES_OPEN => write!(
                            f,
                            "device {what} is still in use (files open); close them (and programs showing the drive) and try again, or use --force (the file system is dismounted under them: what they did not save is lost)"
                        ),
                        status => write!(
                            f,
                            "the driver could not unmount {what} ({status}); see 'cryptdisk list' and try again"
                        ),
                    }
                }
                Request::List => write!(f, "the driver failed to list its volumes ({status}); try again"),
            },
            Self::BadReply(error) => write!(
                f,
                "the driver's reply is not valid ({error}); check that the driver and cryptdisk come from the same build"
            ),
        }
    }
}

/// `M:` or `\\Device\\CryptDiskVolume3`, for messages.
pub fn describe_target(target: UnmountTarget) -> String {
    match target {
        UnmountTarget::Letter(letter) => format!("{}:", char::from(letter)),
        UnmountTarget::DeviceNumber(number) => format!("\\Device\\CryptDiskVolume{number}"),
    }
}

impl std::error::Error for DriverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Path(error) => Some(error),
            Self::Request(error) | Self::BadReply(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_statuses_map_to_not_installed_or_access_denied() {
        for status in [
            NtStatus::OBJECT_NAME_NOT_FOUND,
            NtStatus::OBJECT_PATH_NOT_FOUND,
            NtStatus::NO_SUCH_DEVICE,
        ] {
            let error = DriverError::from_open_status(status);
            assert!(matches!(error, DriverError::NotInstalled { .. }));
            assert!(error.is_refusal());
            assert!(error.to_string().contains("not running"), "{error}");
        }
        let denied = DriverError::from_open_status(NtStatus::ACCESS_DENIED);
        assert!(denied.is_refusal());
        assert!(denied.to_string().contains("administrator"), "{denied}");
        let other = DriverError::from_open_status(NtStatus::INSUFFICIENT_RESOURCES);
        assert!(!other.is_refusal());
    }

    #[test]
    fn every_message_is_one_line_with_a_remedy() {
        let mut errors = vec![
            DriverError::AccessDenied,
            DriverError::NotInstalled {
                status: NtStatus::OBJECT_NAME_NOT_FOUND,
            },
            DriverError::Open {
                status: NtStatus::INSUFFICIENT_RESOURCES,
            },
            DriverError::Path(NtPathError {
                path: "a".into(),
                reason: "relative",
            }),
            DriverError::Request(ControlError::Magic),
            DriverError::BadReply(ControlError::Magic),
        ];
        for status in [
            NtStatus::OBJECT_NAME_COLLISION,
            NtStatus::OBJECT_NAME_NOT_FOUND,
            NtStatus::SHARING_VIOLATION,
            NtStatus::ACCESS_DENIED,
            NtStatus::UNRECOGNIZED_VOLUME,
            NtStatus::INVALID_PARAMETER,
            NtStatus::NOT_SUPPORTED,
            STATUS_WRONG_KEY,
            NtStatus::INSUFFICIENT_RESOURCES,
            NtStatus::DELETE_PENDING,
            NtStatus::UNSUCCESSFUL,
        ] {
            for letter in [Some('Q'), None] {
                errors.push(DriverError::Refused {
                    request: Request::Mount { letter },
                    status,
                });
            }
        }
        for status in [NtStatus::NOT_FOUND, NtStatus::FILES_OPEN, NtStatus::UNSUCCESSFUL] {
            errors.push(DriverError::Refused {
                request: Request::Unmount {
                    target: UnmountTarget::Letter(b'Q'),
                },
                status,
            });
        }
        errors.push(DriverError::Refused {
            request: Request::List,
            status: NtStatus::UNSUCCESSFUL,
        });
        for error in &errors {
            let text = error.to_string();
            assert!(!text.contains('\n'), "{text}");
            assert!(text.contains("; "), "no remedy: {text}");
        }
    }

    #[test]
    fn letter_collisions_and_busy_volumes_name_the_letter() {
        let taken = DriverError::Refused {
            request: Request::Mount { letter: Some('C') },
            status: NtStatus::OBJECT_NAME_COLLISION,
        };
        assert!(
            taken.to_string().starts_with("drive letter C: is already in use"),
            "{taken}"
        );
        let busy = DriverError::Refused {
            request: Request::Unmount {
                target: UnmountTarget::Letter(b'M'),
            },
            status: NtStatus::FILES_OPEN,
        };
        let text = busy.to_string();
        assert!(
            text.starts_with("device M: is still in use (files open); close them"),
            "{text}"
        );
        assert!(text.contains("or use --force"), "{text}");
    }
}
