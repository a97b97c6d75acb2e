//! [`LayoutError`]: why a buffer does not hold a valid structure.

use core::fmt;

use crate::name::NameError;

/// Why a byte buffer does not hold the structure asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LayoutError {
    /// The buffer is shorter than the structure (or than its length field says).
    Short {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// A UTF-16 length or offset field is odd.
    Odd {
        /// The offending value.
        value: usize,
    },
    /// An (offset, length) pair points outside the buffer or overflows.
    OutOfBounds {
        /// The offset.
        offset: usize,
        /// The length.
        length: usize,
        /// Size of the buffer it must fit in.
        limit: usize,
    },
    /// A name inside the structure is not a valid NT name.
    Name(NameError),
    /// A field holds a value the structure does not allow (an enum out of range, a `Size`
    /// smaller than the fixed part, ...).
    Field {
        /// The field's C name.
        field: &'static str,
        /// Its value.
        value: u64,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Short { needed, available } => {
                write!(f, "buffer too short: {needed} bytes needed, {available} available")
            }
            Self::Odd { value } => write!(f, "odd UTF-16 length or offset {value}"),
            Self::OutOfBounds { offset, length, limit } => {
                write!(f, "range {offset}+{length} outside a {limit}-byte buffer")
            }
            Self::Name(error) => write!(f, "invalid name: {error}"),
            Self::Field { field, value } => write!(f, "field {field} has invalid value {value}"),
        }
    }
}

impl core::error::Error for LayoutError {}

impl From<NameError> for LayoutError {
    fn from(error: NameError) -> Self {
        Self::Name(error)
    }
}

/// The bytes at `offset..offset + length` of `buf`, with the range checked.
///
/// # Errors
/// [`LayoutError::OutOfBounds`] when the range overflows or leaves `buf`.
pub fn bytes_at(buf: &[u8], offset: usize, length: usize) -> Result<&[u8], LayoutError> {
    let out_of_bounds = LayoutError::OutOfBounds {
        offset,
        length,
        limit: buf.len(),
    };
    let end = offset.checked_add(length).ok_or(out_of_bounds)?;
    buf.get(offset..end).ok_or(out_of_bounds)
}

/// The name at `offset` with byte length `length` inside `buf` (an offset/length pair of a
/// `*_INPUT` or `MOUNT_POINT` structure).
///
/// # Errors
/// [`LayoutError::Odd`] for an odd length, [`LayoutError::OutOfBounds`], or
/// [`LayoutError::Name`] for an empty name or one containing a NUL.
pub fn name_at(buf: &[u8], offset: usize, length: usize) -> Result<crate::NtName<'_>, LayoutError> {
    if length % 2 != 0 {
        return Err(LayoutError::Odd { value: length });
    }
    Ok(crate::NtName::from_le_bytes(bytes_at(buf, offset, length)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        let buf = [b'A', 0, b'B', 0];
        assert_eq!(bytes_at(&buf, 2, 2), Ok(&buf[2..]));
        assert!(bytes_at(&buf, 3, 2).is_err());
        assert!(bytes_at(&buf, usize::MAX, 2).is_err());
        assert_eq!(name_at(&buf, 0, 4).unwrap(), "AB");
        assert_eq!(name_at(&buf, 0, 3), Err(LayoutError::Odd { value: 3 }));
        assert!(matches!(name_at(&buf, 0, 0), Err(LayoutError::Name(NameError::Empty))));
    }
}
