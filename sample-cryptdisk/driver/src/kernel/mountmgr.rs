//! Mount-manager sessions on their own system thread, over the adapter's
//! [`KernelTransport`] (`\Device\MountPointManager`, with the Wine fallback through a kernel
//! handle).
//!
//! The mount manager queries the volume synchronously while it holds its own lock
//! (protocol.md §8 items 8–9), so requests go out from a dedicated system thread, never from a
//! volume's worker (which must stay free to answer those queries) nor from a user's context.
//! [`with_mount_manager`] is the only way the driver gets a [`KernelTransport`], and it does
//! exactly that.

use mountdev::NtStatus;
use mountdev_wdk::KernelTransport;

use super::thread::SystemThread;

/// Opens the mount manager on a new system thread, runs `session` there with it, and returns
/// what `session` returned (PASSIVE_LEVEL; never call it from a volume's worker thread).
///
/// # Errors
///
/// The status of creating the thread or of opening `\Device\MountPointManager`.
pub fn with_mount_manager<R, F>(session: F) -> Result<R, NtStatus>
where
    R: Send + 'static,
    F: FnOnce(&mut KernelTransport) -> R + Send + 'static,
{
    SystemThread::run(move || {
        let mut mount_manager = KernelTransport::open()?;
        Ok(session(&mut mount_manager))
    })?
}
