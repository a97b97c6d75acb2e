//! The fused AES-NI kernel on xmm registers, for CPUs without VAES. Eight blocks in flight.
//!
//! Compiled twice from the same source: [`vex`] (AVX's three-operand VEX encoding, for CPUs and
//! OSes with AVX enabled; it zeroes the upper halves of the YMM registers it writes, state the
//! kernel shell saves) and [`sse`] (the legacy two-operand encoding, which touches no YMM state,
//! for CPUs without AVX). Measured on Zen 4 (`performance.md` §14): the VEX encoding runs the
//! same kernel about 7 % faster (the legacy encoding needs a register copy before most
//! destructive operations, and those copies take front-end slots the AES rounds need).

use core::arch::x86_64::{
    __m128i, _mm_add_epi64, _mm_aesdec_si128, _mm_aesdeclast_si128, _mm_aesenc_si128, _mm_aesenclast_si128,
    _mm_and_si128, _mm_bslli_si128, _mm_bsrli_si128, _mm_clmulepi64_si128, _mm_loadu_si128, _mm_set_epi32,
    _mm_set_epi64x, _mm_setzero_si128, _mm_shuffle_epi32, _mm_sll_epi64, _mm_srai_epi32, _mm_srl_epi64,
    _mm_storeu_si128, _mm_xor_si128,
};

use super::{RoundKeys, round_key};

type V = __m128i;
const LANES: usize = 1;
const BYTES: usize = 16;

#[target_feature(enable = "sse2")]
#[inline]
fn zero() -> V {
    _mm_setzero_si128()
}

#[target_feature(enable = "sse2")]
#[inline]
fn load(b: &[u8; BYTES]) -> V {
    // SAFETY: `b` is valid for reading 16 bytes; MOVDQU has no alignment requirement.
    unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
}

#[target_feature(enable = "sse2")]
#[inline]
fn store(b: &mut [u8; BYTES], v: V) {
    // SAFETY: `b` is valid for writing 16 bytes; MOVDQU has no alignment requirement.
    unsafe { _mm_storeu_si128(b.as_mut_ptr().cast(), v) }
}

#[target_feature(enable = "sse2")]
#[inline]
fn xor(a: V, b: V) -> V {
    _mm_xor_si128(a, b)
}

#[target_feature(enable = "sse2")]
#[inline]
fn xor3(a: V, b: V, c: V) -> V {
    _mm_xor_si128(_mm_xor_si128(a, b), c)
}

#[target_feature(enable = "aes")]
#[inline]
fn enc(x: V, k: V) -> V {
    _mm_aesenc_si128(x, k)
}

#[target_feature(enable = "aes")]
#[inline]
fn enclast(x: V, k: V) -> V {
    _mm_aesenclast_si128(x, k)
}

#[target_feature(enable = "aes")]
#[inline]
fn dec(x: V, k: V) -> V {
    _mm_aesdec_si128(x, k)
}

#[target_feature(enable = "aes")]
#[inline]
fn declast(x: V, k: V) -> V {
    _mm_aesdeclast_si128(x, k)
}

#[target_feature(enable = "sse2")]
#[inline]
fn bcast_key(rk: &RoundKeys, r: usize) -> V {
    round_key(rk, r)
}

/// Shift counts `(k, 64 - k)` for [`mul_xk`], 1 ≤ k ≤ 63.
#[target_feature(enable = "sse2")]
#[inline]
fn shift_counts(k: i64) -> (V, V) {
    (_mm_set_epi64x(0, k), _mm_set_epi64x(0, 64i64.saturating_sub(k)))
}

/// `t · x^k` in GF(2^128): the 128-bit left shift by k, and the k bits shifted out of the top
/// times the reduction polynomial 0x87 (one carry-less multiply).
#[target_feature(enable = "sse2,pclmulqdq")]
#[inline]
fn mul_xk(t: V, left: V, right: V) -> V {
    let out = _mm_srl_epi64(t, right);
    let carry = _mm_bslli_si128::<8>(out);
    let reduced = _mm_clmulepi64_si128::<0x01>(out, _mm_set_epi64x(0, 0x87));
    xor3(_mm_sll_epi64(t, left), carry, reduced)
}

/// `t · x^(8·L)` in GF(2^128), XORed with `c` (see the ymm kernel's `step_clmul`).
#[target_feature(enable = "sse2,pclmulqdq")]
#[inline]
fn step_clmul<const L: i32, const R: i32>(t: V, c: V) -> V {
    let top = _mm_bsrli_si128::<R>(t);
    let reduced = _mm_clmulepi64_si128::<0x00>(top, _mm_set_epi64x(0, 0x87));
    xor3(_mm_bslli_si128::<L>(t), reduced, c)
}

/// `t · x^(8·L) ⊕ c` with [`mul_xk`] (the shifts flavour; unused while [`advance`] chains).
#[target_feature(enable = "sse2,pclmulqdq")]
#[inline]
fn step_shifts<const L: i32, const R: i32>(t: V, c: V) -> V {
    let (l, r) = shift_counts(i64::from(L).wrapping_mul(8));
    xor(mul_xk(t, l, r), c)
}

/// The seed of a unit's tweaks: the tweak itself (one lane).
#[target_feature(enable = "sse2")]
#[inline]
fn lane_tweaks(t0: __m128i) -> V {
    t0
}

/// The clmul flavour's seed: the tweak itself, as for [`lane_tweaks`].
#[target_feature(enable = "sse2")]
#[inline]
fn broadcast(t0: __m128i) -> V {
    t0
}

/// `t · x^k ⊕ c`, 0 ≤ k ≤ 63, with carry-less multiplies only (the clmul flavour): both halves
/// of `t` times x^k, and the bits of the high product above bit 127 reduced by 0x87.
#[target_feature(enable = "sse2,pclmulqdq")]
#[inline]
fn unit_tweak_clmul(t: V, k: i64, c: V) -> V {
    let m = _mm_set_epi64x(0, super::x_pow(k));
    let lo = _mm_clmulepi64_si128::<0x00>(t, m);
    let hi = _mm_clmulepi64_si128::<0x01>(t, m);
    let reduced = _mm_clmulepi64_si128::<0x01>(hi, _mm_set_epi64x(0, 0x87));
    xor(xor3(lo, _mm_bslli_si128::<8>(hi), c), reduced)
}

/// The next iteration's tweaks, one block at a time: each the previous times x, with the
/// shift-and-mask step (no carry-less multiply). On the Zen 4 test machine this raised the
/// kernel from about 0.88× to about 1.0× OpenSSL 3.0 at 4 KiB (same-run ratios); the chain's
/// latency hides behind the AES rounds.
#[target_feature(enable = "sse2")]
#[inline]
fn advance<const N: usize>(mut tw: [V; N]) -> [V; N] {
    // Lane masks: the top bit of the low qword carries into bit 64; the top bit of the tweak
    // reduces as 0x87.
    let mask = _mm_set_epi32(0, 1, 0, 0x87);
    let mut t = tw.last().copied().unwrap_or(zero());
    for slot in tw.iter_mut() {
        let signs = _mm_srai_epi32::<31>(_mm_shuffle_epi32::<0x13>(t));
        t = _mm_xor_si128(_mm_add_epi64(t, t), _mm_and_si128(signs, mask));
        *slot = t;
    }
    tw
}

/// Lane 0 (the first block's tweak).
#[target_feature(enable = "sse2")]
#[inline]
fn lane0(t: V) -> __m128i {
    t
}

/// The per-unit pass (`kernel.rs`): the pipelined one needs a second set of tweaks in registers.
const PIPELINED: bool = false;

/// The legacy SSE encoding (no YMM state touched), shifts flavour only: CPUs without AVX.
pub(super) mod sse {
    #[allow(clippy::wildcard_imports, reason = "the kernel macro names the width's operations")]
    use super::*;
    super::super::kernel::flavour!(shifts, true, "sse2,aes,pclmulqdq", [0, 1, 2, 3, 4, 5, 6, 7]);
}

/// The VEX encoding (AVX): CPUs and OSes with AVX enabled. The clmul flavour steps each tweak by
/// x^8 per iteration with a carry-less multiply and byte shifts, which stay off the ports the
/// AES rounds use on Intel CPUs; the shifts flavour chains multiplications by x ([`advance`]).
pub(super) mod vex {
    #[allow(clippy::wildcard_imports, reason = "the kernel macro names the width's operations")]
    use super::*;
    super::super::kernel::flavour!(shifts, true, "avx,aes,pclmulqdq", [0, 1, 2, 3, 4, 5, 6, 7]);
    super::super::kernel::flavour!(clmul, "avx,aes,pclmulqdq", [0, 1, 2, 3, 4, 5, 6, 7]);
}
