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
