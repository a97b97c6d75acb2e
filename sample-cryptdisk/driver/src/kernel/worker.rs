//! (b) The per-volume worker: a system thread that serves the volume's queued IRPs one at a
//! time, at PASSIVE_LEVEL in the system process (where `ZwReadFile` on the container works).
//!
//! Dispatch routines [`Worker::submit`] an IRP: it is marked pending, appended to the worker's
//! own queue (a list through `IRP.Tail.Overlay.ListEntry` under a spin lock: no allocation on
//! the I/O path, and no `ExInterlocked*` routine, which Wine 8 only stubs) and the worker is
//! woken through a semaphore. [`Worker::stop`] refuses new IRPs, lets the worker drain the
//! queue, and joins the thread.

use core::pin::Pin;
use core::ptr::NonNull;

use mountdev::NtStatus;
use wdk_sys::{LIST_ENTRY, NTSTATUS, STATUS_PENDING};

use super::irp::Irp;
use super::sync::{Semaphore, SpinLock};
use super::thread::SystemThread;
use crate::pool::try_box;
use alloc::boxed::Box;

/// What the worker thread does with each IRP. It owns the IRP and must complete it.
pub trait IrpHandler: Send + 'static {
    /// Serves one IRP (PASSIVE_LEVEL, system process).
    fn handle(&mut self, irp: Irp);
}

/// A FIFO of owned IRPs, linked through their `Tail.Overlay.ListEntry`.
struct IrpQueue {
    // INVARIANT: every entry between head and tail came from `Irp::into_list_entry` and is
    // owned by the queue; `next` links are only followed under the lock.
    head: Option<NonNull<LIST_ENTRY>>,
    tail: Option<NonNull<LIST_ENTRY>>,
    stopping: bool,
}

// SAFETY: the queue owns the IRPs it links, and IRPs may move between threads.
unsafe impl Send for IrpQueue {}

impl IrpQueue {
    const fn new() -> Self {
        Self {
            head: None,
            tail: None,
            stopping: false,
        }
    }

    fn push(&mut self, irp: Irp) {
        let entry = irp.into_list_entry();
        // SAFETY: the entry is the list field of an IRP the queue now owns; `Flink` is our link.
        unsafe { (*entry.as_ptr()).Flink = core::ptr::null_mut() };
        match self.tail {
            // SAFETY: `tail` is an entry the queue owns (invariant).
            Some(tail) => unsafe { (*tail.as_ptr()).Flink = entry.as_ptr() },
            None => self.head = Some(entry),
        }
        self.tail = Some(entry);
    }

    fn pop(&mut self) -> Option<Irp> {
        let head = self.head?;
        // SAFETY: `head` is an entry the queue owns (invariant); reading our link.
        let next = NonNull::new(unsafe { (*head.as_ptr()).Flink });
        self.head = next;
        if next.is_none() {
            self.tail = None;
        }
        // SAFETY: the entry came from `into_list_entry` and leaves the queue here, once.
        Some(unsafe { Irp::from_list_entry(head) })
    }
}

/// The state the dispatch routines and the worker thread share.
struct Shared {
    queue: SpinLock<IrpQueue>,
    wake: Pin<Box<Semaphore>>,
}

/// A running worker (see the module docs). Dropping it stops it.
pub struct Worker {
    shared: NonNull<Shared>,
    thread: Option<SystemThread>,
}

// SAFETY: `Shared` is Sync (spin lock + semaphore) and the thread handle is Send.
unsafe impl Send for Worker {}
// SAFETY: `submit` only touches `Shared` through its lock and semaphore.
unsafe impl Sync for Worker {}

/// The worker thread's view of `Shared`, which outlives the thread (`Worker::stop` joins it
/// before freeing).
struct SharedPtr(NonNull<Shared>);
// SAFETY: `Shared` is Sync and outlives the thread.
unsafe impl Send for SharedPtr {}

impl Worker {
    /// Starts a worker thread that hands every submitted IRP to `handler` (PASSIVE_LEVEL).
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES`, or the status of `PsCreateSystemThread`.
    pub fn start<H: IrpHandler>(mut handler: H) -> Result<Self, NtStatus> {
        let shared = NonNull::from(Box::leak(try_box(Shared {
            queue: SpinLock::new(IrpQueue::new()),
            wake: Semaphore::new(i32::MAX)?,
        })?));
        let view = SharedPtr(shared);
        let thread = SystemThread::spawn(move || {
            let view = view;
            // SAFETY: `Shared` outlives this thread (see `SharedPtr`).
            let shared = unsafe { view.0.as_ref() };
            loop {
                shared.wake.wait();
                loop {
                    let next = shared.queue.lock().pop();
                    match next {
                        Some(irp) => handler.handle(irp),
                        None => break,
                    }
                }
                let queue = shared.queue.lock();
                if queue.stopping && queue.head.is_none() {
                    break;
                }
            }
        });
        match thread {
            Ok(thread) => Ok(Self {
                shared,
                thread: Some(thread),
            }),
            Err(status) => {
                // SAFETY: no thread was started, so `shared` is still only ours.
                drop(unsafe { Box::from_raw(shared.as_ptr()) });
                Err(status)
            }
        }
    }

    fn shared(&self) -> &Shared {
        // SAFETY: `shared` lives until `Drop` frees it after joining the thread.
        unsafe { self.shared.as_ref() }
    }

    /// Queues `irp` for the worker and returns `STATUS_PENDING` for the dispatch routine; after
    /// [`Worker::stop`] began, completes it with `STATUS_DELETE_PENDING` instead.
    /// IRQL ≤ DISPATCH_LEVEL.
    pub fn submit(&self, irp: Irp) -> NTSTATUS {
        match self.try_submit(irp) {
            Ok(pending) => pending,
            Err(irp) => irp.fail(NtStatus::DELETE_PENDING),
        }
    }

    /// As [`Worker::submit`], but after [`Worker::stop`] began the IRP comes back to the caller
    /// (still owned, not completed), who may clean its buffers before failing it.
    /// IRQL ≤ DISPATCH_LEVEL.
    ///
    /// # Errors
    ///
    /// The IRP itself when the worker no longer takes requests.
    pub fn try_submit(&self, mut irp: Irp) -> Result<NTSTATUS, Irp> {
        let shared = self.shared();
        {
            let mut queue = shared.queue.lock();
            if queue.stopping {
                return Err(irp);
            }
            irp.mark_pending();
            queue.push(irp);
        }
        shared.wake.release();
        Ok(STATUS_PENDING)
    }

    /// Refuses new IRPs, lets the worker serve the ones queued, and waits for the thread to end
    /// (PASSIVE_LEVEL).
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.shared().queue.lock().stopping = true;
        self.shared().wake.release();
        thread.join();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop_and_join();
        // SAFETY: the thread has ended, so nothing else uses `shared`; freed once, here.
        drop(unsafe { Box::from_raw(self.shared.as_ptr()) });
    }
}
