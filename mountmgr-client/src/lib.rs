//! The mount-manager side of the Windows Mount Manager protocol: requests to
//! `\Device\MountPointManager`, validated zero-copy parsers of its replies, a probing client, and
//! the mount / unmount sequences that keep phantom drive letters away.
//!
//! Names, codes and wire layouts all come from [`mountdev`]; this crate declares none of its own.
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
//! # Features
//!
//! - none: `no_std`, no allocation; the client works on a caller-provided scratch buffer.
//! - `alloc`: `Vec<u8>` builders and a scratch buffer that grows to the size the mount manager
//!   asks for.
//! - `std`: the Windows transport (`alloc` included). On other targets it changes nothing.
//! - `sim`: the behavioural mount-manager simulator, in a ReactOS mode and a Windows mode.
//!
//! # Example
//!
//! Build a `CREATE_POINT` request and parse a `MOUNTMGR_MOUNT_POINTS` reply:
//!
//! ```
//! use mountdev::{nt_name, DriveLetterLink};
//! use mountmgr_client::{CreatePointRequest, LinkKind, MountPoints, Parsed, WireRequest};
//!
//! // `\DosDevices\Z:` -> `\Device\XtsVolume1` (protocol.md §8 item 12): 72 bytes.
//! let z = DriveLetterLink::new(b'Z').unwrap();
//! let request = CreatePointRequest::drive_letter(&z, nt_name!("\\Device\\XtsVolume1"));
//! let mut buf = [0u8; 128];
//! let input = request.write_into(&mut buf).unwrap();
//! assert_eq!(input.len(), 72);
//! assert_eq!(&input[..8], &[8, 0, 28, 0, 36, 0, 36, 0]);
//!
//! // A reply with one point, `\DosDevices\C:` -> `\Device\HarddiskVolume1`, unique ID "/\0\0\0"
//! // (the shape Wine's mount manager produces; toolchain.md §5.4).
//! let link = nt_name!("\\DosDevices\\C:");
//! let device = nt_name!("\\Device\\HarddiskVolume1");
//! let mut reply = Vec::new();
//! reply.extend_from_slice(&110u32.to_le_bytes()); // Size
//! reply.extend_from_slice(&1u32.to_le_bytes()); // NumberOfMountPoints
//! for (offset, length) in [(78u32, 28u16), (106, 4), (32, 46)] {
//!     reply.extend_from_slice(&offset.to_le_bytes());
//!     reply.extend_from_slice(&length.to_le_bytes());
//!     reply.extend_from_slice(&[0, 0]); // Reserved
//! }
//! reply.extend_from_slice(device.as_le_bytes());
//! reply.extend_from_slice(link.as_le_bytes());
//! reply.extend_from_slice(b"/\0\0\0");
//!
//! let Parsed::Complete(points) = MountPoints::parse(&reply).unwrap() else { panic!("retry") };
//! let point = points.iter().next().unwrap();
//! assert_eq!(point.symbolic_link(), "\\DosDevices\\C:");
//! assert!(matches!(point.kind(), LinkKind::DriveLetter(l) if l.letter() == 'C'));
//! assert_eq!(point.unique_id(), Some(&b"/\0\0\0"[..]));
//! assert_eq!(point.device_name().unwrap(), "\\Device\\HarddiskVolume1");
//!
//! // A reply cut short after `Size` (what Wine returns on overflow) asks for a retry.
//! assert_eq!(MountPoints::parse(&reply[..4]).unwrap(), Parsed::Retry { required: 110 });
//! ```
#![cfg_attr(not(test), no_std)]
// `unsafe` is allowed in exactly one module, the Windows transport. Without that module the whole
// crate forbids it; with it the crate denies it, the transport module allows it with a reason, and
// `client`, `reply`, `request` and `sequence` forbid it themselves.
#![cfg_attr(not(all(windows, feature = "std")), forbid(unsafe_code))]
#![cfg_attr(all(windows, feature = "std"), deny(unsafe_code))]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

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
