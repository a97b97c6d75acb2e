//! `IOCTL_DISK_VERIFY`: the `VERIFY_INFORMATION` range must lie inside the disk.

use zerocopy::FromBytes;

use super::DiskDescription;
use crate::NtStatus;
use crate::layout::VerifyInformation;
use crate::reply::Reply;

/// Checks a verify request without reading anything: input shorter than
/// `sizeof(VERIFY_INFORMATION)` (16) → `INVALID_PARAMETER`; a negative `StartingOffset`, an end
/// that overflows `i64`, or an end past the size → `INVALID_PARAMETER`; otherwise `SUCCESS` with
/// `Information` 0 (the request has no output). The range need not be sector-aligned, and a
/// length of 0 is a valid (empty) range.
pub(crate) fn verify(disk: &DiskDescription, input: &[u8]) -> Reply {
    let Ok((request, _)) = VerifyInformation::read_from_prefix(input) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let start = request.starting_offset.get();
    let end = start.checked_add(i64::from(request.length.get()));
    match end {
        Some(end) if start >= 0 && end <= disk.size_i64() => Reply::success(0),
        _ => Reply::error(NtStatus::INVALID_PARAMETER),
    }
}
