//! The XTS measuring loop (`std` feature), shared by `cargo bench --bench xts` and the CLI's
//! `cryptdisk bench`.
//!
//! Method (`performance.md` §3): single thread; a **hot** workload (a 16 KiB buffer processed
//! over and over, the fair comparison with `openssl speed`) and a **stream** workload (a 64 MiB
//! buffer in place, tweak = sector index starting at sector 1000); throughput in MB/s
//! (10^6 bytes per second, the unit of `openssl speed`); the reference is
//! `openssl speed -elapsed -seconds 1 -evp aes-256-xts -bytes N [-decrypt]` run as a child
//! process in the same run, because absolute numbers on a shared VM drift between runs.

use crate::xts::{XtsAes, XtsError};
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

/// Runs `pass(buf)` once to warm up, then repeatedly until at least `min_time` has passed
/// (at least once), and reports the bytes processed (`buf.len()` per pass).
///
/// ```
/// use cryptdisk_core::bench::measure;
/// let mut buf = vec![0u8; 4096];
/// let m = measure(&mut buf, std::time::Duration::from_millis(5), |b| b.iter_mut().for_each(|x| *x ^= 1));
/// assert!(m.bytes >= 4096);
/// ```
pub fn measure<F: FnMut(&mut [u8])>(buf: &mut [u8], min_time: Duration, mut pass: F) -> Measurement {
    pass(buf);
    let start = Instant::now();
    let mut passes: u64 = 0;
    loop {
        pass(std::hint::black_box(&mut *buf));
        passes = passes.saturating_add(1);
        let elapsed = start.elapsed();
        if elapsed >= min_time {
            let len = u64::try_from(buf.len()).unwrap_or(u64::MAX);
            return Measurement {
                bytes: passes.saturating_mul(len),
                elapsed,
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

/// Runs `openssl speed -elapsed -seconds S -evp aes-256-xts -bytes N [-decrypt]` and returns
/// its throughput in MB/s (its "k" column is 1000 bytes/s).
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
    cmd.args([
        "speed",
        "-elapsed",
        "-seconds",
        &seconds.to_string(),
        "-evp",
        "aes-256-xts",
    ]);
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
