//! No input panics the simulator: neither a client's request nor a volume's reply. Every
//! completion keeps `Information ≤ output length` and carries no output with an error status.

use std::sync::Mutex;

use crate::common::*;
use mountdev::testing::check_completion;
use mountdev::{IoBuffers, NtStatus, Reply};
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Sim};
use proptest::prelude::*;

/// Every mount-manager code of the header (functions 0 to 22, all access variants).
fn mm_codes() -> impl Strategy<Value = u32> {
    (
        0u32..=22,
        prop::sample::select(vec![0x006D_0000u32, 0x006D_4000, 0x006D_8000, 0x006D_C000]),
    )
        .prop_map(|(function, base)| base | (function << 2))
}

/// A mounted volume to aim requests at.
fn mounted() -> Sim {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\Z:", false));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    sim
}

/// A device answering from a script of (status, information, bytes), in a loop.
struct Scripted {
    script: Vec<(NtStatus, usize, Vec<u8>)>,
    next: Mutex<usize>,
}

impl mountmgr_client::sim::SimDevice for Scripted {
    fn device_io_control(&self, _code: u32, io: IoBuffers<'_>) -> Reply {
        let mut next = self.next.lock().unwrap();
        let (status, information, bytes) = &self.script[*next % self.script.len()];
        *next += 1;
        let out = io.into_output();
        let n = bytes.len().min(out.len());
        out[..n].copy_from_slice(&bytes[..n]);
        Reply::new(*status, *information)
    }
}

fn statuses() -> impl Strategy<Value = NtStatus> {
    prop::sample::select(vec![
        NtStatus::SUCCESS,
        NtStatus::BUFFER_OVERFLOW,
        NtStatus::BUFFER_TOO_SMALL,
        NtStatus::INVALID_PARAMETER,
        NtStatus::PENDING,
        NtStatus::NOT_FOUND,
        NtStatus(0x4000_0000),
        NtStatus(0xC000_0001),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_request(code in mm_codes(), input in prop::collection::vec(any::<u8>(), 0..160), output_len in 0usize..300) {
        let mut sim = mounted();
        let mut out = vec![0u8; output_len];
        let reply = sim.device_io_control(code, &input, &mut out);
        prop_assert_eq!(check_completion(reply, output_len), Ok(()), "{:?}", reply);
        // The state stays usable afterwards.
        let _ = sim.resolve_drive_letter('Z');
        let _ = query_points(&mut sim, By::All);
    }

    #[test]
    fn any_volume_reply(
        script in prop::collection::vec((statuses(), 0usize..80, prop::collection::vec(any::<u8>(), 0..64)), 1..12)
    ) {
        let mut sim = Sim::new();
        let device = Scripted { script, next: Mutex::new(0) };
        sim.register_device(DEVICE, std::sync::Arc::new(device), DeviceOptions::new()).unwrap();
        for _ in 0..2 {
            let status = create_point(&mut sim, "\\DosDevices\\Z:", DEVICE);
            prop_assert!(status != NtStatus::PENDING);
            let _ = arrival(&mut sim, DEVICE);
            let _ = sim.resolve_drive_letter('Z');
            let _ = sim.volume_paths(VOLUME_NAME);
            let _ = delete_points(&mut sim, By::Device(DEVICE));
            let _ = sim.device_io_control(mountdev::ioctl::IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, &[], &mut []);
        }
        for finding in sim.findings() {
            prop_assert!(finding.section.starts_with('§'));
        }
        prop_assert!(!sim.trace().to_string().is_empty());
    }
}
