//! [`VolumeHost`] for the behavioural mount-manager simulator: the mount plan runs unchanged in
//! user mode, with the simulator standing in for the I/O manager and the mount manager.

use alloc::format;
use alloc::string::ToString;
use alloc::sync::Arc;

use mountdev::{DriveLetterLink, IoBuffers, MountdevVolume, NtName, NtStatus, Reply};
use mountmgr_client::sim::{DeviceOptions, DeviceRef, Sim, SimDevice};

use super::DiskDevice;
use super::mount_plan::VolumeHost;

impl SimDevice for DiskDevice {
    fn device_io_control(&self, code: u32, io: IoBuffers<'_>) -> Reply {
        self.device_control(code, io)
    }
}

impl VolumeHost for Sim {
    fn create_device(&mut self, device: &Arc<DiskDevice>) -> Result<(), NtStatus> {
        let name = device.identity().device_name().to_string();
        let shared: DeviceRef = device.clone();
        let options = DeviceOptions::new()
            .initializing(true)
            .removable(device.description().is_removable());
        self.register_device(&name, shared, options).map_err(|e| e.status())
    }

    fn clear_initializing(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        Sim::clear_initializing(self, &device.identity().device_name().to_string()).map_err(|e| e.status())
    }

    fn link_exists(&mut self, link: DriveLetterLink) -> bool {
        self.link_target(&link.to_string()).is_some()
    }

    fn create_link(&mut self, link: DriveLetterLink, target: NtName<'_>) -> Result<(), NtStatus> {
        self.create_symbolic_link(&link.to_string(), &target.to_string())
    }

    fn delete_link(&mut self, link: DriveLetterLink) -> Result<(), NtStatus> {
        if self.delete_symbolic_link(&link.to_string()) {
            Ok(())
        } else {
            Err(NtStatus::OBJECT_NAME_NOT_FOUND)
        }
    }

    fn delete_device(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = format!("{}", device.identity().device_name());
        self.remove_device(&name).map_err(|e| e.status())
    }
}
