//! The control device's service on its [`Worker`](super::worker::Worker) thread: the portable
//! `ControlService` (`cryptdisk_driver_logic::service`, which decides MOUNT, UNMOUNT and LIST)
//! over [`KernelPlatform`], which does the kernel's part.
//!
//! That thread is a system thread, so the container is opened with `ZwCreateFile` in the
//! system process (never in the caller's context, whose drive letters and token it would use),
//! and it is not a volume's worker, so the mount manager can query a new volume while a MOUNT
//! waits for it. The mount-manager sessions themselves run on a further system thread each
//! ([`with_mount_manager`]).

use alloc::sync::Arc;

use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::{self, Mounted};
use cryptdisk_core::volume::Volume;
use cryptdisk_driver_logic::control::handle_control;
use cryptdisk_driver_logic::control_codes::ControlCode;
use cryptdisk_driver_logic::service::{ControlService, Platform};
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};
use mountdev_wdk::SymbolicLink;

use super::device::{DriverHandle, OwnedDevice};
use super::disk::VolumeExtension;
use super::file::{ContainerFile, FileAccess};
use super::host::{HostParts, KernelHost};
use super::irp::{Irp, IrpExt};
use super::mountmgr::with_mount_manager;
use super::pool::try_box;
use super::worker::IrpHandler;

/// What the kernel keeps of a mounted volume: its device and the drive-letter link the driver
/// created itself (fallback), if any.
pub struct KernelVolume {
    device: OwnedDevice<VolumeExtension>,
    link: Option<(DriveLetterLink, SymbolicLink)>,
}

/// The kernel's part of the control requests: containers opened with `ZwCreateFile`, volume
/// devices created for this driver, mount-manager sessions.
pub struct KernelPlatform {
    driver: DriverHandle,
}

impl Platform for KernelPlatform {
    type Container = ContainerFile;
    type Volume = KernelVolume;

    fn open_container(&mut self, path: NtName<'_>, read_only: bool) -> Result<ContainerFile, NtStatus> {
        let access = if read_only {
            FileAccess::ReadOnly
        } else {
            FileAccess::ReadWrite
        };
        Ok(ContainerFile::open(path, access)?)
    }

    fn mount(
        &mut self,
        volume: Volume<ContainerFile>,
        disk: Arc<DiskDevice>,
        letter: Option<DriveLetterLink>,
    ) -> Result<(Mounted, KernelVolume), NtStatus> {
        let volume = try_box(volume)?;
        let driver = self.driver;
        let (result, parts) = with_mount_manager(move |mount_manager| {
            let mut host = KernelHost::for_mount(mount_manager, driver, volume);
            let result = mount_plan::mount(&mut host, &disk, letter);
            (result, host.into_parts())
        })?;
        let mounted = result.map_err(NtStatus::from)?;
        let device = parts.device.ok_or(NtStatus::INVALID_DEVICE_STATE)?;
        Ok((
            mounted,
            KernelVolume {
                device,
                link: parts.link,
            },
        ))
    }

    fn open_count(&self, volume: &KernelVolume) -> u32 {
        volume.device.body().open_count()
    }

    fn take_down(&mut self, volume: KernelVolume, mounted: &Mounted) -> Result<(), NtStatus> {
        let KernelVolume { device, link } = volume;
        device.body().begin_close();
        let disk = Arc::clone(device.body().disk());
        let driver = self.driver;
        let parts = HostParts {
            device: Some(device),
            link,
        };
        let mounted = *mounted;
        // If the session cannot run, dropping the closure deletes the device and the link.
        let result = with_mount_manager(move |mount_manager| {
            let mut host = KernelHost::for_unmount(mount_manager, driver, parts);
            mount_plan::unmount(&mut host, &disk, &mounted)
        })?;
        result.map_err(NtStatus::from)
    }
}

/// The control worker's handler: the portable service over the kernel platform.
///
/// Its requests complete in bounded time ([`IrpHandler`]'s contract): LIST reads the table;
/// MOUNT and UNMOUNT open or close a container file and wait for one mount-manager session,
/// whose queries to the volume are answered in the volume's dispatch routine (never queued
/// behind this worker); UNMOUNT never waits for open handles to close (it refuses, or, forced,
/// closes the volume under them).
pub struct ControlWorker(ControlService<KernelPlatform>);

impl ControlWorker {
    /// A service with no volume mounted, creating devices for `driver`.
    pub fn new(driver: DriverHandle) -> Self {
        Self(ControlService::new(KernelPlatform { driver }))
    }
}

impl IrpHandler for ControlWorker {
    /// Matched once from the IOCTL code, by the control device's dispatch routine.
    type Job = ControlCode;

    fn handle(&mut self, mut irp: Irp, code: ControlCode) {
        let reply = match irp.control_buffers() {
            Some(buffers) => handle_control(&mut self.0, code, buffers),
            None => Reply::error(NtStatus::INVALID_PARAMETER),
        };
        let _ = irp.complete(reply);
    }
}
