//! The phantom drive letter of the CryptDisk field report (`protocol.md` §0.1, §4.7): ARRIVAL first
//! without a usable suggestion gets the first free letter, which persists, and the later
//! CREATE_POINT for the wanted letter fails with STATUS_INVALID_PARAMETER.

use crate::common::*;
use mountdev::NtStatus;
use mountmgr_client::sim::{Rule, Sim, SimConfig, SimMode};

/// A machine whose C: and D: are taken (a system disk and a CD-ROM drive).
fn machine() -> Sim {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    sim.create_symbolic_link("\\DosDevices\\D:", "\\Device\\CdRom0")
        .unwrap();
    sim
}

/// The letter's owner after boot: the other drivers recreate their links.
fn reboot(sim: &mut Sim) {
    sim.reboot();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    sim.create_symbolic_link("\\DosDevices\\D:", "\\Device\\CdRom0")
        .unwrap();
}

#[test]
fn arrival_first_takes_the_first_free_letter_and_create_point_then_fails() {
    let mut sim = machine();
    let volume = register(&mut sim, TestVolume::standard());
    // The original order: ARRIVAL, then CREATE_POINT(Z:).
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'));
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['E']);
    assert!(
        volume
            .volume()
            .created_links()
            .contains(&"\\DosDevices\\E:".to_string())
    );
    // One drive letter per volume: the field report's C000000D (§0.1).
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(sim.link_target("\\DosDevices\\Z:"), None);
    let points = query_points(&mut sim, By::Device(DEVICE)).unwrap();
    assert_eq!(
        links_of(&points),
        ["\\??\\Volume{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}", "\\DosDevices\\E:"]
    );
}

#[test]
fn the_phantom_letter_comes_back_after_a_reboot() {
    let mut sim = machine();
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::INVALID_PARAMETER
    );
    let before = sim.database().clone();

    reboot(&mut sim);
    assert!(sim.volumes().is_empty());
    assert_eq!(sim.link_target("\\DosDevices\\E:"), None);
    assert_eq!(*sim.database(), before, "the database survives the reboot");

    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'));
    assert_eq!(
        sim.link_target("\\DosDevices\\E:").map(ToString::to_string),
        Some(DEVICE.to_string())
    );
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(*sim.database(), before);
}

#[test]
fn a_drive_letter_suggestion_is_honoured() {
    let mut sim = machine();
    let volume = TestVolume::standard().suggesting("\\DosDevices\\Z:", false);
    register(&mut sim, volume);
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('Z'));
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['Z']);
    // The CREATE_POINT that follows in VeraCrypt's order fails harmlessly (§4.7).
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::INVALID_PARAMETER
    );
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('Z'));
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}

#[test]
fn a_taken_suggested_letter_falls_back_to_the_first_free_one() {
    let mut sim = machine();
    sim.create_symbolic_link("\\DosDevices\\Z:", "\\Device\\SomeoneElse")
        .unwrap();
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\Z:", false));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'));
}

#[test]
fn use_only_if_no_other_links_ignores_the_suggestion_once_the_database_knows_the_volume() {
    let mut sim = machine();
    // The database already has the volume GUID name for this unique ID (an earlier mount).
    sim.set_database_value(VOLUME_NAME, UNIQUE_ID);
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\Z:", true));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    // MSDN (§4.3): TRUE = use the name only when there are no other links: E:, not Z:.
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'));

    // ReactOS's `MountMgrMountedDeviceArrival` keeps the suggested letter whatever the flag.
    let mut reactos = Sim::with_config(SimConfig::new().mode(SimMode::Reactos));
    reactos.set_database_value(VOLUME_NAME, UNIQUE_ID);
    register(
        &mut reactos,
        TestVolume::standard().suggesting("\\DosDevices\\Z:", true),
    );
    assert_eq!(arrival(&mut reactos, DEVICE), NtStatus::SUCCESS);
    assert_eq!(reactos.volume(DEVICE).unwrap().drive_letter(), Some('Z'));

    // The first time the unique ID is seen, the same suggestion wins.
    let mut fresh = machine();
    register(&mut fresh, TestVolume::standard().suggesting("\\DosDevices\\Z:", true));
    assert_eq!(arrival(&mut fresh, DEVICE), NtStatus::SUCCESS);
    assert_eq!(fresh.volume(DEVICE).unwrap().drive_letter(), Some('Z'));
}

#[test]
fn a_lowercase_suggestion_is_no_letter_and_is_reported() {
    let mut sim = machine();
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\z:", false));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'));
    let findings = sim.findings_of(Rule::SuggestedLinkNotDriveLetter);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].detail.contains("uppercase"), "{}", findings[0]);
}
