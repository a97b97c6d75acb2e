//! The fused VAES + VPCLMULQDQ kernel on ymm registers (AVX2): two blocks per vector, four
//! vectors in flight.

use core::arch::x86_64::{
    __m128i, __m256i, _mm_set_epi64x, _mm256_aesdec_epi128, _mm256_aesdeclast_epi128, _mm256_aesenc_epi128,
    _mm256_aesenclast_epi128, _mm256_broadcastsi128_si256, _mm256_bslli_epi128, _mm256_bsrli_epi128,
    _mm256_castsi256_si128, _mm256_clmulepi64_epi128, _mm256_loadu_si256, _mm256_set_epi64x, _mm256_set1_epi64x,
    _mm256_setzero_si256, _mm256_sll_epi64, _mm256_sllv_epi64, _mm256_srl_epi64, _mm256_srlv_epi64,
    _mm256_storeu_si256, _mm256_xor_si256,
};

use super::{RoundKeys, round_key};

type V = __m256i;
const LANES: usize = 2;
const BYTES: usize = 32;

#[target_feature(enable = "avx2")]
#[inline]
fn zero() -> V {
    _mm256_setzero_si256()
}

#[target_feature(enable = "avx2")]
#[inline]
fn load(b: &[u8; BYTES]) -> V {
    // SAFETY: `b` is valid for reading 32 bytes; VMOVDQU has no alignment requirement.
    unsafe { _mm256_loadu_si256(b.as_ptr().cast()) }
}

#[target_feature(enable = "avx2")]
#[inline]
fn store(b: &mut [u8; BYTES], v: V) {
    // SAFETY: `b` is valid for writing 32 bytes; VMOVDQU has no alignment requirement.
    unsafe { _mm256_storeu_si256(b.as_mut_ptr().cast(), v) }
}

#[target_feature(enable = "avx2")]
#[inline]
fn xor(a: V, b: V) -> V {
    _mm256_xor_si256(a, b)
}

#[target_feature(enable = "avx2")]
#[inline]
fn xor3(a: V, b: V, c: V) -> V {
    _mm256_xor_si256(_mm256_xor_si256(a, b), c)
}

#[target_feature(enable = "avx2,vaes")]
#[inline]
fn enc(x: V, k: V) -> V {
    _mm256_aesenc_epi128(x, k)
}

#[target_feature(enable = "avx2,vaes")]
#[inline]
fn enclast(x: V, k: V) -> V {
    _mm256_aesenclast_epi128(x, k)
}

#[target_feature(enable = "avx2,vaes")]
#[inline]
fn dec(x: V, k: V) -> V {
    _mm256_aesdec_epi128(x, k)
}

#[target_feature(enable = "avx2,vaes")]
#[inline]
fn declast(x: V, k: V) -> V {
    _mm256_aesdeclast_epi128(x, k)
}

#[target_feature(enable = "avx2")]
#[inline]
fn bcast_key(rk: &RoundKeys, r: usize) -> V {
    _mm256_broadcastsi128_si256(round_key(rk, r))
}

/// Shift counts `(k, 64 - k)` for [`mul_xk`], 1 ≤ k ≤ 63.
#[target_feature(enable = "avx2")]
#[inline]
fn shift_counts(k: i64) -> (__m128i, __m128i) {
    (_mm_set_epi64x(0, k), _mm_set_epi64x(0, 64i64.saturating_sub(k)))
}

/// Every lane times x^k in GF(2^128) (see the xmm kernel's `mul_xk`).
#[target_feature(enable = "avx2,vpclmulqdq")]
#[inline]
fn mul_xk(t: V, left: __m128i, right: __m128i) -> V {
    let out = _mm256_srl_epi64(t, right);
    let carry = _mm256_bslli_epi128::<8>(out);
    let reduced = _mm256_clmulepi64_epi128::<0x01>(out, _mm256_set1_epi64x(0x87));
    xor3(_mm256_sll_epi64(t, left), carry, reduced)
}

/// Every lane times x^(8·`L`) in GF(2^128), XORed with `c`: the 128-bit left shift by whole
/// bytes, and the `L` bytes shifted out of the top (`R` = 16 − `L`) times 0x87.
#[target_feature(enable = "avx2,vpclmulqdq")]
#[inline]
fn step_clmul<const L: i32, const R: i32>(t: V, c: V) -> V {
    let top = _mm256_bsrli_epi128::<R>(t);
    let reduced = _mm256_clmulepi64_epi128::<0x00>(top, _mm256_set1_epi64x(0x87));
    xor3(_mm256_bslli_epi128::<L>(t), reduced, c)
}

/// `[t0, t0 · x]`.
#[target_feature(enable = "avx2,vpclmulqdq")]
#[inline]
fn lane_tweaks(t0: __m128i) -> V {
    let t = _mm256_broadcastsi128_si256(t0);
    let out = _mm256_srlv_epi64(t, _mm256_set_epi64x(63, 63, 64, 64));
    let carry = _mm256_bslli_epi128::<8>(out);
    let reduced = _mm256_clmulepi64_epi128::<0x01>(out, _mm256_set1_epi64x(0x87));
    xor3(_mm256_sllv_epi64(t, _mm256_set_epi64x(1, 1, 0, 0)), carry, reduced)
}

/// `t · x^(8·L) ⊕ c` with [`mul_xk`] (the shifts flavour).
#[target_feature(enable = "avx2,vpclmulqdq")]
#[inline]
fn step_shifts<const L: i32, const R: i32>(t: V, c: V) -> V {
    let (l, r) = shift_counts(i64::from(L).wrapping_mul(8));
    xor(mul_xk(t, l, r), c)
}

/// `t` in both lanes (the clmul flavour's seed).
#[target_feature(enable = "avx2")]
#[inline]
fn broadcast(t0: __m128i) -> V {
    _mm256_broadcastsi128_si256(t0)
}

/// Lane j = `t · x^(k + j) ⊕ c`, 0 ≤ k + j ≤ 63, `t` in every lane, with carry-less multiplies
/// only (see the xmm kernel's `unit_tweak_clmul`).
#[target_feature(enable = "avx2,vpclmulqdq")]
#[inline]
fn unit_tweak_clmul(t: V, k: i64, c: V) -> V {
    let m = _mm256_set_epi64x(0, super::x_pow(k.wrapping_add(1)), 0, super::x_pow(k));
    let lo = _mm256_clmulepi64_epi128::<0x00>(t, m);
    let hi = _mm256_clmulepi64_epi128::<0x01>(t, m);
    let reduced = _mm256_clmulepi64_epi128::<0x01>(hi, _mm256_set1_epi64x(0x87));
    xor(xor3(lo, _mm256_bslli_epi128::<8>(hi), c), reduced)
}

/// Unused here (`CHAIN_TWEAKS` is false): the kernel names it for the xmm width.
#[target_feature(enable = "avx2")]
#[inline]
fn advance<const N: usize>(tw: [V; N]) -> [V; N] {
    tw
}

/// Lane 0 (the first block's tweak).
#[target_feature(enable = "avx2")]
#[inline]
fn lane0(t: V) -> __m128i {
    _mm256_castsi256_si128(t)
}

/// The per-unit pass (`kernel.rs`): 16 registers do not hold a second set of tweaks.
const PIPELINED: bool = false;

super::kernel::flavour!(
    shifts,
    false,
    "avx2,aes,vaes,pclmulqdq,vpclmulqdq",
    [0, 1, 2, 3, 4, 5, 6, 7]
);
super::kernel::flavour!(clmul, "avx2,aes,vaes,pclmulqdq,vpclmulqdq", [0, 1, 2, 3, 4, 5, 6, 7]);
