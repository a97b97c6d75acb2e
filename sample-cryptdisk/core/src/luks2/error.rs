//! Errors of reading and opening a LUKS2 volume.

use crate::blockdev::BlockDevError;
use crate::heap::TryBox;
use crate::luks2::binary::Copy;
use crate::luks2::json::JsonError;
use alloc::string::String;
use core::fmt;

/// Errors of reading, validating and opening a LUKS2 volume.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Luks2Error {
    /// The device is too small to hold a LUKS2 header.
    TooShort {
        /// Device size in bytes.
        len: u64,
    },
    /// Not a LUKS2 volume (no LUKS magic with version 2 at offset 0 and no secondary copy).
    NotLuks2,
    /// One metadata copy failed a binary-header check (never trusted).
    BadCopy {
        /// The copy.
        copy: Copy,
        /// What is wrong.
        reason: &'static str,
    },
    /// The JSON area is not valid JSON.
    Json {
        /// The copy.
        copy: Copy,
        /// The parse error.
        error: JsonError,
    },
    /// The JSON metadata is well-formed JSON but breaks a LUKS2 rule.
    Metadata {
        /// Where: e.g. `keyslot 1`, `segment 0`, `config`.
        section: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A feature this project does not implement, by name (nothing is written).
    Unsupported {
        /// What it is, e.g. `segment encryption serpent-xts-plain64`.
        what: String,
    },
    /// Neither copy is valid. (Both reasons are boxed fallibly; with no memory for them the
    /// read fails with [`Luks2Error::OutOfMemory`] instead.)
    NoValidHeader {
        /// Why the primary copy was refused.
        primary: TryBox<Luks2Error>,
        /// Why the secondary copy was refused.
        secondary: TryBox<Luks2Error>,
    },
    /// An area described by the metadata reaches past the end of the device.
    BeyondDevice {
        /// Which area.
        what: String,
        /// Its end, bytes.
        end: u64,
        /// Device size, bytes.
        device: u64,
    },
    /// The device failed.
    Device(BlockDevError),
    /// No key slot opens with this passphrase. Nothing was written.
    WrongPassphrase,
    /// The volume key does not match the digest. Nothing was written.
    WrongVolumeKey,
    /// No key slot is assigned to the data segment.
    NoActiveSlots,
    /// The key slot does not exist or is not assigned to the data segment.
    SlotInactive {
        /// Slot id.
        slot: u32,
    },
    /// A key-derivation cost beyond the limits (a crafted or damaged header would otherwise
    /// hang the command or exhaust memory); nothing was derived.
    KdfCostTooHigh {
        /// Where: `keyslot N` or `digest N`.
        what: String,
        /// The cost, e.g. `iterations 4294967295 (limit 100000000)`.
        detail: String,
    },
    /// The key derivation or a cipher refused its input.
    Crypto(&'static str),
    /// The new metadata does not fit the JSON area.
    JsonTooLarge,
    /// The random source failed.
    Rng(crate::rng::RngError),
    /// No free key slot id or no room in the key-slot area.
    NoFreeSlot,
    /// Refused: removing this slot would leave the volume without a working key.
    LastKeySlot {
        /// The only active slot.
        slot: u32,
    },
    /// A newly written slot did not open when read back.
    VerifyFailed {
        /// The slot.
        slot: u32,
    },
    /// The device is too small for the metadata, the key slots and one data sector.
    DeviceTooSmall {
        /// Bytes needed.
        needed: u64,
        /// Bytes available.
        available: u64,
    },
    /// Invalid format options.
    BadOptions(&'static str),
    /// The allocator had no memory while reading the header (in the driver: the pool is
    /// exhausted); nothing was decided about the volume.
    OutOfMemory,
}

impl fmt::Display for Luks2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { len } => write!(f, "device of {len} bytes is too small for a LUKS2 header"),
            Self::NotLuks2 => f.write_str("not a LUKS2 volume"),
            Self::BadCopy { copy, reason } => write!(f, "LUKS2 {copy} header: {reason}"),
            Self::Json { copy, error } => write!(f, "LUKS2 {copy} header metadata: {error}"),
            Self::Metadata { section, reason } => write!(f, "LUKS2 metadata, {section}: {reason}"),
            Self::Unsupported { what } => write!(f, "unsupported LUKS2 feature: {what}"),
            Self::NoValidHeader { primary, secondary } => {
                write!(f, "no valid LUKS2 header ({}; {})", **primary, **secondary)
            }
            Self::BeyondDevice { what, end, device } => write!(
                f,
                "LUKS2 {what} ends at byte {end}, past the device end ({device} bytes)"
            ),
            Self::Device(e) => e.fmt(f),
            Self::WrongPassphrase => f.write_str("no key slot opens with this passphrase"),
            Self::WrongVolumeKey => f.write_str("volume key does not match the volume's digest"),
            Self::NoActiveSlots => f.write_str("the volume has no key slot for its data segment"),
            Self::SlotInactive { slot } => write!(f, "key slot {slot} is not active"),
            Self::KdfCostTooHigh { what, detail } => {
                write!(f, "{what}: key-derivation cost too high, refused: {detail}")
            }
            Self::Crypto(what) => write!(f, "key derivation failed: {what}"),
            Self::JsonTooLarge => f.write_str("LUKS2 metadata does not fit the JSON area"),
            Self::Rng(e) => e.fmt(f),
            Self::NoFreeSlot => f.write_str("no free LUKS2 key slot (or no room in the key-slot area)"),
            Self::LastKeySlot { slot } => {
                write!(f, "refusing to remove key slot {slot}: it is the last working key")
            }
            Self::VerifyFailed { slot } => write!(f, "key slot {slot} did not open after writing it"),
            Self::DeviceTooSmall { needed, available } => {
                write!(f, "device of {available} bytes is too small (need more than {needed})")
            }
            Self::BadOptions(what) => write!(f, "invalid LUKS2 options: {what}"),
            Self::OutOfMemory => f.write_str("out of memory while reading the LUKS2 header"),
        }
    }
}

impl core::error::Error for Luks2Error {}

impl From<crate::rng::RngError> for Luks2Error {
    fn from(e: crate::rng::RngError) -> Self {
        Self::Rng(e)
    }
}

impl From<alloc::collections::TryReserveError> for Luks2Error {
    fn from(_: alloc::collections::TryReserveError) -> Self {
        Self::OutOfMemory
    }
}

impl From<BlockDevError> for Luks2Error {
    fn from(e: BlockDevError) -> Self {
        Self::Device(e)
    }
}
