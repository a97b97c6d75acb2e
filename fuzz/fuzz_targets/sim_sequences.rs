//! The mount-manager simulator, in either mode, driven by arbitrary request sequences (through the real client's
//! request builders, plus raw IOCTLs) against conforming volumes, with reboots and device
//! removals in between. After every step: no panic, every reply keeps its invariants, a conforming
//! volume draws no finding, no volume has two drive letters, every drive letter in the namespace
//! is recorded in the database for the volume it points at, and the database only holds the
//! unique IDs of the volumes and a bounded number of values.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mountdev::{DriveLetterLink, Guid, MountdevVolume, NtName, UniqueId, nt_name};
use mountmgr_client::sim::{DeviceOptions, Sim, SimConfig, SimMode, VolumeDevice};
use mountmgr_client::{CreatePointRequest, MountPointFilter, TargetNameRequest, Transport, WireRequest};

struct Vol {
    device: NtName<'static>,
    id: &'static [u8],
    guid: Option<Guid>,
}

impl MountdevVolume for Vol {
    fn device_name(&self) -> NtName<'_> {
        self.device
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(self.id).expect("non-empty literal")
    }
    fn stable_guid(&self) -> Option<Guid> {
        self.guid
    }
}

const DEVICES: [NtName<'static>; 3] = [
    nt_name!("\\Device\\FuzzVolume0"),
    nt_name!("\\Device\\FuzzVolume1"),
    nt_name!("\\Device\\FuzzVolume2"),
];
const IDS: [&[u8]; 3] = [b"fuzz-volume-id-0", b"fuzz-volume-id-1", b"fuzz-volume-id-2"];

#[derive(Debug, Arbitrary)]
enum Op {
    CreatePoint {
        letter: u8,
        device: u8,
    },
    Arrival {
        device: u8,
    },
    Query {
        filter: u8,
        device: u8,
        letter: u8,
        output: u16,
    },
    Delete {
        filter: u8,
        device: u8,
        letter: u8,
        db_only: bool,
        output: u16,
    },
    Register {
        device: u8,
    },
    Remove {
        device: u8,
    },
    Reboot,
    CheckUnprocessed,
    Raw {
        code: u32,
        input: Vec<u8>,
        output: u16,
    },
}

fn register(sim: &mut Sim, index: usize) {
    let guid = (index != 2).then(|| Guid::new(0x1000 + index as u32, 1, 2, [index as u8; 8]));
    let volume = Vol {
        device: DEVICES[index],
        id: IDS[index],
        guid,
    };
    let _ = sim.register_volume(VolumeDevice::new(volume), DeviceOptions::new());
}

/// A drive letter from C: to Z:.
fn letter(byte: u8) -> DriveLetterLink {
    DriveLetterLink::new(b'C' + byte % 24).expect("C..=Z")
}

/// A QUERY/DELETE_POINTS input selecting all points, a device, a unique ID or a drive letter.
fn filter_input(kind: u8, device: u8, letter_byte: u8) -> Vec<u8> {
    let device = usize::from(device % 3);
    let link = letter(letter_byte);
    let filter = match kind % 4 {
        0 => MountPointFilter::all(),
        1 => MountPointFilter::by_device_name(DEVICES[device]),
        2 => MountPointFilter::by_unique_id(UniqueId::new(IDS[device]).expect("literal")),
        _ => MountPointFilter::by_drive_letter(&link),
    };
    filter.to_vec().expect("fits")
}

fn send(sim: &mut Sim, code: u32, input: &[u8], output: u16) {
    let mut out = vec![0u8; usize::from(output % 4096)];
    let reply = sim.device_io_control(code, input, &mut out);
    assert!(reply.information <= out.len(), "{reply:?}");
    assert!(!(reply.status.is_error() && reply.information != 0), "{reply:?}");
}

fn check(sim: &Sim) {
    assert!(
        sim.findings().is_empty(),
        "conforming volumes drew findings: {:?}",
        sim.findings()
    );
    for volume in sim.volumes() {
        // Online letters only: DELETE_POINTS_DBONLY leaves a letter in the entry, marked offline.
        let letters = volume
            .links()
            .iter()
            .filter(|l| l.drive_letter().is_some() && !volume.is_offline(l))
            .count();
        assert!(letters <= 1, "two drive letters: {:?}", volume.links());
    }
    for (name, id) in sim.database().iter() {
        assert!(IDS.contains(&id), "foreign unique ID in the database under {name:?}");
    }
    // Per unique ID at most: one letter, one volume name, one no-letter marker, plus letters the
    // volume kept while absent (each letter name is a single value, so 26 bound the rest).
    assert!(
        sim.database().len() <= 26 + 3 * 3,
        "database grew to {}",
        sim.database().len()
    );
    for index in 0..3 {
        let recorded = sim.database().drive_letters_of(IDS[index]);
        assert!(
            recorded.len() <= 1,
            "volume {index} has letters {recorded:?} in the database"
        );
    }
}

fuzz_target!(|input: (bool, Vec<Op>)| {
    let (reactos, ops) = input;
    let mode = if reactos { SimMode::Reactos } else { SimMode::Windows };
    let mut sim = Sim::with_config(SimConfig::new().mode(mode));
    for index in 0..3 {
        register(&mut sim, index);
    }
    for op in ops.into_iter().take(64) {
        match op {
            Op::CreatePoint { letter: byte, device } => {
                let link = letter(byte);
                let input = CreatePointRequest::drive_letter(&link, DEVICES[usize::from(device % 3)])
                    .to_vec()
                    .expect("fits");
                send(&mut sim, mountdev::ioctl::IOCTL_MOUNTMGR_CREATE_POINT, &input, 0);
            }
            Op::Arrival { device } => {
                let input = TargetNameRequest::new(DEVICES[usize::from(device % 3)])
                    .to_vec()
                    .expect("fits");
                send(
                    &mut sim,
                    mountdev::ioctl::IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
                    &input,
                    0,
                );
            }
            Op::Query {
                filter,
                device,
                letter,
                output,
            } => {
                let input = filter_input(filter, device, letter);
                send(&mut sim, mountdev::ioctl::IOCTL_MOUNTMGR_QUERY_POINTS, &input, output);
            }
            Op::Delete {
                filter,
                device,
                letter,
                db_only,
                output,
            } => {
                let input = filter_input(filter, device, letter);
                let code = if db_only {
                    mountdev::ioctl::IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY
                } else {
                    mountdev::ioctl::IOCTL_MOUNTMGR_DELETE_POINTS
                };
                send(&mut sim, code, &input, output);
            }
            Op::Register { device } => register(&mut sim, usize::from(device % 3)),
            Op::Remove { device } => {
                let _ = sim.remove_device(&DEVICES[usize::from(device % 3)].to_string());
            }
            Op::Reboot => {
                sim.reboot();
                for index in 0..3 {
                    register(&mut sim, index);
                }
            }
            Op::CheckUnprocessed => {
                send(
                    &mut sim,
                    mountdev::ioctl::IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES,
                    &[],
                    0,
                );
            }
            Op::Raw { code, input, output } => send(&mut sim, code, &input, output),
        }
        check(&sim);
    }
});
