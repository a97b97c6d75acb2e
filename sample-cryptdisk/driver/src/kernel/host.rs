//! The mount plan's host in the kernel: `cryptdisk_core::device::mount_plan::VolumeHost` (create
//! and delete the volume device, look up, create and delete drive-letter links) together with
//! the mount-manager [`Transport`], so that `mount_plan::mount` / `unmount` run unchanged here.
//!
//! A [`KernelHost`] lives inside one [`with_mount_manager`](super::mountmgr::with_mount_manager)
//! session, on that session's system thread. It owns what the plan creates (the device and a
//! fallback link) and hands it back with [`KernelHost::into_parts`]; whatever it still owns when
//! dropped is deleted. For an unmount it also holds the handle to the volume that locks and
//! dismounts its file system ([`VolumeHandle`]) until the plan releases it.

use alloc::boxed::Box;
use alloc::sync::Arc;

use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::VolumeHost;
use cryptdisk_core::volume::Volume;
use cryptdisk_driver_logic::link_slot::LinkSlot;
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};
use mountmgr_client::Transport;

use super::device::{DriverHandle, OwnedDevice};
use super::disk::{VolumeExtension, create_volume};
use super::file::ContainerFile;
use super::links::{create_drive_link, drive_letter_exists};
use super::volume_lock::VolumeHandle;
use mountdev_wdk::{KernelTransport, SymbolicLink};

/// What a mount leaves behind for the registry (and an unmount for deletion).
pub struct HostParts {
    /// The volume device, once created.
    pub device: Option<OwnedDevice<VolumeExtension>>,
    /// The drive-letter link the driver created itself (fallback), if any, with its letter.
    pub link: Option<(DriveLetterLink, SymbolicLink)>,
}

/// See the module docs.
pub struct KernelHost<'m> {
    mount_manager: &'m mut KernelTransport,
    driver: DriverHandle,
    volume: Option<Box<Volume<ContainerFile>>>,
    device: Option<OwnedDevice<VolumeExtension>>,
    link: LinkSlot<SymbolicLink>,
    volume_handle: Option<VolumeHandle>,
}

impl<'m> KernelHost<'m> {
    /// A host for mounting `volume`: `create_device` puts it behind a new device.
    pub fn for_mount(
        mount_manager: &'m mut KernelTransport,
        driver: DriverHandle,
        volume: Box<Volume<ContainerFile>>,
    ) -> Self {
        Self {
            mount_manager,
            driver,
            volume: Some(volume),
            device: None,
            link: LinkSlot::default(),
            volume_handle: None,
        }
    }

    /// A host for unmounting the volume whose device and fallback link are `parts`.
    pub fn for_unmount(mount_manager: &'m mut KernelTransport, driver: DriverHandle, parts: HostParts) -> Self {
        Self {
            mount_manager,
            driver,
            volume: None,
            device: parts.device,
            link: LinkSlot::new(parts.link),
            volume_handle: None,
        }
    }

    /// The device and link the plan created (or left).
    pub fn into_parts(mut self) -> HostParts {
        HostParts {
            device: self.device.take(),
            link: self.link.take(),
        }
    }
}

impl Transport for KernelHost<'_> {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.mount_manager.device_io_control(code, input, output)
    }
}

impl VolumeHost for KernelHost<'_> {
    fn create_device(&mut self, device: &Arc<DiskDevice>) -> Result<(), NtStatus> {
        let volume = self.volume.take().ok_or(NtStatus::INVALID_DEVICE_STATE)?;
        let created = create_volume(self.driver.driver(), Arc::clone(device), volume)?;
        self.device = Some(created);
        Ok(())
    }

    fn clear_initializing(&mut self, _device: &DiskDevice) -> Result<(), NtStatus> {
        let created = self.device.as_ref().ok_or(NtStatus::INVALID_DEVICE_STATE)?;
        created.finish_initializing();
        Ok(())
    }

    /// Looks in the global DOS-device namespace ([`drive_letter_exists`]); an answer that
    /// cannot be had (access denied, ...) counts as "exists", so the letter is refused rather
    /// than risked.
    fn link_exists(&mut self, link: DriveLetterLink) -> bool {
        drive_letter_exists(link).unwrap_or(true)
    }

    fn create_link(&mut self, link: DriveLetterLink, target: NtName<'_>) -> Result<(), NtStatus> {
        self.link.create(link, || create_drive_link(link, target))
    }

    fn delete_link(&mut self, link: DriveLetterLink) -> Result<(), NtStatus> {
        self.link.delete(link, SymbolicLink::delete)
    }

    /// Refuses new opens and I/O, then deletes the device: its worker serves what is queued and
    /// stops, the volume is dropped (the container closed, the key schedule zeroized), and
    /// `IoDeleteDevice` runs once no dispatch routine is inside.
    fn delete_device(&mut self, _device: &DiskDevice) -> Result<(), NtStatus> {
        let created = self.device.take().ok_or(NtStatus::INVALID_DEVICE_STATE)?;
        created.body().begin_close();
        drop(created);
        Ok(())
    }

    /// Opens the volume by its device name and sends `FSCTL_LOCK_VOLUME` ([`VolumeHandle`]);
    /// the handle is kept either way.
    fn lock_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = mountdev::MountdevVolume::device_name(device.identity());
        let handle = VolumeHandle::open(name)?;
        self.volume_handle.insert(handle).lock()
    }

    /// `FSCTL_DISMOUNT_VOLUME` through the handle of `lock_volume`, or a new one.
    fn dismount_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let handle = match self.volume_handle.take() {
            Some(handle) => handle,
            None => VolumeHandle::open(mountdev::MountdevVolume::device_name(device.identity()))?,
        };
        self.volume_handle.insert(handle).dismount()
    }

    /// New opens fail with `STATUS_DELETE_PENDING`, new I/O with `STATUS_DEVICE_NOT_READY`.
    fn refuse_new_opens(&mut self, _device: &DiskDevice) {
        if let Some(created) = &self.device {
            created.body().begin_close();
        }
    }

    /// Closes the volume handle, ending the lock.
    fn release_volume(&mut self, _device: &DiskDevice) {
        self.volume_handle = None;
    }
}
