//! No parser panics on any input, and whatever a parser accepts can be walked completely.

use mountmgr_client::reply::parse_epic_number;
use mountmgr_client::{AutoMountState, DriveLetterInfo, MountPointFilter, MountPoints, Parsed, VolumePaths};
use proptest::prelude::*;

/// Touches everything a complete `MountPoints` exposes.
fn walk_points(points: &MountPoints<'_>) {
    let mut seen = 0;
    for point in points {
        let _ = (point.kind(), point.drive_letter(), point.volume_name());
        let _ = point.symbolic_link().to_string();
        let _ = point.device_name().map(|d| d.to_string());
        let _ = point.unique_id().map(<[u8]>::len);
        seen += 1;
    }
    assert_eq!(seen, points.len(), "an accepted reply must iterate to its count");
    let _ = format!("{points:?}");
}

fn check_all(bytes: &[u8]) {
    match MountPoints::parse(bytes) {
        Ok(Parsed::Complete(points)) => walk_points(&points),
        Ok(Parsed::Retry { required }) => assert!(required >= 32 && required > bytes.len()),
        Err(error) => {
            let _ = error.to_string();
        }
    }
    match VolumePaths::parse(bytes) {
        Ok(Parsed::Complete(paths)) => {
            let _ = (paths.len(), format!("{paths:?}"));
            for path in paths {
                assert!(!path.is_empty());
            }
        }
        Ok(Parsed::Retry { required }) => assert!(required > bytes.len()),
        Err(error) => {
            let _ = error.to_string();
        }
    }
    let _ = DriveLetterInfo::parse(bytes);
    let _ = AutoMountState::parse(bytes);
    let _ = parse_epic_number(bytes);
    if let Ok(filter) = MountPointFilter::parse(bytes) {
        let _ = filter.selector();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&bytes);
    }

    /// A valid reply with a few bytes overwritten: exercises the record checks far more than
    /// random bytes, which rarely get past `Size`.
    #[test]
    fn mutated_valid_reply(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut reply = crate::support::points_reply(&[
            ("\\DosDevices\\C:", Some(b"id01"), "\\Device\\HarddiskVolume1"),
            ("\\??\\Volume{00000000-0000-0000-0000-000000000043}", Some(b"id01"), "\\Device\\HarddiskVolume1"),
            ("\\mnt\\x", None, "\\Device\\HarddiskVolume2"),
        ]);
        for (index, value) in edits {
            let at = index.index(reply.len());
            reply[at] = value;
        }
        check_all(&reply);
        check_all(&reply[..cut.index(reply.len() + 1)]);
    }

    /// A valid filter with bytes overwritten.
    #[test]
    fn mutated_filter(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let mut input = crate::support::bytes_of(
            &MountPointFilter::by_device_name(mountdev::nt_name!("\\Device\\V"))
                .with_symbolic_link(mountdev::nt_name!("\\DosDevices\\Z:")),
        );
        for (index, value) in edits {
            let at = index.index(input.len());
            input[at] = value;
        }
        check_all(&input);
    }
}

#[test]
fn valid_replies_are_accepted() {
    let reply = crate::support::points_reply(&[("\\DosDevices\\C:", None, "\\Device\\V")]);
    let Parsed::Complete(points) = MountPoints::parse(&reply).unwrap() else {
        panic!("retry");
    };
    assert_eq!(points.get(0).unwrap().unique_id(), None);
    assert!(points.get(1).is_none());
}

#[test]
fn malformed_records_are_rejected() {
    use mountmgr_client::ReplyError;
    use mountmgr_client::reply::PointDefect;
    let good = crate::support::points_reply(&[("\\DosDevices\\C:", Some(b"ab"), "\\Device\\V")]);
    let patch = |offset: usize, bytes: &[u8]| {
        let mut reply = good.clone();
        reply[offset..offset + bytes.len()].copy_from_slice(bytes);
        reply
    };
    let defect = |reply: &[u8]| match MountPoints::parse(reply) {
        Err(ReplyError::Point { index: 0, defect }) => defect,
        other => panic!("expected a point defect, got {other:?}"),
    };
    // Odd link length.
    assert!(matches!(defect(&patch(12, &[27, 0])), PointDefect::OddLength { .. }));
    // Link pointing into the record array.
    assert!(matches!(
        defect(&patch(8, &[8, 0, 0, 0])),
        PointDefect::OverlapsRecords { .. }
    ));
    // Device running past Size.
    assert!(matches!(defect(&patch(28, &[200, 0])), PointDefect::OutOfBounds { .. }));
    // No link at all.
    assert!(matches!(defect(&patch(12, &[0, 0])), PointDefect::NoSymbolicLink));
    // More records than Size holds, and a Size below the header.
    assert!(matches!(
        MountPoints::parse(&patch(4, &[9, 0, 0, 0])),
        Err(ReplyError::Field { .. })
    ));
    assert!(matches!(
        MountPoints::parse(&patch(0, &[7, 0, 0, 0])),
        Err(ReplyError::Field { .. })
    ));
    assert!(matches!(MountPoints::parse(&good[..3]), Err(ReplyError::Short { .. })));
}

#[test]
fn volume_path_lists() {
    use mountmgr_client::ReplyError;
    let reply = |text: &str| {
        let list = mountdev::testing::utf16(text);
        let mut reply = (list.len() as u32).to_le_bytes().to_vec();
        reply.extend(list);
        reply
    };
    let paths = |text: &str| match VolumePaths::parse(&reply(text)) {
        Ok(Parsed::Complete(paths)) => Ok(paths.iter().map(|p| p.to_string()).collect::<Vec<_>>()),
        Ok(Parsed::Retry { .. }) => panic!("retry"),
        Err(error) => Err(error),
    };
    assert_eq!(
        paths("C:\\\0D:\\mnt\\\0\0"),
        Ok(vec!["C:\\".to_owned(), "D:\\mnt\\".to_owned()])
    );
    assert_eq!(paths("C:\\\0"), Ok(vec!["C:\\".to_owned()])); // one path, no extra NUL
    assert_eq!(paths("\0"), Ok(vec![])); // no path at all
    assert_eq!(paths("\0\0"), Ok(vec![]));
    assert_eq!(paths("C:\\"), Err(ReplyError::Unterminated));
    assert_eq!(paths("C:\\\0\0X\0"), Err(ReplyError::Unterminated));
    let mut odd = reply("C:\\\0\0");
    odd[0] = 9;
    assert!(matches!(VolumePaths::parse(&odd), Err(ReplyError::Odd { .. })));
    assert_eq!(
        VolumePaths::parse(&reply("C:\\\0\0")[..7]).unwrap(),
        Parsed::Retry { required: 14 }
    );
}
