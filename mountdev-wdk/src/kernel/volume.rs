//! [`answer_volume_ioctl`]: one call that answers any IOCTL a volume receives, and
//! [`answer_volume_irp`]: one call that answers any IRP.

use mountdev::storage::DiskDescription;
use mountdev::{IoBuffers, MountdevVolume, NtStatus, Reply, handle_volume_ioctl};
use wdk_sys::NTSTATUS;

use super::irp::{DeviceControl, Irp, Major, Transfer};
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

/// Answers any IRP a volume receives: a device control through [`answer_volume_ioctl`] (a code
/// no handler owns fails with `STATUS_INVALID_DEVICE_REQUEST`), a read or write through `serve`,
/// create / cleanup / close / flush with success, anything else with
/// `STATUS_INVALID_DEVICE_REQUEST`. A driver with controls of its own calls
/// [`answer_volume_ioctl`] itself and handles what it hands back.
pub fn answer_volume_irp<V, F>(
    irp: Irp,
    volume: &V,
    disk: &DiskDescription,
    notify: &'static NotifyQueue,
    serve: F,
) -> NTSTATUS
where
    V: MountdevVolume + ?Sized,
    F: FnOnce(Transfer) -> NTSTATUS,
{
    let irp = match irp.into_device_control() {
        Ok(request) => {
            return answer_volume_ioctl(request, volume, disk, notify)
                .unwrap_or_else(|request| request.complete(Reply::error(NtStatus::INVALID_DEVICE_REQUEST)));
        }
        Err(irp) => irp,
    };
    match irp.into_transfer() {
        Ok(transfer) => serve(transfer),
        Err(irp) => match irp.major() {
            Major::Create | Major::Cleanup | Major::Close | Major::Flush => irp.complete(Reply::success(0)),
            Major::Read | Major::Write | Major::DeviceControl | Major::Other(_) => {
                irp.fail(NtStatus::INVALID_DEVICE_REQUEST)
            }
        },
    }
}
