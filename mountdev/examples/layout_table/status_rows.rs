//! Rows for every `NTSTATUS` value `mountdev::NtStatus` names, against mingw-w64's `ntstatus.h`.

use mountdev::NtStatus;

use crate::Row;

/// `NtStatus::NAME` against `STATUS_NAME`.
macro_rules! status {
    ($name:ident) => {
        row!(
            concat!("status ", stringify!($name)),
            concat!("STATUS_", stringify!($name)),
            NtStatus::$name.0
        )
    };
}

/// The status rows.
pub fn rows() -> Vec<Row> {
    vec![
        status!(SUCCESS),
        status!(TIMEOUT),
        status!(PENDING),
        status!(OBJECT_NAME_EXISTS),
        status!(BUFFER_OVERFLOW),
        status!(VERIFY_REQUIRED),
        status!(UNSUCCESSFUL),
        status!(NOT_IMPLEMENTED),
        status!(INFO_LENGTH_MISMATCH),
        status!(INVALID_PARAMETER),
        status!(NO_SUCH_DEVICE),
        status!(INVALID_DEVICE_REQUEST),
        status!(NO_MEDIA_IN_DEVICE),
        status!(MORE_PROCESSING_REQUIRED),
        status!(ACCESS_DENIED),
        status!(BUFFER_TOO_SMALL),
        status!(OBJECT_NAME_INVALID),
        status!(OBJECT_NAME_NOT_FOUND),
        status!(OBJECT_NAME_COLLISION),
        status!(OBJECT_PATH_NOT_FOUND),
        status!(SHARING_VIOLATION),
        status!(DELETE_PENDING),
        status!(INSUFFICIENT_RESOURCES),
        status!(MEDIA_WRITE_PROTECTED),
        status!(DEVICE_NOT_READY),
        status!(IO_TIMEOUT),
        status!(NOT_SUPPORTED),
        status!(NOT_A_DIRECTORY),
        status!(FILES_OPEN),
        status!(CANCELLED),
        status!(UNRECOGNIZED_VOLUME),
        status!(INVALID_DEVICE_STATE),
        status!(NOT_FOUND),
        status!(DEVICE_REMOVED),
    ]
}
