//! The `hold` mode (Windows / Wine only): a volume the CLI mounted, kept busy by an exclusive
//! handle while `ci/drivers/cryptdisk/e2e-wine.sh` tries to unmount it with the CLI, first plainly, then with
//! `--force`.
//!
//! With the handle open: what `FSCTL_LOCK_VOLUME` answers on it (a `NOTE`: Wine has no file
//! system on the volume to ask), a plain UNMOUNT refused with `STATUS_FILES_OPEN` and the volume
//! still readable. Then `HOLDING` is printed, the script runs its CLI unmounts, and the handle's
//! reads are polled until they fail (the forced unmount); then the letter and the device must be
//! gone, with the handle still open, and closing it afterwards must not upset the driver.

use std::os::windows::fs::OpenOptionsExt;
use std::time::{Duration, Instant};

use cryptdisk_driver_logic::control_codes::CONTROL_DEVICE_WIN32_PATH;
use mountdev::NtStatus;
use mountdev::ioctl::{FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME};
use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE};

use crate::checks::{check_plain_unmount_refused, list};
use crate::report::Report;
use crate::volume::check_volume_gone;
use crate::win::{Handle, open, win32_ioctl};

/// How often the held handle is read while the script unmounts.
const POLL: Duration = Duration::from_millis(100);

/// `\\.\X:` opened for reading and writing with no sharing: nobody else may open it meanwhile.
fn open_exclusive(letter: char) -> Result<Handle, String> {
    let path = format!("\\\\.\\{letter}:");
    std::fs::OpenOptions::new()
        .access_mode(GENERIC_READ | GENERIC_WRITE)
        .share_mode(0)
        .open(&path)
        .map(Handle::from)
        .map_err(|e| format!("{path}: {e}"))
}

/// Whether LIST has a volume with device number `device`.
fn listed(control: &Handle, device: u32) -> Result<bool, String> {
    let bytes = list(control)?;
    let reply = cryptdisk_core::control::ListReply::parse(&bytes).map_err(|e| e.to_string())?;
    let entries = reply.to_vec().map_err(|e| e.to_string())?;
    Ok(entries.iter().any(|e| e.device_number == device))
}

/// The checks with the handle open, before the script's unmounts.
fn check_refusal(report: &mut Report, control: &Handle, volume: &Handle, letter: char, device: u32) {
    let (locked, _, error) = win32_ioctl(volume, FSCTL_LOCK_VOLUME, &[], &mut []);
    println!("NOTE fsctl_lock_volume_on_the_held_handle: success={locked} win32_error={error}");
    if locked {
        let _ = win32_ioctl(volume, FSCTL_UNLOCK_VOLUME, &[], &mut []);
    }
    check_plain_unmount_refused(report, control, letter, "plain_unmount_while_held_is_files_open");
    let still = listed(control, device);
    report.check(
        "refused_unmount_keeps_it_listed",
        still == Ok(true),
        format!("{still:?}"),
    );
    let r = volume.read_at(0, &mut [0u8; 512]);
    report.check(
        "refused_unmount_keeps_it_readable",
        r.status.is_success() && r.information == 512,
        format!("{r:?}"),
    );
}

/// Reads through the held handle until a read fails or `limit` passes; the failing status.
fn wait_for_failure(volume: &Handle, limit: Duration) -> Option<(NtStatus, u32)> {
    let started = Instant::now();
    let mut reads = 0u32;
    while started.elapsed() < limit {
        let r = volume.read_at(0, &mut [0u8; 512]);
        if !r.status.is_success() {
            return Some((r.status, reads));
        }
        reads = reads.saturating_add(1);
        std::thread::sleep(POLL);
    }
    None
}

/// The `hold` mode; returns the exit code.
pub fn run_hold(letter: char, device: u32, seconds: u64) -> i32 {
    let mut report = Report::default();
    let control = match open(CONTROL_DEVICE_WIN32_PATH, GENERIC_READ | GENERIC_WRITE) {
        Ok(h) => h,
        Err(e) => {
            report.check("open_control_device", false, format!("error {e}"));
            return report.finish();
        }
    };
    let volume = match open_exclusive(letter) {
        Ok(h) => h,
        Err(e) => {
            report.check("open_volume_exclusively", false, e);
            return report.finish();
        }
    };
    check_refusal(&mut report, &control, &volume, letter, device);
    println!("HOLDING {letter}:");
    let failed = wait_for_failure(&volume, Duration::from_secs(seconds));
    report.check(
        "held_handle_fails_after_the_forced_unmount",
        failed.is_some(),
        format!("{failed:?} (status, reads that succeeded before)"),
    );
    check_volume_gone(&mut report, letter, device);
    let gone = listed(&control, device);
    report.check("forced_unmount_unlists_it", gone == Ok(false), format!("{gone:?}"));
    drop(volume);
    // The driver still answers after the stale handle's close reached the deleted device.
    let after = listed(&control, device);
    report.check(
        "driver_answers_after_the_close",
        after == Ok(false),
        format!("{after:?}"),
    );
    report.finish()
}
