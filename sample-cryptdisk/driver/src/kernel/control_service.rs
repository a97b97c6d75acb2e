//! The control device's service: MOUNT, UNMOUNT and LIST, carried out on the control device's
//! [`Worker`](super::worker::Worker) thread.
//!
//! That thread is a system thread, so the container is opened with `ZwCreateFile` in the
//! system process (never in the caller's context, whose drive letters and token it would use),
//! and it is not a volume's worker, so the mount manager can query a new volume while a MOUNT
//! waits for it. It also serialises every control request, so the [`Registry`] of mounted
//! volumes needs no lock. The mount-manager sessions themselves run on a further system thread
//! each ([`with_mount_manager`]).
//!
//! MOUNT: refuse a UUID that is mounted already → free device number → open the container (read-only if asked) → read its LUKS header
//! and check it against the request ([`crate::mount_check::open_volume`]) → describe the disk
//! (`DiskDevice`) → `mount_plan::mount` over a [`KernelHost`] (refuse a taken letter, create the
//! device and its worker, clear `DO_DEVICE_INITIALIZING`, the mount-manager sequence, a fallback
//! link when the mount manager refuses) → record the volume → reply.
//!
//! UNMOUNT (and `DriverUnload`, for every volume left): refuse while files are open unless
//! forced → refuse new opens and I/O → `mount_plan::unmount` (`DELETE_POINTS` by device name,
//! the fallback link, the device: its worker drains and stops, the volume is dropped, which
//! closes the container and zeroizes the key schedule).

use alloc::sync::Arc;
use alloc::vec::Vec;

use cryptdisk_core::control::{
    MountOptions, MountReply, MountReplyFlags, UnmountRequest, VolumeSummary, write_list_reply,
};
use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::{self, Mounted};
use cryptdisk_core::identity::Uuid;
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};

use super::device::{DriverHandle, OwnedDevice};
use super::disk::VolumeExtension;
use super::file::{ContainerFile, FileAccess};
use super::host::{HostParts, KernelHost};
use super::irp::{Irp, Request};
use super::links::OwnedLink;
use super::mountmgr::with_mount_manager;
use super::worker::IrpHandler;
use crate::control::{ControlHost, MountOrder, handle_control};
use crate::mount_check::open_volume;
use crate::pool::try_box;
use crate::registry::Registry;

/// `STATUS_FILES_OPEN`: UNMOUNT without `force` while handles to the volume are open.
pub const STATUS_FILES_OPEN: NtStatus = NtStatus(0xC000_0107);

/// `STATUS_SHARING_VIOLATION`: MOUNT of a volume (a LUKS UUID) that is already mounted. Two
/// devices with one UUID would share a unique ID and a volume GUID name in the mount manager's
/// database; the file system refuses most second opens of the same container anyway, but not
/// two read-only ones, nor a copy of the container.
pub const STATUS_SHARING_VIOLATION: NtStatus = NtStatus(0xC000_0043);

/// A mounted volume as the registry keeps it.
struct MountedVolume {
    device: OwnedDevice<VolumeExtension>,
    link: Option<(DriveLetterLink, OwnedLink)>,
    mounted: Mounted,
    path: Vec<u8>,
    options: MountOptions,
    data_sectors: u64,
    uuid: Uuid,
}

/// See the module docs.
pub struct ControlService {
    driver: DriverHandle,
    volumes: Registry<MountedVolume>,
}

fn letter_byte(link: DriveLetterLink) -> Option<u8> {
    u8::try_from(link.letter()).ok()
}

impl ControlService {
    /// A service with no volume mounted, creating devices for `driver`.
    pub fn new(driver: DriverHandle) -> Self {
        Self {
            driver,
            volumes: Registry::new(),
        }
    }

    /// Runs `mount_plan::unmount` for `volume` and deletes whatever is left of it.
    fn take_down(&self, volume: MountedVolume) -> Result<(), NtStatus> {
        let MountedVolume {
            device, link, mounted, ..
        } = volume;
        device.body().begin_close();
        let disk = Arc::clone(device.body().disk());
        let driver = self.driver;
        let parts = HostParts {
            device: Some(device),
            link,
        };
        // If the session cannot run, dropping the closure deletes the device and the link.
        let result = with_mount_manager(move |mount_manager| {
            let mut host = KernelHost::for_unmount(mount_manager, driver, parts);
            mount_plan::unmount(&mut host, &disk, &mounted)
        })?;
        result.map_err(NtStatus::from)
    }
}

impl ControlHost for ControlService {
    fn mount(&mut self, order: MountOrder) -> Result<MountReply, NtStatus> {
        if self.volumes.iter().any(|entry| entry.value.uuid == order.uuid) {
            return Err(STATUS_SHARING_VIOLATION);
        }
        let number = self.volumes.free_number().ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        self.volumes.reserve_one()?;
        let mut path = Vec::new();
        path.try_reserve_exact(order.path().len())
            .map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)?;
        path.extend(order.path().iter());
        let access = if order.options.read_only {
            FileAccess::ReadOnly
        } else {
            FileAccess::ReadWrite
        };
        let file = ContainerFile::open_units(&path, access)?;
        let volume = try_box(open_volume(file, &order)?)?;
        let data_sectors = volume.sector_count();
        let letter = order.letter;
        // LUKS2: the disk reports the volume's encryption sector size (512 for LUKS1).
        let sector_size = u32::try_from(volume.unit_size()).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let description = DiskDevice::with_sector_size(
            number,
            &order.uuid,
            data_sectors,
            sector_size,
            order.options,
            letter.and_then(letter_byte),
        )
        .map_err(|_| NtStatus::INVALID_PARAMETER)?;
        // `Arc::try_new` is not stable: this is the one infallible allocation of a MOUNT (a
        // few hundred bytes); the mount plan shares the description with the device.
        let disk = Arc::new(description);
        let session_disk = Arc::clone(&disk);
        let driver = self.driver;
        let (result, parts) = with_mount_manager(move |mount_manager| {
            let mut host = KernelHost::for_mount(mount_manager, driver, volume);
            let result = mount_plan::mount(&mut host, &session_disk, letter);
            (result, host.into_parts())
        })?;
        let mounted = result.map_err(NtStatus::from)?;
        let device = parts.device.ok_or(NtStatus::INVALID_DEVICE_STATE)?;
        let mut flags = MountReplyFlags::empty();
        flags.set(MountReplyFlags::FALLBACK_LINK, mounted.fallback_link);
        flags.set(MountReplyFlags::NO_LETTER, mounted.letter.is_none());
        flags.set(MountReplyFlags::REGISTERED, mounted.registered);
        let drive_letter = mounted.letter.and_then(letter_byte);
        let guid = mounted.volume_name.map_or([0; 16], |name| name.guid().to_le_bytes());
        let reply = MountReply::new(flags, number, drive_letter, guid);
        let options = order.options;
        let uuid = order.uuid;
        self.volumes.insert(
            number,
            drive_letter,
            MountedVolume {
                device,
                link: parts.link,
                mounted,
                path: order.into_path_bytes(),
                options,
                data_sectors,
                uuid,
            },
        );
        Ok(reply)
    }

    fn unmount(&mut self, request: UnmountRequest) -> Result<(), NtStatus> {
        let entry = self.volumes.find(request.target).ok_or(NtStatus::NOT_FOUND)?;
        if !request.force && entry.value.device.body().open_count() > 0 {
            return Err(STATUS_FILES_OPEN);
        }
        let entry = self.volumes.remove(request.target).ok_or(NtStatus::NOT_FOUND)?;
        self.take_down(entry.value)
    }

    fn list(&mut self, output: &mut [u8]) -> Reply {
        let mut summaries = Vec::new();
        if summaries.try_reserve_exact(self.volumes.len()).is_err() {
            return Reply::error(NtStatus::INSUFFICIENT_RESOURCES);
        }
        for entry in self.volumes.iter() {
            let volume = &entry.value;
            let Ok(path) = NtName::from_le_bytes(&volume.path) else {
                continue;
            };
            summaries.push(VolumeSummary {
                device_number: entry.number,
                drive_letter: entry.letter,
                read_only: volume.options.read_only,
                removable: volume.options.removable,
                fallback_link: volume.mounted.fallback_link,
                data_sectors: volume.data_sectors,
                uuid: volume.uuid,
                path,
            });
        }
        write_list_reply(&summaries, output)
    }
}

impl IrpHandler for ControlService {
    fn handle(&mut self, mut irp: Irp) {
        let Request::DeviceControl { code, .. } = irp.request() else {
            let _ = irp.fail(NtStatus::INVALID_DEVICE_REQUEST);
            return;
        };
        let reply = match irp.control_buffers() {
            Some(buffers) => handle_control(self, code, buffers),
            None => Reply::error(NtStatus::INVALID_PARAMETER),
        };
        let _ = irp.complete(reply);
    }
}

impl Drop for ControlService {
    /// `DriverUnload`: every volume still mounted is taken down, open handles or not.
    fn drop(&mut self) {
        while let Some(entry) = self.volumes.pop() {
            let _ = self.take_down(entry.value);
        }
    }
}
