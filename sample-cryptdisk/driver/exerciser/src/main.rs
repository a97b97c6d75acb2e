//! User-mode exerciser of the cryptdisk driver's control device, run under Wine by
//! `ci/e2e-wine.sh` (or by hand on a Windows test machine with the driver loaded).
//!
//! `cryptdisk-exerciser` (no argument) checks, while the driver is loaded:
//!
//! * `\\.\CryptDiskControl` opens for read and write;
//! * its security descriptor has a protected DACL that allows exactly LocalSystem (SY) and
//!   Administrators (BA). Wine 8 answers `GetKernelObjectSecurity` on a device handle with the
//!   handle's own empty descriptor, not the device object's, so under Wine (detected through
//!   ntdll's `wine_get_version`) an absent DACL is reported as a `NOTE`, not a result;
//! * MOUNT, UNMOUNT and LIST fail with `STATUS_NOT_IMPLEMENTED` (0xC0000002) — phase 1 has no
//!   implementation and must not pretend to;
//! * unknown IOCTLs fail with `STATUS_INVALID_DEVICE_REQUEST` (0xC0000010).
//!
//!   Win32 maps both statuses to `ERROR_INVALID_FUNCTION` (1), so the exerciser passes an
//!   `OVERLAPPED` to `DeviceIoControl` on its synchronous handle and reads the NTSTATUS the
//!   driver completed the IRP with from `OVERLAPPED.Internal` (the I/O status block);
//! * MOUNT on a handle opened without read/write access is refused by the I/O manager
//!   (`ERROR_ACCESS_DENIED`, 5): the codes carry `FILE_READ_ACCESS | FILE_WRITE_ACCESS`.
//!
//! `cryptdisk-exerciser --unloaded` checks that the control device is gone (after `sc stop`).
//!
//! Each check prints `PASS name detail` or `FAIL name detail`; the last line is
//! `N passed, M failed` and the exit code is non-zero on any failure.
//!
//! The driver's portable modules are compiled into this crate by path, so the codes the
//! exerciser sends are the driver's own constants, and `cargo test` here (on any host) runs
//! those modules' unit tests.

#[path = "../../src/control_codes.rs"]
#[allow(dead_code, reason = "shared with the driver; not every item is used here")]
mod control_codes;

#[path = "../../src/control.rs"]
#[allow(dead_code, reason = "shared with the driver; compiled here for its unit tests")]
mod control;

#[path = "../../src/pool/align.rs"]
#[allow(dead_code, reason = "shared with the driver; compiled here for its unit tests")]
mod pool_align;

#[cfg(windows)]
mod checks;
#[cfg(any(windows, test))]
mod report;

fn main() {
    #[cfg(windows)]
    {
        let unloaded = std::env::args().any(|a| a == "--unloaded");
        std::process::exit(checks::run(unloaded));
    }
    #[cfg(not(windows))]
    {
        eprintln!("cryptdisk-exerciser talks to a Windows driver: run it under Wine or Windows");
        std::process::exit(2);
    }
}
