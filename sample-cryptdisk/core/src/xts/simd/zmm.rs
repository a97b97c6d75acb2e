//! The fused VAES + VPCLMULQDQ kernel on zmm registers (AVX-512): four blocks per vector, four
//! vectors in flight; the same kernel source as the ymm one (`kernel.rs`).

use core::arch::x86_64::{
    __m128i, __m512i, _mm_set_epi64x, _mm512_aesdec_epi128, _mm512_aesdeclast_epi128, _mm512_aesenc_epi128,
    _mm512_aesenclast_epi128, _mm512_broadcast_i32x4, _mm512_bslli_epi128, _mm512_bsrli_epi128, _mm512_castsi512_si128,
    _mm512_clmulepi64_epi128, _mm512_loadu_si512, _mm512_set_epi64, _mm512_set1_epi64, _mm512_setzero_si512,
    _mm512_sll_epi64, _mm512_slli_epi64, _mm512_sllv_epi64, _mm512_srl_epi64, _mm512_srlv_epi64, _mm512_storeu_si512,
    _mm512_ternarylogic_epi64, _mm512_xor_si512,
};

use super::RoundKeys;

type V = __m512i;
const LANES: usize = 4;
const BYTES: usize = 64;

#[target_feature(enable = "avx512f")]
#[inline]
fn zero() -> V {
    _mm512_setzero_si512()
}

#[target_feature(enable = "avx512f")]
#[inline]
fn load(b: &[u8; BYTES]) -> V {
    // SAFETY: `b` is valid for reading 64 bytes; VMOVDQU64 has no alignment requirement.
    unsafe { _mm512_loadu_si512(b.as_ptr().cast()) }
}

#[target_feature(enable = "avx512f")]
#[inline]
fn store(b: &mut [u8; BYTES], v: V) {
    // SAFETY: `b` is valid for writing 64 bytes; VMOVDQU64 has no alignment requirement.
    unsafe { _mm512_storeu_si512(b.as_mut_ptr().cast(), v) }
}

#[target_feature(enable = "avx512f")]
#[inline]
fn xor(a: V, b: V) -> V {
    _mm512_xor_si512(a, b)
}

/// `a ⊕ b ⊕ c` in one `vpternlogq`.
#[target_feature(enable = "avx512f")]
#[inline]
fn xor3(a: V, b: V, c: V) -> V {
    _mm512_ternarylogic_epi64::<0x96>(a, b, c)
}

#[target_feature(enable = "avx512f,vaes")]
#[inline]
fn enc(x: V, k: V) -> V {
    _mm512_aesenc_epi128(x, k)
}

#[target_feature(enable = "avx512f,vaes")]
#[inline]
fn enclast(x: V, k: V) -> V {
    _mm512_aesenclast_epi128(x, k)
}

#[target_feature(enable = "avx512f,vaes")]
#[inline]
fn dec(x: V, k: V) -> V {
    _mm512_aesdec_epi128(x, k)
}

#[target_feature(enable = "avx512f,vaes")]
#[inline]
fn declast(x: V, k: V) -> V {
    _mm512_aesdeclast_epi128(x, k)
}

/// Round key `r` in every lane, loaded whole from the schedule's wide form.
#[target_feature(enable = "avx512f")]
#[inline]
fn bcast_key(rk: &RoundKeys, r: usize) -> V {
    match rk.wide.get(r) {
        Some(k) => load(k),
        None => zero(),
    }
}

/// Shift counts `(k, 64 - k)` for [`mul_xk`], 1 ≤ k ≤ 63.
#[target_feature(enable = "avx512f")]
#[inline]
fn shift_counts(k: i64) -> (__m128i, __m128i) {
    (_mm_set_epi64x(0, k), _mm_set_epi64x(0, 64i64.saturating_sub(k)))
}

/// Every lane times x^k in GF(2^128) (see the xmm kernel's `mul_xk`).
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn mul_xk(t: V, left: __m128i, right: __m128i) -> V {
    let out = _mm512_srl_epi64(t, right);
    let carry = _mm512_bslli_epi128::<8>(out);
    let reduced = _mm512_clmulepi64_epi128::<0x01>(out, _mm512_set1_epi64(0x87));
    xor3(_mm512_sll_epi64(t, left), carry, reduced)
}

/// Every lane times x^(8·`L`) in GF(2^128), XORed with `c`, with shifts and XORs only (the
/// shifts flavour).
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn step_shifts<const L: i32, const R: i32>(t: V, c: V) -> V {
    // The top bits h (at most 56 of them) come down to the low qword, and h · 0x87 is
    // h ⊕ h·x ⊕ h·x² ⊕ h·x⁷ (no carry-less multiply: on Zen 4 it shares the AES units).
    let h = _mm512_bsrli_epi128::<R>(t);
    let h3 = xor3(h, _mm512_slli_epi64::<1>(h), _mm512_slli_epi64::<2>(h));
    let rest = xor3(_mm512_bslli_epi128::<L>(t), _mm512_slli_epi64::<7>(h), c);
    xor(h3, rest)
}

/// `[t0, t0 · x, t0 · x², t0 · x³]`.
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn lane_tweaks(t0: __m128i) -> V {
    let t = _mm512_broadcast_i32x4(t0);
    let out = _mm512_srlv_epi64(t, _mm512_set_epi64(61, 61, 62, 62, 63, 63, 64, 64));
    let carry = _mm512_bslli_epi128::<8>(out);
    let reduced = _mm512_clmulepi64_epi128::<0x01>(out, _mm512_set1_epi64(0x87));
    xor3(
        _mm512_sllv_epi64(t, _mm512_set_epi64(3, 3, 2, 2, 1, 1, 0, 0)),
        carry,
        reduced,
    )
}

/// Every lane times x^(8·`L`), XORed with `c`, with one carry-less multiply and byte shifts
/// (the clmul flavour; see the ymm kernel's `step_clmul`).
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn step_clmul<const L: i32, const R: i32>(t: V, c: V) -> V {
    let top = _mm512_bsrli_epi128::<R>(t);
    let reduced = _mm512_clmulepi64_epi128::<0x00>(top, _mm512_set1_epi64(0x87));
    xor3(_mm512_bslli_epi128::<L>(t), reduced, c)
}

/// `t` in every lane (the clmul flavour's seed).
#[target_feature(enable = "avx512f")]
#[inline]
fn broadcast(t0: __m128i) -> V {
    _mm512_broadcast_i32x4(t0)
}

/// Lane j = `t · x^(k + j) ⊕ c`, 0 ≤ k + j ≤ 63, `t` in every lane, with carry-less multiplies
/// only (see the xmm kernel's `unit_tweak_clmul`).
#[target_feature(enable = "avx512f,avx512bw,vpclmulqdq")]
#[inline]
fn unit_tweak_clmul(t: V, k: i64, c: V) -> V {
    let p = |j: i64| super::x_pow(k.wrapping_add(j));
    let m = _mm512_set_epi64(0, p(3), 0, p(2), 0, p(1), 0, p(0));
    let lo = _mm512_clmulepi64_epi128::<0x00>(t, m);
    let hi = _mm512_clmulepi64_epi128::<0x01>(t, m);
    let reduced = _mm512_clmulepi64_epi128::<0x01>(hi, _mm512_set1_epi64(0x87));
    xor(xor3(lo, _mm512_bslli_epi128::<8>(hi), c), reduced)
}

/// Unused here (`CHAIN_TWEAKS` is false): the kernel names it for the xmm width.
#[target_feature(enable = "avx512f")]
#[inline]
fn advance<const N: usize>(tw: [V; N]) -> [V; N] {
    tw
}

/// Lane 0 (the first block's tweak).
#[target_feature(enable = "avx512f")]
#[inline]
fn lane0(t: V) -> __m128i {
    _mm512_castsi512_si128(t)
}

/// The pipelined pass (`kernel.rs`): 32 registers hold the next iteration's tweaks too.
const PIPELINED: bool = true;

super::kernel::flavour!(
    shifts,
    false,
    "avx512f,avx512bw,avx512vl,avx2,aes,vaes,pclmulqdq,vpclmulqdq",
    [0, 1, 2, 3, 4, 5, 6, 7]
);
super::kernel::flavour!(
    clmul,
    "avx512f,avx512bw,avx512vl,avx2,aes,vaes,pclmulqdq,vpclmulqdq",
    [0, 1, 2, 3, 4, 5, 6, 7]
);
