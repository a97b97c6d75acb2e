//! The real client (`Client`, its probing and the mount / unmount sequences of `protocol.md`
//! §8.6 / §8.7) driving the simulator through `Transport`.

use crate::common::*;
use mountdev::{DriveLetterLink, NtStatus, nt_name};
use mountmgr_client::sim::{Sim, SimName};
use mountmgr_client::{Client, ClientError, LetterOutcome, MountPointFilter, MountRequest, Step, UnmountBy};

fn z() -> DriveLetterLink {
    DriveLetterLink::new(b'Z').unwrap()
}

fn request() -> MountRequest<'static> {
    MountRequest {
        device_name: nt_name!("\\Device\\XtsVolume1"),
        letter: DriveLetterLink::new(b'Z').unwrap(),
    }
}

#[test]
fn mount_at_letter_is_clean_and_unmount_forgets() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let mut client = Client::new(&mut sim);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert!(outcome.is_clean(), "{outcome:?}");
    assert_eq!(outcome.create_point_status, NtStatus::SUCCESS);
    assert_eq!(outcome.volume_name.unwrap().to_string(), VOLUME_NAME);
    let paths = client.query_dos_volume_paths(nt_name!("\\Device\\XtsVolume1")).unwrap();
    // The mount manager answers `Z:`; kernel32 adds the backslash (ReactOS
    // `MountMgrQueryVolumePaths`).
    assert_eq!(paths.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["Z:"]);
    let unmounted = client
        .unmount(UnmountBy::DeviceName(nt_name!("\\Device\\XtsVolume1")))
        .unwrap();
    assert_eq!(unmounted.deleted.letters.single(), Some(z()));
    drop(client);
    assert!(sim.database().is_empty());
    assert!(sim.links().next().is_none());
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}

#[test]
fn mount_at_letter_over_a_phantom_record() {
    // The CryptDisk field report's machine (protocol.md §0.1): E: recorded for the unique ID by an
    // earlier ARRIVAL-first run.
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    sim.set_database_value("\\DosDevices\\E:", UNIQUE_ID);
    register(&mut sim, TestVolume::standard());
    let outcome = Client::new(&mut sim).mount_at_letter(&request()).unwrap();
    assert!(outcome.is_clean(), "{outcome:?}");
    // CREATE_POINT before arrival purges the record (MSDN, §4.4).
    assert!(outcome.extra_letters_removed.is_empty());
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['Z']);
    assert_eq!(sim.drive_letters(), ['C', 'Z']);
}

#[test]
fn the_old_order_reproduces_the_phantom_letter() {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    sim.create_symbolic_link("\\DosDevices\\D:", "\\Device\\CdRom0")
        .unwrap();
    register(&mut sim, TestVolume::standard());
    let mut client = Client::new(&mut sim);
    client.volume_arrival(nt_name!("\\Device\\XtsVolume1")).unwrap();
    let refused = client.create_point(z().as_name(), nt_name!("\\Device\\XtsVolume1"));
    assert_eq!(
        refused,
        Err(ClientError::Refused {
            step: Step::CreatePoint,
            status: NtStatus::INVALID_PARAMETER
        })
    );
    // mount_at_letter on top repairs it: E: goes by its link, Z: comes.
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert_eq!(
        outcome
            .extra_letters_removed
            .iter()
            .map(|l| l.letter())
            .collect::<Vec<_>>(),
        ['E']
    );
    drop(client);
    assert_eq!(sim.database().drive_letters_of(UNIQUE_ID), ['Z']);
}

#[test]
fn mount_without_letter_learns_the_letter_the_mount_manager_chose() {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    register(&mut sim, TestVolume::standard());
    let outcome = Client::new(&mut sim)
        .mount_without_letter(nt_name!("\\Device\\XtsVolume1"))
        .unwrap();
    assert_eq!(outcome.letter.map(|l| l.letter()), Some('D'));
    assert_eq!(outcome.volume_name.unwrap().to_string(), VOLUME_NAME);
}

#[test]
fn a_hundred_client_cycles_keep_the_database_bounded() {
    let mut sim = Sim::new();
    let mut second = None;
    for cycle in 0..100 {
        register(&mut sim, TestVolume::standard());
        let outcome = Client::new(&mut sim).mount_at_letter(&request()).unwrap();
        assert!(outcome.is_clean(), "{outcome:?}");
        // From the second mount on the database holds Z:, the volume GUID name and the marker of
        // the first letter-only unmount, and nothing more.
        let snapshot = sim.database().clone();
        if cycle > 0 {
            assert_eq!(*second.get_or_insert_with(|| snapshot.clone()), snapshot);
        }
        let unmounted = Client::new(&mut sim).unmount(UnmountBy::DriveLetter(z())).unwrap();
        assert_eq!(unmounted.deleted.letters.single(), Some(z()));
        sim.remove_device(DEVICE).unwrap();
    }
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}

#[test]
fn the_client_retries_an_overflowing_delete() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    assert!(Client::new(&mut sim).mount_at_letter(&request()).unwrap().is_clean());
    let mark = sim.trace().len();
    let mut client = Client::new(&mut sim).with_initial_output(32);
    let deleted = client.delete_points(&MountPointFilter::by_device_name(nt_name!("\\Device\\XtsVolume1")));
    assert_eq!(deleted.unwrap().len(), 2);
    drop(client);
    let trace = sim.trace().since(mark).to_string();
    assert!(trace.contains("← STATUS_BUFFER_OVERFLOW info=32"), "{trace}");
    assert!(trace.contains("nothing deleted"), "{trace}");
    assert!(trace.contains("← STATUS_SUCCESS info="), "{trace}");
    assert!(sim.database().is_empty());
}

#[test]
fn change_notify_auto_mount_and_next_drive_letter_through_the_client() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let mut client = Client::new(&mut sim);
    let epic = client.change_notify(0).unwrap();
    assert_eq!(epic, 1);
    // The current epic number pends (ReactOS `MountMgrChangeNotify`).
    assert_eq!(
        client.change_notify(epic),
        Err(ClientError::Refused {
            step: Step::ChangeNotify,
            status: NtStatus::PENDING
        })
    );
    let mounted = client.mount_without_letter(nt_name!("\\Device\\XtsVolume1")).unwrap();
    assert_eq!(mounted.letter.map(|l| l.letter()), Some('C'));
    // An arrival does not change the epic number (Errata 4); CREATE_POINT does.
    assert!(client.change_notify(epic).is_err());
    client
        .create_point(nt_name!("\\DosDevices\\XtsLink"), nt_name!("\\Device\\XtsVolume1"))
        .unwrap();
    assert!(client.change_notify(epic).unwrap() > epic);
    let state = client.query_auto_mount().unwrap();
    client.set_auto_mount(state).unwrap();
    let info = client.next_drive_letter(nt_name!("\\Device\\XtsVolume1")).unwrap();
    assert_eq!(info.current.map(|l| l.letter()), Some('C'));
    drop(client);
    assert_eq!(sim.volume(DEVICE).unwrap().links()[0], SimName::new(VOLUME_NAME));
}
