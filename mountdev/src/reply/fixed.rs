//! The fixed-size reply contract (`protocol.md` §5.1).

use super::Reply;
use crate::NtStatus;

/// Copies a fixed-size structure into `out`: too small → `BUFFER_TOO_SMALL` with `Information`
/// 0 and nothing written; otherwise `SUCCESS` with `Information = value.len()`.
///
/// ```
/// use mountdev::{NtStatus, reply::write_fixed};
/// let mut out = [0u8; 8];
/// assert_eq!(write_fixed(&mut out[..7], &[1; 8]).status, NtStatus::BUFFER_TOO_SMALL);
/// assert_eq!(write_fixed(&mut out, &[1; 8]).information, 8);
/// ```
pub fn write_fixed(out: &mut [u8], value: &[u8]) -> Reply {
    match out.get_mut(..value.len()) {
        Some(dst) => {
            dst.copy_from_slice(value);
            Reply::success(value.len())
        }
        None => Reply::error(NtStatus::BUFFER_TOO_SMALL),
    }
}
