//! Which SIMD backends this CPU (and OS) can run.
//!
//! With `std`, `is_x86_feature_detected!` decides (it also checks that the OS saves the
//! registers). Without `std` (the kernel shell), CPUID and XGETBV are read here with the same
//! rules: each feature bit, and for AVX / AVX-512 the XCR0 bits of the register files (YMM;
//! opmask and ZMM).

use super::Backend;

/// Whether `backend` can run here (always true for [`Backend::Portable`]).
pub(in crate::xts) fn supported(backend: Backend) -> bool {
    #[cfg(feature = "std")]
    {
        std_supported(backend)
    }
    #[cfg(not(feature = "std"))]
    {
        Words::read().supports(backend)
    }
}

/// Whether AVX can run here (the CPU has it and the OS saves the YMM registers): the AES-NI
/// kernel then uses its VEX encoding (`xmm::vex`).
pub(in crate::xts) fn avx_usable() -> bool {
    #[cfg(feature = "std")]
    {
        std::is_x86_feature_detected!("avx")
    }
    #[cfg(not(feature = "std"))]
    {
        Words::read().avx()
    }
}

/// Whether the kernels should compute their tweaks with carry-less multiplies and byte shifts
/// (the clmul flavour) rather than with bit shifts (the shifts flavour): on Intel CPUs with
/// AVX2 (Haswell and later, where `pclmulqdq` is a single fast µop on its own port).
///
/// Measured (`performance.md` §14.2): on Sapphire Rapids the clmul flavour is 14-28 % faster
/// (512-bit and 256-bit bit shifts there run on the ports of the AES rounds); on Zen 4 the shifts
/// flavour is the one measured fastest (a carry-less multiply shares the AES units, shifts do
/// not). Other vendors keep the shifts flavour, the one measured first.
pub(in crate::xts) fn clmul_tweaks() -> bool {
    #[cfg(feature = "std")]
    let avx2 = std::is_x86_feature_detected!("avx2");
    #[cfg(not(feature = "std"))]
    let avx2 = Words::read().avx2();
    avx2 && is_intel(vendor())
}

/// CPUID leaf 0's vendor string (EBX, EDX, ECX).
#[allow(unused_unsafe, reason = "__cpuid is unsafe in older Rust releases")]
fn vendor() -> [u32; 3] {
    // SAFETY: CPUID exists on every x86-64 CPU; leaf 0 is always valid.
    let l0 = unsafe { core::arch::x86_64::__cpuid(0) };
    [l0.ebx, l0.edx, l0.ecx]
}

/// `GenuineIntel`, as CPUID leaf 0 spells it in EBX, EDX, ECX.
fn is_intel(vendor: [u32; 3]) -> bool {
    vendor == [0x756e_6547, 0x4965_6e69, 0x6c65_746e]
}

/// [`supported`] with `std`: `is_x86_feature_detected!`.
#[cfg(feature = "std")]
fn std_supported(backend: Backend) -> bool {
    let aesni = std::is_x86_feature_detected!("aes")
        && std::is_x86_feature_detected!("pclmulqdq")
        && std::is_x86_feature_detected!("sse2");
    let vaes256 = aesni
        && std::is_x86_feature_detected!("avx")
        && std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("vaes")
        && std::is_x86_feature_detected!("vpclmulqdq");
    match backend {
        Backend::Portable => true,
        Backend::Aesni => aesni,
        Backend::Vaes256 => vaes256,
        Backend::Vaes512 => {
            vaes256
                && std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512vl")
        }
    }
}

/// The CPUID and XCR0 words the detection without `std` (the kernel shell) reads, once per
/// question. Also compiled for the tests, which check it against `is_x86_feature_detected!` on
/// the machine they run on.
///
/// `__cpuid` is an `unsafe fn` in older Rust releases (including this crate's minimum, 1.89)
/// and safe in newer ones; the blocks stay for the older compilers.
#[cfg(any(not(feature = "std"), test))]
struct Words {
    /// CPUID.1:ECX.
    l1_ecx: u32,
    /// CPUID.7.0:EBX and ECX (zero when leaf 7 is beyond the CPU's maximum).
    l7_ebx: u32,
    l7_ecx: u32,
    /// XCR0 (zero when OSXSAVE is clear).
    xcr0: u64,
}

#[cfg(any(not(feature = "std"), test))]
impl Words {
    /// Reads them.
    #[allow(unused_unsafe, reason = "__cpuid is unsafe in older Rust releases")]
    fn read() -> Self {
        use core::arch::x86_64::{__cpuid, __cpuid_count};
        // SAFETY: CPUID exists on every x86-64 CPU; leaf 0 reports the highest leaf.
        let max_leaf = unsafe { __cpuid(0) }.eax;
        // SAFETY: as above; leaf 1 is below every x86-64 CPU's maximum.
        let l1_ecx = unsafe { __cpuid(1) }.ecx;
        let (l7_ebx, l7_ecx) = if max_leaf >= 7 {
            // SAFETY: as above; leaf 7 is within the reported maximum.
            let l7 = unsafe { __cpuid_count(7, 0) };
            (l7.ebx, l7.ecx)
        } else {
            (0, 0)
        };
        let xcr0 = if bit(l1_ecx, 27) {
            // SAFETY: CPUID.1:ECX.OSXSAVE (bit 27) says the OS enabled XGETBV; register 0 is XCR0.
            unsafe { xcr0() }
        } else {
            0
        };
        Self {
            l1_ecx,
            l7_ebx,
            l7_ecx,
            xcr0,
        }
    }

    /// [`avx_usable`]: AVX, with the YMM state enabled.
    fn avx(&self) -> bool {
        avx_from(self.l1_ecx, self.xcr0)
    }

    /// AVX2 (CPUID.7.0:EBX bit 5), with AVX usable.
    fn avx2(&self) -> bool {
        self.avx() && bit(self.l7_ebx, 5)
    }

    /// [`supported`].
    fn supports(&self, backend: Backend) -> bool {
        let aesni = bit(self.l1_ecx, 1) && bit(self.l1_ecx, 25);
        let zmm_os = self.xcr0 & 0b1110_0110 == 0b1110_0110;
        let vaes256 = aesni && self.avx2() && bit(self.l7_ecx, 9) && bit(self.l7_ecx, 10);
        match backend {
            Backend::Portable => true,
            Backend::Aesni => aesni,
            Backend::Vaes256 => vaes256,
            Backend::Vaes512 => {
                vaes256 && zmm_os && bit(self.l7_ebx, 16) && bit(self.l7_ebx, 30) && bit(self.l7_ebx, 31)
            }
        }
    }
}

/// Bit `n` of `reg`.
#[cfg(any(not(feature = "std"), test))]
fn bit(reg: u32, n: u32) -> bool {
    reg.checked_shr(n).unwrap_or(0) & 1 == 1
}

/// AVX is usable: CPUID.1:ECX.AVX (bit 28), and the OS saves the SSE and YMM state (XCR0 bits 1
/// and 2). `ecx` is CPUID.1:ECX; `xcr0` is 0 when OSXSAVE is clear.
#[cfg(any(not(feature = "std"), test))]
fn avx_from(ecx: u32, xcr0: u64) -> bool {
    bit(ecx, 28) && xcr0 & 0b110 == 0b110
}

/// XCR0, the register files the OS saves.
#[cfg(any(not(feature = "std"), test))]
#[target_feature(enable = "xsave")]
fn xcr0() -> u64 {
    // SAFETY: the caller checked OSXSAVE; XGETBV(0) only reads XCR0.
    unsafe { core::arch::x86_64::_xgetbv(0) }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// The kernel shell's detection (CPUID + XCR0) agrees with the standard library's on this
    /// machine, for every backend and for the AES-NI kernel's encoding.
    #[test]
    fn cpuid_detection_matches_std() {
        let words = Words::read();
        for b in Backend::ALL {
            assert_eq!(words.supports(b), std_supported(b), "{b}");
        }
        assert_eq!(words.avx(), std::is_x86_feature_detected!("avx"));
        assert_eq!(words.avx2(), std::is_x86_feature_detected!("avx2"));
    }

    /// The vendor string is read as CPUID spells it: "GenuineIntel" is Intel, "AuthenticAMD"
    /// and "HygonGenuine" are not; this machine's string is printable ASCII.
    #[test]
    fn vendor_strings() {
        let words = |s: &[u8; 12]| {
            let w = |i: usize| u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]);
            [w(0), w(4), w(8)]
        };
        assert!(is_intel(words(b"GenuineIntel")));
        assert!(!is_intel(words(b"AuthenticAMD")));
        assert!(!is_intel(words(b"HygonGenuine")));
        let here: Vec<u8> = vendor().iter().flat_map(|w| w.to_le_bytes()).collect();
        assert!(here.iter().all(u8::is_ascii_graphic), "{here:?}");
        println!("CPU vendor: {}", String::from_utf8_lossy(&here));
    }

    /// AVX needs the CPU bit and both XCR0 bits (an OS that does not save YMM state disables it).
    #[test]
    fn avx_needs_cpu_and_os() {
        let cpu = 1 << 28;
        assert!(avx_from(cpu, 0b111));
        assert!(!avx_from(cpu, 0b011), "YMM state not enabled");
        assert!(!avx_from(cpu, 0b101), "SSE state not enabled");
        assert!(!avx_from(0, 0b111), "no AVX in the CPU");
        assert!(!avx_from(cpu, 0), "no XSAVE");
    }
}
