//! The client's sequences against the behavioural simulator (`--features sim`): the same code a
//! driver runs, against a mount manager that queries the volume the way the real one does.

use mountdev::{DriveLetterLink, MountdevVolume, NtName, SuggestedLink, UniqueId, nt_name};
use mountmgr_client::sim::{DeviceOptions, Sim, VolumeDevice};
use mountmgr_client::{Client, LetterOutcome, LetterSet, MountPointFilter, MountRequest, UnmountBy};

const DEVICE: NtName<'static> = nt_name!("\\Device\\XtsVolume1");
const ID: &[u8] = b"xts-container-0001";

struct XtsVolume {
    suggested: Option<DriveLetterLink>,
}

impl MountdevVolume for XtsVolume {
    fn device_name(&self) -> NtName<'_> {
        DEVICE
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(ID).unwrap()
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        self.suggested
            .as_ref()
            .map(|letter| SuggestedLink::drive_letter(letter, false))
    }
}

fn letter(l: u8) -> DriveLetterLink {
    DriveLetterLink::new(l).unwrap()
}

fn sim_with_volume(suggested: Option<DriveLetterLink>) -> Sim {
    let mut sim = Sim::new();
    sim.register_volume(VolumeDevice::new(XtsVolume { suggested }), DeviceOptions::new())
        .unwrap();
    sim
}

#[test]
fn mount_at_letter_then_unmount_by_device_name_forgets_everything() {
    let z = letter(b'Z');
    let mut client = Client::new(sim_with_volume(Some(z)));
    let outcome = client
        .mount_at_letter(&MountRequest {
            device_name: DEVICE,
            letter: z,
        })
        .unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok, "{outcome:?}");
    assert!(outcome.is_clean(), "{outcome:?}");
    let volume = outcome.volume_name.unwrap();

    let unmounted = client.unmount(UnmountBy::DeviceName(DEVICE)).unwrap();
    assert_eq!(unmounted.deleted.letters, LetterSet::only(z));
    assert_eq!(unmounted.deleted.volume_name, Some(volume));
    let left = client
        .query_points(&MountPointFilter::all())
        .map(|points| points.iter().filter(|p| p.is_on_device(DEVICE)).count())
        .unwrap_or(0);
    assert_eq!(left, 0);
}

#[test]
fn asking_for_a_letter_after_the_mount_manager_chose_one_repairs_the_phantom() {
    // The old order (protocol.md §4.7): the volume arrives first and gets an automatic letter;
    // a later CREATE_POINT for Z: hits the one-letter rule.
    let mut client = Client::new(sim_with_volume(None));
    let first = client.mount_without_letter(DEVICE).unwrap();
    let automatic = first.letter.expect("the simulator assigns an automatic letter");
    assert_ne!(automatic, letter(b'Z'));

    let outcome = client
        .mount_at_letter(&MountRequest {
            device_name: DEVICE,
            letter: letter(b'Z'),
        })
        .unwrap();
    assert_eq!(outcome.create_point_status, mountdev::NtStatus::INVALID_PARAMETER);
    // The sequence's repair: the automatic letter goes by its link, Z: comes by CREATE_POINT.
    assert_eq!(outcome.extra_letters_removed, LetterSet::only(automatic));
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert!(outcome.is_clean(), "{outcome:?}");
    let sim = client.transport();
    assert_eq!(sim.database().drive_letters_of(ID), ['Z']);
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}

#[test]
fn unmount_letters_keeps_the_volume_name_for_the_next_mount() {
    let z = letter(b'Z');
    let mut client = Client::new(sim_with_volume(Some(z)));
    let request = MountRequest {
        device_name: DEVICE,
        letter: z,
    };
    let volume = client.mount_at_letter(&request).unwrap().volume_name.unwrap();
    let unmounted = client.unmount_letters(DEVICE).unwrap();
    assert_eq!(unmounted.deleted.letters, LetterSet::only(z));
    let outcome = client.mount_at_letter(&request).unwrap();
    assert!(outcome.is_clean(), "{outcome:?}");
    assert_eq!(outcome.volume_name, Some(volume));
}
