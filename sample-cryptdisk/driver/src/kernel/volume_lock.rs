//! The file system on a volume, asked to let go before the volume is unmounted: a handle to the
//! volume opened by its device name (`ZwCreateFile` in the system process), then
//! `FSCTL_LOCK_VOLUME` and `FSCTL_DISMOUNT_VOLUME` through `ZwFsControlFile`.
//!
//! On Windows the open goes to the file system mounted on the volume (mounting one first if
//! there is none yet: RAW at least), and so do the requests: the file system refuses the lock
//! while files are open on it, and the dismount flushes it and invalidates its open files. The
//! handle is kept, locked, until the device is gone, so that no file system mounts the volume
//! again in between. Call these from a system thread that does not serve the volume's I/O (the
//! file system reads and writes the volume meanwhile). PASSIVE_LEVEL.

use core::ptr::null_mut;

use mountdev::ioctl::{FSCTL_DISMOUNT_VOLUME, FSCTL_LOCK_VOLUME};
use mountdev::{NtName, NtStatus};
use mountdev_wdk::UnicodeBuf;
use wdk_sys::ntddk::{ZwClose, ZwCreateFile, ZwFsControlFile};
use wdk_sys::{
    FILE_ATTRIBUTE_NORMAL, FILE_OPEN, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, GENERIC_READ,
    HANDLE, IO_STATUS_BLOCK, OBJ_CASE_INSENSITIVE, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, SYNCHRONIZE,
};

use super::check;

/// A handle to a volume, for the file-system requests of an unmount; closed on drop.
#[derive(Debug)]
pub struct VolumeHandle {
    // INVARIANT: a kernel handle opened for synchronous I/O, closed once (in Drop).
    handle: HANDLE,
    locked: bool,
}

// SAFETY: a kernel handle (OBJ_KERNEL_HANDLE) is valid in every thread and process context.
unsafe impl Send for VolumeHandle {}

impl VolumeHandle {
    /// Opens the volume `device` (`\Device\CryptDiskVolumeN`) for reading, sharing reads and
    /// writes (the lock, not the open, decides whether others may go on).
    ///
    /// # Errors
    /// The status of `ZwCreateFile` (`STATUS_DELETE_PENDING` once the device refuses opens,
    /// ...); `STATUS_INSUFFICIENT_RESOURCES` when the pool cannot hold the name.
    pub fn open(device: NtName<'_>) -> Result<Self, NtStatus> {
        let name = UnicodeBuf::from_name(device)?;
        let name = name.as_unicode().map_err(|_| NtStatus::OBJECT_NAME_INVALID)?;
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            ObjectName: name.as_ptr(),
            Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            ..OBJECT_ATTRIBUTES::default()
        };
        let mut iosb = IO_STATUS_BLOCK::default();
        let mut handle: HANDLE = null_mut();
        // SAFETY: every pointer is to a local that outlives the call; the name points into the
        // pool copy above, alive for the call.
        check(unsafe {
            ZwCreateFile(
                &mut handle,
                GENERIC_READ | SYNCHRONIZE,
                &mut attributes,
                &mut iosb,
                null_mut(),
                FILE_ATTRIBUTE_NORMAL,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                FILE_OPEN,
                FILE_SYNCHRONOUS_IO_NONALERT,
                null_mut(),
                0,
            )
        })?;
        Ok(Self { handle, locked: false })
    }

    /// `FSCTL_LOCK_VOLUME`: exclusive use of the volume for this handle.
    ///
    /// # Errors
    /// The file system's status: `STATUS_ACCESS_DENIED` while files are open on it.
    pub fn lock(&mut self) -> Result<(), NtStatus> {
        self.request(FSCTL_LOCK_VOLUME)?;
        self.locked = true;
        Ok(())
    }

    /// Whether [`VolumeHandle::lock`] succeeded.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// `FSCTL_DISMOUNT_VOLUME`: the file system flushes and lets go of the volume.
    ///
    /// # Errors
    /// The file system's status.
    pub fn dismount(&self) -> Result<(), NtStatus> {
        self.request(FSCTL_DISMOUNT_VOLUME)
    }

    /// One file-system control request without buffers (both codes are `METHOD_BUFFERED`,
    /// `FILE_ANY_ACCESS`).
    fn request(&self, code: u32) -> Result<(), NtStatus> {
        let mut iosb = IO_STATUS_BLOCK::default();
        // SAFETY: a synchronous handle (invariant), so the call returns once the request is
        // complete; no buffers; the status block is a local.
        check(unsafe {
            ZwFsControlFile(
                self.handle,
                null_mut(),
                None,
                null_mut(),
                &mut iosb,
                code,
                null_mut(),
                0,
                null_mut(),
                0,
            )
        })
    }
}

impl Drop for VolumeHandle {
    /// Closes the handle, which also ends the lock.
    fn drop(&mut self) {
        // SAFETY: the handle is closed once, here (invariant).
        let _ = unsafe { ZwClose(self.handle) };
    }
}
