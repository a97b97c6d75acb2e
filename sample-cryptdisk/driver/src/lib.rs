//! Kernel shell of the sample encrypted virtual disk: a WDM, non-PnP Windows driver written
//! against `wdk-sys` that mounts LUKS1 containers as disk volumes, with `cryptdisk-core` doing
//! the cryptography, the control protocol and the mount orchestration, and
//! `cryptdisk-driver-logic` deciding what each request gets.
//!
//! The driver creates one control device, `\Device\CryptDiskControl` (link
//! `\DosDevices\CryptDiskControl`), that only SYSTEM and the Administrators group can open. Its
//! `IOCTL_CRYPTDISK_MOUNT` / `UNMOUNT` / `LIST` requests are matched once into a
//! `cryptdisk_driver_logic::control_codes::ControlCode`, queued with it to the control device's
//! worker (a system thread), decoded and validated by `cryptdisk_driver_logic::control` and
//! decided by `cryptdisk_driver_logic::service::ControlService` over
//! [`kernel::control_service::KernelPlatform`]. Any other code gets
//! `STATUS_INVALID_DEVICE_REQUEST`.
//!
//! Each mounted container is a `\Device\CryptDiskVolumeN` disk device ([`kernel::disk`]) with its
//! own worker thread for the XTS data path; device-control queries are answered at once by
//! `cryptdisk_core::device::DiskDevice`, transfers are validated once in the dispatch routine
//! (`cryptdisk_driver_logic::volume_io`) and queued with their validated range. The mount and
//! unmount sequences with the mount manager are `cryptdisk_core::device::mount_plan`, run over
//! [`kernel::host::KernelHost`].
//!
//! Everything here is [`kernel`]: thin safe wrappers over the raw `wdk-sys` calls the kernel
//! adapter `mountdev-wdk` does not offer (devices with typed extensions, IRP queues, MDLs,
//! threads, files, drive-letter lookups, security, the allocator) and the glue
//! between them and `cryptdisk-driver-logic`, which holds every decision and is tested by
//! `cargo test --workspace` (a host `cargo test` of this crate is impossible: it links
//! `wdk-sys`).
//!
//! # Memory
//!
//! The global allocator ([`kernel::pool`]) takes nonpaged pool with the tag `CDsk`. The driver's
//! own code paths allocate only through fallible calls ([`kernel::pool::try_box`],
//! `Vec::try_reserve`) and turn a failure into `STATUS_INSUFFICIENT_RESOURCES`, with one
//! exception: MOUNT shares the volume's description through an `Arc` (`Arc::try_new` is not
//! stable). An *infallible* allocation that fails ends in Rust's allocation-error handler, which
//! panics, and the panic handler of `mountdev-wdk` (feature `panic-handler`) stops the machine
//! with `mountdev_wdk::MOUNTDEV_WDK_BUGCHECK`.
#![no_std]

extern crate alloc;

pub mod kernel;

pub use kernel::entry::driver_entry;
