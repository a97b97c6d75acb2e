//! Checks the sample RAM-disk volume through its drive letter, from user mode:
//!
//! - `ramdisk-checker volume R`: the mount manager's probes (device name, unique ID, suggested
//!   link, each with the 4-byte probe first), the disk / storage queries, a private code refused,
//!   writes read back at three offsets, refused transfers, and `UNIQUE_ID_CHANGE_NOTIFY` (an old
//!   ID completes at once; the current ID pends and is cancelled by `CancelIoEx`);
//! - `ramdisk-checker gone R`: the letter no longer opens (after unload).
//!
//! Prints one `PASS` / `FAIL` line per check and `N passed, M failed`; exits 1 on any failure.
#![allow(clippy::restriction, reason = "not shipping code: a test tool's panic fails its run")]
#![deny(clippy::undocumented_unsafe_blocks, clippy::multiple_unsafe_ops_per_block)] // its Windows calls
#![cfg_attr(windows, deny(unsafe_code))]
#![cfg_attr(not(windows), forbid(unsafe_code))]

#[cfg(windows)]
#[allow(unsafe_code, reason = "the Win32 calls of the checks")]
mod win;

#[cfg(windows)]
fn main() {
    std::process::exit(win::run(&std::env::args().collect::<Vec<_>>()));
}

#[cfg(not(windows))]
fn main() {
    eprintln!("ramdisk-checker runs on Windows (or under Wine); see ci/drivers/ramdisk/e2e-wine.sh");
    std::process::exit(2);
}
