//! The checks (Windows only).

use std::ptr::{null, null_mut};

use mountdev::ioctl::{
    IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_LENGTH_INFO, IOCTL_DISK_GET_PARTITION_INFO_EX,
    IOCTL_DISK_IS_WRITABLE, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
    IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
    IOCTL_STORAGE_GET_HOTPLUG_INFO,
};
use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_FILE_NOT_FOUND, ERROR_INVALID_FUNCTION, ERROR_INVALID_PARAMETER, ERROR_IO_PENDING,
    ERROR_MORE_DATA, ERROR_OPERATION_ABORTED, ERROR_PATH_NOT_FOUND, GENERIC_READ, GENERIC_WRITE, GetLastError, HANDLE,
    INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, FILE_FLAG_OVERLAPPED, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING, ReadFile, WriteFile,
};
use windows_sys::Win32::System::IO::{CancelIoEx, DeviceIoControl, GetOverlappedResult, OVERLAPPED};

const DEVICE_NAME: &str = "\\Device\\RamDiskVolume0";
const UNIQUE_ID: &[u8] = b"mountdev sample-ramdisk volume 0";
const SIZE: u64 = 8 << 20;
/// The RAM disk's own control: switch to the other unique ID (FILE_DEVICE_UNKNOWN, function
/// 0x800, buffered, any access).
const RENEW_ID: u32 = 0x0022_2000;
const RENEWED_ID: &[u8] = b"mountdev sample-ramdisk volume 0, renewed";
/// A private code nobody owns (function 0x801).
const PRIVATE_CODE: u32 = 0x0022_2004;

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn check(&mut self, name: &str, ok: bool, detail: impl std::fmt::Display) {
        if ok {
            self.passed += 1;
            println!("PASS {name} {detail}");
        } else {
            self.failed += 1;
            println!("FAIL {name} {detail}");
        }
    }
}

struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a handle this program opened, closed once.
        unsafe { CloseHandle(self.0) };
    }
}

fn open(letter: &str, flags: u32) -> Result<Handle, u32> {
    let path: Vec<u16> = format!("\\\\.\\{letter}:").encode_utf16().chain([0]).collect();
    // SAFETY: a NUL-terminated path; no security attributes or template.
    let handle = unsafe {
        CreateFileW(
            path.as_ptr(),
            GENERIC_READ | GENERIC_WRITE,
            FILE_SHARE_READ | FILE_SHARE_WRITE,
            null(),
            OPEN_EXISTING,
            flags,
            null_mut(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        // SAFETY: reads the calling thread's last error.
        return Err(unsafe { GetLastError() });
    }
    Ok(Handle(handle))
}

/// One synchronous DeviceIoControl: (succeeded, bytes returned, last error, output).
fn ioctl(handle: &Handle, code: u32, input: &[u8], out_len: usize) -> (bool, usize, u32, Vec<u8>) {
    let mut out = vec![0u8; out_len];
    let mut bytes = 0u32;
    // SAFETY: buffers and the byte count outlive the synchronous call.
    let ok = unsafe {
        DeviceIoControl(
            handle.0,
            code,
            input.as_ptr().cast(),
            input.len() as u32,
            out.as_mut_ptr().cast(),
            out_len as u32,
            &mut bytes,
            null_mut(),
        )
    } != 0;
    let error = error_unless(ok);
    (ok, bytes as usize, error, out)
}

fn utf16(bytes: &[u8]) -> String {
    String::from_utf16_lossy(
        &bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
}

fn overlapped_at(offset: u64) -> OVERLAPPED {
    // SAFETY: OVERLAPPED is plain data; all-zero is its documented initial state.
    let mut overlapped: OVERLAPPED = unsafe { std::mem::zeroed() };
    overlapped.Anonymous.Anonymous.Offset = offset as u32;
    overlapped.Anonymous.Anonymous.OffsetHigh = (offset >> 32) as u32;
    overlapped
}

/// A synchronous write or read at `offset` (Wine's SetFilePointerEx fails on device handles,
/// so the offset travels in OVERLAPPED): (succeeded, bytes, last error).
fn transfer(handle: &Handle, offset: u64, buffer: &mut [u8], write: bool) -> (bool, usize, u32) {
    let mut overlapped = overlapped_at(offset);
    let mut bytes = 0u32;
    let ok = if write {
        // SAFETY: a synchronous handle; buffer, count and OVERLAPPED outlive the call.
        unsafe {
            WriteFile(
                handle.0,
                buffer.as_ptr(),
                buffer.len() as u32,
                &mut bytes,
                &mut overlapped,
            )
        }
    } else {
        // SAFETY: as above.
        unsafe {
            ReadFile(
                handle.0,
                buffer.as_mut_ptr(),
                buffer.len() as u32,
                &mut bytes,
                &mut overlapped,
            )
        }
    } != 0;
    let error = error_unless(ok);
    (ok, bytes as usize, error)
}

fn counted(header: u16, body: &[u8]) -> Vec<u8> {
    let mut v = header.to_le_bytes().to_vec();
    v.extend_from_slice(body);
    v
}

fn probes(c: &mut Checks, h: &Handle) {
    let name_bytes = DEVICE_NAME.len() * 2;
    let (ok, n, err, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], 4);
    let len = u16::from_le_bytes([out[0], out[1]]) as usize;
    c.check(
        "device_name_probe",
        !ok && n == 4 && err == ERROR_MORE_DATA && len == name_bytes,
        format!("ok={ok} bytes={n} err={err} NameLength={len}"),
    );
    let (ok, n, _, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], 2 + len);
    let name = utf16(&out[2..]);
    c.check(
        "device_name_full",
        ok && n == 2 + name_bytes && name == DEVICE_NAME,
        format!("bytes={n} name={name}"),
    );

    let (ok, n, err, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], 4);
    let len = u16::from_le_bytes([out[0], out[1]]) as usize;
    c.check(
        "unique_id_probe",
        !ok && n == 4 && err == ERROR_MORE_DATA && len == UNIQUE_ID.len(),
        format!("ok={ok} bytes={n} err={err} UniqueIdLength={len}"),
    );
    let (ok, n, _, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], 2 + len);
    c.check(
        "unique_id_full",
        ok && n == 2 + UNIQUE_ID.len() && &out[2..] == UNIQUE_ID,
        format!("bytes={n}"),
    );

    let (ok, n, err, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, &[], 6);
    let len = u16::from_le_bytes([out[2], out[3]]) as usize;
    c.check(
        "suggested_link_probe",
        !ok && n == 6 && err == ERROR_MORE_DATA && len == 28,
        format!("ok={ok} bytes={n} err={err} NameLength={len}"),
    );
    let (ok, n, _, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, &[], 4 + len);
    let link = utf16(&out[4..]);
    c.check(
        "suggested_link_full",
        ok && n == 4 + 28 && out[0] == 0 && link == "\\DosDevices\\R:",
        format!("bytes={n} link={link} flag={}", out[0]),
    );

    let (ok, _, err, _) = ioctl(h, IOCTL_MOUNTDEV_QUERY_STABLE_GUID, &[], 16);
    c.check(
        "stable_guid_refused",
        !ok && err == ERROR_INVALID_FUNCTION,
        format!("err={err}"),
    );
}

fn storage(c: &mut Checks, h: &Handle) {
    let (ok, n, _, out) = ioctl(h, IOCTL_DISK_GET_LENGTH_INFO, &[], 8);
    let length = u64::from_le_bytes(out[..8].try_into().unwrap());
    c.check(
        "disk_length",
        ok && n == 8 && length == SIZE,
        format!("bytes={n} length={length}"),
    );
    let (ok, n, _, out) = ioctl(h, IOCTL_DISK_GET_DRIVE_GEOMETRY, &[], 24);
    let cylinders = u64::from_le_bytes(out[..8].try_into().unwrap());
    let sector = u32::from_le_bytes(out[20..24].try_into().unwrap());
    c.check(
        "disk_geometry",
        ok && n == 24 && sector == 512 && cylinders * 512 == SIZE,
        format!("bytes={n} cylinders={cylinders} sector={sector}"),
    );
    let (ok, _, err, _) = ioctl(h, IOCTL_DISK_GET_DRIVE_GEOMETRY, &[], 23);
    c.check("disk_geometry_too_small", !ok && err != 0, format!("err={err}"));
    let (ok, n, _, out) = ioctl(h, IOCTL_DISK_GET_PARTITION_INFO_EX, &[], 144);
    let partition_length = u64::from_le_bytes(out[16..24].try_into().unwrap());
    c.check(
        "partition_info_ex",
        ok && n == 144 && partition_length <= SIZE && partition_length > 0,
        format!("bytes={n} length={partition_length}"),
    );
    let (ok, _, err, _) = ioctl(h, IOCTL_DISK_IS_WRITABLE, &[], 0);
    c.check("disk_is_writable", ok, format!("err={err}"));
    let (ok, n, _, out) = ioctl(h, IOCTL_STORAGE_GET_HOTPLUG_INFO, &[], 8);
    c.check(
        "hotplug_info",
        ok && n == 8 && out[..4] == 8u32.to_le_bytes(),
        format!("bytes={n}"),
    );
    let (ok, _, err, _) = ioctl(h, PRIVATE_CODE, &[], 16);
    c.check(
        "private_code_refused",
        !ok && err == ERROR_INVALID_FUNCTION,
        format!("err={err}"),
    );
}

fn data(c: &mut Checks, h: &Handle) {
    for (offset, len, seed) in [(0u64, 4096usize, 1u8), (65536, 512, 7), (SIZE - 65536, 65536, 13)] {
        let mut pattern: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect();
        let (ok, n, err) = transfer(h, offset, &mut pattern, true);
        c.check(
            "write",
            ok && n == len,
            format!("offset={offset} len={len} bytes={n} err={err}"),
        );
        let mut back = vec![0u8; len];
        let (ok, n, err) = transfer(h, offset, &mut back, false);
        c.check(
            "read_back",
            ok && n == len && back == pattern,
            format!("offset={offset} len={len} bytes={n} err={err}"),
        );
    }
    let mut untouched = vec![0xFFu8; 512];
    let (ok, _, _) = transfer(h, 1 << 20, &mut untouched, false);
    c.check(
        "unwritten_reads_zero",
        ok && untouched.iter().all(|&b| b == 0),
        "offset=1048576",
    );
    let mut buffer = vec![0u8; 1024];
    let (ok, _, err) = transfer(h, SIZE - 512, &mut buffer, false);
    c.check(
        "read_past_end_refused",
        !ok && err == ERROR_INVALID_PARAMETER,
        format!("err={err}"),
    );
    let (ok, _, err) = transfer(h, 100, &mut buffer[..512], false);
    c.check(
        "unaligned_refused",
        !ok && err == ERROR_INVALID_PARAMETER,
        format!("err={err}"),
    );
}

fn notify(c: &mut Checks, letter: &str, h: &Handle) {
    let old = counted(3, b"old");
    let (ok, n, err, out) = ioctl(h, IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, &old, 128);
    let total = 12 + 3 + UNIQUE_ID.len();
    c.check(
        "notify_old_id_completes",
        ok && n == total && &out[12..15] == b"old" && &out[15..total] == UNIQUE_ID,
        format!("bytes={n} err={err}"),
    );
    let Some(mut pended) = Pended::start(c, letter) else {
        return;
    };
    // SAFETY: cancels the request started on this handle.
    let cancelled = unsafe { CancelIoEx(pended.handle.0, &*pended.overlapped) } != 0;
    let err = pended.wait();
    c.check(
        "notify_cancelled",
        cancelled && err == ERROR_OPERATION_ABORTED,
        format!("CancelIoEx={cancelled} err={err}"),
    );

    // The ID changes while a notification is pended: it completes with the old and the new ID.
    let Some(mut pended) = Pended::start(c, letter) else {
        return;
    };
    let (ok, _, err, _) = ioctl(h, RENEW_ID, &[], 0);
    c.check("renew_id", ok, format!("err={err}"));
    let err = pended.wait();
    let out = &pended.output;
    let field = |at: usize| u16::from_le_bytes([out[at], out[at + 1]]) as usize;
    let size = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
    let (old_at, old_len, new_at, new_len) = (field(4), field(6), field(8), field(10));
    c.check(
        "notify_completed_by_id_change",
        err == 0
            && size == 12 + UNIQUE_ID.len() + RENEWED_ID.len()
            && out.get(old_at..old_at + old_len) == Some(UNIQUE_ID)
            && out.get(new_at..new_at + new_len) == Some(RENEWED_ID),
        format!("err={err} size={size} old={old_at}+{old_len} new={new_at}+{new_len}"),
    );
    let (ok, _, _, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], 2 + RENEWED_ID.len());
    c.check("unique_id_is_renewed", ok && &out[2..] == RENEWED_ID, "");
    // And back, with nothing pended, so a reload starts from the first ID again.
    let (ok, _, err, _) = ioctl(h, RENEW_ID, &[], 0);
    let (ok2, _, _, out) = ioctl(h, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], 2 + UNIQUE_ID.len());
    c.check(
        "unique_id_back",
        ok && ok2 && &out[2..] == UNIQUE_ID,
        format!("err={err}"),
    );
}

/// A `UNIQUE_ID_CHANGE_NOTIFY` with the current ID, pending on an overlapped handle.
struct Pended {
    handle: Handle,
    overlapped: Box<OVERLAPPED>,
    input: Vec<u8>,
    output: Vec<u8>,
}

impl Pended {
    fn start(c: &mut Checks, letter: &str) -> Option<Self> {
        let Ok(handle) = open(letter, FILE_FLAG_OVERLAPPED) else {
            c.check("open_overlapped", false, "");
            return None;
        };
        let mut pended = Self {
            handle,
            overlapped: Box::new(overlapped_at(0)),
            input: counted(UNIQUE_ID.len() as u16, UNIQUE_ID),
            output: vec![0u8; 128],
        };
        let mut bytes = 0u32;
        // SAFETY: buffers and OVERLAPPED live in `pended` (heap) until `wait` returns.
        let ok = unsafe {
            DeviceIoControl(
                pended.handle.0,
                IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
                pended.input.as_ptr().cast(),
                pended.input.len() as u32,
                pended.output.as_mut_ptr().cast(),
                pended.output.len() as u32,
                &mut bytes,
                &mut *pended.overlapped,
            )
        } != 0;
        // SAFETY: reads the calling thread's last error.
        let err = unsafe { GetLastError() };
        c.check(
            "notify_current_id_pends",
            !ok && err == ERROR_IO_PENDING,
            format!("ok={ok} err={err}"),
        );
        (!ok && err == ERROR_IO_PENDING).then_some(pended)
    }

    /// Waits for the completion; its Win32 error (0 on success).
    fn wait(&mut self) -> u32 {
        let mut bytes = 0u32;
        // SAFETY: waits for the request started in `start`; its buffers are still alive.
        let ok = unsafe { GetOverlappedResult(self.handle.0, &*self.overlapped, &mut bytes, 1) } != 0;
        error_unless(ok)
    }
}

/// Runs the command in `args`; returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let mut c = Checks { passed: 0, failed: 0 };
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("volume"), Some(letter)) => match open(letter, 0) {
            Ok(h) => {
                c.check("open", true, format!("\\\\.\\{letter}:"));
                probes(&mut c, &h);
                storage(&mut c, &h);
                data(&mut c, &h);
                notify(&mut c, letter, &h);
            }
            Err(err) => c.check("open", false, format!("err={err}")),
        },
        (Some("pend"), Some(letter)) => {
            // Waits for the notification until the driver unloads, which must cancel it.
            if let Some(mut pended) = Pended::start(&mut c, letter) {
                println!("pending");
                let err = pended.wait();
                c.check(
                    "notify_cancelled_by_unload",
                    err == ERROR_OPERATION_ABORTED,
                    format!("err={err}"),
                );
            }
        }
        (Some("gone"), Some(letter)) => {
            let result = open(letter, 0).map(|_| ());
            let gone = matches!(result, Err(ERROR_FILE_NOT_FOUND | ERROR_PATH_NOT_FOUND));
            c.check("letter_gone", gone, format!("{result:?}"));
        }
        _ => {
            eprintln!("usage: ramdisk-checker volume|pend|gone <letter>");
            return 2;
        }
    }
    println!("{} passed, {} failed", c.passed, c.failed);
    i32::from(c.failed != 0)
}

/// `GetLastError()` after a call that failed, 0 after one that succeeded.
fn error_unless(ok: bool) -> u32 {
    if ok {
        return 0;
    }
    // SAFETY: reads the calling thread's last error.
    unsafe { GetLastError() }
}
