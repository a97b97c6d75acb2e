//! The key-derivation part of `cryptdisk bench`, as `cryptsetup benchmark` shows it: PBKDF2
//! iterations per second for each hash, and the Argon2i / Argon2id costs that take the
//! requested time (memory at most 1 GiB or half of what is available, 4 lanes).

use crate::commands::luks2::create::{argon_name, argon2_for_iter_time};
use crate::error::CliError;
use crate::output::{self, with_spinner};
use cryptdisk_core::luks::HashSpec;
use cryptdisk_core::luks2::KdfChoice;
use cryptdisk_core::luks2::metadata::Argon2Variant;
use std::time::{Duration, Instant};

/// PBKDF2 iterations per second with `hash` for a 256-bit output, measured for `min_time`.
fn pbkdf2_per_second(hash: HashSpec, min_time: Duration) -> Result<f64, CliError> {
    let mut out = [0u8; 32];
    let mut iterations: u32 = 1000;
    loop {
        let started = Instant::now();
        hash.pbkdf2(b"benchmark passphrase", &[0x5a; 32], iterations, &mut out)
            .map_err(|_| CliError::Internal("PBKDF2 refused its input"))?;
        let took = started.elapsed();
        if took >= min_time || iterations >= u32::MAX / 2 {
            return Ok(f64::from(iterations) / took.as_secs_f64().max(1e-9));
        }
        iterations = iterations.saturating_mul(2);
    }
}

/// Prints the KDF figures; `seconds` is the time per figure (PBKDF2) and the Argon2 target.
///
/// # Errors
///
/// Output errors, Argon2 failures (no memory).
pub fn run(seconds: f64) -> Result<(), CliError> {
    let min_time = Duration::from_secs_f64(seconds.max(0.01));
    let target_ms = (seconds * 1000.0).clamp(10.0, 2000.0) as u32;
    output::line(format_args!("Key derivation (as cryptsetup benchmark), 256-bit key:"))?;
    for hash in [HashSpec::Sha1, HashSpec::Sha256, HashSpec::Sha512] {
        let rate = with_spinner(format!("PBKDF2-{hash}"), || pbkdf2_per_second(hash, min_time))?;
        output::line(format_args!(
            "PBKDF2-{:<7} {rate:>10.0} iterations per second",
            hash.name()
        ))?;
    }
    for variant in [Argon2Variant::Argon2i, Argon2Variant::Argon2id] {
        let choice = with_spinner(format!("{} for {target_ms} ms", argon_name(variant)), || {
            argon2_for_iter_time(variant, 1 << 20, 4, target_ms)
        })?;
        if let KdfChoice::Argon2 {
            time, memory_kib, cpus, ..
        } = choice
        {
            output::line(format_args!(
                "{:<14} {time:>4} iterations, {memory_kib:>7} memory, {cpus} parallel threads (requested {target_ms} ms time)",
                argon_name(variant)
            ))?;
        }
    }
    Ok(())
}
