//! The remaining requests: CHANGE_NOTIFY, QUERY/SET_AUTO_MOUNT, AUTO_DL_ASSIGNMENTS,
//! NEXT_DRIVE_LETTER, KEEP_LINKS_WHEN_OFFLINE and ARRIVAL input checks, unknown codes, reboots and
//! reproducible GUIDs (`protocol.md` §1.3, §2.8, §2.12-§2.15).

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::{
    IOCTL_DISK_GET_LENGTH_INFO, IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS, IOCTL_MOUNTMGR_CHANGE_NOTIFY,
    IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE, IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER,
    IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, IOCTL_MOUNTMGR_SET_AUTO_MOUNT, IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
    IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED,
};
use mountmgr_client::Transport;
use mountmgr_client::sim::{Sim, SimConfig};

#[test]
fn change_notify_answers_a_new_epic_at_once_and_pends_on_the_current_one() {
    let mut sim = Sim::new();
    let mut out = [0u8; 4];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHANGE_NOTIFY, &0u32.to_le_bytes(), &mut out);
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, 4));
    assert_eq!(u32::from_le_bytes(out), 1, "the epic number starts at 1");
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHANGE_NOTIFY, &1u32.to_le_bytes(), &mut out);
    assert_eq!((reply.status, reply.information), (NtStatus::PENDING, 0));
    assert_eq!(sim.pending_change_notifications(), 1);
    register(&mut sim, TestVolume::standard());
    // An arrival does not change the epic number (ReactOS never calls `MountMgrNotify` there).
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.epic_number(), 1);
    assert_eq!(sim.pending_change_notifications(), 1);
    // CREATE_POINT does, and completes the waiter.
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\XtsLink", DEVICE),
        NtStatus::SUCCESS
    );
    assert_eq!(sim.pending_change_notifications(), 0);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHANGE_NOTIFY, &1u32.to_le_bytes(), &mut out);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(u32::from_le_bytes(out), 2);
    // Short input or output.
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHANGE_NOTIFY, &[0; 3], &mut out);
    assert_eq!(reply.status, NtStatus::INVALID_PARAMETER);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHANGE_NOTIFY, &[0; 4], &mut out[..3]);
    assert_eq!(reply.status, NtStatus::INVALID_PARAMETER);
    // A reboot starts the count again.
    sim.reboot();
    assert_eq!(sim.epic_number(), 1);
}

#[test]
fn auto_mount_state_persists_across_a_reboot() {
    let mut sim = Sim::new();
    let mut out = [0u8; 4];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, &[], &mut out);
    assert_eq!((reply.status, u32::from_le_bytes(out)), (NtStatus::SUCCESS, 1));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_SET_AUTO_MOUNT, &0u32.to_le_bytes(), &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert!(sim.no_auto_mount());
    sim.reboot();
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, &[], &mut out);
    assert_eq!((reply.status, u32::from_le_bytes(out)), (NtStatus::SUCCESS, 0));
    // Invalid requests.
    assert_eq!(
        sim.device_io_control(IOCTL_MOUNTMGR_SET_AUTO_MOUNT, &2u32.to_le_bytes(), &mut [])
            .status,
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(
        sim.device_io_control(IOCTL_MOUNTMGR_SET_AUTO_MOUNT, &[1, 0], &mut [])
            .status,
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(
        sim.device_io_control(IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, &[], &mut out[..3])
            .status,
        NtStatus::INVALID_PARAMETER
    );
}

#[test]
fn automatic_assignment_is_switched_on_by_auto_dl_assignments() {
    let mut sim = Sim::with_config(SimConfig::new().automatic_drive_letters(false));
    assert!(!sim.automatic_drive_letters());
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS, &[], &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert!(sim.automatic_drive_letters());
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
}

#[test]
fn auto_dl_assignments_gives_letters_to_volumes_already_present() {
    // ReactOS `MountMgrAssignDriveLetters`: volumes that arrived while assignment was off get
    // their letter when it is switched on.
    let mut sim = Sim::with_config(SimConfig::new().automatic_drive_letters(false));
    register(&mut sim, TestVolume::standard());
    register(
        &mut sim,
        TestVolume::new("\\Device\\Early2", b"early-2").suggesting("\\DosDevices\\P:", false),
    );
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(arrival(&mut sim, "\\Device\\Early2"), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS, &[], &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    assert_eq!(sim.volume("\\Device\\Early2").unwrap().drive_letter(), Some('P'));
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['C']);
}

#[test]
fn next_drive_letter_rules() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let input = target_name(&utf16(DEVICE));
    let mut out = [0u8; 2];
    // Not processed yet.
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &input, &mut out);
    assert_eq!(reply.status, NtStatus::OBJECT_NAME_NOT_FOUND);
    // Auto-mount on and a fixed volume left without a letter: none now either (ReactOS).
    sim.set_automatic_drive_letters(false);
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &input, &mut out);
    assert_eq!((reply.status, out), (NtStatus::SUCCESS, [0, 0]));
    // Too short.
    assert_eq!(
        sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &input, &mut out[..1])
            .status,
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(
        sim.device_io_control(IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER, &input[..input.len() - 2], &mut out)
            .status,
        NtStatus::INVALID_PARAMETER
    );
}

#[test]
fn target_name_inputs_are_checked() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let arrival_status = |sim: &mut Sim, input: &[u8]| {
        sim.device_io_control(IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION, input, &mut [])
            .status
    };
    // Shorter than sizeof(MOUNTMGR_TARGET_NAME), shorter than its length, odd, empty.
    assert_eq!(arrival_status(&mut sim, &[2, 0, b'X']), NtStatus::INVALID_PARAMETER);
    let input = target_name(&utf16(DEVICE));
    assert_eq!(
        arrival_status(&mut sim, &input[..input.len() - 1]),
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(
        arrival_status(&mut sim, &[3, 0, b'X', 0, 0]),
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(arrival_status(&mut sim, &[0, 0, 0, 0]), NtStatus::INVALID_PARAMETER);
    // The §8.12 vector: 38 bytes.
    assert_eq!(input.len(), 38);
    assert_eq!(&input[..2], &[0x24, 0]);
    assert_eq!(arrival_status(&mut sim, &input), NtStatus::SUCCESS);
    // KEEP_LINKS_WHEN_OFFLINE for a device nobody registered.
    let reply = sim.device_io_control(
        IOCTL_MOUNTMGR_KEEP_LINKS_WHEN_OFFLINE,
        &target_name(&utf16("\\Device\\No")),
        &mut [],
    );
    assert_eq!(reply.status, NtStatus::OBJECT_NAME_NOT_FOUND);
}

#[test]
fn unknown_codes_are_invalid_device_requests() {
    let mut sim = Sim::new();
    for code in [
        IOCTL_DISK_GET_LENGTH_INFO,
        IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED,
        0x0022_2003,
        0,
    ] {
        let mut out = [0xAAu8; 8];
        let reply = sim.device_io_control(code, &[1, 2, 3], &mut out);
        assert_eq!((reply.status, reply.information), (NtStatus::INVALID_DEVICE_REQUEST, 0));
        assert_eq!(out, [0xAA; 8], "an error copies nothing back");
    }
    assert!(sim.trace().to_string().contains("IOCTL 0x00222003"));
}

#[test]
fn check_unprocessed_volumes_with_nothing_to_do() {
    let mut sim = Sim::new();
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, &[], &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    // A name that never resolves stays on the list and its failure is the answer.
    assert_eq!(arrival(&mut sim, "\\Device\\Nobody"), NtStatus::OBJECT_NAME_NOT_FOUND);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, &[], &mut []);
    assert_eq!(reply.status, NtStatus::OBJECT_NAME_NOT_FOUND);
    assert_eq!(sim.unprocessed().len(), 1);
}

#[test]
fn generated_volume_names_are_reproducible_and_seeded() {
    let run = |seed: u64| {
        let mut sim = Sim::with_config(SimConfig::new().guid_seed(seed));
        register(&mut sim, TestVolume::new(DEVICE, UNIQUE_ID));
        assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
        sim.volume(DEVICE).unwrap().volume_name().unwrap().to_string()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
    assert!(run(1).starts_with("\\??\\Volume{"));
}
