//! The mount and unmount sequences as a new user would try them, with names, letters and unique
//! IDs of each scenario's own, in both simulator modes (`SimMode::Windows` and
//! `SimMode::Reactos`): a taken letter, remounting after an unmount (same letter, then another),
//! a crash then a remount, an odd-length unique ID, and the old ARRIVAL-first order reproducing
//! the phantom letter.

use crate::common::*;
use mountdev::{DriveLetterLink, NtName, NtStatus};
use mountmgr_client::sim::{Sim, SimConfig, SimMode};
use mountmgr_client::{Client, LetterOutcome, LetterSet, MountPointFilter, MountRequest, Needed, UnmountBy};

const MODES: [SimMode; 2] = [SimMode::Windows, SimMode::Reactos];

fn sim(mode: SimMode) -> Sim {
    Sim::with_config(SimConfig::new().mode(mode))
}

fn letter(l: u8) -> DriveLetterLink {
    DriveLetterLink::new(l).unwrap()
}

/// `text` as an NT name (leaked: a test's names live as long as the test).
fn nt(text: &str) -> NtName<'static> {
    let bytes: &'static [u8] = Box::leak(utf16(text).into_boxed_slice());
    NtName::from_le_bytes(bytes).unwrap()
}

fn request(device: &str, l: u8) -> MountRequest<'static> {
    MountRequest {
        device_name: nt(device),
        letter: letter(l),
    }
}

/// The volume names recorded in `MountedDevices` for `id`.
fn volume_names_of(sim: &Sim, id: &[u8]) -> usize {
    sim.database()
        .iter()
        .filter(|(name, data)| name.is_volume_name() && *data == id)
        .count()
}

/// `letter` resolves the way Win32 resolves it, to `device` through `volume_name`.
fn assert_resolves(sim: &mut Sim, l: u8, device: &str, volume_name: &str, context: &str) {
    let resolved = sim
        .resolve_drive_letter(char::from(l))
        .unwrap_or_else(|error| panic!("{context}: {}: does not resolve: {error:?}", char::from(l)));
    assert_eq!(resolved.device_name, device, "{context}");
    let win32 = format!("\\\\?\\{}\\", volume_name.trim_start_matches("\\??\\"));
    assert_eq!(resolved.volume_name, win32, "{context}");
    assert_eq!(
        sim.volume_name_for_mount_point(&format!("{}:\\", char::from(l)))
            .unwrap(),
        win32,
        "{context}"
    );
    assert_eq!(
        sim.volume_paths(&win32).unwrap(),
        [format!("{}:\\", char::from(l))],
        "{context}"
    );
}

#[test]
fn a_taken_letter_stops_before_the_arrival_and_leaves_no_phantom() {
    const OWNER: &str = "\\Device\\HarddiskVolume7";
    const OURS: &str = "\\Device\\LockerVolume2";
    for mode in MODES {
        let mut sim = sim(mode);
        // R: belongs to a processed volume of its own.
        register(&mut sim, TestVolume::new(OWNER, b"owner-of-r:"));
        assert_eq!(create_point(&mut sim, "\\DosDevices\\R:", OWNER), NtStatus::SUCCESS);
        assert_eq!(arrival(&mut sim, OWNER), NtStatus::SUCCESS);
        let before = sim.database().clone();
        register(
            &mut sim,
            TestVolume::new(OURS, b"locker-0002").suggesting("\\DosDevices\\R:", false),
        );

        let outcome = Client::new(&mut sim).mount_at_letter(&request(OURS, b'R')).unwrap();
        assert_eq!(
            outcome.letter,
            LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: letter(b'R') }),
            "{mode:?}"
        );
        assert!(!outcome.arrival_sent, "{mode:?}");
        assert_eq!(outcome.create_point_status, NtStatus::OBJECT_NAME_COLLISION);
        // No letter the caller did not ask for: nothing recorded, nothing linked.
        assert_eq!(*sim.database(), before, "{mode:?}");
        assert!(sim.database().drive_letters_of(b"locker-0002").is_empty());
        assert!(
            sim.volume(OURS).is_none(),
            "{mode:?}: the mount manager never processed it"
        );
        assert_eq!(sim.drive_letters(), ['R'], "{mode:?}");

        // The caller chooses another letter; the same device mounts cleanly.
        let outcome = Client::new(&mut sim).mount_at_letter(&request(OURS, b'S')).unwrap();
        assert!(outcome.is_clean(), "{mode:?}: {outcome:?}");
        assert_eq!(sim.drive_letters(), ['R', 'S'], "{mode:?}");
        assert!(sim.findings().is_empty(), "{mode:?}: {:?}", sim.findings());
    }
}

/// Mounts the volume `device` / `id` (with `guid` as its stable GUID, if any) at each of
/// `letters` in turn, unmounting with the default unmount and deleting the device after each, and
/// checks every time: a clean mount, the letter resolving like Win32 through the same volume GUID
/// name, one letter and one volume name in `MountedDevices`. Returns that volume name.
fn remount_cycles(sim: &mut Sim, device: &str, id: &[u8], guid: Option<&str>, letters: &[u8]) -> String {
    let mode = sim.mode();
    let mut first: Option<String> = None;
    for (cycle, &l) in letters.iter().enumerate() {
        let context = format!("{mode:?} cycle {cycle} at {}:", char::from(l));
        let volume = TestVolume::new(device, id);
        register(
            sim,
            guid.map_or(volume, |guid| TestVolume::new(device, id).with_stable_guid(guid)),
        );
        let outcome = Client::new(&mut *sim).mount_at_letter(&request(device, l)).unwrap();
        assert!(outcome.is_clean(), "{context}: {outcome:?}");
        let name = outcome.volume_name.unwrap().to_string();
        assert_eq!(*first.get_or_insert_with(|| name.clone()), name, "{context}");
        assert_resolves(sim, l, device, &name, &context);
        // MountedDevices: one letter, the one volume name, at most one marker; never per mount.
        assert_eq!(sim.database().drive_letters_of(id), [char::from(l)], "{context}");
        assert_eq!(volume_names_of(sim, id), 1, "{context}");
        assert!(sim.database().len() <= 3, "{context}: {:?}", sim.database());
        // The client parses every point of the whole list (ReactOS: shared, possibly odd offsets).
        let all = Client::new(&mut *sim)
            .query_points(&MountPointFilter::all())
            .map(|points| points.iter().filter(|p| p.unique_id() == Some(id)).count());
        assert_eq!(all, Ok(2), "{context}");

        let unmounted = Client::new(&mut *sim).unmount_letters(nt(device)).unwrap();
        assert_eq!(unmounted.deleted.letters, LetterSet::only(letter(l)), "{context}");
        sim.remove_device(device).unwrap();
        assert!(sim.drive_letters().is_empty(), "{context}");
        assert!(sim.database().drive_letters_of(id).is_empty(), "{context}");
        assert_eq!(volume_names_of(sim, id), 1, "{context}");
    }
    assert!(sim.findings().is_empty(), "{mode:?}: {:?}", sim.findings());
    first.unwrap_or_default()
}

#[test]
fn remount_after_unmount_three_times_then_at_another_letter() {
    for mode in MODES {
        let name = remount_cycles(
            &mut sim(mode),
            "\\Device\\VaultDisk3",
            b"vault-3-stable-id",
            Some("{0a1b2c3d-4e5f-4607-8809-0a0b0c0d0e0f}"),
            b"KKKM",
        );
        assert_eq!(name, "\\??\\Volume{0a1b2c3d-4e5f-4607-8809-0a0b0c0d0e0f}");
    }
}

#[test]
fn a_volume_without_a_stable_guid_keeps_one_volume_name_across_remounts() {
    for mode in MODES {
        let mut sim = Sim::with_config(SimConfig::new().mode(mode).guid_seed(55));
        let name = remount_cycles(&mut sim, "\\Device\\PlainImage5", b"plain-image-5", None, b"GGGH");
        assert!(name.starts_with("\\??\\Volume{"), "{name}");
    }
}

#[test]
fn crash_then_remount_at_the_same_and_at_another_letter() {
    const DEVICE: &str = "\\Device\\CrashProne1";
    const ID: &[u8] = b"crash-prone-1-id";
    const GUID: &str = "{11111111-2222-4333-8444-555555555555}";
    const NAME: &str = "\\??\\Volume{11111111-2222-4333-8444-555555555555}";
    for mode in MODES {
        let mut sim = sim(mode);
        register(&mut sim, TestVolume::new(DEVICE, ID).with_stable_guid(GUID));
        assert!(
            Client::new(&mut sim)
                .mount_at_letter(&request(DEVICE, b'T'))
                .unwrap()
                .is_clean()
        );
        // The driver dies: IoDeleteDevice without DELETE_POINTS. The mount manager is not told.
        sim.remove_device(DEVICE).unwrap();
        assert!(sim.resolve_drive_letter('T').is_err(), "{mode:?}: T: dangles");

        // Remount at the same letter.
        register(&mut sim, TestVolume::new(DEVICE, ID).with_stable_guid(GUID));
        let outcome = Client::new(&mut sim).mount_at_letter(&request(DEVICE, b'T')).unwrap();
        assert!(outcome.is_clean(), "{mode:?}: {outcome:?}");
        assert_resolves(&mut sim, b'T', DEVICE, NAME, &format!("{mode:?} same letter"));
        assert_eq!(sim.database().drive_letters_of(ID), ['T']);

        // Crash again, remount at another letter: the old letter goes, the new one comes.
        sim.remove_device(DEVICE).unwrap();
        register(&mut sim, TestVolume::new(DEVICE, ID).with_stable_guid(GUID));
        let outcome = Client::new(&mut sim).mount_at_letter(&request(DEVICE, b'U')).unwrap();
        assert!(outcome.is_clean(), "{mode:?}: {outcome:?}");
        assert_resolves(&mut sim, b'U', DEVICE, NAME, &format!("{mode:?} another letter"));
        assert!(sim.resolve_drive_letter('T').is_err(), "{mode:?}: T: must be gone");
        assert_eq!(sim.drive_letters(), ['U'], "{mode:?}");
        assert_eq!(sim.database().drive_letters_of(ID), ['U'], "{mode:?}");
        assert_eq!(volume_names_of(&sim, ID), 1, "{mode:?}");
        assert!(sim.findings().is_empty(), "{mode:?}: {:?}", sim.findings());
    }
}

#[test]
fn an_odd_length_unique_id_mounts_unmounts_and_remounts() {
    // Seven bytes: in ReactOS's shared-offset QUERY_POINTS reply every offset after it is odd,
    // and no QUERY/DELETE_POINTS filter can name it (ReactOS refuses odd lengths).
    for mode in MODES {
        remount_cycles(&mut sim(mode), "\\Device\\OddOne9", b"odd-id7", None, b"OOW");
    }
}

#[test]
fn the_seeds_arrival_first_order_still_makes_the_phantom() {
    // The negative case (protocol.md §4.7): ARRIVAL, then CREATE_POINT. The mount manager picks
    // the first free letter and records it; the letter asked for is refused.
    const DEVICE: &str = "\\Device\\SeedOrder4";
    const ID: &[u8] = b"seed-order-4";
    for mode in MODES {
        let mut sim = sim(mode);
        sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
            .unwrap();
        sim.create_symbolic_link("\\DosDevices\\D:", "\\Device\\CdRom0")
            .unwrap();
        register(&mut sim, TestVolume::new(DEVICE, ID));
        assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
        assert_eq!(
            create_point(&mut sim, "\\DosDevices\\V:", DEVICE),
            NtStatus::INVALID_PARAMETER,
            "{mode:?}"
        );
        assert_eq!(sim.database().drive_letters_of(ID), ['E'], "{mode:?}: the phantom E:");
        assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('E'), "{mode:?}");
    }
}

#[test]
fn unmount_by_device_name_loses_the_volume_name_at_the_next_mount() {
    // Why the default unmount deletes letters only: after DELETE_POINTS by device name the next
    // mount gets its letter but no volume GUID name (Windows: the arrival of that unique ID is
    // ignored; ReactOS: the entry under that device name is kept, the arrival is a duplicate).
    const DEVICE: &str = "\\Device\\ForgetMe6";
    const ID: &[u8] = b"forget-me-6";
    for mode in MODES {
        let mut sim = sim(mode);
        register(&mut sim, TestVolume::new(DEVICE, ID));
        assert!(
            Client::new(&mut sim)
                .mount_at_letter(&request(DEVICE, b'J'))
                .unwrap()
                .is_clean()
        );
        let _ = Client::new(&mut sim)
            .unmount(UnmountBy::DeviceName(nt(DEVICE)))
            .unwrap();
        sim.remove_device(DEVICE).unwrap();
        register(&mut sim, TestVolume::new(DEVICE, ID));
        let outcome = Client::new(&mut sim).mount_at_letter(&request(DEVICE, b'J'));
        match mode {
            // The arrival was ignored and the stale entry is gone: the mount manager does not
            // know the volume at all, and the verification says so.
            SimMode::Windows => assert_eq!(
                outcome.unwrap_err().status(),
                Some(NtStatus::INVALID_PARAMETER),
                "{mode:?}"
            ),
            // The old entry answers: the letter is back, the volume GUID name is not.
            SimMode::Reactos => {
                let outcome = outcome.unwrap();
                assert_eq!(outcome.letter, LetterOutcome::Ok, "{mode:?}");
                assert_eq!(outcome.volume_name, None, "{mode:?}");
                assert!(!outcome.is_clean());
            }
        }
        assert!(sim.volume_name_for_mount_point("J:\\").is_err(), "{mode:?}");
    }
}

#[test]
fn a_remount_under_another_device_name_gets_no_volume_name() {
    // The limit `Client::unmount_letters` documents: the old entry keeps the volume GUID link
    // pointing at the old device name.
    const ID: &[u8] = b"moving-volume-8";
    for mode in MODES {
        let mut sim = sim(mode);
        register(&mut sim, TestVolume::new("\\Device\\Moving1", ID));
        assert!(
            Client::new(&mut sim)
                .mount_at_letter(&request("\\Device\\Moving1", b'N'))
                .unwrap()
                .is_clean()
        );
        let _ = Client::new(&mut sim).unmount_letters(nt("\\Device\\Moving1")).unwrap();
        sim.remove_device("\\Device\\Moving1").unwrap();
        register(&mut sim, TestVolume::new("\\Device\\Moving2", ID));
        let outcome = Client::new(&mut sim)
            .mount_at_letter(&request("\\Device\\Moving2", b'N'))
            .unwrap();
        assert_eq!(outcome.letter, LetterOutcome::Ok, "{mode:?}");
        assert_eq!(outcome.volume_name, None, "{mode:?}");
        assert!(sim.volume_name_for_mount_point("N:\\").is_err(), "{mode:?}");
    }
}
