//! [`ControlError`] and its one mapping to `NTSTATUS`.

use core::fmt;

use mountdev::NtStatus;

/// Why a control request or reply is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlError {
    /// Not one of the control IOCTL codes.
    UnknownCode {
        /// The code.
        code: u32,
    },
    /// The buffer is shorter than the structure needs.
    Short {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The buffer is longer than the structure says (trailing bytes are refused, not ignored).
    Trailing {
        /// Bytes expected.
        expected: usize,
        /// Bytes given.
        available: usize,
    },
    /// Wrong magic bytes.
    Magic,
    /// Unsupported protocol version.
    Version {
        /// The version given.
        version: u16,
    },
    /// Flag bits this version does not define, or a non-zero reserved field.
    Reserved {
        /// The structure field.
        field: &'static str,
    },
    /// A drive letter that is not `A`..=`Z` (lowercase is refused: the mount manager would not
    /// treat it as a letter).
    DriveLetter {
        /// The byte given.
        letter: u8,
    },
    /// A cipher this driver does not implement.
    Cipher {
        /// The cipher code given.
        cipher: u8,
    },
    /// A key length that does not match the cipher (32 or 64 bytes for AES-XTS), or key bytes
    /// beyond the length that are not zero.
    KeyLength {
        /// The length given.
        length: u16,
    },
    /// A payload offset or data size that is zero, too large or overflows.
    Size {
        /// Which size.
        field: &'static str,
        /// Its value.
        value: u64,
    },
    /// The container path is not an absolute NT path of an allowed form.
    Path {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A reply whose `Size` is larger than the bytes returned: retry with this many bytes.
    NeedsRetry {
        /// Bytes the complete reply needs.
        size: usize,
    },
    /// The output buffer cannot hold even the fixed part of the reply.
    OutputTooSmall {
        /// Bytes needed.
        needed: usize,
    },
    /// No memory for the request's master key.
    OutOfMemory,
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCode { code } => write!(f, "unknown control code {code:#010x}"),
            Self::Short { needed, available } => {
                write!(f, "request too short: {needed} bytes needed, {available} given")
            }
            Self::Trailing { expected, available } => {
                write!(f, "request has {available} bytes where {expected} were expected")
            }
            Self::Magic => f.write_str("not a cryptdisk control structure (bad magic)"),
            Self::Version { version } => write!(f, "unsupported control protocol version {version}"),
            Self::Reserved { field } => write!(f, "undefined bits set in {field}"),
            Self::DriveLetter { letter } => write!(f, "invalid drive letter byte {letter:#04x} (use A-Z)"),
            Self::Cipher { cipher } => write!(f, "unsupported cipher code {cipher}"),
            Self::KeyLength { length } => write!(f, "invalid master key length {length}"),
            Self::Size { field, value } => write!(f, "invalid {field} {value}"),
            Self::Path { reason } => write!(f, "invalid container path: {reason}"),
            Self::NeedsRetry { size } => write!(f, "reply incomplete: retry with {size} bytes"),
            Self::OutputTooSmall { needed } => write!(f, "output buffer too small: at least {needed} bytes needed"),
            Self::OutOfMemory => f.write_str("no memory for the request"),
        }
    }
}

impl core::error::Error for ControlError {}

impl From<ControlError> for NtStatus {
    /// The status the driver completes a bad control request with (exhaustive on purpose: a new
    /// variant must choose its status).
    fn from(error: ControlError) -> Self {
        match error {
            ControlError::UnknownCode { .. } => NtStatus::INVALID_DEVICE_REQUEST,
            ControlError::Short { .. }
            | ControlError::Trailing { .. }
            | ControlError::Magic
            | ControlError::Version { .. }
            | ControlError::Reserved { .. }
            | ControlError::DriveLetter { .. }
            | ControlError::KeyLength { .. }
            | ControlError::Size { .. }
            | ControlError::Path { .. } => NtStatus::INVALID_PARAMETER,
            ControlError::Cipher { .. } => NtStatus::NOT_SUPPORTED,
            ControlError::NeedsRetry { .. } => NtStatus::BUFFER_OVERFLOW,
            ControlError::OutputTooSmall { .. } => NtStatus::BUFFER_TOO_SMALL,
            ControlError::OutOfMemory => NtStatus::INSUFFICIENT_RESOURCES,
        }
    }
}
