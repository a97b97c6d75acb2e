//! The checks of a mounted volume and of an unmounted one (Windows / Wine only).

use cryptdisk_core::control::{ListEntry, ListReply, UnmountRequest, UnmountTarget};
use cryptdisk_driver_logic::control_codes::{
    CONTROL_DEVICE_WIN32_PATH, IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT,
};
use mountdev::ioctl::{
    IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, IOCTL_DISK_GET_LENGTH_INFO,
    IOCTL_DISK_IS_WRITABLE, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
    IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
};
use mountdev::{NtStatus, Reply};
use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE};

use crate::args::VolumeOptions;
use crate::checks::{check_security, list, mount_status};
use crate::report::Report;
use crate::win::{Handle, open, query_dos_device};

/// The largest transfer the volume takes (its `MaximumTransferLength`).
const MAX_TRANSFER: usize = 1 << 20;

/// The LIST entry of the volume at `letter`, as owned values.
#[derive(Debug)]
struct Listed {
    device: u32,
    data_sectors: u64,
    fallback_link: bool,
    read_only: bool,
    uuid: [u8; 16],
    path: String,
}

fn find(control: &Handle, letter: char) -> Result<Listed, String> {
    let bytes = list(control)?;
    let reply = ListReply::parse(&bytes).map_err(|e| e.to_string())?;
    let entries: Vec<ListEntry<'_>> = reply.to_vec().map_err(|e| e.to_string())?;
    let entry = entries
        .iter()
        .find(|e| e.drive_letter == Some(letter as u8))
        .ok_or_else(|| format!("no volume at {letter}: in {} entries", entries.len()))?;
    Ok(Listed {
        device: entry.device_number,
        data_sectors: entry.data_sectors,
        fallback_link: entry.fallback_link,
        read_only: entry.read_only,
        uuid: *entry.uuid.as_bytes(),
        path: entry.path.to_string(),
    })
}

/// Opens the volume through the drive letter, else through `\\.\GLOBALROOT`.
fn open_volume(letter: char, device: u32, access: u32) -> Result<(Handle, String), String> {
    let by_letter = format!("\\\\.\\{letter}:");
    let by_device = format!("\\\\.\\GLOBALROOT\\Device\\CryptDiskVolume{device}");
    match open(&by_letter, access) {
        Ok(h) => Ok((h, by_letter)),
        Err(letter_error) => match open(&by_device, access) {
            Ok(h) => Ok((h, format!("{by_device} ({by_letter}: error {letter_error})"))),
            Err(device_error) => Err(format!(
                "{by_letter}: error {letter_error}; {by_device}: error {device_error}"
            )),
        },
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn check_ioctls(report: &mut Report, volume: &Handle, listed: &Listed, letter: char, read_only: bool) {
    let name = format!("\\Device\\CryptDiskVolume{}", listed.device);
    let name_bytes = name.len() * 2;

    let mut probe = [0u8; 4];
    let r = volume.control(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], &mut probe);
    let name_length = u16::from_le_bytes([probe[0], probe[1]]);
    report.check(
        "device_name_probe_overflows_with_the_length",
        r.status == NtStatus::BUFFER_OVERFLOW && r.information == 4 && usize::from(name_length) == name_bytes,
        format!(
            "{r:?} NameLength={name_length} (want {:?}, 4, {name_bytes})",
            NtStatus::BUFFER_OVERFLOW
        ),
    );
    let mut full = vec![0u8; 2 + usize::from(name_length)];
    let r = volume.control(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], &mut full);
    let got = utf16(&full[2..r.information.max(2)]);
    report.check(
        "device_name_full",
        r.status.is_success() && r.information == full.len() && got == name,
        format!("{r:?} {got:?}"),
    );

    let mut id = [0u8; 64];
    let r = volume.control(IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], &mut id);
    let id_len = usize::from(u16::from_le_bytes([id[0], id[1]]));
    let expected_id: Vec<u8> = b"cryptdisk-luks1:".iter().chain(&listed.uuid).copied().collect();
    report.check(
        "unique_id_is_prefix_and_luks_uuid",
        r.status.is_success() && id_len == 32 && id[2..34] == expected_id[..],
        format!("{r:?} len={id_len}"),
    );

    let mut guid = [0u8; 16];
    let r = volume.control(IOCTL_MOUNTDEV_QUERY_STABLE_GUID, &[], &mut guid);
    let u = listed.uuid;
    let expected_guid = [
        u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15],
    ];
    report.check(
        "stable_guid_is_the_luks_uuid",
        r.status.is_success() && r.information == 16 && guid == expected_guid,
        format!("{r:?}"),
    );

    let mut link = [0u8; 64];
    let r = volume.control(IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, &[], &mut link);
    let link_len = usize::from(u16::from_le_bytes([link[2], link[3]]));
    let suggested = utf16(&link[4..(4 + link_len).min(link.len())]);
    report.check(
        "suggested_link_is_the_requested_letter",
        r.status.is_success() && suggested == format!("\\DosDevices\\{letter}:") && link[0] == 0,
        format!("{r:?} {suggested:?} use_only_if_no_other_links={}", link[0]),
    );

    let bytes = listed.data_sectors * 512;
    let mut length = [0u8; 8];
    let r = volume.control(IOCTL_DISK_GET_LENGTH_INFO, &[], &mut length);
    report.check(
        "length_info_is_the_data_area",
        r.status.is_success() && r.information == 8 && u64::from_le_bytes(length) == bytes,
        format!("{r:?} length={} (want {bytes})", u64::from_le_bytes(length)),
    );

    // DISK_GEOMETRY: Cylinders (8), MediaType (4), TracksPerCylinder, SectorsPerTrack,
    // BytesPerSector (4 each).
    let mut geometry = [0u8; 24];
    let r = volume.control(IOCTL_DISK_GET_DRIVE_GEOMETRY, &[], &mut geometry);
    let (cylinders, tracks, sectors, sector_bytes) = (
        u64_at(&geometry, 0),
        u64::from(u32_at(&geometry, 12)),
        u64::from(u32_at(&geometry, 16)),
        u32_at(&geometry, 20),
    );
    let covered = cylinders * tracks * sectors * u64::from(sector_bytes);
    report.check(
        "geometry_has_512_byte_sectors_within_the_length",
        r.status.is_success() && r.information == 24 && sector_bytes == 512 && covered <= bytes && covered > 0,
        format!("{r:?} C={cylinders} H={tracks} S={sectors} bytes/sector={sector_bytes} covers {covered} of {bytes}"),
    );
    let mut geometry_ex = [0u8; 64];
    let r = volume.control(IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, &[], &mut geometry_ex);
    report.check(
        "geometry_ex_disk_size_is_the_length",
        r.status.is_success()
            && r.information >= 32
            && u64_at(&geometry_ex, 24) == bytes
            && geometry_ex[..24] == geometry[..],
        format!("{r:?} DiskSize={}", u64_at(&geometry_ex, 24)),
    );

    let r = volume.control(IOCTL_DISK_IS_WRITABLE, &[], &mut []);
    let want = if read_only {
        NtStatus::MEDIA_WRITE_PROTECTED
    } else {
        NtStatus::SUCCESS
    };
    report.check(
        "is_writable_matches_the_mount",
        r.status == want,
        format!("{r:?} (want {want:?})"),
    );
}

fn check_data(report: &mut Report, volume: &Handle, listed: &Listed, options: &VolumeOptions, writable_handle: bool) {
    let expected = match std::fs::read(&options.expect) {
        Ok(bytes) => bytes,
        Err(e) => return report.check("read_expected_plaintext", false, format!("{}: {e}", options.expect)),
    };
    let size = usize::try_from(listed.data_sectors * 512).expect("fits");
    let mut whole = vec![0u8; size];
    let mut failures = Vec::new();
    for (index, chunk) in whole.chunks_mut(256 * 1024).enumerate() {
        let r = volume.read_at((index * 256 * 1024) as u64, chunk);
        if !r.status.is_success() || r.information != chunk.len() {
            failures.push(format!("chunk {index}: {r:?}"));
        }
    }
    let equal = expected.len() == size && expected == whole;
    let first_difference = expected.iter().zip(&whole).position(|(a, b)| a != b);
    report.check(
        "volume_reads_the_expected_plaintext",
        failures.is_empty() && equal,
        format!("{size} bytes, first difference at {first_difference:?}, {failures:?}"),
    );

    let r = volume.read_at(256, &mut [0u8; 512]);
    report.check(
        "misaligned_read_is_refused",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
    let r = volume.read_at(size as u64 - 512, &mut [0u8; 1024]);
    report.check(
        "read_past_the_end_is_refused",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
    let r = volume.read_at(0, &mut vec![0u8; MAX_TRANSFER + 512]);
    report.check(
        "transfer_over_the_maximum_is_refused",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
    let r = volume.read_at(0, &mut vec![0u8; MAX_TRANSFER]);
    report.check(
        "maximum_transfer_reads",
        r.status.is_success() && r.information == MAX_TRANSFER,
        format!("{r:?}"),
    );
    let r = volume.read_at(512, &mut []);
    report.check(
        "empty_read_succeeds",
        r.status.is_success() && r.information == 0,
        format!("{r:?}"),
    );

    if options.read_only {
        let r = volume.write_at(0, &whole[..512]);
        // The driver's refusal; through a read-only handle the I/O manager refuses first.
        let want = if writable_handle {
            NtStatus::MEDIA_WRITE_PROTECTED
        } else {
            NtStatus::ACCESS_DENIED
        };
        report.check(
            "write_to_a_read_only_volume_is_refused",
            r.status == want,
            format!("{r:?} (want {want:?})"),
        );
        let mut after = [0u8; 512];
        let r = volume.read_at(0, &mut after);
        report.check(
            "refused_write_changed_nothing",
            r.status.is_success() && after[..] == whole[..512],
            format!("{r:?}"),
        );
    }
}

/// Writes the pattern in pieces of several sizes, concurrently from four threads too, and
/// reads it back.
fn check_writes(report: &mut Report, volume: &Handle, pattern_path: &str, offset: u64) {
    let pattern = match std::fs::read(pattern_path) {
        Ok(bytes) if bytes.len() % 512 == 0 && !bytes.is_empty() => bytes,
        other => return report.check("read_pattern", false, format!("{pattern_path}: {other:?}")),
    };
    let sizes = [512usize, 4096, 65536, MAX_TRANSFER, 1536];
    let mut at = 0usize;
    let mut results: Vec<Reply> = Vec::new();
    let mut turn = 0;
    while at < pattern.len() {
        let len = sizes[turn % sizes.len()].min(pattern.len() - at);
        results.push(volume.write_at(offset + at as u64, &pattern[at..at + len]));
        at += len;
        turn += 1;
    }
    let bad: Vec<&Reply> = results.iter().filter(|r| !r.status.is_success()).collect();
    report.check(
        "pattern_written_in_pieces",
        bad.is_empty(),
        format!(
            "{} writes of up to {MAX_TRANSFER} bytes, failures {bad:?}",
            results.len()
        ),
    );
    let r = volume.flush();
    report.check("flush_succeeds", r.status.is_success(), format!("{r:?}"));
    let mut back = vec![0u8; pattern.len()];
    let mut read_failures = Vec::new();
    for (index, chunk) in back.chunks_mut(MAX_TRANSFER).enumerate() {
        let r = volume.read_at(offset + (index * MAX_TRANSFER) as u64, chunk);
        if !r.status.is_success() {
            read_failures.push(r);
        }
    }
    report.check(
        "pattern_reads_back",
        read_failures.is_empty() && back == pattern,
        format!("{} bytes at {offset}, {read_failures:?}", pattern.len()),
    );

    // Four threads rewrite (with the same bytes) and re-read their quarter, 8 KiB at a time.
    let quarter = pattern.len() / 4 / 8192 * 8192;
    let mismatches = std::sync::atomic::AtomicUsize::new(0);
    let errors = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (pattern, mismatches, errors) = (&pattern, &mismatches, &errors);
            scope.spawn(move || {
                for round in 0..quarter / 8192 {
                    let start = t * quarter + round * 8192;
                    let piece = &pattern[start..start + 8192];
                    let w = volume.write_at(offset + start as u64, piece);
                    let mut again = vec![0u8; 8192];
                    let r = volume.read_at(offset + start as u64, &mut again);
                    if !w.status.is_success() || !r.status.is_success() {
                        errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    } else if again != piece {
                        mismatches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let (mismatches, errors) = (mismatches.into_inner(), errors.into_inner());
    report.check(
        "concurrent_writers_read_their_own_data",
        quarter > 0 && mismatches == 0 && errors == 0,
        format!(
            "4 threads x {} rounds: {mismatches} mismatches, {errors} errors",
            quarter / 8192
        ),
    );
}

fn check_control_while_mounted(
    report: &mut Report,
    control: &Handle,
    listed: &Listed,
    letter: char,
    options: &VolumeOptions,
) {
    if let Some(container) = &options.container {
        // The same container again, read-only, at a free letter: refused, by the driver (the
        // volume's UUID is mounted) or by the file system (no write sharing).
        let header = std::fs::File::open(container).and_then(|mut f| {
            use std::io::Read;
            let mut bytes = vec![0u8; 1024];
            f.read_exact(&mut bytes).map(|()| bytes)
        });
        let status = header
            .map_err(|e| e.to_string())
            .and_then(|bytes| cryptdisk_core::luks::LuksHeader::parse(&bytes).map_err(|e| e.to_string()))
            .map(|h| {
                let key: Vec<u8> = (1..=h.cipher().key_bytes()).map(|b| b as u8).collect();
                let key = cryptdisk_core::key::MasterKey::from_slice(&key).expect("key");
                let request = cryptdisk_core::control::MountCommandBuilder {
                    path: &listed.path,
                    letter: Some(b'P'),
                    options: cryptdisk_core::control::MountOptions {
                        read_only: true,
                        removable: false,
                    },
                    cipher: h.cipher(),
                    key: &key,
                    payload_offset: u64::from(h.payload_offset()),
                    data_sectors: listed.data_sectors,
                    uuid: h.uuid(),
                }
                .to_vec()
                .expect("request");
                mount_status(control, &request, 32)
            });
        report.check(
            "second_mount_of_the_container_is_a_sharing_violation",
            status == Ok(NtStatus::SHARING_VIOLATION),
            format!("{status:?} (want {:?})", NtStatus::SHARING_VIOLATION),
        );
    }
    let r = control.control(IOCTL_CRYPTDISK_MOUNT, &[0u8; 8], &mut [0u8; 32]);
    report.check(
        "control_still_refuses_garbage",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
    let target = format!("\\Device\\CryptDiskVolume{}", listed.device);
    let dos = query_dos_device(&format!("{letter}:"));
    report.check(
        "drive_letter_link_targets_the_volume",
        dos.as_deref() == Ok(target.as_str()),
        format!("{letter}: -> {dos:?}"),
    );
}

/// A volume the CLI mounted; returns the exit code.
pub fn run(options: &VolumeOptions) -> i32 {
    let mut report = Report::default();
    let letter = options.letter;
    let control = match open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE) {
        Ok(h) => h,
        Err(e) => {
            report.check("open_control_device", false, format!("error {e}"));
            return report.finish();
        }
    };
    let listed = match find(&control, letter) {
        Ok(l) => l,
        Err(e) => {
            report.check("list_shows_the_volume", false, e);
            return report.finish();
        }
    };
    report.check(
        "list_shows_the_volume",
        listed.read_only == options.read_only && listed.fallback_link,
        format!("{listed:?}"),
    );
    // Read-write even for a read-only mount, so that the driver (not the handle's access)
    // refuses the writes; a system that refuses write access to a read-only device gets a
    // read-only handle.
    let opened = open_volume(letter, listed.device, GENERIC_READ | GENERIC_WRITE).map(|(h, via)| (h, via, true));
    let opened = match opened {
        Err(_) if options.read_only => open_volume(letter, listed.device, GENERIC_READ).map(|(h, via)| (h, via, false)),
        other => other,
    };
    match opened {
        Ok((volume, via, writable_handle)) => {
            report.check("open_volume", true, format!("{via} (write access: {writable_handle})"));
            check_security(&mut report, &volume, "volume_");
            check_ioctls(&mut report, &volume, &listed, letter, options.read_only);
            check_data(&mut report, &volume, &listed, options, writable_handle);
            if let (Some(pattern), false) = (&options.pattern, options.read_only) {
                check_writes(&mut report, &volume, pattern, options.pattern_offset);
            }
            check_control_while_mounted(&mut report, &control, &listed, letter, options);
            let unmount = UnmountRequest {
                target: UnmountTarget::Letter(letter as u8),
                force: false,
            }
            .to_bytes();
            let r = control.control(IOCTL_CRYPTDISK_UNMOUNT, &unmount, &mut []);
            report.check(
                "unmount_with_a_handle_open_is_refused",
                r.status == NtStatus::FILES_OPEN,
                format!("{r:?} (want {:?})", NtStatus::FILES_OPEN),
            );
            let r = volume.read_at(0, &mut [0u8; 512]);
            report.check(
                "the_refused_unmount_left_the_volume_working",
                r.status.is_success(),
                format!("{r:?}"),
            );
        }
        Err(e) => report.check("open_volume", false, e),
    }
    report.finish()
}

/// Checks that the drive letter and the device of a volume are gone.
pub fn check_volume_gone(report: &mut Report, letter: char, device: u32) {
    let dos = query_dos_device(&format!("{letter}:"));
    report.check(
        "drive_letter_link_is_gone",
        dos.is_err(),
        format!("{letter}: -> {dos:?}"),
    );
    let by_device = format!("\\\\.\\GLOBALROOT\\Device\\CryptDiskVolume{device}");
    let opened = open(&by_device, GENERIC_READ).map(|_| ());
    report.check(
        "volume_device_is_gone",
        opened.is_err(),
        format!("{by_device}: {opened:?}"),
    );
}

/// A volume the CLI unmounted; returns the exit code.
pub fn run_gone(letter: char, device: u32) -> i32 {
    let mut report = Report::default();
    check_volume_gone(&mut report, letter, device);
    match open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE).map_err(|e| format!("error {e}")) {
        Ok(control) => {
            let count = list(&control).and_then(|b| ListReply::parse(&b).map(|l| l.len()).map_err(|e| e.to_string()));
            report.check("list_is_empty_again", count == Ok(0), format!("{count:?}"));
        }
        Err(e) => report.check("list_is_empty_again", false, e),
    }
    report.finish()
}
