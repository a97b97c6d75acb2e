//! [`AsciiField`]: a short printable-ASCII string stored inline (vendor, product, revision).

/// Up to `N` printable ASCII bytes (0x20..=0x7E), stored inline so a disk description needs no
/// allocation and no lifetime.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AsciiField<const N: usize> {
    // INVARIANT: bytes[..len] is printable ASCII, len <= N; bytes[len..] are 0.
    bytes: [u8; N],
    len: usize,
}

/// Why a text is not a valid [`AsciiField`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AsciiProblem {
    /// More than `N` bytes.
    TooLong { len: usize },
    /// A byte that is not printable ASCII (NUL, a control character or non-ASCII).
    NotPrintable { index: usize, byte: u8 },
}

impl<const N: usize> AsciiField<N> {
    /// Validates and copies `text`.
    pub(crate) fn new(text: &str) -> Result<Self, AsciiProblem> {
        let src = text.as_bytes();
        if let Some((index, &byte)) = src.iter().enumerate().find(|(_, b)| !(0x20..=0x7E).contains(*b)) {
            return Err(AsciiProblem::NotPrintable { index, byte });
        }
        let mut bytes = [0u8; N];
        let dst = bytes
            .get_mut(..src.len())
            .ok_or(AsciiProblem::TooLong { len: src.len() })?;
        dst.copy_from_slice(src);
        Ok(Self { bytes, len: src.len() })
    }

    /// The bytes, without a terminator.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl<const N: usize> core::fmt::Debug for AsciiField<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_bytes() {
        assert_eq!(AsciiField::<4>::new("1.0").unwrap().as_str(), "1.0");
        assert_eq!(AsciiField::<4>::new("").unwrap().as_bytes(), b"");
        assert_eq!(AsciiField::<4>::new("12345"), Err(AsciiProblem::TooLong { len: 5 }));
        assert_eq!(
            AsciiField::<8>::new("a\0b"),
            Err(AsciiProblem::NotPrintable { index: 1, byte: 0 })
        );
        assert_eq!(
            AsciiField::<8>::new("é"),
            Err(AsciiProblem::NotPrintable { index: 0, byte: 0xC3 })
        );
    }
}
