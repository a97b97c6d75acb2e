//! A name length that counts the terminator (`protocol.md` §4.7, §2.18): the device name no longer
//! resolves, and a 30-byte `\DosDevices\Z:\0` is no drive letter.

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::{
    IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
};
use mountdev::reply::write_counted;
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Rule, Sim, SimName};

#[test]
fn arrival_with_counted_terminator_is_object_name_not_found() {
    let mut sim = Sim::new();
    let volume = register(&mut sim, TestVolume::standard());
    // 38 bytes of name: `\Device\XtsVolume1` + a counted NUL (input 40 bytes).
    let input = target_name(&utf16_nul(DEVICE));
    assert_eq!(input.len(), 40);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION, &input, &mut []);
    assert_eq!(reply.status, NtStatus::OBJECT_NAME_NOT_FOUND);
    // The mount manager gave up on that name: nothing created, the name on the unprocessed list.
    assert!(sim.volumes().is_empty());
    assert!(sim.links().next().is_none());
    assert!(sim.database().is_empty());
    assert_eq!(sim.unprocessed().len(), 1);
    assert_eq!(sim.unprocessed()[0].byte_len(), 38);
    assert!(sim.unprocessed()[0].has_nul());
    assert!(volume.volume().created_links().is_empty());
    // The diagnosis: the request's name counts a terminator.
    let nul = sim.findings_of(Rule::NulInName);
    assert_eq!(nul.len(), 1);
    assert!(nul[0].detail.contains("counts a terminator"), "{}", nul[0]);
    // The correctly counted name works.
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volumes().len(), 1);
}

#[test]
fn create_point_with_counted_terminator_in_the_device_name_fails() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let input = create_point_input(&utf16("\\DosDevices\\Z:"), &utf16_nul(DEVICE));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CREATE_POINT, &input, &mut []);
    assert_eq!(reply.status, NtStatus::OBJECT_NAME_NOT_FOUND);
    assert_eq!(sim.link_target("\\DosDevices\\Z:"), None);
    assert!(sim.database().is_empty());
    assert_eq!(sim.findings_of(Rule::NulInName)[0].section, "§2.1, §8.1");
}

#[test]
fn thirty_byte_link_is_not_a_drive_letter() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let link = utf16_nul("\\DosDevices\\Z:");
    assert_eq!(link.len(), 30);
    let input = create_point_input(&link, &utf16(DEVICE));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CREATE_POINT, &input, &mut []);
    // The object manager takes `Z:\0` as a name of its own: the link is created and recorded...
    assert_eq!(reply.status, NtStatus::SUCCESS);
    let thirty = SimName::from_le_bytes(&link).unwrap();
    assert_eq!(thirty.drive_letter(), None);
    assert_eq!(sim.database().get(&thirty), Some(UNIQUE_ID));
    assert!(sim.database().drive_letters_of(UNIQUE_ID).is_empty());
    // ...but Z: does not exist.
    assert_eq!(sim.link_target("\\DosDevices\\Z:"), None);
    assert!(sim.drive_letters().is_empty());
    // Arrival then finds no drive letter for the unique ID and assigns the first free one: the
    // phantom letter of §4.7.
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let volume = sim.volume(DEVICE).unwrap();
    assert_eq!(volume.drive_letter(), Some('C'));
    assert!(volume.links().contains(&thirty));
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['C']);
    let nul = sim.findings_of(Rule::NulInName);
    assert_eq!(nul.len(), 1, "{nul:?}");
    assert!(nul[0].detail.contains("no drive letter"), "{}", nul[0]);
    assert!(sim.findings_of(Rule::LinkNotificationFailed).is_empty());
}

#[test]
fn suggested_link_with_counted_terminator_is_reported_and_ignored() {
    // A driver that builds its suggestion with the terminator counted: 30 bytes.
    let mut sim = Sim::new();
    let patch = |code: u32, _input: &[u8], out: &mut [u8]| {
        (code == IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME)
            .then(|| write_counted(out, 6, &[0, 0, 30, 0], &utf16_nul("\\DosDevices\\Z:")))
    };
    register_patched(
        &mut sim,
        TestVolume::new(DEVICE, UNIQUE_ID),
        DeviceOptions::new(),
        Box::new(patch),
    );
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    // Not taken as a letter: the first free letter instead.
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    let findings = sim.findings_of(Rule::SuggestedLinkNotDriveLetter);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].section, "§2.18, §4.3");
    assert!(findings[0].detail.contains("30 bytes"), "{}", findings[0]);
    assert_eq!(sim.findings_of(Rule::NulInName).len(), 1);
}
