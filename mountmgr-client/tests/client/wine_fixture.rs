//! The `QUERY_POINTS` reply Wine 8.0's mount manager gave for an all-zero filter, rebuilt by hand.
//!
//! Source: `toolchain.md` §5.4 (a Rust program under Wine 8.0, `wine64` Debian 8.0~repack-4, sent
//! `IOCTL_MOUNTMGR_QUERY_POINTS`: Size 568, 4 points, unique IDs `../drive_c\0` and `/\0\0\0`)
//! and the packing of Wine's `query_mount_points` (`dlls/mountmgr.sys/mountmgr.c`): after the
//! records, per point the device name, the link and the unique ID, then padding to an even offset.
//! `ci/wine/run-mountmgr-list.sh` checks the same listing against a live Wine.

use crate::support::{FnTransport, GrowingScratch, serve_wine_style};
use mountdev::ioctl::IOCTL_MOUNTMGR_QUERY_POINTS;
use mountdev::testing::utf16;
use mountdev::{Guid, NtStatus, VolumeGuidName};
use mountmgr_client::{Client, LinkKind, MountPointFilter, MountPoints, Parsed};

const VOLUME_C: &str = "\\??\\Volume{00000000-0000-0000-0000-000000000043}";
const VOLUME_Z: &str = "\\??\\Volume{00000000-0000-0000-0000-00000000005a}";
const DEVICE_1: &str = "\\Device\\HarddiskVolume1";
const DEVICE_2: &str = "\\Device\\HarddiskVolume2";
const ID_C: &[u8] = b"../drive_c\0";
const ID_Z: &[u8] = b"/\0\0\0";

/// The 568-byte reply, laid out as Wine lays it out.
fn wine_reply() -> Vec<u8> {
    let points: [(&str, &str, &[u8]); 4] = [
        (VOLUME_C, DEVICE_1, ID_C),
        ("\\DosDevices\\C:", DEVICE_1, ID_C),
        (VOLUME_Z, DEVICE_2, ID_Z),
        ("\\DosDevices\\Z:", DEVICE_2, ID_Z),
    ];
    let mut records = Vec::new();
    let mut data = Vec::new();
    let base = 8 + 24 * points.len(); // 104
    let field = |records: &mut Vec<u8>, offset: usize, length: usize| {
        records.extend_from_slice(&(offset as u32).to_le_bytes());
        records.extend_from_slice(&(length as u16).to_le_bytes());
        records.extend_from_slice(&[0, 0]);
    };
    for (link, device, id) in points {
        let (link, device) = (utf16(link), utf16(device));
        let device_offset = base + data.len();
        data.extend_from_slice(&device);
        let link_offset = base + data.len();
        data.extend_from_slice(&link);
        let id_offset = base + data.len();
        data.extend_from_slice(id);
        if data.len() % 2 != 0 {
            data.push(0);
        }
        // Record order: link, unique ID, device (the MOUNTMGR_MOUNT_POINT field order).
        field(&mut records, link_offset, link.len());
        field(&mut records, id_offset, id.len());
        field(&mut records, device_offset, device.len());
    }
    let mut reply = Vec::new();
    reply.extend_from_slice(&((base + data.len()) as u32).to_le_bytes());
    reply.extend_from_slice(&4u32.to_le_bytes());
    reply.extend_from_slice(&records);
    reply.extend_from_slice(&data);
    reply
}

#[test]
fn fixture_has_wines_size() {
    let reply = wine_reply();
    assert_eq!(reply.len(), 568);
    assert_eq!(&reply[..8], &[0x38, 0x02, 0, 0, 4, 0, 0, 0]);
}

#[test]
fn wine_reply_parses_into_its_four_points() {
    let reply = wine_reply();
    let Parsed::Complete(points) = MountPoints::parse(&reply).unwrap() else {
        panic!("complete reply asked for a retry");
    };
    assert_eq!((points.len(), points.size()), (4, 568));
    let got: Vec<_> = points
        .iter()
        .map(|p| {
            (
                p.symbolic_link().to_string(),
                p.device_name().unwrap().to_string(),
                p.unique_id().unwrap().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (VOLUME_C.into(), DEVICE_1.into(), ID_C.to_vec()),
            ("\\DosDevices\\C:".into(), DEVICE_1.into(), ID_C.to_vec()),
            (VOLUME_Z.into(), DEVICE_2.into(), ID_Z.to_vec()),
            ("\\DosDevices\\Z:".into(), DEVICE_2.into(), ID_Z.to_vec()),
        ]
    );
    let kinds: Vec<LinkKind> = points.iter().map(|p| p.kind()).collect();
    let guid = |text: &str| VolumeGuidName::new(text.parse::<Guid>().unwrap());
    assert_eq!(
        kinds,
        [
            LinkKind::VolumeName(guid("00000000-0000-0000-0000-000000000043")),
            LinkKind::DriveLetter(mountdev::DriveLetterLink::new(b'C').unwrap()),
            LinkKind::VolumeName(guid("00000000-0000-0000-0000-00000000005a")),
            LinkKind::DriveLetter(mountdev::DriveLetterLink::new(b'Z').unwrap()),
        ]
    );
}

#[test]
fn wines_4_byte_overflow_reply_asks_for_a_retry() {
    let reply = wine_reply();
    assert_eq!(
        MountPoints::parse(&reply[..4]).unwrap(),
        Parsed::Retry { required: 568 }
    );
    // Anything short of the full reply is a retry too, never a partial list.
    for len in 4..568 {
        assert_eq!(
            MountPoints::parse(&reply[..len]).unwrap(),
            Parsed::Retry { required: 568 },
            "{len} bytes"
        );
    }
}

#[test]
fn client_probes_wine_and_retries_with_size() {
    let reply = wine_reply();
    let mut offered = Vec::new();
    let transport = FnTransport(|code: u32, input: &[u8], output: &mut [u8]| {
        assert_eq!(code, IOCTL_MOUNTMGR_QUERY_POINTS);
        assert_eq!(input, &[0u8; 24]);
        offered.push(output.len());
        serve_wine_style(&reply, output)
    });
    let mut client = Client::with_scratch(transport, GrowingScratch::default()).with_initial_output(32);
    let points = client.query_points(&MountPointFilter::all()).unwrap();
    assert_eq!(points.len(), 4);
    assert_eq!(points.get(3).unwrap().symbolic_link(), "\\DosDevices\\Z:");
    drop(client);
    assert_eq!(offered, [32, 568]);
}

#[test]
fn a_successful_reply_shorter_than_its_size_is_malformed() {
    let reply = wine_reply();
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| {
        output[..100].copy_from_slice(&reply[..100]);
        mountdev::Reply::success(100)
    });
    let mut scratch = [0u8; 1024];
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    let error = client.query_points(&MountPointFilter::all()).unwrap_err();
    assert_eq!(error.step(), mountmgr_client::Step::QueryPoints);
    assert!(matches!(error, mountmgr_client::ClientError::Reply { .. }));
    assert_eq!(error.status(), None::<NtStatus>);
}
