//! A test kit for any driver's IOCTL handler (feature `testing`; needs `std`).
//!
//! Give it a handler `Fn(code, IoBuffers) -> Reply` (yours, not only this crate's) and a request;
//! [`check_handler`] takes the complete reply with a large buffer, then calls the handler at every
//! output size from 0 to the whole reply + 2 and checks, at each size:
//!
//! - no panic;
//! - `Information` never past the output length, and no `Information` with an error status;
//! - nothing written past `Information`, and nothing inside `Information` left unwritten (two
//!   calls with differently pre-filled buffers must return the same reply and bytes);
//! - one shared METHOD_BUFFERED buffer (input first, [`IoBuffers::shared`](crate::IoBuffers::shared)) gives the same reply
//!   and bytes as separate buffers;
//! - a reply equal to the complete reply carries the same bytes;
//! - for the codes it knows, their own rule:
//!   - the MOUNTDEV **counted reply** (`QUERY_DEVICE_NAME`, `QUERY_UNIQUE_ID`,
//!     `QUERY_SUGGESTED_LINK_NAME`): below the C `sizeof` an error (`BUFFER_TOO_SMALL`, or
//!     `INVALID_PARAMETER` as MSDN allows), from `sizeof` (the mount manager's 4-byte probe) up
//!     to the whole reply `BUFFER_OVERFLOW` with `Information = sizeof` and the length header
//!     the caller retries with, then `SUCCESS`; the length field equals the payload, and a
//!     name payload is a valid NT name (no NUL counted in the length);
//!   - the storage **descriptor probe** (`STORAGE_QUERY_PROPERTY` standard query): below 8
//!     bytes `BUFFER_TOO_SMALL`; from the 8-byte header probe up to the whole descriptor
//!     `SUCCESS` with `Information` 8 and the header, whose `Size` is the whole descriptor.
//!
//! The first broken rule comes back as a [`Violation`] naming the output size, the [`Rule`] and
//! the output bytes. A passing check returns the reply at every size ([`Checked::replies`]) so a
//! test can compare them with its own expectations.
//!
//! With feature `proptest`, [`strategy`] generates requests, inputs, names and wire layouts; with
//! `arbitrary`, [`Request`], [`InputShape`] and the fixed-size layouts implement
//! `arbitrary::Arbitrary`. A driver's property test or fuzz target is then one call to
//! [`Request::check`].
//!
//! # Example: two planted bugs
//!
//! ```
//! use mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME;
//! use mountdev::testing::{Rule, check_handler};
//! use mountdev::{IoBuffers, NtStatus, Reply};
//!
//! // "\Device\Vol1" as UTF-16LE, plus the terminator this handler wrongly counts.
//! let name: Vec<u8> = "\\Device\\Vol1\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
//! let counts_the_nul = |_code: u32, io: IoBuffers<'_>| {
//!     let out = io.into_output();
//!     if out.len() < 2 + name.len() {
//!         return Reply::error(NtStatus::BUFFER_TOO_SMALL);
//!     }
//!     out[..2].copy_from_slice(&(name.len() as u16).to_le_bytes());
//!     out[2..2 + name.len()].copy_from_slice(&name);
//!     Reply::success(2 + name.len())
//! };
//! let violation = check_handler(counts_the_nul, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[]).unwrap_err();
//! assert!(matches!(violation.rule, Rule::CountedName { .. }), "{violation}");
//! ```
//!
//! `mountdev/examples/check_my_handler.rs` plants both bugs the kit is for (the NUL in the
//! length, and `BUFFER_TOO_SMALL` to the 4-byte probe) and prints what it finds.

mod check;
mod completion;
mod request;
mod rules;
mod text;
mod violation;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
#[cfg(feature = "proptest")]
pub mod strategy;

pub use check::{Checked, ContractCheck, SENTINEL, check_handler};
pub use completion::check_completion;
pub use request::{InputShape, Request};
pub use text::utf16;
pub use violation::{Rule, Violation};
