//! [`ReplyError`]: why a mount manager's reply is not valid.

use core::fmt;

use mountdev::NameError;

/// Why the bytes a mount manager returned are not a valid reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyError {
    /// Fewer bytes than the fixed part of the structure.
    Short {
        /// Bytes needed.
        needed: usize,
        /// Bytes returned.
        available: usize,
    },
    /// A field holds a value the structure does not allow (a `Size` smaller than the fixed part,
    /// more records than `Size` holds, an unknown enum value, ...).
    Field {
        /// The field's C name.
        field: &'static str,
        /// Its value.
        value: u64,
    },
    /// A length that must count whole UTF-16 code units is odd.
    Odd {
        /// The field's C name.
        field: &'static str,
        /// The odd value.
        value: usize,
    },
    /// A `MOUNTMGR_VOLUME_PATHS` list whose last code unit is not NUL, or with non-NUL data after
    /// the empty string that ends it.
    Unterminated,
    /// A path of a `MOUNTMGR_VOLUME_PATHS` list is not a valid name.
    Path(NameError),
    /// Record `index` of a `MOUNTMGR_MOUNT_POINTS` reply is invalid.
    Point {
        /// Index of the record.
        index: usize,
        /// What is wrong with it.
        defect: PointDefect,
    },
}

/// What is wrong with one `MOUNTMGR_MOUNT_POINT` record of a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PointDefect {
    /// The record has no symbolic link name (length 0).
    NoSymbolicLink,
    /// A name length is odd.
    OddLength {
        /// The field (`SymbolicLinkName`, `DeviceName`).
        field: &'static str,
        /// The length.
        length: usize,
    },
    /// A field lies outside the reported `Size` or the bytes returned.
    OutOfBounds {
        /// The field (`SymbolicLinkName`, `UniqueId`, `DeviceName`).
        field: &'static str,
        /// Its offset.
        offset: usize,
        /// Its length.
        length: usize,
        /// The limit it must stay within.
        limit: usize,
    },
    /// A field points into the header or the record array instead of the data after it.
    OverlapsRecords {
        /// The field.
        field: &'static str,
        /// Its offset.
        offset: usize,
    },
    /// A name is not a valid NT name (a NUL code unit inside).
    Name {
        /// The field.
        field: &'static str,
        /// Why.
        error: NameError,
    },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Short { needed, available } => write!(f, "reply of {available} bytes, at least {needed} needed"),
            Self::Field { field, value } => write!(f, "reply field {field} has invalid value {value}"),
            Self::Odd { field, value } => write!(f, "reply field {field} has odd length {value}"),
            Self::Unterminated => f.write_str("volume path list is not NUL-terminated"),
            Self::Path(error) => write!(f, "invalid volume path: {error}"),
            Self::Point { index, defect } => write!(f, "mount point {index}: {defect}"),
        }
    }
}

impl fmt::Display for PointDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSymbolicLink => f.write_str("no symbolic link name"),
            Self::OddLength { field, length } => write!(f, "{field} has odd length {length}"),
            Self::OutOfBounds {
                field,
                offset,
                length,
                limit,
            } => write!(f, "{field} at {offset}+{length} outside {limit} bytes"),
            Self::OverlapsRecords { field, offset } => {
                write!(f, "{field} at offset {offset} overlaps the record array")
            }
            Self::Name { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

impl core::error::Error for ReplyError {}
impl core::error::Error for PointDefect {}
