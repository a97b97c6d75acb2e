//! [`NotifyQueue`]: pended `IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY` requests, cancel-safe.
//!
//! `IoCsq*` are unimplemented stubs in Wine 8, so the queue has its own cancel routine, the
//! classic pattern: the queue's spin lock guards its slots; an IRP is in a slot exactly while
//! its cancel routine is set or running. Whoever clears the cancel routine (swap to null) owns
//! the IRP: the queue when it takes IRPs out (ID change, removal), else the cancel routine,
//! which removes its IRP from the slot under the lock and completes it `STATUS_CANCELLED`.
//! IRPs are always completed with no lock held.

use core::ffi::c_void;
use core::ptr::{NonNull, null_mut};
use core::sync::atomic::{AtomicPtr, Ordering};

use mountdev::{NtStatus, Reply, UniqueId, write_unique_id_change};
use wdk_sys::ntddk::IoReleaseCancelSpinLock;
use wdk_sys::{DEVICE_OBJECT, IRP, NTSTATUS, STATUS_PENDING};

use super::irp::{DeviceControl, Irp};
use super::sync::SpinLock;

/// How many notifications a queue holds (the mount manager keeps one per volume pending; a
/// request beyond this fails with `STATUS_INSUFFICIENT_RESOURCES`).
pub const NOTIFY_CAPACITY: usize = 4;

/// A pended IRP's address; the IRP is owned as the module docs describe.
#[derive(Clone, Copy)]
struct Pended(NonNull<IRP>);

// SAFETY: an IRP may be completed from any thread.
unsafe impl Send for Pended {}

/// Pended `UNIQUE_ID_CHANGE_NOTIFY` requests of one volume. Lives in a `static` (the cancel
/// routine finds it through the IRP), so it is `'static` by construction.
///
/// - [`crate::answer_volume_ioctl`] inserts requests (or call [`NotifyQueue::insert`]);
/// - [`NotifyQueue::complete_all`] answers them when the volume's unique ID changes;
/// - [`NotifyQueue::cancel_all`] completes them `STATUS_CANCELLED` when the volume goes away
///   (call it before the device is deleted);
/// - a caller's cancellation (`CancelIoEx`, thread exit) completes its request
///   `STATUS_CANCELLED` at once.
pub struct NotifyQueue {
    slots: SpinLock<[Option<Pended>; NOTIFY_CAPACITY]>,
}

impl Default for NotifyQueue {
    fn default() -> Self {
        Self::new()
    }
}

/// `IoSetCancelRoutine`: an interlocked exchange of `Irp->CancelRoutine` (a WDK inline the
/// bindings lack). Returns whether a routine was set before.
fn set_cancel_routine(irp: NonNull<IRP>, routine: *mut c_void) -> bool {
    // SAFETY: taking the address of a field of a live IRP, no read.
    let field = unsafe { &raw mut (*irp.as_ptr()).CancelRoutine }.cast::<*mut c_void>();
    // SAFETY: `field` is the pointer-sized, pointer-aligned CancelRoutine field of a live IRP,
    // which the kernel and this module access only with interlocked operations.
    let atomic = unsafe { AtomicPtr::from_ptr(field) };
    !atomic.swap(routine, Ordering::AcqRel).is_null()
}

fn cancel_routine_pointer() -> *mut c_void {
    let routine: unsafe extern "C" fn(*mut DEVICE_OBJECT, *mut IRP) = cancel_routine;
    routine as *mut c_void
}

/// The queue an IRP was inserted into, kept in `Tail.Overlay.DriverContext[0]` (the driver owns
/// DriverContext while it owns the IRP).
fn context_slot(irp: NonNull<IRP>) -> *mut *mut c_void {
    // SAFETY: taking the address of a field of a live IRP, no read.
    unsafe {
        (&raw mut (*irp.as_ptr())
            .Tail
            .Overlay
            .__bindgen_anon_1
            .__bindgen_anon_1
            .DriverContext)
            .cast()
    }
}

/// The cancel routine: called with the global cancel spin lock held.
unsafe extern "C" fn cancel_routine(_device: *mut DEVICE_OBJECT, irp: *mut IRP) {
    let Some(irp) = NonNull::new(irp) else { return };
    // SAFETY: the I/O manager passes the IRP being cancelled, live until it is completed.
    let irql = unsafe { (*irp.as_ptr()).CancelIrql };
    // SAFETY: the I/O manager called this routine holding the cancel spin lock; released once.
    unsafe { IoReleaseCancelSpinLock(irql) };
    // SAFETY: reading DriverContext[0], written by `insert` before the routine was set.
    let queue = unsafe { *context_slot(irp) }.cast::<NotifyQueue>().cast_const();
    // SAFETY: `insert` stored a `&'static NotifyQueue` there.
    let Some(queue) = (unsafe { queue.as_ref() }) else {
        return;
    };
    let removed = {
        let mut slots = queue.slots.lock();
        let slot = slots.iter_mut().find(|slot| matches!(slot, Some(p) if p.0 == irp));
        slot.and_then(Option::take).is_some()
    };
    if removed {
        // SAFETY: the cancel routine was cleared by the I/O manager before calling us, so this
        // routine owns the IRP, now out of the queue.
        if let Some(irp) = unsafe { Irp::from_raw(irp.as_ptr()) } {
            let _ = irp.fail(NtStatus::CANCELLED);
        }
    }
}

impl NotifyQueue {
    /// An empty queue, for a `static`.
    pub const fn new() -> Self {
        Self {
            slots: SpinLock::new([None; NOTIFY_CAPACITY]),
        }
    }

    /// Pends `request` (marked pending, cancel routine set) and returns `STATUS_PENDING` for the
    /// dispatch routine; completes it at once with `STATUS_CANCELLED` when it was cancelled
    /// already, or `STATUS_INSUFFICIENT_RESOURCES` when the queue is full.
    pub fn insert(&'static self, request: DeviceControl) -> NTSTATUS {
        let mut irp = request.into_irp();
        let raw = NonNull::new(irp.as_ptr());
        let Some(raw) = raw else {
            return irp.fail(NtStatus::INVALID_PARAMETER);
        };
        let queue: *const Self = self;
        // SAFETY: the IRP is ours; DriverContext belongs to the driver while it owns the IRP.
        unsafe { *context_slot(raw) = queue.cast_mut().cast() };
        irp.mark_pending();
        let mut slots = self.slots.lock();
        let Some(slot) = slots.iter_mut().find(|slot| slot.is_none()) else {
            drop(slots);
            let _ = irp.fail(NtStatus::INSUFFICIENT_RESOURCES);
            return STATUS_PENDING;
        };
        *slot = Some(Pended(irp.into_raw()));
        let _ = set_cancel_routine(raw, cancel_routine_pointer());
        // SAFETY: taking the address of a field of the live IRP, no read.
        let cancel_flag = unsafe { &raw const (*raw.as_ptr()).Cancel };
        // SAFETY: a volatile read of the IRP's Cancel flag, which IoCancelIrp sets concurrently.
        let cancelled = unsafe { core::ptr::read_volatile(cancel_flag) } != 0;
        if cancelled && set_cancel_routine(raw, null_mut()) {
            // Cancelled before the routine was set, and the routine will not run: ours to fail.
            *slot = None;
            drop(slots);
            // SAFETY: the IRP left the queue with its cancel routine cleared by us: we own it.
            if let Some(irp) = unsafe { Irp::from_raw(raw.as_ptr()) } {
                let _ = irp.fail(NtStatus::CANCELLED);
            }
        }
        // Otherwise it is queued, or the cancel routine runs and removes it.
        STATUS_PENDING
    }

    /// Takes every IRP whose cancel routine this call clears (the others are being cancelled
    /// and the cancel routine removes them).
    fn take_all(&self) -> [Option<Irp>; NOTIFY_CAPACITY] {
        let mut taken: [Option<Irp>; NOTIFY_CAPACITY] = [const { None }; NOTIFY_CAPACITY];
        let mut slots = self.slots.lock();
        for (slot, out) in slots.iter_mut().zip(taken.iter_mut()) {
            if let Some(pended) = *slot
                && set_cancel_routine(pended.0, null_mut())
            {
                *slot = None;
                // SAFETY: out of the queue with the cancel routine cleared by us: we own it.
                *out = unsafe { Irp::from_raw(pended.0.as_ptr()) };
            }
        }
        taken
    }

    /// Completes every pended notification with the change `old` → `new`
    /// ([`write_unique_id_change`]). Returns how many were completed. IRQL ≤ DISPATCH_LEVEL.
    pub fn complete_all(&self, old: UniqueId<'_>, new: UniqueId<'_>) -> usize {
        let mut count = 0usize;
        for irp in self.take_all().into_iter().flatten() {
            match irp.into_device_control() {
                Ok(mut request) => {
                    let reply = match request.buffers() {
                        Ok(io) => write_unique_id_change(io.into_output(), old, new),
                        Err(status) => Reply::error(status),
                    };
                    let _ = request.complete(reply);
                }
                Err(irp) => {
                    let _ = irp.fail(NtStatus::INVALID_DEVICE_REQUEST);
                }
            }
            count = count.saturating_add(1);
        }
        count
    }

    /// Completes every pended notification with `STATUS_CANCELLED` (the volume is going away).
    /// Returns how many. IRQL ≤ DISPATCH_LEVEL.
    pub fn cancel_all(&self) -> usize {
        let mut count = 0usize;
        for irp in self.take_all().into_iter().flatten() {
            let _ = irp.fail(NtStatus::CANCELLED);
            count = count.saturating_add(1);
        }
        count
    }

    /// How many requests are pended now.
    pub fn len(&self) -> usize {
        self.slots.lock().iter().filter(|slot| slot.is_some()).count()
    }

    /// Whether no request is pended.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
