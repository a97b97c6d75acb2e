//! [`Error`]: every error of the crate in one enum, for callers that just propagate (the CLI)
//! and for the one place in the driver that maps errors to `NTSTATUS`.

use crate::blockdev::BlockDevError;
use crate::key::KeyError;
use crate::luks::{HeaderError, LuksError};
use crate::rng::RngError;
use crate::spec::SpecError;
use crate::uuid::UuidError;
use crate::volume::VolumeError;
use crate::xts::XtsError;
use core::fmt;

/// Any error of this crate. Each variant wraps the error of one module.
///
/// ```
/// use cryptdisk_core::{Error, xts::XtsAes};
/// fn open(key: &[u8]) -> Result<XtsAes, Error> {
///     Ok(XtsAes::new(key)?)
/// }
/// assert!(matches!(open(&[0; 64]), Err(Error::Xts(_))));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// [`xts`](crate::xts).
    Xts(XtsError),
    /// [`blockdev`](crate::blockdev).
    BlockDev(BlockDevError),
    /// [`rng`](crate::rng).
    Rng(RngError),
    /// [`key`](crate::key).
    Key(KeyError),
    /// [`spec`](crate::spec).
    Spec(SpecError),
    /// [`uuid`](crate::uuid).
    Uuid(UuidError),
    /// [`luks::header`](crate::luks::header).
    Header(HeaderError),
    /// [`luks`](crate::luks) operations.
    Luks(LuksError),
    /// [`volume`](crate::volume).
    Volume(VolumeError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xts(e) => e.fmt(f),
            Self::BlockDev(e) => e.fmt(f),
            Self::Rng(e) => e.fmt(f),
            Self::Key(e) => e.fmt(f),
            Self::Spec(e) => e.fmt(f),
            Self::Uuid(e) => e.fmt(f),
            Self::Header(e) => e.fmt(f),
            Self::Luks(e) => e.fmt(f),
            Self::Volume(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Xts(e) => Some(e),
            Self::BlockDev(e) => Some(e),
            Self::Rng(e) => Some(e),
            Self::Key(e) => Some(e),
            Self::Spec(e) => Some(e),
            Self::Uuid(e) => Some(e),
            Self::Header(e) => Some(e),
            Self::Luks(e) => Some(e),
            Self::Volume(e) => Some(e),
        }
    }
}

macro_rules! from_impls {
    ($($ty:ty => $var:ident),* $(,)?) => {
        $(impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Self::$var(e)
            }
        })*
    };
}

from_impls! {
    XtsError => Xts,
    BlockDevError => BlockDev,
    RngError => Rng,
    KeyError => Key,
    SpecError => Spec,
    UuidError => Uuid,
    HeaderError => Header,
    LuksError => Luks,
    VolumeError => Volume,
}
