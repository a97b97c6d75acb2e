//! The control device `\Device\CryptDiskControl`, opened for reading and
//! writing and spoken to through `mountmgr_client::windows::NtDevice` (`NtOpenFile`,
//! `NtDeviceIoControlFile`), so every completion's exact `NTSTATUS` and `Information` reach
//! [`DriverError`]: `DeviceIoControl` would fold them into Win32 error codes
//! (`STATUS_OBJECT_NAME_COLLISION` and `STATUS_FILES_OPEN` both lose their identity, and
//! `STATUS_BUFFER_OVERFLOW` turns the LIST probe into a failure).
//!
//! The open uses `NtOpenFile` for the same reason: "not found" (the driver is not running) and
//! "access denied" (not elevated) must lead to different advice.

use mountdev::Reply;
use mountmgr_client::windows::{NtDevice, OpenMode};

use super::error::DriverError;
use super::requests::Channel;

/// The NT name the CLI opens: the device object itself, not `\??\CryptDiskControl`, which
/// resolves through the caller's own DOS-device directory first (where any process of the same
/// logon session can plant a `CryptDiskControl` link to a device of its own that would receive the
/// MOUNT request and its master key).
pub const CONTROL_DEVICE: &str = cryptdisk_core::control::CONTROL_DEVICE_NAME;

/// An open handle to the control device, closed on drop.
#[derive(Debug)]
pub struct ControlDevice {
    device: NtDevice,
}

impl ControlDevice {
    /// Opens [`CONTROL_DEVICE`] for reading and writing (the control codes need both).
    ///
    /// # Errors
    ///
    /// [`DriverError::NotInstalled`] when the device does not exist,
    /// [`DriverError::AccessDenied`] when the caller is not an administrator,
    /// [`DriverError::Open`] otherwise.
    pub fn open() -> Result<Self, DriverError> {
        let device = NtDevice::open(CONTROL_DEVICE, OpenMode::ReadWrite.desired_access())
            .map_err(DriverError::from_open_status)?;
        Ok(Self { device })
    }
}

impl Channel for ControlDevice {
    /// Sends the request and returns its status and `Information` exactly ([`NtDevice::control`]).
    fn control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.device.control(code, input, output)
    }
}
