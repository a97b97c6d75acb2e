//! The client's probe-and-retry logic against scripted mount managers: overflow then success
//! (Wine's 4-byte and ReactOS's 32-byte overflow replies), the retry bound, fixed scratches,
//! refusals with their step and status, and broken transports.

use crate::support::{FnTransport, GrowingScratch, Scripted, points_reply, reactos_overflow};
use mountdev::ioctl::{
    IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER,
    IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT, IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS, IOCTL_MOUNTMGR_QUERY_POINTS,
};
use mountdev::{NtStatus, Reply, nt_name};
use mountmgr_client::{
    AutoMountState, Client, ClientError, CreatePointRequest, MountPointFilter, Step, TargetNameRequest,
};

fn one_point() -> Vec<u8> {
    points_reply(&[("\\DosDevices\\Z:", Some(b"xts-0001"), "\\Device\\XtsVolume1")])
}

#[test]
fn overflow_then_success_reactos_style() {
    let full = one_point();
    let filter = MountPointFilter::all();
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &filter,
            reactos_overflow(full.len(), 1),
            NtStatus::BUFFER_OVERFLOW,
        )
        .expect_request(IOCTL_MOUNTMGR_QUERY_POINTS, &filter, full.clone(), NtStatus::SUCCESS);
    let mut client = Client::with_scratch(script, GrowingScratch::default()).with_initial_output(32);
    let points = client.query_points(&filter).unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points.get(0).unwrap().symbolic_link(), "\\DosDevices\\Z:");
    let (script, _) = client.into_parts();
    assert!(script.is_done());
    assert_eq!(
        script.offered,
        [
            (IOCTL_MOUNTMGR_QUERY_POINTS, 32),
            (IOCTL_MOUNTMGR_QUERY_POINTS, full.len())
        ]
    );
}

#[test]
fn retry_bound_is_enforced() {
    // A mount manager whose list grows between every two requests.
    let mut calls = 0u8;
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| {
        calls += 1;
        let size = output.len() as u32 + 100;
        output[..4].copy_from_slice(&size.to_le_bytes());
        Reply::new(NtStatus::BUFFER_OVERFLOW, 4)
    });
    let mut client = Client::with_scratch(transport, GrowingScratch::default()).with_max_attempts(3);
    let error = client.query_points(&MountPointFilter::all()).unwrap_err();
    assert!(
        matches!(error, ClientError::RetriesExhausted { step: Step::QueryPoints, attempts: 3, required } if required > 1024),
        "{error:?}"
    );
    drop(client);
    assert_eq!(calls, 3);
}

#[test]
fn growing_is_bounded_by_max_output() {
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| {
        output[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        Reply::new(NtStatus::BUFFER_OVERFLOW, 4)
    });
    let mut client = Client::with_scratch(transport, GrowingScratch::default()).with_max_output(1 << 16);
    assert!(matches!(
        client.query_points(&MountPointFilter::all()),
        Err(ClientError::ReplyTooLarge {
            step: Step::QueryPoints,
            limit: 65536,
            ..
        })
    ));
}

#[test]
fn fixed_scratch_reports_the_size_it_needs() {
    let full = points_reply(&[
        ("\\DosDevices\\Z:", Some(b"xts-0001"), "\\Device\\XtsVolume1"),
        (
            "\\??\\Volume{00000000-0000-0000-0000-000000000001}",
            Some(b"xts-0001"),
            "\\Device\\XtsVolume1",
        ),
    ]);
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| crate::support::serve_wine_style(&full, output));
    let mut scratch = [0u8; 128];
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    assert_eq!(
        client.query_points(&MountPointFilter::all()).unwrap_err(),
        ClientError::ScratchTooSmall {
            step: Step::QueryPoints,
            required: 24 + full.len()
        }
    );
    // The same scratch, made big enough, gets the whole reply in one request.
    let mut big = vec![0u8; 24 + full.len()];
    let (transport, _) = client.into_parts();
    let mut client = Client::with_scratch(transport, &mut big[..]);
    assert_eq!(client.query_points(&MountPointFilter::all()).unwrap().len(), 2);
}

#[test]
fn refusals_name_the_step_and_status() {
    let device = nt_name!("\\Device\\XtsVolume1");
    let link = nt_name!("\\DosDevices\\Z:");
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_CREATE_POINT,
            &CreatePointRequest::new(link, device),
            vec![],
            NtStatus::ACCESS_DENIED,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_POINTS,
            &MountPointFilter::by_device_name(device),
            vec![],
            NtStatus::INVALID_PARAMETER,
        );
    let mut scratch = [0u8; 512];
    let mut client = Client::with_scratch(script, &mut scratch[..]);
    let error = client.create_point(link, device).unwrap_err();
    assert_eq!(
        error,
        ClientError::Refused {
            step: Step::CreatePoint,
            status: NtStatus::ACCESS_DENIED
        }
    );
    assert!(error.to_string().contains("IOCTL_MOUNTMGR_CREATE_POINT"));
    assert!(error.to_string().contains("administrator"));
    let error = client
        .query_points(&MountPointFilter::by_device_name(device))
        .unwrap_err();
    assert_eq!(
        (error.step(), error.status()),
        (Step::QueryPoints, Some(NtStatus::INVALID_PARAMETER))
    );
}

#[test]
fn warnings_other_than_overflow_and_pending_are_refusals() {
    for status in [NtStatus::PENDING, NtStatus::VERIFY_REQUIRED] {
        let transport = FnTransport(move |_: u32, _: &[u8], _: &mut [u8]| Reply::new(status, 0));
        let mut scratch = [0u8; 64];
        let mut client = Client::with_scratch(transport, &mut scratch[..]);
        assert_eq!(
            client.volume_arrival(nt_name!("\\Device\\V")),
            Err(ClientError::Refused {
                step: Step::VolumeArrival,
                status
            })
        );
    }
    // BUFFER_OVERFLOW on a fixed-size output is a refusal too, not a retry.
    let transport = FnTransport(|_: u32, _: &[u8], _: &mut [u8]| Reply::new(NtStatus::BUFFER_OVERFLOW, 0));
    let mut scratch = [0u8; 64];
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    assert_eq!(
        client.query_auto_mount(),
        Err(ClientError::Refused {
            step: Step::QueryAutoMount,
            status: NtStatus::BUFFER_OVERFLOW
        })
    );
}

#[test]
fn broken_transports_are_caught() {
    // More Information than the output holds.
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| Reply::success(output.len() + 1));
    let mut scratch = [0u8; 128];
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    assert!(matches!(
        client.query_points(&MountPointFilter::all()),
        Err(ClientError::InconsistentReply {
            step: Step::QueryPoints,
            ..
        })
    ));
    // Output bytes with an error status.
    let transport = FnTransport(|_: u32, _: &[u8], _: &mut [u8]| Reply::new(NtStatus::INVALID_PARAMETER, 4));
    let mut scratch = [0u8; 128];
    let mut client = Client::with_scratch(transport, &mut scratch[..]);
    assert!(matches!(
        client.query_points(&MountPointFilter::all()),
        Err(ClientError::InconsistentReply { .. })
    ));
    // An overflow reply too short to hold Size.
    let transport = FnTransport(|_: u32, _: &[u8], _: &mut [u8]| Reply::new(NtStatus::BUFFER_OVERFLOW, 2));
    let mut client = Client::with_scratch(transport, GrowingScratch::default());
    assert!(matches!(
        client.query_points(&MountPointFilter::all()),
        Err(ClientError::Reply {
            step: Step::QueryPoints,
            ..
        })
    ));
}

#[test]
fn volume_paths_are_probed_with_multi_sz_length() {
    let device = nt_name!("\\Device\\XtsVolume1");
    let list = mountdev::testing::utf16("Z:\\\0\0");
    let mut full = (list.len() as u32).to_le_bytes().to_vec();
    full.extend(&list);
    let request = TargetNameRequest::new(device);
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS,
            &request,
            full[..4].to_vec(),
            NtStatus::BUFFER_OVERFLOW,
        )
        .expect_request(
            IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS,
            &request,
            full.clone(),
            NtStatus::SUCCESS,
        );
    let mut client = Client::with_scratch(script, GrowingScratch::default()).with_initial_output(4);
    let paths = client.query_dos_volume_paths(device).unwrap();
    assert_eq!(paths.iter().map(|p| p.to_string()).collect::<Vec<_>>(), ["Z:\\"]);
    let (script, _) = client.into_parts();
    // The first offer is raised to sizeof(MOUNTMGR_VOLUME_PATHS) = 8; the retry gets 4 + 10.
    assert_eq!(script.offered.iter().map(|o| o.1).collect::<Vec<_>>(), [8, 14]);
}

#[test]
fn fixed_outputs_are_parsed() {
    let device = nt_name!("\\Device\\XtsVolume1");
    let script = Scripted::new()
        .expect_request(
            IOCTL_MOUNTMGR_NEXT_DRIVE_LETTER,
            &TargetNameRequest::new(device),
            vec![1, b'E'],
            NtStatus::SUCCESS,
        )
        .expect(
            IOCTL_MOUNTMGR_QUERY_AUTO_MOUNT,
            vec![],
            vec![0, 0, 0, 0],
            NtStatus::SUCCESS,
        );
    let mut scratch = [0u8; 64];
    let mut client = Client::with_scratch(script, &mut scratch[..]);
    let info = client.next_drive_letter(device).unwrap();
    assert!(info.was_assigned);
    assert_eq!(info.current.unwrap().letter(), 'E');
    assert_eq!(client.query_auto_mount(), Ok(AutoMountState::Disabled));
}

#[test]
fn delete_points_offers_a_page_first() {
    let device = nt_name!("\\Device\\XtsVolume1");
    let filter = MountPointFilter::by_device_name(device);
    let script = Scripted::new().expect_request(IOCTL_MOUNTMGR_DELETE_POINTS, &filter, one_point(), NtStatus::SUCCESS);
    let mut client = Client::with_scratch(script, GrowingScratch::default());
    assert_eq!(client.delete_points(&filter).unwrap().len(), 1);
    let (script, _) = client.into_parts();
    assert_eq!(script.offered, [(IOCTL_MOUNTMGR_DELETE_POINTS, 4096)]);
}

#[cfg(feature = "alloc")]
#[test]
fn vec_scratch_grows() {
    let full = one_point();
    let transport = FnTransport(|_: u32, _: &[u8], output: &mut [u8]| crate::support::serve_wine_style(&full, output));
    let mut client = Client::new(transport).with_initial_output(32);
    assert_eq!(client.query_points(&MountPointFilter::all()).unwrap().len(), 1);
    let (_, scratch) = client.into_parts();
    assert_eq!(scratch.len(), 24 + full.len());
}
