//! System threads (`PsCreateSystemThread`) running a Rust closure, joined by handle.
//!
//! The threads run in the system process at PASSIVE_LEVEL, so handles they open with
//! `OBJ_KERNEL_HANDLE` and links they create land in the global namespace, whoever asked.

use alloc::boxed::Box;
use core::ptr::null_mut;

use mountdev::NtStatus;
use wdk_sys::ntddk::{
    KeDelayExecutionThread, PsCreateSystemThread, PsTerminateSystemThread, ZwClose, ZwWaitForSingleObject,
};
use wdk_sys::{
    _MODE, FALSE, HANDLE, LARGE_INTEGER, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, PVOID, STATUS_SUCCESS, THREAD_ALL_ACCESS,
};

use super::check;
use super::pool::try_box;

type Task = Box<dyn FnOnce() + Send>;

/// A running system thread; [`SystemThread::join`] waits for it. Dropping the value without
/// joining also waits, so no thread outlives the data it was given.
#[derive(Debug)]
pub struct SystemThread {
    // INVARIANT: a kernel handle to the thread, closed exactly once (in `join`).
    handle: HANDLE,
}

// SAFETY: a kernel handle may be waited on and closed from any thread of the system process
// and, being a kernel handle, from any process context.
unsafe impl Send for SystemThread {}
// SAFETY: shared access does nothing with the handle.
unsafe impl Sync for SystemThread {}

unsafe extern "C" fn thread_start(context: PVOID) {
    // SAFETY: `context` is the `Box<Task>` that `spawn` leaked for this thread, taken back once.
    let task = unsafe { Box::from_raw(context.cast::<Task>()) };
    task();
    // SAFETY: ends the current system thread; nothing of it is used afterwards.
    let _ = unsafe { PsTerminateSystemThread(STATUS_SUCCESS) };
}

impl SystemThread {
    /// Starts a system thread running `task` (PASSIVE_LEVEL).
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES` when the closure cannot be boxed, else the status of
    /// `PsCreateSystemThread`; `task` is dropped without running then.
    pub fn spawn<F: FnOnce() + Send + 'static>(task: F) -> Result<Self, NtStatus> {
        let task: Task = try_box(task)?;
        let context = Box::into_raw(try_box(task)?);
        let mut attributes = OBJECT_ATTRIBUTES {
            Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
            Attributes: OBJ_KERNEL_HANDLE,
            ..OBJECT_ATTRIBUTES::default()
        };
        let mut handle: HANDLE = null_mut();
        // SAFETY: out-pointers to locals; `thread_start` takes ownership of `context` only if
        // the thread was created.
        let created = check(unsafe {
            PsCreateSystemThread(
                &mut handle,
                THREAD_ALL_ACCESS,
                &mut attributes,
                null_mut(),
                null_mut(),
                Some(thread_start),
                context.cast(),
            )
        });
        if let Err(status) = created {
            // SAFETY: no thread was created, so `context` is still ours.
            drop(unsafe { Box::from_raw(context) });
            return Err(status);
        }
        Ok(Self { handle })
    }

    /// Waits until the thread has ended (PASSIVE_LEVEL).
    pub fn join(self) {
        drop(self);
    }

    /// Runs `task` on a new system thread and waits for its result (PASSIVE_LEVEL). For work
    /// that must not run in the caller's context: mount-manager requests, opening the
    /// container file in the system process.
    ///
    /// # Errors
    ///
    /// As [`SystemThread::spawn`].
    pub fn run<R: Send + 'static, F: FnOnce() -> R + Send + 'static>(task: F) -> Result<R, NtStatus> {
        /// Where the thread leaves its result; the joiner owns the storage.
        struct ResultSlot<R>(*mut Option<R>);
        // SAFETY: the thread writes the slot before it ends and the joiner reads it only after
        // the join, so the pointer is never used from two threads at once.
        unsafe impl<R: Send> Send for ResultSlot<R> {}

        let mut result: Box<Option<R>> = try_box(None)?;
        let slot = ResultSlot(&raw mut *result);
        let thread = Self::spawn(move || {
            let slot = slot;
            let value = task();
            // SAFETY: `result` outlives the thread (it is read only after the join below) and
            // nothing else touches it meanwhile.
            unsafe { slot.0.write(Some(value)) };
        })?;
        thread.join();
        result.take().ok_or(NtStatus::UNSUCCESSFUL)
    }
}

impl Drop for SystemThread {
    fn drop(&mut self) {
        // SAFETY: a valid kernel handle (invariant); a non-alertable wait without timeout.
        let _ = unsafe { ZwWaitForSingleObject(self.handle, FALSE as _, null_mut()) };
        // SAFETY: the handle is closed once, here (invariant).
        let _ = unsafe { ZwClose(self.handle) };
    }
}

/// Sleeps the current thread for about `ms` milliseconds (`KeDelayExecutionThread`, a relative,
/// non-alertable kernel-mode wait; PASSIVE_LEVEL).
pub fn sleep_ms(ms: u32) {
    // Relative intervals are negative, in 100 ns units.
    let mut interval = LARGE_INTEGER {
        QuadPart: i64::from(ms).saturating_mul(-10_000),
    };
    // SAFETY: `interval` is a local that outlives the call; a non-alertable kernel-mode delay
    // only returns STATUS_SUCCESS.
    let _ = unsafe { KeDelayExecutionThread(_MODE::KernelMode as _, FALSE as _, &mut interval) };
}
