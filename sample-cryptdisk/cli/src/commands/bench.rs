//! `cryptdisk bench`: XTS-AES-256 throughput of the core's data path for 512 and 4096-byte
//! sectors, encrypt and decrypt, measured with the core's `bench` loop on a hot 16 KiB buffer;
//! next to it `openssl speed -evp aes-256-xts` for the same sizes when `openssl` is on `PATH`,
//! and the ratio. MB/s are 10^6 bytes per second, the unit of `openssl speed`.

use crate::args::BenchArgs;
use crate::error::CliError;
use crate::output::{self, with_spinner};
use cryptdisk_core::bench::{BenchError, Direction, Workload, measure_xts, openssl_speed};
use cryptdisk_core::xts::XtsAes;
use std::time::Duration;

/// Sector sizes measured.
pub const SECTOR_SIZES: [usize; 2] = [512, 4096];

/// A fixed benchmark key, bytes 0, 1, ..., 63 (XTS-AES-256, halves differ). What is measured
/// does not depend on the key, and nothing is encrypted for keeps.
fn bench_key() -> [u8; 64] {
    std::array::from_fn(|i| u8::try_from(i).unwrap_or(0))
}

/// Whether `openssl` is to be asked, and why not.
#[derive(Clone, Debug, PartialEq, Eq)]
enum OpensslState {
    /// Run it for every figure.
    Use,
    /// Not run, with the reason shown under the table.
    Skipped(String),
}

/// Measures `openssl speed` for one figure; updates `state` when it cannot run.
fn openssl_figure(state: &mut OpensslState, sector: usize, direction: Direction, seconds: u32) -> Option<f64> {
    if *state != OpensslState::Use {
        return None;
    }
    let result = with_spinner(format!("openssl speed aes-256-xts {direction} {sector} bytes"), || {
        openssl_speed(sector, direction, seconds)
    });
    match result {
        Ok(mbps) => Some(mbps),
        Err(BenchError::Spawn(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            *state = OpensslState::Skipped("openssl: not found on PATH, no comparison".to_owned());
            None
        }
        Err(e) => {
            output::warn(format_args!("{e}"));
            *state = OpensslState::Skipped("openssl: failed (see the warning above), no comparison".to_owned());
            None
        }
    }
}

/// `cryptdisk bench [--seconds S] [--no-openssl]`.
///
/// # Errors
///
/// [`CliError::Bench`] if the XTS layer refuses the geometry (it does not), output errors.
pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    let xts = XtsAes::new(&bench_key()).map_err(CliError::Bench)?;
    let min_time = Duration::from_secs_f64(args.seconds);
    // `openssl speed -seconds` takes whole seconds; the parser bounds `seconds` to 0.01..=60.
    let openssl_seconds = args.seconds.ceil().clamp(1.0, 60.0) as u32;
    let mut openssl = if args.no_openssl {
        OpensslState::Skipped("openssl: skipped (--no-openssl)".to_owned())
    } else {
        OpensslState::Use
    };

    output::line(format_args!(
        "XTS-AES-256 (512-bit key), one thread, {} buffer, {} s per figure; MB/s = 10^6 bytes/s",
        Workload::Hot,
        args.seconds
    ))?;
    output::line(format_args!(
        "{:>6}  {:<3}  {:>14}  {:>12}  {:>6}",
        "sector", "op", "cryptdisk MB/s", "openssl MB/s", "ratio"
    ))?;
    for sector in SECTOR_SIZES {
        for direction in [Direction::Encrypt, Direction::Decrypt] {
            let mut buf = Workload::Hot.buffer();
            let ours = with_spinner(format!("cryptdisk XTS {direction} {sector}-byte sectors"), || {
                measure_xts(
                    &xts,
                    &mut buf,
                    sector,
                    direction,
                    Workload::Hot.first_sector(),
                    min_time,
                )
            })
            .map_err(CliError::Bench)?
            .mb_per_s();
            let theirs = openssl_figure(&mut openssl, sector, direction, openssl_seconds);
            let (theirs_text, ratio_text) = match theirs {
                Some(t) if t > 0.0 => (format!("{t:.1}"), format!("{:.2}", ours / t)),
                Some(t) => (format!("{t:.1}"), "-".to_owned()),
                None => ("-".to_owned(), "-".to_owned()),
            };
            output::line(format_args!(
                "{sector:>6}  {direction:<3}  {ours:>14.1}  {theirs_text:>12}  {ratio_text:>6}"
            ))?;
        }
    }
    match openssl {
        OpensslState::Use => output::line(format_args!(
            "ratio = cryptdisk / openssl (openssl speed -elapsed -seconds {openssl_seconds} -evp aes-256-xts -bytes N)"
        ))?,
        OpensslState::Skipped(why) => output::line(format_args!("{why}"))?,
    }
    crate::commands::bench_kdf::run(args.seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_key_is_a_valid_xts_key() {
        let key = bench_key();
        assert!(XtsAes::new(&key).is_ok());
        assert_eq!((key[0], key[63]), (0, 63));
    }

    #[test]
    fn skipped_openssl_is_not_run() {
        let mut state = OpensslState::Skipped("x".into());
        assert_eq!(openssl_figure(&mut state, 512, Direction::Encrypt, 1), None);
        assert_eq!(state, OpensslState::Skipped("x".into()));
    }
}
