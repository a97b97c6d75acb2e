//! The control-device checks (Windows / Wine only): security, LIST, refused MOUNT and UNMOUNT
//! requests, unknown codes, access.

use std::ffi::c_void;
use std::os::windows::io::AsRawHandle;
use std::ptr::null_mut;

use cryptdisk_core::control::{ListReply, MountCommandBuilder, MountOptions, UnmountRequest, UnmountTarget};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::luks::LuksHeader;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::xts::XtsKeySize;
use cryptdisk_driver_logic::control_codes::{
    CONTROL_DEVICE_WIN32_PATH, FILE_DEVICE_UNKNOWN, IOCTL_CRYPTDISK_LIST, IOCTL_CRYPTDISK_MOUNT,
    IOCTL_CRYPTDISK_UNMOUNT,
};
use mountdev::NtStatus;
use mountdev::ioctl::{Access, Method, ctl_code};
use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_FUNCTION, GENERIC_READ, GENERIC_WRITE,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, DACL_SECURITY_INFORMATION, EqualSid, GetAce, GetKernelObjectSecurity,
    GetSecurityDescriptorControl, GetSecurityDescriptorDacl, IsValidSid, PSECURITY_DESCRIPTOR, SE_DACL_PROTECTED,
};
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};

use crate::report::Report;
use crate::win::{Handle, last_error, open, win32_ioctl};

/// `ACCESS_ALLOWED_ACE_TYPE`.
const ACCESS_ALLOWED_ACE_TYPE: u8 = 0;
/// `S-1-5-18` (LocalSystem).
const SID_SY: [u8; 12] = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
/// `S-1-5-32-544` (BUILTIN\Administrators).
const SID_BA: [u8; 16] = [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0];

/// Whether this process runs under Wine (ntdll exports `wine_get_version`).
fn running_under_wine() -> bool {
    // SAFETY: a NUL-terminated module name; ntdll is always loaded.
    let ntdll = unsafe { GetModuleHandleA(c"ntdll.dll".as_ptr().cast()) };
    if ntdll.is_null() {
        return false;
    }
    // SAFETY: a loaded module and a NUL-terminated export name.
    unsafe { GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()) }.is_some()
}

/// The handle's security descriptor (DACL part), self-relative, as GetKernelObjectSecurity
/// returns it.
fn dacl_descriptor(handle: &Handle) -> Result<Vec<u8>, u32> {
    let mut needed = 0u32;
    // SAFETY: a size query with a null buffer of length 0.
    let ok = unsafe {
        GetKernelObjectSecurity(
            handle.as_raw_handle(),
            DACL_SECURITY_INFORMATION,
            null_mut(),
            0,
            &mut needed,
        )
    };
    if ok == 0 && last_error() != ERROR_INSUFFICIENT_BUFFER {
        return Err(last_error());
    }
    let mut buffer = vec![0u8; needed.max(1) as usize];
    // SAFETY: `buffer` has `needed` writable bytes.
    let ok = unsafe {
        GetKernelObjectSecurity(
            handle.as_raw_handle(),
            DACL_SECURITY_INFORMATION,
            buffer.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    };
    if ok == 0 { Err(last_error()) } else { Ok(buffer) }
}

/// What the DACL says: protected flag, and the SIDs of the allowed ACEs (None for other ACEs).
struct DaclSummary {
    present: bool,
    protected: bool,
    allowed: Vec<Option<Vec<u8>>>,
}

fn summarize(descriptor: &mut [u8]) -> Result<DaclSummary, u32> {
    let sd: PSECURITY_DESCRIPTOR = descriptor.as_mut_ptr().cast();
    let (mut control, mut revision) = (0u16, 0u32);
    // SAFETY: `sd` is the self-relative descriptor GetKernelObjectSecurity wrote.
    if unsafe { GetSecurityDescriptorControl(sd, &mut control, &mut revision) } == 0 {
        return Err(last_error());
    }
    let (mut present, mut defaulted) = (0i32, 0i32);
    let mut acl: *mut ACL = null_mut();
    // SAFETY: as above; out-pointers to locals.
    if unsafe { GetSecurityDescriptorDacl(sd, &mut present, &mut acl, &mut defaulted) } == 0 {
        return Err(last_error());
    }
    let mut summary = DaclSummary {
        present: present != 0 && !acl.is_null(),
        protected: control & SE_DACL_PROTECTED != 0,
        allowed: Vec::new(),
    };
    if !summary.present {
        return Ok(summary);
    }
    // SAFETY: `acl` points into `descriptor`, which outlives this function's use of it.
    let count = unsafe { (*acl).AceCount };
    for index in 0..u32::from(count) {
        let mut ace: *mut c_void = null_mut();
        // SAFETY: `index` < AceCount of a valid ACL.
        if unsafe { GetAce(acl, index, &mut ace) } == 0 {
            return Err(last_error());
        }
        // SAFETY: GetAce returned a pointer to an ACE inside the ACL.
        let header = unsafe { *ace.cast::<ACE_HEADER>() };
        if header.AceType != ACCESS_ALLOWED_ACE_TYPE {
            summary.allowed.push(None);
            continue;
        }
        let sid = ace
            .cast::<u8>()
            .wrapping_add(std::mem::offset_of!(ACCESS_ALLOWED_ACE, SidStart));
        // SAFETY: an ACCESS_ALLOWED_ACE's SID starts at SidStart.
        if unsafe { IsValidSid(sid.cast()) } == 0 {
            summary.allowed.push(None);
            continue;
        }
        let known: [&[u8]; 2] = [&SID_SY, &SID_BA];
        let mut matched = None;
        for candidate in known {
            // SAFETY: both are valid SIDs (the candidate is a well-formed constant).
            if unsafe { EqualSid(sid.cast(), candidate.as_ptr().cast_mut().cast()) } != 0 {
                matched = Some(candidate.to_vec());
            }
        }
        summary.allowed.push(Some(matched.unwrap_or_default()));
    }
    Ok(summary)
}

/// Checks that `handle`'s device has a protected DACL allowing exactly SY and BA; `what` prefixes
/// the check names (empty for the control device, `volume_` for a volume device).
pub fn check_security(report: &mut Report, handle: &Handle, what: &str) {
    let mut descriptor = match dacl_descriptor(handle) {
        Ok(d) => d,
        Err(e) => {
            return report.check(
                &format!("{what}security_descriptor_readable"),
                false,
                format!("GetKernelObjectSecurity error {e}"),
            );
        }
    };
    report.check(
        &format!("{what}security_descriptor_readable"),
        true,
        format!("{} bytes", descriptor.len()),
    );
    let summary = match summarize(&mut descriptor) {
        Ok(s) => s,
        Err(e) => return report.check(&format!("{what}dacl_parsed"), false, format!("error {e}")),
    };
    let sids: Vec<&str> = summary
        .allowed
        .iter()
        .map(|s| match s.as_deref() {
            Some(sid) if sid == SID_SY => "SY",
            Some(sid) if sid == SID_BA => "BA",
            Some(_) => "other-allow",
            None => "not-allow",
        })
        .collect();
    let detail = format!(
        "present={} protected={} allowed={sids:?}",
        summary.present, summary.protected
    );
    if !summary.present && running_under_wine() {
        println!(
            "NOTE {what}dacl_check_skipped: Wine returns the handle's own descriptor (no DACL), not the \
             device object's; the DACL is checked on Windows only ({detail})"
        );
        return;
    }
    let only_sy_and_ba = summary.present && sids.len() == 2 && sids.contains(&"SY") && sids.contains(&"BA");
    report.check(&format!("{what}dacl_allows_only_sy_and_ba"), only_sy_and_ba, &detail);
    report.check(&format!("{what}dacl_protected"), summary.protected, detail);
}

/// A key no volume uses (the driver refuses these requests before the key matters).
fn dummy_key(bytes: usize) -> MasterKey {
    let key: Vec<u8> = (1..=bytes).map(|b| b as u8).collect();
    MasterKey::from_slice(&key).expect("32 or 64 bytes")
}

/// What a MOUNT request asks for, in the exerciser's terms.
struct MountAsk<'a> {
    path: &'a str,
    letter: Option<u8>,
    read_only: bool,
    cipher: CipherSpec,
    payload_offset: u64,
    data_sectors: u64,
    uuid: Uuid,
}

impl MountAsk<'_> {
    /// The request with a key no volume uses.
    fn bytes(&self) -> Vec<u8> {
        self.bytes_with(&dummy_key(self.cipher.key_bytes()))
    }

    /// The request with `key`.
    fn bytes_with(&self, key: &MasterKey) -> Vec<u8> {
        MountCommandBuilder {
            path: self.path,
            letter: self.letter,
            options: MountOptions {
                read_only: self.read_only,
                removable: false,
            },
            cipher: self.cipher,
            key,
            payload_offset: self.payload_offset,
            data_sectors: self.data_sectors,
            uuid: self.uuid,
        }
        .to_vec()
        .expect("a valid request")
    }
}

/// Sends MOUNT and returns the status (with a 32-byte reply buffer unless `output` says).
pub fn mount_status(handle: &Handle, request: &[u8], output: usize) -> NtStatus {
    let mut reply = vec![0u8; output];
    handle.control(IOCTL_CRYPTDISK_MOUNT, request, &mut reply).status
}

/// Sends a plain (not forced) UNMOUNT of the volume at `letter` and checks, as `name`, that
/// the driver refuses it with `STATUS_FILES_OPEN` (a handle or a file system still uses it).
pub fn check_plain_unmount_refused(report: &mut Report, control: &Handle, letter: char, name: &str) {
    let unmount = UnmountRequest {
        target: UnmountTarget::Letter(letter as u8),
        force: false,
    }
    .to_bytes();
    let r = control.control(IOCTL_CRYPTDISK_UNMOUNT, &unmount, &mut []);
    report.check(
        name,
        r.status == NtStatus::FILES_OPEN,
        format!("{r:?} (want {:?})", NtStatus::FILES_OPEN),
    );
}

/// The LIST reply, following the Size-then-retry convention.
pub fn list(handle: &Handle) -> Result<Vec<u8>, String> {
    let mut probe = [0u8; 16];
    let first = handle.control(IOCTL_CRYPTDISK_LIST, &[], &mut probe);
    let size = match ListReply::parse(&probe[..first.information.min(16)]) {
        Ok(_) if first.status.is_success() => return Ok(probe[..first.information].to_vec()),
        Err(cryptdisk_core::control::ControlError::NeedsRetry { size }) => size,
        other => return Err(format!("LIST probe: {first:?} {other:?}")),
    };
    let mut full = vec![0u8; size];
    let second = handle.control(IOCTL_CRYPTDISK_LIST, &[], &mut full);
    if !second.status.is_success() {
        return Err(format!("LIST with {size} bytes: {second:?}"));
    }
    full.truncate(second.information);
    Ok(full)
}

fn check_list_empty(report: &mut Report, handle: &Handle) {
    let mut tiny = [0xA5u8; 8];
    let r = handle.control(IOCTL_CRYPTDISK_LIST, &[], &mut tiny);
    report.check(
        "list_refuses_less_than_a_header",
        r.status == NtStatus::BUFFER_TOO_SMALL && r.information == 0,
        format!("{r:?}"),
    );
    match list(handle) {
        Ok(bytes) => {
            let parsed = ListReply::parse(&bytes).map(|l| l.len());
            report.check(
                "list_is_empty",
                parsed == Ok(0) && bytes.len() == 16,
                format!("{parsed:?}, {} bytes", bytes.len()),
            );
        }
        Err(e) => report.check("list_is_empty", false, e),
    }
}

fn check_malformed_requests(report: &mut Report, handle: &Handle) {
    let some_path = "\\??\\C:\\does-not-exist.luks";
    let ask = MountAsk {
        path: some_path,
        letter: None,
        read_only: true,
        cipher: CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        },
        payload_offset: 4096,
        data_sectors: 8192,
        uuid: Uuid::from_bytes([7; 16]),
    };
    let good = ask.bytes();
    let mut bad_magic = good.clone();
    bad_magic[0] ^= 0xFF;
    let mut output = [0xA5u8; 64];
    let r = handle.control(IOCTL_CRYPTDISK_MOUNT, &bad_magic, &mut output);
    report.check(
        "mount_bad_magic_is_invalid_parameter",
        r.status == NtStatus::INVALID_PARAMETER && output.iter().all(|&b| b == 0xA5),
        format!("{r:?}"),
    );
    for (name, input) in [
        ("mount_garbage", &[1u8, 2, 3, 4][..]),
        ("mount_truncated", &good[..good.len() - 2]),
    ] {
        let status = mount_status(handle, input, 32);
        report.check(
            &format!("{name}_is_invalid_parameter"),
            status == NtStatus::INVALID_PARAMETER,
            format!("status {status:?}"),
        );
    }
    let status = mount_status(handle, &good, 16);
    report.check(
        "mount_with_a_short_reply_buffer_is_refused_first",
        status == NtStatus::BUFFER_TOO_SMALL,
        format!("status {status:?}"),
    );
    let status = mount_status(handle, &good, 32);
    report.check(
        "mount_of_a_missing_file_fails_to_open_it",
        status == NtStatus::OBJECT_NAME_NOT_FOUND,
        format!("status {status:?} (want {:?})", NtStatus::OBJECT_NAME_NOT_FOUND),
    );
    // Opened in the caller's context as a file (FILE_NON_DIRECTORY_FILE): a directory is no
    // container.
    let status = mount_status(
        handle,
        &MountAsk {
            path: "\\??\\C:\\windows",
            ..ask
        }
        .bytes(),
        32,
    );
    report.check(
        "mount_of_a_directory_is_refused_by_the_open",
        status == FILE_IS_A_DIRECTORY,
        format!("status {status:?} (want {FILE_IS_A_DIRECTORY:?})"),
    );
    let not_luks = "C:\\not-luks.bin";
    let status = match std::fs::write(not_luks, vec![0u8; 1 << 20]) {
        Ok(()) => mount_status(
            handle,
            &MountAsk {
                path: "\\??\\C:\\not-luks.bin",
                ..ask
            }
            .bytes(),
            32,
        ),
        Err(e) => {
            report.check("write_not_luks_file", false, e);
            NtStatus::SUCCESS
        }
    };
    let _ = std::fs::remove_file(not_luks);
    report.check(
        "mount_of_a_file_without_luks_header_is_unrecognized",
        status == NtStatus::UNRECOGNIZED_VOLUME,
        format!("status {status:?} (want {:?})", NtStatus::UNRECOGNIZED_VOLUME),
    );
    let unmount = UnmountRequest {
        target: UnmountTarget::Letter(b'Q'),
        force: false,
    }
    .to_bytes();
    let r = handle.control(IOCTL_CRYPTDISK_UNMOUNT, &unmount, &mut []);
    report.check(
        "unmount_of_nothing_is_not_found",
        r.status == NtStatus::NOT_FOUND,
        format!("{r:?}"),
    );
    let r = handle.control(IOCTL_CRYPTDISK_UNMOUNT, &unmount[..15], &mut []);
    report.check(
        "unmount_short_is_invalid_parameter",
        r.status == NtStatus::INVALID_PARAMETER,
        format!("{r:?}"),
    );
}

/// The master key of `container`, unlocked with the passphrase in `key_file` (its exact bytes).
fn master_key(container: &str, key_file: &str) -> Result<MasterKey, String> {
    let bytes = std::fs::read(container).map_err(|e| format!("{container}: {e}"))?;
    let passphrase = std::fs::read(key_file).map_err(|e| format!("{key_file}: {e}"))?;
    let mut device = cryptdisk_core::blockdev::MemDevice::from_vec(bytes);
    cryptdisk_core::luks::unlock(&mut device, &passphrase)
        .map(|unlocked| unlocked.master_key)
        .map_err(|e| format!("unlock {container}: {e}"))
}

/// `STATUS_FILE_IS_A_DIRECTORY`.
const FILE_IS_A_DIRECTORY: NtStatus = NtStatus::from_i32(i32::from_ne_bytes(0xC000_00BA_u32.to_ne_bytes()));

/// With a real, unmounted container: requests that disagree with its header are refused, and
/// so are a key one bit off its digest and a drive letter that exists (C:). Nothing stays
/// mounted.
fn check_against_container(report: &mut Report, handle: &Handle, container: &str, key_file: Option<&str>) {
    let header = match std::fs::read(container)
        .map_err(|e| e.to_string())
        .and_then(|bytes| LuksHeader::parse(&bytes[..1024.min(bytes.len())]).map_err(|e| e.to_string()))
    {
        Ok(h) => h,
        Err(e) => return report.check("read_container_header", false, format!("{container}: {e}")),
    };
    let file_sectors = std::fs::metadata(container).map(|m| m.len() / 512).unwrap_or(0);
    let nt_path = format!("\\??\\{container}");
    let payload = u64::from(header.payload_offset());
    let right = MountAsk {
        path: &nt_path,
        letter: Some(b'P'),
        read_only: true,
        cipher: header.cipher(),
        payload_offset: payload,
        data_sectors: file_sectors - payload,
        uuid: header.uuid(),
    };
    let other_key_size = match header.cipher() {
        CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        } => XtsKeySize::Bits256,
        _ => XtsKeySize::Bits512,
    };
    let cases = [
        (
            "uuid",
            MountAsk {
                uuid: Uuid::from_bytes([0x42; 16]),
                ..right
            },
        ),
        (
            "payload_offset",
            MountAsk {
                payload_offset: payload + 8,
                ..right
            },
        ),
        (
            "data_sectors",
            MountAsk {
                data_sectors: right.data_sectors - 1,
                ..right
            },
        ),
        (
            "key_size",
            MountAsk {
                cipher: CipherSpec::AesXtsPlain64 {
                    key_size: other_key_size,
                },
                ..right
            },
        ),
    ];
    for (field, ask) in cases {
        let status = mount_status(handle, &ask.bytes(), 32);
        report.check(
            &format!("mount_with_other_{field}_is_refused"),
            status == NtStatus::INVALID_PARAMETER,
            format!("status {status:?} (want {:?})", NtStatus::INVALID_PARAMETER),
        );
    }
    let key = match key_file.map(|file| master_key(container, file)) {
        Some(Ok(key)) => key,
        Some(Err(e)) => return report.check("unlock_container", false, e),
        None => return report.check("unlock_container", false, "needs --key-file"),
    };
    let mut off = key.as_bytes().to_vec();
    off[5] ^= 0x10;
    let off = MasterKey::from_slice(&off).expect("same length");
    let status = mount_status(handle, &right.bytes_with(&off), 32);
    report.check(
        "mount_with_a_key_one_bit_off_is_a_wrong_password",
        status == cryptdisk_driver_logic::mount_check::STATUS_WRONG_KEY,
        format!(
            "status {status:?} (want {:?})",
            cryptdisk_driver_logic::mount_check::STATUS_WRONG_KEY
        ),
    );
    let status = mount_status(
        handle,
        &MountAsk {
            letter: Some(b'C'),
            ..right
        }
        .bytes_with(&key),
        32,
    );
    report.check(
        "mount_at_an_existing_letter_is_refused",
        status == NtStatus::OBJECT_NAME_COLLISION,
        format!("C: status {status:?} (want {:?})", NtStatus::OBJECT_NAME_COLLISION),
    );
    match list(handle).map(|bytes| ListReply::parse(&bytes).map(|l| l.len())) {
        Ok(Ok(0)) => report.check("refused_mounts_leave_nothing_mounted", true, ""),
        other => report.check("refused_mounts_leave_nothing_mounted", false, format!("{other:?}")),
    }
}

fn check_unknown_codes(report: &mut Report, handle: &Handle) {
    for (name, code) in [
        (
            "unknown_vendor_ioctl",
            ctl_code(FILE_DEVICE_UNKNOWN, 0x803, Method::Buffered, Access::READ_WRITE),
        ),
        (
            "unknown_neither_ioctl",
            ctl_code(FILE_DEVICE_UNKNOWN, 0x900, Method::Neither, Access::ANY),
        ),
        (
            "mountdev_ioctl_on_control",
            mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
        ),
    ] {
        let mut output = [0u8; 16];
        let (ok, _, error) = win32_ioctl(handle, code, &[], &mut output);
        let r = handle.control(code, &[], &mut output);
        report.check(
            name,
            !ok && r.status == NtStatus::INVALID_DEVICE_REQUEST && error == ERROR_INVALID_FUNCTION,
            format!(
                "code={code:#010x} {r:?} win32 error {error} (want status {:?}, error 1)",
                NtStatus::INVALID_DEVICE_REQUEST
            ),
        );
    }
}

/// The control-device checks; returns the exit code.
pub fn run(container: Option<&str>, key_file: Option<&str>) -> i32 {
    let mut report = Report::default();
    match open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE) {
        Ok(handle) => {
            report.check("open_control_device", true, CONTROL_DEVICE_WIN32_PATH);
            check_security(&mut report, &handle, "");
            check_list_empty(&mut report, &handle);
            check_malformed_requests(&mut report, &handle);
            if let Some(container) = container {
                check_against_container(&mut report, &handle, container, key_file);
            }
            check_unknown_codes(&mut report, &handle);
        }
        Err(error) => report.check("open_control_device", false, format!("error {error}")),
    }
    match open(CONTROL_DEVICE_WIN32_PATH, 0) {
        Ok(handle) => {
            let (ok, _, error) = win32_ioctl(&handle, IOCTL_CRYPTDISK_MOUNT, &[], &mut [0u8; 32]);
            report.check(
                "mount_needs_read_write_access",
                !ok && error == ERROR_ACCESS_DENIED,
                format!("error {error} (want 5)"),
            );
        }
        Err(error) => report.check(
            "mount_needs_read_write_access",
            false,
            format!("open with no access: error {error}"),
        ),
    }
    report.finish()
}

/// After `sc stop`: the control device is gone, and so is the volume left mounted, if any.
pub fn run_unloaded(volume: Option<(char, u32)>) -> i32 {
    let mut report = Report::default();
    let result = open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE);
    report.check(
        "control_device_gone_after_unload",
        result.is_err(),
        format!("open error {:?}", result.err()),
    );
    if let Some((letter, device)) = volume {
        crate::volume::check_volume_gone(&mut report, letter, device);
    }
    report.finish()
}
