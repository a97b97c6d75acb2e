//! [`Irp`]: an I/O request packet the driver owns until it completes it, with typed access to
//! its current stack location and buffers (`IoGetCurrentIrpStackLocation`, `IoMarkIrpPending`
//! and `IoCompleteRequest` of `wdm.h`, written once), and room for a small value that travels
//! with it while it waits in a queue (`Irp::into_list_entry`).

use core::ptr::NonNull;

use mountdev::ioctl::{IoctlCode, Method};
use mountdev::{IoBuffers, NtStatus, Reply};
use mountdev_wdk::Mdl;
use wdk_sys::ntddk::IofCompleteRequest;
use wdk_sys::{
    IO_NO_INCREMENT, IO_STACK_LOCATION, IRP, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
    IRP_MJ_FLUSH_BUFFERS, IRP_MJ_READ, IRP_MJ_WRITE, LIST_ENTRY, NTSTATUS, PIRP, SL_PENDING_RETURNED,
};

use cryptdisk_driver_logic::control::ControlBuffers;
pub use cryptdisk_driver_logic::request::Request;

/// An IRP the driver owns: it was passed to a dispatch routine and is not completed yet.
///
/// Completing consumes the value, so an IRP is completed exactly once; dropping one without
/// completing it would leak the request, so phase-1 code never does.
#[derive(Debug)]
pub struct Irp {
    // INVARIANT: points to an IRP that the I/O manager passed to this driver and that has not
    // been completed; its current stack location belongs to this driver.
    raw: NonNull<IRP>,
}

// SAFETY: an IRP may be completed from any thread (the worker completes IRPs dispatched on
// another); ownership moves with the value.
unsafe impl Send for Irp {}

impl Irp {
    /// Takes ownership of an IRP passed to a dispatch routine.
    ///
    /// # Safety
    ///
    /// `raw` must be the IRP the I/O manager passed to this driver's dispatch routine, not yet
    /// completed, and the caller gives up every other use of it.
    pub unsafe fn from_raw(raw: PIRP) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self { raw })
    }

    fn irp(&self) -> &IRP {
        // SAFETY: the invariant says the IRP is live; `&self` gives shared access.
        unsafe { self.raw.as_ref() }
    }

    fn current_stack_ptr(&self) -> *mut IO_STACK_LOCATION {
        // SAFETY: while a driver owns an IRP, `Tail.Overlay` is the active member of `Tail`.
        let overlay = unsafe { &self.irp().Tail.Overlay };
        // SAFETY: in a dispatched IRP this union holds the current stack location, not a
        // packet type.
        unsafe { overlay.__bindgen_anon_2.__bindgen_anon_1.CurrentStackLocation }
    }

    fn stack(&self) -> &IO_STACK_LOCATION {
        let location = self.current_stack_ptr();
        // SAFETY: a dispatched IRP's current stack location is valid for as long as the IRP.
        unsafe { &*location }
    }

    /// The request, decoded from the current stack location.
    pub fn request(&self) -> Request {
        let stack = self.stack();
        match u32::from(stack.MajorFunction) {
            IRP_MJ_CREATE => Request::Create,
            IRP_MJ_CLEANUP => Request::Cleanup,
            IRP_MJ_CLOSE => Request::Close,
            IRP_MJ_FLUSH_BUFFERS => Request::Flush,
            IRP_MJ_READ => {
                // SAFETY: for IRP_MJ_READ the `Read` member of the parameters union is the
                // active one.
                let read = unsafe { stack.Parameters.Read };
                // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
                let offset = unsafe { read.ByteOffset.QuadPart };
                Request::Read {
                    offset,
                    length: read.Length,
                }
            }
            IRP_MJ_WRITE => {
                // SAFETY: for IRP_MJ_WRITE the `Write` member is the active one.
                let write = unsafe { stack.Parameters.Write };
                // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
                let offset = unsafe { write.ByteOffset.QuadPart };
                Request::Write {
                    offset,
                    length: write.Length,
                }
            }
            IRP_MJ_DEVICE_CONTROL => {
                // SAFETY: for IRP_MJ_DEVICE_CONTROL the `DeviceIoControl` member is active.
                let control = unsafe { stack.Parameters.DeviceIoControl };
                Request::DeviceControl {
                    code: control.IoControlCode,
                    input_length: control.InputBufferLength,
                    output_length: control.OutputBufferLength,
                }
            }
            _ => Request::Other(stack.MajorFunction),
        }
    }

    /// The buffers of a `METHOD_BUFFERED` IOCTL (one system buffer shared by input and output).
    /// Other methods, and other requests, get empty buffers: the control device defines only
    /// buffered codes.
    pub fn ioctl_buffers(&mut self) -> IoBuffers<'_> {
        let Request::DeviceControl {
            code,
            input_length,
            output_length,
        } = self.request()
        else {
            return IoBuffers::split(&[], &mut []);
        };
        if IoctlCode(code).method() != Method::Buffered {
            return IoBuffers::split(&[], &mut []);
        }
        let input = usize::try_from(input_length).unwrap_or(0);
        let output = usize::try_from(output_length).unwrap_or(0);
        // SAFETY: the invariant says the IRP is live; `SystemBuffer` is the active member of
        // `AssociatedIrp` for a buffered request.
        let system = unsafe { self.irp().AssociatedIrp.SystemBuffer };
        if system.is_null() {
            return IoBuffers::split(&[], &mut []);
        }
        // SAFETY: for METHOD_BUFFERED the I/O manager allocated `SystemBuffer` with
        // max(input, output) bytes, owned by this IRP until it completes; `&mut self` keeps
        // every other access away while the slice lives.
        let buffer = unsafe { core::slice::from_raw_parts_mut(system.cast::<u8>(), input.max(output)) };
        IoBuffers::shared(buffer, input, output)
    }

    /// The system buffer of a `METHOD_BUFFERED` control-device IOCTL, with write access to the
    /// input (so MOUNT can scrub the key out of it); `None` for other requests and methods, or
    /// when the I/O manager passed no buffer (both lengths zero).
    pub fn control_buffers(&mut self) -> Option<ControlBuffers<'_>> {
        let Request::DeviceControl {
            code,
            input_length,
            output_length,
        } = self.request()
        else {
            return None;
        };
        if IoctlCode(code).method() != Method::Buffered {
            return None;
        }
        let input = usize::try_from(input_length).ok()?;
        let output = usize::try_from(output_length).ok()?;
        // SAFETY: the invariant says the IRP is live; `SystemBuffer` is the active member of
        // `AssociatedIrp` for a buffered request.
        let system = unsafe { self.irp().AssociatedIrp.SystemBuffer };
        if system.is_null() {
            // No buffer is allocated for a request with neither input nor output.
            return (input == 0 && output == 0).then(|| ControlBuffers::shared(&mut [], 0, 0));
        }
        // SAFETY: for METHOD_BUFFERED the I/O manager allocated `SystemBuffer` with
        // max(input, output) bytes, owned by this IRP until it completes; `&mut self` keeps
        // every other access away while the slice lives.
        let buffer = unsafe { core::slice::from_raw_parts_mut(system.cast::<u8>(), input.max(output)) };
        Some(ControlBuffers::shared(buffer, input, output))
    }

    /// The MDL describing a direct-I/O READ/WRITE buffer, if the IRP has one.
    pub fn mdl(&mut self) -> Option<Mdl<'_>> {
        let raw = self.irp().MdlAddress;
        // SAFETY: a dispatched IRP's `MdlAddress` is null or an MDL locked for the IRP's
        // lifetime, which `&mut self` bounds.
        unsafe { Mdl::from_raw(raw) }
    }

    /// Completes the IRP with `reply` and returns the status for the dispatch routine.
    pub fn complete(self, reply: Reply) -> NTSTATUS {
        let status = reply.status.as_i32();
        let raw = self.raw.as_ptr();
        {
            // SAFETY: the invariant says the IRP is live and ours; the borrow ends before the
            // IRP is handed back to the I/O manager.
            let irp = unsafe { &mut *raw };
            irp.IoStatus.__bindgen_anon_1.Status = status;
            irp.IoStatus.Information = reply.information as _;
        }
        // SAFETY: the IRP is ours and is completed exactly once: `self` is consumed.
        unsafe { IofCompleteRequest(raw, IO_NO_INCREMENT as _) };
        status
    }

    /// Completes the IRP with an error status and no information.
    pub fn fail(self, status: NtStatus) -> NTSTATUS {
        self.complete(Reply::error(status))
    }

    /// `IoMarkIrpPending`: the dispatch routine will return `STATUS_PENDING` and complete the
    /// IRP later, on another thread.
    pub(crate) fn mark_pending(&mut self) {
        // SAFETY: the invariant says the IRP and its current stack location are live and ours.
        unsafe { (*self.current_stack_ptr()).Control |= SL_PENDING_RETURNED as u8 };
    }

    /// The list entry a driver may use while it owns the IRP (`Tail.Overlay.ListEntry`), for an
    /// intrusive queue, with `job` stored in the IRP's `Tail.Overlay.DriverContext` (four
    /// pointers the owning driver may use). Gives up ownership; [`Irp::from_list_entry`] takes
    /// both back.
    pub(crate) fn into_list_entry<J: Copy + Send>(self, job: J) -> NonNull<LIST_ENTRY> {
        const { assert!(size_of::<J>() <= size_of::<DriverContext>()) };
        const { assert!(align_of::<J>() <= align_of::<DriverContext>()) };
        // SAFETY: the invariant says the IRP is live and ours; taking a field address.
        let context = unsafe {
            &raw mut (*self.raw.as_ptr())
                .Tail
                .Overlay
                .__bindgen_anon_1
                .__bindgen_anon_1
                .DriverContext
        };
        // SAFETY: `DriverContext` belongs to the driver that owns the IRP, and `J` fits in it
        // with its alignment (checked above); `J: Copy` has no drop to skip.
        unsafe { context.cast::<J>().write(job) };
        // SAFETY: the invariant says the IRP is live; taking a field address.
        let entry = unsafe { &raw mut (*self.raw.as_ptr()).Tail.Overlay.__bindgen_anon_2.ListEntry };
        NonNull::new(entry).unwrap_or(NonNull::dangling())
    }

    /// Takes back an IRP, and the job stored with it, given up by [`Irp::into_list_entry`].
    ///
    /// # Safety
    ///
    /// `entry` must come from `into_list_entry::<J>` (the same `J`) and be taken back at most
    /// once.
    pub(crate) unsafe fn from_list_entry<J: Copy + Send>(entry: NonNull<LIST_ENTRY>) -> (Self, J) {
        let offset = core::mem::offset_of!(IRP, Tail.Overlay.__bindgen_anon_2.ListEntry);
        // SAFETY: `entry` is the ListEntry field of an IRP, `offset` bytes from its start.
        let raw = unsafe { entry.cast::<u8>().sub(offset) }.cast::<IRP>();
        // SAFETY: the IRP is live and ours again (caller contract); taking a field address.
        let context = unsafe {
            &raw const (*raw.as_ptr())
                .Tail
                .Overlay
                .__bindgen_anon_1
                .__bindgen_anon_1
                .DriverContext
        };
        // SAFETY: `into_list_entry::<J>` wrote a `J` there and nothing has touched it since.
        let job = unsafe { context.cast::<J>().read() };
        (Self { raw }, job)
    }
}

/// `Tail.Overlay.DriverContext`: four pointers.
type DriverContext = [*mut core::ffi::c_void; 4];
