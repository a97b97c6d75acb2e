//! [`Semaphore`]: the worker queue's wake-up count, a kernel dispatcher object with owned,
//! pinned storage (the kernel links it into wait lists, so [`Semaphore::new`] returns a
//! `Pin<Box<_>>`). Spin locks and events are the adapter's (`mountdev_wdk::SpinLock`,
//! `mountdev_wdk::Event`).

use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::null_mut;

use wdk_sys::ntddk::{KeInitializeSemaphore, KeReleaseSemaphore, KeWaitForSingleObject};
use wdk_sys::{_KWAIT_REASON, _MODE, FALSE, KSEMAPHORE};

use super::pool::{AllocError, try_box};

/// A kernel semaphore (`KSEMAPHORE`), pinned in nonpaged pool.
pub struct Semaphore {
    raw: UnsafeCell<KSEMAPHORE>,
    _pinned: PhantomPinned,
}

// SAFETY: a KSEMAPHORE is meant to be signalled and waited on from any thread.
unsafe impl Sync for Semaphore {}
// SAFETY: as above.
unsafe impl Send for Semaphore {}

impl Semaphore {
    /// A semaphore with count 0 and the given limit.
    ///
    /// # Errors
    ///
    /// [`AllocError`] when the pool is exhausted.
    pub fn new(limit: i32) -> Result<Pin<Box<Self>>, AllocError> {
        let boxed = Box::into_pin(try_box(Self {
            raw: UnsafeCell::new(KSEMAPHORE::default()),
            _pinned: PhantomPinned,
        })?);
        // SAFETY: the semaphore is at its final, pinned address and not shared yet.
        unsafe { KeInitializeSemaphore(boxed.raw.get(), 0, limit) };
        Ok(boxed)
    }

    /// Adds one to the count, waking one waiter (IRQL ≤ DISPATCH_LEVEL).
    pub fn release(&self) {
        // SAFETY: an initialised, pinned semaphore; adjustment 1 stays under the limit as long
        // as fewer than `limit` releases are outstanding (each queued IRP accounts for one).
        let _previous = unsafe { KeReleaseSemaphore(self.raw.get(), 0, 1, FALSE as _) };
    }

    /// Waits until the count is positive and takes one (PASSIVE_LEVEL).
    pub fn wait(&self) {
        // SAFETY: an initialised, pinned semaphore; a non-alertable kernel-mode wait with no
        // timeout only returns STATUS_SUCCESS.
        let _ = unsafe {
            KeWaitForSingleObject(
                self.raw.get().cast(),
                _KWAIT_REASON::Executive,
                _MODE::KernelMode as _,
                FALSE as _,
                null_mut(),
            )
        };
    }
}
