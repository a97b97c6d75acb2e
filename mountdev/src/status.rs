//! `NTSTATUS` values and their severity classes.
//!
//! The I/O manager copies `Information` bytes of a METHOD_BUFFERED reply back to the caller only
//! when the status is not an error: success, informational *and warning* statuses such as
//! [`NtStatus::BUFFER_OVERFLOW`] hand data back; error statuses such as
//! [`NtStatus::BUFFER_TOO_SMALL`] hand back nothing (`protocol.md` §3.1, §6).

use core::fmt;

/// An `NTSTATUS` code, stored as its unsigned 32-bit bit pattern.
///
/// ```
/// use mountdev::{NtStatus, Severity};
/// assert_eq!(NtStatus::BUFFER_OVERFLOW.severity(), Severity::Warning);
/// assert!(NtStatus::BUFFER_OVERFLOW.copies_output());
/// assert!(!NtStatus::BUFFER_TOO_SMALL.copies_output());
/// assert_eq!(NtStatus::from_i32(-1073741811), NtStatus::INVALID_PARAMETER);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
#[doc(alias = "NTSTATUS")]
pub struct NtStatus(pub u32);

/// The class an `NTSTATUS` belongs to, taken from its two top bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// `0x0…`: the request succeeded.
    Success,
    /// `0x4…`: success with information.
    Informational,
    /// `0x8…`: a warning; output bytes are still copied back (e.g. `BUFFER_OVERFLOW`).
    Warning,
    /// `0xC…`: an error; no output bytes are copied back.
    Error,
}

macro_rules! statuses {
    ($($(#[$doc:meta])* $name:ident = $value:expr;)*) => {
        impl NtStatus {
            $($(#[$doc])* pub const $name: NtStatus = NtStatus($value);)*

            /// The symbolic name (without the `STATUS_` prefix) of a status this crate knows.
            ///
            /// ```
            /// assert_eq!(mountdev::NtStatus(0xC000_0010).name(), Some("INVALID_DEVICE_REQUEST"));
            /// assert_eq!(mountdev::NtStatus(0xC012_3456).name(), None);
            /// ```
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

statuses! {
    /// `STATUS_SUCCESS`.
    SUCCESS = 0x0000_0000;
    /// `STATUS_TIMEOUT` (a success code).
    TIMEOUT = 0x0000_0102;
    /// `STATUS_PENDING`: the IRP stays queued and is completed later.
    PENDING = 0x0000_0103;
    /// `STATUS_OBJECT_NAME_EXISTS` (informational).
    OBJECT_NAME_EXISTS = 0x4000_0000;
    /// `STATUS_BUFFER_OVERFLOW`: partial data; the header with the required length is copied back.
    BUFFER_OVERFLOW = 0x8000_0005;
    /// `STATUS_VERIFY_REQUIRED`: media changed (a warning).
    VERIFY_REQUIRED = 0x8000_0016;
    /// `STATUS_UNSUCCESSFUL`.
    UNSUCCESSFUL = 0xC000_0001;
    /// `STATUS_NOT_IMPLEMENTED`.
    NOT_IMPLEMENTED = 0xC000_0002;
    /// `STATUS_INFO_LENGTH_MISMATCH`: input shorter than the query structure.
    INFO_LENGTH_MISMATCH = 0xC000_0004;
    /// `STATUS_INVALID_PARAMETER`.
    INVALID_PARAMETER = 0xC000_000D;
    /// `STATUS_NO_SUCH_DEVICE`: e.g. a device still flagged `DO_DEVICE_INITIALIZING`.
    NO_SUCH_DEVICE = 0xC000_000E;
    /// `STATUS_INVALID_DEVICE_REQUEST`: unsupported IOCTL ("Incorrect function").
    INVALID_DEVICE_REQUEST = 0xC000_0010;
    /// `STATUS_NO_MEDIA_IN_DEVICE`.
    NO_MEDIA_IN_DEVICE = 0xC000_0013;
    /// `STATUS_MORE_PROCESSING_REQUIRED`.
    MORE_PROCESSING_REQUIRED = 0xC000_0016;
    /// `STATUS_ACCESS_DENIED`.
    ACCESS_DENIED = 0xC000_0022;
    /// `STATUS_BUFFER_TOO_SMALL`: output smaller than the fixed header; nothing is copied back.
    BUFFER_TOO_SMALL = 0xC000_0023;
    /// `STATUS_OBJECT_NAME_INVALID`.
    OBJECT_NAME_INVALID = 0xC000_0033;
    /// `STATUS_OBJECT_NAME_NOT_FOUND`: a device or link name that does not resolve.
    OBJECT_NAME_NOT_FOUND = 0xC000_0034;
    /// `STATUS_OBJECT_NAME_COLLISION`: a link that already exists.
    OBJECT_NAME_COLLISION = 0xC000_0035;
    /// `STATUS_OBJECT_PATH_NOT_FOUND`.
    OBJECT_PATH_NOT_FOUND = 0xC000_003A;
    /// `STATUS_SHARING_VIOLATION`: the object is in use in a way the request conflicts with (a
    /// second mount of a volume that is already mounted).
    SHARING_VIOLATION = 0xC000_0043;
    /// `STATUS_DELETE_PENDING`.
    DELETE_PENDING = 0xC000_0056;
    /// `STATUS_INSUFFICIENT_RESOURCES`.
    INSUFFICIENT_RESOURCES = 0xC000_009A;
    /// `STATUS_MEDIA_WRITE_PROTECTED`: writes to a read-only volume.
    MEDIA_WRITE_PROTECTED = 0xC000_00A2;
    /// `STATUS_DEVICE_NOT_READY`.
    DEVICE_NOT_READY = 0xC000_00A3;
    /// `STATUS_IO_TIMEOUT`.
    IO_TIMEOUT = 0xC000_00B5;
    /// `STATUS_NOT_SUPPORTED`.
    NOT_SUPPORTED = 0xC000_00BB;
    /// `STATUS_NOT_A_DIRECTORY`.
    NOT_A_DIRECTORY = 0xC000_0103;
    /// `STATUS_FILES_OPEN`: a dismount refused while handles to the volume are open.
    FILES_OPEN = 0xC000_0107;
    /// `STATUS_CANCELLED`.
    CANCELLED = 0xC000_0120;
    /// `STATUS_UNRECOGNIZED_VOLUME`.
    UNRECOGNIZED_VOLUME = 0xC000_014F;
    /// `STATUS_INVALID_DEVICE_STATE`.
    INVALID_DEVICE_STATE = 0xC000_0184;
    /// `STATUS_NOT_FOUND`: e.g. "no suggested link name".
    NOT_FOUND = 0xC000_0225;
    /// `STATUS_DEVICE_REMOVED`.
    DEVICE_REMOVED = 0xC000_02B6;
}

impl NtStatus {
    /// Builds a status from the signed form used by C (`LONG`) and by `wdk-sys`.
    pub const fn from_i32(value: i32) -> Self {
        Self(u32::from_ne_bytes(value.to_ne_bytes()))
    }

    /// The signed form used by C (`LONG`) and by `wdk-sys`.
    ///
    /// ```
    /// assert_eq!(mountdev::NtStatus::BUFFER_TOO_SMALL.as_i32(), -1073741789);
    /// ```
    pub const fn as_i32(self) -> i32 {
        i32::from_ne_bytes(self.0.to_ne_bytes())
    }

    /// The severity class from the two top bits.
    pub const fn severity(self) -> Severity {
        match self.0 >> 30 {
            0 => Severity::Success,
            1 => Severity::Informational,
            2 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// `NT_SUCCESS`: success or informational.
    pub const fn is_success(self) -> bool {
        self.as_i32() >= 0
    }

    /// `NT_WARNING`.
    pub const fn is_warning(self) -> bool {
        matches!(self.severity(), Severity::Warning)
    }

    /// `NT_ERROR`.
    pub const fn is_error(self) -> bool {
        matches!(self.severity(), Severity::Error)
    }

    /// Whether the I/O manager copies `Information` output bytes back to the caller for this
    /// status (every class but errors, `protocol.md` §3.1).
    pub const fn copies_output(self) -> bool {
        !self.is_error()
    }
}

impl fmt::Debug for NtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "STATUS_{name}({:#010X})", self.0),
            None => write!(f, "NTSTATUS({:#010X})", self.0),
        }
    }
}

impl fmt::Display for NtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A status is also an error value, so `?` can carry it in user-mode code.
impl core::error::Error for NtStatus {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_top_bits() {
        assert_eq!(NtStatus::SUCCESS.severity(), Severity::Success);
        assert_eq!(NtStatus::PENDING.severity(), Severity::Success);
        assert_eq!(NtStatus::OBJECT_NAME_EXISTS.severity(), Severity::Informational);
        assert_eq!(NtStatus::BUFFER_OVERFLOW.severity(), Severity::Warning);
        assert_eq!(NtStatus::BUFFER_TOO_SMALL.severity(), Severity::Error);
        assert!(NtStatus::OBJECT_NAME_EXISTS.is_success());
        assert!(!NtStatus::BUFFER_OVERFLOW.is_success());
        assert!(NtStatus::BUFFER_OVERFLOW.copies_output());
        assert!(NtStatus::VERIFY_REQUIRED.is_warning());
        assert!(NtStatus::INVALID_PARAMETER.is_error());
    }

    #[test]
    fn signed_round_trip_and_debug() {
        for s in [NtStatus::SUCCESS, NtStatus::BUFFER_OVERFLOW, NtStatus::DEVICE_REMOVED] {
            assert_eq!(NtStatus::from_i32(s.as_i32()), s);
        }
        extern crate std;
        use std::format;
        assert_eq!(format!("{:?}", NtStatus::NOT_FOUND), "STATUS_NOT_FOUND(0xC0000225)");
        assert_eq!(format!("{}", NtStatus(0xC0FF_EE00)), "NTSTATUS(0xC0FFEE00)");
    }
}
