//! [`NtNameBuf`]: a fixed-capacity, stack-allocated name builder for names made at run time.

use core::fmt;

use zerocopy::byteorder::little_endian::U16;

use super::{MAX_NAME_BYTES, NameError, NtName};

/// Builds an NT name of at most `N` code units without allocating, e.g.
/// `\Device\CryptDiskVolume7`.
///
/// ```
/// use mountdev::NtNameBuf;
/// let mut name = NtNameBuf::<64>::new();
/// name.push_str("\\Device\\CryptDiskVolume").unwrap();
/// name.push_decimal(7).unwrap();
/// assert_eq!(name.as_name().unwrap(), "\\Device\\CryptDiskVolume7");
/// assert_eq!(name.as_name().unwrap().byte_len(), 48);
/// assert!(name.push_str("\0").is_err());
/// ```
#[derive(Clone, Copy)]
pub struct NtNameBuf<const N: usize> {
    units: [U16; N],
    // INVARIANT: len <= N, len <= MAX_NAME_BYTES / 2, units[..len] contain no NUL.
    len: usize,
}

impl<const N: usize> Default for NtNameBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> NtNameBuf<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        Self {
            units: [U16::ZERO; N],
            len: 0,
        }
    }

    /// Appends one code unit.
    ///
    /// # Errors
    /// [`NameError::Nul`] for 0, [`NameError::TooLong`] when the buffer or the name limit is full.
    pub fn push_unit(&mut self, unit: u16) -> Result<(), NameError> {
        if unit == 0 {
            return Err(NameError::Nul { index: self.len });
        }
        let too_long = NameError::TooLong {
            bytes: self.len.saturating_add(1).saturating_mul(2),
        };
        if self.len >= MAX_NAME_BYTES / 2 {
            return Err(too_long);
        }
        let slot = self.units.get_mut(self.len).ok_or(too_long)?;
        *slot = U16::new(unit);
        self.len = self.len.saturating_add(1);
        Ok(())
    }

    /// Appends a string; on error the buffer keeps what it had before the call.
    ///
    /// # Errors
    /// As [`NtNameBuf::push_unit`].
    pub fn push_str(&mut self, text: &str) -> Result<(), NameError> {
        let saved = self.len;
        for unit in text.encode_utf16() {
            if let Err(error) = self.push_unit(unit) {
                self.len = saved;
                return Err(error);
            }
        }
        Ok(())
    }

    /// Appends the units of another name.
    ///
    /// # Errors
    /// As [`NtNameBuf::push_unit`].
    pub fn push_name(&mut self, name: NtName<'_>) -> Result<(), NameError> {
        let saved = self.len;
        for unit in name.iter() {
            if let Err(error) = self.push_unit(unit) {
                self.len = saved;
                return Err(error);
            }
        }
        Ok(())
    }

    /// Appends `value` in decimal.
    ///
    /// # Errors
    /// As [`NtNameBuf::push_unit`].
    pub fn push_decimal(&mut self, value: u32) -> Result<(), NameError> {
        let mut digits = [0u8; 10];
        let mut count = 0usize;
        let mut rest = value;
        loop {
            if let Some(slot) = digits.get_mut(count) {
                *slot = b'0'.wrapping_add((rest % 10) as u8);
            }
            count = count.saturating_add(1);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let saved = self.len;
        for &digit in digits.iter().take(count).rev() {
            if let Err(error) = self.push_unit(u16::from(digit)) {
                self.len = saved;
                return Err(error);
            }
        }
        Ok(())
    }

    /// The name built so far.
    ///
    /// # Errors
    /// [`NameError::Empty`] when nothing was pushed.
    pub fn as_name(&self) -> Result<NtName<'_>, NameError> {
        NtName::new(self.units.get(..self.len).unwrap_or(&[]))
    }
}

impl<const N: usize> fmt::Debug for NtNameBuf<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_name() {
            Ok(name) => write!(f, "NtNameBuf({name})"),
            Err(_) => f.write_str("NtNameBuf(<empty>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_and_rollback() {
        let mut name = NtNameBuf::<4>::new();
        assert_eq!(name.as_name(), Err(NameError::Empty));
        name.push_str("ab").unwrap();
        assert!(name.push_str("xyz").is_err());
        assert_eq!(name.as_name().unwrap(), "ab");
        name.push_decimal(0).unwrap();
        assert_eq!(name.as_name().unwrap(), "ab0");
        assert!(name.push_decimal(42).is_err());
        assert_eq!(name.as_name().unwrap(), "ab0");
        let mut big = NtNameBuf::<16>::new();
        big.push_decimal(u32::MAX).unwrap();
        assert_eq!(big.as_name().unwrap(), "4294967295");
    }
}
