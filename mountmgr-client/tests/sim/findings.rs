//! Volumes that break the reply rules of `protocol.md` §3 and what the simulated mount manager
//! makes of them: each broken rule is a finding naming the rule and its section.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::common::*;
use mountdev::ioctl::{
    IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_STABLE_GUID, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
    IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES,
};
use mountdev::reply::write_counted;
use mountdev::{NtStatus, Reply};
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Rule, Sim};

/// Registers the standard volume behind `patch`.
fn patched(sim: &mut Sim, patch: impl Fn(u32, &[u8], &mut [u8]) -> Option<Reply> + Send + Sync + 'static) {
    register_patched(sim, TestVolume::standard(), DeviceOptions::new(), Box::new(patch));
}

/// The counted reply the volume should give, for the patches that only change one detail.
fn name_reply(out: &mut [u8], name: &[u8]) -> Reply {
    write_counted(out, 4, &(name.len() as u16).to_le_bytes(), name)
}

#[test]
fn buffer_too_small_on_the_probe_loses_the_volume() {
    let mut sim = Sim::new();
    let fixed = Arc::new(AtomicBool::new(false));
    let fixed_in_patch = fixed.clone();
    // The CryptDisk field report's "Buffer too small [4,52]" (protocol.md §0.1, §3.3): the driver
    // refuses the 4-byte probe with an error instead of STATUS_BUFFER_OVERFLOW.
    patched(&mut sim, move |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_UNIQUE_ID && out.len() < 20 && !fixed_in_patch.load(Ordering::Relaxed))
            .then(|| Reply::error(NtStatus::BUFFER_TOO_SMALL))
    });
    assert_eq!(
        create_point(&mut sim, "\\DosDevices\\Z:", DEVICE),
        NtStatus::BUFFER_TOO_SMALL
    );
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::BUFFER_TOO_SMALL);
    // No links at all, nothing recorded, the volume on the unprocessed list.
    assert!(sim.links().next().is_none());
    assert!(sim.database().is_empty());
    assert!(sim.volumes().is_empty());
    assert_eq!(sim.unprocessed(), [mountmgr_client::sim::SimName::new(DEVICE)]);
    // The finding names §3.3, and the mount manager never retried the query.
    let findings = sim.findings_of(Rule::TooSmallBufferStatus);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].section.contains("§3.3"));
    assert!(
        findings[0].to_string().contains("STATUS_BUFFER_TOO_SMALL"),
        "{}",
        findings[0]
    );
    let unique_id_queries = sim
        .trace()
        .lines()
        .iter()
        .filter(|line| line.contains("↳ MM →") && line.contains("IOCTL_MOUNTDEV_QUERY_UNIQUE_ID"))
        .count();
    assert_eq!(
        unique_id_queries,
        2,
        "one probe per request, no retry:\n{}",
        sim.trace()
    );

    // Once the driver is fixed, CHECK_UNPROCESSED_VOLUMES brings the volume in.
    fixed.store(true, Ordering::Relaxed);
    let reply = sim.device_io_control(IOCTL_MOUNTMGR_CHECK_UNPROCESSED_VOLUMES, &[], &mut []);
    assert_eq!(reply.status, NtStatus::SUCCESS);
    assert!(sim.unprocessed().is_empty());
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
}

#[test]
fn a_failing_mandatory_query_is_reported() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, _| {
        (code == IOCTL_MOUNTDEV_QUERY_DEVICE_NAME).then(|| Reply::error(NtStatus::INVALID_DEVICE_REQUEST))
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::INVALID_DEVICE_REQUEST);
    assert_eq!(sim.findings_of(Rule::MandatoryQueryFailed).len(), 1);
    assert_eq!(sim.unprocessed().len(), 1);
}

#[test]
fn overflow_with_information_beyond_the_buffer() {
    // VeraCrypt's anti-pattern (§3.2): OVERFLOW with Information 4 for a 2-byte buffer. The mount
    // manager offers 4 bytes, so make the volume claim 8.
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_DEVICE_NAME && out.len() == 4).then(|| {
            out[..2].copy_from_slice(&36u16.to_le_bytes());
            Reply::new(NtStatus::BUFFER_OVERFLOW, 8)
        })
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let exceeds = sim.findings_of(Rule::InformationExceedsBuffer);
    assert_eq!(exceeds.len(), 1);
    assert_eq!(exceeds[0].section, "§3.1");
    // Clamped to the buffer, Information is 4 = sizeof: no second finding for the same reply.
    assert!(sim.findings_of(Rule::OverflowInformation).is_empty());
}

#[test]
fn overflow_without_the_length_field_or_with_the_wrong_information() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| match code {
        // The length field is left 0.
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME if out.len() == 4 => Some(Reply::new(NtStatus::BUFFER_OVERFLOW, 4)),
        // The length field is written but not counted in Information.
        IOCTL_MOUNTDEV_QUERY_UNIQUE_ID if out.len() == 4 => {
            out[..2].copy_from_slice(&(UNIQUE_ID.len() as u16).to_le_bytes());
            Some(Reply::new(NtStatus::BUFFER_OVERFLOW, 0))
        }
        _ => None,
    });
    // With a length of 0 the retry offers 4 bytes again and gets OVERFLOW again: no volume.
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::BUFFER_OVERFLOW);
    assert_eq!(sim.findings_of(Rule::OverflowWithoutLength).len(), 1);
    assert!(sim.findings_of(Rule::OverflowWithoutLength)[0].section.contains("§3.2"));
    assert!(sim.volumes().is_empty());

    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_UNIQUE_ID && out.len() == 4).then(|| {
            out[..2].copy_from_slice(&(UNIQUE_ID.len() as u16).to_le_bytes());
            Reply::new(NtStatus::BUFFER_OVERFLOW, 2)
        })
    });
    // Information 2 copies the length field back, so the retry works, but it is not sizeof.
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    assert_eq!(sim.findings_of(Rule::OverflowInformation).len(), 1);
}

#[test]
fn success_without_data() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| match code {
        // Writes the ID but reports no bytes: the mount manager's buffer stays empty.
        IOCTL_MOUNTDEV_QUERY_UNIQUE_ID if out.len() >= 2 + UNIQUE_ID.len() => {
            out[..2].copy_from_slice(&(UNIQUE_ID.len() as u16).to_le_bytes());
            out[2..2 + UNIQUE_ID.len()].copy_from_slice(UNIQUE_ID);
            Some(Reply::success(0))
        }
        IOCTL_MOUNTDEV_QUERY_STABLE_GUID => Some(Reply::success(4)),
        _ => None,
    });
    let _ = arrival(&mut sim, DEVICE);
    let findings = sim.findings_of(Rule::SuccessWithoutData);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings.iter().all(|f| f.section == "§3.2"));
    // With nothing copied back the ID reads as empty: another finding.
    assert_eq!(sim.findings_of(Rule::EmptyUniqueId).len(), 1);
}

#[test]
fn a_device_name_with_a_counted_terminator() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_DEVICE_NAME).then(|| name_reply(out, &utf16_nul(DEVICE)))
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let nul = sim.findings_of(Rule::NulInName);
    assert_eq!(nul.len(), 1);
    assert_eq!(nul[0].section, "§2.1, §8.1");
    // Only trailing NULs differ from the registered name: no separate mismatch finding.
    assert!(sim.findings_of(Rule::DeviceNameMismatch).is_empty());
    // The links point at `\Device\XtsVolume1\0`, which does not exist: Win32 cannot open C:.
    let error = sim.resolve_drive_letter('C').unwrap_err();
    assert_eq!(error.win32_error(), 2, "{error}");
}

#[test]
fn a_device_name_that_is_not_the_registered_one() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_DEVICE_NAME).then(|| name_reply(out, &utf16("\\Device\\XtsVolume2")))
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let mismatch = sim.findings_of(Rule::DeviceNameMismatch);
    assert_eq!(mismatch.len(), 1);
    assert!(mismatch[0].detail.contains("XtsVolume2"));
    assert!(sim.volume("\\Device\\XtsVolume2").is_some());
}

#[test]
fn an_odd_name_length() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_DEVICE_NAME).then(|| name_reply(out, &utf16(DEVICE)[..35]))
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::UNSUCCESSFUL);
    assert_eq!(sim.findings_of(Rule::OddNameLength).len(), 1);
    assert_eq!(sim.unprocessed().len(), 1);
}

#[test]
fn a_unique_id_that_changes_between_queries() {
    let mut sim = Sim::new();
    let counter = Arc::new(AtomicU32::new(0));
    patched(&mut sim, move |code, _, out| {
        (code == IOCTL_MOUNTDEV_QUERY_UNIQUE_ID).then(|| {
            let n = counter.fetch_add(1, Ordering::Relaxed) / 2; // a new ID per probe + query pair
            let id = format!("id-{n}");
            write_counted(out, 4, &(id.len() as u16).to_le_bytes(), id.as_bytes())
        })
    });
    mount_at_z(&mut sim);
    let changed = sim.findings_of(Rule::UniqueIdChanged);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].section, "§4.5");
    // CREATE_POINT recorded Z: for id-0, arrival saw id-1: it gets an automatic letter instead.
    assert_eq!(sim.volume(DEVICE).unwrap().drive_letter(), Some('C'));
    assert_eq!(sim.database().drive_letters_of(b"id-0"), ['Z']);
}

#[test]
fn unique_id_change_notify_answered_with_success_and_garbage() {
    let mut sim = Sim::new();
    patched(&mut sim, |code, _, out| {
        (code == IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY).then(|| {
            out[..16].fill(0xAB);
            Reply::success(16)
        })
    });
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let garbage = sim.findings_of(Rule::ChangeNotifyGarbage);
    assert_eq!(garbage.len(), 1);
    assert_eq!(garbage[0].section, "§1.2");
}

#[test]
fn a_well_behaved_volume_has_no_findings() {
    let mut sim = Sim::new();
    register(&mut sim, TestVolume::standard().suggesting("\\DosDevices\\Z:", false));
    assert_eq!(arrival(&mut sim, DEVICE), NtStatus::SUCCESS);
    let _ = delete_points(&mut sim, By::Device(DEVICE)).unwrap();
    assert!(sim.findings().is_empty(), "{:?}", sim.findings());
}
