//! The descriptor-reply contract of `IOCTL_STORAGE_QUERY_PROPERTY` (`protocol.md` §3.5).

use crate::NtStatus;
use crate::layout::StorageDescriptorHeader;
use crate::reply::Reply;

/// Writes a storage property descriptor into `out` by the rule property queries follow.
///
/// `descriptor` is the complete descriptor: it starts with its `STORAGE_DESCRIPTOR_HEADER`
/// (`Version`, `Size`), and its `Size` is `descriptor.len()`.
///
/// | `out.len()` | bytes written | status | `Information` |
/// |---|---|---|---|
/// | `< 8` | none | `BUFFER_TOO_SMALL` | 0 |
/// | `8 ..< descriptor.len()` | the 8-byte header (`Version`, `Size`) | **`SUCCESS`** | 8 |
/// | otherwise | the descriptor | `SUCCESS` | `descriptor.len()` |
///
/// A `descriptor` shorter than the header is a caller bug and gets `INVALID_PARAMETER`.
///
/// **This differs from [`crate::reply::write_counted`] on purpose.** The MOUNTDEV contract
/// answers a partial buffer with the *warning* `STATUS_BUFFER_OVERFLOW`; the storage stack's
/// callers (classpnp's `ClassGetDescriptor`, and whoever sent the "(8,40)" probe of the CryptDisk
/// log) send an 8-byte header probe, require `NT_SUCCESS`, then read `Size` and ask again, and
/// treat anything else as "property not supported". Do not merge the two functions.
///
/// ```
/// use mountdev::{NtStatus, storage::write_descriptor};
/// let descriptor = [12, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0]; // a seek-penalty descriptor
/// let mut probe = [0xEE; 8];
/// let r = write_descriptor(&mut probe, &descriptor);
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 8));
/// assert_eq!(probe, descriptor[..8]);
/// let mut full = [0u8; 16];
/// assert_eq!(write_descriptor(&mut full, &descriptor).information, 12);
/// ```
pub fn write_descriptor(out: &mut [u8], descriptor: &[u8]) -> Reply {
    let Some(header) = descriptor.get(..StorageDescriptorHeader::C_SIZEOF) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    if let Some(dst) = out.get_mut(..descriptor.len()) {
        dst.copy_from_slice(descriptor);
        return Reply::success(descriptor.len());
    }
    match out.get_mut(..header.len()) {
        Some(dst) => {
            dst.copy_from_slice(header);
            Reply::success(header.len())
        }
        None => Reply::error(NtStatus::BUFFER_TOO_SMALL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_size() {
        let descriptor: [u8; 12] = [12, 0, 0, 0, 12, 0, 0, 0, 1, 2, 3, 4];
        for len in 0..=descriptor.len() + 2 {
            let mut out = [0xAAu8; 16];
            let reply = write_descriptor(&mut out[..len], &descriptor);
            assert!(reply.is_consistent(len));
            let expected = match len {
                0..8 => Reply::error(NtStatus::BUFFER_TOO_SMALL),
                8..12 => Reply::success(8),
                _ => Reply::success(12),
            };
            assert_eq!(reply, expected, "len {len}");
            assert_eq!(&out[..reply.information], &descriptor[..reply.information]);
            assert!(
                out[reply.information..].iter().all(|&b| b == 0xAA),
                "wrote past Information at {len}"
            );
        }
        assert_eq!(
            write_descriptor(&mut [0u8; 16], &[1, 2, 3]),
            Reply::error(NtStatus::INVALID_PARAMETER)
        );
    }
}
