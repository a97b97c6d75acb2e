//! [`SecretBuf`]: a growable byte buffer for key material that never leaves an unzeroed copy
//! behind. A `Vec` that grows by reallocation frees its old block without wiping it; this one
//! grows by allocating a larger zeroizing block itself, copying, and wiping the old one. Reads
//! go through a fixed, zeroizing chunk ([`CHUNK_BYTES`]).

use std::io::{self, Read};
use zeroize::Zeroizing;

/// Bytes read per `read` call into the fixed chunk.
pub const CHUNK_BYTES: usize = 4096;

/// Why a secret could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Reading failed.
    Io(io::Error),
    /// More than the limit was available.
    TooLarge,
    /// Memory for the buffer could not be reserved.
    OutOfMemory,
}

/// Key bytes, zeroed on drop and on every growth; see the [module docs](self).
#[derive(Default)]
pub struct SecretBuf(Zeroizing<Vec<u8>>);

impl SecretBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes held.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no byte is held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The zeroizing vector (moved out, no copy).
    pub fn into_inner(self) -> Zeroizing<Vec<u8>> {
        self.0
    }

    /// Appends `bytes`, growing into a new zeroizing block (the old one is wiped) when full.
    ///
    /// # Errors
    ///
    /// [`ReadError::OutOfMemory`] when the larger block cannot be reserved.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), ReadError> {
        let need = self.0.len().checked_add(bytes.len()).ok_or(ReadError::OutOfMemory)?;
        if need > self.0.capacity() {
            let capacity = need.max(self.0.capacity().saturating_mul(2)).max(64);
            let mut bigger = Zeroizing::new(Vec::new());
            bigger.try_reserve_exact(capacity).map_err(|_| ReadError::OutOfMemory)?;
            bigger.extend_from_slice(&self.0);
            // The old block is zeroized as it drops here.
            self.0 = bigger;
        }
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    /// Reads `reader` to its end (or `limit` bytes when `exact` is set) in fixed zeroizing
    /// chunks. Without `exact`, more than `limit` bytes is [`ReadError::TooLarge`]; with it,
    /// reading stops after `limit` bytes and the caller checks [`SecretBuf::len`].
    ///
    /// # Errors
    ///
    /// [`ReadError`].
    pub fn read_from(reader: &mut dyn Read, limit: u64, exact: bool) -> Result<Self, ReadError> {
        let mut buf = Self::new();
        let mut chunk = Zeroizing::new([0u8; CHUNK_BYTES]);
        let mut total = 0u64;
        loop {
            let room = if exact {
                limit.saturating_sub(total)
            } else {
                limit.saturating_sub(total).saturating_add(1)
            };
            if room == 0 {
                return Ok(buf);
            }
            let want = usize::try_from(room).unwrap_or(CHUNK_BYTES).min(CHUNK_BYTES);
            let part = chunk.get_mut(..want).ok_or(ReadError::OutOfMemory)?;
            let n = match reader.read(part) {
                Ok(0) => return Ok(buf),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadError::Io(e)),
            };
            total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
            if !exact && total > limit {
                return Err(ReadError::TooLarge);
            }
            buf.push(part.get(..n).unwrap_or_default())?;
        }
    }

    /// Reads one line from `reader` (up to, not including, `\n`; a `\r` before it is kept, as
    /// cryptsetup keeps it), one byte per `read` call so that nothing after the line is taken.
    /// `None` at end of input before any byte.
    ///
    /// # Errors
    ///
    /// [`ReadError`]; more than `limit` bytes before the newline is [`ReadError::TooLarge`].
    pub fn read_line(reader: &mut dyn Read, limit: u64) -> Result<Option<Self>, ReadError> {
        let mut buf = Self::new();
        let mut byte = Zeroizing::new([0u8; 1]);
        let mut any = false;
        loop {
            match reader.read(byte.as_mut_slice()) {
                Ok(0) => return Ok(any.then_some(buf)),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReadError::Io(e)),
            }
            any = true;
            if byte.as_slice() == b"\n" {
                return Ok(Some(buf));
            }
            if u64::try_from(buf.len()).unwrap_or(u64::MAX) >= limit {
                return Err(ReadError::TooLarge);
            }
            buf.push(byte.as_slice())?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_keeps_every_byte() {
        let mut b = SecretBuf::new();
        for i in 0..1000u32 {
            b.push(&i.to_le_bytes()).unwrap();
        }
        assert_eq!(b.len(), 4000);
        assert_eq!(&b.as_bytes()[..8], &[0, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn read_all_with_a_limit() {
        let data = vec![7u8; 10_000];
        assert_eq!(
            SecretBuf::read_from(&mut &data[..], 10_000, false).unwrap().len(),
            10_000
        );
        assert!(matches!(
            SecretBuf::read_from(&mut &data[..], 9_999, false),
            Err(ReadError::TooLarge)
        ));
        assert_eq!(SecretBuf::read_from(&mut &data[..], 5000, true).unwrap().len(), 5000);
        assert_eq!(SecretBuf::read_from(&mut &data[..3], 5000, true).unwrap().len(), 3);
    }

    #[test]
    fn lines_stop_at_the_newline_and_leave_the_rest() {
        let mut input: &[u8] = b"first\r\nsecond\n\nlast";
        let line = |r: &mut &[u8]| SecretBuf::read_line(r, 100).unwrap().map(|b| b.as_bytes().to_vec());
        assert_eq!(line(&mut input).unwrap(), b"first\r");
        assert_eq!(line(&mut input).unwrap(), b"second");
        assert_eq!(line(&mut input).unwrap(), b"");
        assert_eq!(line(&mut input).unwrap(), b"last");
        assert_eq!(line(&mut input), None);
        assert!(matches!(
            SecretBuf::read_line(&mut &b"toolong\n"[..], 3),
            Err(ReadError::TooLarge)
        ));
    }
}
