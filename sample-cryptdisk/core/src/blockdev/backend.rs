//! Why a backend failed, typed by the domain the failure comes from.

use core::fmt;

use mountdev::NtStatus;

/// The failure of a block device's backing store, in the terms of the layer that reported it.
///
/// Each domain has its own variant, so a value never needs decoding: a kernel status is an
/// [`NtStatus`], a user-mode file error is a [`std::io::Error`], and a transfer that moved fewer
/// bytes than asked says so. [`MemDevice`](super::MemDevice) has no variant: its only failures are
/// the geometry errors every device shares.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::BackendError;
/// use mountdev::NtStatus;
///
/// let e = BackendError::Status(NtStatus::ACCESS_DENIED);
/// assert_eq!(e.to_string(), "STATUS_ACCESS_DENIED(0xC0000022)");
/// let short = BackendError::Short { done: 512, wanted: 1024 };
/// assert_eq!(short.to_string(), "moved 512 of 1024 bytes");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BackendError {
    /// A kernel file call (`ZwReadFile`, `ZwWriteFile`, `ZwFlushBuffersFile`, ...) failed.
    Status(NtStatus),
    /// A user-mode file operation failed ([`FileDevice`](crate::filedev::FileDevice)).
    #[cfg(feature = "std")]
    Os(OsError),
    /// The backend reported success but moved fewer bytes than asked.
    Short {
        /// Bytes moved.
        done: usize,
        /// Bytes asked for.
        wanted: usize,
    },
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(status) => write!(f, "{status}"),
            #[cfg(feature = "std")]
            Self::Os(error) => write!(f, "{error}"),
            Self::Short { done, wanted } => write!(f, "moved {done} of {wanted} bytes"),
        }
    }
}

/// Transparent: the message already contains the inner error, so only its own source follows.
impl core::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Status(_) | Self::Short { .. } => None,
            #[cfg(feature = "std")]
            Self::Os(error) => error.get_ref().source(),
        }
    }
}

#[cfg(feature = "std")]
impl From<std::io::Error> for BackendError {
    fn from(error: std::io::Error) -> Self {
        Self::Os(OsError::from(error))
    }
}

/// A shared [`std::io::Error`], so that device errors stay `Clone` and `Eq`.
///
/// Two values are equal when they are the same failure (clones of one value), not when two
/// failures happen to have the same kind: compare [`OsError::get_ref`]`.kind()` for that.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::OsError;
///
/// let e = OsError::from(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
/// assert_eq!(e.get_ref().kind(), std::io::ErrorKind::UnexpectedEof);
/// assert_eq!(e.clone(), e);
/// ```
#[cfg(feature = "std")]
#[derive(Clone, Debug)]
pub struct OsError(std::sync::Arc<std::io::Error>);

#[cfg(feature = "std")]
impl OsError {
    /// The error as the operating system reported it.
    pub fn get_ref(&self) -> &std::io::Error {
        &self.0
    }
}

#[cfg(feature = "std")]
impl From<std::io::Error> for OsError {
    fn from(error: std::io::Error) -> Self {
        Self(std::sync::Arc::new(error))
    }
}

#[cfg(feature = "std")]
impl PartialEq for OsError {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(feature = "std")]
impl Eq for OsError {}

#[cfg(feature = "std")]
impl fmt::Display for OsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
