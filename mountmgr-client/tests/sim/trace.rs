//! The trace of a full mount reads as the walkthrough shows it: requests at the margin, the mount
//! manager's calls to the volume indented beneath them, names in text and IDs in hex.

use crate::common::*;
use mountdev::NtStatus;
use mountmgr_client::sim::{Party, Sim, TraceEvent};

/// Every line of `expected` appears in `trace`, in this order.
fn assert_in_order(trace: &str, expected: &[&str]) {
    let lines: Vec<&str> = trace.lines().collect();
    let mut at = 0;
    for wanted in expected {
        match lines[at..].iter().position(|line| line == wanted) {
            Some(found) => at += found + 1,
            None => panic!("missing (in order) line\n{wanted}\nin trace:\n{trace}"),
        }
    }
}

#[test]
fn a_full_mount_reads_as_expected() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    let trace = sim.trace().to_string();
    let uid = "7874732d636f6e7461696e65722d30303031 \"xts-container-0001\"";
    assert_in_order(
        &trace,
        &[
            "# IoCreateDevice \\Device\\XtsVolume1 (MOUNTDEV volume)",
            "→ MM  IOCTL_MOUNTMGR_CREATE_POINT  link=\\DosDevices\\Z: device=\\Device\\XtsVolume1",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=4  ← STATUS_BUFFER_OVERFLOW info=4 NameLength=36",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=40  ← STATUS_SUCCESS info=38 name=\\Device\\XtsVolume1",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_UNIQUE_ID out=4  ← STATUS_BUFFER_OVERFLOW info=4 UniqueIdLength=18",
            &format!(
                "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_UNIQUE_ID out=22  ← STATUS_SUCCESS info=20 uid={uid}"
            ),
            "  · link \\GLOBAL??\\Z: → \\Device\\XtsVolume1 (volume not processed yet)",
            &format!("  · DB: \\DosDevices\\Z: = {uid}"),
            "← STATUS_SUCCESS",
            "→ MM  IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION  device=\\Device\\XtsVolume1",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_DISK_GET_PARTITION_INFO_EX out=144  ← STATUS_INVALID_DEVICE_REQUEST",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=4  ← STATUS_BUFFER_OVERFLOW info=4 NameLength=36",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_STABLE_GUID out=16  ← STATUS_SUCCESS info=16 guid={6f1b3c2a-0d4e-4f5a-8b9c-102030405060}",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME out=6  ← STATUS_NOT_FOUND",
            "  · link \\GLOBAL??\\Z: already leads to \\Device\\XtsVolume1: kept",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_LINK_CREATED link=\\DosDevices\\Z:  ← STATUS_SUCCESS",
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS link=\\DosDevices\\Z:  ← STATUS_SUCCESS",
            &format!(
                "  · volume name (stable GUID): link \\GLOBAL??\\Volume{{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}} → \\Device\\XtsVolume1; DB: {VOLUME_NAME} = {uid}"
            ),
            &format!("  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_LINK_CREATED link={VOLUME_NAME}  ← STATUS_SUCCESS"),
            "  ↳ MM → \\Device\\XtsVolume1  IOCTL_VOLUME_ONLINE  ← STATUS_SUCCESS",
            &format!(
                "  ↳ MM → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY uid={uid} out=1036  ← STATUS_INVALID_DEVICE_REQUEST"
            ),
            "← STATUS_SUCCESS",
        ],
    );
    // Structured too: the arrival request and its nested calls.
    let events = sim.trace().events();
    let arrivals = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                TraceEvent::Request {
                    caller: Party::Client,
                    code: 0x006D_402C,
                    ..
                }
            )
        })
        .count();
    assert_eq!(arrivals, 1);
    assert!(events.iter().any(|e| matches!(
        e,
        TraceEvent::DeviceCall {
            depth: 1,
            caller: Party::MountManager,
            ..
        }
    )));
    assert_eq!(sim.trace().lines().len(), trace.lines().count());
}

#[test]
fn findings_and_outputs_show_in_the_trace() {
    let mut sim = Sim::new();
    sim.create_symbolic_link("\\DosDevices\\C:", "\\Device\\HarddiskVolume1")
        .unwrap();
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\z:", false));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let mark = sim.trace().len();
    query_points(&mut sim, By::Link("\\DosDevices\\D:")).unwrap();
    let trace = sim.trace().to_string();
    assert!(
        trace.contains("  ! [§2.18, §4.3] suggested drive letter is not a drive letter: \\Device\\XtsVolume1"),
        "{trace}"
    );
    assert!(
        trace.contains("# IoCreateSymbolicLink \\GLOBAL??\\C: → \\Device\\HarddiskVolume1"),
        "{trace}"
    );
    assert_in_order(
        &sim.trace().since(mark).to_string(),
        &[
            "→ MM  IOCTL_MOUNTMGR_QUERY_POINTS  link=\\DosDevices\\D:  out=4096",
            "← STATUS_SUCCESS info=114  1 point", // 8 + 24 + 28 + 18 + 36
            "    \\DosDevices\\D: → \\Device\\XtsVolume1  uid=7874732d636f6e7461696e65722d30303031 \"xts-container-0001\"",
        ],
    );
}

#[test]
fn the_trace_can_be_cleared_and_sliced() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    assert!(!sim.trace().is_empty());
    sim.clear_trace();
    assert!(sim.trace().is_empty());
    let _ = arrival(&mut sim, DEVICE);
    let len = sim.trace().len();
    assert!(sim.trace().since(len).is_empty());
    assert_eq!(sim.trace().since(0), *sim.trace());
}
