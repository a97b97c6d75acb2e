//! PBKDF2 iteration calibration for `--iter-time MS` (`std` feature).
//!
//! As cryptsetup does: measure how many PBKDF2 iterations this machine runs per second for
//! the hash and output length at hand, then scale to the requested time. Both results are at
//! least [`MIN_ITERATIONS`].

use crate::luks::{HashSpec, KdfError};
use std::time::{Duration, Instant};

/// Lower bound for calibrated iteration counts (cryptsetup's LUKS1 minimum).
pub const MIN_ITERATIONS: u32 = 1000;

/// Shortest measurement; the iteration count doubles until one run takes at least this long.
const MEASURE_AT_LEAST: Duration = Duration::from_millis(50);

/// Measured PBKDF2 speed for one hash and output length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pbkdf2Speed {
    /// Hash measured.
    pub hash: HashSpec,
    /// Output length measured, in bytes (PBKDF2 cost grows with whole digest blocks).
    pub output_len: usize,
    /// Iterations per second.
    pub iterations_per_second: f64,
}

impl Pbkdf2Speed {
    /// Iterations that take about `time` on this machine (at least [`MIN_ITERATIONS`],
    /// at most `u32::MAX`).
    ///
    /// ```
    /// use cryptdisk_core::calibrate::{Pbkdf2Speed, MIN_ITERATIONS};
    /// use cryptdisk_core::luks::HashSpec;
    /// let speed = Pbkdf2Speed { hash: HashSpec::Sha256, output_len: 64, iterations_per_second: 1.0e6 };
    /// assert_eq!(speed.iterations_for(std::time::Duration::from_millis(2000)), 2_000_000);
    /// assert_eq!(speed.iterations_for(std::time::Duration::ZERO), MIN_ITERATIONS);
    /// ```
    pub fn iterations_for(&self, time: Duration) -> u32 {
        let n = (self.iterations_per_second * time.as_secs_f64()).floor();
        if n.is_nan() || n < f64::from(MIN_ITERATIONS) {
            MIN_ITERATIONS
        } else if n >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            // In range by the checks above.
            n as u32
        }
    }
}

/// Measures PBKDF2 with `hash` producing `output_len` bytes.
///
/// # Errors
///
/// [`KdfError`] (never in practice).
///
/// ```
/// use cryptdisk_core::{calibrate, luks::HashSpec};
/// let speed = calibrate::measure_pbkdf2(HashSpec::Sha256, 32)?;
/// assert!(speed.iterations_per_second > 0.0);
/// # Ok::<(), cryptdisk_core::luks::KdfError>(())
/// ```
pub fn measure_pbkdf2(hash: HashSpec, output_len: usize) -> Result<Pbkdf2Speed, KdfError> {
    let mut out = zeroize::Zeroizing::new(vec![0u8; output_len.max(1)]);
    let salt = [0x5au8; 32];
    let mut iterations: u32 = 1000;
    loop {
        let start = Instant::now();
        hash.pbkdf2(b"cryptdisk calibration", &salt, iterations, &mut out)?;
        let elapsed = start.elapsed();
        if elapsed >= MEASURE_AT_LEAST || iterations >= u32::MAX / 2 {
            let secs = elapsed.as_secs_f64().max(1e-9);
            return Ok(Pbkdf2Speed {
                hash,
                output_len,
                iterations_per_second: f64::from(iterations) / secs,
            });
        }
        iterations = iterations.saturating_mul(2);
    }
}

/// Iteration counts for a new key slot and for the master-key digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calibrated {
    /// Key-slot iterations: about `iter_time` for a passphrase check.
    pub slot_iterations: u32,
    /// Master-key digest iterations: about `iter_time / 16` (125 ms at cryptsetup's default
    /// 2000 ms), at least [`MIN_ITERATIONS`].
    pub digest_iterations: u32,
}

/// Calibrates both iteration counts for `--iter-time` (in milliseconds) and a master key of
/// `key_bytes` bytes.
///
/// # Errors
///
/// [`KdfError`] (never in practice).
///
/// ```
/// use cryptdisk_core::{calibrate, luks::HashSpec};
/// let c = calibrate::for_iter_time(HashSpec::Sha256, 64, 10)?;
/// assert!(c.slot_iterations >= calibrate::MIN_ITERATIONS);
/// # Ok::<(), cryptdisk_core::luks::KdfError>(())
/// ```
pub fn for_iter_time(hash: HashSpec, key_bytes: usize, iter_time_ms: u32) -> Result<Calibrated, KdfError> {
    let time = Duration::from_millis(u64::from(iter_time_ms));
    let slot = measure_pbkdf2(hash, key_bytes)?;
    let digest = measure_pbkdf2(hash, crate::luks::header::DIGEST_LEN)?;
    Ok(Calibrated {
        slot_iterations: slot.iterations_for(time),
        digest_iterations: digest.iterations_for(time.checked_div(16).unwrap_or_default()),
    })
}
