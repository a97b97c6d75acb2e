//! The unmount plan against a volume with a file system on it ([`FileSystemSim`]): a file
//! system with open files refuses the lock and nothing is deleted; a forced unmount dismounts it
//! before anything goes; a granted lock is held until the device is gone.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
#![cfg(feature = "sim")]

use std::sync::Arc;

use cryptdisk_core::control::MountOptions;
use cryptdisk_core::device::mount_plan::{self, Mounted, PlanError};
use cryptdisk_core::device::{DiskDevice, FileSystemSim, HostEvent, SimFileSystem};
use cryptdisk_core::uuid::Uuid;
use mountdev::{DriveLetterLink, NtStatus};
use mountmgr_client::sim::Sim;

const UUID: &[u8; 36] = b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c";

fn z() -> DriveLetterLink {
    DriveLetterLink::new(b'Z').unwrap()
}

/// A volume mounted at Z: with a file system on it.
fn mounted_with_file_system() -> (FileSystemSim, Arc<DiskDevice>, Mounted) {
    let uuid = Uuid::parse(UUID).unwrap();
    let dev = Arc::new(DiskDevice::new(1, &uuid, 4096, MountOptions::default(), Some(b'Z')).unwrap());
    let mut host = FileSystemSim::new(Sim::new());
    let mounted = mount_plan::mount(&mut host, &dev, Some(z())).unwrap();
    assert!(mounted.registered);
    host.mount_file_system(&dev);
    (host, dev, mounted)
}

/// What Z: resolves to, the devices, the `MountedDevices` values (name, data).
type Snapshot = (String, Vec<String>, Vec<(String, Vec<u8>)>);

/// What the mount left: Z: resolving to the device, the device, the `MountedDevices` values.
fn snapshot(host: &mut FileSystemSim) -> Snapshot {
    let sim = host.sim_mut();
    let device = sim
        .resolve_drive_letter('Z')
        .map(|r| r.device_name.to_string())
        .unwrap_or_default();
    let devices = sim.device_names().iter().map(ToString::to_string).collect();
    let database = sim
        .database()
        .iter()
        .map(|(name, data)| (name.to_string(), data.to_vec()))
        .collect();
    (device, devices, database)
}

#[test]
fn open_files_refuse_the_unmount_and_nothing_is_deleted() {
    let (mut host, dev, mounted) = mounted_with_file_system();
    host.open_file(&dev).unwrap();
    let before = snapshot(&mut host);
    assert_eq!(before.0, "\\Device\\CryptDiskVolume1");
    assert!(before.2.iter().any(|(name, _)| name == "\\DosDevices\\Z:"));

    let error = mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap_err();
    assert_eq!(
        error,
        PlanError::FilesOpen {
            lock: NtStatus::ACCESS_DENIED
        }
    );
    assert_eq!(NtStatus::from(error), NtStatus::FILES_OPEN);
    assert_eq!(snapshot(&mut host), before, "links, device and MountedDevices stay");
    assert_eq!(
        host.events(),
        [HostEvent::Lock(NtStatus::ACCESS_DENIED), HostEvent::Release]
    );
    assert!(!host.holds_handle(&dev));
    // The volume still works: its file system takes new files, the open one has its data.
    let fs = *host.file_system(&dev).unwrap();
    assert!(fs.dirty && !fs.dismounted && !fs.locked);
    host.open_file(&dev).unwrap();

    // Once the files are closed, the same unmount goes through.
    host.close_file(&dev);
    host.close_file(&dev);
    mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap();
    assert!(host.sim().device_names().is_empty());
    assert!(host.sim().drive_letters().is_empty());
}

#[test]
fn a_granted_lock_dismounts_then_deletes_then_releases() {
    let (mut host, dev, mounted) = mounted_with_file_system();
    host.open_file(&dev).unwrap();
    host.close_file(&dev);
    mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap();
    assert_eq!(
        host.events(),
        [
            HostEvent::Lock(NtStatus::SUCCESS),
            HostEvent::Dismount { locked: true },
            HostEvent::RefuseNewOpens,
            HostEvent::DeletePoints,
            HostEvent::DeleteDevice {
                under_file_system: false
            },
            HostEvent::Release,
        ]
    );
    assert_eq!(
        host.file_system(&dev),
        Some(&SimFileSystem {
            dismounted: true,
            ..SimFileSystem::default()
        })
    );
    assert!(!host.holds_handle(&dev));
    assert!(host.sim().device_names().is_empty());
    assert!(host.sim_mut().resolve_drive_letter('Z').is_err());
    assert!(
        host.sim()
            .database()
            .drive_letters_of(dev.identity().unique_id_bytes())
            .is_empty()
    );
}

#[test]
fn force_dismounts_the_file_system_before_it_deletes() {
    let (mut host, dev, mounted) = mounted_with_file_system();
    host.open_file(&dev).unwrap();
    mount_plan::unmount(&mut host, &dev, &mounted, true).unwrap();
    let events = host.events();
    assert_eq!(events.first(), Some(&HostEvent::Lock(NtStatus::ACCESS_DENIED)));
    assert_eq!(events.get(1), Some(&HostEvent::Dismount { locked: false }));
    let dismount = events.iter().position(|e| matches!(e, HostEvent::Dismount { .. }));
    let points = events.iter().position(|e| *e == HostEvent::DeletePoints);
    let delete = events.iter().position(|e| {
        *e == HostEvent::DeleteDevice {
            under_file_system: false,
        }
    });
    assert!(dismount < points && points < delete, "{events:?}");
    assert_eq!(events.last(), Some(&HostEvent::Release));
    // Dismounted: flushed, its open file invalidated.
    let fs = host.file_system(&dev).unwrap();
    assert!(fs.dismounted && !fs.dirty && fs.open_files == 0);
    assert!(host.sim().device_names().is_empty());
}

#[test]
fn no_new_opens_once_the_unmount_is_past_the_lock() {
    let (mut host, dev, mounted) = mounted_with_file_system();
    mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap();
    assert_eq!(host.open_file(&dev), Err(NtStatus::UNRECOGNIZED_VOLUME));
    let refuse = host.events().iter().position(|e| *e == HostEvent::RefuseNewOpens);
    let points = host.events().iter().position(|e| *e == HostEvent::DeletePoints);
    assert!(refuse.is_some() && refuse < points);
}

#[test]
fn a_volume_without_a_file_system_unmounts_as_before() {
    let uuid = Uuid::parse(UUID).unwrap();
    let dev = Arc::new(DiskDevice::new(2, &uuid, 4096, MountOptions::default(), Some(b'Z')).unwrap());
    let mut host = FileSystemSim::new(Sim::new());
    let mounted = mount_plan::mount(&mut host, &dev, Some(z())).unwrap();
    mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap();
    assert_eq!(host.events().first(), Some(&HostEvent::Lock(NtStatus::SUCCESS)));
    assert!(host.sim().device_names().is_empty());
    assert!(host.sim().findings().is_empty(), "{:?}", host.sim().findings());
}
