//! The mount and unmount sequences of `protocol.md` §8.6 / §8.7 against scripted mount managers:
//! the order and bytes of every request, and every refusal.

use crate::support::{GrowingScratch, Point, Scripted, points_reply, reactos_overflow};
use mountdev::ioctl::{
    IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_QUERY_POINTS,
    IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
};
use mountdev::{DriveLetterLink, NtName, NtStatus, UniqueId, nt_name};
use mountmgr_client::{
    Client, ClientError, CreatePointRequest, LetterOutcome, LetterSet, MountPointFilter, MountRequest, Needed, Step,
    TargetNameRequest, UnmountBy,
};

const DEVICE: NtName<'static> = nt_name!("\\Device\\XtsVolume1");
const DEVICE_STR: &str = "\\Device\\XtsVolume1";
const ID: &[u8] = b"xts-0001";
const VOLUME: &str = "\\??\\Volume{5d3a8e2c-0000-4000-8000-000000000001}";

fn letter(l: u8) -> DriveLetterLink {
    DriveLetterLink::new(l).unwrap()
}

fn link(l: u8) -> String {
    format!("\\DosDevices\\{}:", char::from(l))
}

fn request() -> MountRequest<'static> {
    MountRequest {
        device_name: DEVICE,
        letter: letter(b'Z'),
    }
}

/// A reply listing `links` on our device with our unique ID.
fn device_points(links: &[&str]) -> Vec<u8> {
    let points: Vec<Point<'_>> = links.iter().map(|l| (*l, Some(ID), DEVICE_STR)).collect();
    points_reply(&points)
}

fn scripted(script: Scripted) -> Client<Scripted, GrowingScratch> {
    Client::with_scratch(script, GrowingScratch::default())
}

fn create_point(script: Scripted, status: NtStatus) -> Scripted {
    script.expect_request(
        IOCTL_MOUNTMGR_CREATE_POINT,
        &CreatePointRequest::drive_letter(&letter(b'Z'), DEVICE),
        vec![],
        status,
    )
}

fn verify(script: Scripted, links: &[&str]) -> Scripted {
    script.expect_request(
        IOCTL_MOUNTMGR_QUERY_POINTS,
        &MountPointFilter::by_device_name(DEVICE),
        device_points(links),
        NtStatus::SUCCESS,
    )
}

/// The script of steps 1-3 (CREATE_POINT, arrival, verification).
fn create_arrive_verify(script: Scripted, create: NtStatus, links: &[&str]) -> Scripted {
    let script = create_point(script, create).expect_request(
        IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
        &TargetNameRequest::new(DEVICE),
        vec![],
        NtStatus::SUCCESS,
    );
    verify(script, links)
}

fn delete_letter(script: Scripted, l: u8) -> Scripted {
    script.expect_request(
        IOCTL_MOUNTMGR_DELETE_POINTS,
        &MountPointFilter::by_drive_letter(&letter(l)),
        device_points(&[&link(l)]),
        NtStatus::SUCCESS,
    )
}

#[test]
fn clean_mount_at_letter() {
    let script = create_arrive_verify(Scripted::new(), NtStatus::SUCCESS, &[&link(b'Z'), VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert!(outcome.is_clean());
    assert!(outcome.arrival_sent);
    assert_eq!(outcome.volume_name.unwrap().as_name(), VOLUME);
    assert_eq!(outcome.create_point_status, NtStatus::SUCCESS);
    assert!(outcome.extra_letters_removed.is_empty());
    assert!(client.transport().is_done());
}

#[test]
fn a_letter_kept_from_an_earlier_mount_is_replaced_by_the_requested_one() {
    // The mount manager still knows the volume with E: (a crash, or ReactOS, which never forgets a
    // non-PnP volume): CREATE_POINT(Z:) is refused with STATUS_INVALID_PARAMETER, the arrival
    // leaves E:. The sequence deletes E: by its link and asks for Z: again.
    let script = create_arrive_verify(Scripted::new(), NtStatus::INVALID_PARAMETER, &[&link(b'E'), VOLUME]);
    let script = delete_letter(script, b'E');
    let script = verify(create_point(script, NtStatus::SUCCESS), &[VOLUME, &link(b'Z')]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(outcome.create_point_status, NtStatus::INVALID_PARAMETER);
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert_eq!(outcome.extra_letters_removed, LetterSet::only(letter(b'E')));
    assert!(outcome.is_clean());
    assert!(client.transport().is_done());
}

#[test]
fn a_letter_the_repair_cannot_remove_is_reported() {
    // The second QUERY_POINTS still shows F: next to Z:.
    let script = create_arrive_verify(Scripted::new(), NtStatus::SUCCESS, &[&link(b'F'), &link(b'Z'), VOLUME]);
    let script = verify(delete_letter(script, b'F'), &[&link(b'F'), &link(b'Z'), VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    let assigned: LetterSet = [letter(b'F'), letter(b'Z')].into_iter().collect();
    assert_eq!(
        outcome.letter,
        LetterOutcome::WrongLetter {
            requested: letter(b'Z'),
            assigned
        }
    );
    assert_eq!(outcome.letter.extra_letters(), LetterSet::only(letter(b'F')));
    assert!(!outcome.is_clean());
    assert!(client.transport().is_done());
}

#[test]
fn create_point_refused_without_any_letter_needs_a_link_of_our_own() {
    let script = create_arrive_verify(Scripted::new(), NtStatus::INVALID_PARAMETER, &[VOLUME]);
    let script = verify(create_point(script, NtStatus::INVALID_PARAMETER), &[VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(
        outcome.letter,
        LetterOutcome::Fallback(Needed::CreateLinkYourself {
            link: letter(b'Z'),
            target: DEVICE
        })
    );
    assert_eq!(outcome.volume_name.unwrap().as_name(), VOLUME);
    assert!(client.transport().is_done());
}

#[test]
fn a_taken_letter_stops_before_the_arrival() {
    let mut client = scripted(create_point(Scripted::new(), NtStatus::OBJECT_NAME_COLLISION));
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(
        outcome.letter,
        LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: letter(b'Z') })
    );
    assert!(!outcome.arrival_sent);
    assert_eq!(outcome.create_point_status, NtStatus::OBJECT_NAME_COLLISION);
    assert!(outcome.volume_name.is_none());
    // Nothing after CREATE_POINT: no arrival, so no letter of the mount manager's choosing.
    assert!(client.transport().is_done());
    assert_eq!(client.transport().offered.len(), 1);
}

#[test]
fn a_letter_taken_at_the_repair_asks_for_another_letter() {
    let script = create_arrive_verify(Scripted::new(), NtStatus::INVALID_PARAMETER, &[&link(b'E'), VOLUME]);
    let script = delete_letter(script, b'E');
    let script = verify(create_point(script, NtStatus::OBJECT_NAME_COLLISION), &[VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(
        outcome.letter,
        LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: letter(b'Z') })
    );
    assert!(outcome.arrival_sent);
    assert!(client.transport().is_done());
}

#[test]
fn two_volume_names_are_not_clean() {
    let other = "\\??\\Volume{5d3a8e2c-0000-4000-8000-000000000002}";
    let script = create_arrive_verify(Scripted::new(), NtStatus::SUCCESS, &[&link(b'Z'), VOLUME, other]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request()).unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert_eq!(outcome.links.volume_names, 2);
    assert!(!outcome.is_clean());
}

#[test]
fn arrival_refused_is_an_error_naming_the_arrival() {
    let script = create_point(Scripted::new(), NtStatus::SUCCESS).expect_request(
        IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
        &TargetNameRequest::new(DEVICE),
        vec![],
        NtStatus::OBJECT_NAME_NOT_FOUND,
    );
    let mut client = scripted(script);
    assert_eq!(
        client.mount_at_letter(&request()),
        Err(ClientError::Refused {
            step: Step::VolumeArrival,
            status: NtStatus::OBJECT_NAME_NOT_FOUND
        })
    );
    assert!(client.transport().is_done());
}

#[test]
fn verification_refused_is_an_error_naming_query_points() {
    let script = create_point(Scripted::new(), NtStatus::SUCCESS)
        .expect_request(
            IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            &TargetNameRequest::new(DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &MountPointFilter::by_device_name(DEVICE),
            vec![],
            NtStatus::INVALID_PARAMETER,
        );
    let mut client = scripted(script);
    assert_eq!(
        client.mount_at_letter(&request()),
        Err(ClientError::Refused {
            step: Step::QueryPoints,
            status: NtStatus::INVALID_PARAMETER
        })
    );
}

#[test]
fn unmount_letters_deletes_each_letter_by_its_link() {
    let script = Scripted::new().expect_request(
        IOCTL_MOUNTMGR_QUERY_POINTS,
        &MountPointFilter::by_device_name(DEVICE),
        device_points(&[&link(b'Q'), VOLUME]),
        NtStatus::SUCCESS,
    );
    let mut client = scripted(delete_letter(script, b'Q'));
    let outcome = client.unmount_letters(DEVICE).unwrap();
    assert_eq!(outcome.deleted.letters, LetterSet::only(letter(b'Q')));
    assert_eq!(outcome.deleted.volume_names, 0, "the volume GUID name stays");
    assert!(client.transport().is_done());
}

#[test]
fn mount_without_letter_reports_the_letter_chosen() {
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            &TargetNameRequest::new(DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &MountPointFilter::by_device_name(DEVICE),
            device_points(&[VOLUME, &link(b'E')]),
            NtStatus::SUCCESS,
        );
    let mut client = scripted(script);
    let outcome = client.mount_without_letter(DEVICE).unwrap();
    assert_eq!(outcome.letter, Some(letter(b'E')));
    assert_eq!(outcome.volume_name.unwrap().as_name(), VOLUME);
    // And none chosen:
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            &TargetNameRequest::new(DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &MountPointFilter::by_device_name(DEVICE),
            device_points(&[VOLUME]),
            NtStatus::SUCCESS,
        );
    let mut client = scripted(script);
    assert_eq!(client.mount_without_letter(DEVICE).unwrap().letter, None);
}

/// A reply large enough to overflow the first page: many links of the device.
fn big_deletion() -> (Vec<u8>, usize) {
    let links: Vec<String> = (0..40)
        .map(|i| format!("\\mnt\\folder-mount-point-number-{i:03}"))
        .collect();
    let mut all: Vec<&str> = links.iter().map(String::as_str).collect();
    let z = link(b'Z');
    all.push(&z);
    all.push(VOLUME);
    (device_points(&all), all.len())
}

#[test]
fn unmount_retries_an_overflowing_delete_points() {
    let (full, count) = big_deletion();
    assert!(full.len() > 4096);
    let filter = MountPointFilter::by_device_name(DEVICE);
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_DELETE_POINTS,
            &filter,
            reactos_overflow(full.len(), count),
            NtStatus::BUFFER_OVERFLOW,
        )
        .expect_request(IOCTL_MOUNTMGR_DELETE_POINTS, &filter, full.clone(), NtStatus::SUCCESS);
    let mut client = scripted(script);
    let outcome = client.unmount(UnmountBy::DeviceName(DEVICE)).unwrap();
    assert_eq!(outcome.deleted.letters, LetterSet::only(letter(b'Z')));
    assert_eq!(outcome.deleted.volume_names, 1);
    assert_eq!(outcome.deleted.other_links, 40);
    let (script, _) = client.into_parts();
    assert!(script.is_done());
    // A page first, then exactly what the mount manager asked for.
    assert_eq!(
        script.offered,
        [
            (IOCTL_MOUNTMGR_DELETE_POINTS, 4096),
            (IOCTL_MOUNTMGR_DELETE_POINTS, full.len())
        ]
    );
}

#[test]
fn unmount_filters() {
    let z = letter(b'Z');
    let id = UniqueId::new(ID).unwrap();
    for (by, filter) in [
        (UnmountBy::DeviceName(DEVICE), MountPointFilter::by_device_name(DEVICE)),
        (UnmountBy::DriveLetter(z), MountPointFilter::by_drive_letter(&z)),
        (UnmountBy::UniqueId(id), MountPointFilter::by_unique_id(id)),
    ] {
        let script = Scripted::new().expect_request(
            IOCTL_MOUNTMGR_DELETE_POINTS,
            &filter,
            device_points(&[&link(b'Z')]),
            NtStatus::SUCCESS,
        );
        let mut client = scripted(script);
        let outcome = client.unmount(by).unwrap();
        assert_eq!(outcome.deleted.letters, LetterSet::only(z), "{by:?}");
        assert!(client.transport().is_done());
    }
}

#[test]
fn unmount_retry_bound_exceeded() {
    let (full, count) = big_deletion();
    let filter = MountPointFilter::by_device_name(DEVICE);
    let overflow = reactos_overflow(full.len() + 10_000, count);
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_DELETE_POINTS,
            &filter,
            overflow.clone(),
            NtStatus::BUFFER_OVERFLOW,
        )
        .expect_request(
            IOCTL_MOUNTMGR_DELETE_POINTS,
            &filter,
            overflow,
            NtStatus::BUFFER_OVERFLOW,
        );
    let mut client = scripted(script).with_max_attempts(2);
    assert_eq!(
        client.unmount(UnmountBy::DeviceName(DEVICE)),
        Err(ClientError::RetriesExhausted {
            step: Step::DeletePoints,
            attempts: 2,
            required: full.len() + 10_000
        })
    );
}

#[test]
fn unmount_with_a_fixed_scratch_too_small_says_so() {
    let (full, count) = big_deletion();
    let filter = MountPointFilter::by_device_name(DEVICE);
    let script = Scripted::new().expect_request(
        IOCTL_MOUNTMGR_DELETE_POINTS,
        &filter,
        reactos_overflow(full.len(), count),
        NtStatus::BUFFER_OVERFLOW,
    );
    let mut scratch = [0u8; 1024];
    let mut client = Client::with_scratch(script, &mut scratch[..]);
    assert_eq!(
        client.unmount(UnmountBy::DeviceName(DEVICE)),
        Err(ClientError::ScratchTooSmall {
            step: Step::DeletePoints,
            required: 60 + full.len()
        })
    );
}

#[test]
fn letter_sets_hold_every_letter() {
    let all: LetterSet = (b'A'..=b'Z').map(letter).collect();
    assert_eq!(all.len(), 26);
    assert_eq!(
        all.iter().map(|l| l.letter()).collect::<String>(),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    );
    assert_eq!(all.without(letter(b'A')).without(letter(b'Z')).len(), 24);
    assert_eq!(LetterSet::only(letter(b'Q')).single(), Some(letter(b'Q')));
    assert_eq!(all.single(), None);
    assert_eq!(LetterSet::new().to_string(), "");
}
