//! Kernel synchronisation objects with owned, pinned storage: [`SpinLock`], [`Semaphore`] and
//! [`Event`].
//!
//! Dispatcher objects (semaphores, events) are linked into wait lists by the kernel, so they must
//! not move once initialised: [`Semaphore::new`] returns a `Pin<Box<_>>` and [`Event`] is
//! initialised through `Pin<&mut _>` (`core::pin::pin!` on the stack). Queued spin locks are not
//! used: `ExInterlocked*` list routines are unimplemented stubs in Wine 8, so the driver keeps
//! its own lists under a [`SpinLock`].

use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::marker::PhantomPinned;
use core::ops::{Deref, DerefMut};
use core::pin::Pin;
use core::ptr::null_mut;

use wdk_sys::ntddk::{
    KeAcquireSpinLockRaiseToDpc, KeInitializeEvent, KeInitializeSemaphore, KeReleaseSemaphore, KeReleaseSpinLock,
    KeSetEvent, KeWaitForSingleObject,
};
use wdk_sys::{_EVENT_TYPE, _KWAIT_REASON, _MODE, FALSE, KEVENT, KIRQL, KSEMAPHORE, KSPIN_LOCK};

use super::pool::{AllocError, try_box};

/// A value protected by a kernel spin lock (`KeAcquireSpinLockRaiseToDpc` / `KeReleaseSpinLock`).
///
/// Holding the lock raises the IRQL to DISPATCH_LEVEL: the guarded code must not wait, touch
/// paged memory or call anything that needs PASSIVE_LEVEL.
pub struct SpinLock<T> {
    lock: UnsafeCell<KSPIN_LOCK>,
    value: UnsafeCell<T>,
}

// SAFETY: the lock serialises every access to `value`, which may move between threads.
unsafe impl<T: Send> Sync for SpinLock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A new, released lock (`KeInitializeSpinLock` is `*lock = 0` on x64).
    pub const fn new(value: T) -> Self {
        Self {
            lock: UnsafeCell::new(0),
            value: UnsafeCell::new(value),
        }
    }

    /// Acquires the lock (IRQL ≤ DISPATCH_LEVEL), raising to DISPATCH_LEVEL until the guard drops.
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        // SAFETY: `lock` is an initialised spin lock that lives as long as `self`; the previous
        // IRQL is restored by the guard.
        let old_irql = unsafe { KeAcquireSpinLockRaiseToDpc(self.lock.get()) };
        SpinLockGuard { owner: self, old_irql }
    }
}

/// Access to a [`SpinLock`]'s value while the lock is held.
pub struct SpinLockGuard<'a, T> {
    owner: &'a SpinLock<T>,
    old_irql: KIRQL,
}

impl<T> Deref for SpinLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other reference to the value exists.
        unsafe { &*self.owner.value.get() }
    }
}

impl<T> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as above, and `&mut self` makes this reference unique.
        unsafe { &mut *self.owner.value.get() }
    }
}

impl<T> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard acquired the lock with `old_irql` and releases it once.
        unsafe { KeReleaseSpinLock(self.owner.lock.get(), self.old_irql) };
    }
}

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

/// A kernel notification event (`KEVENT`), for waiting on one IRP's completion.
///
/// ```ignore
/// let event = core::pin::pin!(Event::new());
/// let event = event.into_ref();
/// event.init();
/// // hand event.as_ptr() to IoBuildDeviceIoControlRequest, then:
/// event.wait();
/// ```
pub struct Event {
    raw: UnsafeCell<KEVENT>,
    _pinned: PhantomPinned,
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl Event {
    /// Storage for an event; [`Event::init`] it once it is pinned.
    pub fn new() -> Self {
        Self {
            raw: UnsafeCell::new(KEVENT::default()),
            _pinned: PhantomPinned,
        }
    }

    /// `KeInitializeEvent(NotificationEvent, not signalled)`.
    pub fn init(self: Pin<&Self>) {
        // SAFETY: the event is pinned, so the kernel may keep pointers to it.
        unsafe { KeInitializeEvent(self.raw.get(), _EVENT_TYPE::NotificationEvent, FALSE as _) };
    }

    /// The raw event, for APIs that signal it.
    pub fn as_ptr(self: Pin<&Self>) -> *mut KEVENT {
        self.raw.get()
    }

    /// Signals the event.
    pub fn set(self: Pin<&Self>) {
        // SAFETY: an initialised, pinned event; Wait = FALSE.
        let _previous = unsafe { KeSetEvent(self.raw.get(), 0, FALSE as _) };
    }

    /// Waits until the event is signalled (PASSIVE_LEVEL).
    pub fn wait(self: Pin<&Self>) {
        // SAFETY: an initialised, pinned event; non-alertable kernel-mode wait, no timeout.
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
