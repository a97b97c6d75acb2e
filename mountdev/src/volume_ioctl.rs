//! [`handle_volume_ioctl`]: one call that answers any IOCTL a volume receives, MOUNTDEV first,
//! then disk / storage / volume, handing the buffers back for the driver's own codes.

use crate::reply::{IoBuffers, Reply};
use crate::storage::{DiskDescription, try_handle_storage};
use crate::volume::{MountdevVolume, try_handle_mountdev};

/// Answers `code` from the volume's MOUNTDEV description ([`try_handle_mountdev`]) or, failing
/// that, from its disk description ([`try_handle_storage`]); any other code gets its buffers
/// back untouched, so the driver can answer its own controls (or fail them with
/// `STATUS_INVALID_DEVICE_REQUEST`).
///
/// This is the same composition a kernel adapter runs on a `METHOD_BUFFERED` IRP, so user-mode
/// tests that call it exercise the driver's path. It allocates nothing. A
/// [`Reply::pending`] (a `UNIQUE_ID_CHANGE_NOTIFY` whose input matches the current ID, when
/// the volume opted in) means the caller must queue the request.
///
/// # Errors
/// `Err(io)` when the code is neither a MOUNTDEV nor a disk / storage / volume request.
///
/// ```
/// use mountdev::ioctl::{IOCTL_DISK_GET_LENGTH_INFO, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME};
/// use mountdev::storage::{DiskConfig, DiskDescription};
/// use mountdev::{IoBuffers, MountdevVolume, NtName, NtStatus, UniqueId, handle_volume_ioctl, nt_name};
/// struct Vol;
/// impl MountdevVolume for Vol {
///     fn device_name(&self) -> NtName<'_> { nt_name!("\\Device\\RamVolume0") }
///     fn unique_id(&self) -> UniqueId<'_> { UniqueId::new(b"ram-volume-0").unwrap() }
/// }
/// let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
/// let mut out = [0u8; 64];
/// let r = handle_volume_ioctl(&Vol, &disk, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IoBuffers::split(&[], &mut out)).unwrap();
/// assert_eq!((r.status, r.information), (NtStatus::SUCCESS, 2 + 36));
/// let r = handle_volume_ioctl(&Vol, &disk, IOCTL_DISK_GET_LENGTH_INFO, IoBuffers::split(&[], &mut out)).unwrap();
/// assert_eq!((r.status, &out[..8]), (NtStatus::SUCCESS, &(1u64 << 20).to_le_bytes()[..]));
/// // A driver-private code comes back with its buffers:
/// assert!(handle_volume_ioctl(&Vol, &disk, 0x0022_2000, IoBuffers::split(&[], &mut out)).is_err());
/// ```
pub fn handle_volume_ioctl<'a, V: MountdevVolume + ?Sized>(
    volume: &V,
    disk: &DiskDescription,
    code: u32,
    io: IoBuffers<'a>,
) -> Result<Reply, IoBuffers<'a>> {
    match try_handle_mountdev(volume, code, io) {
        Ok(reply) => Ok(reply),
        Err(io) => try_handle_storage(disk, code, io),
    }
}
