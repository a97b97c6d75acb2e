//! The device side: DO_DEVICE_INITIALIZING, removal, re-used device names, removable media, GPT
//! attributes, auto-mount (`protocol.md` §3.3, §4.1, §4.2).

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::{
    IOCTL_DISK_GET_PARTITION_INFO_EX, IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE, IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER,
};
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Sim, SimConfig, SimMode, SimName, VolumeDevice};

#[test]
fn an_initializing_device_cannot_arrive() {
    let mut sim = Sim::new();
    sim.register_volume(
        VolumeDevice::new(TestVolume::standard()),
        DeviceOptions::new().initializing(true),
    )
    .unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::NO_SUCH_DEVICE);
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::NO_SUCH_DEVICE
    );
    assert_eq!(sim.unprocessed(), [SimName::new(DEVICE)]);
    assert!(sim.volumes().is_empty());
    // Clearing the flag is what makes the device usable (§4.1).
    sim.clear_initializing(DEVICE).unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert!(sim.unprocessed().is_empty());
}

#[test]
fn device_registration_errors() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let again = sim.register_volume(VolumeDevice::new(TestVolume::standard()), DeviceOptions::new());
    assert!(again.is_err());
    assert!(sim.remove_device("\\Device\\Nothing").is_err());
    assert!(sim.clear_initializing("\\Device\\Nothing").is_err());
    assert_eq!(sim.device_names(), [SimName::new(DEVICE)]);
}

#[test]
fn removing_the_device_without_delete_points_leaves_dangling_links() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    sim.remove_device(DEVICE).unwrap();
    // A non-PnP volume's removal goes unnoticed (§4.1): Z: still exists and leads nowhere.
    assert_eq!(sim.drive_letters(), ['Z']);
    assert_eq!(sim.volumes().len(), 1);
    let error = sim.resolve_drive_letter('Z').unwrap_err();
    assert_eq!(error.win32_error(), 2, "{error}");
}

#[test]
fn a_new_device_object_under_a_known_name_replaces_the_stale_entry() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::new(DEVICE, b"first"));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    sim.remove_device(DEVICE).unwrap();
    register(&mut sim, TestVolume::new(DEVICE, b"second"));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volumes().len(), 1);
    assert_eq!(sim.volume(DEVICE).unwrap().unique_id(), b"second");
    // A second arrival of the same device object is a no-op.
    let epic = sim.epic_number();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.epic_number(), epic);
}

#[test]
fn reactos_ignores_an_arrival_under_a_known_device_name() {
    // ReactOS-specific (§4.2 step 3): the stale entry wins, the new volume is silently ignored.
    let mut sim = Sim::with_config(SimConfig::new().mode(SimMode::Reactos));
    register(&mut sim, TestVolume::new(DEVICE, b"first"));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    sim.remove_device(DEVICE).unwrap();
    let second = register(&mut sim, TestVolume::new(DEVICE, b"second"));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().unique_id(), b"first");
    assert!(second.volume().created_links().is_empty());
    assert!(sim.trace().to_string().contains("ReactOS duplicate-name rule"));
}

#[test]
fn removal_processing_deletes_links_unless_asked_to_keep_them() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert!(sim.notify_volume_removal(DEVICE));
    assert!(sim.links().next().is_none());
    assert!(sim.volumes().is_empty());
    assert_eq!(sim.database().len(), 2, "the database keeps the volume's records");
    assert!(!sim.notify_volume_removal(DEVICE));

    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let reply = sim.device_io_control(
        IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE,
        &target_name(&utf16(DEVICE)),
        &mut [],
    );
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert!(sim.volume(DEVICE).unwrap().keeps_links());
    assert!(sim.notify_volume_removal(DEVICE));
    assert_eq!(sim.drive_letters(), ['C'], "kept while the volume is away");
    // The same unique ID under another device name gets the saved links redirected to it.
    sim.remove_device(DEVICE).unwrap();
    register(
        &mut sim,
        TestVolume::new("\\Device\\XtsVolume7", UNIQUE_ID).with_stable_guid(STABLE_GUID),
    );
    assert_eq!(arrival(&mut sim, "\\Device\\XtsVolume7"), NtStatus::SUCCESS);
    assert_eq!(sim.link_target("\\DosDevices\\C:").unwrap(), "\\Device\\XtsVolume7");
    assert_eq!(sim.link_target(VOLUME_NAME).unwrap(), "\\Device\\XtsVolume7");
}

#[test]
fn gpt_no_drive_letter_suppresses_the_automatic_letter() {
    // ReactOS `QueryDeviceInformation` (Errata 3): bit 63 of the partition's GPT attributes.
    let mut sim = Sim::new();
    sim.register_volume(
        VolumeDevice::new(TestVolume::standard()).with_gpt_attributes(1 << 63),
        DeviceOptions::new(),
    )
    .unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    assert!(sim.volume(DEVICE).unwrap().volume_name().is_some());
    // A drive-letter suggestion still counts.
    let mut sim = Sim::new();
    let volume = TestVolume::standard().suggesting("\\DosDevices\\Y:", false);
    sim.register_volume(
        VolumeDevice::new(volume).with_gpt_attributes(1 << 63),
        DeviceOptions::new(),
    )
    .unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('Y'));
    // Removable media are not asked for GPT attributes at all.
    let mut sim = Sim::new();
    sim.register_volume(
        VolumeDevice::new(TestVolume::standard()).with_gpt_attributes(1 << 63),
        DeviceOptions::new().removable(true),
    )
    .unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    assert!(!sim.trace().to_string().contains("IOCTL_DISK_GET_PARTITION_INFO_EX"));
}

#[test]
fn an_efi_system_partition_gets_no_automatic_letter() {
    // ReactOS `QueryDeviceInformation` (Errata 3): a GPT partition of type
    // {c12a7328-f81f-11d2-ba4b-00a0c93ec93b} gets no letter, whatever its attributes.
    let mut sim = Sim::new();
    let patch = |code: u32, _: &[u8], out: &mut [u8]| -> Option<mountdev::Reply> {
        if code != IOCTL_DISK_GET_PARTITION_INFO_EX {
            return None;
        }
        let mut info = [0u8; 144];
        info[0] = 1; // PARTITION_STYLE_GPT
        info[32..48].copy_from_slice(&[
            0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
        ]);
        out.get_mut(..144)?.copy_from_slice(&info);
        Some(mountdev::Reply::success(144))
    };
    register_patched(&mut sim, TestVolume::standard(), DeviceOptions::new(), Box::new(patch));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    assert!(sim.volume(DEVICE).unwrap().volume_name().is_some());
}

#[test]
fn no_auto_mount_and_removable_media() {
    let mut sim = Sim::with_config(SimConfig::new().no_auto_mount(true));
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let volume = sim.volume(DEVICE).unwrap();
    assert_eq!(volume.drive_letter(), None);
    assert!(!volume.is_online(), "VOLUME_ONLINE waits for a letter");
    // A letter the database holds counts (ReactOS `IsDrvLetter`); an automatic one would not.
    let mut recorded = Sim::with_config(SimConfig::new().no_auto_mount(true));
    recorded.set_database_value("\\DosDevices\\K:", UNIQUE_ID);
    register(&mut recorded, TestVolume::standard());
    assert_eq!(arrival(&mut recorded, DEVICE), NtStatus::SUCCESS);
    assert!(recorded.volume(DEVICE).unwrap().is_online());
    // NEXT_DRIVE_LETTER assigns one now; CREATE_POINT of a letter would too.
    let mut out = [0u8; 2];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &target_name(&utf16(DEVICE)), &mut out);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(out, [1, b'C']);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &target_name(&utf16(DEVICE)), &mut out);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(out, [0, b'C'], "already has one");

    // Removable media get their letter even with NoAutoMount.
    let mut sim = Sim::with_config(SimConfig::new().no_auto_mount(true));
    sim.register_volume(
        VolumeDevice::new(TestVolume::standard()),
        DeviceOptions::new().removable(true),
    )
    .unwrap();
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    assert!(sim.volume(DEVICE).unwrap().is_removable());
}

#[test]
fn automatic_assignment_off_and_the_letters_running_out() {
    let mut sim = Sim::with_config(SimConfig::new().automatic_drive_letters(false));
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    assert!(!sim.database().has_no_letter_marker(UNIQUE_ID));

    let mut sim = Sim::new();
    for letter in 'C'..='Z' {
        sim.create_symbolic_link(&format!("\\DosDevices\\{letter}:"), "\\Device\\Elsewhere")
            .unwrap();
    }
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    // No letter could be assigned: the "no drive letter" marker (§4.2 step 7).
    assert!(sim.database().has_no_letter_marker(UNIQUE_ID));
}

#[test]
fn a_device_name_too_long_for_the_ushort_retry_is_never_queried() {
    // ReactOS `QueryDeviceInformation` keeps the retry size in a USHORT (`NameLength + 4`,
    // Errata 9): a 65532-byte name wraps it to 0, and the arrival fails.
    for (length, arrives) in [(65530u16, true), (65532u16, false)] {
        let mut sim = Sim::new();
        let name: Vec<u8> = "\\Device\\L"
            .encode_utf16()
            .chain(std::iter::repeat(u16::from(b'x')))
            .take(usize::from(length) / 2)
            .flat_map(u16::to_le_bytes)
            .collect();
        let reported = name.clone();
        let device = move |code: u32, io: mountdev::IoBuffers<'_>| -> mountdev::Reply {
            let out = io.into_output();
            if code != mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME {
                return mountdev::Reply::error(NtStatus::INVALID_DEVICE_REQUEST);
            }
            let mut reply = length.to_le_bytes().to_vec();
            reply.extend_from_slice(&reported);
            if out.len() < reply.len() {
                out[..2].copy_from_slice(&reply[..2]);
                return mountdev::Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
            }
            out[..reply.len()].copy_from_slice(&reply);
            mountdev::Reply::success(reply.len())
        };
        let text = String::from_utf16(
            &name
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        sim.register_device(&text, std::sync::Arc::new(device), DeviceOptions::new())
            .unwrap();
        let status = arrival(&mut sim, &text);
        let trace = sim.trace().to_string();
        // The 65530-byte name is read in full; the unique-ID query then fails on this device.
        assert_eq!(trace.contains("wraps in a USHORT"), !arrives, "{length}");
        assert_eq!(status == NtStatus::BUFFER_OVERFLOW, !arrives, "{length}: {status:?}");
    }
}
