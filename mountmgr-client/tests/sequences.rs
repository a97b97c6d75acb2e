//! The mount and unmount sequences of `protocol.md` §8.6 / §8.7 against scripted mount managers:
//! the order and bytes of every request, and every refusal.

mod support;

use mountdev::ioctl::{
    IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY,
    IOCTL_MOUNTMGR_QUERY_POINTS, IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
};
use mountdev::{DriveLetterLink, NtName, NtStatus, UniqueId, nt_name};
use mountmgr_client::{
    Client, ClientError, CreatePointRequest, LetterOutcome, LetterSet, MountPointFilter, MountRequest, Needed, Step,
    TargetNameRequest, UnmountBy,
};
use support::{GrowingScratch, Point, Scripted, points_reply, reactos_overflow};

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

fn request(unique_id: bool) -> MountRequest<'static> {
    MountRequest {
        device_name: DEVICE,
        letter: letter(b'Z'),
        unique_id: unique_id.then(|| UniqueId::new(ID).unwrap()),
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

/// The script of steps 2-4 (CREATE_POINT, arrival, verification).
fn create_arrive_verify(script: Scripted, create: NtStatus, verify: &[&str]) -> Scripted {
    let z = letter(b'Z');
    script
        .expect_request(
            IOCTL_MOUNTMGR_CREATE_POINT,
            &CreatePointRequest::drive_letter(&z, DEVICE),
            vec![],
            create,
        )
        .expect_request(
            IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            &TargetNameRequest::new(DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &MountPointFilter::by_device_name(DEVICE),
            device_points(verify),
            NtStatus::SUCCESS,
        )
}

fn by_id() -> MountPointFilter<'static> {
    MountPointFilter::by_unique_id(UniqueId::new(ID).unwrap())
}

#[test]
fn clean_mount_at_letter() {
    let script = Scripted::new().expect_request(
        IOCTL_MOUNTMGR_QUERY_POINTS,
        &by_id(),
        vec![],
        NtStatus::OBJECT_NAME_NOT_FOUND,
    );
    let script = create_arrive_verify(script, NtStatus::SUCCESS, &[&link(b'Z'), VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(true)).unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert!(outcome.is_clean());
    assert_eq!(outcome.volume_name.unwrap().as_name(), VOLUME);
    assert_eq!(outcome.create_point_status, NtStatus::SUCCESS);
    assert!(outcome.stale_letters_removed.is_empty());
    assert!(client.transport().is_done());
}

#[test]
fn stale_letters_of_the_unique_id_are_dropped_before_create_point() {
    let e = letter(b'E');
    let stale = device_points(&[&link(b'E'), &link(b'Z'), VOLUME]);
    let script = Scripted::new()
        .expect_request(IOCTL_MOUNTMGR_QUERY_POINTS, &by_id(), stale, NtStatus::SUCCESS)
        // Only E: goes, by its link alone, from the database only; Z: (requested) stays.
        .expect_request(
            IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY,
            &MountPointFilter::by_drive_letter(&e),
            device_points(&[&link(b'E')]),
            NtStatus::SUCCESS,
        );
    let script = create_arrive_verify(script, NtStatus::SUCCESS, &[&link(b'Z'), VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(true)).unwrap();
    assert_eq!(outcome.stale_letters_removed, LetterSet::only(e));
    assert!(outcome.is_clean());
    assert!(client.transport().is_done());
}

#[test]
fn phantom_letter_create_point_refused_reports_the_wrong_letter() {
    // The volume was already known with E: (protocol.md §4.7): CREATE_POINT(Z:) is refused with
    // STATUS_INVALID_PARAMETER and the volume keeps E:.
    let script = create_arrive_verify(Scripted::new(), NtStatus::INVALID_PARAMETER, &[&link(b'E'), VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(false)).unwrap();
    assert_eq!(outcome.create_point_status, NtStatus::INVALID_PARAMETER);
    assert_eq!(
        outcome.letter,
        LetterOutcome::WrongLetter {
            requested: letter(b'Z'),
            assigned: LetterSet::only(letter(b'E'))
        }
    );
    assert_eq!(outcome.letter.extra_letters(), LetterSet::only(letter(b'E')));
    assert!(!outcome.is_clean());
    assert!(client.transport().is_done());
}

#[test]
fn create_point_refused_without_any_letter_needs_a_link_of_our_own() {
    let script = create_arrive_verify(Scripted::new(), NtStatus::INVALID_PARAMETER, &[VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(false)).unwrap();
    assert_eq!(
        outcome.letter,
        LetterOutcome::Fallback(Needed::CreateLinkYourself {
            link: letter(b'Z'),
            target: DEVICE
        })
    );
    assert_eq!(outcome.volume_name.unwrap().as_name(), VOLUME);
}

#[test]
fn a_taken_letter_asks_for_another_letter() {
    let script = create_arrive_verify(Scripted::new(), NtStatus::OBJECT_NAME_COLLISION, &[VOLUME]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(false)).unwrap();
    assert_eq!(
        outcome.letter,
        LetterOutcome::Fallback(Needed::ChooseAnotherLetter { taken: letter(b'Z') })
    );
}

#[test]
fn query_points_showing_a_different_letter() {
    for (shown, assigned) in [
        (vec![link(b'F'), VOLUME.to_owned()], LetterSet::only(letter(b'F'))),
        (
            vec![link(b'E'), link(b'Z'), VOLUME.to_owned()],
            [letter(b'E'), letter(b'Z')].into_iter().collect(),
        ),
    ] {
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        let script = create_arrive_verify(Scripted::new(), NtStatus::SUCCESS, &shown);
        let mut client = scripted(script);
        let outcome = client.mount_at_letter(&request(false)).unwrap();
        assert_eq!(
            outcome.letter,
            LetterOutcome::WrongLetter {
                requested: letter(b'Z'),
                assigned
            }
        );
        assert_eq!(outcome.letter.extra_letters(), assigned.without(letter(b'Z')));
    }
}

#[test]
fn two_volume_names_are_not_clean() {
    let other = "\\??\\Volume{5d3a8e2c-0000-4000-8000-000000000002}";
    let script = create_arrive_verify(Scripted::new(), NtStatus::SUCCESS, &[&link(b'Z'), VOLUME, other]);
    let mut client = scripted(script);
    let outcome = client.mount_at_letter(&request(false)).unwrap();
    assert_eq!(outcome.letter, LetterOutcome::Ok);
    assert_eq!(outcome.links.volume_names, 2);
    assert!(!outcome.is_clean());
}

#[test]
fn arrival_refused_is_an_error_naming_the_arrival() {
    let z = letter(b'Z');
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_CREATE_POINT,
            &CreatePointRequest::drive_letter(&z, DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
        .expect_request(
            IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
            &TargetNameRequest::new(DEVICE),
            vec![],
            NtStatus::OBJECT_NAME_NOT_FOUND,
        );
    let mut client = scripted(script);
    assert_eq!(
        client.mount_at_letter(&request(false)),
        Err(ClientError::Refused {
            step: Step::VolumeArrival,
            status: NtStatus::OBJECT_NAME_NOT_FOUND
        })
    );
    assert!(client.transport().is_done());
}

#[test]
fn verification_refused_is_an_error_naming_query_points() {
    let z = letter(b'Z');
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_CREATE_POINT,
            &CreatePointRequest::drive_letter(&z, DEVICE),
            vec![],
            NtStatus::SUCCESS,
        )
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
        client.mount_at_letter(&request(false)),
        Err(ClientError::Refused {
            step: Step::QueryPoints,
            status: NtStatus::INVALID_PARAMETER
        })
    );
}

#[test]
fn stale_letter_query_refused_for_another_reason_stops_before_create_point() {
    let script = Scripted::new().expect_request(IOCTL_MOUNTMGR_QUERY_POINTS, &by_id(), vec![], NtStatus::ACCESS_DENIED);
    let mut client = scripted(script);
    assert_eq!(
        client.mount_at_letter(&request(true)),
        Err(ClientError::Refused {
            step: Step::QueryPoints,
            status: NtStatus::ACCESS_DENIED
        })
    );
    assert!(client.transport().is_done());
}

#[test]
fn odd_unique_ids_fail_before_anything_is_sent() {
    let mut client = scripted(Scripted::new());
    let odd = MountRequest {
        unique_id: Some(UniqueId::new(b"odd").unwrap()),
        ..request(false)
    };
    assert!(matches!(
        client.mount_at_letter(&odd),
        Err(ClientError::Request {
            step: Step::QueryPoints,
            ..
        })
    ));
    assert!(client.transport().offered.is_empty());
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
