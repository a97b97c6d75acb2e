//! [`Irp`]: a request the driver owns until it completes it (exactly once: completing consumes
//! it), and its typed views: [`DeviceControl`] for `IRP_MJ_DEVICE_CONTROL`, [`Transfer`] for
//! `IRP_MJ_READ` / `IRP_MJ_WRITE`.

use core::ptr::NonNull;

use mountdev::{IoBuffers, NtStatus, Reply};
use wdk_sys::ntddk::IofCompleteRequest;
use wdk_sys::{
    IO_NO_INCREMENT, IO_STACK_LOCATION, IRP, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
    IRP_MJ_FLUSH_BUFFERS, IRP_MJ_READ, IRP_MJ_WRITE, MDL, NTSTATUS, SL_PENDING_RETURNED,
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
    /// Takes ownership of an IRP passed to a dispatch routine.
    ///
    /// # Safety
    /// `raw` must be an IRP the I/O manager passed to this driver, not completed, and the caller
    /// gives up every other use of it.
    pub(crate) unsafe fn from_raw(raw: *mut IRP) -> Option<Self> {
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

    /// The device-control view; the IRP back when it is not `IRP_MJ_DEVICE_CONTROL`.
    ///
    /// # Errors
    /// `Err(self)` for any other major function.
    pub fn into_device_control(self) -> Result<DeviceControl, Self> {
        if self.major() != Major::DeviceControl {
            return Err(self);
        }
        // SAFETY: for IRP_MJ_DEVICE_CONTROL the `DeviceIoControl` member is the active one.
        let control = unsafe { self.stack().Parameters.DeviceIoControl };
        Ok(DeviceControl {
            code: control.IoControlCode,
            input_len: control.InputBufferLength,
            output_len: control.OutputBufferLength,
            irp: self,
        })
    }

    /// The read / write view; the IRP back for any other major function.
    ///
    /// # Errors
    /// `Err(self)` unless the IRP is `IRP_MJ_READ` or `IRP_MJ_WRITE`.
    pub fn into_transfer(self) -> Result<Transfer, Self> {
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
            _ => return Err(self),
        };
        Ok(Transfer {
            kind,
            offset,
            length,
            irp: self,
        })
    }

    /// `IoMarkIrpPending`: the dispatch routine returns `STATUS_PENDING` and the IRP completes
    /// later.
    pub(crate) fn mark_pending(&mut self) {
        let stack = self.stack_ptr();
        // SAFETY: the IRP and its current stack location are live and ours (invariant).
        unsafe { (*stack).Control |= SL_PENDING_RETURNED as u8 };
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

    fn system_buffer(&mut self, accepted: TransferMethods) -> Result<&mut [u8], NtStatus> {
        // SAFETY: the IRP is live (invariant); `SystemBuffer` is the active member of
        // `AssociatedIrp` for a buffered or direct request (null when no buffer was needed).
        let system = unsafe { self.irp.irp().AssociatedIrp.SystemBuffer };
        let len = system_buffer_len(self.code, self.input_len, self.output_len, !system.is_null(), accepted)?;
        if len == 0 {
            return Ok(&mut []);
        }
        // SAFETY: the I/O manager allocated `len` bytes at `SystemBuffer` for this request
        // (max(input, output) for METHOD_BUFFERED, input for the direct methods), owned by the
        // IRP until it completes; `&mut self` keeps every other access away while it lives.
        Ok(unsafe { core::slice::from_raw_parts_mut(system.cast::<u8>(), len) })
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
        let system = self.system_buffer(TransferMethods::BufferedOnly)?;
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
        let system = self.system_buffer(TransferMethods::BufferedOrDirect)?;
        let input: &[u8] = system.get(..input_len).unwrap_or(&[]);
        let output = if output_len == 0 {
            &mut []
        } else {
            let output = mdl_system_slice(mdl)?;
            let len = output.len().min(output_len);
            output.get_mut(..len).unwrap_or(&mut [])
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
