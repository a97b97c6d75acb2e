//! Safe wrappers over the raw `wdk-sys` calls the driver makes that the kernel adapter
//! `mountdev-wdk` does not offer, one concern per module, and the glue that carries out what
//! `cryptdisk-driver-logic` decides. Names (`UnicodeBuf`), symbolic links (`SymbolicLink`), the
//! mount-manager transport (`KernelTransport`), MDL mapping (`Mdl`), the control device's security descriptor,
//! spin locks, semaphores and the panic handler come from the adapter.
//!
//! Every `unsafe` block of the driver lives below this module, does one operation and states
//! why it is sound. The IRQL each API needs is in its docs; most need PASSIVE_LEVEL.

use mountdev::NtStatus;
use wdk_sys::NTSTATUS;

pub mod control_service;
pub mod device;
pub mod disk;
pub mod entry;
pub mod file;
pub mod host;
pub mod irp;
mod layout_checks;
pub mod links;
pub mod mountmgr;
pub mod pool;
pub mod thread;
pub mod volume_lock;
pub mod worker;
pub mod xstate;

/// Converts a raw `NTSTATUS` to the project's [`NtStatus`].
pub const fn status(raw: NTSTATUS) -> NtStatus {
    NtStatus::from_i32(raw)
}

/// `Ok(())` for a success or informational status, the status as the error otherwise (warnings
/// such as `STATUS_BUFFER_OVERFLOW` count as failures here: no caller of this helper expects one).
///
/// # Errors
///
/// The status itself when it is not a success.
pub const fn check(raw: NTSTATUS) -> Result<(), NtStatus> {
    if wdk_sys::NT_SUCCESS(raw) {
        Ok(())
    } else {
        Err(status(raw))
    }
}
