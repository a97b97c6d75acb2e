//! Randomness from the caller: `no_std` has no entropy source of its own.
//!
//! Salts, master keys, UUIDs, anti-forensic stripes and wipe patterns all come from a
//! [`RandomSource`]. Any `FnMut(&mut [u8]) -> Result<(), RngError>` is one; with the `std`
//! feature, [`OsRandom`] uses the operating system (`getrandom`).

use core::fmt;

/// A random source failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RngError {
    /// Source-specific code (an OS error number for [`OsRandom`], else chosen by the source).
    pub code: i32,
}

impl fmt::Display for RngError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "random source failed (code {})", self.code)
    }
}

impl core::error::Error for RngError {}

/// A source of cryptographically secure random bytes.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::rng::{RandomSource, RngError};
///
/// // A closure is a source (this one is NOT secure: tests only).
/// let mut counter = 0u8;
/// let mut rng = |buf: &mut [u8]| -> Result<(), RngError> {
///     for b in buf { counter = counter.wrapping_add(1); *b = counter; }
///     Ok(())
/// };
/// let mut salt = [0u8; 4];
/// rng.fill_random(&mut salt)?;
/// assert_eq!(salt, [1, 2, 3, 4]);
/// # Ok::<(), RngError>(())
/// ```
pub trait RandomSource {
    /// Fills `buf` entirely with random bytes.
    ///
    /// # Errors
    ///
    /// [`RngError`] when no randomness is available; `buf` must then not be used.
    fn fill_random(&mut self, buf: &mut [u8]) -> Result<(), RngError>;
}

impl<F> RandomSource for F
where
    F: FnMut(&mut [u8]) -> Result<(), RngError>,
{
    fn fill_random(&mut self, buf: &mut [u8]) -> Result<(), RngError> {
        self(buf)
    }
}

/// The operating system's random source (`getrandom`), `std` feature.
///
/// ```
/// use cryptdisk_core::rng::{OsRandom, RandomSource};
/// let mut key = [0u8; 64];
/// OsRandom.fill_random(&mut key)?;
/// # Ok::<(), cryptdisk_core::rng::RngError>(())
/// ```
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandom;

#[cfg(feature = "std")]
impl RandomSource for OsRandom {
    fn fill_random(&mut self, buf: &mut [u8]) -> Result<(), RngError> {
        getrandom::fill(buf).map_err(|e| RngError {
            code: e.raw_os_error().unwrap_or(-1),
        })
    }
}
