//! QUERY_POINTS, DELETE_POINTS and DELETE_POINTS_DBONLY: validation (`protocol.md` §3.4, §4.6a),
//! matching priority, the too-small output that deletes nothing, markers and DB-only deletes.

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::{IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_QUERY_POINTS};
use mountmgr_client::Transport;
use mountmgr_client::sim::{Sim, SimConfig, SimMode};

const OTHER: &str = "\\Device\\XtsVolume2";
const OTHER_ID: &[u8] = b"xts-container-0002";

/// Two mounted volumes: ours at Z:, another at Y:.
fn two_volumes() -> Sim {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    register(&mut sim, TestVolume::new(OTHER, OTHER_ID));
    mount_at_z(&mut sim);
    assert_eq!(create_point(&mut sim, "\\DosDevices\\Y:", OTHER), NtStatus::SUCCESS);
    assert_eq!(arrival(&mut sim, OTHER), NtStatus::SUCCESS);
    sim
}

#[test]
fn input_and_output_validation() {
    let mut sim = two_volumes();
    let mut out = [0u8; 1024];
    let query = |sim: &mut Sim, input: &[u8], out: &mut [u8]| {
        sim.device_io_control(IOCTL_MOUNTMGR_QUERY_POINTS, input, out).status
    };
    // Input shorter than MOUNTMGR_MOUNT_POINT.
    assert_eq!(query(&mut sim, &[0; 23], &mut out), NtStatus::INVALID_PARAMETER);
    // Odd offset of a non-empty name.
    let mut odd = filter_input(None, None, Some(&utf16(DEVICE)));
    odd[16] = 25;
    odd.push(0);
    assert_eq!(query(&mut sim, &odd, &mut out), NtStatus::INVALID_PARAMETER);
    // Odd length.
    let odd_length = filter_input(None, Some(b"abc"), None);
    assert_eq!(query(&mut sim, &odd_length, &mut out), NtStatus::INVALID_PARAMETER);
    // A field beyond the input.
    let mut beyond = filter_input(Some(&utf16("\\DosDevices\\Z:")), None, None);
    beyond.truncate(beyond.len() - 2);
    assert_eq!(query(&mut sim, &beyond, &mut out), NtStatus::INVALID_PARAMETER);
    // A zero-length field is ignored whatever its offset.
    let mut ignored = filter(By::All);
    ignored[0] = 0xFF;
    ignored[8] = 0x31;
    assert_eq!(query(&mut sim, &ignored, &mut out), NtStatus::SUCCESS);
    // Output shorter than MOUNTMGR_MOUNT_POINTS.
    assert_eq!(
        query(&mut sim, &filter(By::All), &mut out[..31]),
        NtStatus::INVALID_PARAMETER
    );
}

#[test]
fn query_overflow_fills_size_and_count() {
    let mut sim = two_volumes();
    let mut out = [0xEEu8; 40];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_POINTS, &filter(By::All), &mut out);
    assert_eq!(reply.status, NtStatus::BUFFER_OVERFLOW);
    assert_eq!(reply.information, 32);
    let size = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
    assert_eq!(u32::from_le_bytes(out[4..8].try_into().unwrap()), 4);
    assert_eq!(&out[32..], &[0xEE; 8], "nothing past Information");
    let mut full = vec![0u8; size];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_POINTS, &filter(By::All), &mut full);
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, size));
    assert_eq!(parse_points(&full).len(), 4);
}

#[test]
fn matching_priority_link_then_unique_id_then_device() {
    let mut sim = two_volumes();
    // All three fields, naming different volumes: the link wins, and only that link.
    let input = filter_input(Some(&utf16("\\DosDevices\\Y:")), Some(UNIQUE_ID), Some(&utf16(DEVICE)));
    let mut out = vec![0u8; 1024];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_POINTS, &input, &mut out);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    let points = parse_points(&out[..reply.information]);
    assert_eq!(points.len(), 1);
    assert_eq!(
        (points[0].link.as_str(), points[0].device.as_str()),
        ("\\DosDevices\\Y:", OTHER)
    );
    // Unique ID and device name: the unique ID wins, with every link of that volume.
    let input = filter_input(None, Some(UNIQUE_ID), Some(&utf16(OTHER)));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_POINTS, &input, &mut out);
    let points = parse_points(&out[..reply.information]);
    assert_eq!(links_of(&points), [VOLUME_NAME, "\\DosDevices\\Z:"]);
    // Device name alone.
    let points = query_points(&mut sim, By::Device(OTHER)).unwrap();
    assert!(points.iter().all(|p| p.device == OTHER && p.unique_id == OTHER_ID));
    assert_eq!(points.len(), 2);
    // Nothing: every mount point.
    assert_eq!(query_points(&mut sim, By::All).unwrap().len(), 4);
    // Unknown values.
    assert_eq!(
        query_points(&mut sim, By::Link("\\DosDevices\\Q:")),
        Err(NtStatus::OBJECT_NAME_NOT_FOUND)
    );
    assert_eq!(
        query_points(&mut sim, By::UniqueId(b"nobody")),
        Err(NtStatus::INVALID_PARAMETER)
    );
    // A device name is opened first (ReactOS `QueryPointsFromMemory`, Errata 7): nothing by
    // that name → the open's status.
    assert_eq!(
        query_points(&mut sim, By::Device("\\Device\\Nobody")),
        Err(NtStatus::OBJECT_NAME_NOT_FOUND)
    );
    // A link to the device is followed when it is given as the device name.
    assert_eq!(query_points(&mut sim, By::Device("\\DosDevices\\Z:")).unwrap().len(), 2);
}

#[test]
fn delete_points_with_a_small_output_deletes_nothing() {
    let mut sim = two_volumes();
    let database = sim.database().clone();
    let mut out = [0u8; 64];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_DELETE_POINTS, &filter(By::Device(DEVICE)), &mut out);
    assert_eq!((reply.status, reply.information), (NtStatus::BUFFER_OVERFLOW, 32));
    let size = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
    assert!(size > 64);
    assert_eq!(*sim.database(), database);
    assert_eq!(sim.drive_letters(), ['Y', 'Z']);
    assert_eq!(sim.volume(DEVICE).unwrap().links().len(), 2);
    // Too small for even the header: INVALID_PARAMETER, nothing deleted either.
    let reply = sim.device_io_control(
        IOCTL_MOUNTMGR_DELETE_POINTS,
        &filter(By::Device(DEVICE)),
        &mut out[..16],
    );
    assert_eq!(reply.status, NtStatus::INVALID_PARAMETER);
    assert_eq!(*sim.database(), database);
    // Retried with Size bytes, it deletes and says what it deleted.
    let mut full = vec![0u8; size];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_DELETE_POINTS, &filter(By::Device(DEVICE)), &mut full);
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, size));
    assert_eq!(links_of(&parse_points(&full)), [VOLUME_NAME, "\\DosDevices\\Z:"]);
    assert_eq!(sim.drive_letters(), ['Y']);
    assert!(sim.database().names_for(UNIQUE_ID).is_empty(), "a clean forget");
}

#[test]
fn deleting_a_drive_letter_by_name_leaves_a_no_letter_marker() {
    let mut sim = two_volumes();
    let volume_links_before = sim.volume(DEVICE).unwrap().links().len();
    let deleted = delete_points(&mut sim, By::Link("\\DosDevices\\Z:")).unwrap();
    assert_eq!(links_of(&deleted), ["\\DosDevices\\Z:"]);
    assert_eq!(sim.volume(DEVICE).unwrap().links().len(), volume_links_before - 1);
    // MSDN (§4.6): the volume now deliberately has no letter.
    assert!(sim.database().has_no_letter_marker(UNIQUE_ID));
    assert!(
        sim.database()
            .get(&mountmgr_client::sim::SimName::new(VOLUME_NAME))
            .is_some()
    );
    // The next arrival of that unique ID gets no automatic letter...
    sim.remove_device(DEVICE).unwrap();
    sim.reboot();
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), None);
    // ...until a letter is asked for, which removes the marker.
    assert_eq!(create_point(&mut sim, "\\DosDevices\\Z:", DEVICE), NtStatus::SUCCESS);
    assert!(!sim.database().has_no_letter_marker(UNIQUE_ID));
}

#[test]
fn the_volume_hears_of_deleted_links() {
    let mut sim = Sim::new();
    let volume = register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    let epic = sim.epic_number();
    delete_points(&mut sim, By::Device(DEVICE)).unwrap();
    assert!(sim.epic_number() > epic);
    let mut deleted = volume.volume().deleted.lock().unwrap().clone();
    deleted.sort();
    assert_eq!(
        deleted,
        [VOLUME_NAME, VOLUME_NAME, "\\DosDevices\\Z:", "\\DosDevices\\Z:"]
    );
}

#[test]
fn delete_points_db_only_selects_from_memory_and_marks_the_link_offline() {
    let mut sim = two_volumes();
    let deleted = delete_points_db_only(&mut sim, By::Link("\\DosDevices\\Z:")).unwrap();
    assert_eq!(links_of(&deleted), ["\\DosDevices\\Z:"]);
    assert_eq!(deleted[0].device, DEVICE);
    // ReactOS `MountMgrDeletePointsDbOnly`: `\GLOBAL??\Z:` stays, the entry keeps the link but
    // offline (no longer the volume's drive letter), its database value goes.
    assert_eq!(sim.drive_letters(), ['Y', 'Z']);
    let volume = sim.volume(DEVICE).unwrap();
    assert!(volume.is_offline(&mountmgr_client::sim::SimName::new("\\DosDevices\\Z:")));
    assert_eq!(volume.drive_letter(), None);
    assert!(sim.database().drive_letters_of(UNIQUE_ID).is_empty());
    // The only value deleted was a drive letter, so a marker takes its place.
    assert!(sim.database().has_no_letter_marker(UNIQUE_ID));
    // QUERY_POINTS shows the offline link without a unique ID.
    let points = query_points(&mut sim, By::Link("\\DosDevices\\Z:")).unwrap();
    assert_eq!(points.len(), 1);
    assert!(points[0].unique_id.is_empty());

    // A record of a volume the mount manager does not hold in memory is out of its reach.
    sim.set_database_value("\\DosDevices\\E:", b"gone-id!");
    assert_eq!(
        delete_points_db_only(&mut sim, By::UniqueId(b"gone-id!")),
        Err(NtStatus::INVALID_PARAMETER)
    );
    assert_eq!(
        delete_points_db_only(&mut sim, By::Link("\\DosDevices\\E:")),
        Err(NtStatus::OBJECT_NAME_NOT_FOUND)
    );
    assert!(
        sim.database()
            .get(&mountmgr_client::sim::SimName::new("\\DosDevices\\E:"))
            .is_some()
    );
}

#[test]
fn create_point_input_validation() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    let create = |sim: &mut Sim, input: &[u8]| {
        sim.device_io_control(IOCTL_MOUNTMGR_CREATE_POINT, input, &mut [])
            .status
    };
    // Shorter than MOUNTMGR_CREATE_POINT_INPUT.
    assert_eq!(create(&mut sim, &[8, 0, 28, 0, 36, 0, 36]), NtStatus::INVALID_PARAMETER);
    // A name beyond the input.
    let mut input = create_point_input(&utf16("\\DosDevices\\Z:"), &utf16(DEVICE));
    input.truncate(input.len() - 2);
    assert_eq!(create(&mut sim, &input), NtStatus::INVALID_PARAMETER);
    // An odd length.
    let mut input = create_point_input(&utf16("\\DosDevices\\Z:"), &utf16(DEVICE));
    input[6] = 35;
    assert_eq!(create(&mut sim, &input), NtStatus::INVALID_PARAMETER);
    // Offsets overflowing 16 bits never wrap.
    let input = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    assert_eq!(create(&mut sim, &input), NtStatus::INVALID_PARAMETER);
    assert!(sim.database().is_empty());
    // The §8.12 vector: 72 bytes.
    let input = create_point_input(&utf16("\\DosDevices\\Z:"), &utf16(DEVICE));
    assert_eq!(input.len(), 72);
    assert_eq!(&input[..8], &[8, 0, 0x1c, 0, 0x24, 0, 0x24, 0]);
    assert_eq!(create(&mut sim, &input), NtStatus::SUCCESS);
}

#[test]
fn a_link_filter_opens_the_link_first_in_reactos_mode() {
    for mode in [SimMode::Windows, SimMode::Reactos] {
        let mut sim = Sim::with_config(SimConfig::new().mode(mode));
        register(&mut sim, TestVolume::standard());
        mount_at_z(&mut sim);
        // A link of a device the mount manager does not know (made past it).
        register(&mut sim, TestVolume::new("\\Device\\Stranger3", b"stranger"));
        sim.create_symbolic_link("\\DosDevices\\S:", "\\Device\\Stranger3")
            .unwrap();
        let expected = match mode {
            // `QueryPointsFromSymbolicLinkName`: the link opens, its device is not in the list.
            SimMode::Reactos => NtStatus::INVALID_PARAMETER,
            SimMode::Windows => NtStatus::OBJECT_NAME_NOT_FOUND,
        };
        assert_eq!(
            query_points(&mut sim, By::Link("\\DosDevices\\S:")),
            Err(expected),
            "{mode:?}"
        );
        // A link that dangles after a crash is still found in memory, in both modes.
        sim.remove_device(DEVICE).unwrap();
        let points = query_points(&mut sim, By::Link("\\DosDevices\\Z:")).unwrap();
        assert_eq!(links_of(&points), ["\\DosDevices\\Z:"], "{mode:?}");
    }
}
