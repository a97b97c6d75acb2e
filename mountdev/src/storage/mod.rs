//! The disk, storage and volume IOCTLs a virtual disk must answer besides MOUNTDEV: geometry,
//! length, partition information, hotplug information, storage properties and the rest of
//! `protocol.md` §5.2, answered by one tested handler.
//!
//! A volume driver that answers only the `IOCTL_MOUNTDEV_*` queries still fails to get a file
//! system mounted: Windows also asks it for its geometry, length, partition information,
//! writability, storage properties and more. This module answers them from a plain description.
//!
//! - [`DiskConfig`]: what the driver writes (size, sector sizes, read-only, removable, hotplug,
//!   bus type, vendor / product / revision strings, device-number claim, GPT attributes with a
//!   `no_drive_letter` switch, ...), starting from [`DiskConfig::new`]'s defaults;
//! - [`DiskDescription::new`]: validates it once ([`DiskDescriptionError`]), so the handler never
//!   sees an invalid disk;
//! - [`handle_storage`] / [`try_handle_storage`]: answer a request `(code, input, output)` from
//!   the description, in the shape of [`crate::handle_mountdev`] (the same [`crate::IoBuffers`],
//!   input read before output is written, the `try_` form hands back codes it does not own);
//! - [`write_descriptor`]: the descriptor-reply contract of property queries, kept apart from
//!   [`crate::reply::write_counted`] on purpose.
//!
//! # The storage handler
//!
//! A driver's device-control path typically tries the MOUNTDEV handler, then this one, then its
//! own controls. Fixed-size replies follow [`crate::reply::write_fixed`] (too small →
//! `STATUS_BUFFER_TOO_SMALL`, `Information` 0). Property queries follow [`write_descriptor`]: an
//! output of 8 bytes or more that cannot hold the descriptor gets `STATUS_SUCCESS` with the
//! header only, the probe that the CryptDisk field report (`protocol.md` §0.1) shows failing as
//! "buffer too small (8,40)" (`protocol.md` §3.5).
//!
//! ```
//! use mountdev::ioctl::{IOCTL_DISK_GET_LENGTH_INFO, IOCTL_STORAGE_QUERY_PROPERTY};
//! use mountdev::layout::StoragePropertyQuery;
//! use mountdev::storage::{DiskConfig, DiskDescription, handle_storage};
//! use mountdev::{IoBuffers, NtStatus};
//! use zerocopy::IntoBytes;
//!
//! let disk = DiskDescription::new(&DiskConfig {
//!     vendor: "Rust",
//!     product: "CryptVol",
//!     revision: "1.0",
//!     ..DiskConfig::new(256 << 20)
//! })
//! .unwrap();
//!
//! // NTFS asks for the volume size.
//! let mut length = [0u8; 8];
//! let r = handle_storage(&disk, IOCTL_DISK_GET_LENGTH_INFO, IoBuffers::split(&[], &mut length));
//! assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 8));
//! assert_eq!(i64::from_le_bytes(length), 256 << 20);
//!
//! // The 8-byte header probe of the device descriptor: success, Version and Size only ...
//! let query = StoragePropertyQuery::new(
//!     StoragePropertyQuery::STORAGE_DEVICE_PROPERTY,
//!     StoragePropertyQuery::PROPERTY_STANDARD_QUERY,
//! );
//! let mut header = [0u8; 8];
//! let r = handle_storage(&disk, IOCTL_STORAGE_QUERY_PROPERTY, IoBuffers::split(query.as_bytes(), &mut header));
//! assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 8));
//! let version = u32::from_le_bytes(header[..4].try_into().unwrap());
//! let size = u32::from_le_bytes(header[4..].try_into().unwrap());
//! assert_eq!((version, size), (40, 40 + 5 + 9 + 4)); // "Rust\0" "CryptVol\0" "1.0\0"
//!
//! // ... then the caller asks again with Size bytes.
//! let mut full = vec![0u8; size as usize];
//! let r = handle_storage(&disk, IOCTL_STORAGE_QUERY_PROPERTY, IoBuffers::split(query.as_bytes(), &mut full));
//! assert_eq!((r.status, r.information), (NtStatus::SUCCESS, size as usize));
//! assert_eq!(&full[40..45], b"Rust\0");
//! ```

mod ascii;
mod bus_type;
mod description_error;
mod descriptor_reply;
mod device_number;
mod disk_description;
mod geometry;
mod handler;
mod partition;
mod property;
mod verify;

pub use bus_type::BusType;
pub use description_error::DiskDescriptionError;
pub use descriptor_reply::write_descriptor;
pub use device_number::DeviceNumberClaim;
pub use disk_description::{DiskConfig, DiskDescription, MAX_PRODUCT_LEN, MAX_REVISION_LEN, MAX_VENDOR_LEN};
pub use geometry::disk_geometry;
pub use handler::{handle_storage, try_handle_storage};
