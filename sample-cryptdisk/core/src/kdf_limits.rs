//! Upper bounds on key-derivation costs read from a header.
//!
//! A crafted or damaged header can ask for 2^32 - 1 PBKDF2 iterations or terabytes of Argon2
//! memory; without a bound every command that opens the volume would hang for hours or exhaust
//! memory. Slots beyond the bounds are skipped (the caller is told which) and a digest beyond
//! them refuses the volume. The bounds are far above anything cryptsetup calibrates (about
//! 10^6 PBKDF2 iterations and 1 GiB × 4 passes of Argon2 for its 2-second default).

/// Limits on what a header may ask the key derivation to spend.
///
/// ```
/// use cryptdisk_core::kdf_limits::KdfLimits;
/// let l = KdfLimits::DEFAULT;
/// assert!(l.pbkdf2_allows(2_000_000));
/// assert!(!l.pbkdf2_allows(u32::MAX));
/// assert!(l.argon2_allows(4, 1 << 20, 4).is_ok());
/// assert!(l.argon2_allows(4, 1 << 30, 4).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfLimits {
    /// Most PBKDF2 iterations (key slots and digests).
    pub max_pbkdf2_iterations: u32,
    /// Most Argon2 memory, KiB (the default is cryptsetup's own maximum, 4 GiB; lower it to
    /// what the machine can give).
    pub max_argon2_memory_kib: u32,
    /// Most Argon2 work: time cost × memory (KiB).
    pub max_argon2_work: u64,
    /// Most Argon2 lanes.
    pub max_argon2_lanes: u32,
}

/// Why an Argon2 cost is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argon2Refusal {
    /// More memory than the limit (the machine cannot give it, or beyond 4 GiB).
    Memory {
        /// The limit, KiB.
        limit_kib: u32,
    },
    /// Time × memory beyond the work limit.
    Work {
        /// The limit.
        limit: u64,
    },
    /// More lanes than the limit.
    Lanes {
        /// The limit.
        limit: u32,
    },
}

impl KdfLimits {
    /// 10^8 PBKDF2 iterations, 4 GiB and 2^30 KiB-passes of Argon2 (256 times cryptsetup's
    /// 1 GiB × 4 default), 64 lanes.
    pub const DEFAULT: Self = Self {
        max_pbkdf2_iterations: 100_000_000,
        max_argon2_memory_kib: 4 * 1024 * 1024,
        max_argon2_work: 1 << 30,
        max_argon2_lanes: 64,
    };

    /// Whether `iterations` PBKDF2 iterations are within the limit.
    pub fn pbkdf2_allows(&self, iterations: u32) -> bool {
        iterations <= self.max_pbkdf2_iterations
    }

    /// Whether an Argon2 cost is within the limits.
    ///
    /// # Errors
    ///
    /// The first limit exceeded.
    pub fn argon2_allows(&self, time: u32, memory_kib: u32, lanes: u32) -> Result<(), Argon2Refusal> {
        if memory_kib > self.max_argon2_memory_kib {
            return Err(Argon2Refusal::Memory {
                limit_kib: self.max_argon2_memory_kib,
            });
        }
        if u64::from(time).saturating_mul(u64::from(memory_kib)) > self.max_argon2_work {
            return Err(Argon2Refusal::Work {
                limit: self.max_argon2_work,
            });
        }
        if lanes > self.max_argon2_lanes {
            return Err(Argon2Refusal::Lanes {
                limit: self.max_argon2_lanes,
            });
        }
        Ok(())
    }
}

impl Default for KdfLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl core::fmt::Display for Argon2Refusal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Memory { limit_kib } => write!(
                f,
                "needs more memory than this machine can give (limit {limit_kib} KiB)"
            ),
            Self::Work { limit } => write!(f, "time cost x memory exceeds {limit} KiB-passes"),
            Self::Lanes { limit } => write!(f, "more than {limit} lanes"),
        }
    }
}

#[cfg(feature = "std")]
impl KdfLimits {
    /// [`DEFAULT`](Self::DEFAULT) with the Argon2 memory limit lowered to the memory this
    /// machine has available (Linux: `MemAvailable` plus free swap from `/proc/meminfo`;
    /// elsewhere the default).
    pub fn for_this_machine() -> Self {
        let mut limits = Self::DEFAULT;
        if let Some(kib) = available_kib() {
            limits.max_argon2_memory_kib = limits.max_argon2_memory_kib.min(u32::try_from(kib).unwrap_or(u32::MAX));
        }
        limits
    }
}

#[cfg(feature = "std")]
fn available_kib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some(field("MemAvailable:")?.saturating_add(field("SwapFree:").unwrap_or(0)))
}
