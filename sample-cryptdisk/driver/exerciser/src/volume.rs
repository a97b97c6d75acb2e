//! The checks of a mounted volume and of an unmounted one (Windows / Wine only).

use cryptdisk_core::control::{ListEntry, ListReply};
use cryptdisk_core::luks::LuksHeader;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::xts::XtsKeySize;
use cryptdisk_driver_logic::control_codes::{CONTROL_DEVICE_WIN32_PATH, IOCTL_CRYPTDISK_MOUNT};
use mountdev::ioctl::{
    IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, IOCTL_DISK_GET_LENGTH_INFO,
    IOCTL_DISK_IS_WRITABLE, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
    IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IOCTL_STORAGE_QUERY_PROPERTY,
};
use mountdev::layout::StoragePropertyQuery;
use mountdev::{NtStatus, Reply};
use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE};

use crate::args::VolumeOptions;
use crate::checks::{check_plain_unmount_refused, check_security, list, mount_status};
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

/// The sector size the volume reports in its geometry (`BytesPerSector`); 512 when the query
/// fails (the geometry check reports that failure).
fn reported_sector_size(volume: &Handle) -> usize {
    let mut geometry = [0u8; 24];
    let r = volume.control(IOCTL_DISK_GET_DRIVE_GEOMETRY, &[], &mut geometry);
    match usize::try_from(u32_at(&geometry, 20)) {
        Ok(n) if r.status.is_success() && n.is_power_of_two() && (512..=4096).contains(&n) => n,
        _ => 512,
    }
}

fn check_ioctls(report: &mut Report, volume: &Handle, listed: &Listed, letter: char, options: &VolumeOptions) {
    let read_only = options.read_only;
    let want_sector = options.sector_size;
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
        "geometry_has_the_expected_sector_size_within_the_length",
        r.status.is_success() && r.information == 24 && sector_bytes == want_sector && covered <= bytes && covered > 0,
        format!(
            "{r:?} C={cylinders} H={tracks} S={sectors} bytes/sector={sector_bytes} (want {want_sector}) covers {covered} of {bytes}"
        ),
    );
    // STORAGE_ACCESS_ALIGNMENT_DESCRIPTOR: BytesPerLogicalSector at 16, BytesPerPhysicalSector at 20.
    // STORAGE_PROPERTY_QUERY: PropertyId, QueryType, AdditionalParameters (+ padding): 12 bytes.
    let mut query = [0u8; 12];
    query[..4].copy_from_slice(&StoragePropertyQuery::STORAGE_ACCESS_ALIGNMENT_PROPERTY.to_le_bytes());
    query[4..8].copy_from_slice(&StoragePropertyQuery::PROPERTY_STANDARD_QUERY.to_le_bytes());
    let mut alignment = [0u8; 28];
    let r = volume.control(IOCTL_STORAGE_QUERY_PROPERTY, &query, &mut alignment);
    let (logical, physical) = (u32_at(&alignment, 16), u32_at(&alignment, 20));
    report.check(
        "access_alignment_reports_the_sector_size",
        r.status.is_success() && r.information == 28 && logical == want_sector && physical == want_sector,
        format!("{r:?} logical={logical} physical={physical} (want {want_sector})"),
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

fn check_data(
    report: &mut Report,
    volume: &Handle,
    listed: &Listed,
    options: &VolumeOptions,
    writable_handle: bool,
    sector: usize,
) {
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

    let r = volume.read_at((sector / 2) as u64, &mut vec![0u8; sector]);
    report.check(
        "misaligned_read_is_refused",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?} (half a {sector}-byte sector in)"),
    );
    if sector > 512 {
        check_512_aligned_io_refused(report, volume, &whole, sector, writable_handle && !options.read_only);
    }
    let r = volume.read_at((size - sector) as u64, &mut vec![0u8; 2 * sector]);
    report.check(
        "read_past_the_end_is_refused",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
    let r = volume.read_at(0, &mut vec![0u8; MAX_TRANSFER + sector]);
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
    let r = volume.read_at(sector as u64, &mut []);
    report.check(
        "empty_read_succeeds",
        r.status.is_success() && r.information == 0,
        format!("{r:?}"),
    );

    if options.read_only {
        let r = volume.write_at(0, &whole[..sector]);
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
        let mut after = vec![0u8; sector];
        let r = volume.read_at(0, &mut after);
        report.check(
            "refused_write_changed_nothing",
            r.status.is_success() && after[..] == whole[..sector],
            format!("{r:?}"),
        );
    }
}

/// On a volume of sectors larger than 512 bytes: reads and writes aligned to 512 bytes but not to
/// the sector are refused, and the refused write changed nothing.
fn check_512_aligned_io_refused(report: &mut Report, volume: &Handle, whole: &[u8], sector: usize, try_write: bool) {
    let refused = [(512u64, 512usize), (0, 512), (512, sector)]
        .into_iter()
        .map(|(at, len)| (at, len, volume.read_at(at, &mut vec![0u8; len])))
        .filter(|(_, _, r)| r.status != NtStatus::INVALID_PARAMETER)
        .map(|(at, len, r)| format!("{len} bytes at {at}: {r:?}"))
        .collect::<Vec<_>>();
    report.check(
        "reads_aligned_to_512_but_not_the_sector_are_refused",
        refused.is_empty(),
        format!("{sector}-byte sectors; accepted: {refused:?}"),
    );
    if !try_write {
        return;
    }
    let w = volume.write_at(512, &[0x5Au8; 512]);
    let mut after = vec![0u8; sector];
    let r = volume.read_at(0, &mut after);
    report.check(
        "write_aligned_to_512_but_not_the_sector_is_refused_and_changes_nothing",
        w.status == NtStatus::INVALID_PARAMETER && r.status.is_success() && after[..] == whole[..sector],
        format!("write {w:?}, read back {r:?}"),
    );
}

/// Writes the pattern in pieces of several sizes, concurrently from four threads too, and
/// reads it back.
fn check_writes(report: &mut Report, volume: &Handle, pattern_path: &str, offset: u64, sector: usize) {
    let pattern = match std::fs::read(pattern_path) {
        Ok(bytes)
            if bytes.len().is_multiple_of(sector) && !bytes.is_empty() && offset.is_multiple_of(sector as u64) =>
        {
            bytes
        }
        other => {
            return report.check(
                "read_pattern",
                false,
                format!("{pattern_path} at {offset} in whole {sector}-byte sectors: {other:?}"),
            );
        }
    };
    // Whole sectors: one, 4 KiB (or two sectors), 64 KiB, the maximum, three sectors.
    let sizes = [sector, (2 * sector).max(4096), 65536, MAX_TRANSFER, 3 * sector];
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

/// What a MOUNT request says about `container`, from its LUKS1 or LUKS2 header: the cipher,
/// the payload offset (512-byte sectors) and the UUID.
fn container_fields(container: &str) -> Result<(CipherSpec, u64, Uuid), String> {
    let bytes = std::fs::read(container).map_err(|e| format!("{container}: {e}"))?;
    if cryptdisk_core::luks2::binary::is_luks2(&bytes) {
        let mut device = cryptdisk_core::blockdev::MemDevice::from_vec(bytes);
        let header = cryptdisk_core::luks2::read_header(&mut device).map_err(|e| e.to_string())?;
        let key_bytes = header.metadata.key_size().ok_or("no active key slot")?;
        let key_size = XtsKeySize::from_bytes(key_bytes).map_err(|e| e.to_string())?;
        let payload = header.metadata.segment.offset / 512;
        Ok((CipherSpec::AesXtsPlain64 { key_size }, payload, header.uuid()))
    } else {
        let header = LuksHeader::parse(bytes.get(..1024).unwrap_or(&bytes)).map_err(|e| e.to_string())?;
        Ok((header.cipher(), u64::from(header.payload_offset()), header.uuid()))
    }
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
        let status = container_fields(container).map(|(cipher, payload_offset, uuid)| {
            let key: Vec<u8> = (1..=cipher.key_bytes()).map(|b| b as u8).collect();
            let key = cryptdisk_core::key::MasterKey::from_slice(&key).expect("key");
            let request = cryptdisk_core::control::MountCommandBuilder {
                path: &listed.path,
                letter: Some(b'P'),
                options: cryptdisk_core::control::MountOptions {
                    read_only: true,
                    removable: false,
                },
                cipher,
                key: &key,
                payload_offset,
                data_sectors: listed.data_sectors,
                uuid,
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
            check_ioctls(&mut report, &volume, &listed, letter, options);
            let sector = reported_sector_size(&volume);
            check_data(&mut report, &volume, &listed, options, writable_handle, sector);
            if let (Some(pattern), false) = (&options.pattern, options.read_only) {
                check_writes(&mut report, &volume, pattern, options.pattern_offset, sector);
            }
            check_control_while_mounted(&mut report, &control, &listed, letter, options);
            check_plain_unmount_refused(&mut report, &control, letter, "unmount_with_a_handle_open_is_refused");
            let r = volume.read_at(0, &mut vec![0u8; sector]);
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
