#![doc = include_str!("../README.md")]
//!
//! # Contents
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
//!   with their own 8-byte-probe contract, ...);
//! - `testing` (feature `testing`): the reply-contract test kit for any driver's handler.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

#[cfg(feature = "testing")]
extern crate std;

pub mod ioctl;
pub mod layout;
pub mod name;
pub mod reply;
mod status;
pub mod storage;
#[cfg(feature = "testing")]
pub mod testing;
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
