//! The length fields of a `UNICODE_STRING`, checked before a byte is read.

use core::fmt;

use mountdev::{NameError, NtStatus};

/// Why a `UNICODE_STRING` is not a valid [`mountdev::NtName`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnicodeError {
    /// `Length` is odd: the buffer cannot hold whole UTF-16 code units.
    OddLength {
        /// `Length` in bytes.
        length: u16,
    },
    /// `Length` is larger than `MaximumLength`.
    LengthExceedsMaximum {
        /// `Length` in bytes.
        length: u16,
        /// `MaximumLength` in bytes.
        maximum: u16,
    },
    /// `Buffer` is null while `Length` is not 0.
    NullBuffer,
    /// `Buffer` is not aligned to 2 bytes.
    Misaligned,
    /// The units are not a valid name (empty, or a NUL inside).
    Name(NameError),
}

impl fmt::Display for UnicodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OddLength { length } => write!(f, "UNICODE_STRING Length {length} is odd"),
            Self::LengthExceedsMaximum { length, maximum } => {
                write!(f, "UNICODE_STRING Length {length} exceeds MaximumLength {maximum}")
            }
            Self::NullBuffer => f.write_str("UNICODE_STRING has a null Buffer and a non-zero Length"),
            Self::Misaligned => f.write_str("UNICODE_STRING Buffer is not 2-byte aligned"),
            Self::Name(error) => write!(f, "UNICODE_STRING is not an NT name: {error}"),
        }
    }
}

impl core::error::Error for UnicodeError {}

impl From<NameError> for UnicodeError {
    fn from(error: NameError) -> Self {
        Self::Name(error)
    }
}

impl From<UnicodeError> for NtStatus {
    /// Every malformed string is `STATUS_INVALID_PARAMETER` to a caller.
    fn from(_: UnicodeError) -> Self {
        NtStatus::INVALID_PARAMETER
    }
}

/// The number of bytes a `UNICODE_STRING` with these fields describes, checked: `Length` even,
/// at most `MaximumLength`, and a buffer present unless `Length` is 0.
///
/// # Errors
/// [`UnicodeError::OddLength`], [`UnicodeError::LengthExceedsMaximum`] or
/// [`UnicodeError::NullBuffer`].
///
/// ```
/// use mountdev_wdk::checks::{UnicodeError, counted_byte_len};
/// assert_eq!(counted_byte_len(8, 10, true), Ok(8));
/// assert_eq!(counted_byte_len(0, 0, false), Ok(0));
/// assert_eq!(counted_byte_len(7, 10, true), Err(UnicodeError::OddLength { length: 7 }));
/// assert_eq!(counted_byte_len(12, 10, true), Err(UnicodeError::LengthExceedsMaximum { length: 12, maximum: 10 }));
/// assert_eq!(counted_byte_len(2, 2, false), Err(UnicodeError::NullBuffer));
/// ```
pub const fn counted_byte_len(length: u16, maximum: u16, has_buffer: bool) -> Result<usize, UnicodeError> {
    if !length.is_multiple_of(2) {
        return Err(UnicodeError::OddLength { length });
    }
    if length > maximum {
        return Err(UnicodeError::LengthExceedsMaximum { length, maximum });
    }
    if length != 0 && !has_buffer {
        return Err(UnicodeError::NullBuffer);
    }
    Ok(length as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_pair_is_classified_without_panic() {
        for length in (0..=u16::MAX).step_by(97).chain([u16::MAX, u16::MAX - 1, 0, 1, 2]) {
            for maximum in [0u16, 1, 2, 100, u16::MAX - 1, u16::MAX] {
                for has_buffer in [false, true] {
                    let result = counted_byte_len(length, maximum, has_buffer);
                    let expected_ok = length % 2 == 0 && length <= maximum && (length == 0 || has_buffer);
                    assert_eq!(result.is_ok(), expected_ok, "{length} {maximum} {has_buffer}");
                    if let Ok(bytes) = result {
                        assert_eq!(bytes, usize::from(length));
                    }
                }
            }
        }
    }

    #[test]
    fn errors_map_to_invalid_parameter() {
        assert_eq!(NtStatus::from(UnicodeError::NullBuffer), NtStatus::INVALID_PARAMETER);
        assert_eq!(
            UnicodeError::from(NameError::Nul { index: 3 }),
            UnicodeError::Name(NameError::Nul { index: 3 })
        );
    }
}
