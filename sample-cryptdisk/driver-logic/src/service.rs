//! [`ControlService`]: what MOUNT, UNMOUNT and LIST decide, over a [`Platform`] that does the
//! kernel's part (open the container file, create the device and run the mount manager's
//! sequence, take a volume down).
//!
//! The driver runs one service on the control device's worker thread, which serialises every
//! control request, so the [`Registry`] of mounted volumes needs no lock.
//!
//! MOUNT: refuse a UUID that is mounted already (`STATUS_SHARING_VIOLATION`) → free device
//! number → open the container (read-only if asked) → read its LUKS header and check it against
//! the request ([`open_volume`]) → describe the disk (`DiskDevice`) → [`Platform::mount`] (the
//! device, its worker and `mount_plan::mount`) → record the volume → reply.
//!
//! UNMOUNT (and dropping the service, for every volume left): refuse while files are open
//! unless forced (`STATUS_FILES_OPEN`) → [`Platform::take_down`].

use alloc::sync::Arc;
use alloc::vec::Vec;

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::control::{
    MountOptions, MountReply, MountReplyFlags, UnmountRequest, VolumeSummary, write_list_reply,
};
use cryptdisk_core::device::DiskDevice;
use cryptdisk_core::device::mount_plan::Mounted;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::volume::Volume;
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};

use crate::control::{ControlHost, MountOrder};
use crate::mount_check::open_volume;
use crate::registry::Registry;

/// The kernel's part of the control requests.
pub trait Platform {
    /// The container a volume reads and writes (the driver's container file).
    type Container: BlockDevice;
    /// What the platform keeps of a mounted volume (its device and fallback link).
    type Volume;

    /// Opens the container at `path` (an NT path) in the system process, for reading only or
    /// for reading and writing.
    ///
    /// # Errors
    ///
    /// The status of the open.
    fn open_container(&mut self, path: NtName<'_>, read_only: bool) -> Result<Self::Container, NtStatus>;

    /// Puts `volume` behind a new device described by `disk` and runs the mount sequence
    /// (`mount_plan::mount`) with the drive letter asked for. On failure nothing is left behind.
    ///
    /// # Errors
    ///
    /// The status the MOUNT request completes with.
    fn mount(
        &mut self,
        volume: Volume<Self::Container>,
        disk: Arc<DiskDevice>,
        letter: Option<DriveLetterLink>,
    ) -> Result<(Mounted, Self::Volume), NtStatus>;

    /// Open file objects on the volume's device.
    fn open_count(&self, volume: &Self::Volume) -> u32;

    /// Refuses new opens and I/O on the volume, runs the unmount sequence
    /// (`mount_plan::unmount`) and deletes what is left of it.
    ///
    /// # Errors
    ///
    /// The status the UNMOUNT request completes with (the volume is gone either way).
    fn take_down(&mut self, volume: Self::Volume, mounted: &Mounted) -> Result<(), NtStatus>;
}

/// A mounted volume as the registry keeps it.
#[derive(Debug)]
struct MountedVolume<V> {
    platform: V,
    mounted: Mounted,
    path: Vec<u8>,
    options: MountOptions,
    data_sectors: u64,
    uuid: Uuid,
}

/// See the module docs.
#[derive(Debug)]
pub struct ControlService<P: Platform> {
    platform: P,
    volumes: Registry<MountedVolume<P::Volume>>,
}

/// A letter as the control protocol's wire carries it (`b'A'..=b'Z'`).
fn wire_letter(link: DriveLetterLink) -> Option<u8> {
    u8::try_from(link.letter()).ok()
}

impl<P: Platform> ControlService<P> {
    /// A service with no volume mounted.
    pub fn new(platform: P) -> Self {
        Self {
            platform,
            volumes: Registry::new(),
        }
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// Number of volumes mounted.
    pub fn len(&self) -> usize {
        self.volumes.len()
    }

    /// Whether no volume is mounted.
    pub fn is_empty(&self) -> bool {
        self.volumes.is_empty()
    }

    fn take_down(&mut self, volume: MountedVolume<P::Volume>) -> Result<(), NtStatus> {
        let MountedVolume { platform, mounted, .. } = volume;
        self.platform.take_down(platform, &mounted)
    }
}

impl<P: Platform> ControlHost for ControlService<P> {
    fn mount(&mut self, order: MountOrder) -> Result<MountReply, NtStatus> {
        if self.volumes.iter().any(|entry| entry.value.uuid == order.uuid) {
            return Err(NtStatus::SHARING_VIOLATION);
        }
        let number = self.volumes.free_number().ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        self.volumes.reserve_one()?;
        let container = self.platform.open_container(order.path(), order.options.read_only)?;
        let volume = open_volume(container, &order)?;
        let data_sectors = volume.sector_count();
        // LUKS2: the disk reports the volume's encryption sector size (512 for LUKS1).
        let sector_size = u32::try_from(volume.unit_size()).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let description = DiskDevice::with_link(
            number,
            &order.uuid,
            data_sectors,
            sector_size,
            order.options,
            order.letter,
        )
        .map_err(|_| NtStatus::INVALID_PARAMETER)?;
        // `Arc::try_new` is not stable: this is the one infallible allocation of a MOUNT (a
        // few hundred bytes); the mount plan shares the description with the device.
        let disk = Arc::new(description);
        let (mounted, platform) = self.platform.mount(volume, disk, order.letter)?;
        let mut flags = MountReplyFlags::empty();
        flags.set(MountReplyFlags::FALLBACK_LINK, mounted.fallback_link);
        flags.set(MountReplyFlags::NO_LETTER, mounted.letter.is_none());
        flags.set(MountReplyFlags::REGISTERED, mounted.registered);
        let guid = mounted.volume_name.map_or([0; 16], |name| name.guid().to_le_bytes());
        let reply = MountReply::new(flags, number, mounted.letter.and_then(wire_letter), guid);
        let (options, uuid, letter) = (order.options, order.uuid, mounted.letter);
        self.volumes.insert(
            number,
            letter,
            MountedVolume {
                platform,
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
        if !request.force && self.platform.open_count(&entry.value.platform) > 0 {
            return Err(NtStatus::FILES_OPEN);
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
                drive_letter: entry.letter.and_then(wire_letter),
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

impl<P: Platform> Drop for ControlService<P> {
    /// `DriverUnload`: every volume still mounted is taken down, open handles or not.
    fn drop(&mut self) {
        while let Some(entry) = self.volumes.pop() {
            let _ = self.take_down(entry.value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mount_check::tests::{UUID, container, key, order};
    use alloc::rc::Rc;
    use alloc::string::{String, ToString};
    use alloc::vec;
    use core::cell::RefCell;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::control::{ListReply, UnmountTarget};
    use cryptdisk_core::xts::XtsKeySize;

    /// What the fake platform was asked, in order.
    type Log = Rc<RefCell<Vec<String>>>;

    /// Containers by path; mounts and take-downs logged; open handles per device number.
    struct Fake {
        containers: Vec<(String, MemDevice)>,
        log: Log,
        opens: Vec<(u32, u32)>,
        refuse_mount: Option<NtStatus>,
        fallback: bool,
    }

    impl Platform for Fake {
        type Container = MemDevice;
        type Volume = u32;

        fn open_container(&mut self, path: NtName<'_>, read_only: bool) -> Result<MemDevice, NtStatus> {
            self.log.borrow_mut().push(alloc::format!("open {path} ro={read_only}"));
            let path = path.to_string();
            let found = self.containers.iter().find(|(p, _)| *p == path);
            found.map(|(_, d)| d.clone()).ok_or(NtStatus::OBJECT_NAME_NOT_FOUND)
        }

        fn mount(
            &mut self,
            volume: Volume<MemDevice>,
            disk: Arc<DiskDevice>,
            letter: Option<DriveLetterLink>,
        ) -> Result<(Mounted, u32), NtStatus> {
            let number = disk.number();
            self.log
                .borrow_mut()
                .push(alloc::format!("mount {number} {letter:?} {}", volume.sector_count()));
            if let Some(status) = self.refuse_mount {
                return Err(status);
            }
            let mounted = Mounted {
                letter,
                fallback_link: self.fallback,
                registered: !self.fallback,
                volume_name: None,
                phantom_letters_removed: 0,
            };
            Ok((mounted, number))
        }

        fn open_count(&self, volume: &u32) -> u32 {
            self.opens
                .iter()
                .find(|(n, _)| n == volume)
                .map_or(0, |(_, count)| *count)
        }

        fn take_down(&mut self, volume: u32, mounted: &Mounted) -> Result<(), NtStatus> {
            self.log
                .borrow_mut()
                .push(alloc::format!("down {volume} {:?}", mounted.letter));
            Ok(())
        }
    }

    /// A service with two containers, `a` and `b` (distinct UUIDs), of 64 data sectors.
    fn service(log: &Log) -> (ControlService<Fake>, u64) {
        let (a, payload) = container(XtsKeySize::Bits512, 64, UUID);
        let (b, _) = container(XtsKeySize::Bits512, 64, b"00000000-2f3d-4e8a-9b7c-0d1e2f3a4b5c");
        let fake = Fake {
            containers: vec![("\\??\\C:\\a.luks".into(), a), ("\\??\\C:\\b.luks".into(), b)],
            log: Rc::clone(log),
            opens: Vec::new(),
            refuse_mount: None,
            fallback: true,
        };
        (ControlService::new(fake), payload)
    }

    fn mount_order(path: &str, payload: u64, letter: Option<u8>, uuid: &[u8; 36]) -> MountOrder {
        order(&key(64), payload, 64, |b| {
            b.path = path;
            b.letter = letter;
            b.uuid = Uuid::parse(uuid).unwrap();
        })
    }

    const UUID_B: &[u8; 36] = b"00000000-2f3d-4e8a-9b7c-0d1e2f3a4b5c";

    #[test]
    fn mount_numbers_the_volume_replies_and_lists_it_and_a_second_mount_of_its_uuid_is_refused() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        let reply = service
            .mount(mount_order("\\??\\C:\\a.luks", payload, Some(b'Q'), UUID))
            .unwrap();
        assert_eq!((reply.device_number.get(), reply.drive_letter), (1, b'Q'));
        assert_eq!(reply.flags(), MountReplyFlags::FALLBACK_LINK);
        assert_eq!(
            log.borrow().as_slice(),
            ["open \\??\\C:\\a.luks ro=false", "mount 1 Some(DriveLetterLink(Q:)) 64"]
        );
        // The same UUID again, at another path or letter: refused before any open.
        let again = service.mount(mount_order("\\??\\C:\\a.luks", payload, Some(b'R'), UUID));
        assert_eq!(again.unwrap_err(), NtStatus::SHARING_VIOLATION);
        assert_eq!(log.borrow().len(), 2);
        let reply = service
            .mount(mount_order("\\??\\C:\\b.luks", payload, None, UUID_B))
            .unwrap();
        assert_eq!(reply.device_number.get(), 2);
        assert!(reply.flags().contains(MountReplyFlags::NO_LETTER));

        let mut output = vec![0u8; 256];
        let listed = service.list(&mut output);
        assert!(listed.status.is_success(), "{listed:?}");
        let list = ListReply::parse(&output[..listed.information]).unwrap();
        let entries = list.to_vec().unwrap();
        assert_eq!(entries.len(), 2);
        let a = entries.iter().find(|e| e.device_number == 1).unwrap();
        assert_eq!(
            (a.drive_letter, a.data_sectors, a.fallback_link),
            (Some(b'Q'), 64, true)
        );
        assert_eq!(a.path.to_string(), "\\??\\C:\\a.luks");
    }

    #[test]
    fn refused_mounts_leave_nothing_recorded() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        let missing = service.mount(mount_order("\\??\\C:\\gone.luks", payload, None, UUID));
        assert_eq!(missing.unwrap_err(), NtStatus::OBJECT_NAME_NOT_FOUND);
        // The header disagrees (payload offset): refused before the platform mounts anything.
        let mismatch = service.mount(mount_order("\\??\\C:\\a.luks", payload + 8, None, UUID));
        assert_eq!(mismatch.unwrap_err(), NtStatus::INVALID_PARAMETER);
        service.platform.refuse_mount = Some(NtStatus::OBJECT_NAME_COLLISION);
        let refused = service.mount(mount_order("\\??\\C:\\a.luks", payload, Some(b'C'), UUID));
        assert_eq!(refused.unwrap_err(), NtStatus::OBJECT_NAME_COLLISION);
        assert!(service.is_empty());
        assert!(!log.borrow().iter().any(|l| l.starts_with("down")));
        // The number and the UUID are free again.
        service.platform.refuse_mount = None;
        let reply = service
            .mount(mount_order("\\??\\C:\\a.luks", payload, None, UUID))
            .unwrap();
        assert_eq!(reply.device_number.get(), 1);
    }

    #[test]
    fn unmount_is_refused_while_files_are_open_unless_forced() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        service
            .mount(mount_order("\\??\\C:\\a.luks", payload, Some(b'Q'), UUID))
            .unwrap();
        service.platform.opens.push((1, 2));
        let by_letter = UnmountRequest {
            target: UnmountTarget::Letter(b'Q'),
            force: false,
        };
        assert_eq!(service.unmount(by_letter), Err(NtStatus::FILES_OPEN));
        assert_eq!(service.len(), 1);
        let other = UnmountRequest {
            target: UnmountTarget::DeviceNumber(2),
            force: true,
        };
        assert_eq!(service.unmount(other), Err(NtStatus::NOT_FOUND));
        let forced = UnmountRequest {
            force: true,
            ..by_letter
        };
        assert_eq!(service.unmount(forced), Ok(()));
        assert!(service.is_empty());
        assert_eq!(log.borrow().last().unwrap(), "down 1 Some(DriveLetterLink(Q:))");
        assert_eq!(service.unmount(forced), Err(NtStatus::NOT_FOUND));
    }

    #[test]
    fn dropping_the_service_takes_every_volume_down() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        service
            .mount(mount_order("\\??\\C:\\a.luks", payload, None, UUID))
            .unwrap();
        service
            .mount(mount_order("\\??\\C:\\b.luks", payload, None, UUID_B))
            .unwrap();
        service.platform.opens.push((1, 5));
        drop(service);
        let downs: Vec<String> = log.borrow().iter().filter(|l| l.starts_with("down")).cloned().collect();
        assert_eq!(downs.len(), 2, "{downs:?}");
    }
}
