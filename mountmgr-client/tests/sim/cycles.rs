//! A hundred mount / unmount cycles: a stable unique ID keeps `MountedDevices` bounded, a
//! per-mount unique ID makes it grow (Dokany #579, `protocol.md` §4.2 step 6, §4.5, §7.2).

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::IOCTL_MOUNTMGR_SCRUB_REGISTRY;
use mountmgr_client::Transport;
use mountmgr_client::sim::{Database, Sim, SimConfig, SimMode};

const CYCLES: usize = 100;

/// How a test unmounts.
#[derive(Clone, Copy)]
enum Unmount {
    /// DELETE_POINTS naming the drive letter only (VeraCrypt, CryptDisk).
    ByLetter,
    /// DELETE_POINTS naming the device (Dokany): only with a new unique ID per mount, since
    /// Windows ignores later arrivals of a unique ID deleted this way.
    ByDevice,
}

/// CREATE_POINT(Z:) + ARRIVAL, verified with QUERY_POINTS.
fn mount(sim: &mut Sim, volume: TestVolume) {
    register(sim, volume);
    mount_at_z(sim);
    let points = query_points(sim, By::Device(DEVICE)).unwrap();
    assert_eq!(
        points.iter().filter(|p| p.link.starts_with("\\DosDevices\\")).count(),
        1
    );
    assert_eq!(sim.drive_letters(), ['Z']);
}

fn unmount(sim: &mut Sim, how: Unmount) {
    let deleted = match how {
        Unmount::ByLetter => delete_points(sim, By::Link("\\DosDevices\\Z:")).unwrap(),
        Unmount::ByDevice => delete_points(sim, By::Device(DEVICE)).unwrap(),
    };
    assert!(!deleted.is_empty());
    sim.remove_device(DEVICE).unwrap();
    assert!(sim.drive_letters().is_empty());
}

/// The database after each mount of `cycles` cycles.
fn run(sim: &mut Sim, how: Unmount, volume: impl Fn(usize) -> TestVolume) -> Vec<Database> {
    (0..CYCLES)
        .map(|cycle| {
            mount(sim, volume(cycle));
            let snapshot = sim.database().clone();
            unmount(sim, how);
            snapshot
        })
        .collect()
}

/// Whether `snapshots` stop changing after the first mount and hold exactly one volume-name value.
fn bounded_from_the_second_mount(snapshots: &[Database]) {
    assert_eq!(snapshots[0].len(), 2, "Z: and the volume GUID name");
    // From the second mount on, the `#{GUID}` marker the first letter-only unmount recorded stays
    // (the path of CREATE_POINT for a volume the mount manager has not processed leaves markers
    // alone, ReactOS `MountMgrCreatePointWorker`): one more value, never one per mount.
    assert_eq!(snapshots[1].len(), 3);
    assert_eq!(snapshots[1], snapshots[CYCLES - 1], "the same values, not just as many");
    for snapshot in snapshots {
        assert_eq!(snapshot.iter().filter(|(name, _)| name.is_volume_name()).count(), 1);
    }
}

#[test]
fn stable_unique_id_and_guid_keep_the_database_bounded() {
    for mode in [SimMode::Windows, SimMode::Reactos] {
        let mut sim = Sim::with_config(SimConfig::new().mode(mode));
        let snapshots = run(&mut sim, Unmount::ByLetter, |_| TestVolume::standard());
        if mode == SimMode::Windows {
            bounded_from_the_second_mount(&snapshots);
        } else {
            // ReactOS keeps the entry: every later CREATE_POINT takes the known-volume path, which
            // deletes the marker again.
            assert_eq!(snapshots[0], snapshots[CYCLES - 1]);
        }
        assert!(sim.findings().is_empty(), "{:?}", sim.findings());
    }
}

#[test]
fn stable_unique_id_without_stable_guid_keeps_the_database_bounded_too() {
    // The generated volume GUID is recorded at the first mount and recreated from the database.
    let mut sim = Sim::with_config(SimConfig::new().guid_seed(7));
    let snapshots = run(&mut sim, Unmount::ByLetter, |_| TestVolume::new(DEVICE, UNIQUE_ID));
    bounded_from_the_second_mount(&snapshots);
}

#[test]
fn per_mount_unique_id_grows_the_database_dokany_579() {
    let mut sim = Sim::new();
    let snapshots = run(&mut sim, Unmount::ByLetter, |cycle| {
        TestVolume::new(DEVICE, format!("dokan-mount-{cycle}").as_bytes())
    });
    // Each unmount leaves the old ID's volume GUID name and its "no drive letter" marker behind.
    let sizes: Vec<usize> = snapshots.iter().map(Database::len).collect();
    assert_eq!(sizes[0], 2);
    for (cycle, pair) in sizes.windows(2).enumerate() {
        assert_eq!(pair[1], pair[0] + 2, "cycle {cycle}: {sizes:?}");
    }
    assert_eq!(sizes[CYCLES - 1], 2 * CYCLES);
    let volume_names = snapshots[CYCLES - 1]
        .iter()
        .filter(|(name, _)| name.is_volume_name())
        .count();
    assert_eq!(volume_names, CYCLES, "one \\??\\Volume{{GUID}} value per mount");

    // SCRUB_REGISTRY drops every value whose unique ID belongs to no volume the MM knows.
    mount(&mut sim, TestVolume::new(DEVICE, b"dokan-mount-final"));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_SCRUB_REGISTRY, &[], &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert_eq!(sim.database().len(), 2);
    assert!(sim.database().iter().all(|(_, id)| id == b"dokan-mount-final"));
}

#[test]
fn per_mount_unique_id_with_a_clean_forget_does_not_grow() {
    // DELETE_POINTS by device name deletes every link's value: the growth needs a partial delete.
    let mut sim = Sim::new();
    let snapshots = run(&mut sim, Unmount::ByDevice, |cycle| {
        TestVolume::new(DEVICE, format!("dokan-mount-{cycle}").as_bytes())
    });
    assert_eq!(snapshots[0].len(), snapshots[CYCLES - 1].len());
    assert_ne!(snapshots[0], snapshots[CYCLES - 1], "different IDs and GUIDs each time");
    assert!(sim.database().is_empty());
}
