//! The portable half of the sample driver (`sample-cryptdisk/driver`): everything it decides
//! without a kernel call, so that `cargo test --workspace` runs it on any host.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`control_codes`] | the control device's IOCTL codes, matched once into a [`control_codes::ControlCode`] |
//! | [`control`] | the control requests, IRP-free: [`control::ControlHost`], [`control::MountOrder`], [`control::handle_control`] |
//! | [`mount_check`] | the container's header against the MOUNT request, then `Volume::from_params` |
//! | [`registry`] | the mounted volumes by number and drive letter |
//! | [`service`] | MOUNT / UNMOUNT / LIST decisions over a [`service::Platform`] (the kernel's devices and mount-manager sessions) |
//! | [`volume_io`] | what a volume device does with each request, and the validated transfer ([`volume_io::ValidIo`]) its worker receives |
//! | [`gate`] | dispatch routines vs. device deletion |
//! | [`link_slot`] | the fallback drive-letter link a mount may create, one per volume |
//! | [`pool_align`] | where an over-aligned block sits inside a pool block |
//!
//! The driver crate (`cryptdisk-driver`, its own workspace because it links `wdk-sys`) keeps
//! only the thin wrappers over `wdk-sys` and the glue between them and this crate.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::restriction, reason = "unit tests: a failed expectation panics"))]

extern crate alloc;

pub mod control;
pub mod control_codes;
pub mod gate;
pub mod link_slot;
pub mod mount_check;
pub mod pool_align;
pub mod registry;
pub mod request;
pub mod service;

pub mod volume_io;
