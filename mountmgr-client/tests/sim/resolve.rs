//! What Win32 answers (`protocol.md` §7): Z: → volume GUID name → device and back, and the
//! `ERROR_INVALID_PARAMETER` of a volume the mount manager does not know.

use crate::common::*;
use mountdev::NtStatus;
use mountdev::ioctl::IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH;
use mountmgr_client::Transport;
use mountmgr_client::sim::{ResolveError, Sim, SimName};

const WIN32_VOLUME_NAME: &str = "\\\\?\\Volume{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}\\";

fn mounted_at_z() -> Sim {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    mount_at_z(&mut sim);
    sim
}

#[test]
fn z_to_volume_name_to_device_and_back() {
    let mut sim = mounted_at_z();
    let resolved = sim.resolve_drive_letter('z').unwrap();
    assert_eq!(resolved.letter, 'Z');
    assert_eq!(resolved.volume_name, WIN32_VOLUME_NAME);
    assert_eq!(resolved.device_name, SimName::new(DEVICE));
    assert_eq!(sim.volume_name_for_mount_point("Z:\\").unwrap(), WIN32_VOLUME_NAME);
    // And back: the DOS paths of the volume name are Z:\ (both spellings of the name work).
    assert_eq!(sim.volume_paths(WIN32_VOLUME_NAME).unwrap(), ["Z:\\"]);
    assert_eq!(sim.volume_paths(VOLUME_NAME).unwrap(), ["Z:\\"]);
    // Win32 asked the volume for its name, then the mount manager, as kernel32 does.
    let trace = sim.trace().to_string();
    assert!(
        trace.contains("Win32 → \\Device\\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME"),
        "{trace}"
    );
    assert!(
        trace.contains("Win32 → MM  IOCTL_MOUNTMGR_QUERY_POINTS  device=\\Device\\XtsVolume1"),
        "{trace}"
    );
    assert!(
        trace.contains("Win32 → MM  IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS"),
        "{trace}"
    );
}

#[test]
fn a_volume_that_bypasses_the_mount_manager_fails_like_win32() {
    // The CryptDisk fallback: the driver creates Z: itself; the mount manager never heard of the
    // volume (§7: SQL CE's database file, Java's getFileStore, GetFinalPathNameByHandle).
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard());
    sim.create_symbolic_link("\\DosDevices\\Z:", DEVICE).unwrap();
    let error = sim.resolve_drive_letter('Z').unwrap_err();
    assert!(
        matches!(
            error,
            ResolveError::UnknownToMountManager {
                status: NtStatus::INVALID_PARAMETER,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(error.win32_error(), 87, "ERROR_INVALID_PARAMETER");
    assert!(error.to_string().contains("does not know \\Device\\XtsVolume1"));
}

#[test]
fn a_known_volume_without_a_volume_name() {
    // The mount manager knows the device but its volume name link was deleted.
    let mut sim = mounted_at_z();
    delete_points(&mut sim, By::Link(VOLUME_NAME)).unwrap();
    let error = sim.volume_name_for_mount_point("Z:\\").unwrap_err();
    assert!(matches!(error, ResolveError::NoVolumeName { .. }), "{error}");
    assert_eq!(error.win32_error(), 87);
}

#[test]
fn missing_letters_and_bad_paths() {
    let mut sim = mounted_at_z();
    let error = sim.resolve_drive_letter('Q').unwrap_err();
    assert!(matches!(
        error,
        ResolveError::Open {
            status: NtStatus::OBJECT_NAME_NOT_FOUND,
            ..
        }
    ));
    assert_eq!(error.win32_error(), 2);
    assert!(matches!(
        sim.volume_name_for_mount_point("Z:"),
        Err(ResolveError::InvalidPath { .. })
    ));
    assert!(matches!(
        sim.volume_paths("C:\\"),
        Err(ResolveError::InvalidPath { .. })
    ));
    assert_eq!(sim.volume_paths("C:\\").unwrap_err().win32_error(), 123);
    let unknown = "\\\\?\\Volume{00000000-0000-4000-8000-000000000000}\\";
    let error = sim.volume_paths(unknown).unwrap_err();
    assert_eq!(
        error,
        ResolveError::Paths {
            status: NtStatus::OBJECT_NAME_NOT_FOUND
        }
    );
}

#[test]
fn a_volume_without_a_letter_has_no_dos_paths_but_a_dos_volume_path() {
    let mut sim = Sim::new();
    sim.set_automatic_drive_letters(false);
    register(&mut sim, TestVolume::standard());
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.volume_paths(VOLUME_NAME).unwrap(), Vec::<String>::new());
    // QUERY_DOS_VOLUME_PATH falls back to the volume GUID path (ReactOS).
    let mut out = [0u8; 256];
    let reply = sim.device_io_control(
        IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH,
        &target_name(&utf16(DEVICE)),
        &mut out,
    );
    assert_eq!(reply.status, NtStatus::SUCCESS);
    let length = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
    assert_eq!(reply.information, 4 + length);
    assert_eq!(
        &out[4..4 + length],
        utf16_nul(&format!("{}\0", &WIN32_VOLUME_NAME[..WIN32_VOLUME_NAME.len() - 1])).as_slice()
    );
}

#[test]
fn dos_volume_path_with_a_letter_and_its_overflow() {
    let mut sim = mounted_at_z();
    let input = target_name(&utf16(DEVICE));
    let mut out = [0u8; 64];
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH, &input, &mut out);
    assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, 12));
    assert_eq!(&out[..12], &[8, 0, 0, 0, b'Z', 0, b':', 0, 0, 0, 0, 0]);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH, &input, &mut out[..6]);
    assert_eq!((reply.status, reply.information), (NtStatus::BUFFER_OVERFLOW, 4));
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH, &input, &mut out[..3]);
    assert_eq!(reply.status, NtStatus::INVALID_PARAMETER);
    // The name may be a link to the device too.
    let reply = sim.device_io_control(
        IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH,
        &target_name(&utf16("\\DosDevices\\Z:")),
        &mut out,
    );
    assert_eq!(reply.status, NtStatus::SUCCESS);
}
