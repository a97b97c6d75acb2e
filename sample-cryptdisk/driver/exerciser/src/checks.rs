//! The checks against the loaded driver (Windows / Wine only).

use std::ffi::c_void;
use std::ptr::{null, null_mut};

use windows_sys::Wdk::System::IO::NtDeviceIoControlFile;
use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_FUNCTION, GENERIC_READ, GENERIC_WRITE,
    GetLastError, HANDLE, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, DACL_SECURITY_INFORMATION, EqualSid, GetAce, GetKernelObjectSecurity,
    GetSecurityDescriptorControl, GetSecurityDescriptorDacl, IsValidSid, PSECURITY_DESCRIPTOR, SE_DACL_PROTECTED,
};
use windows_sys::Win32::Storage::FileSystem::{CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING};
use windows_sys::Win32::System::IO::{DeviceIoControl, IO_STATUS_BLOCK};
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};

use crate::control_codes::{
    CONTROL_DEVICE_WIN32_PATH, FILE_DEVICE_UNKNOWN, IOCTL_CRYPTDISK_LIST, IOCTL_CRYPTDISK_MOUNT,
    IOCTL_CRYPTDISK_UNMOUNT,
};
use crate::report::Report;
use mountdev::ioctl::{Access, Method, ctl_code};

/// `STATUS_NOT_IMPLEMENTED`.
const STATUS_NOT_IMPLEMENTED: u32 = 0xC000_0002;
/// `STATUS_INVALID_DEVICE_REQUEST`.
const STATUS_INVALID_DEVICE_REQUEST: u32 = 0xC000_0010;

/// `ACCESS_ALLOWED_ACE_TYPE`.
const ACCESS_ALLOWED_ACE_TYPE: u8 = 0;
/// `S-1-5-18` (LocalSystem).
const SID_SY: [u8; 12] = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
/// `S-1-5-32-544` (BUILTIN\Administrators).
const SID_BA: [u8; 16] = [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0];

/// An open handle, closed on drop.
struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle this program opened, closed once.
        unsafe { CloseHandle(self.0) };
    }
}

fn last_error() -> u32 {
    // SAFETY: no arguments; reads the thread's last-error value.
    unsafe { GetLastError() }
}

fn open(path: &str, access: u32) -> Result<Handle, u32> {
    let wide: Vec<u16> = path.encode_utf16().chain(Some(0)).collect();
    // SAFETY: `wide` is a NUL-terminated UTF-16 path; no security attributes or template.
    let handle = unsafe {
        CreateFileW(
            wide.as_ptr(),
            access,
            FILE_SHARE_READ | FILE_SHARE_WRITE,
            null(),
            OPEN_EXISTING,
            0,
            null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        Err(last_error())
    } else {
        Ok(Handle(handle))
    }
}

/// How one request went, seen through Win32 and through the native API.
#[derive(Debug)]
struct Outcome {
    /// `DeviceIoControl` succeeded.
    ok: bool,
    /// Bytes `DeviceIoControl` returned.
    returned: u32,
    /// `GetLastError()` after `DeviceIoControl` (0 on success).
    error: u32,
    /// The NTSTATUS of the same request sent with `NtDeviceIoControlFile` (synchronous handle,
    /// so it is the status the driver completed the IRP with).
    status: u32,
}

/// Sends the request twice: through `DeviceIoControl` (the Win32 error) and through
/// `NtDeviceIoControlFile` (the NTSTATUS, which Win32 folds: `STATUS_NOT_IMPLEMENTED` and
/// `STATUS_INVALID_DEVICE_REQUEST` both become `ERROR_INVALID_FUNCTION`). Every request the
/// exerciser sends is stateless in phase 1, so sending it twice changes nothing.
fn ioctl(handle: &Handle, code: u32, input: &[u8], output: &mut [u8]) -> Outcome {
    let mut returned = 0u32;
    // SAFETY: the buffers are valid for the lengths passed; synchronous handle, no OVERLAPPED.
    let ok = unsafe {
        DeviceIoControl(
            handle.0,
            code,
            input.as_ptr().cast(),
            input.len() as u32,
            output.as_mut_ptr().cast(),
            output.len() as u32,
            &mut returned,
            null_mut(),
        )
    } != 0;
    let error = if ok { 0 } else { last_error() };
    // SAFETY: IO_STATUS_BLOCK is plain data; all-zero is a valid initial value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    // SAFETY: as above; a synchronous handle, so the call completes before it returns.
    let status = unsafe {
        NtDeviceIoControlFile(
            handle.0,
            null_mut(),
            None,
            null(),
            &mut iosb,
            code,
            input.as_ptr().cast(),
            input.len() as u32,
            output.as_mut_ptr().cast(),
            output.len() as u32,
        )
    };
    Outcome {
        ok,
        returned,
        error,
        status: status as u32,
    }
}

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
    let ok = unsafe { GetKernelObjectSecurity(handle.0, DACL_SECURITY_INFORMATION, null_mut(), 0, &mut needed) };
    if ok == 0 && last_error() != ERROR_INSUFFICIENT_BUFFER {
        return Err(last_error());
    }
    let mut buffer = vec![0u8; needed.max(1) as usize];
    // SAFETY: `buffer` has `needed` writable bytes.
    let ok = unsafe {
        GetKernelObjectSecurity(
            handle.0,
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

fn check_security(report: &mut Report, handle: &Handle) {
    let mut descriptor = match dacl_descriptor(handle) {
        Ok(d) => d,
        Err(e) => {
            return report.check(
                "security_descriptor_readable",
                false,
                format!("GetKernelObjectSecurity error {e}"),
            );
        }
    };
    report.check(
        "security_descriptor_readable",
        true,
        format!("{} bytes", descriptor.len()),
    );
    let summary = match summarize(&mut descriptor) {
        Ok(s) => s,
        Err(e) => return report.check("dacl_parsed", false, format!("error {e}")),
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
            "NOTE dacl_check_skipped: Wine returns the handle's own descriptor (no DACL), not the \
             device object's; the DACL is checked on Windows only ({detail})"
        );
        return;
    }
    let only_sy_and_ba = summary.present && sids.len() == 2 && sids.contains(&"SY") && sids.contains(&"BA");
    report.check("dacl_allows_only_sy_and_ba", only_sy_and_ba, &detail);
    report.check("dacl_protected", summary.protected, detail);
}

fn check_control_codes(report: &mut Report, handle: &Handle) {
    for (name, code) in [
        ("mount", IOCTL_CRYPTDISK_MOUNT),
        ("unmount", IOCTL_CRYPTDISK_UNMOUNT),
        ("list", IOCTL_CRYPTDISK_LIST),
    ] {
        let mut output = [0xA5u8; 64];
        let r = ioctl(handle, code, &[1, 2, 3, 4], &mut output);
        report.check(
            &format!("{name}_not_implemented"),
            !r.ok
                && r.status == STATUS_NOT_IMPLEMENTED
                && r.error == ERROR_INVALID_FUNCTION
                && r.returned == 0
                && output.iter().all(|&b| b == 0xA5),
            format!("code={code:#010x} {r:?} (want status {STATUS_NOT_IMPLEMENTED:#x}, error 1, nothing written)"),
        );
    }
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
        let r = ioctl(handle, code, &[], &mut output);
        report.check(
            name,
            !r.ok && r.status == STATUS_INVALID_DEVICE_REQUEST && r.error == ERROR_INVALID_FUNCTION,
            format!("code={code:#010x} {r:?} (want status {STATUS_INVALID_DEVICE_REQUEST:#x}, error 1)"),
        );
    }
}

/// Runs the checks; returns the exit code.
pub fn run(unloaded: bool) -> i32 {
    let mut report = Report::default();
    if unloaded {
        let result = open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE);
        report.check(
            "control_device_gone_after_unload",
            result.is_err(),
            format!("open error {:?}", result.err()),
        );
        return report.finish();
    }
    match open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE) {
        Ok(handle) => {
            report.check("open_control_device", true, CONTROL_DEVICE_WIN32_PATH);
            check_security(&mut report, &handle);
            check_control_codes(&mut report, &handle);
        }
        Err(error) => report.check("open_control_device", false, format!("error {error}")),
    }
    match open(CONTROL_DEVICE_WIN32_PATH, 0) {
        Ok(handle) => {
            let r = ioctl(&handle, IOCTL_CRYPTDISK_MOUNT, &[], &mut [0u8; 16]);
            report.check(
                "mount_needs_read_write_access",
                !r.ok && r.error == ERROR_ACCESS_DENIED,
                format!("{r:?} (want error 5)"),
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
