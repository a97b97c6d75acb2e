//! [`answer_volume_ioctl`]: one call that answers any IOCTL a volume receives.

use mountdev::storage::DiskDescription;
use mountdev::{IoBuffers, MountdevVolume, NtStatus, Reply, handle_volume_ioctl};
use wdk_sys::NTSTATUS;

use super::irp::DeviceControl;
use super::notify::NotifyQueue;

/// Answers `request` with [`mountdev::handle_volume_ioctl`]: MOUNTDEV first, then disk /
/// storage / volume, and completes it; a `UNIQUE_ID_CHANGE_NOTIFY` that must wait goes into
/// `notify` (pended, cancel-safe). Any other code comes back untouched for the driver's own
/// handling.
///
/// A request whose transfer method is not `METHOD_BUFFERED` is offered to the handlers with
/// empty buffers (they own only buffered codes, apart from `FT_BALANCED_READ_MODE`, which they
/// refuse), so it is either refused or handed back.
///
/// # Errors
/// `Err(request)` when neither handler owns the code.
pub fn answer_volume_ioctl<V: MountdevVolume + ?Sized>(
    mut request: DeviceControl,
    volume: &V,
    disk: &DiskDescription,
    notify: &'static NotifyQueue,
) -> Result<NTSTATUS, DeviceControl> {
    let code = request.code();
    let reply: Option<Reply> = match request.buffers() {
        Ok(io) => handle_volume_ioctl(volume, disk, code, io).ok(),
        Err(NtStatus::INVALID_DEVICE_REQUEST) => {
            handle_volume_ioctl(volume, disk, code, IoBuffers::split(&[], &mut [])).ok()
        }
        // A buffered request without its buffer.
        Err(status) => Some(Reply::error(status)),
    };
    match reply {
        None => Err(request),
        Some(reply) if reply == Reply::pending() => Ok(notify.insert(request)),
        Some(reply) => Ok(request.complete(reply)),
    }
}
