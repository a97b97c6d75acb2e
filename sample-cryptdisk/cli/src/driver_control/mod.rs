//! Talking to the sample driver's control device (`\\.\CryptDiskControl`): `mount`, `unmount`
//! and `list` on Windows.
//!
//! * [`requests`]: MOUNT, UNMOUNT and LIST over a [`Channel`], with the protocol of
//!   `cryptdisk_core::control` (the driver validates with the same code), the exact `NTSTATUS`
//!   of each completion, and LIST's Size-then-retry convention;
//! * `device` (Windows only): the channel, a handle to the control device through
//!   `mountmgr_client::windows::NtDevice` (`NtOpenFile`, `NtDeviceIoControlFile`);
//! * [`nt_path`]: the container's absolute Win32 path as the NT path the driver opens (in the
//!   caller's context, with its access check);
//! * [`report`]: what `mount` and `list` print;
//! * [`error`]: [`DriverError`], one message and remedy per status.
//!
//! Everything but `device` is portable and unit-tested on every platform.

#[cfg(windows)]
pub mod device;
pub mod error;
pub mod nt_path;
pub mod report;
pub mod requests;

pub use error::DriverError;
pub use requests::Channel;

/// No channel: off Windows there is no driver to talk to (the commands stop before they would
/// need one).
#[cfg(not(windows))]
#[derive(Debug)]
pub enum Unavailable {}

#[cfg(not(windows))]
impl Channel for Unavailable {
    fn control(&mut self, _code: u32, _input: &[u8], _output: &mut [u8]) -> mountdev::Reply {
        match *self {}
    }
}
