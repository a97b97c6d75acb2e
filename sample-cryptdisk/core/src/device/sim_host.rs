//! [`VolumeHost`] for the behavioural mount-manager simulator: the mount plan runs unchanged in
//! user mode, with the simulator standing in for the I/O manager and the mount manager.
//!
//! [`Sim`] alone has no file systems: locking a volume always succeeds and dismounting has
//! nothing to do. [`FileSystemSim`] adds a model of a file system mounted on each volume (open
//! files, unflushed data, lock, dismount), so tests can check what an unmount does to it.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;

use mountdev::ioctl::IOCTL_MOUNTMGR_DELETE_POINTS;
use mountdev::{DriveLetterLink, IoBuffers, MountdevVolume, NtName, NtStatus, Reply};
use mountmgr_client::Transport;
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

    /// No file system in the simulator: the lock handle is the only one.
    fn lock_volume(&mut self, _device: &DiskDevice) -> Result<(), NtStatus> {
        Ok(())
    }

    /// No file system to dismount.
    fn dismount_volume(&mut self, _device: &DiskDevice) -> Result<(), NtStatus> {
        Ok(())
    }

    fn refuse_new_opens(&mut self, _device: &DiskDevice) {}

    fn release_volume(&mut self, _device: &DiskDevice) {}
}

/// The state of the file system [`FileSystemSim`] keeps for one volume.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimFileSystem {
    /// Files open on it.
    pub open_files: u32,
    /// It holds data not written to the volume yet (a file was written since the last flush).
    pub dirty: bool,
    /// `FSCTL_LOCK_VOLUME` succeeded and the lock handle is still open.
    pub locked: bool,
    /// `FSCTL_DISMOUNT_VOLUME` took it off the volume (its files fail from then on).
    pub dismounted: bool,
}

/// What the host was asked to do during an unmount, in order (recorded by [`FileSystemSim`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// [`VolumeHost::lock_volume`], with its status.
    Lock(NtStatus),
    /// [`VolumeHost::dismount_volume`]; `locked`: through a locked handle.
    Dismount {
        /// The lock was held.
        locked: bool,
    },
    /// [`VolumeHost::refuse_new_opens`].
    RefuseNewOpens,
    /// `IOCTL_MOUNTMGR_DELETE_POINTS` sent to the mount manager.
    DeletePoints,
    /// [`VolumeHost::delete_link`].
    DeleteLink,
    /// [`VolumeHost::delete_device`]; `under_file_system`: a file system was still mounted on
    /// the volume (what an unmount must never do: its unflushed data would be lost).
    DeleteDevice {
        /// A file system was still mounted.
        under_file_system: bool,
    },
    /// [`VolumeHost::release_volume`] with a handle to close.
    Release,
}

/// The simulator with a file system on each volume that has one: [`VolumeHost`] and
/// [`Transport`] as [`Sim`]'s, plus what a file system does with `FSCTL_LOCK_VOLUME` (refused
/// with `STATUS_ACCESS_DENIED` while files are open, as NTFS and FAT do) and
/// `FSCTL_DISMOUNT_VOLUME` (flushes, lets go of the volume, invalidates open files).
///
/// ```
/// use std::sync::Arc;
/// use cryptdisk_core::control::MountOptions;
/// use cryptdisk_core::device::mount_plan::{self, PlanError};
/// use cryptdisk_core::device::{DiskDevice, FileSystemSim};
/// use cryptdisk_core::uuid::Uuid;
/// use mountdev::DriveLetterLink;
/// use mountmgr_client::sim::Sim;
///
/// let uuid = Uuid::parse(b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c")?;
/// let device = Arc::new(DiskDevice::new(1, &uuid, 4096, MountOptions::default(), Some(b'Z'))?);
/// let mut host = FileSystemSim::new(Sim::new());
/// let mounted = mount_plan::mount(&mut host, &device, DriveLetterLink::new(b'Z'))?;
/// host.mount_file_system(&device);
/// host.open_file(&device)?;
/// assert!(matches!(mount_plan::unmount(&mut host, &device, &mounted, false), Err(PlanError::FilesOpen { .. })));
/// mount_plan::unmount(&mut host, &device, &mounted, true)?;
/// assert!(host.sim().device_names().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct FileSystemSim {
    sim: Sim,
    file_systems: BTreeMap<String, SimFileSystem>,
    /// Devices the host holds a volume handle on (lock handle).
    handles: Vec<String>,
    /// Devices that refuse new opens.
    closing: Vec<String>,
    events: Vec<HostEvent>,
}

fn key(device: &DiskDevice) -> String {
    device.identity().device_name().to_string()
}

impl FileSystemSim {
    /// `sim` with no file system on any volume yet.
    pub fn new(sim: Sim) -> Self {
        Self { sim, ..Self::default() }
    }

    /// The simulator.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The simulator, to change.
    pub fn sim_mut(&mut self) -> &mut Sim {
        &mut self.sim
    }

    /// A file system recognises the volume of `device` (Windows mounts one at the first open).
    pub fn mount_file_system(&mut self, device: &DiskDevice) {
        self.file_systems.insert(key(device), SimFileSystem::default());
    }

    /// Opens and writes a file on the volume's file system (the file stays open).
    ///
    /// # Errors
    /// `STATUS_DELETE_PENDING` once the volume refuses new opens, `STATUS_UNRECOGNIZED_VOLUME`
    /// without a file system (or after its dismount), `STATUS_ACCESS_DENIED` while it is locked.
    pub fn open_file(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = key(device);
        if self.closing.contains(&name) {
            return Err(NtStatus::DELETE_PENDING);
        }
        let fs = self
            .file_systems
            .get_mut(&name)
            .filter(|fs| !fs.dismounted)
            .ok_or(NtStatus::UNRECOGNIZED_VOLUME)?;
        if fs.locked {
            return Err(NtStatus::ACCESS_DENIED);
        }
        fs.open_files = fs.open_files.checked_add(1).ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        fs.dirty = true;
        Ok(())
    }

    /// Closes a file [`FileSystemSim::open_file`] opened (its data stays cached, unflushed).
    pub fn close_file(&mut self, device: &DiskDevice) {
        if let Some(fs) = self.file_systems.get_mut(&key(device)) {
            fs.open_files = fs.open_files.saturating_sub(1);
        }
    }

    /// The file system on the volume of `device`, if one was mounted.
    pub fn file_system(&self, device: &DiskDevice) -> Option<&SimFileSystem> {
        self.file_systems.get(&key(device))
    }

    /// Whether the host still holds a handle to the volume of `device`.
    pub fn holds_handle(&self, device: &DiskDevice) -> bool {
        self.handles.contains(&key(device))
    }

    /// What the host was asked to do, in order.
    pub fn events(&self) -> &[HostEvent] {
        &self.events
    }
}

impl Transport for FileSystemSim {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        if code == IOCTL_MOUNTMGR_DELETE_POINTS {
            self.events.push(HostEvent::DeletePoints);
        }
        self.sim.device_io_control(code, input, output)
    }
}

impl VolumeHost for FileSystemSim {
    fn create_device(&mut self, device: &Arc<DiskDevice>) -> Result<(), NtStatus> {
        self.sim.create_device(device)
    }

    fn clear_initializing(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        VolumeHost::clear_initializing(&mut self.sim, device)
    }

    fn link_exists(&mut self, link: DriveLetterLink) -> bool {
        self.sim.link_exists(link)
    }

    fn create_link(&mut self, link: DriveLetterLink, target: NtName<'_>) -> Result<(), NtStatus> {
        self.sim.create_link(link, target)
    }

    fn delete_link(&mut self, link: DriveLetterLink) -> Result<(), NtStatus> {
        self.events.push(HostEvent::DeleteLink);
        self.sim.delete_link(link)
    }

    fn delete_device(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = key(device);
        let under_file_system = self.file_systems.get(&name).is_some_and(|fs| !fs.dismounted);
        self.events.push(HostEvent::DeleteDevice { under_file_system });
        self.sim.delete_device(device)?;
        self.closing.retain(|n| *n != name);
        Ok(())
    }

    fn lock_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = key(device);
        let status = if self.closing.contains(&name) {
            NtStatus::DELETE_PENDING
        } else {
            self.handles.push(name.clone());
            match self.file_systems.get_mut(&name).filter(|fs| !fs.dismounted) {
                Some(fs) if fs.open_files > 0 => NtStatus::ACCESS_DENIED,
                Some(fs) => {
                    // A file system flushes before it grants the lock.
                    fs.locked = true;
                    fs.dirty = false;
                    NtStatus::SUCCESS
                }
                None => NtStatus::SUCCESS,
            }
        };
        self.events.push(HostEvent::Lock(status));
        if status == NtStatus::SUCCESS {
            Ok(())
        } else {
            Err(status)
        }
    }

    fn dismount_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        let name = key(device);
        if !self.handles.contains(&name) {
            self.handles.push(name.clone());
        }
        let fs = self.file_systems.get_mut(&name).filter(|fs| !fs.dismounted);
        self.events.push(HostEvent::Dismount {
            locked: fs.as_ref().is_some_and(|fs| fs.locked),
        });
        if let Some(fs) = fs {
            *fs = SimFileSystem {
                dismounted: true,
                ..SimFileSystem::default()
            };
        }
        Ok(())
    }

    fn refuse_new_opens(&mut self, device: &DiskDevice) {
        self.events.push(HostEvent::RefuseNewOpens);
        self.closing.push(key(device));
    }

    fn release_volume(&mut self, device: &DiskDevice) {
        let name = key(device);
        if self.handles.contains(&name) {
            self.handles.retain(|n| *n != name);
            self.events.push(HostEvent::Release);
            if let Some(fs) = self.file_systems.get_mut(&name) {
                fs.locked = false;
            }
        }
    }
}
