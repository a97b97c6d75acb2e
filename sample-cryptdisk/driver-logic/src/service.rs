//! [`ControlService`]: what MOUNT, UNMOUNT and LIST decide, over a [`Platform`] that does the
//! kernel's part (create the device and run the mount manager's sequence, take a volume down).
//! The container arrives opened: the dispatch routine opened it in the caller's context
//! ([`crate::control::accept_mount`]).
//!
//! The driver runs one service on the control device's worker thread, which serialises every
//! control request, so the [`Registry`] of mounted volumes needs no lock.
//!
//! MOUNT: refuse a UUID that is mounted already (`STATUS_SHARING_VIOLATION`) → free device
//! number and a registry slot (reserved: recording the volume cannot fail) → read the
//! container's LUKS header, check it against the request and the master key against its digest
//! ([`open_volume`]) → describe the disk (`DiskDevice`) → [`Platform::mount`] (shares the
//! description, creates the device, its worker and runs `mount_plan::mount`) → record the
//! volume → reply. Every allocation on the way is fallible (`STATUS_INSUFFICIENT_RESOURCES`).
//!
//! UNMOUNT (and dropping the service, for every volume left, forced): refuse while handles are
//! open on the volume device itself unless forced (`STATUS_FILES_OPEN`) →
//! [`Platform::take_down`], whose `mount_plan::unmount` first locks the file system on the
//! volume: a file system with files open refuses, and the volume goes back into the registry
//! untouched ([`TakeDownError::InUse`], `STATUS_FILES_OPEN`).

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
use crate::registry::{Entry, Registry};

/// The kernel's part of the control requests.
pub trait Platform {
    /// The container a volume reads and writes (the driver's container file).
    type Container: BlockDevice;
    /// What the platform keeps of a mounted volume (its device and fallback link).
    type Volume;

    /// Puts `volume` behind a new device described by `disk` (shared with the device, in a
    /// fallible allocation) and runs the mount sequence (`mount_plan::mount`) with the drive
    /// letter asked for. On failure nothing is left behind.
    ///
    /// # Errors
    ///
    /// The status the MOUNT request completes with (`STATUS_INSUFFICIENT_RESOURCES` when the
    /// description cannot be shared).
    fn mount(
        &mut self,
        volume: Volume<Self::Container>,
        disk: DiskDevice,
        letter: Option<DriveLetterLink>,
    ) -> Result<(Mounted, Self::Volume), NtStatus>;

    /// Open file objects on the volume's device.
    fn open_count(&self, volume: &Self::Volume) -> u32;

    /// Runs the unmount sequence (`mount_plan::unmount`, forced or not: it locks and
    /// dismounts the file system on the volume, refuses new opens and I/O, deletes the mount
    /// points and the device) and deletes what is left of the volume.
    ///
    /// # Errors
    ///
    /// [`TakeDownError`]: the volume handed back untouched, or gone with a failure to report.
    fn take_down(
        &mut self,
        volume: Self::Volume,
        mounted: &Mounted,
        force: bool,
    ) -> Result<(), TakeDownError<Self::Volume>>;
}

/// Why [`Platform::take_down`] did not simply succeed.
#[derive(Debug, PartialEq, Eq)]
pub enum TakeDownError<V> {
    /// The file system on the volume refused the lock (files open) and the take-down was not
    /// forced: nothing was changed, and here is the volume back.
    InUse(V),
    /// The volume is gone, but a step failed with this status (the UNMOUNT reply).
    Failed(NtStatus),
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

    /// Takes `entry` down; a volume the platform hands back (in use, not forced) goes back into
    /// the registry as it was.
    fn take_down(&mut self, entry: Entry<MountedVolume<P::Volume>>, force: bool) -> Result<(), NtStatus> {
        let Entry { number, letter, value } = entry;
        match self.platform.take_down(value.platform, &value.mounted, force) {
            Ok(()) => Ok(()),
            Err(TakeDownError::Failed(status)) => Err(status),
            Err(TakeDownError::InUse(platform)) => {
                // The entry was just removed, so the registry has room: this does not allocate.
                let value = MountedVolume { platform, ..value };
                self.volumes.insert(number, letter, value);
                Err(NtStatus::FILES_OPEN)
            }
        }
    }
}

impl<P: Platform> ControlHost for ControlService<P> {
    type Container = P::Container;

    fn mount(&mut self, order: MountOrder, container: P::Container) -> Result<MountReply, NtStatus> {
        if self.volumes.iter().any(|entry| entry.value.uuid == order.uuid) {
            return Err(NtStatus::SHARING_VIOLATION);
        }
        let number = self.volumes.free_number().ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        self.volumes.reserve_one()?;
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
        let (mounted, platform) = self.platform.mount(volume, description, order.letter)?;
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
                path: order.path.into_bytes(),
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
        self.take_down(entry, request.force)
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
            let _ = self.take_down(entry, true);
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
        /// Volumes whose file system has files open (refuses the lock).
        busy: Vec<u32>,
    }

    impl Fake {
        /// What the dispatch routine does for a MOUNT: open the container by its path.
        fn open_container(&mut self, path: NtName<'_>, read_only: bool) -> Result<MemDevice, NtStatus> {
            self.log.borrow_mut().push(alloc::format!("open {path} ro={read_only}"));
            let path = path.to_string();
            let found = self.containers.iter().find(|(p, _)| *p == path);
            found.map(|(_, d)| d.clone()).ok_or(NtStatus::OBJECT_NAME_NOT_FOUND)
        }
    }

    /// A MOUNT as the driver runs it: the container opened (dispatch), then the service.
    fn mount(service: &mut ControlService<Fake>, order: MountOrder) -> Result<MountReply, NtStatus> {
        let container = service
            .platform
            .open_container(order.path.name()?, order.options.read_only)?;
        service.mount(order, container)
    }

    impl Platform for Fake {
        type Container = MemDevice;
        type Volume = u32;

        fn mount(
            &mut self,
            volume: Volume<MemDevice>,
            disk: DiskDevice,
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

        fn take_down(&mut self, volume: u32, mounted: &Mounted, force: bool) -> Result<(), TakeDownError<u32>> {
            if !force && self.busy.contains(&volume) {
                self.log.borrow_mut().push(alloc::format!("in use {volume}"));
                return Err(TakeDownError::InUse(volume));
            }
            self.log
                .borrow_mut()
                .push(alloc::format!("down {volume} {:?} force={force}", mounted.letter));
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
            busy: Vec::new(),
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
        let reply = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'Q'), UUID)).unwrap();
        assert_eq!((reply.device_number.get(), reply.drive_letter), (1, b'Q'));
        assert_eq!(reply.flags(), MountReplyFlags::FALLBACK_LINK);
        assert_eq!(
            log.borrow().as_slice(),
            ["open \\??\\C:\\a.luks ro=false", "mount 1 Some(DriveLetterLink(Q:)) 64"]
        );
        // The same UUID again, at another path or letter: refused before the header is read
        // (the dispatch routine opened the container; nothing is mounted).
        let again = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'R'), UUID));
        assert_eq!(again.unwrap_err(), NtStatus::SHARING_VIOLATION);
        assert_eq!(log.borrow().len(), 3);
        assert!(log.borrow()[2].starts_with("open"));
        let reply = mount(&mut service, mount_order("\\??\\C:\\b.luks", payload, None, UUID_B)).unwrap();
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
        let missing = mount(&mut service, mount_order("\\??\\C:\\gone.luks", payload, None, UUID));
        assert_eq!(missing.unwrap_err(), NtStatus::OBJECT_NAME_NOT_FOUND);
        // The header disagrees (payload offset): refused before the platform mounts anything.
        let mismatch = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload + 8, None, UUID));
        assert_eq!(mismatch.unwrap_err(), NtStatus::INVALID_PARAMETER);
        service.platform.refuse_mount = Some(NtStatus::OBJECT_NAME_COLLISION);
        let refused = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'C'), UUID));
        assert_eq!(refused.unwrap_err(), NtStatus::OBJECT_NAME_COLLISION);
        assert!(service.is_empty());
        assert!(!log.borrow().iter().any(|l| l.starts_with("down")));
        // The number and the UUID are free again.
        service.platform.refuse_mount = None;
        let reply = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, None, UUID)).unwrap();
        assert_eq!(reply.device_number.get(), 1);
    }

    #[test]
    fn unmount_is_refused_while_files_are_open_unless_forced() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'Q'), UUID)).unwrap();
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
        assert_eq!(
            log.borrow().last().unwrap(),
            "down 1 Some(DriveLetterLink(Q:)) force=true"
        );
        assert_eq!(service.unmount(forced), Err(NtStatus::NOT_FOUND));
    }

    #[test]
    fn a_file_system_in_use_keeps_the_volume_mounted_unless_forced() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'Q'), UUID)).unwrap();
        mount(
            &mut service,
            mount_order("\\??\\C:\\b.luks", payload, Some(b'R'), UUID_B),
        )
        .unwrap();
        service.platform.busy.push(1);
        let plain = UnmountRequest {
            target: UnmountTarget::Letter(b'Q'),
            force: false,
        };
        assert_eq!(service.unmount(plain), Err(NtStatus::FILES_OPEN));
        assert_eq!(log.borrow().last().unwrap(), "in use 1");
        // Still recorded as it was: found by letter and by number, listed with its path.
        assert_eq!(service.len(), 2);
        let mut output = vec![0u8; 512];
        let listed = service.list(&mut output);
        let entries = ListReply::parse(&output[..listed.information])
            .unwrap()
            .to_vec()
            .unwrap();
        let q = entries.iter().find(|e| e.device_number == 1).unwrap();
        assert_eq!(
            (q.drive_letter, q.path.to_string()),
            (Some(b'Q'), "\\??\\C:\\a.luks".to_string())
        );
        // A second MOUNT of its UUID is still refused: the volume is mounted.
        let again = mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, Some(b'S'), UUID));
        assert_eq!(again.unwrap_err(), NtStatus::SHARING_VIOLATION);
        let by_number = UnmountRequest {
            target: UnmountTarget::DeviceNumber(1),
            force: true,
        };
        assert_eq!(service.unmount(by_number), Ok(()));
        assert_eq!(
            log.borrow().last().unwrap(),
            "down 1 Some(DriveLetterLink(Q:)) force=true"
        );
        assert_eq!(service.len(), 1);
    }

    #[test]
    fn dropping_the_service_takes_every_volume_down() {
        let log = Log::default();
        let (mut service, payload) = service(&log);
        mount(&mut service, mount_order("\\??\\C:\\a.luks", payload, None, UUID)).unwrap();
        mount(&mut service, mount_order("\\??\\C:\\b.luks", payload, None, UUID_B)).unwrap();
        service.platform.opens.push((1, 5));
        service.platform.busy.push(2);
        drop(service);
        let downs: Vec<String> = log.borrow().iter().filter(|l| l.starts_with("down")).cloned().collect();
        assert_eq!(downs.len(), 2, "{downs:?}");
    }
}
