#![doc = include_str!("../README.md")]
//!
//! # Contents
//!
//! - [`request`]: builders for every `IOCTL_MOUNTMGR_*` input (`MOUNTMGR_TARGET_NAME`,
//!   `MOUNTMGR_CREATE_POINT_INPUT`, `MOUNTMGR_MOUNT_POINT` filters, ...). They write into a
//!   caller's buffer (or, with `alloc`, a `Vec<u8>`), compute every offset with checked
//!   arithmetic, and report a request that does not fit as a typed error. The server-side
//!   [`MountPointFilter::parse`] checks a `QUERY_POINTS` / `DELETE_POINTS` input the way the mount
//!   manager does.
//! - [`reply`]: parsers of `MOUNTMGR_MOUNT_POINTS`, `MOUNTMGR_VOLUME_PATHS` and the fixed-size
//!   outputs. Every offset and length is checked before a byte is read; a reply whose `Size` is
//!   larger than what came back is the distinct outcome [`Parsed::Retry`].
//! - [`Client`]: sends requests over a [`Transport`], probes and retries variable-length outputs,
//!   and names the failing [`Step`] and `NTSTATUS` in its errors. It also runs the sequences of
//!   `protocol.md` §8.6 / §8.7 ([`Client::mount_at_letter`], [`Client::mount_without_letter`],
//!   [`Client::unmount_letters`], the recommended unmount, and [`Client::unmount`]).
//! - `windows` (Windows targets with the `std` feature): the user-mode transport over
//!   `\\.\MountPointManager`, on `windows::NtDevice`, the one user-mode NT device transport
//!   (exact `NTSTATUS` and `Information` of IOCTLs, reads, writes and flushes on any device).
//!
#![cfg_attr(not(test), no_std)]
#![cfg_attr(test, allow(clippy::restriction, reason = "unit tests: a failed expectation panics"))]
// `unsafe` is allowed in exactly one module, the Windows transport. Without that module the whole
// crate forbids it; with it the crate denies it, the transport module allows it with a reason, and
// `client`, `reply`, `request` and `sequence` forbid it themselves.
#![cfg_attr(not(all(windows, feature = "std")), forbid(unsafe_code))]
#![cfg_attr(all(windows, feature = "std"), deny(unsafe_code))]

/// The protocol crate this one is built on, re-exported so users keep one version of it.
pub use mountdev;

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod client;
pub mod reply;
pub mod request;
pub mod sequence;
mod transport;

#[cfg(feature = "sim")]
pub mod sim;

#[cfg(all(windows, feature = "std"))]
pub mod windows;

pub use client::{Client, ClientError, Scratch, Step};
pub use reply::{
    AutoMountState, DriveLetterInfo, LinkKind, MountPointEntry, MountPoints, Parsed, ReplyError, VolumePaths,
};
pub use request::{
    ChangeNotifyRequest, CreatePointRequest, FilterError, MountPointFilter, RequestError, SetAutoMountRequest,
    TargetNameRequest, VolumeMountPointRequest, WireRequest,
};
pub use sequence::{
    ArrivalOutcome, LetterOutcome, LetterSet, LinkSummary, MountOutcome, MountRequest, Needed, UnmountBy,
    UnmountOutcome,
};
pub use transport::Transport;
