//! `cryptdisk bench`: XTS-AES-256 throughput of the core's data path for 512 and 4096-byte
//! sectors, encrypt and decrypt, on a hot 16 KiB buffer, for every XTS backend this CPU runs
//! (portable, fused AES-NI, VAES-256, VAES-512; `CRYPTDISK_XTS_BACKEND` measures only that one,
//! `CRYPTDISK_XTS_TWEAKS=clmul|shifts` forces the kernels' tweak arithmetic), next to
//! `openssl speed -evp aes-256-xts` for the same sizes when `openssl` is on `PATH`.
//!
//! Each of [`REPS`] repetitions (`CRYPTDISK_BENCH_REPS` overrides) measures every backend and
//! then OpenSSL, so every backend figure has an OpenSSL figure from the same moment
//! (`cryptdisk_core::bench::paired_runs`). The first table is the backend volumes use
//! ([`Backend::selected`]): medians, ratio = median / OpenSSL median. The second table has every
//! backend with its ratio as the median of the same-run pairs. MB/s are 10^6 bytes per second
//! of the thread's CPU time on Linux (of wall-clock time elsewhere), the unit of `openssl speed`.

use crate::args::BenchArgs;
use crate::error::CliError;
use crate::output::{self, with_spinner};
use cryptdisk_core::bench::{self, BenchError, PairedConfig, Workload, median, paired_runs};
use cryptdisk_core::xts::{Backend, TweakArithmetic};
use std::time::Duration;

/// Sector sizes measured.
pub const SECTOR_SIZES: [usize; 2] = [512, 4096];

/// Repetitions (same-run pairs per figure) unless `CRYPTDISK_BENCH_REPS` says otherwise.
pub const REPS: usize = 5;

/// Why OpenSSL figures are missing, shown under the tables (`None`: they are there).
fn openssl_note(skipped: bool, error: Option<&BenchError>) -> Option<String> {
    if skipped {
        return Some("openssl: skipped (--no-openssl)".to_owned());
    }
    match error {
        None => None,
        Some(BenchError::Spawn(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Some("openssl: not found on PATH, no comparison".to_owned())
        }
        Some(e) => {
            output::warn(format_args!("{e}"));
            Some("openssl: failed (see the warning above), no comparison".to_owned())
        }
    }
}

/// A figure, or `-` when missing.
fn figure(v: f64, decimals: usize) -> String {
    if v.is_finite() && v > 0.0 {
        format!("{v:.decimals$}")
    } else {
        "-".to_owned()
    }
}

/// `cryptdisk bench [--seconds S] [--no-openssl]`.
///
/// # Errors
///
/// [`CliError::Bench`] if the XTS layer refuses a backend or the geometry (it does not), output
/// errors.
pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    let reps = std::env::var("CRYPTDISK_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&r| r > 0)
        .unwrap_or(REPS);
    // `openssl speed -seconds` takes whole seconds; the parser bounds `seconds` to 0.01..=60.
    let openssl_seconds = args.seconds.ceil().clamp(1.0, 60.0) as u32;
    let backends = bench::backends_to_measure();
    let selected = Backend::selected();
    let config = PairedConfig {
        backends: backends.clone(),
        sector_sizes: SECTOR_SIZES.to_vec(),
        reps,
        min_time: Duration::from_secs_f64(args.seconds),
        openssl_seconds: (!args.no_openssl).then_some(openssl_seconds),
    };
    let names: Vec<&str> = backends.iter().map(|b| b.name()).collect();
    output::line(format_args!("CPU: {}", bench::cpu_model()))?;
    output::line(format_args!(
        "XTS backends: {} (volumes use {selected}; tweak arithmetic: {})",
        names.join(", "),
        TweakArithmetic::selected()
    ))?;
    let load = bench::load_average();
    let (cells, openssl_error) = with_spinner(
        format!(
            "measuring {} backend(s) and openssl, {reps} repetitions",
            backends.len()
        ),
        || paired_runs(&config, |_| {}),
    )
    .map_err(CliError::Bench)?;
    let note = openssl_note(args.no_openssl, openssl_error.as_ref());

    output::line(format_args!(
        "XTS-AES-256 (512-bit key), one thread, {} buffer, {} s per figure, median of {reps} \
         repetitions; MB/s = 10^6 bytes/s",
        Workload::Hot,
        args.seconds
    ))?;
    output::line(format_args!(
        "{:>6}  {:<3}  {:>14}  {:>12}  {:>6}",
        "sector", "op", "cryptdisk MB/s", "openssl MB/s", "ratio"
    ))?;
    for (&(sector, direction), cell) in &cells {
        let ours = cell.ours.get(&selected).map_or(f64::NAN, |v| median(v));
        let theirs = if note.is_none() {
            median(&cell.openssl)
        } else {
            f64::NAN
        };
        output::line(format_args!(
            "{sector:>6}  {direction:<3}  {:>14}  {:>12}  {:>6}",
            figure(ours, 1),
            figure(theirs, 1),
            figure(ours / theirs, 2)
        ))?;
    }
    output::line(format_args!(
        "per backend (ratio = median of same-run backend/openssl pairs, load average {}):",
        load.map_or("unknown".to_owned(), |l| format!("{l:.2}"))
    ))?;
    for (&(sector, direction), cell) in &cells {
        for b in &backends {
            let ours = cell.ours.get(b).map_or(f64::NAN, |v| median(v));
            let ratio = if note.is_none() { cell.ratio(*b) } else { f64::NAN };
            output::line(format_args!(
                "  {:<8}  {sector:>4}  {direction:<3}  {:>9} MB/s  ratio {:>5}",
                b.name(),
                figure(ours, 1),
                figure(ratio, 2)
            ))?;
        }
    }
    match note {
        None => output::line(format_args!(
            "ratio = cryptdisk / openssl (openssl speed -seconds {openssl_seconds} -evp aes-256-xts -bytes N)"
        ))?,
        Some(why) => output::line(format_args!("{why}"))?,
    }
    crate::commands::bench_kdf::run(args.seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_openssl_is_noted_without_error() {
        assert_eq!(
            openssl_note(true, None).as_deref(),
            Some("openssl: skipped (--no-openssl)")
        );
        assert_eq!(openssl_note(false, None), None);
        let missing = BenchError::Spawn(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(
            openssl_note(false, Some(&missing)).as_deref(),
            Some("openssl: not found on PATH, no comparison")
        );
    }

    #[test]
    fn missing_figures_print_as_dashes() {
        assert_eq!(figure(f64::NAN, 1), "-");
        assert_eq!(figure(0.0, 2), "-");
        assert_eq!(figure(1234.56, 1), "1234.6");
    }
}
