//! The test kit (`mountdev::testing`, feature `testing`) on a driver's own handler with two planted
//! bugs, the two that cost real drivers their drive letters:
//!
//! 1. `QUERY_DEVICE_NAME` counts the terminating NUL in `NameLength` (the mount manager then opens
//!    a name with a stray NUL and fails with `STATUS_OBJECT_NAME_NOT_FOUND`);
//! 2. `QUERY_UNIQUE_ID` answers the mount manager's 4-byte probe with `BUFFER_TOO_SMALL` instead of
//!    `BUFFER_OVERFLOW` and the length (the mount manager never retries; the volume gets no letter).
//!
//! The kit finds both, names the output size, the rule and the bytes, and passes the fixed
//! handler (this crate's [`mountdev::handle_mountdev`]). Run it with
//! `cargo run -p mountdev --features testing --example check_my_handler`; it exits non-zero if the
//! kit misses a bug.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use std::process::ExitCode;

use mountdev::ioctl::{IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID};
use mountdev::testing::{Rule, Violation, check_handler, utf16};
use mountdev::{IoBuffers, MountdevVolume, NtName, NtStatus, Reply, UniqueId, handle_mountdev, nt_name};

const NAME: &str = "\\Device\\MyVolume1";
const ID: &[u8] = b"my-volume-0001";

/// A hand-written handler, as many drivers have one, with bug 1 or bug 2 planted.
fn my_handler(code: u32, io: IoBuffers<'_>, counts_the_nul: bool, probe_too_small: bool) -> Reply {
    let out = io.into_output();
    let payload: Vec<u8> = match code {
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME if counts_the_nul => utf16(&format!("{NAME}\0")),
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME => utf16(NAME),
        IOCTL_MOUNTDEV_QUERY_UNIQUE_ID => ID.to_vec(),
        _ => return Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
    };
    let Ok(length) = u16::try_from(payload.len()) else {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    };
    let whole = 2 + payload.len();
    if out.len() < 4 || (probe_too_small && out.len() < whole) {
        return Reply::error(NtStatus::BUFFER_TOO_SMALL);
    }
    out[..2].copy_from_slice(&length.to_le_bytes());
    if out.len() < whole {
        out[2..4].fill(0);
        return Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
    }
    out[2..whole].copy_from_slice(&payload);
    Reply::success(whole)
}

struct MyVolume;

impl MountdevVolume for MyVolume {
    fn device_name(&self) -> NtName<'_> {
        nt_name!("\\Device\\MyVolume1")
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(ID).unwrap_or_else(|_| unreachable!("a non-empty constant"))
    }
}

fn expect_violation(
    what: &str,
    result: Result<mountdev::testing::Checked, Violation>,
    found: fn(&Rule) -> bool,
) -> bool {
    match result {
        Err(violation) if found(&violation.rule) => {
            println!("{what}: found\n  {violation}");
            true
        }
        Err(violation) => {
            println!("{what}: found another rule first\n  {violation}");
            false
        }
        Ok(_) => {
            println!("{what}: MISSED");
            false
        }
    }
}

fn main() -> ExitCode {
    let nul = |code: u32, io: IoBuffers<'_>| my_handler(code, io, true, false);
    let probe = |code: u32, io: IoBuffers<'_>| my_handler(code, io, false, true);
    let fixed = |code: u32, io: IoBuffers<'_>| handle_mountdev(&MyVolume, code, io);

    let found_nul = expect_violation(
        "bug 1, NUL counted in NameLength",
        check_handler(nul, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[]),
        |rule| matches!(rule, Rule::CountedName { .. }),
    );
    let found_probe = expect_violation(
        "bug 2, BUFFER_TOO_SMALL to the 4-byte probe",
        check_handler(probe, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[]),
        |rule| matches!(rule, Rule::CountedReply { expected } if expected.status == NtStatus::BUFFER_OVERFLOW),
    );
    let mut fixed_passes = true;
    for code in [IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID] {
        for (what, result) in [
            (
                "the hand-written handler without bugs",
                check_handler(|c: u32, io: IoBuffers<'_>| my_handler(c, io, false, false), code, &[]),
            ),
            ("handle_mountdev", check_handler(fixed, code, &[])),
        ] {
            match result {
                Ok(checked) => println!(
                    "{what}, {code:#010x}: passes at {} output sizes",
                    checked.replies().len()
                ),
                Err(violation) => {
                    println!("{what}: unexpected violation\n  {violation}");
                    fixed_passes = false;
                }
            }
        }
    }
    if found_nul && found_probe && fixed_passes {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
