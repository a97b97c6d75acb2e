//! Zero-copy, `no_std`, panic-free building blocks for the volume side of the Windows Mount
//! Manager protocol.
//!
//! A Windows volume driver answers the mount manager's `IOCTL_MOUNTDEV_*` queries (device name,
//! unique ID, stable GUID, suggested link, link created / deleted) and a set of disk and storage
//! IOCTLs. This crate gives it:
//!
//! - [`ioctl`]: every code as a constant, `CTL_CODE`, and a typed decode ([`ioctl::Ioctl`]);
//! - [`NtStatus`] with its severity classes;
//! - names whose byte lengths are right by construction: [`NtName`], [`DriveLetterLink`],
//!   [`VolumeGuidName`], [`Guid`], [`NtNameBuf`];
//! - [`layout`]: the wire structures, align-1 and little-endian, with both the header size and the
//!   C `sizeof`;
//! - [`reply`]: the reply contracts, written once;
//! - the [`MountdevVolume`] trait and [`handle_mountdev`], which answers every MOUNTDEV request;
//! - [`storage`]: a [`DiskDescription`] and [`handle_storage`], which answer every disk, storage and
//!   volume IOCTL a virtual disk must (geometry, length, partition information, property queries
//!   with their own 8-byte-probe contract, ...).
//!
//! The crate has no `unsafe`, no allocation, and no panic reachable from input: every parser
//! returns a typed error and every handler an `NTSTATUS`.
//!
//! # Example
//!
//! ```
//! use mountdev::ioctl::{IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME};
//! use mountdev::{DriveLetterLink, IoBuffers, MountdevVolume, NtName, NtStatus, SuggestedLink, UniqueId};
//! use mountdev::{handle_mountdev, nt_name};
//!
//! struct CryptVolume {
//!     letter: DriveLetterLink,
//! }
//!
//! impl MountdevVolume for CryptVolume {
//!     fn device_name(&self) -> NtName<'_> {
//!         nt_name!("\\Device\\CryptDiskVolume1")
//!     }
//!     fn unique_id(&self) -> UniqueId<'_> {
//!         UniqueId::new(b"cryptdisk-example-volume").unwrap()
//!     }
//!     fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
//!         Some(SuggestedLink::drive_letter(&self.letter, false))
//!     }
//! }
//!
//! let volume = CryptVolume { letter: DriveLetterLink::new(b'Z').unwrap() };
//!
//! // The mount manager probes with sizeof(MOUNTDEV_UNIQUE_ID) = 4 bytes first ...
//! let mut probe = [0u8; 4];
//! let reply = handle_mountdev(&volume, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IoBuffers::split(&[], &mut probe));
//! assert_eq!(reply.status, NtStatus::BUFFER_OVERFLOW);
//! let needed = 2 + usize::from(u16::from_le_bytes([probe[0], probe[1]]));
//!
//! // ... then retries with the length it read.
//! let mut full = vec![0u8; needed];
//! let reply = handle_mountdev(&volume, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IoBuffers::split(&[], &mut full));
//! assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, needed));
//! assert_eq!(&full[2..], b"cryptdisk-example-volume");
//!
//! // The suggested link is exactly 28 bytes: no terminator can sneak into the length.
//! let mut out = [0u8; 64];
//! let reply = handle_mountdev(&volume, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IoBuffers::split(&[], &mut out));
//! assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, 4 + 28));
//! assert_eq!(&out[..4], &[0, 0, 28, 0]);
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
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

pub mod ioctl;
pub mod layout;
pub mod name;
pub mod reply;
mod status;
pub mod storage;
mod volume;
mod volume_ioctl;

pub use name::{
    DriveLetterLink, Guid, MAX_DEVICE_NAME_BYTES, MAX_NAME_BYTES, NameError, NtName, NtNameBuf, VolumeGuidName,
};
pub use reply::{IoBuffers, Reply};
pub use status::{NtStatus, Severity};
pub use storage::{DiskConfig, DiskDescription, handle_storage, try_handle_storage};
pub use volume::{
    MountdevVolume, SuggestedLink, SuggestedName, UniqueId, UniqueIdError, handle_mountdev, try_handle_mountdev,
    write_unique_id_change,
};
pub use volume_ioctl::handle_volume_ioctl;

#[doc(hidden)]
pub mod __private {
    pub use widestring;
    pub use zerocopy::byteorder::little_endian::U16;
}

/// The workspace README's code block, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
