//! Kernel shell of the sample encrypted virtual disk: a WDM, non-PnP Windows driver written
//! against `wdk-sys` that mounts LUKS1 containers as disk volumes, with `cryptdisk-core` doing
//! the cryptography, the control protocol and the mount orchestration.
//!
//! The driver creates one control device, `\Device\CryptDiskControl` (link
//! `\DosDevices\CryptDiskControl`), that only SYSTEM and the Administrators group can open. Its
//! `IOCTL_CRYPTDISK_MOUNT` / `UNMOUNT` / `LIST` requests ([`control_codes`]) are queued to the
//! control device's worker (a system thread), decoded and validated by
//! `cryptdisk_core::control` ([`control::handle_control`]) and carried out by
//! [`kernel::control_service::ControlService`]. Any other code gets
//! `STATUS_INVALID_DEVICE_REQUEST`.
//!
//! Each mounted container is a `\Device\CryptDiskVolumeN` disk device ([`kernel::disk`]) with its
//! own worker thread for the XTS data path; device-control queries are answered at once by
//! `cryptdisk_core::device::DiskDevice`. The mount and unmount sequences with the mount manager
//! are `cryptdisk_core::device::mount_plan`, run over [`kernel::host::KernelHost`].
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`control`] | the control requests, IRP-free: [`control::ControlHost`], [`control::MountOrder`] |
//! | [`mount_check`] | the container's header against the MOUNT request, then `Volume::from_params` |
//! | [`registry`] | the mounted volumes by number and letter |
//! | [`gate`] | dispatch routines vs. device deletion |
//! | [`kernel`] | every raw `wdk-sys` call, behind safe APIs (devices, IRPs, MDLs, threads, files, links, mount manager, security) |
//! | [`pool`], [`bugcheck`] | the allocator and the panic handler |
//!
//! The first four modules make no kernel calls: the user-mode exerciser compiles them on the
//! host and runs their unit tests (a host `cargo test` of this crate is impossible).
//!
//! # Memory
//!
//! The global allocator ([`pool`]) takes nonpaged pool with the tag `CDsk`. The driver's own
//! code paths allocate only through fallible calls ([`pool::try_box`], `Vec::try_reserve`) and
//! turn a failure into `STATUS_INSUFFICIENT_RESOURCES`, with one exception: MOUNT shares the
//! volume's description through an `Arc` (`Arc::try_new` is not stable). An *infallible*
//! allocation that fails ends in Rust's allocation-error handler, which panics, and the panic
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
pub mod gate;
pub mod kernel;
mod layout_checks;
pub mod mount_check;
pub mod pool;
pub mod registry;

pub use entry::driver_entry;
