//! Everything that calls into the kernel through `wdk-sys`. Every `unsafe` block of the crate
//! lives below this module, does one operation and says why it is sound.

mod driver;
mod file;
mod irp;
mod mdl;
mod mountmgr;
mod notify;
mod pool;
mod security;
mod sync;
mod unicode;
mod volume;

#[cfg(all(feature = "panic-handler", not(test)))]
mod panic;
#[cfg(all(feature = "panic-handler", not(test)))]
pub use panic::MOUNTDEV_WDK_BUGCHECK;

pub use driver::{Device, DeviceSpec, Dispatch, SymbolicLink, Unload, install};
pub use file::{FileAccess, KernelFile};
pub use irp::{DeviceControl, IoctlParameters, Irp, Major, Transfer, TransferKind, TransferParameters};
pub use mdl::Mdl;
pub use mountmgr::{KernelTransport, MOUNTMGR_DEVICE_NAME};
pub use notify::{NOTIFY_CAPACITY, NotifyQueue};
pub use pool::{POOL_TAG, PoolBuf};
pub use security::SecurityError;
pub use sync::{Event, Semaphore, SpinLock, SpinLockGuard};
pub use unicode::{UnicodeBuf, UnicodeStr, nt_name_of};
pub use volume::{answer_volume_ioctl, answer_volume_irp};

/// The raw types a `DriverEntry` signature needs, re-exported so a driver written against this
/// crate names no `wdk-sys` item itself.
pub mod ffi {
    pub use wdk_sys::{
        DO_BUFFERED_IO, DO_DIRECT_IO, DRIVER_OBJECT, FILE_DEVICE_DISK, FILE_DEVICE_SECURE_OPEN, NTSTATUS,
        PCUNICODE_STRING, UNICODE_STRING,
    };
}

use mountdev::NtStatus;
use wdk_sys::NTSTATUS;

/// `Ok(())` for a success or informational status, the status as the error otherwise.
pub(crate) const fn check(raw: NTSTATUS) -> Result<(), NtStatus> {
    if wdk_sys::NT_SUCCESS(raw) {
        Ok(())
    } else {
        Err(NtStatus::from_i32(raw))
    }
}
