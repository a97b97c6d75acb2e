//! Fallible allocation for the LUKS2 reading path (the kernel driver's MOUNT reads and validates
//! the header: pool exhaustion there must be an error, never the allocation-error handler).
//!
//! Every growth of a `Vec` or `String` while reading goes through these helpers, which reserve
//! with `try_reserve` first; section names of error messages are built on the stack
//! ([`Section`]) so that a successful read allocates only what it keeps.

use alloc::collections::TryReserveError;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Appends `item`, reserving room for it fallibly first.
pub(crate) fn try_push<T>(v: &mut Vec<T>, item: T) -> Result<(), TryReserveError> {
    v.try_reserve(1)?;
    v.push(item);
    Ok(())
}

/// Appends `bytes`, reserving room for them fallibly first.
pub(crate) fn try_extend(v: &mut Vec<u8>, bytes: &[u8]) -> Result<(), TryReserveError> {
    v.try_reserve(bytes.len())?;
    v.extend_from_slice(bytes);
    Ok(())
}

/// A copy of `text` in an allocation of exactly its length, made fallibly.
pub(crate) fn try_string(text: &str) -> Result<String, TryReserveError> {
    let mut s = String::new();
    s.try_reserve_exact(text.len())?;
    s.push_str(text);
    Ok(s)
}

/// `args` formatted into an allocation of exactly its length, made fallibly; with no memory, an
/// empty string (which allocates nothing). For the text of errors on the reading path: a
/// refused header must come back as an error even when the pool is exhausted, never as a call
/// to the allocation-error handler (`format!` would make that call).
pub(crate) fn format_or_empty(args: fmt::Arguments<'_>) -> String {
    /// Counts the bytes a formatting writes.
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 = self.0.checked_add(s.len()).ok_or(fmt::Error)?;
            Ok(())
        }
    }
    /// Appends within the reserved capacity only (never grows the string).
    struct Within(String);
    impl fmt::Write for Within {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let room = self.0.capacity().saturating_sub(self.0.len());
            if s.len() > room {
                return Err(fmt::Error);
            }
            self.0.push_str(s);
            Ok(())
        }
    }
    let mut count = Count(0);
    if fmt::write(&mut count, args).is_err() {
        return String::new();
    }
    let mut out = Within(String::new());
    if out.0.try_reserve_exact(count.0).is_err() || fmt::write(&mut out, args).is_err() {
        return String::new();
    }
    out.0
}

/// `format!` for error text on the reading path: [`format_or_empty`] of the arguments.
macro_rules! text {
    ($($arg:tt)*) => {
        $crate::luks2::fallible::format_or_empty(format_args!($($arg)*))
    };
}
pub(crate) use text;

/// `len` zero bytes in an allocation made fallibly.
pub(crate) fn try_zeroed(len: usize) -> Result<Vec<u8>, TryReserveError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)?;
    v.resize(len, 0);
    Ok(v)
}

/// Sorts `v` stably by `key` without allocating (insertion sort: LUKS2 has at most 32 key
/// slots; `slice::sort_by_key` may allocate a merge buffer).
pub(crate) fn sort_by_key_in_place<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while let Some(prev) = j.checked_sub(1) {
            let (Some(a), Some(b)) = (v.get(prev), v.get(j)) else {
                break;
            };
            if key(a) <= key(b) {
                break;
            }
            v.swap(prev, j);
            j = prev;
        }
    }
}

/// Capacity of a [`Section`]: the longest name written is `segment 4294967295.area`-like.
const SECTION_CAP: usize = 64;

/// A short section name (`keyslot 3.area`) formatted on the stack; text beyond
/// [`SECTION_CAP`] bytes is dropped at a character boundary (never reached by the names built).
pub(crate) struct Section {
    buf: [u8; SECTION_CAP],
    len: usize,
}

impl Section {
    /// `args` formatted.
    pub(crate) fn new(args: fmt::Arguments<'_>) -> Self {
        let mut s = Self {
            buf: [0; SECTION_CAP],
            len: 0,
        };
        let _ = fmt::Write::write_fmt(&mut s, args);
        s
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        let bytes = self.buf.get(..self.len).unwrap_or(&[]);
        core::str::from_utf8(bytes).unwrap_or("")
    }
}

impl fmt::Write for Section {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            let mut tmp = [0u8; 4];
            let enc = c.encode_utf8(&mut tmp).as_bytes();
            let end = self.len.checked_add(enc.len()).ok_or(fmt::Error)?;
            let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
            dst.copy_from_slice(enc);
            self.len = end;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_and_formats_sections() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key_in_place(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
        let s = Section::new(format_args!("keyslot {}.area", u32::MAX));
        assert_eq!(s.as_str(), "keyslot 4294967295.area");
        let long = Section::new(format_args!("{}", "é".repeat(40)));
        assert_eq!(long.as_str(), "é".repeat(32));
    }

    #[test]
    fn error_text_is_formatted_to_its_exact_length() {
        let s = text!("keyslot {}.{}", 7, "area");
        assert_eq!(s, "keyslot 7.area");
        assert_eq!(s.capacity(), s.len());
        assert_eq!(text!(""), "");
    }
}
