//! Kernel shell of the sample encrypted virtual disk: a WDM, non-PnP Windows driver written
//! against `wdk-sys`, phase 1 (infrastructure).
//!
//! The driver creates one control device, `\Device\CryptDiskControl` (link
//! `\DosDevices\CryptDiskControl`), that only SYSTEM and the Administrators group can open. Its
//! `IOCTL_CRYPTDISK_MOUNT` / `UNMOUNT` / `LIST` requests ([`control_codes`]) answer
//! `STATUS_NOT_IMPLEMENTED` (see [`control::handle_control`]) until phase 2 decodes them with `cryptdisk_core::control`; any other
//! code gets `STATUS_INVALID_DEVICE_REQUEST`.
//!
//! The kernel pieces phase 2 wires together each live in their own module under [`kernel`],
//! with a safe API over the raw `wdk-sys` calls:
//!
//! | | module | what it gives phase 2 |
//! | --- | --- | --- |
//! | (a) | [`kernel::disk`] | `\Device\CryptDiskVolumeN` disk device objects |
//! | (b) | [`kernel::worker`] | a per-volume system thread with its own IRP queue |
//! | (c) | [`kernel::file`] | the container file as a `cryptdisk_core` block device |
//! | (d) | [`kernel::mdl`] | the system-space view of a READ/WRITE buffer |
//! | (e) | [`kernel::xstate`] | an RAII guard that saves AVX state around a request |
//! | (f) | [`kernel::mountmgr`] | a `mountmgr_client::Transport` to the mount manager |
//! | (g) | [`kernel::links::link_exists`] | "is drive letter X taken?" |
//! | (h) | [`kernel::links::OwnedLink`] | a drive-letter link the driver owns |
//!
//! Raw IRP, stack-location, device-object and MDL access is written once, in [`kernel::irp`],
//! [`kernel::device`] and [`kernel::mdl`]; the dispatch code above them has no `unsafe`.
//!
//! # Memory
//!
//! The global allocator ([`pool`]) takes nonpaged pool with the tag `CDsk`. The driver's own
//! code paths allocate only through fallible calls ([`pool::try_box`], `Vec::try_reserve`) and
//! turn a failure into `STATUS_INSUFFICIENT_RESOURCES`. An *infallible* allocation that fails
//! (inside a dependency) ends in Rust's allocation-error handler, which panics, and the panic
//! handler ([`bugcheck`]) stops the machine with [`bugcheck::CRYPTDISK_BUGCHECK`].
#![no_std]
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

extern crate alloc;

pub mod bugcheck;
pub mod control;
pub mod control_codes;
mod entry;
pub mod kernel;
mod layout_checks;
mod phase2;
pub mod pool;

pub use entry::driver_entry;
