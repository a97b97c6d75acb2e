//! The trace of a full mount reads as the walkthrough shows it.
#![cfg(feature = "sim")]

mod sim_common;

use mountmgr_client::sim::Sim;
use sim_common::*;

#[test]
fn print_full_mount() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    assert_eq!(create_point(&mut sim, "\\DosDevices\\Z:", DEVICE), mountdev::NtStatus::SUCCESS);
    assert_eq!(arrival(&mut sim, DEVICE), mountdev::NtStatus::SUCCESS);
    let points = query_points(&mut sim, By::Device(DEVICE)).unwrap();
    println!("{points:?}");
    let r = sim.resolve_drive_letter('Z').unwrap();
    println!("{r:?}");
    println!("{}", sim.trace());
}
