//! Errors of the LUKS operations.

use crate::blockdev::BlockDevError;
use crate::key::KeyError;
use crate::luks::HeaderError;
use crate::rng::RngError;
use crate::xts::XtsError;
use core::fmt;

/// PBKDF2 refused its input (cannot happen with HMAC, which takes keys of any length; kept as
/// an error instead of a panic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfError;

impl fmt::Display for KdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PBKDF2 rejected its input")
    }
}

impl core::error::Error for KdfError {}

/// Errors of reading, opening and changing a LUKS1 volume.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LuksError {
    /// The header is invalid or unsupported.
    Header(HeaderError),
    /// The device failed.
    Device(BlockDevError),
    /// The random source failed.
    Rng(RngError),
    /// The XTS layer refused a key or geometry.
    Xts(XtsError),
    /// A key had the wrong length.
    Key(KeyError),
    /// PBKDF2 failed.
    Kdf(KdfError),
    /// The anti-forensic splitter failed.
    #[cfg(feature = "kdf")]
    Af(crate::luks::af::AfError),
    /// No active key slot opens with this passphrase. Nothing was written.
    WrongPassphrase,
    /// The master key does not match the header's digest. Nothing was written.
    WrongMasterKey,
    /// The header has no active key slot.
    NoActiveSlots,
    /// All eight key slots are in use.
    NoFreeSlot,
    /// The slot index is not 0..8.
    SlotIndex {
        /// Index given.
        slot: usize,
    },
    /// The slot is not active.
    SlotInactive {
        /// Index given.
        slot: usize,
    },
    /// Refused: removing this slot would leave the volume without a working key.
    LastKeySlot {
        /// The only active slot.
        slot: usize,
    },
    /// A newly written slot did not open when read back; the header was rolled back (when
    /// possible) and no other slot was touched.
    VerifyFailed {
        /// The slot that failed.
        slot: usize,
    },
    /// An iteration count of zero was requested.
    ZeroIterations,
    /// A PBKDF2 iteration count beyond [`KdfLimits`](crate::kdf_limits::KdfLimits) (a crafted
    /// header would otherwise hang the command for hours); nothing was derived for it.
    KdfCostTooHigh {
        /// The slot, or `None` for the master-key digest.
        slot: Option<usize>,
        /// Iterations found.
        iterations: u32,
        /// The limit.
        limit: u32,
    },
    /// The device is too small for the header, the key slots and at least one data sector.
    DeviceTooSmall {
        /// Sectors needed.
        needed: u64,
        /// Sectors available.
        available: u64,
    },
}

impl fmt::Display for LuksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(e) => e.fmt(f),
            Self::Device(e) => e.fmt(f),
            Self::Rng(e) => e.fmt(f),
            Self::Xts(e) => e.fmt(f),
            Self::Key(e) => e.fmt(f),
            Self::Kdf(e) => e.fmt(f),
            #[cfg(feature = "kdf")]
            Self::Af(e) => e.fmt(f),
            Self::WrongPassphrase => f.write_str("no key slot opens with this passphrase"),
            Self::WrongMasterKey => f.write_str("master key does not match the volume's digest"),
            Self::NoActiveSlots => f.write_str("the volume has no active key slot"),
            Self::NoFreeSlot => f.write_str("all 8 key slots are in use"),
            Self::SlotIndex { slot } => write!(f, "key slot {slot} does not exist (0..8)"),
            Self::SlotInactive { slot } => write!(f, "key slot {slot} is not active"),
            Self::LastKeySlot { slot } => {
                write!(f, "refusing to remove key slot {slot}: it is the last working key")
            }
            Self::VerifyFailed { slot } => {
                write!(f, "key slot {slot} did not open after writing it")
            }
            Self::ZeroIterations => f.write_str("PBKDF2 iteration count must be at least 1"),
            Self::KdfCostTooHigh {
                slot,
                iterations,
                limit,
            } => {
                match slot {
                    Some(s) => write!(f, "key slot {s}")?,
                    None => f.write_str("master-key digest")?,
                }
                write!(
                    f,
                    " asks for {iterations} PBKDF2 iterations, above the limit of {limit}: refused"
                )
            }
            Self::DeviceTooSmall { needed, available } => write!(
                f,
                "device of {available} sectors is too small (need more than {needed})"
            ),
        }
    }
}

impl core::error::Error for LuksError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Header(e) => Some(e),
            Self::Device(e) => Some(e),
            Self::Rng(e) => Some(e),
            Self::Xts(e) => Some(e),
            Self::Key(e) => Some(e),
            Self::Kdf(e) => Some(e),
            #[cfg(feature = "kdf")]
            Self::Af(e) => Some(e),
            _ => None,
        }
    }
}

impl From<HeaderError> for LuksError {
    fn from(e: HeaderError) -> Self {
        Self::Header(e)
    }
}
impl From<BlockDevError> for LuksError {
    fn from(e: BlockDevError) -> Self {
        Self::Device(e)
    }
}
impl From<RngError> for LuksError {
    fn from(e: RngError) -> Self {
        Self::Rng(e)
    }
}
impl From<XtsError> for LuksError {
    fn from(e: XtsError) -> Self {
        Self::Xts(e)
    }
}
impl From<KeyError> for LuksError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}
impl From<KdfError> for LuksError {
    fn from(e: KdfError) -> Self {
        Self::Kdf(e)
    }
}
#[cfg(feature = "kdf")]
impl From<crate::luks::af::AfError> for LuksError {
    fn from(e: crate::luks::af::AfError) -> Self {
        Self::Af(e)
    }
}
