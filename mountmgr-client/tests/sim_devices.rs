//! The device side: DO_DEVICE_INITIALIZING, removal, re-used device names, removable media, GPT
//! attributes, auto-mount (`protocol.md` §3.3, §4.1, §4.2).
#![cfg(feature = "sim")]

mod sim_common;

use mountdev::NtStatus;
use mountdev::ioctl::{IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE, IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER};
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Sim, SimConfig, SimMode, SimName, VolumeDevice};
use sim_common::*;

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
    assert_eq!(create_point(&mut sim, "\\DosDevices\\Z:", DEVICE), NtStatus::SUCCESS);
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
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
    // ReactOS-observed (§4.2 step 1.1): bit 63 of the GPT attributes.
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
    assert!(!sim.trace().to_string().contains("IOCTL_VOLUME_GET_GPT_ATTRIBUTES"));
}

#[test]
fn no_auto_mount_and_removable_media() {
    let mut sim = Sim::with_config(SimConfig::new().no_auto_mount(true));
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let volume = sim.volume(DEVICE).unwrap();
    assert_eq!(volume.drive_letter(), None);
    assert!(!volume.is_online(), "VOLUME_ONLINE waits for a letter");
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
