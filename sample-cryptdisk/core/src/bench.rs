//! The XTS measuring loop (`std` feature), shared by `cargo bench --bench xts` and the CLI's
//! `cryptdisk bench`.
//!
//! Method (`performance.md` §3): single thread; a **hot** workload (a 16 KiB buffer processed
//! over and over, the fair comparison with `openssl speed`) and a **stream** workload (a 64 MiB
//! buffer in place, tweak = sector index starting at sector 1000); throughput in MB/s
//! (10^6 bytes per second, the unit of `openssl speed`); the reference is
//! `openssl speed -seconds 1 -evp aes-256-xts -bytes N [-decrypt]` run as a child process in
//! the same run, because absolute numbers on a shared VM drift between runs.
//!
//! **Clock.** Where Linux reports the thread's CPU time (`/proc/thread-self/schedstat`, in ns),
//! a figure is bytes per second of CPU time, and `openssl speed` runs without `-elapsed`, so it
//! too reports bytes per second of its CPU time: on a machine that other processes load, both
//! sides lose wall-clock time to the scheduler but not CPU time, and their ratio stays
//! meaningful. Elsewhere both use wall-clock time (`-elapsed`).
//!
//! [`paired_runs`] measures every XTS backend the CPU runs ([`backends_to_measure`], which
//! honours `CRYPTDISK_XTS_BACKEND`) next to `openssl speed` in each repetition; a ratio is the
//! median over repetitions of (backend / OpenSSL of the same repetition).

use crate::xts::{Backend, XtsAes, XtsError};
use std::collections::BTreeMap;
use std::fmt;
use std::process::Command;
use std::time::{Duration, Instant};

/// Size of the hot buffer (4 × 4096 or 32 × 512 sectors).
pub const HOT_BYTES: usize = 16 * 1024;
/// Size of the stream buffer.
pub const STREAM_BYTES: usize = 64 * 1024 * 1024;
/// First sector number of the stream workload.
pub const STREAM_FIRST_SECTOR: u64 = 1000;

/// Encrypt or decrypt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Encryption.
    Encrypt,
    /// Decryption.
    Decrypt,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Encrypt => "enc",
            Self::Decrypt => "dec",
        })
    }
}

/// Which buffer is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workload {
    /// [`HOT_BYTES`], cache-resident, tweaks from sector 0.
    Hot,
    /// [`STREAM_BYTES`], tweaks from [`STREAM_FIRST_SECTOR`].
    Stream,
}

impl Workload {
    /// Buffer size in bytes.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::bench::Workload::Hot.bytes(), 16384);
    /// ```
    pub const fn bytes(self) -> usize {
        match self {
            Self::Hot => HOT_BYTES,
            Self::Stream => STREAM_BYTES,
        }
    }

    /// First sector number (tweak) of the buffer.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::bench::Workload::Stream.first_sector(), 1000);
    /// ```
    pub const fn first_sector(self) -> u64 {
        match self {
            Self::Hot => 0,
            Self::Stream => STREAM_FIRST_SECTOR,
        }
    }

    /// A buffer for this workload, filled with a non-zero pattern and touched (no page faults
    /// inside the measurement).
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::bench::Workload::Hot.buffer().len(), 16384);
    /// ```
    pub fn buffer(self) -> Vec<u8> {
        (0..self.bytes()).map(|i| (i % 251) as u8).collect()
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Hot => "hot 16 KiB",
            Self::Stream => "stream 64 MiB",
        })
    }
}

/// Bytes processed in a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measurement {
    /// Bytes processed.
    pub bytes: u64,
    /// Time taken.
    pub elapsed: Duration,
}

impl Measurement {
    /// Throughput in MB/s (10^6 bytes per second).
    ///
    /// ```
    /// use cryptdisk_core::bench::Measurement;
    /// let m = Measurement { bytes: 3_000_000, elapsed: std::time::Duration::from_secs(2) };
    /// assert_eq!(m.mb_per_s(), 1.5);
    /// ```
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / self.elapsed.as_secs_f64().max(1e-12) / 1e6
    }
}

/// The calling thread's CPU time so far (Linux: `/proc/thread-self/schedstat`, nanoseconds),
/// or `None` where it is not reported.
///
/// ```
/// let _t = cryptdisk_core::bench::thread_cpu_time();
/// ```
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `pass(buf)` once to warm up, then repeatedly until at least `min_time` of wall-clock time
/// has passed (at least once), and reports the bytes processed (`buf.len()` per pass) and the
/// thread's CPU time they took ([`thread_cpu_time`]), or the wall-clock time where CPU time is
/// not reported.
///
/// ```
/// use cryptdisk_core::bench::measure;
/// let mut buf = vec![0u8; 4096];
/// let m = measure(&mut buf, std::time::Duration::from_millis(5), |b| b.iter_mut().for_each(|x| *x ^= 1));
/// assert!(m.bytes >= 4096);
/// ```
pub fn measure<F: FnMut(&mut [u8])>(buf: &mut [u8], min_time: Duration, mut pass: F) -> Measurement {
    pass(buf);
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    let mut passes: u64 = 0;
    loop {
        pass(std::hint::black_box(&mut *buf));
        passes = passes.saturating_add(1);
        let elapsed = start.elapsed();
        if elapsed >= min_time {
            let cpu = cpu_start
                .zip(thread_cpu_time())
                .map(|(a, b)| b.saturating_sub(a))
                .filter(|d| !d.is_zero());
            let len = u64::try_from(buf.len()).unwrap_or(u64::MAX);
            return Measurement {
                bytes: passes.saturating_mul(len),
                elapsed: cpu.unwrap_or(elapsed),
            };
        }
    }
}

/// Measures this crate's XTS data path ([`XtsAes::encrypt_sectors`] /
/// [`XtsAes::decrypt_sectors`]) on `buf` (use [`Workload::buffer`]).
///
/// # Errors
///
/// [`XtsError`] when `sector_size` does not fit the buffer.
///
/// ```
/// use cryptdisk_core::bench::{measure_xts, Direction, Workload};
/// use cryptdisk_core::xts::XtsAes;
/// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
/// let mut buf = Workload::Hot.buffer();
/// let m = measure_xts(&xts, &mut buf, 512, Direction::Encrypt, 0, std::time::Duration::from_millis(5))?;
/// assert!(m.mb_per_s() > 0.0);
/// # Ok::<(), cryptdisk_core::xts::XtsError>(())
/// ```
pub fn measure_xts(
    xts: &XtsAes,
    buf: &mut [u8],
    sector_size: usize,
    direction: Direction,
    first_sector: u64,
    min_time: Duration,
) -> Result<Measurement, XtsError> {
    // Validate the geometry once so the loop cannot fail.
    xts.encrypt_sectors(&mut [], sector_size, first_sector)?;
    if !buf.len().is_multiple_of(sector_size) {
        return Err(XtsError::PartialSector {
            len: buf.len(),
            sector_size,
        });
    }
    let mut result = Ok(());
    let m = measure(buf, min_time, |b| {
        let r = match direction {
            Direction::Encrypt => xts.encrypt_sectors(b, sector_size, first_sector),
            Direction::Decrypt => xts.decrypt_sectors(b, sector_size, first_sector),
        };
        if r.is_err() {
            result = r;
        }
    });
    result.map(|()| m)
}

/// `openssl speed` failed or printed something unexpected.
#[derive(Debug)]
pub enum BenchError {
    /// The `openssl` binary could not be run.
    Spawn(std::io::Error),
    /// It ran but failed, or its output had no `AES-256-XTS ...k` line.
    Output(String),
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spawn(e) => write!(f, "cannot run `openssl`: {e}"),
            Self::Output(s) => write!(f, "unexpected `openssl speed` output: {s}"),
        }
    }
}

impl std::error::Error for BenchError {}

/// Runs `openssl speed -seconds S -evp aes-256-xts -bytes N [-decrypt]` and returns its
/// throughput in MB/s (its "k" column is 1000 bytes/s). With `-elapsed` (wall-clock time) only
/// where [`thread_cpu_time`] is not reported, so that both sides of a ratio use the same clock.
///
/// # Errors
///
/// [`BenchError`] when `openssl` is missing, fails, or prints no result line.
///
/// ```no_run
/// let mbps = cryptdisk_core::bench::openssl_speed(4096, cryptdisk_core::bench::Direction::Encrypt, 1)?;
/// # Ok::<(), cryptdisk_core::bench::BenchError>(())
/// ```
pub fn openssl_speed(sector_size: usize, direction: Direction, seconds: u32) -> Result<f64, BenchError> {
    let mut cmd = Command::new("openssl");
    cmd.arg("speed");
    if thread_cpu_time().is_none() {
        cmd.arg("-elapsed");
    }
    cmd.args(["-seconds", &seconds.to_string(), "-evp", "aes-256-xts"]);
    cmd.args(["-bytes", &sector_size.to_string()]);
    if direction == Direction::Decrypt {
        cmd.arg("-decrypt");
    }
    let out = cmd.output().map_err(BenchError::Spawn)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(BenchError::Output(format!(
            "{}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    parse_openssl_speed(&stdout).ok_or_else(|| BenchError::Output(stdout.into_owned()))
}

/// Extracts the MB/s figure from `openssl speed -evp aes-256-xts -bytes N` output.
///
/// ```
/// let out = "type            512 bytes\nAES-256-XTS    5307790.34k\n";
/// assert_eq!(cryptdisk_core::bench::parse_openssl_speed(out), Some(5307.79034));
/// ```
pub fn parse_openssl_speed(output: &str) -> Option<f64> {
    let line = output
        .lines()
        .rev()
        .find(|l| l.to_ascii_lowercase().starts_with("aes-256-xts"))?;
    let value = line.split_whitespace().last()?.strip_suffix('k')?;
    value.parse::<f64>().ok().map(|k| k * 1000.0 / 1e6)
}

/// Median of the values (mean of the middle two for an even count); `NaN` when empty.
///
/// ```
/// assert_eq!(cryptdisk_core::bench::median(&[3.0, 1.0, 2.0]), 2.0);
/// assert_eq!(cryptdisk_core::bench::median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
/// ```
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    match (v.len() % 2, v.get(mid.wrapping_sub(1)), v.get(mid)) {
        (1, _, Some(m)) => *m,
        (0, Some(a), Some(b)) => (a + b) / 2.0,
        _ => f64::NAN,
    }
}

/// The backends a benchmark measures: the one `CRYPTDISK_XTS_BACKEND` names when this CPU runs
/// it, else every backend this CPU runs ([`Backend::available`]), slowest first.
///
/// ```
/// assert!(!cryptdisk_core::bench::backends_to_measure().is_empty());
/// ```
pub fn backends_to_measure() -> Vec<Backend> {
    match Backend::from_env().filter(|b| b.is_supported()) {
        Some(b) => vec![b],
        None => Backend::available().collect(),
    }
}

/// Median of the same-run ratios `ours[i] / theirs[i]` (pairs with a non-positive reference are
/// skipped); `NaN` without pairs.
///
/// ```
/// let r = cryptdisk_core::bench::median_ratio(&[10.0, 30.0, 20.0], &[5.0, 10.0, 10.0]);
/// assert_eq!(r, 2.0);
/// ```
pub fn median_ratio(ours: &[f64], theirs: &[f64]) -> f64 {
    let ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .filter(|(_, t)| **t > 0.0)
        .map(|(o, t)| o / t)
        .collect();
    median(&ratios)
}

/// The CPU model (`model name` of `/proc/cpuinfo`, with family/model/stepping), or `unknown`.
///
/// ```
/// assert!(!cryptdisk_core::bench::cpu_model().is_empty());
/// ```
pub fn cpu_model() -> String {
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return "unknown".to_owned();
    };
    let field = |name: &str| {
        info.lines()
            .find(|l| l.split(':').next().map(str::trim) == Some(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
    };
    match field("model name") {
        Some(m) => format!(
            "{m} (family {}, model {}, stepping {})",
            field("cpu family").unwrap_or_default(),
            field("model").unwrap_or_default(),
            field("stepping").unwrap_or_default()
        ),
        None => "unknown".to_owned(),
    }
}

/// The 1-minute load average (`/proc/loadavg`), when known: how busy the machine was.
///
/// ```
/// let _load = cryptdisk_core::bench::load_average();
/// ```
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The figures of one (sector size, direction) cell over all repetitions, in MB/s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairedCell {
    /// Per backend, one figure per repetition.
    pub ours: BTreeMap<Backend, Vec<f64>>,
    /// `openssl speed`, one figure per repetition (empty when not run).
    pub openssl: Vec<f64>,
}

impl PairedCell {
    /// Median of `backend`'s same-run ratios to OpenSSL (`NaN` without OpenSSL figures).
    ///
    /// ```
    /// use cryptdisk_core::bench::PairedCell;
    /// use cryptdisk_core::xts::Backend;
    /// let mut c = PairedCell::default();
    /// c.ours.insert(Backend::Portable, vec![2.0, 4.0]);
    /// c.openssl = vec![1.0, 2.0];
    /// assert_eq!(c.ratio(Backend::Portable), 2.0);
    /// ```
    pub fn ratio(&self, backend: Backend) -> f64 {
        self.ours
            .get(&backend)
            .map_or(f64::NAN, |v| median_ratio(v, &self.openssl))
    }
}

/// The cells of [`paired_runs`], by (sector size, direction).
pub type PairedCells = BTreeMap<(usize, Direction), PairedCell>;

/// What [`paired_runs`] measures.
#[derive(Clone, Debug)]
pub struct PairedConfig {
    /// Backends to measure (see [`backends_to_measure`]).
    pub backends: Vec<Backend>,
    /// Sector sizes (each divides [`HOT_BYTES`]).
    pub sector_sizes: Vec<usize>,
    /// Repetitions (pairs per cell).
    pub reps: usize,
    /// Minimum time per backend figure.
    pub min_time: Duration,
    /// `openssl speed -seconds` per figure; `None` = do not run OpenSSL.
    pub openssl_seconds: Option<u32>,
}

/// Runs `config.reps` repetitions; in each, every (sector size, direction) cell measures every
/// backend on the hot buffer and `openssl speed` right after, so each backend figure has an
/// OpenSSL figure from the same moment. `progress` is told what runs next. An OpenSSL failure
/// stops further OpenSSL runs and is returned next to the figures.
///
/// # Errors
///
/// [`XtsError`] when a backend cannot be keyed (not supported) or a sector size does not fit.
///
/// ```
/// use cryptdisk_core::bench::{paired_runs, PairedConfig, Direction};
/// use cryptdisk_core::xts::Backend;
/// let config = PairedConfig {
///     backends: vec![Backend::Portable],
///     sector_sizes: vec![512],
///     reps: 1,
///     min_time: std::time::Duration::from_millis(2),
///     openssl_seconds: None,
/// };
/// let (cells, openssl_error) = paired_runs(&config, |_| {})?;
/// assert_eq!(cells[&(512, Direction::Decrypt)].ours[&Backend::Portable].len(), 1);
/// assert!(openssl_error.is_none());
/// # Ok::<(), cryptdisk_core::xts::XtsError>(())
/// ```
pub fn paired_runs(
    config: &PairedConfig,
    mut progress: impl FnMut(&str),
) -> Result<(PairedCells, Option<BenchError>), XtsError> {
    let key = bench_key();
    let xts: Vec<(Backend, XtsAes)> = config
        .backends
        .iter()
        .map(|&b| XtsAes::with_backend(&key, b).map(|x| (b, x)))
        .collect::<Result<_, _>>()?;
    let cells: Vec<(usize, Direction)> = config
        .sector_sizes
        .iter()
        .flat_map(|&s| [(s, Direction::Encrypt), (s, Direction::Decrypt)])
        .collect();
    let mut out = PairedCells::new();
    let mut openssl_seconds = config.openssl_seconds;
    let mut openssl_error = None;
    let mut buf = Workload::Hot.buffer();
    for rep in 0..config.reps {
        // Rotate the order every repetition so that no cell always runs first.
        let mut order = cells.clone();
        if !order.is_empty() {
            let n = order.len();
            order.rotate_left(rep.checked_rem(n).unwrap_or(0));
        }
        for (sector, direction) in order {
            let cell = out.entry((sector, direction)).or_default();
            for (backend, x) in &xts {
                progress(&format!(
                    "repetition {}/{}: {backend} {direction} {sector}",
                    rep.saturating_add(1),
                    config.reps
                ));
                let m = measure_xts(x, &mut buf, sector, direction, 0, config.min_time)?;
                cell.ours.entry(*backend).or_default().push(m.mb_per_s());
            }
            if let Some(secs) = openssl_seconds {
                progress(&format!("openssl speed aes-256-xts {direction} {sector}"));
                match openssl_speed(sector, direction, secs) {
                    Ok(v) => cell.openssl.push(v),
                    Err(e) => {
                        openssl_error = Some(e);
                        openssl_seconds = None;
                    }
                }
            }
        }
    }
    Ok((out, openssl_error))
}

/// The fixed benchmark key: bytes 0, 1, ..., 63 (XTS-AES-256, halves differ). What is measured
/// does not depend on the key.
///
/// ```
/// assert_eq!(cryptdisk_core::bench::bench_key()[63], 63);
/// ```
pub fn bench_key() -> [u8; 64] {
    std::array::from_fn(|i| u8::try_from(i).unwrap_or(0))
}
