//! [`Irp`]: a request the driver owns until it completes it (exactly once: completing consumes
//! it), and its typed views: [`DeviceControl`] for `IRP_MJ_DEVICE_CONTROL`, [`Transfer`] for
//! `IRP_MJ_READ` / `IRP_MJ_WRITE`. For a driver with its own dispatch routine and worker queue:
//! [`Irp::from_raw`], the parameters without taking a view ([`Irp::device_control_parameters`],
//! [`Irp::transfer_parameters`]), [`Irp::mark_pending`], and [`Irp::into_queue_entry`] /
//! [`Irp::from_queue_entry`], which keep a small job in the IRP while it waits in a queue.

use core::ptr::NonNull;

use mountdev::{IoBuffers, NtStatus, Reply};
use wdk_sys::ntddk::IofCompleteRequest;
use wdk_sys::{
    IO_NO_INCREMENT, IO_STACK_LOCATION, IRP, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
    IRP_MJ_FLUSH_BUFFERS, IRP_MJ_READ, IRP_MJ_WRITE, LIST_ENTRY, MDL, NTSTATUS, SL_PENDING_RETURNED,
};

use super::mdl::Mdl;
use crate::checks::{TransferMethods, completion_information, system_buffer_len};

/// The major function of an IRP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Major {
    /// `IRP_MJ_CREATE`.
    Create,
    /// `IRP_MJ_CLEANUP`.
    Cleanup,
    /// `IRP_MJ_CLOSE`.
    Close,
    /// `IRP_MJ_READ`.
    Read,
    /// `IRP_MJ_WRITE`.
    Write,
    /// `IRP_MJ_FLUSH_BUFFERS`.
    Flush,
    /// `IRP_MJ_DEVICE_CONTROL`.
    DeviceControl,
    /// Any other major function code.
    Other(u8),
}

impl Major {
    /// The `IRP_MJ_*` code.
    pub const fn code(self) -> u8 {
        match self {
            Self::Create => IRP_MJ_CREATE as u8,
            Self::Cleanup => IRP_MJ_CLEANUP as u8,
            Self::Close => IRP_MJ_CLOSE as u8,
            Self::Read => IRP_MJ_READ as u8,
            Self::Write => IRP_MJ_WRITE as u8,
            Self::Flush => IRP_MJ_FLUSH_BUFFERS as u8,
            Self::DeviceControl => IRP_MJ_DEVICE_CONTROL as u8,
            Self::Other(code) => code,
        }
    }
}

/// An IRP passed to this driver and not completed yet.
///
/// Completing ([`Irp::complete`]) consumes it, so it completes exactly once. Dropping one
/// without completing it would leave the request hanging forever, so every path completes,
/// queues ([`crate::NotifyQueue`]) or hands it on.
#[derive(Debug)]
#[must_use = "an IRP must be completed"]
pub struct Irp {
    // INVARIANT: an IRP the I/O manager passed to this driver, not completed; its current stack
    // location belongs to this driver.
    raw: NonNull<IRP>,
}

// SAFETY: an IRP may be completed from any thread; ownership moves with the value.
unsafe impl Send for Irp {}

impl Irp {
    /// Takes ownership of an IRP passed to a dispatch routine (for a driver that sets its own
    /// `MajorFunction` entries instead of [`crate::install`]).
    ///
    /// # Safety
    /// `raw` must be an IRP the I/O manager passed to this driver, not completed, and the caller
    /// gives up every other use of it.
    pub unsafe fn from_raw(raw: *mut IRP) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self { raw })
    }

    pub(crate) fn as_ptr(&self) -> *mut IRP {
        self.raw.as_ptr()
    }

    /// Gives up ownership without completing (the raw pointer goes into a queue).
    pub(crate) fn into_raw(self) -> NonNull<IRP> {
        self.raw
    }

    fn irp(&self) -> &IRP {
        // SAFETY: the invariant says the IRP is live; `&self` gives shared access.
        unsafe { self.raw.as_ref() }
    }

    fn stack_ptr(&self) -> *mut IO_STACK_LOCATION {
        // SAFETY: while a driver owns an IRP, `Tail.Overlay` is the active member of `Tail`.
        let overlay = unsafe { &self.irp().Tail.Overlay };
        // SAFETY: in a dispatched IRP this union holds the current stack location.
        unsafe { overlay.__bindgen_anon_2.__bindgen_anon_1.CurrentStackLocation }
    }

    fn stack(&self) -> &IO_STACK_LOCATION {
        let location = self.stack_ptr();
        // SAFETY: a dispatched IRP's current stack location is valid as long as the IRP.
        unsafe { &*location }
    }

    /// The major function.
    pub fn major(&self) -> Major {
        let major = self.stack().MajorFunction;
        match u32::from(major) {
            IRP_MJ_CREATE => Major::Create,
            IRP_MJ_CLEANUP => Major::Cleanup,
            IRP_MJ_CLOSE => Major::Close,
            IRP_MJ_READ => Major::Read,
            IRP_MJ_WRITE => Major::Write,
            IRP_MJ_FLUSH_BUFFERS => Major::Flush,
            IRP_MJ_DEVICE_CONTROL => Major::DeviceControl,
            _ => Major::Other(major),
        }
    }

    /// An `IRP_MJ_DEVICE_CONTROL`'s code and lengths, without taking the view; `None` for any
    /// other major function.
    pub fn device_control_parameters(&self) -> Option<IoctlParameters> {
        if self.major() != Major::DeviceControl {
            return None;
        }
        // SAFETY: for IRP_MJ_DEVICE_CONTROL the `DeviceIoControl` member is the active one.
        let control = unsafe { self.stack().Parameters.DeviceIoControl };
        Some(IoctlParameters {
            code: control.IoControlCode,
            input_len: control.InputBufferLength,
            output_len: control.OutputBufferLength,
        })
    }

    /// An `IRP_MJ_READ` / `IRP_MJ_WRITE`'s direction, offset and length, without taking the
    /// view; `None` for any other major function.
    pub fn transfer_parameters(&self) -> Option<TransferParameters> {
        let (kind, offset, length) = match self.major() {
            Major::Read => {
                // SAFETY: for IRP_MJ_READ the `Read` member is the active one.
                let read = unsafe { self.stack().Parameters.Read };
                // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
                (TransferKind::Read, unsafe { read.ByteOffset.QuadPart }, read.Length)
            }
            Major::Write => {
                // SAFETY: for IRP_MJ_WRITE the `Write` member is the active one.
                let write = unsafe { self.stack().Parameters.Write };
                // SAFETY: LARGE_INTEGER is a plain 64-bit integer in either view.
                (TransferKind::Write, unsafe { write.ByteOffset.QuadPart }, write.Length)
            }
            _ => return None,
        };
        Some(TransferParameters { kind, offset, length })
    }

    /// The device-control view; the IRP back when it is not `IRP_MJ_DEVICE_CONTROL`.
    ///
    /// # Errors
    /// `Err(self)` for any other major function.
    pub fn into_device_control(self) -> Result<DeviceControl, Self> {
        let Some(parameters) = self.device_control_parameters() else {
            return Err(self);
        };
        Ok(DeviceControl {
            code: parameters.code,
            input_len: parameters.input_len,
            output_len: parameters.output_len,
            irp: self,
        })
    }

    /// The read / write view; the IRP back for any other major function.
    ///
    /// # Errors
    /// `Err(self)` unless the IRP is `IRP_MJ_READ` or `IRP_MJ_WRITE`.
    pub fn into_transfer(self) -> Result<Transfer, Self> {
        let Some(parameters) = self.transfer_parameters() else {
            return Err(self);
        };
        Ok(Transfer {
            kind: parameters.kind,
            offset: parameters.offset,
            length: parameters.length,
            irp: self,
        })
    }

    /// The `METHOD_BUFFERED` system buffer of a device control, all `max(input, output)` bytes
    /// and writable (for a driver that decodes, or scrubs, its input in place). A request with
    /// neither input nor output has an empty one.
    ///
    /// # Errors
    /// `STATUS_INVALID_DEVICE_REQUEST` for any other major function or transfer method,
    /// `STATUS_INVALID_PARAMETER` for a null buffer with a non-zero length.
    pub fn buffered_system_buffer(&mut self) -> Result<&mut [u8], NtStatus> {
        let parameters = self
            .device_control_parameters()
            .ok_or(NtStatus::INVALID_DEVICE_REQUEST)?;
        self.system_buffer(parameters, TransferMethods::BufferedOnly)
    }

    fn system_buffer(&mut self, parameters: IoctlParameters, accepted: TransferMethods) -> Result<&mut [u8], NtStatus> {
        // SAFETY: the IRP is live (invariant); `SystemBuffer` is the active member of
        // `AssociatedIrp` for a buffered or direct request (null when no buffer was needed).
        let system = unsafe { self.irp().AssociatedIrp.SystemBuffer };
        let IoctlParameters {
            code,
            input_len,
            output_len,
        } = parameters;
        let len = system_buffer_len(code, input_len, output_len, !system.is_null(), accepted)?;
        if len == 0 {
            return Ok(&mut []);
        }
        // SAFETY: the I/O manager allocated `len` bytes at `SystemBuffer` for this request
        // (max(input, output) for METHOD_BUFFERED, input for the direct methods), owned by the
        // IRP until it completes; `&mut self` keeps every other access away while it lives.
        Ok(unsafe { core::slice::from_raw_parts_mut(system.cast::<u8>(), len) })
    }

    /// The IRP's MDL (`MdlAddress`: the buffer of a direct-I/O read or write), if it has one.
    pub fn mdl(&mut self) -> Option<Mdl<'_>> {
        let raw = self.irp().MdlAddress;
        // SAFETY: a dispatched IRP's `MdlAddress` is null or an MDL locked until the IRP
        // completes, which the owner of `self` alone touches; `&mut self` bounds the borrow.
        unsafe { Mdl::from_raw(raw) }
    }

    /// `IoMarkIrpPending`: the dispatch routine returns `STATUS_PENDING` and the IRP completes
    /// later (on another thread, typically from a queue).
    pub fn mark_pending(&mut self) {
        let stack = self.stack_ptr();
        // SAFETY: the IRP and its current stack location are live and ours (invariant).
        unsafe { (*stack).Control |= SL_PENDING_RETURNED as u8 };
    }

    /// Gives up ownership for an intrusive queue: the IRP's `Tail.Overlay.ListEntry`, which the
    /// driver that owns an IRP may use, with `job` stored in its `Tail.Overlay.DriverContext`
    /// (four pointers, also the owner's). [`Irp::from_queue_entry`] takes both back. Mark the
    /// IRP pending first when the dispatch routine returns before it completes.
    pub fn into_queue_entry<J: Copy + Send>(self, job: J) -> NonNull<LIST_ENTRY> {
        const { assert!(size_of::<J>() <= size_of::<DriverContext>()) };
        const { assert!(align_of::<J>() <= align_of::<DriverContext>()) };
        let raw = self.raw.as_ptr();
        // SAFETY: the IRP is live and ours (invariant); taking a field address.
        let context = unsafe { &raw mut (*raw).Tail.Overlay.__bindgen_anon_1.__bindgen_anon_1.DriverContext };
        // SAFETY: `DriverContext` belongs to the driver that owns the IRP, and `J` fits in it
        // with its alignment (checked above); `J: Copy` has no drop to skip.
        unsafe { context.cast::<J>().write(job) };
        let offset = core::mem::offset_of!(IRP, Tail.Overlay.__bindgen_anon_2.ListEntry);
        // SAFETY: the IRP is live (invariant) and its `ListEntry` lies `offset` bytes into it, in
        // the same allocation; a non-null pointer moved inside its allocation stays non-null.
        unsafe { self.raw.byte_add(offset) }.cast::<LIST_ENTRY>()
    }

    /// Takes back an IRP, and the job stored with it, given up by [`Irp::into_queue_entry`].
    ///
    /// # Safety
    /// `entry` must come from `into_queue_entry::<J>` (the same `J`) and be taken back at most
    /// once.
    pub unsafe fn from_queue_entry<J: Copy + Send>(entry: NonNull<LIST_ENTRY>) -> (Self, J) {
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
        // SAFETY: `into_queue_entry::<J>` wrote a `J` there and nothing has touched it since.
        let job = unsafe { context.cast::<J>().read() };
        (Self { raw }, job)
    }

    /// Completes the IRP with `status` and `information` as they are.
    fn complete_raw(self, status: NtStatus, information: usize) -> NTSTATUS {
        let raw = self.raw.as_ptr();
        // SAFETY: the IRP is live and ours (invariant); the borrow ends before completion.
        let io_status = unsafe { &mut (*raw).IoStatus };
        io_status.__bindgen_anon_1 = wdk_sys::_IO_STATUS_BLOCK__bindgen_ty_1 {
            Status: status.as_i32(),
        };
        io_status.Information = information as _;
        // SAFETY: the IRP is ours and completed exactly once: `self` is consumed.
        unsafe { IofCompleteRequest(raw, IO_NO_INCREMENT as _) };
        status.as_i32()
    }

    /// Completes the IRP with `reply` (`Information` 0 on an error status) and returns the
    /// status for the dispatch routine. A [`Reply::pending`] completes with
    /// `STATUS_INVALID_DEVICE_REQUEST` ([`completion_information`]).
    pub fn complete(self, reply: Reply) -> NTSTATUS {
        let (status, information) = completion_information(reply, usize::MAX);
        self.complete_raw(status, information)
    }

    /// Completes the IRP with an error status and no information.
    pub fn fail(self, status: NtStatus) -> NTSTATUS {
        self.complete(Reply::error(status))
    }
}

/// `IRP_MJ_DEVICE_CONTROL`: its code, lengths and buffers.
#[derive(Debug)]
#[must_use = "a request must be completed"]
pub struct DeviceControl {
    irp: Irp,
    code: u32,
    input_len: u32,
    output_len: u32,
}

impl DeviceControl {
    /// The IOCTL code.
    pub const fn code(&self) -> u32 {
        self.code
    }

    /// `InputBufferLength`.
    pub const fn input_len(&self) -> u32 {
        self.input_len
    }

    /// `OutputBufferLength`.
    pub const fn output_len(&self) -> u32 {
        self.output_len
    }

    fn parameters(&self) -> IoctlParameters {
        IoctlParameters {
            code: self.code,
            input_len: self.input_len,
            output_len: self.output_len,
        }
    }

    /// The `METHOD_BUFFERED` system buffer as [`IoBuffers::shared`] (a null buffer with both
    /// lengths 0 is an empty slice).
    ///
    /// # Errors
    /// `STATUS_INVALID_DEVICE_REQUEST` for any other transfer method (see
    /// [`DeviceControl::buffers_direct`] to accept the direct ones), `STATUS_INVALID_PARAMETER`
    /// for a null buffer with a non-zero length.
    pub fn buffers(&mut self) -> Result<IoBuffers<'_>, NtStatus> {
        let (input, output) = (self.input_len as usize, self.output_len as usize);
        let parameters = self.parameters();
        let system = self.irp.system_buffer(parameters, TransferMethods::BufferedOnly)?;
        Ok(IoBuffers::shared(system, input, output))
    }

    /// Opt-in: like [`DeviceControl::buffers`], and for `METHOD_IN_DIRECT` / `METHOD_OUT_DIRECT`
    /// the input from the system buffer and the output from the IRP's MDL as
    /// [`IoBuffers::split`]. `METHOD_NEITHER` is still refused.
    ///
    /// # Errors
    /// `STATUS_INVALID_DEVICE_REQUEST` for `METHOD_NEITHER`, `STATUS_INVALID_PARAMETER` for a
    /// missing buffer, `STATUS_INSUFFICIENT_RESOURCES` when the MDL cannot be mapped.
    pub fn buffers_direct(&mut self) -> Result<IoBuffers<'_>, NtStatus> {
        let method = mountdev::ioctl::IoctlCode(self.code).method();
        if method == mountdev::ioctl::Method::Buffered {
            return self.buffers();
        }
        let output_len = self.output_len as usize;
        let mdl = self.irp.irp().MdlAddress;
        let input_len = self.input_len as usize;
        let parameters = self.parameters();
        let system = self.irp.system_buffer(parameters, TransferMethods::BufferedOrDirect)?;
        // `system_buffer` gave exactly `input_len` bytes for the direct methods.
        let input: &[u8] = system.get(..input_len).ok_or(NtStatus::INVALID_PARAMETER)?;
        let output = if output_len == 0 {
            &mut []
        } else {
            let output = mdl_system_slice(mdl)?;
            let len = output.len().min(output_len);
            output.get_mut(..len).ok_or(NtStatus::INVALID_PARAMETER)?
        };
        Ok(IoBuffers::split(input, output))
    }

    /// Completes the request with `reply`: `Status`, and `Information` = the bytes the reply
    /// wrote (0 on an error, the copied length on a warning such as `STATUS_BUFFER_OVERFLOW`,
    /// never more than the output length).
    pub fn complete(self, reply: Reply) -> NTSTATUS {
        let (status, information) = completion_information(reply, self.output_len as usize);
        self.irp.complete_raw(status, information)
    }

    /// The IRP again.
    pub fn into_irp(self) -> Irp {
        self.irp
    }
}

/// `Tail.Overlay.DriverContext`: four pointers.
type DriverContext = [*mut core::ffi::c_void; 4];

/// What [`Irp::device_control_parameters`] reads: `Parameters.DeviceIoControl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoctlParameters {
    /// `IoControlCode`.
    pub code: u32,
    /// `InputBufferLength`.
    pub input_len: u32,
    /// `OutputBufferLength`.
    pub output_len: u32,
}

/// What [`Irp::transfer_parameters`] reads: the direction and `Parameters.Read` / `Write`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransferParameters {
    /// Read or write.
    pub kind: TransferKind,
    /// `ByteOffset` as the caller passed it (may be negative: validate it).
    pub offset: i64,
    /// `Length` in bytes.
    pub length: u32,
}

/// Which way a [`Transfer`] goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferKind {
    /// `IRP_MJ_READ`: the driver fills the buffer.
    Read,
    /// `IRP_MJ_WRITE`: the driver consumes the buffer.
    Write,
}

/// `IRP_MJ_READ` / `IRP_MJ_WRITE`: offset, length and the data buffer (the MDL of a
/// `DO_DIRECT_IO` device, else the system buffer of a `DO_BUFFERED_IO` device).
#[derive(Debug)]
#[must_use = "a request must be completed"]
pub struct Transfer {
    irp: Irp,
    kind: TransferKind,
    offset: i64,
    length: u32,
}

impl Transfer {
    /// Read or write.
    pub const fn kind(&self) -> TransferKind {
        self.kind
    }

    /// `ByteOffset` as the caller passed it (may be negative: validate it).
    pub const fn offset(&self) -> i64 {
        self.offset
    }

    /// `Length` in bytes.
    pub const fn len(&self) -> u32 {
        self.length
    }

    /// Whether the length is 0.
    pub const fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The data buffer, `len()` bytes (a zero-length transfer is an empty slice).
    ///
    /// # Errors
    /// `STATUS_INVALID_PARAMETER` when the IRP carries no buffer for a non-zero length or a
    /// shorter one, `STATUS_INSUFFICIENT_RESOURCES` when the MDL cannot be mapped.
    pub fn buffer(&mut self) -> Result<&mut [u8], NtStatus> {
        let length = self.length as usize;
        if length == 0 {
            return Ok(&mut []);
        }
        let mdl = self.irp.irp().MdlAddress;
        let whole = if mdl.is_null() {
            // SAFETY: the IRP is live (invariant); for a buffered device the system buffer is
            // the active member of `AssociatedIrp`.
            let system = unsafe { self.irp.irp().AssociatedIrp.SystemBuffer };
            if system.is_null() {
                return Err(NtStatus::INVALID_PARAMETER);
            }
            // SAFETY: a DO_BUFFERED_IO read/write has `Length` bytes at SystemBuffer, owned by the
            // IRP until it completes; `&mut self` makes the borrow unique.
            unsafe { core::slice::from_raw_parts_mut(system.cast::<u8>(), length) }
        } else {
            mdl_system_slice(mdl)?
        };
        whole.get_mut(..length).ok_or(NtStatus::INVALID_PARAMETER)
    }

    /// Completes the transfer with `reply` (`Information` = bytes transferred, 0 on an error).
    pub fn complete(self, reply: Reply) -> NTSTATUS {
        let (status, information) = completion_information(reply, self.length as usize);
        self.irp.complete_raw(status, information)
    }
}

/// The system-space view of an IRP's locked MDL ([`Mdl::into_system_buffer`]).
fn mdl_system_slice<'a>(mdl: *mut MDL) -> Result<&'a mut [u8], NtStatus> {
    // SAFETY: a non-null MdlAddress of a live IRP is a locked MDL, and the caller's `&mut` of
    // the view that owns the IRP bounds 'a, so nobody else touches its pages meanwhile.
    let mdl = unsafe { Mdl::from_raw(mdl) }.ok_or(NtStatus::INVALID_PARAMETER)?;
    mdl.into_system_buffer()
}
