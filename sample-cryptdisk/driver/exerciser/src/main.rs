//! User-mode exerciser of the cryptdisk driver, run under Wine by `ci/drivers/cryptdisk/e2e-wine.sh` (or by hand
//! on a Windows test machine with the driver loaded). Each check prints `PASS name detail` or
//! `FAIL name detail`; the last line is `N passed, M failed` and the exit code is non-zero on
//! any failure.
//!
//! ```text
//! cryptdisk-exerciser [--container C:\vol.luks]     the control device, nothing mounted
//! cryptdisk-exerciser volume --letter X --expect C:\expected.bin [--read-only]
//!                     [--pattern C:\pattern.bin --pattern-offset BYTES] [--container C:\vol.luks]
//!                     [--sector-size 512|1024|2048|4096]
//!                                                   a volume the CLI mounted at X:
//! cryptdisk-exerciser gone --letter X --device N    after the CLI unmounted it
//! cryptdisk-exerciser hold --letter X --device N --seconds S
//!                                                   holds X: open while the CLI unmounts it
//! cryptdisk-exerciser --unloaded [--letter X --device N]   after `sc stop` (with X: mounted)
//! ```
//!
//! * Control device (`checks`): `\\.\CryptDiskControl` opens for read and write; its DACL
//!   allows exactly SY and BA (Windows only: Wine 8 answers `GetKernelObjectSecurity` on a device
//!   handle with the handle's own empty descriptor, reported as a `NOTE`); LIST answers the
//!   empty list with the Size-then-retry convention; malformed MOUNT / UNMOUNT requests, a missing
//!   or non-LUKS container, and (with `--container`) requests whose UUID, cipher, payload offset
//!   or size disagree with the container's header are refused with their statuses; a taken drive
//!   letter (C:) is refused rather than taken over; unknown codes are invalid requests; MOUNT
//!   needs read/write access.
//! * Volume (`volume`): found through LIST; opened as `\\.\X:` (the fallback link) or
//!   `\\.\GLOBALROOT\Device\CryptDiskVolumeN`; the device-name probe (4-byte buffer →
//!   `STATUS_BUFFER_OVERFLOW` with `NameLength`, then the full name), unique ID, stable GUID,
//!   suggested link, length, geometry, access-alignment and writability IOCTLs (the sector
//!   size `--sector-size` says, 512 unless told); the decrypted data equal the expected
//!   plaintext; writes of several sizes (whole reported sectors) read back; misaligned (half a
//!   sector; on larger sectors, 512-byte aligned), out-of-range and oversized transfers are
//!   refused; concurrent writers; flush; a second MOUNT of the same
//!   container is a sharing violation; UNMOUNT with a handle open is refused unless forced.
//! * Gone: the drive letter and the device are gone and LIST is empty.
//! * Hold (`busy`): with an exclusive handle open, a plain UNMOUNT is `STATUS_FILES_OPEN` and
//!   the volume stays listed and readable; once the script's forced unmount went through, the
//!   handle's reads fail, the letter and the device are gone and the driver still answers.
//!
//! Statuses are read with the native API (`NtDeviceIoControlFile`, `NtReadFile`, ...) because
//! Win32 folds several into one error code. The driver's portable modules are the
//! `cryptdisk-driver-logic` crate, tested by the main workspace's `cargo test --workspace`.
#![allow(clippy::restriction, reason = "not shipping code: a test tool's panic fails its run")]
#![deny(clippy::undocumented_unsafe_blocks, clippy::multiple_unsafe_ops_per_block)] // its Windows calls

mod args;
#[cfg(windows)]
mod busy;
#[cfg(windows)]
mod checks;
#[cfg(any(windows, test))]
mod report;
#[cfg(windows)]
mod volume;
#[cfg(windows)]
mod win;

fn main() {
    let mode = match args::Mode::parse(std::env::args().skip(1)) {
        Ok(mode) => mode,
        Err(message) => {
            eprintln!("cryptdisk-exerciser: {message}");
            std::process::exit(2);
        }
    };
    #[cfg(windows)]
    {
        let code = match mode {
            args::Mode::Control { container, key_file } => checks::run(container.as_deref(), key_file.as_deref()),
            args::Mode::Unloaded { volume } => checks::run_unloaded(volume),
            args::Mode::Volume(options) => volume::run(&options),
            args::Mode::Gone { letter, device } => volume::run_gone(letter, device),
            args::Mode::Hold {
                letter,
                device,
                seconds,
            } => busy::run_hold(letter, device, seconds),
        };
        std::process::exit(code);
    }
    #[cfg(not(windows))]
    {
        let _ = mode;
        eprintln!("cryptdisk-exerciser talks to a Windows driver: run it under Wine or Windows");
        std::process::exit(2);
    }
}
