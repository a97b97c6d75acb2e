//! The fixed order of `protocol.md` §4.7 / §8.6: CREATE_POINT first, then ARRIVAL.

use crate::common::*;
use mountdev::NtStatus;
use mountmgr_client::sim::Sim;

#[test]
fn create_point_first_gives_exactly_the_requested_letter() {
    let mut sim = Sim::new();
    let volume = register(&mut sim, TestVolume::standard());
    let epic = sim.epic_number();
    mount_at_z(&mut sim);
    assert!(sim.epic_number() > epic);
    // Exactly Z: and the volume GUID name; no automatic letter.
    assert_eq!(sim.drive_letters(), ['Z']);
    let points = query_points(&mut sim, By::Device(DEVICE)).unwrap();
    assert_eq!(links_of(&points), [VOLUME_NAME, "\\DosDevices\\Z:"]);
    assert!(points.iter().all(|p| p.unique_id == UNIQUE_ID && p.device == DEVICE));
    assert_eq!(sim.database().len(), 2);
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['Z']);
    // The volume heard of both links, with both LINK_CREATED codes each.
    assert_eq!(
        volume.volume().created_links(),
        ["\\DosDevices\\Z:", "\\DosDevices\\Z:", VOLUME_NAME, VOLUME_NAME]
    );
    assert!(sim.volume(DEVICE).unwrap().is_online());
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}

#[test]
fn create_point_before_arrival_purges_a_stale_letter_record() {
    let mut sim = Sim::new();
    // The phantom E: of an earlier run, and another volume's letter that must survive.
    sim.set_database_value("\\DosDevices\\E:", UNIQUE_ID);
    sim.set_database_value("\\DosDevices\\F:", b"someone else");
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['Z']);
    assert_eq!(sim.database().drive_letters_of(b"someone else"), ['F']);
    assert_eq!(sim.drive_letters(), ['Z']);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('Z'));
}

#[test]
fn a_stale_marker_does_not_keep_a_requested_letter_away() {
    let mut sim = Sim::new();
    sim.set_database_value("#{00000000-0000-4000-8000-000000000001}", UNIQUE_ID);
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('Z'));
    // ReactOS `MountMgrCreatePointWorker`: the path for a volume not processed yet leaves the
    // marker alone; the path for a known volume deletes it (`DeleteNoDriveLetterEntry`).
    assert!(sim.database().has_no_letter_marker(UNIQUE_ID));
    assert_eq!(delete_points(&mut sim, By::Link("\\DosDevices\\Z:")).unwrap().len(), 1);
    assert_eq!(create_point(&mut sim, "\\DosDevices\\Y:", DEVICE), NtStatus::SUCCESS);
    assert!(!sim.database().has_no_letter_marker(UNIQUE_ID));
}

#[test]
fn remounting_the_same_unique_id_restores_its_letter() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    let database = sim.database().clone();
    // Unmount without forgetting (the device goes, the mount manager is not told), reboot.
    sim.remove_device(DEVICE).unwrap();
    sim.reboot();
    // Mount again with ARRIVAL only: the database brings Z: and the volume name back.
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let volume = sim.volume(DEVICE).unwrap();
    assert_eq!(volume.drive_letter(), Some('Z'));
    assert_eq!(
        volume.volume_name().map(ToString::to_string).as_deref(),
        Some(VOLUME_NAME)
    );
    assert_eq!(*sim.database(), database);
}

#[test]
fn create_point_for_a_letter_in_use_collides() {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\Z:", "\\Device\\Other").unwrap();
    register(&mut sim, TestVolume::standard());
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::OBJECT_NAME_COLLISION
    );
    assert!(sim.database().is_empty());
}

#[test]
fn create_point_for_a_device_nobody_registered_fails() {
    let mut sim = Sim::new();
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", "\\Device\\XtsVolume9"),
        NtStatus::OBJECT_NAME_NOT_FOUND
    );
    // A typo in a registered name is no better.
    register(&mut sim, TestVolume::standard());
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", "\\Device\\XtsVolumeI"),
        NtStatus::OBJECT_NAME_NOT_FOUND
    );
    // ASCII case does not matter to the object manager.
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", "\\DEVICE\\xtsvolume1"),
        NtStatus::SUCCESS
    );
}
