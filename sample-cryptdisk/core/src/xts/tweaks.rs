//! How the SIMD kernels multiply tweaks by powers of x: chosen once per process from the CPU,
//! or forced (`CRYPTDISK_XTS_TWEAKS` with `std`), so that either can be measured on any CPU.

use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};

/// Environment variable that forces [`TweakArithmetic::selected`] (with `std`): `clmul` or
/// `shifts`; any other value is ignored.
pub const TWEAKS_ENV: &str = "CRYPTDISK_XTS_TWEAKS";

/// The SIMD kernels' tweak arithmetic. Both compute the same tweaks (the tests run both on
/// every CPU); they differ in which execution units they take from the AES rounds.
///
/// ```
/// use cryptdisk_core::xts::TweakArithmetic;
/// assert_eq!(TweakArithmetic::parse("clmul"), Some(TweakArithmetic::Clmul));
/// let _ = TweakArithmetic::selected().name();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TweakArithmetic {
    /// Bit shifts and XORs, at most one carry-less multiply per vector: measured fastest on
    /// AMD Zen 4, where a carry-less multiply shares the AES units. The default on every CPU
    /// but Intel's, and the only one of the legacy SSE encoding.
    Shifts,
    /// Carry-less multiplies and byte shifts only: measured 14-28 % faster on Intel Sapphire
    /// Rapids, where bit shifts run on the AES rounds' ports. The default on Intel CPUs with AVX2.
    Clmul,
}

impl TweakArithmetic {
    /// Both, in the order of their `u8` codes.
    const ALL: [Self; 2] = [Self::Shifts, Self::Clmul];

    /// The name used by [`TWEAKS_ENV`] and in reports.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::xts::TweakArithmetic::Clmul.name(), "clmul");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::Shifts => "shifts",
            Self::Clmul => "clmul",
        }
    }

    /// The flavour called `name`, ASCII case-insensitive.
    ///
    /// ```
    /// use cryptdisk_core::xts::TweakArithmetic;
    /// assert_eq!(TweakArithmetic::parse(" Shifts "), Some(TweakArithmetic::Shifts));
    /// assert_eq!(TweakArithmetic::parse("fast"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The flavour this CPU runs best, as measured: [`Clmul`](Self::Clmul) on Intel CPUs with
    /// AVX2, [`Shifts`](Self::Shifts) elsewhere (and on targets other than x86-64, where it
    /// does not matter).
    ///
    /// ```
    /// let _ = cryptdisk_core::xts::TweakArithmetic::for_this_cpu();
    /// ```
    pub fn for_this_cpu() -> Self {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        if super::simd::clmul_tweaks() {
            return Self::Clmul;
        }
        Self::Shifts
    }

    /// The flavour every [`XtsAes`](super::XtsAes) made from now on uses: [`TWEAKS_ENV`] when
    /// it names one (with `std`), else [`for_this_cpu`](Self::for_this_cpu). Decided once per
    /// process.
    ///
    /// ```
    /// use cryptdisk_core::xts::TweakArithmetic;
    /// assert_eq!(TweakArithmetic::selected(), TweakArithmetic::selected());
    /// ```
    pub fn selected() -> Self {
        static SELECTED: AtomicU8 = AtomicU8::new(u8::MAX);
        if let Some(t) = Self::ALL.get(usize::from(SELECTED.load(Ordering::Relaxed))) {
            return *t;
        }
        #[cfg(feature = "std")]
        let chosen = std::env::var(TWEAKS_ENV)
            .ok()
            .as_deref()
            .and_then(Self::parse)
            .unwrap_or_else(Self::for_this_cpu);
        #[cfg(not(feature = "std"))]
        let chosen = Self::for_this_cpu();
        SELECTED.store(chosen as u8, Ordering::Relaxed);
        chosen
    }
}

impl fmt::Display for TweakArithmetic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
