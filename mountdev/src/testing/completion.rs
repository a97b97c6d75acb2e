//! [`check_completion`]: the rules one completion keeps, whatever the request.

use super::violation::Rule;
use crate::{NtStatus, Reply};

/// Checks the rules every completion keeps, whatever the request and the handler:
/// `Information` never past the output length the caller offered, and neither an error nor
/// `STATUS_PENDING` hands back bytes.
///
/// [`check_handler`](super::check_handler) applies it at every output size; a fuzz target or a
/// property test that calls a handler once applies it to that call, so both report the same
/// [`Rule`].
///
/// # Errors
/// The first broken [`Rule`].
///
/// ```
/// use mountdev::testing::{Rule, check_completion};
/// use mountdev::{NtStatus, Reply};
/// assert_eq!(check_completion(Reply::success(4), 4), Ok(()));
/// assert_eq!(check_completion(Reply::success(5), 4), Err(Rule::InformationPastOutput));
/// assert_eq!(check_completion(Reply::new(NtStatus::INVALID_PARAMETER, 1), 4), Err(Rule::ErrorWithInformation));
/// assert_eq!(check_completion(Reply::new(NtStatus::PENDING, 2), 4), Err(Rule::PendingWithInformation));
/// ```
pub fn check_completion(reply: Reply, output_len: usize) -> Result<(), Rule> {
    if reply.information > output_len {
        return Err(Rule::InformationPastOutput);
    }
    if reply.status.is_error() && reply.information != 0 {
        return Err(Rule::ErrorWithInformation);
    }
    if reply.status == NtStatus::PENDING && reply.information != 0 {
        return Err(Rule::PendingWithInformation);
    }
    Ok(())
}
