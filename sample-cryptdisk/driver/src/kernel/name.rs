//! Kernel object names (`\Device\...`, `\DosDevices\...`) as UTF-16 buffers that convert to a
//! `UNICODE_STRING` whose byte length is right by construction.

use core::fmt;

use wdk_sys::UNICODE_STRING;

/// Capacity of a [`NameBuf`] in UTF-16 code units (more than any name this driver builds).
pub const NAME_CAPACITY: usize = 128;

/// A name did not fit in a [`NameBuf`], or a character was outside ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameTooLong;

impl fmt::Display for NameTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "kernel object name longer than {NAME_CAPACITY} code units or not ASCII"
        )
    }
}

impl core::error::Error for NameTooLong {}

impl From<NameTooLong> for mountdev::NtStatus {
    fn from(_: NameTooLong) -> Self {
        mountdev::NtStatus::INVALID_PARAMETER
    }
}

/// A name built at run time, such as `\Device\CryptDiskVolume3`.
///
/// ```ignore
/// let mut name = NameBuf::new();
/// name.push_str("\\Device\\CryptDiskVolume")?;
/// name.push_decimal(3)?;
/// assert_eq!(name.units().len(), 24);
/// ```
#[derive(Clone)]
pub struct NameBuf {
    units: [u16; NAME_CAPACITY],
    // INVARIANT: len ≤ NAME_CAPACITY.
    len: usize,
}

impl Default for NameBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl NameBuf {
    /// An empty name.
    pub const fn new() -> Self {
        Self {
            units: [0; NAME_CAPACITY],
            len: 0,
        }
    }

    /// A name made of `text` (ASCII only).
    ///
    /// # Errors
    ///
    /// [`NameTooLong`] when it does not fit or is not ASCII.
    pub fn from_ascii(text: &str) -> Result<Self, NameTooLong> {
        let mut name = Self::new();
        name.push_str(text)?;
        Ok(name)
    }

    /// Appends ASCII text.
    ///
    /// # Errors
    ///
    /// [`NameTooLong`] when it does not fit or is not ASCII; the name is unchanged then.
    pub fn push_str(&mut self, text: &str) -> Result<(), NameTooLong> {
        let end = self.len.checked_add(text.len()).ok_or(NameTooLong)?;
        if !text.is_ascii() {
            return Err(NameTooLong);
        }
        let slots = self.units.get_mut(self.len..end).ok_or(NameTooLong)?;
        for (slot, byte) in slots.iter_mut().zip(text.bytes()) {
            *slot = u16::from(byte);
        }
        self.len = end;
        Ok(())
    }

    /// Appends `value` in decimal.
    ///
    /// # Errors
    ///
    /// [`NameTooLong`] when it does not fit; the name is unchanged then.
    pub fn push_decimal(&mut self, value: u32) -> Result<(), NameTooLong> {
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start = start.checked_sub(1).ok_or(NameTooLong)?;
            let digit = u8::try_from(rest % 10).map_err(|_| NameTooLong)?;
            *digits.get_mut(start).ok_or(NameTooLong)? = b'0'.checked_add(digit).ok_or(NameTooLong)?;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let text = core::str::from_utf8(digits.get(start..).ok_or(NameTooLong)?).map_err(|_| NameTooLong)?;
        self.push_str(text)
    }

    /// Appends UTF-16 code units as they are (for names that come from `mountdev::NtName`).
    ///
    /// # Errors
    ///
    /// [`NameTooLong`] when they do not fit; the name is unchanged then.
    pub fn push_units(&mut self, units: impl IntoIterator<Item = u16>) -> Result<(), NameTooLong> {
        let start = self.len;
        for unit in units {
            let Some(slot) = self.units.get_mut(self.len) else {
                self.len = start;
                return Err(NameTooLong);
            };
            *slot = unit;
            self.len = self.len.checked_add(1).ok_or(NameTooLong)?;
        }
        Ok(())
    }

    /// The code units, without a terminator.
    pub fn units(&self) -> &[u16] {
        self.units.get(..self.len).unwrap_or(&[])
    }

    /// A `UNICODE_STRING` describing this name. It points into `self`: use it only while
    /// `self` is alive and not moved (typically as an argument of the very next kernel call).
    pub fn unicode_string(&self) -> UNICODE_STRING {
        unicode_string(self.units())
    }
}

impl fmt::Debug for NameBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for unit in char::decode_utf16(self.units().iter().copied()) {
            fmt::Write::write_char(f, unit.unwrap_or(char::REPLACEMENT_CHARACTER))?;
        }
        Ok(())
    }
}

/// A `UNICODE_STRING` over `units` (no terminator). Lengths beyond `u16::MAX` bytes are cut to
/// the longest whole number of code units that fits, which no [`NameBuf`] reaches.
///
/// The result points into `units`: use it only while `units` is alive.
pub fn unicode_string(units: &[u16]) -> UNICODE_STRING {
    let bytes = units.len().saturating_mul(2).min(usize::from(u16::MAX - 1));
    let bytes = u16::try_from(bytes).unwrap_or(u16::MAX - 1);
    UNICODE_STRING {
        Length: bytes,
        MaximumLength: bytes,
        Buffer: units.as_ptr().cast_mut(),
    }
}
