//! Which XTS implementation runs: the portable one or a fused SIMD kernel, chosen once at run
//! time from the CPU's features, or forced (API, or `CRYPTDISK_XTS_BACKEND` with `std`).

use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};

/// Environment variable that forces the backend [`Backend::selected`] returns (with `std`):
/// `portable`, `aesni`, `vaes256` or `vaes512`. A backend the CPU cannot run is ignored.
pub const BACKEND_ENV: &str = "CRYPTDISK_XTS_BACKEND";

/// An implementation of the multi-unit XTS data path ([`XtsAes::encrypt_units`] and friends).
///
/// Single data units with ciphertext stealing always run on the portable path.
///
/// [`XtsAes::encrypt_units`]: super::XtsAes::encrypt_units
///
/// ```
/// use cryptdisk_core::xts::Backend;
/// assert!(Backend::Portable.is_supported());
/// assert_eq!(Backend::parse("vaes256"), Some(Backend::Vaes256));
/// assert!(Backend::available().any(|b| b == Backend::selected()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backend {
    /// The `aes` crate, batched to its parallel width, tweaks in safe Rust; every target.
    Portable,
    /// Fused AES-NI + PCLMULQDQ kernel on xmm registers (x86-64, legacy SSE encoding).
    Aesni,
    /// Fused VAES + VPCLMULQDQ kernel on ymm registers (x86-64, AVX2).
    Vaes256,
    /// Fused VAES + VPCLMULQDQ kernel on zmm registers (x86-64, AVX-512 F/BW/VL).
    Vaes512,
}

impl Backend {
    /// Every backend, slowest first.
    pub const ALL: [Self; 4] = [Self::Portable, Self::Aesni, Self::Vaes256, Self::Vaes512];

    /// The name used by [`BACKEND_ENV`] and in reports.
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::xts::Backend::Vaes512.name(), "vaes512");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            Self::Aesni => "aesni",
            Self::Vaes256 => "vaes256",
            Self::Vaes512 => "vaes512",
        }
    }

    /// The backend called `name` (see [`name`](Self::name)), ASCII case-insensitive.
    ///
    /// ```
    /// use cryptdisk_core::xts::Backend;
    /// assert_eq!(Backend::parse("AESNI"), Some(Backend::Aesni));
    /// assert_eq!(Backend::parse("sse"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether this CPU (and OS) can run the backend.
    ///
    /// ```
    /// assert!(cryptdisk_core::xts::Backend::Portable.is_supported());
    /// ```
    pub fn is_supported(self) -> bool {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        {
            super::simd::supported(self)
        }
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        {
            self == Self::Portable
        }
    }

    /// The backends this CPU can run, slowest first.
    ///
    /// ```
    /// use cryptdisk_core::xts::Backend;
    /// assert_eq!(Backend::available().next(), Some(Backend::Portable));
    /// ```
    pub fn available() -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(|b| b.is_supported())
    }

    /// The fastest backend this CPU can run.
    ///
    /// ```
    /// assert!(cryptdisk_core::xts::Backend::best().is_supported());
    /// ```
    pub fn best() -> Self {
        Self::available().last().unwrap_or(Self::Portable)
    }

    /// The backend named by [`BACKEND_ENV`], if it is set to a valid name (supported or not).
    ///
    /// ```
    /// let _forced = cryptdisk_core::xts::Backend::from_env();
    /// ```
    #[cfg(feature = "std")]
    pub fn from_env() -> Option<Self> {
        std::env::var(BACKEND_ENV).ok().as_deref().and_then(Self::parse)
    }

    /// The backend [`XtsAes::new`](super::XtsAes::new) uses: [`BACKEND_ENV`] when it names a
    /// supported backend (with `std`), else [`best`](Self::best). Decided once per process.
    ///
    /// ```
    /// assert!(cryptdisk_core::xts::Backend::selected().is_supported());
    /// ```
    pub fn selected() -> Self {
        static SELECTED: AtomicU8 = AtomicU8::new(u8::MAX);
        if let Some(b) = Self::ALL.get(usize::from(SELECTED.load(Ordering::Relaxed))) {
            return *b;
        }
        #[cfg(feature = "std")]
        let chosen = Self::from_env().filter(|b| b.is_supported()).unwrap_or_else(Self::best);
        #[cfg(not(feature = "std"))]
        let chosen = Self::best();
        SELECTED.store(chosen as u8, Ordering::Relaxed);
        chosen
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
