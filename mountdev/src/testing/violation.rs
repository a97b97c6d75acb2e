//! [`Violation`] and [`Rule`]: what the test kit reports when a handler breaks a reply rule.

use core::fmt;
use std::string::String;
use std::vec::Vec;

use crate::Reply;
use crate::ioctl::Ioctl;

/// A reply rule a handler broke, with what the rule expected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The handler panicked (a kernel driver would have bugchecked).
    Panic {
        /// The panic message, when it was a string.
        message: String,
    },
    /// `Information` is larger than the output buffer the caller offered.
    InformationPastOutput,
    /// An error status carries output bytes (`Information != 0`); the I/O manager copies none.
    ErrorWithInformation,
    /// `STATUS_PENDING` with `Information != 0`: a pended request completes later, and only that
    /// completion hands back bytes.
    PendingWithInformation,
    /// A byte at `offset`, at or past `Information`, was written.
    WrotePastInformation {
        /// The first written offset.
        offset: usize,
    },
    /// A byte at `offset`, below `Information`, was never written: it still holds whatever the
    /// caller's buffer held (in a kernel, stale pool memory handed to user mode).
    UnwrittenOutput {
        /// The first such offset.
        offset: usize,
    },
    /// The reply changed with the contents of the output buffer the caller offered.
    DependsOnOutputContents {
        /// The reply with the other buffer contents.
        other: Reply,
    },
    /// One METHOD_BUFFERED system buffer (input and output shared) gave another reply or other
    /// bytes than separate buffers: the handler wrote output before it had read all its input.
    SharedDiffers {
        /// The reply through the shared buffer.
        shared: Reply,
        /// The first `Information` bytes of the shared buffer.
        shared_bytes: Vec<u8>,
    },
    /// The same reply as with the largest buffer, but other bytes.
    DiffersFromWholeReply {
        /// The first differing offset.
        offset: usize,
    },
    /// A MOUNTDEV counted reply (`QUERY_DEVICE_NAME`, `QUERY_UNIQUE_ID`,
    /// `QUERY_SUGGESTED_LINK_NAME`; `protocol.md` §3.2) with the wrong status or `Information`
    /// for this output size: below the C `sizeof` `BUFFER_TOO_SMALL` (or `INVALID_PARAMETER`),
    /// from `sizeof` up to the whole reply `BUFFER_OVERFLOW` with `Information = sizeof`, then
    /// `SUCCESS` with the whole reply.
    CountedReply {
        /// What the rule requires at this size.
        expected: Reply,
    },
    /// A counted reply whose length field disagrees with what was sent: the field of a
    /// `BUFFER_OVERFLOW` header must be what the caller needs to retry, and a `SUCCESS` reply's
    /// `Information` must be the header plus the field.
    CountedLength {
        /// The length field as written.
        field: u16,
        /// The payload length the rest of the reply implies.
        expected: usize,
    },
    /// A counted reply whose name is not a valid NT name: odd byte length, empty, or a NUL
    /// UTF-16 unit (a terminator counted in the length).
    CountedName {
        /// Why the name is invalid.
        reason: crate::NameError,
    },
    /// A storage property descriptor (`STORAGE_QUERY_PROPERTY` standard query, `protocol.md` §3.5)
    /// with the wrong status or `Information` for this output size: below 8 bytes
    /// `BUFFER_TOO_SMALL`; from the 8-byte header probe up to the whole descriptor **`SUCCESS`**
    /// with the header (`Information` 8); then the whole descriptor.
    DescriptorProbe {
        /// What the rule requires at this size.
        expected: Reply,
    },
    /// A descriptor whose header `Size` is not the whole descriptor's length.
    DescriptorSize {
        /// `Size` as written.
        size: u32,
        /// The whole descriptor's length (`Information` of the complete reply).
        expected: usize,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Panic { message } => write!(f, "the handler panicked: {message}"),
            Self::InformationPastOutput => f.write_str("Information exceeds the output length"),
            Self::ErrorWithInformation => f.write_str("an error status with Information != 0"),
            Self::PendingWithInformation => f.write_str("STATUS_PENDING with Information != 0"),
            Self::WrotePastInformation { offset } => write!(f, "wrote byte {offset}, past Information"),
            Self::UnwrittenOutput { offset } => {
                write!(f, "byte {offset} is inside Information but was never written")
            }
            Self::DependsOnOutputContents { other } => {
                write!(
                    f,
                    "the reply depends on the output buffer's old contents (also saw {other:?})"
                )
            }
            Self::SharedDiffers { shared, .. } => {
                write!(f, "a shared METHOD_BUFFERED buffer answers differently: {shared:?}")
            }
            Self::DiffersFromWholeReply { offset } => {
                write!(f, "same reply as with the largest buffer, but byte {offset} differs")
            }
            Self::CountedReply { expected } => write!(f, "counted-reply rule: expected {expected:?}"),
            Self::CountedLength { field, expected } => {
                write!(
                    f,
                    "counted-reply length field {field}, but the reply implies {expected}"
                )
            }
            Self::CountedName { reason } => write!(f, "counted-reply name is invalid: {reason}"),
            Self::DescriptorProbe { expected } => write!(f, "descriptor-probe rule: expected {expected:?}"),
            Self::DescriptorSize { size, expected } => {
                write!(
                    f,
                    "descriptor header Size {size}, but the whole descriptor is {expected} bytes"
                )
            }
        }
    }
}

/// A broken reply rule: which request, at which output size, which rule, and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The IOCTL code.
    pub code: u32,
    /// The output length the caller offered.
    pub output_len: usize,
    /// The rule.
    pub rule: Rule,
    /// The reply (through separate buffers; after a panic, `STATUS_UNSUCCESSFUL`).
    pub reply: Reply,
    /// The output buffer after the call (separate buffers, pre-filled with
    /// [`super::SENTINEL`]), at most [`Violation::MAX_BYTES`] of it.
    pub bytes: Vec<u8>,
}

impl Violation {
    /// How many output bytes a violation keeps.
    pub const MAX_BYTES: usize = 4096;
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Ioctl::decode(self.code).name() {
            Some(name) => write!(f, "{name}")?,
            None => write!(f, "IOCTL {:#010x}", self.code)?,
        }
        write!(
            f,
            " with a {}-byte output: {} (reply {:?}, Information {}); output bytes:",
            self.output_len, self.rule, self.reply.status, self.reply.information
        )?;
        for byte in self.bytes.iter().take(64) {
            write!(f, " {byte:02x}")?;
        }
        if self.bytes.len() > 64 {
            f.write_str(" ...")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violation {}
