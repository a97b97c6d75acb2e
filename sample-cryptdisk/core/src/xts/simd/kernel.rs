//! The fused XTS pass, written once and instantiated per vector width by [`xts_kernel!`].
//!
//! The width module that invokes the macro provides, all `#[target_feature]` functions:
//! `type V` (one vector of `LANES` blocks), `const LANES`, `const BYTES` (= 16 × `LANES`),
//! `load`, `store` (whole vectors), `xor`, `xor3`, `enc`, `enclast`, `dec`, `declast`,
//! `bcast_key` (one 128-bit round key into every lane), `shift_counts` / `mul_xk` (multiply
//! every lane by x^k in GF(2^128)), `CHAIN_TWEAKS` and `advance` (the next iteration's tweaks as a chain of
//! multiplications by x, when `CHAIN_TWEAKS`), `lane_tweaks` (lane
//! i = T · x^i), `lane0` and `zero`.
//!
//! Design (performance.md §10): `IN_FLIGHT` independent vectors per iteration so the AES units
//! stay busy; the round keys are broadcast from the key schedule straight into the AES
//! instructions (the compiler keeps them in registers where it has enough); the tweak is folded
//! into round 0 (a three-input XOR) and into the last round key (`aesenclast(x, k ⊕ T)` =
//! `aesenclast(x, k) ⊕ T`); the next iteration's tweaks are computed (ymm and zmm: each vector
//! times x^(`IN_FLIGHT`·`LANES`), shifts and one carry-less multiply; xmm, `CHAIN_TWEAKS`: a
//! chain of multiplications by x with shifts and masks, measured faster here than a carry-less
//! multiply per vector);
//! the initial tweaks `E_K2(n)` of up to `TWEAK_BATCH` units are computed together with the same
//! kernel (ECB is XTS with a zero tweak).

/// Generates `units`, the entry point of one vector width, from that width's operations.
macro_rules! xts_kernel {
    ($features:literal, $in_flight:literal) => {
        /// Number of vectors processed per iteration.
        const IN_FLIGHT: usize = $in_flight;
        /// Bytes per iteration.
        const ITER_BYTES: usize = BYTES * IN_FLIGHT;
        /// Blocks per vector and per iteration, as shift counts.
        const LANES_I64: i64 = LANES as i64;
        const ITER_BLOCKS_I64: i64 = (LANES * IN_FLIGHT) as i64;

        /// One data unit (a multiple of 16 bytes), tweak `t0` = `E_K2(n)` already computed.
        #[target_feature(enable = $features)]
        #[inline]
        fn unit_pass<const NR: usize, const ENC: bool>(
            rk: &$crate::xts::simd::RoundKeys,
            data: &mut [u8],
            t0: core::arch::x86_64::__m128i,
        ) {
            let (one_l, one_r) = shift_counts(LANES_I64);
            let (all_l, all_r) = shift_counts(ITER_BLOCKS_I64);
            // Vector k starts at T · x^(k · LANES): each computed straight from the first (no
            // dependency chain between them; x^0 shifts right by 64, which gives zero).
            let first = lane_tweaks(t0);
            let mut tw = [zero(); IN_FLIGHT];
            let mut power: i64 = 0;
            for slot in tw.iter_mut() {
                let (l, r) = shift_counts(power);
                *slot = mul_xk(first, l, r);
                power = power.wrapping_add(LANES_I64);
            }
            let (chunks, rest) = data.as_chunks_mut::<ITER_BYTES>();
            for chunk in chunks {
                // Opaque to the optimiser: the round keys are broadcast from memory inside the
                // loop (a load each, cheap) instead of being hoisted and spilled to the stack,
                // which kept the ymm kernel's frame above 1 KiB.
                let rk = core::hint::black_box(rk);
                let (k0, klast) = (bcast_key(rk, 0), bcast_key(rk, NR));
                let (vs, _) = chunk.as_chunks_mut::<BYTES>();
                let mut x = [zero(); IN_FLIGHT];
                for ((x, v), t) in x.iter_mut().zip(vs.iter()).zip(tw.iter()) {
                    *x = xor3(load(v), *t, k0);
                }
                for r in 1..NR {
                    let k = bcast_key(rk, r);
                    for x in x.iter_mut() {
                        *x = if ENC { enc(*x, k) } else { dec(*x, k) };
                    }
                }
                for ((x, v), t) in x.iter().zip(vs.iter_mut()).zip(tw.iter_mut()) {
                    let last = xor(klast, *t);
                    store(v, if ENC { enclast(*x, last) } else { declast(*x, last) });
                    if !CHAIN_TWEAKS {
                        *t = mul_xk(*t, all_l, all_r);
                    }
                }
                if CHAIN_TWEAKS {
                    tw = advance(tw);
                }
            }
            // Fewer than IN_FLIGHT vectors left: one vector at a time. The tweaks are derived
            // from the first one again rather than read from `tw`, so that `tw` stays in
            // registers (an array indexed at run time would live on the stack).
            let (vs, tail) = rest.as_chunks_mut::<BYTES>();
            let [mut t, ..] = tw;
            for v in vs.iter_mut() {
                let rk = core::hint::black_box(rk);
                let (k0, klast) = (bcast_key(rk, 0), bcast_key(rk, NR));
                let mut x = xor3(load(v), t, k0);
                for r in 1..NR {
                    let k = bcast_key(rk, r);
                    x = if ENC { enc(x, k) } else { dec(x, k) };
                }
                let last = xor(klast, t);
                store(v, if ENC { enclast(x, last) } else { declast(x, last) });
                t = mul_xk(t, one_l, one_r);
            }
            // Fewer than LANES blocks left: one block at a time with 128-bit AES, from lane 0.
            let (tail_blocks, _) = tail.as_chunks_mut::<16>();
            let mut t1 = lane0(t);
            for b in tail_blocks.iter_mut() {
                $crate::xts::simd::one_block::<NR, ENC>(rk, b, t1);
                t1 = $crate::xts::simd::mul_x128(t1);
            }
        }

        /// Encrypts or decrypts whole data units of `unit` bytes (a non-zero multiple of 16,
        /// dividing `buf.len()`); unit i uses tweak number `first + i · step` (the caller has
        /// checked that it does not overflow).
        #[target_feature(enable = $features)]
        fn run<const NR: usize, const ENC: bool>(
            keys: &$crate::xts::simd::KeySchedule,
            buf: &mut [u8],
            unit: usize,
            first: u64,
            step: u64,
        ) {
            use $crate::xts::simd::TWEAK_BATCH;
            if unit == 0 {
                return; // excluded by the caller; keeps the chunking below panic-free
            }
            let data_keys = if ENC { &keys.data_enc } else { &keys.data_dec };
            let mut tweaks = [[0u8; 16]; TWEAK_BATCH];
            let mut n = u128::from(first);
            for group in buf.chunks_mut(unit.saturating_mul(TWEAK_BATCH)) {
                let count = group.len().checked_div(unit).unwrap_or(0);
                for t in tweaks.iter_mut().take(count) {
                    *t = n.to_le_bytes();
                    n = n.wrapping_add(u128::from(step));
                }
                let used = tweaks.get_mut(..count).unwrap_or_default();
                // E_K2(n) for the whole group: ECB is XTS with a zero tweak.
                unit_pass::<NR, true>(
                    &keys.tweak_enc,
                    used.as_flattened_mut(),
                    $crate::xts::simd::zero128(),
                );
                for (u, t) in group.chunks_exact_mut(unit).zip(used.iter()) {
                    unit_pass::<NR, ENC>(data_keys, u, $crate::xts::simd::load128(t));
                }
            }
        }

        /// Entry point of this width (see [`run`]).
        #[target_feature(enable = $features)]
        pub(super) fn units(
            keys: &$crate::xts::simd::KeySchedule,
            buf: &mut [u8],
            unit: usize,
            first: u64,
            step: u64,
            encrypt: bool,
        ) {
            match (keys.rounds, encrypt) {
                (10, true) => run::<10, true>(keys, buf, unit, first, step),
                (10, false) => run::<10, false>(keys, buf, unit, first, step),
                (_, true) => run::<14, true>(keys, buf, unit, first, step),
                (_, false) => run::<14, false>(keys, buf, unit, first, step),
            }
        }
    };
}

pub(super) use xts_kernel;
