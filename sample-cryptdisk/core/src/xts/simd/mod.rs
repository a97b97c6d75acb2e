//! Fused XTS-AES kernels for x86-64: AES-NI on xmm, VAES + VPCLMULQDQ on ymm (AVX2) and on zmm
//! (AVX-512). The only module of `cryptdisk-core` that may use `unsafe`: unaligned vector
//! loads and stores, CPUID, and the calls into `#[target_feature]` functions once the CPU is
//! known to have the features (one operation per block, each with its `SAFETY` argument).
//!
//! A [`SimdXts`] can only be built for a backend that [`supported`] confirmed, so the
//! `#[target_feature]` calls in [`SimdXts::units`] never run on a CPU without the features.
//! The key schedule is expanded here with AES-NI (the `aes` crate does not expose its round
//! keys) and zeroized on drop.

use crate::heap::{OutOfMemory, TryBox, try_filled};
use alloc::boxed::Box;
use core::arch::x86_64::{
    __m128i, _mm_aesdec_si128, _mm_aesdeclast_si128, _mm_aesenc_si128, _mm_aesenclast_si128, _mm_aesimc_si128,
    _mm_aeskeygenassist_si128, _mm_bslli_si128, _mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_loadu_si128,
    _mm_set_epi64x, _mm_setzero_si128, _mm_shuffle_epi32, _mm_slli_epi64, _mm_slli_si128, _mm_srli_epi64,
    _mm_unpackhi_epi64, _mm_xor_si128,
};
use zeroize::Zeroize;

use super::{Backend, XtsError};

mod detect;
mod kernel;
mod xmm;
mod ymm;
mod zmm;

use detect::avx_usable;
pub(super) use detect::{clmul_tweaks, supported};

/// Units whose initial tweaks `E_K2(n)` are computed together (256 bytes of stack).
const TWEAK_BATCH: usize = 16;

/// Up to 15 round keys (AES-128 uses 11, AES-256 15) of one schedule.
struct RoundKeys {
    /// Each key as 16 bytes.
    narrow: [[u8; 16]; 15],
    /// Each key four times over (64 bytes: one zmm load). On Zen 4 the zmm kernel ran 2-3 %
    /// faster at 4 KiB loading its round keys whole than broadcasting them each round
    /// (`performance.md` §14.1). On the heap, made fallibly and in place.
    wide: Box<[[u8; 64]; 15]>,
}

impl RoundKeys {
    /// No key yet.
    fn zero() -> Result<Self, OutOfMemory> {
        Ok(Self {
            narrow: [[0; 16]; 15],
            wide: try_filled([0; 64])?,
        })
    }

    /// Fills `wide` from `narrow`.
    fn widen(&mut self) {
        for (w, k) in self.wide.iter_mut().zip(&self.narrow) {
            for lane in w.chunks_exact_mut(16) {
                lane.copy_from_slice(k);
            }
        }
    }

    /// Becomes a copy of `other`.
    fn copy_from(&mut self, other: &Self) {
        self.narrow.copy_from_slice(&other.narrow);
        self.wide.copy_from_slice(&*other.wide);
    }
}

impl Drop for RoundKeys {
    fn drop(&mut self) {
        self.narrow.zeroize();
        self.wide.zeroize();
    }
}

/// Expanded keys of one XTS key: data cipher (encryption and equivalent-inverse decryption
/// schedules) and tweak cipher (encryption only).
pub(super) struct KeySchedule {
    data_enc: RoundKeys,
    data_dec: RoundKeys,
    tweak_enc: RoundKeys,
    /// 10 (AES-128) or 14 (AES-256).
    rounds: usize,
}

/// An XTS key expanded for one SIMD backend the CPU supports.
pub(super) struct SimdXts {
    keys: KeySchedule,
    /// Never [`Backend::Portable`]; confirmed by [`supported`] in [`SimdXts::new`].
    backend: Backend,
    /// [`Backend::Aesni`] runs the VEX encoding of its kernel ([`avx_usable`] in `new`).
    avx: bool,
    /// The kernels' clmul flavour of tweak arithmetic (`TweakArithmetic::selected` in `new`);
    /// the legacy SSE encoding has the shifts flavour only.
    clmul: bool,
}

impl SimdXts {
    /// Expands `k1` (data) and `k2` (tweak), both 16 or 32 bytes, for `backend`.
    ///
    /// The schedule is expanded straight into its heap allocation, which never moves.
    ///
    /// # Errors
    ///
    /// [`XtsError::BackendUnsupported`] when the backend is portable or the CPU lacks its
    /// features (or the key length is wrong); [`XtsError::OutOfMemory`] when the allocation fails.
    pub(super) fn new(backend: Backend, k1: &[u8], k2: &[u8]) -> Result<TryBox<Self>, XtsError> {
        let unsupported = XtsError::BackendUnsupported { backend };
        if backend == Backend::Portable || !supported(backend) {
            return Err(unsupported);
        }
        let clmul = super::TweakArithmetic::selected() == super::TweakArithmetic::Clmul;
        let mut this = Self::zeroed(backend, avx_usable(), clmul).map_err(|_| XtsError::OutOfMemory)?;
        // Every SIMD backend needs AES-NI and SSE2, which `supported` just confirmed.
        // SAFETY: `supported(backend)` checked the `aes` feature (and x86-64 has SSE2).
        unsafe { expand(k1, k2, &mut this.keys) }.ok_or(unsupported)?;
        Ok(this)
    }

    /// A zero schedule (no key bytes yet, so building it on the stack is harmless; the wide
    /// tables are on the heap already).
    fn zero(backend: Backend, avx: bool, clmul: bool) -> Result<Self, OutOfMemory> {
        Ok(Self {
            keys: KeySchedule {
                data_enc: RoundKeys::zero()?,
                data_dec: RoundKeys::zero()?,
                tweak_enc: RoundKeys::zero()?,
                rounds: 0,
            },
            backend,
            avx,
            clmul,
        })
    }

    /// A zero schedule on the heap, where key expansion then writes it.
    fn zeroed(backend: Backend, avx: bool, clmul: bool) -> Result<TryBox<Self>, OutOfMemory> {
        TryBox::new(Self::zero(backend, avx, clmul)?)
    }

    /// A copy in a new heap allocation, written there directly (no copy on the stack); with no
    /// memory, the allocation-error handler runs as for `Box::new` (`Clone` cannot fail).
    pub(super) fn boxed_clone(&self) -> TryBox<Self> {
        let zero = Self::zero(self.backend, self.avx, self.clmul)
            .unwrap_or_else(|_| alloc::alloc::handle_alloc_error(core::alloc::Layout::new::<[[u8; 64]; 15]>()));
        let mut copy = TryBox::new_or_abort(zero);
        copy.keys.data_enc.copy_from(&self.keys.data_enc);
        copy.keys.data_dec.copy_from(&self.keys.data_dec);
        copy.keys.tweak_enc.copy_from(&self.keys.tweak_enc);
        copy.keys.rounds = self.keys.rounds;
        copy
    }

    /// The backend this instance runs.
    pub(super) fn backend(&self) -> Backend {
        self.backend
    }

    /// Encrypts (`encrypt`) or decrypts whole units of `unit` bytes in place; unit i uses tweak
    /// number `first + i · step`. The caller has checked the geometry (`unit` a non-zero multiple
    /// of 16 dividing `buf.len()`) and that the last tweak number fits in 64 bits.
    pub(super) fn units(&self, buf: &mut [u8], unit: usize, first: u64, step: u64, encrypt: bool) {
        match self.backend {
            // SAFETY: `self.backend` was confirmed by `supported` in `new`: the CPU and OS have
            // AES-NI and PCLMULQDQ; `self.avx` by `avx_usable`: AVX, YMM state enabled.
            Backend::Aesni if self.avx && self.clmul => unsafe {
                xmm::vex::clmul::units(&self.keys, buf, unit, first, step, encrypt)
            },
            // SAFETY: as above: AES-NI, PCLMULQDQ, AVX with YMM state enabled.
            Backend::Aesni if self.avx => unsafe {
                xmm::vex::shifts::units(&self.keys, buf, unit, first, step, encrypt)
            },
            // SAFETY: as above: AES-NI and PCLMULQDQ.
            Backend::Aesni => unsafe { xmm::sse::shifts::units(&self.keys, buf, unit, first, step, encrypt) },
            // SAFETY: as above: AVX2, AES-NI, VAES, PCLMULQDQ and VPCLMULQDQ, YMM state enabled.
            Backend::Vaes256 if self.clmul => unsafe { ymm::clmul::units(&self.keys, buf, unit, first, step, encrypt) },
            // SAFETY: as above.
            Backend::Vaes256 => unsafe { ymm::shifts::units(&self.keys, buf, unit, first, step, encrypt) },
            // SAFETY: as above: AVX-512 F/BW/VL, VAES, VPCLMULQDQ, ZMM and opmask state enabled.
            Backend::Vaes512 if self.clmul => unsafe { zmm::clmul::units(&self.keys, buf, unit, first, step, encrypt) },
            // SAFETY: as above.
            Backend::Vaes512 => unsafe { zmm::shifts::units(&self.keys, buf, unit, first, step, encrypt) },
            Backend::Portable => {}
        }
    }
}

#[cfg(test)]
impl SimdXts {
    /// From now on, runs the legacy SSE encoding of the AES-NI kernel (the one CPUs without AVX
    /// get), so that the tests can check it on machines that have AVX.
    pub(super) fn force_legacy_sse(&mut self) {
        self.avx = false;
    }

    /// From now on, runs the clmul (`true`) or shifts (`false`) flavour of tweak arithmetic,
    /// so that the tests check both on any CPU (the dispatch picks one per vendor).
    pub(super) fn force_clmul(&mut self, clmul: bool) {
        self.clmul = clmul;
    }

    /// Whether this instance runs the clmul flavour (with the legacy SSE encoding, never).
    pub(super) fn runs_clmul(&self) -> bool {
        self.clmul && (self.avx || self.backend != Backend::Aesni)
    }
}

/// x^k as a 64-bit polynomial (bit k), for 0 ≤ k ≤ 63; 0 otherwise.
fn x_pow(k: i64) -> i64 {
    u32::try_from(k).ok().and_then(|k| 1i64.checked_shl(k)).unwrap_or(0)
}

/// A zero block.
#[target_feature(enable = "sse2")]
#[inline]
fn zero128() -> __m128i {
    _mm_setzero_si128()
}

/// Loads 16 bytes into an xmm register.
#[target_feature(enable = "sse2")]
#[inline]
fn load128(b: &[u8; 16]) -> __m128i {
    // SAFETY: `b` is valid for reading 16 bytes; MOVDQU has no alignment requirement.
    unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
}

/// Stores an xmm register as 16 bytes (safe: the two 64-bit halves).
#[target_feature(enable = "sse2")]
#[inline]
fn store128(b: &mut [u8; 16], v: __m128i) {
    let lo = _mm_cvtsi128_si64(v).to_le_bytes();
    let hi = _mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v)).to_le_bytes();
    let (l, h) = b.split_at_mut(8);
    l.copy_from_slice(&lo);
    h.copy_from_slice(&hi);
}

/// Round key `r` (zero when out of range, which the kernels never ask for).
#[target_feature(enable = "sse2")]
#[inline]
fn round_key(rk: &RoundKeys, r: usize) -> __m128i {
    match rk.narrow.get(r) {
        Some(k) => load128(k),
        None => zero128(),
    }
}

/// One block with 128-bit AES-NI and tweak `t`: the tails of the wide kernels (fewer blocks
/// than lanes).
#[target_feature(enable = "aes")]
#[inline]
fn one_block<const NR: usize, const ENC: bool>(rk: &RoundKeys, b: &mut [u8; 16], t: __m128i) {
    let rk = core::hint::black_box(rk);
    let mut x = _mm_xor_si128(_mm_xor_si128(load128(b), t), round_key(rk, 0));
    for r in 1..NR {
        let k = round_key(rk, r);
        x = if ENC {
            _mm_aesenc_si128(x, k)
        } else {
            _mm_aesdec_si128(x, k)
        };
    }
    let last = _mm_xor_si128(round_key(rk, NR), t);
    x = if ENC {
        _mm_aesenclast_si128(x, last)
    } else {
        _mm_aesdeclast_si128(x, last)
    };
    store128(b, x);
}

/// `t · x` in GF(2^128) on an xmm register: the tweak of the next block.
#[target_feature(enable = "sse2,pclmulqdq")]
#[inline]
fn mul_x128(t: __m128i) -> __m128i {
    let out = _mm_srli_epi64::<63>(t);
    let carry = _mm_bslli_si128::<8>(out);
    let reduced = _mm_clmulepi64_si128::<0x01>(out, _mm_set_epi64x(0, 0x87));
    _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64::<1>(t), carry), reduced)
}

/// `k ⊕ (k << 32) ⊕ (k << 64) ⊕ (k << 96)`: the running XOR of the key-schedule words.
#[target_feature(enable = "aes")]
#[inline]
fn spread(k: __m128i) -> __m128i {
    let k = _mm_xor_si128(k, _mm_slli_si128::<4>(k));
    let k = _mm_xor_si128(k, _mm_slli_si128::<4>(k));
    _mm_xor_si128(k, _mm_slli_si128::<4>(k))
}

/// The next AES-128 round key (also the even keys of AES-256), round constant `RCON`.
#[target_feature(enable = "aes")]
#[inline]
fn next_even<const RCON: i32>(prev2: __m128i, prev1: __m128i) -> __m128i {
    let t = _mm_shuffle_epi32::<0xff>(_mm_aeskeygenassist_si128::<RCON>(prev1));
    _mm_xor_si128(spread(prev2), t)
}

/// The odd round keys of AES-256 (SubWord without rotation or round constant).
#[target_feature(enable = "aes")]
#[inline]
fn next_odd(prev2: __m128i, prev1: __m128i) -> __m128i {
    let t = _mm_shuffle_epi32::<0xaa>(_mm_aeskeygenassist_si128::<0>(prev1));
    _mm_xor_si128(spread(prev2), t)
}

/// Writes the AES encryption key schedule of a 16- or 32-byte key into `out` (straight into the
/// schedule, no intermediate copies of the round keys), and returns its number of rounds.
#[target_feature(enable = "aes")]
fn expand_one(key: &[u8], out: &mut [[u8; 16]; 15]) -> Option<usize> {
    let [o0, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11, o12, o13, o14] = out;
    match key.len() {
        16 => {
            let mut k = load128(key.try_into().ok()?);
            store128(o0, k);
            macro_rules! r128 {
                ($($o:ident => $rcon:literal),*) => {$(
                    k = next_even::<$rcon>(k, k);
                    store128($o, k);
                )*};
            }
            r128!(o1 => 0x01, o2 => 0x02, o3 => 0x04, o4 => 0x08, o5 => 0x10, o6 => 0x20, o7 => 0x40, o8 => 0x80, o9 => 0x1b, o10 => 0x36);
            Some(10)
        }
        32 => {
            let (a, b) = key.split_at(16);
            let mut even = load128(a.try_into().ok()?);
            let mut odd = load128(b.try_into().ok()?);
            store128(o0, even);
            store128(o1, odd);
            macro_rules! r256 {
                ($($e:ident, $o:ident => $rcon:literal),*) => {$(
                    even = next_even::<$rcon>(even, odd);
                    store128($e, even);
                    odd = next_odd(odd, even);
                    store128($o, odd);
                )*};
            }
            r256!(o2, o3 => 0x01, o4, o5 => 0x02, o6, o7 => 0x04, o8, o9 => 0x08, o10, o11 => 0x10, o12, o13 => 0x20);
            store128(o14, next_even::<0x40>(even, odd));
            Some(14)
        }
        _ => None,
    }
}

/// Expands both halves of an XTS key into `keys`, plus the equivalent-inverse-cipher schedule of
/// the data key (`dk[0] = ek[NR]`, `dk[i] = InvMixColumns(ek[NR - i])`, `dk[NR] = ek[0]`).
/// `None` (with `keys` partly written) when a half is not 16 or 32 bytes or they differ in size.
#[target_feature(enable = "aes")]
fn expand(k1: &[u8], k2: &[u8], keys: &mut KeySchedule) -> Option<()> {
    let rounds = expand_one(k1, &mut keys.data_enc.narrow)?;
    if expand_one(k2, &mut keys.tweak_enc.narrow)? != rounds {
        return None;
    }
    keys.rounds = rounds;
    for (i, d) in keys
        .data_dec
        .narrow
        .iter_mut()
        .take(rounds.saturating_add(1))
        .enumerate()
    {
        let src = round_key(&keys.data_enc, rounds.saturating_sub(i));
        let v = if i == 0 || i == rounds {
            src
        } else {
            _mm_aesimc_si128(src)
        };
        store128(d, v);
    }
    keys.data_enc.widen();
    keys.data_dec.widen();
    keys.tweak_enc.widen();
    Some(())
}
