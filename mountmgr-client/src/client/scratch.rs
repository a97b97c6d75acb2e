//! [`Scratch`]: the memory a [`crate::Client`] builds requests and receives replies in.

/// Memory for one request at a time: the input at the front, the output after it.
///
/// Implemented for fixed buffers (`&mut [u8]`, `[u8; N]`), which never grow, and with `alloc`
/// for `Vec<u8>`, which grows to whatever the mount manager asks for (up to the client's limit).
///
/// ```
/// use mountmgr_client::Scratch;
/// let mut fixed = [0u8; 64];
/// let mut scratch: &mut [u8] = &mut fixed;
/// assert!(scratch.reserve(64));
/// assert!(!scratch.reserve(65));
/// ```
pub trait Scratch {
    /// Makes at least `len` bytes available; `false` when this scratch cannot.
    fn reserve(&mut self, len: usize) -> bool;

    /// Every byte currently available.
    fn bytes_mut(&mut self) -> &mut [u8];

    /// Every byte currently available.
    fn bytes(&self) -> &[u8];
}

impl Scratch for &mut [u8] {
    fn reserve(&mut self, len: usize) -> bool {
        len <= self.len()
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }

    fn bytes(&self) -> &[u8] {
        self
    }
}

impl<const N: usize> Scratch for [u8; N] {
    fn reserve(&mut self, len: usize) -> bool {
        len <= N
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }

    fn bytes(&self) -> &[u8] {
        self
    }
}

#[cfg(feature = "alloc")]
impl Scratch for alloc::vec::Vec<u8> {
    fn reserve(&mut self, len: usize) -> bool {
        let Some(more) = len.checked_sub(self.len()) else {
            return true;
        };
        if self.try_reserve_exact(more).is_err() {
            return false;
        }
        self.resize(len, 0);
        true
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }

    fn bytes(&self) -> &[u8] {
        self
    }
}
