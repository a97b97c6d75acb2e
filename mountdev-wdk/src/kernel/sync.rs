//! [`SpinLock`] (a value behind a kernel spin lock, const-constructible for statics),
//! [`Event`] (a notification event for waiting on one IRP) and [`Semaphore`] (a count for waking
//! a worker thread per queued request).

use core::cell::UnsafeCell;
use core::marker::PhantomPinned;
use core::ops::{Deref, DerefMut};
use core::pin::Pin;
use core::ptr::null_mut;

use wdk_sys::ntddk::{
    KeAcquireSpinLockRaiseToDpc, KeInitializeEvent, KeInitializeSemaphore, KeReleaseSemaphore, KeReleaseSpinLock,
    KeWaitForSingleObject,
};
use wdk_sys::{_EVENT_TYPE, _KWAIT_REASON, _MODE, FALSE, KEVENT, KIRQL, KSEMAPHORE, KSPIN_LOCK, PVOID};

/// A value protected by a kernel spin lock (`KeAcquireSpinLockRaiseToDpc` /
/// `KeReleaseSpinLock`; the `ExInterlocked*` list routines are stubs in Wine 8).
///
/// Holding the lock raises the IRQL to DISPATCH_LEVEL: the guarded code must not wait, touch
/// paged memory or complete IRPs.
pub struct SpinLock<T> {
    lock: UnsafeCell<KSPIN_LOCK>,
    value: UnsafeCell<T>,
}

// SAFETY: the lock serialises every access to `value`, which may move between threads.
unsafe impl<T: Send> Sync for SpinLock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A released lock (`KeInitializeSpinLock` is `*lock = 0`), usable in a `static`.
    pub const fn new(value: T) -> Self {
        Self {
            lock: UnsafeCell::new(0),
            value: UnsafeCell::new(value),
        }
    }

    /// Acquires the lock (IRQL ≤ DISPATCH_LEVEL) until the guard drops.
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        // SAFETY: `lock` is an initialised spin lock that lives as long as `self`; the guard
        // restores the previous IRQL.
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

/// A kernel notification event (`KEVENT`). The kernel links it into wait lists, so it is used
/// pinned: `let event = core::pin::pin!(Event::new()); let event = event.into_ref(); event.init();`.
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

    /// Waits until the event is signalled (PASSIVE_LEVEL).
    pub fn wait(self: Pin<&Self>) {
        wait_for(self.raw.get().cast());
    }
}

/// A kernel semaphore (`KSEMAPHORE`). The kernel links it into wait lists, so it is used pinned
/// (in a `static`, a pinned box or a pinned local), like [`Event`]: [`Semaphore::init`] it once,
/// then [`Semaphore::release`] one count per queued item and [`Semaphore::wait`] for one.
pub struct Semaphore {
    raw: UnsafeCell<KSEMAPHORE>,
    _pinned: PhantomPinned,
}

// SAFETY: a KSEMAPHORE is meant to be signalled and waited on from any thread.
unsafe impl Sync for Semaphore {}
// SAFETY: as above.
unsafe impl Send for Semaphore {}

impl Default for Semaphore {
    fn default() -> Self {
        Self::new()
    }
}

impl Semaphore {
    /// Storage for a semaphore; [`Semaphore::init`] it once it is pinned.
    pub fn new() -> Self {
        Self {
            raw: UnsafeCell::new(KSEMAPHORE::default()),
            _pinned: PhantomPinned,
        }
    }

    /// `KeInitializeSemaphore` with count 0 and `limit`, before any other use.
    pub fn init(self: Pin<&Self>, limit: i32) {
        // SAFETY: the semaphore is pinned, so the kernel may keep pointers to it.
        unsafe { KeInitializeSemaphore(self.raw.get(), 0, limit) };
    }

    /// Adds one to the count, waking one waiter (IRQL ≤ DISPATCH_LEVEL). The caller keeps the
    /// count under the limit (one release per queued item, at most `limit` outstanding).
    pub fn release(self: Pin<&Self>) {
        // SAFETY: an initialised, pinned semaphore; adjustment 1, no wait follows.
        let _previous = unsafe { KeReleaseSemaphore(self.raw.get(), 0, 1, FALSE as _) };
    }

    /// Waits until the count is positive and takes one (PASSIVE_LEVEL).
    pub fn wait(self: Pin<&Self>) {
        wait_for(self.raw.get().cast());
    }
}

/// A non-alertable kernel-mode wait without timeout on an initialised, pinned dispatcher object
/// (PASSIVE_LEVEL); it only returns `STATUS_SUCCESS`.
fn wait_for(object: PVOID) {
    // SAFETY: callers pass the address of a pinned, initialised event or semaphore, which
    // outlives the wait.
    let _ = unsafe {
        KeWaitForSingleObject(
            object,
            _KWAIT_REASON::Executive,
            _MODE::KernelMode as _,
            FALSE as _,
            null_mut(),
        )
    };
}
