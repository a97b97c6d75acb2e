//! `UNICODE_STRING` ⇄ [`NtName`] without copying ([`nt_name_of`], [`UnicodeStr`]), and
//! [`UnicodeBuf`], an owned name in nonpaged pool for names built at run time.

use mountdev::{NameError, NtName, NtStatus};
use wdk_sys::UNICODE_STRING;

use super::pool::PoolBuf;
use crate::checks::{UnicodeError, counted_name};

/// Views a `UNICODE_STRING` as an [`NtName`], borrowing its buffer.
///
/// Checked before a byte is read: `Length` even and at most `MaximumLength`, a buffer present and
/// 2-byte aligned; then the units must form a name (non-empty, no NUL).
///
/// # Errors
/// [`UnicodeError`]; never a panic.
pub fn nt_name_of(string: &UNICODE_STRING) -> Result<NtName<'_>, UnicodeError> {
    if !string.Buffer.is_null() && string.Buffer.align_offset(align_of::<u16>()) != 0 {
        return Err(UnicodeError::Misaligned);
    }
    counted_name(string.Length, string.MaximumLength, !string.Buffer.is_null(), |bytes| {
        // SAFETY: `counted_name` calls this only for a non-null Buffer and a Length that is at
        // most MaximumLength, and a UNICODE_STRING describes that many readable bytes at Buffer
        // (the type's contract); the slice borrows `string`, which the caller keeps alive and
        // unchanged for the borrow.
        unsafe { core::slice::from_raw_parts(string.Buffer.cast::<u8>().cast_const(), bytes) }
    })
}

/// A `UNICODE_STRING` borrowing an [`NtName`]'s units: `Length` = `MaximumLength` = its byte
/// length, so no terminator is counted. Pass [`UnicodeStr::as_ptr`] to a kernel call while this
/// value lives.
pub struct UnicodeStr<'a> {
    // INVARIANT: describes exactly `name`'s units.
    raw: UNICODE_STRING,
    name: NtName<'a>,
}

impl<'a> UnicodeStr<'a> {
    /// Borrows `name`.
    ///
    /// # Errors
    /// [`UnicodeError::Misaligned`] when the units are not 2-byte aligned (a name inside a
    /// packed wire buffer): copy it into a [`UnicodeBuf`] then.
    pub fn from_name(name: NtName<'a>) -> Result<Self, UnicodeError> {
        let bytes = name.as_le_bytes();
        if bytes.as_ptr().align_offset(align_of::<u16>()) != 0 {
            return Err(UnicodeError::Misaligned);
        }
        Ok(Self {
            raw: UNICODE_STRING {
                Length: name.byte_len_u16(),
                MaximumLength: name.byte_len_u16(),
                Buffer: bytes.as_ptr().cast::<u16>().cast_mut(),
            },
            name,
        })
    }

    /// The name again.
    pub const fn name(&self) -> NtName<'a> {
        self.name
    }

    /// The string, for a kernel call made while `self` lives. The kernel APIs this crate calls
    /// take `PUNICODE_STRING` but only read it.
    pub fn as_ptr(&self) -> *mut UNICODE_STRING {
        (&raw const self.raw).cast_mut()
    }

    /// The raw `UNICODE_STRING`.
    pub fn as_raw(&self) -> &UNICODE_STRING {
        &self.raw
    }
}

/// A name built at run time, in nonpaged pool (allocated fallibly, freed on drop).
pub struct UnicodeBuf {
    // INVARIANT: `units` ≤ buffer length / 2; the first `units` code units are set.
    buffer: PoolBuf,
    units: usize,
}

impl UnicodeBuf {
    /// An empty buffer with room for `capacity` code units.
    ///
    /// # Errors
    /// `STATUS_INSUFFICIENT_RESOURCES` (pool exhausted), `STATUS_INVALID_PARAMETER` when the
    /// capacity exceeds a `UNICODE_STRING`'s 65534 bytes.
    pub fn with_capacity(capacity: usize) -> Result<Self, NtStatus> {
        let bytes = capacity.checked_mul(2).ok_or(NtStatus::INVALID_PARAMETER)?;
        if bytes > mountdev::MAX_NAME_BYTES {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        Ok(Self {
            buffer: PoolBuf::try_zeroed(bytes)?,
            units: 0,
        })
    }

    /// A copy of `name`.
    ///
    /// # Errors
    /// As [`UnicodeBuf::with_capacity`].
    pub fn from_name(name: NtName<'_>) -> Result<Self, NtStatus> {
        let mut buf = Self::with_capacity(name.len())?;
        buf.push_name(name)?;
        Ok(buf)
    }

    /// A copy of `text` (any Unicode; the result is a valid name unless it is empty or holds a
    /// NUL), for names a driver spells as string constants.
    ///
    /// # Errors
    /// As [`UnicodeBuf::with_capacity`].
    pub fn from_text(text: &str) -> Result<Self, NtStatus> {
        let mut buf = Self::with_capacity(text.encode_utf16().count())?;
        buf.push_str(text)?;
        Ok(buf)
    }

    fn push_unit(&mut self, unit: u16) -> Result<(), NtStatus> {
        let start = self.units.checked_mul(2).ok_or(NtStatus::BUFFER_TOO_SMALL)?;
        let end = start.checked_add(2).ok_or(NtStatus::BUFFER_TOO_SMALL)?;
        let slot = self.buffer.get_mut(start..end).ok_or(NtStatus::BUFFER_TOO_SMALL)?;
        slot.copy_from_slice(&unit.to_le_bytes());
        self.units = self.units.checked_add(1).ok_or(NtStatus::BUFFER_TOO_SMALL)?;
        Ok(())
    }

    fn push_all(&mut self, units: impl Iterator<Item = u16>) -> Result<(), NtStatus> {
        let start = self.units;
        for unit in units {
            if let Err(status) = self.push_unit(unit) {
                self.units = start;
                return Err(status);
            }
        }
        Ok(())
    }

    /// Appends `name`.
    ///
    /// # Errors
    /// `STATUS_BUFFER_TOO_SMALL` when it does not fit; nothing is appended then.
    pub fn push_name(&mut self, name: NtName<'_>) -> Result<(), NtStatus> {
        self.push_all(name.iter())
    }

    /// Appends `text` (any Unicode; a NUL makes the result an invalid name).
    ///
    /// # Errors
    /// `STATUS_BUFFER_TOO_SMALL` when it does not fit; nothing is appended then.
    pub fn push_str(&mut self, text: &str) -> Result<(), NtStatus> {
        self.push_all(text.encode_utf16())
    }

    /// Appends `value` in decimal.
    ///
    /// # Errors
    /// `STATUS_BUFFER_TOO_SMALL` when it does not fit; nothing is appended then.
    pub fn push_decimal(&mut self, value: u32) -> Result<(), NtStatus> {
        let mut digits = [0u16; 10];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start = start.checked_sub(1).ok_or(NtStatus::BUFFER_TOO_SMALL)?;
            let digit = u16::try_from(rest % 10).map_err(|_| NtStatus::BUFFER_TOO_SMALL)?;
            if let Some(slot) = digits.get_mut(start) {
                *slot = u16::from(b'0').saturating_add(digit);
            }
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.push_all(digits.get(start..).unwrap_or(&[]).iter().copied())
    }

    /// The name built so far.
    ///
    /// # Errors
    /// [`NameError`] when it is empty or holds a NUL.
    pub fn as_name(&self) -> Result<NtName<'_>, NameError> {
        NtName::from_le_bytes(self.buffer.get(..self.units.saturating_mul(2)).unwrap_or(&[]))
    }

    /// A `UNICODE_STRING` view of the name (pool memory is 16-byte aligned).
    ///
    /// # Errors
    /// As [`UnicodeBuf::as_name`].
    pub fn as_unicode(&self) -> Result<UnicodeStr<'_>, UnicodeError> {
        UnicodeStr::from_name(self.as_name()?)
    }
}
