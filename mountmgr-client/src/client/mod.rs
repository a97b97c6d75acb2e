//! [`Client`]: sends `IOCTL_MOUNTMGR_*` requests over a [`Transport`], probes and retries
//! variable-length outputs, and reports failures with the [`Step`] and `NTSTATUS`.
//!
//! The client builds each request at the front of its [`Scratch`] and offers the rest as the
//! output buffer. For the variable-length replies (`QUERY_POINTS`, `DELETE_POINTS`,
//! `DELETE_POINTS_DBONLY`, `QUERY_DOS_VOLUME_PATH(S)`) it follows `protocol.md` §3.4: on
//! `STATUS_BUFFER_OVERFLOW` it reads the size the mount manager asked for (`Size`, or
//! `4 + MultiSzLength`), grows the scratch and sends the request again, at most
//! [`Client::max_attempts`] times. A fixed scratch cannot grow: a reply that does not fit is
//! [`ClientError::ScratchTooSmall`] with the size needed.
#![forbid(unsafe_code)]

mod commands;
mod error;
mod queries;
mod scratch;

use core::ops::Range;

use mountdev::NtStatus;
use mountdev::layout::{MountPointsHeader, VolumePathsHeader};

pub use error::{ClientError, Step};
pub use scratch::Scratch;

use crate::reply::ReplyError;
use crate::request::{RequestError, WireRequest};
use crate::transport::Transport;

/// Requests sent at most for one call by default (the first and three retries).
pub const DEFAULT_MAX_ATTEMPTS: u8 = 4;
/// The largest output a growing scratch is allowed to reach by default (1 MiB).
pub const DEFAULT_MAX_OUTPUT: usize = 1 << 20;
/// The first output a growing scratch offers to `QUERY_POINTS` and `QUERY_DOS_VOLUME_PATH(S)`.
pub const QUERY_INITIAL_OUTPUT: usize = 1024;
/// The first output offered to `DELETE_POINTS(_DBONLY)`: one page, because an overflowing
/// `DELETE_POINTS` deletes nothing (`protocol.md` §3.4, §8 item 7).
pub const DELETE_INITIAL_OUTPUT: usize = 4096;

/// A mount-manager client over a [`Transport`] with a [`Scratch`] buffer.
///
/// With `alloc`, `Client::new` uses a `Vec<u8>` that grows as needed. Without it, give the
/// client a fixed buffer with [`Client::with_scratch`]; replies that do not fit are reported, never
/// truncated.
///
/// ```
/// use mountdev::{NtStatus, Reply};
/// use mountmgr_client::{Client, ClientError, MountPointFilter, Step, Transport};
///
/// /// A mount manager that knows nothing and says so in the Wine way.
/// struct Empty;
/// impl Transport for Empty {
///     fn device_io_control(&mut self, _code: u32, _input: &[u8], output: &mut [u8]) -> Reply {
///         output[..8].copy_from_slice(&[8, 0, 0, 0, 0, 0, 0, 0]); // Size 8, no points
///         Reply::success(8)
///     }
/// }
///
/// let mut scratch = [0u8; 256];
/// let mut client = Client::with_scratch(Empty, &mut scratch[..]);
/// let points = client.query_points(&MountPointFilter::all()).unwrap();
/// assert!(points.is_empty());
///
/// // A scratch too small for even the 32-byte minimum output is refused before sending.
/// let mut tiny = [0u8; 40];
/// let mut client = Client::with_scratch(Empty, &mut tiny[..]);
/// assert!(matches!(
///     client.query_points(&MountPointFilter::all()),
///     Err(ClientError::ScratchTooSmall { step: Step::QueryPoints, required: 56 })
/// ));
/// ```
#[derive(Debug)]
pub struct Client<T, S> {
    transport: T,
    scratch: S,
    max_attempts: u8,
    max_output: usize,
    initial_output: Option<usize>,
}

#[cfg(feature = "alloc")]
impl<T: Transport> Client<T, alloc::vec::Vec<u8>> {
    /// A client with a growing `Vec<u8>` scratch.
    pub fn new(transport: T) -> Self {
        Self::with_scratch(transport, alloc::vec::Vec::new())
    }
}

impl<T: Transport, S: Scratch> Client<T, S> {
    /// A client that builds requests and receives replies in `scratch`.
    pub fn with_scratch(transport: T, scratch: S) -> Self {
        Self {
            transport,
            scratch,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            max_output: DEFAULT_MAX_OUTPUT,
            initial_output: None,
        }
    }

    /// Sends each variable-length request at most `attempts` times (at least once).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u8) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Refuses replies larger than `limit` bytes instead of growing the scratch to them.
    #[must_use]
    pub fn with_max_output(mut self, limit: usize) -> Self {
        self.max_output = limit;
        self
    }

    /// Offers `len` output bytes first to every variable-length request when the scratch can
    /// grow, instead of [`QUERY_INITIAL_OUTPUT`] / [`DELETE_INITIAL_OUTPUT`] (never less than the
    /// structure's C `sizeof`). A small value makes the client probe and retry; an overflowing
    /// `DELETE_POINTS` deletes nothing, so this is safe for deletions too.
    #[must_use]
    pub fn with_initial_output(mut self, len: usize) -> Self {
        self.initial_output = Some(len);
        self
    }

    /// How many times a variable-length request is sent at most.
    pub const fn max_attempts(&self) -> u8 {
        self.max_attempts
    }

    /// The transport.
    pub const fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The transport and the scratch.
    pub fn into_parts(self) -> (T, S) {
        (self.transport, self.scratch)
    }

    /// Sends `request` for `step` and returns the range of the scratch holding the output bytes
    /// the mount manager returned.
    fn exchange<R: WireRequest + ?Sized>(
        &mut self,
        step: Step,
        request: &R,
        output: Output,
    ) -> Result<Range<usize>, ClientError> {
        let in_len = request
            .required_len()
            .map_err(|error| ClientError::Request { step, error })?;
        let too_large = ClientError::Request {
            step,
            error: RequestError::TooLarge,
        };
        let output = match (output, self.initial_output) {
            (Output::Variable { size, .. }, Some(initial)) => Output::Variable {
                initial: initial.max(size.c_sizeof()),
                size,
            },
            (other, _) => other,
        };
        let preferred = in_len.checked_add(output.preferred()).ok_or(too_large)?;
        let minimum = in_len.checked_add(output.minimum()).ok_or(too_large)?;
        if !self.scratch.reserve(preferred) && !self.scratch.reserve(minimum) {
            return Err(ClientError::ScratchTooSmall {
                step,
                required: minimum,
            });
        }
        request
            .write_into(self.scratch.bytes_mut())
            .map_err(|error| ClientError::Request { step, error })?;
        let mut attempts: u8 = 0;
        loop {
            attempts = attempts.saturating_add(1);
            let (input, rest) =
                self.scratch
                    .bytes_mut()
                    .split_at_mut_checked(in_len)
                    .ok_or(ClientError::ScratchTooSmall {
                        step,
                        required: minimum,
                    })?;
            let offered = match output {
                Output::Variable { .. } => rest,
                Output::Fixed(len) => rest.get_mut(..len).ok_or(ClientError::ScratchTooSmall {
                    step,
                    required: minimum,
                })?,
            };
            let output_len = offered.len();
            let reply = self.transport.device_io_control(step.code(), input, offered);
            if !reply.is_consistent(output_len) {
                return Err(ClientError::InconsistentReply {
                    step,
                    status: reply.status,
                    information: reply.information,
                    output_len,
                });
            }
            let returned = in_len..in_len.saturating_add(reply.information);
            if reply.status.is_success() && reply.status != NtStatus::PENDING {
                return Ok(returned);
            }
            let Output::Variable { size, .. } = output else {
                return Err(ClientError::Refused {
                    step,
                    status: reply.status,
                });
            };
            if reply.status != NtStatus::BUFFER_OVERFLOW {
                return Err(ClientError::Refused {
                    step,
                    status: reply.status,
                });
            }
            let header = self.scratch.bytes().get(returned).unwrap_or(&[]);
            let required = size
                .required(header)
                .map_err(|error| ClientError::Reply { step, error })?;
            if required > self.max_output {
                return Err(ClientError::ReplyTooLarge {
                    step,
                    required,
                    limit: self.max_output,
                });
            }
            if attempts >= self.max_attempts {
                return Err(ClientError::RetriesExhausted {
                    step,
                    attempts,
                    required,
                });
            }
            let total = in_len.checked_add(required).ok_or(too_large)?;
            if !self.scratch.reserve(total) {
                return Err(ClientError::ScratchTooSmall { step, required: total });
            }
        }
    }

    /// The output bytes of a completed exchange.
    fn returned(&self, step: Step, range: Range<usize>) -> Result<&[u8], ClientError> {
        let available = self.scratch.bytes().len();
        let needed = range.end;
        self.scratch.bytes().get(range).ok_or(ClientError::Reply {
            step,
            error: ReplyError::Short { needed, available },
        })
    }
}

/// The output a request expects.
#[derive(Clone, Copy, Debug)]
enum Output {
    /// Exactly this many bytes (0 for requests without output).
    Fixed(usize),
    /// A variable-length reply probed and retried as `protocol.md` §3.4 describes.
    Variable {
        /// What to offer first when the scratch can grow.
        initial: usize,
        /// How the size of a `STATUS_BUFFER_OVERFLOW` reply is read.
        size: SizeField,
    },
}

impl Output {
    const fn preferred(self) -> usize {
        match self {
            Self::Fixed(len) => len,
            Self::Variable { initial, .. } => initial,
        }
    }

    const fn minimum(self) -> usize {
        match self {
            Self::Fixed(len) => len,
            Self::Variable { size, .. } => size.c_sizeof(),
        }
    }
}

/// Where a `STATUS_BUFFER_OVERFLOW` reply says how large the output must be.
#[derive(Clone, Copy, Debug)]
enum SizeField {
    /// `MOUNTMGR_MOUNT_POINTS.Size`: the whole reply.
    MountPoints,
    /// `MOUNTMGR_VOLUME_PATHS.MultiSzLength`: the list after the 4-byte header.
    VolumePaths,
}

impl SizeField {
    /// The structure's C `sizeof`, the smallest output the mount manager accepts.
    const fn c_sizeof(self) -> usize {
        match self {
            Self::MountPoints => MountPointsHeader::C_SIZEOF,
            Self::VolumePaths => VolumePathsHeader::C_SIZEOF,
        }
    }

    /// The output size a `STATUS_BUFFER_OVERFLOW` reply asks for (only its first 4 bytes are
    /// read: Wine returns nothing more).
    fn required(self, header: &[u8]) -> Result<usize, ReplyError> {
        let field = header
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .ok_or(ReplyError::Short {
                needed: 4,
                available: header.len(),
            })?;
        let value = u32::from_le_bytes(field);
        let (name, extra) = match self {
            Self::MountPoints => ("Size", 0),
            Self::VolumePaths => ("MultiSzLength", VolumePathsHeader::HEADER_SIZE),
        };
        let bad = ReplyError::Field {
            field: name,
            value: value.into(),
        };
        let required = usize::try_from(value)
            .ok()
            .and_then(|v| v.checked_add(extra))
            .ok_or(bad)?;
        Ok(required.max(self.c_sizeof()))
    }
}

/// A request without input bytes.
#[derive(Clone, Copy, Debug)]
struct NoInput;

impl WireRequest for NoInput {
    fn required_len(&self) -> Result<usize, RequestError> {
        Ok(0)
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        Ok(buf.get(..0).unwrap_or(&[]))
    }
}
