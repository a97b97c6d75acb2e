//! What a completion writes into `IoStatus.Information`.

use mountdev::{NtStatus, Reply};

/// The `(Status, Information)` a request completes with for `reply`, given the output length the
/// caller offered: `Information` is 0 on an error, and at most `output_len` otherwise (success
/// or a warning such as `STATUS_BUFFER_OVERFLOW`, which copies the bytes written). A
/// [`Reply::pending`] cannot complete a request; it becomes `STATUS_INVALID_DEVICE_REQUEST`
/// (the caller should have queued the request instead).
///
/// ```
/// use mountdev::{NtStatus, Reply};
/// use mountdev_wdk::checks::completion_information;
/// assert_eq!(completion_information(Reply::new(NtStatus::BUFFER_OVERFLOW, 4), 4), (NtStatus::BUFFER_OVERFLOW, 4));
/// assert_eq!(completion_information(Reply::new(NtStatus::INVALID_PARAMETER, 9), 16), (NtStatus::INVALID_PARAMETER, 0));
/// assert_eq!(completion_information(Reply::success(64), 16), (NtStatus::SUCCESS, 16));
/// ```
pub fn completion_information(reply: Reply, output_len: usize) -> (NtStatus, usize) {
    if reply.status == NtStatus::PENDING {
        return (NtStatus::INVALID_DEVICE_REQUEST, 0);
    }
    if reply.status.is_error() {
        (reply.status, 0)
    } else {
        (reply.status, reply.information.min(output_len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn information_follows_the_status_class() {
        for status in [
            NtStatus::SUCCESS,
            NtStatus::BUFFER_OVERFLOW,
            NtStatus::BUFFER_TOO_SMALL,
            NtStatus::INVALID_DEVICE_REQUEST,
            NtStatus::NOT_FOUND,
        ] {
            for information in [0usize, 1, 4, 100] {
                for output_len in [0usize, 4, 50] {
                    let (s, i) = completion_information(Reply::new(status, information), output_len);
                    assert_eq!(s, status);
                    if status.is_error() {
                        assert_eq!(i, 0);
                    } else {
                        assert_eq!(i, information.min(output_len));
                    }
                }
            }
        }
        assert_eq!(
            completion_information(Reply::pending(), 8),
            (NtStatus::INVALID_DEVICE_REQUEST, 0)
        );
    }
}
