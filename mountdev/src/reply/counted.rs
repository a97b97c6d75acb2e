//! The counted-reply contract for variable-length MOUNTDEV outputs (`protocol.md` §3.2).

use super::Reply;
use crate::NtStatus;

/// Writes a variable-length reply `header ++ tail` into `out`.
///
/// `header` holds the fixed part exactly as it must appear on the wire, length field included
/// (e.g. `[NameLength lo, hi]` for `MOUNTDEV_NAME`), and `c_sizeof` is the structure's C `sizeof`
/// (at least `header.len()`). The result follows `protocol.md` §3.2:
///
/// | `out.len()` | bytes written | status | `Information` |
/// |---|---|---|---|
/// | `< c_sizeof` | none | `BUFFER_TOO_SMALL` | 0 |
/// | `< header + tail` | header, zeros up to `c_sizeof` | `BUFFER_OVERFLOW` | `c_sizeof` |
/// | otherwise | header and tail | `SUCCESS` | `header + tail` |
///
/// ```
/// use mountdev::{NtStatus, reply::write_counted};
/// let name = [b'A', 0, b'B', 0];
/// let mut probe = [0xEE; 4];
/// let r = write_counted(&mut probe, 4, &[4, 0], &name);
/// assert_eq!((r.status, r.information), (NtStatus::BUFFER_OVERFLOW, 4));
/// assert_eq!(probe, [4, 0, 0, 0]);
/// let mut full = [0u8; 8];
/// let r = write_counted(&mut full, 4, &[4, 0], &name);
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 6));
/// ```
pub fn write_counted(out: &mut [u8], c_sizeof: usize, header: &[u8], tail: &[u8]) -> Reply {
    let c_sizeof = c_sizeof.max(header.len());
    let Some(total) = header.len().checked_add(tail.len()) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    if out.len() < c_sizeof {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    }
    if out.len() < total {
        let Some(partial) = out.get_mut(..c_sizeof) else {
            return Reply::error(NtStatus::BUFFER_TOO_SMALL);
        };
        partial.fill(0);
        if let Some(dst) = partial.get_mut(..header.len()) {
            dst.copy_from_slice(header);
        }
        return Reply::new(NtStatus::BUFFER_OVERFLOW, c_sizeof);
    }
    let (head_dst, rest) = out.split_at_mut(header.len());
    head_dst.copy_from_slice(header);
    if let Some(tail_dst) = rest.get_mut(..tail.len()) {
        tail_dst.copy_from_slice(tail);
    }
    Reply::success(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every output size from 0 to whole + 2, at the boundaries the contract names.
    #[test]
    fn every_output_size() {
        let tail: [u8; 6] = [b'a', 0, b'b', 0, b'c', 0];
        let header = [6u8, 0];
        for len in 0..=tail.len() + header.len() + 2 {
            let mut out = [0xAAu8; 16];
            let reply = write_counted(&mut out[..len], 4, &header, &tail);
            assert!(reply.is_consistent(len));
            match len {
                0..4 => assert_eq!(reply, Reply::error(NtStatus::BUFFER_TOO_SMALL)),
                4..8 => {
                    assert_eq!(reply, Reply::new(NtStatus::BUFFER_OVERFLOW, 4));
                    assert_eq!(&out[..4], &[6, 0, 0, 0]);
                }
                _ => {
                    assert_eq!(reply, Reply::success(8));
                    assert_eq!(&out[..8], &[6, 0, b'a', 0, b'b', 0, b'c', 0]);
                }
            }
            assert!(out[len..].iter().all(|&b| b == 0xAA), "wrote past the output at {len}");
        }
    }

    #[test]
    fn empty_tail_fits_in_sizeof() {
        let mut out = [0u8; 4];
        assert_eq!(write_counted(&mut out, 4, &[0, 0], &[]), Reply::success(2));
    }
}
