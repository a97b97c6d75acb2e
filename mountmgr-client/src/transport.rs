//! [`Transport`]: how requests reach a mount manager.

use mountdev::Reply;

/// Sends one IOCTL to a mount manager and returns how it completed.
///
/// Implementations: the Windows user-mode transport (`\\.\MountPointManager`), a kernel
/// transport in a driver (`\Device\MountPointManager`, IRPs from `IoBuildDeviceIoControlRequest`),
/// the behavioural simulator, and scripted transports in tests.
///
/// The returned [`Reply`] is the completion the mount manager gave: `status` is the `NTSTATUS`
/// and `information` the number of valid bytes at the start of `output` (0 for errors). A
/// transport that cannot deliver the request at all reports that as an error status too (for
/// example `STATUS_OBJECT_NAME_NOT_FOUND` when the device cannot be opened).
///
/// # Contract
///
/// A transport
///
/// - completes the request before it returns: it waits for a pending request itself and never
///   returns `STATUS_PENDING` (the [`Client`](crate::Client) treats `PENDING` as a refusal);
/// - returns `information <= output.len()`, and `information == 0` with an error status
///   ([`Reply::is_consistent`]); the client reports a breach as
///   [`ClientError::InconsistentReply`](crate::ClientError::InconsistentReply);
/// - returns the status exactly, warnings included: `STATUS_BUFFER_OVERFLOW` with the header
///   bytes the mount manager wrote is what drives the client's probe-and-retry, so a transport
///   must not fold it into an error (the reason the Windows transport uses
///   `NtDeviceIoControlFile` rather than `DeviceIoControl`);
/// - passes `input` and `output` as two buffers; a kernel transport that builds a
///   METHOD_BUFFERED IRP copies `input` into the system buffer and `information` bytes back out.
///
/// The input and output lengths are the `InputBufferLength` / `OutputBufferLength` the mount
/// manager sees, so a transport must not round them up or down.
///
/// ```
/// use mountdev::{NtStatus, Reply};
/// use mountmgr_client::Transport;
/// struct Refuse;
/// impl Transport for Refuse {
///     fn device_io_control(&mut self, _code: u32, _input: &[u8], _output: &mut [u8]) -> Reply {
///         Reply::error(NtStatus::NOT_SUPPORTED)
///     }
/// }
/// assert_eq!(Refuse.device_io_control(0x006D_0008, &[0; 24], &mut [0; 32]).status, NtStatus::NOT_SUPPORTED);
/// ```
pub trait Transport {
    /// Sends `code` with `input`, offering `output` for the reply.
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        (**self).device_io_control(code, input, output)
    }
}
