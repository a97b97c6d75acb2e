//! The virtual disk device: what the kernel shell's IRP handlers call.
//!
//! - [`DiskDevice`] answers device-control requests at once (never queued behind I/O), by
//!   composing `mountdev`'s MOUNTDEV handler (with the volume's identity from its LUKS UUID) and
//!   its storage handler (geometry, length, partition, property queries, ...).
//! - [`DiskDevice::check_io`] validates read and write requests (512-byte alignment, bounds,
//!   read-only) before they are queued; [`read()`] and [`write()`] then run the XTS data path on the
//!   worker.
//! - [`mount_plan`] is the mount and unmount orchestration the driver runs, over the
//!   [`mount_plan::VolumeHost`] operations (create the device, links) and a mount-manager
//!   transport; the simulator provides both in user mode.
//!
//! ```
//! use cryptdisk_core::control::MountOptions;
//! use cryptdisk_core::device::{DiskDevice, IoKind};
//! use cryptdisk_core::uuid::Uuid;
//! use mountdev::ioctl::IOCTL_DISK_GET_LENGTH_INFO;
//! use mountdev::{IoBuffers, MountdevVolume, NtStatus};
//!
//! let uuid = Uuid::parse(b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c")?;
//! let device = DiskDevice::new(1, &uuid, 2048, MountOptions { read_only: true, removable: false }, Some(b'Z'))?;
//! assert_eq!(device.identity().device_name().to_string(), "\\Device\\CryptDiskVolume1");
//!
//! let mut out = [0u8; 8];
//! let reply = device.device_control(IOCTL_DISK_GET_LENGTH_INFO, IoBuffers::split(&[], &mut out));
//! assert_eq!((reply.status, u64::from_le_bytes(out)), (NtStatus::SUCCESS, 2048 * 512));
//! assert_eq!(device.check_io(IoKind::Write, 0, 512), Err(NtStatus::MEDIA_WRITE_PROTECTED));
//! assert_eq!(device.check_io(IoKind::Read, 511, 512), Err(NtStatus::INVALID_PARAMETER));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod disk;
mod io;
pub mod mount_plan;
#[cfg(feature = "sim")]
mod sim_host;
mod volume_identity;

pub use disk::{DEVICE_NAME_PREFIX, DeviceError, DiskDevice, MAX_TRANSFER_BYTES};
pub use io::{IoKind, SectorRange, read, status_of, write};
#[cfg(feature = "sim")]
pub use sim_host::{FileSystemSim, HostEvent, SimFileSystem};
pub use volume_identity::VolumeIdentity;
