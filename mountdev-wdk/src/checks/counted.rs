//! The length fields of a `UNICODE_STRING`, checked before a byte is read.

use core::fmt;

use mountdev::{NameError, NtName, NtStatus};

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

/// A `UNICODE_STRING` with these fields as an [`NtName`]: the fields are checked
/// ([`counted_byte_len`]) before `read` is asked for the `Length` bytes, which must then form a
/// name (non-empty, no NUL). The kernel view ([`crate::nt_name_of`]) reads the bytes at `Buffer`.
///
/// # Errors
/// [`UnicodeError`]; never a panic.
///
/// ```
/// use mountdev_wdk::checks::{UnicodeError, counted_name};
/// use mountdev::NameError;
/// let units = [b'A', 0, b':', 0, 0, 0];
/// assert_eq!(counted_name(4, 6, true, |n| &units[..n]).unwrap(), "A:");
/// assert_eq!(counted_name(6, 6, true, |n| &units[..n]), Err(UnicodeError::Name(NameError::Nul { index: 2 })));
/// assert_eq!(counted_name(3, 6, true, |n| &units[..n]), Err(UnicodeError::OddLength { length: 3 }));
/// ```
pub fn counted_name<'a>(
    length: u16,
    maximum: u16,
    has_buffer: bool,
    read: impl FnOnce(usize) -> &'a [u8],
) -> Result<NtName<'a>, UnicodeError> {
    let bytes = counted_byte_len(length, maximum, has_buffer)?;
    if bytes == 0 {
        return Err(UnicodeError::Name(NameError::Empty));
    }
    Ok(NtName::from_le_bytes(read(bytes))?)
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
    fn names_are_read_only_after_the_fields_hold() {
        let text: Vec<u8> = "\\Device\\Ram0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let len = u16::try_from(text.len()).unwrap();
        assert_eq!(counted_name(len, len, true, |n| &text[..n]).unwrap(), "\\Device\\Ram0");
        assert_eq!(
            counted_name(len - 2, len, true, |n| &text[..n]).unwrap(),
            "\\Device\\Ram"
        );
        let never = |_: usize| -> &[u8] { panic!("read before the fields were checked") };
        assert_eq!(
            counted_name(len + 2, len, true, never),
            Err(UnicodeError::LengthExceedsMaximum {
                length: len + 2,
                maximum: len
            })
        );
        assert_eq!(
            counted_name(len - 1, len, true, never),
            Err(UnicodeError::OddLength { length: len - 1 })
        );
        assert_eq!(counted_name(2, 2, false, never), Err(UnicodeError::NullBuffer));
        assert_eq!(
            counted_name(0, 2, false, never),
            Err(UnicodeError::Name(NameError::Empty))
        );
        let mut with_nul = text.clone();
        with_nul[4] = 0;
        with_nul[5] = 0;
        assert_eq!(
            counted_name(len, len, true, |n| &with_nul[..n]),
            Err(UnicodeError::Name(NameError::Nul { index: 2 }))
        );
        // A terminator counted in Length is a NUL too.
        let mut terminated = text.clone();
        terminated.extend_from_slice(&[0, 0]);
        assert!(counted_name(len + 2, len + 2, true, |n| &terminated[..n]).is_err());
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
