//! (b) The per-volume worker: a system thread that serves the volume's queued IRPs one at a
//! time, at PASSIVE_LEVEL in the system process (where `ZwReadFile` on the container works).
//!
//! Dispatch routines [`Worker::submit`] an IRP with its job (what the dispatch routine decided,
//! e.g. a validated transfer): it is marked pending, the job is stored in the IRP's
//! `DriverContext`, the IRP is appended to the worker's own queue (a list through
//! `IRP.Tail.Overlay.ListEntry` under a spin lock: no allocation on the I/O path, and no
//! `ExInterlocked*` routine, which Wine 8 only stubs) and the worker is woken through a
//! semaphore; the worker hands IRP and job to its [`IrpHandler`]. [`Worker::stop`] refuses new
//! IRPs, lets the worker drain the queue, and joins the thread.
//!
//! # No cancel routine
//!
//! A queued IRP has no cancel routine, on purpose: a driver needs one only for IRPs it may hold
//! for an unbounded time (such as the adapter's `UNIQUE_ID_CHANGE_NOTIFY` IRPs, which wait until
//! the volume's ID changes, and do have one). Every IRP here leaves the queue in FIFO order to a
//! thread that does nothing else, and each [`IrpHandler`] completes it in bounded time (its
//! contract). So when the I/O manager cancels the IRPs of an exiting thread, it finds no cancel
//! routine and waits for their normal completion, which comes after at most the queued work
//! ahead of them; unmount and
//! unload stop the worker ([`Worker::stop`], or dropping it), which completes every queued IRP
//! before the device or the driver goes away. A cancel routine would add the
//! `IoSetCancelRoutine` / cancel-spin-lock race on both ends of the queue to gain only the
//! earlier failure of requests that are about to be served anyway.

use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;

use mountdev::NtStatus;
use mountdev_wdk::{Semaphore, SpinLock};
use wdk_sys::{LIST_ENTRY, NTSTATUS, STATUS_PENDING};

use super::irp::Irp;
use super::pool::try_box;
use super::thread::SystemThread;
use alloc::boxed::Box;

/// What the worker thread does with each IRP. It owns the IRP and must complete it.
pub trait IrpHandler: Send + 'static {
    /// What the dispatch routine decided for the IRP; stored in the IRP while it is queued
    /// (at most four pointers in size).
    type Job: Copy + Send + 'static;

    /// Serves one IRP (PASSIVE_LEVEL, system process) and completes it in bounded time: it may
    /// wait for the container file or the mount manager, never for an event only a user or a
    /// later request can cause (the queue has no cancel routine: see the module docs).
    fn handle(&mut self, irp: Irp, job: Self::Job);
}

/// A FIFO of owned IRPs, linked through their `Tail.Overlay.ListEntry`, each with its job.
struct IrpQueue<J> {
    // INVARIANT: every entry between head and tail came from `Irp::into_queue_entry` and is
    // owned by the queue; `next` links are only followed under the lock.
    head: Option<NonNull<LIST_ENTRY>>,
    tail: Option<NonNull<LIST_ENTRY>>,
    stopping: bool,
    _job: PhantomData<J>,
}

// SAFETY: the queue owns the IRPs it links (and their `Send` jobs), and IRPs may move between
// threads.
unsafe impl<J: Send> Send for IrpQueue<J> {}

impl<J: Copy + Send> IrpQueue<J> {
    const fn new() -> Self {
        Self {
            head: None,
            tail: None,
            stopping: false,
            _job: PhantomData,
        }
    }

    fn push(&mut self, irp: Irp, job: J) {
        let entry = irp.into_queue_entry(job);
        // SAFETY: the entry is the list field of an IRP the queue now owns; `Flink` is our link.
        unsafe { (*entry.as_ptr()).Flink = core::ptr::null_mut() };
        match self.tail {
            // SAFETY: `tail` is an entry the queue owns (invariant).
            Some(tail) => unsafe { (*tail.as_ptr()).Flink = entry.as_ptr() },
            None => self.head = Some(entry),
        }
        self.tail = Some(entry);
    }

    fn pop(&mut self) -> Option<(Irp, J)> {
        let head = self.head?;
        // SAFETY: `head` is an entry the queue owns (invariant); reading our link.
        let next = NonNull::new(unsafe { (*head.as_ptr()).Flink });
        self.head = next;
        if next.is_none() {
            self.tail = None;
        }
        // SAFETY: the entry came from `into_queue_entry::<J>` (every push of this queue) and
        // leaves the queue here, once.
        Some(unsafe { Irp::from_queue_entry::<J>(head) })
    }
}

/// The state the dispatch routines and the worker thread share.
struct Shared<J> {
    queue: SpinLock<IrpQueue<J>>,
    wake: Pin<Box<Semaphore>>,
}

/// A running worker (see the module docs) whose IRPs carry a `J`. Dropping it stops it.
pub struct Worker<J: Copy + Send + 'static> {
    shared: NonNull<Shared<J>>,
    thread: Option<SystemThread>,
}

// SAFETY: `Shared` is Sync (spin lock + semaphore; the jobs are Send) and the thread handle is
// Send.
unsafe impl<J: Copy + Send + 'static> Send for Worker<J> {}
// SAFETY: `submit` only touches `Shared` through its lock and semaphore.
unsafe impl<J: Copy + Send + 'static> Sync for Worker<J> {}

/// The worker thread's view of `Shared`, which outlives the thread (`Worker::stop` joins it
/// before freeing).
struct SharedPtr<J>(NonNull<Shared<J>>);
// SAFETY: `Shared` is Sync and outlives the thread.
unsafe impl<J: Send> Send for SharedPtr<J> {}

impl<J: Copy + Send + 'static> Worker<J> {
    /// Starts a worker thread that hands every submitted IRP, with its job, to `handler`
    /// (PASSIVE_LEVEL).
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES`, or the status of `PsCreateSystemThread`.
    pub fn start<H: IrpHandler<Job = J>>(mut handler: H) -> Result<Self, NtStatus> {
        let wake = Box::into_pin(try_box(Semaphore::new())?);
        wake.as_ref().init(i32::MAX);
        let shared = NonNull::from(Box::leak(try_box(Shared {
            queue: SpinLock::new(IrpQueue::new()),
            wake,
        })?));
        let view = SharedPtr(shared);
        let thread = SystemThread::spawn(move || {
            let view = view;
            // SAFETY: `Shared` outlives this thread (see `SharedPtr`).
            let shared = unsafe { view.0.as_ref() };
            loop {
                shared.wake.as_ref().wait();
                loop {
                    let next = shared.queue.lock().pop();
                    match next {
                        Some((irp, job)) => handler.handle(irp, job),
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

    fn shared(&self) -> &Shared<J> {
        // SAFETY: `shared` lives until `Drop` frees it after joining the thread.
        unsafe { self.shared.as_ref() }
    }

    /// Queues `irp` with `job` for the worker and returns `STATUS_PENDING` for the dispatch
    /// routine; after [`Worker::stop`] began, completes it with `STATUS_DELETE_PENDING` instead.
    /// IRQL ≤ DISPATCH_LEVEL.
    pub fn submit(&self, irp: Irp, job: J) -> NTSTATUS {
        match self.try_submit(irp, job) {
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
    pub fn try_submit(&self, mut irp: Irp, job: J) -> Result<NTSTATUS, Irp> {
        let shared = self.shared();
        {
            let mut queue = shared.queue.lock();
            if queue.stopping {
                return Err(irp);
            }
            // Pended without a cancel routine: the worker completes it in bounded time (module
            // docs, "No cancel routine").
            irp.mark_pending();
            queue.push(irp, job);
        }
        shared.wake.as_ref().release();
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
        self.shared().wake.as_ref().release();
        thread.join();
    }
}

impl<J: Copy + Send + 'static> Drop for Worker<J> {
    fn drop(&mut self) {
        self.stop_and_join();
        // SAFETY: the thread has ended, so nothing else uses `shared`; freed once, here.
        drop(unsafe { Box::from_raw(self.shared.as_ptr()) });
    }
}
