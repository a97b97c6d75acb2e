//! The control device's service on its [`Worker`](super::worker::Worker) thread: the portable
//! `ControlService` (`cryptdisk_driver_logic::service`, which decides MOUNT, UNMOUNT and LIST)
//! over [`KernelPlatform`], which does the kernel's part.
//!
//! The container of a MOUNT is opened before the worker sees it: by the control device's
//! dispatch routine, on the caller's thread, with the caller's access check
//! ([`accept`], `ContainerFile::open`); the worker receives the kernel handle in a
//! [`PendingMount`]. The worker is not a volume's worker, so the mount manager can query a new
//! volume while a MOUNT waits for it. The mount-manager sessions themselves run on a further system thread each
//! ([`with_mount_manager`]).

use alloc::boxed::Box;
use alloc::sync::Arc;

use core::ptr::NonNull;
use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::{self, Mounted, PlanError};
use cryptdisk_core::volume::Volume;

use cryptdisk_driver_logic::control::{ControlJob, PendingMount, accept_mount, handle_control};
use cryptdisk_driver_logic::control_codes::ControlCode;
use cryptdisk_driver_logic::service::{ControlService, Platform, TakeDownError};
use mountdev::{DriveLetterLink, NtStatus, Reply};
use mountdev_wdk::SymbolicLink;

use super::device::{DriverHandle, OwnedDevice};
use super::disk::VolumeExtension;
use super::file::{ContainerFile, FileAccess};
use super::host::{HostParts, KernelHost};
use super::irp::{Irp, IrpExt};
use super::mountmgr::with_mount_manager;
use super::pool::{try_arc, try_box};
use super::worker::IrpHandler;

/// What the kernel keeps of a mounted volume: its device and the drive-letter link the driver
/// created itself (fallback), if any.
pub struct KernelVolume {
    device: OwnedDevice<VolumeExtension>,
    link: Option<(DriveLetterLink, SymbolicLink)>,
}

/// The kernel's part of the control requests: volume devices created for this driver,
/// mount-manager sessions.
pub struct KernelPlatform {
    driver: DriverHandle,
}

impl Platform for KernelPlatform {
    type Container = ContainerFile;
    type Volume = KernelVolume;

    fn mount(
        &mut self,
        volume: Volume<ContainerFile>,
        disk: DiskDevice,
        letter: Option<DriveLetterLink>,
    ) -> Result<(Mounted, KernelVolume), NtStatus> {
        let disk = try_arc(disk)?;
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

    fn take_down(
        &mut self,
        volume: KernelVolume,
        mounted: &Mounted,
        force: bool,
    ) -> Result<(), TakeDownError<KernelVolume>> {
        let KernelVolume { device, link } = volume;
        let disk = Arc::clone(device.body().disk());
        let driver = self.driver;
        let parts = HostParts {
            device: Some(device),
            link,
        };
        let mounted = *mounted;
        // If the session cannot run, dropping the closure deletes the device and the link.
        let (result, parts) = with_mount_manager(move |mount_manager| {
            let mut host = KernelHost::for_unmount(mount_manager, driver, parts);
            let result = mount_plan::unmount(&mut host, &disk, &mounted, force);
            (result, host.into_parts())
        })
        .map_err(TakeDownError::Failed)?;
        match (result, parts) {
            (Ok(()), _) => Ok(()),
            // Refused before anything changed: the device and the link come back whole.
            (
                Err(PlanError::FilesOpen { .. }),
                HostParts {
                    device: Some(device),
                    link,
                },
            ) => Err(TakeDownError::InUse(KernelVolume { device, link })),
            (Err(error), _) => Err(TakeDownError::Failed(NtStatus::from(error))),
        }
    }
}

/// A MOUNT the dispatch routine accepted, in pool, on its way to the worker.
pub type Pending = PendingMount<ContainerFile>;

/// The job a control IRP carries to the worker: a MOUNT carries its [`Pending`], owned by the
/// IRP's job from [`accept`] until the worker takes it back ([`PendingBox::take`]).
#[derive(Clone, Copy)]
pub struct PendingBox(NonNull<Pending>);

// SAFETY: the box it points to is owned by exactly one holder at a time (dispatch routine, then
// the queued IRP, then the worker), and `Pending` (an order and a kernel handle) is Send.
unsafe impl Send for PendingBox {}

impl PendingBox {
    /// Takes the pending mount back (once: the worker, or a dispatch routine whose IRP the
    /// worker refused).
    ///
    /// # Safety
    ///
    /// `self` came from [`accept`] and no copy of it was taken back before.
    pub unsafe fn take(self) -> Pending {
        // SAFETY: from `Box::into_raw` in `accept`, taken back once (caller contract).
        *unsafe { Box::from_raw(self.0.as_ptr()) }
    }
}

/// The dispatch routine's part of a control request (the caller's thread, PASSIVE_LEVEL): for
/// MOUNT, decode it, scrub the key out of the system buffer and open the container with the
/// caller's access check (`accept_mount`), in pool for the worker.
///
/// # Errors
///
/// The status the request completes with at once.
pub fn accept(irp: &mut Irp, code: ControlCode) -> Result<ControlJob<PendingBox>, NtStatus> {
    match code {
        ControlCode::Mount => {
            let buffers = irp.control_buffers().ok_or(NtStatus::INVALID_PARAMETER)?;
            let pending = accept_mount(buffers, |path, read_only| {
                let access = if read_only {
                    FileAccess::ReadOnly
                } else {
                    FileAccess::ReadWrite
                };
                Ok(ContainerFile::open(path, access)?)
            })?;
            let boxed = try_box(pending)?;
            Ok(ControlJob::Mount(PendingBox(NonNull::from(Box::leak(boxed)))))
        }
        ControlCode::Unmount => Ok(ControlJob::Unmount),
        ControlCode::List => Ok(ControlJob::List),
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
    /// Prepared by the control device's dispatch routine ([`accept`]).
    type Job = ControlJob<PendingBox>;

    fn handle(&mut self, mut irp: Irp, job: ControlJob<PendingBox>) {
        let job = match job {
            // SAFETY: the job came from `accept` and the queue hands each job out once.
            ControlJob::Mount(pending) => ControlJob::Mount(unsafe { pending.take() }),
            ControlJob::Unmount => ControlJob::Unmount,
            ControlJob::List => ControlJob::List,
        };
        let reply = match irp.control_buffers() {
            Some(buffers) => handle_control(&mut self.0, job, buffers),
            None => Reply::error(NtStatus::INVALID_PARAMETER),
        };
        let _ = irp.complete(reply);
    }
}
