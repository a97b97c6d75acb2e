//! The disk device and the mount plan against the behavioural mount-manager simulator: what the
//! driver does at MOUNT / UNMOUNT, run in user mode.
#![cfg(feature = "sim")]
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use std::sync::Arc;

use cryptdisk_core::blockdev::MemDevice;
use cryptdisk_core::control::MountOptions;
use cryptdisk_core::device::mount_plan::{self, Mounted, PlanError, VolumeHost};
use cryptdisk_core::device::{DiskDevice, IoKind, read, write};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::volume::{Volume, VolumeParams};
use cryptdisk_core::xts::XtsKeySize;
use mountdev::ioctl::*;
use mountdev::{DriveLetterLink, IoBuffers, NtName, NtStatus, Reply};
use mountmgr_client::Transport;
use mountmgr_client::sim::{Sim, SimConfig, SimMode};

const UUID: &[u8; 36] = b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c";

fn device(number: u32, letter: Option<u8>, options: MountOptions) -> Arc<DiskDevice> {
    let uuid = Uuid::parse(UUID).unwrap();
    Arc::new(DiskDevice::new(number, &uuid, 4096, options, letter).unwrap())
}

fn z() -> DriveLetterLink {
    DriveLetterLink::new(b'Z').unwrap()
}

#[test]
fn mount_at_z_is_clean_and_resolves_like_win32() {
    let mut sim = Sim::new();
    let dev = device(1, Some(b'Z'), MountOptions::default());
    let mounted = mount_plan::mount(&mut sim, &dev, Some(z())).unwrap();
    assert_eq!(mounted.letter, Some(z()));
    assert!(mounted.registered && !mounted.fallback_link);
    assert_eq!(mounted.phantom_letters_removed, 0);
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());

    // Z: → \\?\Volume{<LUKS UUID>}\ → \Device\CryptDiskVolume1, and back.
    let resolved = sim.resolve_drive_letter('Z').unwrap();
    assert_eq!(
        resolved.volume_name,
        "\\\\?\\Volume{5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c}\\"
    );
    assert_eq!(resolved.device_name, "\\Device\\CryptDiskVolume1");
    assert_eq!(sim.volume_paths(&resolved.volume_name).unwrap(), ["Z:\\"]);
    assert_eq!(mounted.volume_name.unwrap().guid(), dev.identity().guid());
    // The mount manager told the volume about its links.
    assert_eq!(dev.identity().reported_letter(), Some('Z'));
    assert!(dev.identity().volume_name_reported());

    // Unmount deletes the drive letter (link and database value); the volume GUID name stays,
    // with the `#{GUID}` marker the letter-only DELETE_POINTS records, both for this volume only.
    mount_plan::unmount(&mut sim, &dev, &mounted, false).unwrap();
    let id = dev.identity().unique_id_bytes();
    assert!(sim.database().drive_letters_of(id).is_empty());
    assert!(sim.database().iter().all(|(_, data)| data == id));
    assert_eq!(
        sim.database().iter().filter(|(name, _)| name.is_volume_name()).count(),
        1,
        "{:?}",
        sim.database().iter().collect::<Vec<_>>()
    );
    assert!(sim.drive_letters().is_empty());
    assert!(sim.resolve_drive_letter('Z').is_err());
}

#[test]
fn a_letter_in_use_is_refused_not_taken_over() {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\Z:", "\\Device\\Somebody")
        .unwrap();
    let dev = device(1, Some(b'Z'), MountOptions::default());
    assert_eq!(
        mount_plan::mount(&mut sim, &dev, Some(z())),
        Err(PlanError::LetterInUse(z()))
    );
    assert_eq!(
        sim.link_target("\\DosDevices\\Z:").unwrap().to_string(),
        "\\Device\\Somebody"
    );
    assert!(sim.device_names().is_empty(), "the device must not be left behind");
}

#[test]
fn a_stale_phantom_letter_is_purged_and_never_comes_back() {
    let mut sim = Sim::new();
    let dev = device(1, Some(b'Z'), MountOptions::default());
    // A previous, broken driver left E: recorded for this volume's unique ID (protocol.md §4.7).
    sim.set_database_value("\\DosDevices\\E:", dev.identity().unique_id_bytes());
    let mounted = mount_plan::mount(&mut sim, &dev, Some(z())).unwrap();
    assert_eq!(sim.drive_letters(), ['Z']);
    assert!(sim.database().drive_letters_of(dev.identity().unique_id_bytes()) == ['Z']);
    mount_plan::unmount(&mut sim, &dev, &mounted, false).unwrap();
    // Remount after a reboot: still exactly Z:.
    sim.reboot();
    let dev = device(2, Some(b'Z'), MountOptions::default());
    let mounted = mount_plan::mount(&mut sim, &dev, Some(z())).unwrap();
    assert_eq!(sim.drive_letters(), ['Z']);
    mount_plan::unmount(&mut sim, &dev, &mounted, false).unwrap();
}

#[test]
fn mount_without_a_letter_takes_what_the_mount_manager_chooses() {
    let mut sim = Sim::new();
    let dev = device(3, None, MountOptions::default());
    let mounted = mount_plan::mount(&mut sim, &dev, None).unwrap();
    assert_eq!(
        mounted.letter.map(|l| l.letter()),
        Some('C'),
        "first free letter from C:"
    );
    assert!(mounted.registered);
    mount_plan::unmount(&mut sim, &dev, &mounted, false).unwrap();
    assert!(
        sim.database()
            .drive_letters_of(dev.identity().unique_id_bytes())
            .is_empty()
    );
    assert!(sim.drive_letters().is_empty());
}

#[test]
fn a_hundred_cycles_keep_the_database_bounded() {
    // The driver hands out the lowest free device number, so the same container mounted again
    // gets the same device name.
    for mode in [SimMode::Windows, SimMode::Reactos] {
        let mut sim = Sim::with_config(SimConfig::new().mode(mode));
        let mut volume_name = None;
        for cycle in 0..100 {
            let letter = if cycle % 2 == 0 { b'Q' } else { b'R' };
            let dev = device(4, Some(letter), MountOptions::default());
            let mounted = mount_plan::mount(&mut sim, &dev, DriveLetterLink::new(letter)).unwrap();
            assert!(mounted.registered, "{mode:?} cycle {cycle}");
            assert_eq!(*volume_name.get_or_insert(mounted.volume_name), mounted.volume_name);
            let resolved = sim.resolve_drive_letter(char::from(letter)).unwrap();
            assert_eq!(resolved.device_name, "\\Device\\CryptDiskVolume4");
            // One letter, one volume name and at most one marker, whatever the cycle.
            assert!(
                sim.database().len() <= 3,
                "{mode:?} cycle {cycle}: {:?}",
                sim.database()
            );
            assert_eq!(sim.database().iter().filter(|(n, _)| n.is_volume_name()).count(), 1);
            mount_plan::unmount(&mut sim, &dev, &mounted, false).unwrap();
            assert!(
                sim.database()
                    .drive_letters_of(dev.identity().unique_id_bytes())
                    .is_empty()
            );
        }
        assert!(sim.findings().is_empty(), "{mode:?}: {:?}", sim.findings());
    }
}

/// A mount manager that refuses CREATE_POINT and arrival, as Wine's does (toolchain.md §5.4).
struct RefusingMountManager(Sim);

impl Transport for RefusingMountManager {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        match code {
            IOCTL_MOUNTMGR_QUERY_POINTS => self.0.device_io_control(code, input, output),
            _ => Reply::error(NtStatus::NOT_SUPPORTED),
        }
    }
}

impl VolumeHost for RefusingMountManager {
    fn create_device(&mut self, device: &Arc<DiskDevice>) -> Result<(), NtStatus> {
        self.0.create_device(device)
    }
    fn clear_initializing(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        VolumeHost::clear_initializing(&mut self.0, device)
    }
    fn link_exists(&mut self, link: DriveLetterLink) -> bool {
        self.0.link_exists(link)
    }
    fn create_link(&mut self, link: DriveLetterLink, target: NtName<'_>) -> Result<(), NtStatus> {
        self.0.create_link(link, target)
    }
    fn delete_link(&mut self, link: DriveLetterLink) -> Result<(), NtStatus> {
        self.0.delete_link(link)
    }
    fn delete_device(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        self.0.delete_device(device)
    }
    fn lock_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        self.0.lock_volume(device)
    }
    fn dismount_volume(&mut self, device: &DiskDevice) -> Result<(), NtStatus> {
        self.0.dismount_volume(device)
    }
    fn refuse_new_opens(&mut self, device: &DiskDevice) {
        self.0.refuse_new_opens(device);
    }
    fn release_volume(&mut self, device: &DiskDevice) {
        self.0.release_volume(device);
    }
}

#[test]
fn a_refusing_mount_manager_gets_the_fallback_link() {
    let mut host = RefusingMountManager(Sim::new());
    let dev = device(1, Some(b'Z'), MountOptions::default());
    let mounted = mount_plan::mount(&mut host, &dev, Some(z())).unwrap();
    assert_eq!(
        mounted,
        Mounted {
            letter: Some(z()),
            fallback_link: true,
            registered: false,
            volume_name: None,
            phantom_letters_removed: 0
        }
    );
    assert_eq!(
        host.0.link_target("\\DosDevices\\Z:").unwrap().to_string(),
        "\\Device\\CryptDiskVolume1"
    );
    mount_plan::unmount(&mut host, &dev, &mounted, false).unwrap();
    assert!(host.0.link_target("\\DosDevices\\Z:").is_none());
    assert!(host.0.device_names().is_empty());
}

#[test]
fn device_control_composes_mountdev_and_storage() {
    let dev = device(
        7,
        Some(b'Z'),
        MountOptions {
            read_only: true,
            removable: true,
        },
    );
    let call = |code: u32, out_len: usize| {
        let mut out = vec![0u8; out_len];
        let reply = dev.device_control(code, IoBuffers::split(&[], &mut out));
        assert!(reply.is_consistent(out_len));
        (reply, out)
    };
    let (reply, out) = call(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, 64);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(
        NtName::from_le_bytes(&out[2..reply.information]).unwrap(),
        "\\Device\\CryptDiskVolume7"
    );
    let (reply, out) = call(IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, 64);
    assert_eq!(&out[2..reply.information], &dev.identity().unique_id_bytes()[..]);
    assert_eq!(
        call(IOCTL_DISK_IS_WRITABLE, 0).0.status,
        NtStatus::MEDIA_WRITE_PROTECTED
    );
    let (reply, out) = call(IOCTL_DISK_GET_LENGTH_INFO, 8);
    assert_eq!(
        (reply.status, u64::from_le_bytes(out.try_into().unwrap())),
        (NtStatus::SUCCESS, 4096 * 512)
    );
    let (reply, out) = call(IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, 64);
    assert_eq!((reply.status, reply.information, out[0]), (NtStatus::SUCCESS, 32, 0));
    assert_eq!(call(IOCTL_DISK_GET_DRIVE_GEOMETRY, 24).0.status, NtStatus::SUCCESS);
    assert_eq!(call(0x0022_2003, 64).0, Reply::error(NtStatus::INVALID_DEVICE_REQUEST));
}

#[test]
fn io_requests_are_validated() {
    let rw = device(1, None, MountOptions::default());
    let ro = device(
        2,
        None,
        MountOptions {
            read_only: true,
            removable: false,
        },
    );
    let size = 4096u64 * 512;
    assert!(rw.check_io(IoKind::Read, 0, 512).is_ok());
    assert!(rw.check_io(IoKind::Write, size - 512, 512).is_ok());
    assert_eq!(rw.check_io(IoKind::Read, 0, 0).unwrap().count, 0);
    for (offset, length) in [
        (1, 512),
        (0, 511),
        (512, 100),
        (size, 512),
        (size - 512, 1024),
        (u64::MAX - 511, 512),
    ] {
        assert_eq!(
            rw.check_io(IoKind::Read, offset, length),
            Err(NtStatus::INVALID_PARAMETER),
            "{offset}+{length}"
        );
    }
    assert_eq!(
        rw.check_io(IoKind::Read, 0, 2 << 20),
        Err(NtStatus::INVALID_PARAMETER),
        "over the transfer limit"
    );
    assert_eq!(ro.check_io(IoKind::Write, 0, 512), Err(NtStatus::MEDIA_WRITE_PROTECTED));
    assert!(ro.check_io(IoKind::Read, 0, 512).is_ok());
}

#[test]
fn reads_and_writes_go_through_xts() {
    let dev = device(1, None, MountOptions::default());
    let key: Vec<u8> = (0u8..64).collect();
    let key = MasterKey::from_slice(&key).unwrap();
    let params = VolumeParams {
        cipher: CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        },
        payload_offset: 8,
        uuid: Uuid::parse(UUID).unwrap(),
    };
    let mut volume = Volume::from_params(MemDevice::new(8 + 4096), &params, &key).unwrap();
    let data: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    let range = dev.check_io(IoKind::Write, 512 * 10, 4096).unwrap();
    write(&mut volume, range, &data).unwrap();
    // On the device it is ciphertext, 8 sectors past the payload offset + 10.
    let stored = &volume.device().as_bytes()[(8 + 10) * 512..(8 + 10) * 512 + 4096];
    assert_ne!(stored, &data[..]);
    let mut back = vec![0u8; 4096];
    read(
        &mut volume,
        dev.check_io(IoKind::Read, 512 * 10, 4096).unwrap(),
        &mut back,
    )
    .unwrap();
    assert_eq!(back, data);
    // A buffer that does not match the validated range is refused.
    assert_eq!(
        read(&mut volume, range, &mut back[..512]),
        Err(NtStatus::INVALID_PARAMETER)
    );
}
