//! The fused XTS pass, written once and instantiated per vector width and flavour by
//! [`xts_kernel!`].
//!
//! The width module that invokes the macro provides, all `#[target_feature]` functions:
//! `type V` (one vector of `LANES` blocks), `const LANES`, `const BYTES` (= 16 × `LANES`),
//! `load`, `store` (whole vectors), `xor`, `xor3`, `enc`, `enclast`, `dec`, `declast`,
//! `bcast_key` (one 128-bit round key into every lane), `shift_counts` / `mul_xk` (multiply
//! every lane by x^k in GF(2^128)), `lane0`, `zero`, `PIPELINED` (which of the two passes below
//! runs) and `advance`; and per flavour of tweak arithmetic (a submodule of the width):
//! `seed` (a unit's tweak `E_K2(n)` made ready for `unit_tweak`), `unit_tweak` (lane i =
//! T · x^(k + i) ⊕ c), `step` (every lane times x^(8·L) ⊕ c: one iteration's worth) and
//! `CHAIN_TWEAKS` (the next iteration's tweaks come from `advance`, a chain of multiplications
//! by x, instead of `step`).
//!
//! Two flavours (`detect::clmul_tweaks` picks one per CPU; the tests run both): **shifts**
//! (bit shifts and XORs beside one carry-less multiply per vector at most; xmm chains with
//! `advance`), measured fastest on Zen 4, where a carry-less multiply shares the AES units and
//! shifts are free; and **clmul** (carry-less multiplies and byte shifts only), measured 14-28 %
//! faster on Sapphire Rapids, where bit shifts run on the ports of the AES rounds and
//! `vpclmulqdq` on another (`performance.md` §14.2).
//!
//! Common design (performance.md §10): `IN_FLIGHT` independent vectors per iteration so the AES
//! units stay busy; the round keys are broadcast from the key schedule straight into the AES
//! instructions; the tweak is folded into round 0 (a three-input XOR) and into the last round
//! key (`aesenclast(x, k ⊕ T)` = `aesenclast(x, k) ⊕ T`); the initial tweaks `E_K2(n)` of up to
//! `TWEAK_BATCH` units are computed together, one vector at a time.
//!
//! Two passes:
//!
//! * **per unit** (`unit_pass`; xmm and ymm): each unit on its own; the next iteration's tweaks
//!   are computed next to the stores (`step`: each vector times x^(`IN_FLIGHT`·`LANES`); xmm,
//!   shifts flavour, `CHAIN_TWEAKS`: a chain of multiplications by x with shifts and masks,
//!   measured faster on Zen 4 than a carry-less multiply per vector).
//! * **pipelined** (`units_pass`; zmm, `PIPELINED`): one stream of iterations across unit
//!   boundaries; the tweaks of the next iteration (the same unit's, or the next unit's first)
//!   are computed during the AES rounds of the current one, one vector between two rounds, so
//!   no iteration waits for its tweaks and the tweak arithmetic arrives spread among the AES
//!   instructions. Measured on Zen 4 (the `performance.md` machine): a unit boundary used to
//!   cost about a third of a 512-byte unit's time (the next unit's tweak set-up waited behind
//!   the AES rounds), and a carry-less multiply costs about as much as a 512-bit AES round
//!   (they share the execution units) while shifts and logic ops in between are free; so the
//!   shifts flavour's per-iteration update uses shifts and XORs only. With 16 registers (ymm)
//!   the extra set of tweaks does not fit, and the compiler then serialises the AES chains: ymm
//!   keeps the per-unit pass.

/// Generates `units`, the entry point of one vector width, from that width's operations.
/// `[$k ...]` lists the vector indices of one iteration (`0..IN_FLIGHT`): every per-vector step
/// is written out once per index, so the vectors stay in registers whatever the optimiser's
/// unrolling decisions.
macro_rules! xts_kernel {
    ($features:literal, [$($k:literal),+]) => {
        /// Number of vectors processed per iteration.
        const IN_FLIGHT: usize = [$($k),+].len();
        /// Bytes per iteration.
        const ITER_BYTES: usize = BYTES * IN_FLIGHT;
        /// Blocks per vector and per iteration, as shift counts.
        const LANES_I64: i64 = LANES as i64;
        const ITER_BLOCKS_I64: i64 = (LANES * IN_FLIGHT) as i64;
        /// One iteration multiplies every tweak by x^(blocks per iteration), a whole number of
        /// bytes: `STEP_L` bytes left, `STEP_R` = 16 − `STEP_L`.
        const STEP_L: i32 = (LANES * IN_FLIGHT / 8) as i32;
        const STEP_R: i32 = 16 - STEP_L;

        /// One iteration's data, as vectors.
        type Iter = [[u8; BYTES]; IN_FLIGHT];

        /// Per-call constants of the pipelined pass's tweak arithmetic (see [`units_pass`]).
        struct Consts {
            /// Round key 0 XOR the last round key.
            k0l: V,
            /// `klast · x^(blocks per iteration) ⊕ klast`: the next iteration's `u`.
            c_iter: V,
        }

        #[target_feature(enable = $features)]
        #[inline]
        fn consts<const NR: usize>(rk: &$crate::xts::simd::RoundKeys) -> Consts {
            let klast = bcast_key(rk, NR);
            Consts {
                k0l: xor(bcast_key(rk, 0), klast),
                c_iter: step::<STEP_L, STEP_R>(klast, klast),
            }
        }

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
            // Vector k starts at T · x^(k · LANES): each computed straight from the seed (no
            // dependency chain between them).
            let first = seed(t0);
            let mut tw = [zero(); IN_FLIGHT];
            let mut power: i64 = 0;
            for slot in tw.iter_mut() {
                *slot = unit_tweak(first, power, zero());
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
                    if PIPELINED {
                        // Odd unit sizes only, on this width: `step` here made LLVM spill the
                        // tweaks (a 1.8 KiB frame), the general multiply does not.
                        *t = mul_xk(*t, all_l, all_r);
                    } else if !CHAIN_TWEAKS {
                        *t = step::<STEP_L, STEP_R>(*t, zero());
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

        /// The `u` vectors (see [`units_pass`]) of a unit's first iteration, from `t0` = `E_K2(n)`.
        #[target_feature(enable = $features)]
        #[inline]
        fn first_u(t0: core::arch::x86_64::__m128i, klast: V) -> [V; IN_FLIGHT] {
            let first = seed(t0);
            let mut u = [zero(); IN_FLIGHT];
            $( u[$k] = unit_tweak(first, LANES_I64.wrapping_mul($k), klast); )+
            u
        }

        /// One middle AES round of every vector.
        #[target_feature(enable = $features)]
        #[inline]
        fn round<const ENC: bool>(x: &mut [V; IN_FLIGHT], key: V) {
            $( x[$k] = if ENC { enc(x[$k], key) } else { dec(x[$k], key) }; )+
        }

        /// One iteration (`IN_FLIGHT` vectors) with tweaks `u`; returns the next iteration's:
        /// `u · x^k` when `SAME` (the same unit goes on), else the first ones of the next unit,
        /// from `first` = its `lane_tweaks`. Each next vector is computed between two AES rounds
        /// (vector k after round k + 1), so that the tweak arithmetic is spread among the AES
        /// instructions instead of arriving as one block.
        #[target_feature(enable = $features)]
        #[inline]
        fn iteration<const NR: usize, const ENC: bool, const SAME: bool>(
            rk: &$crate::xts::simd::RoundKeys,
            c: &Consts,
            vs: &mut Iter,
            u: &[V; IN_FLIGHT],
            first: V,
            klast: V,
        ) -> [V; IN_FLIGHT] {
            let mut x = [zero(); IN_FLIGHT];
            $( x[$k] = xor3(load(&vs[$k]), u[$k], c.k0l); )+
            let mut nu = [zero(); IN_FLIGHT];
            $({
                round::<ENC>(&mut x, bcast_key(rk, 1 + $k));
                nu[$k] = if SAME {
                    step::<STEP_L, STEP_R>(u[$k], c.c_iter)
                } else {
                    unit_tweak(first, LANES_I64.wrapping_mul($k), klast)
                };
            })+
            for r in (1 + IN_FLIGHT)..NR {
                round::<ENC>(&mut x, bcast_key(rk, r));
            }
            $( store(&mut vs[$k], if ENC { enclast(x[$k], u[$k]) } else { declast(x[$k], u[$k]) }); )+
            nu
        }

        /// Whole units whose size is a multiple of `ITER_BYTES`, one iteration after the other
        /// across unit boundaries; `tweaks` holds `E_K2(n)` of each unit. The tweaks of the next
        /// iteration (the same unit's times x^k, or the next unit's first) are computed during
        /// the current one's AES rounds: no iteration waits for its tweaks.
        ///
        /// The tweaks are kept as `u = T ⊕ klast` (T the block's tweak): round 0 is
        /// `data ⊕ u ⊕ (k0 ⊕ klast)` (one three-input XOR), the last round takes `u` as its key,
        /// and since multiplying by x^k is linear, the next iteration's `u` is
        /// `u · x^k ⊕ (klast · x^k ⊕ klast)`: no separate XOR of the tweak anywhere.
        #[target_feature(enable = $features)]
        #[inline]
        fn units_pass<const NR: usize, const ENC: bool>(
            rk: &$crate::xts::simd::RoundKeys,
            c: &Consts,
            data: &mut [u8],
            iters_per_unit: usize,
            tweaks: &[[u8; 16]],
        ) {
            let klast = bcast_key(rk, NR);
            let mut next_tweaks = tweaks.iter();
            let Some(t0) = next_tweaks.next() else {
                return;
            };
            let mut u = first_u($crate::xts::simd::load128(t0), klast);
            let mut left = iters_per_unit;
            let (chunks, _) = data.as_chunks_mut::<ITER_BYTES>();
            for chunk in chunks.iter_mut() {
                let Some(vs) = chunk.as_chunks_mut::<BYTES>().0.first_chunk_mut::<IN_FLIGHT>() else {
                    continue; // never: ITER_BYTES is IN_FLIGHT vectors
                };
                let rk = core::hint::black_box(rk);
                left = left.wrapping_sub(1);
                u = if left != 0 {
                    iteration::<NR, ENC, true>(rk, c, vs, &u, klast, klast)
                } else {
                    left = iters_per_unit;
                    // After the last unit: any tweak will do (unused).
                    let t = next_tweaks.next().map_or($crate::xts::simd::zero128(), |t| $crate::xts::simd::load128(t));
                    iteration::<NR, ENC, false>(rk, c, vs, &u, seed(t), klast)
                };
            }
        }

        /// `E_K2` of whole blocks in place (ECB), one vector at a time: the initial tweaks.
        #[target_feature(enable = $features)]
        #[inline]
        fn encrypt_tweaks<const NR: usize>(rk: &$crate::xts::simd::RoundKeys, data: &mut [u8]) {
            let (vs, tail) = data.as_chunks_mut::<BYTES>();
            for v in vs.iter_mut() {
                let rk = core::hint::black_box(rk);
                let mut x = xor(load(v), bcast_key(rk, 0));
                for r in 1..NR {
                    x = enc(x, bcast_key(rk, r));
                }
                store(v, enclast(x, bcast_key(rk, NR)));
            }
            let (tail_blocks, _) = tail.as_chunks_mut::<16>();
            for b in tail_blocks.iter_mut() {
                $crate::xts::simd::one_block::<NR, true>(rk, b, $crate::xts::simd::zero128());
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
            let c = if PIPELINED { consts::<NR>(data_keys) } else { Consts { k0l: zero(), c_iter: zero() } };
            let mut tweaks = [[0u8; 16]; TWEAK_BATCH];
            let mut n = u128::from(first);
            for group in buf.chunks_mut(unit.saturating_mul(TWEAK_BATCH)) {
                let count = group.len().checked_div(unit).unwrap_or(0);
                for t in tweaks.iter_mut().take(count) {
                    *t = n.to_le_bytes();
                    n = n.wrapping_add(u128::from(step));
                }
                let used = tweaks.get_mut(..count).unwrap_or_default();
                encrypt_tweaks::<NR>(&keys.tweak_enc, used.as_flattened_mut());
                if PIPELINED && unit.is_multiple_of(ITER_BYTES) {
                    units_pass::<NR, ENC>(data_keys, &c, group, unit / ITER_BYTES, used);
                } else {
                    for (u, t) in group.chunks_exact_mut(unit).zip(used.iter()) {
                        unit_pass::<NR, ENC>(data_keys, u, $crate::xts::simd::load128(t));
                    }
                }
            }
        }

        /// Entry point of this width (see [`run`]).
        #[target_feature(enable = $features)]
        pub(in $crate::xts::simd) fn units(
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

/// One flavour of tweak arithmetic of a width, as a submodule named after it, holding that
/// flavour's instance of [`xts_kernel!`]: `shifts` (the width's `lane_tweaks`, `step_shifts`,
/// `mul_xk`; `$chain`: whether its next tweaks come from `advance`) or `clmul`
/// (`broadcast`, `step_clmul`, `unit_tweak_clmul`). Invoked in the width module (or in one of
/// its encodings, whose items `use super::*` brings in).
macro_rules! flavour {
    (shifts, $chain:literal, $features:literal, [$($k:literal),+]) => {
        /// Shifts flavour: bit shifts and XORs, at most one carry-less multiply per vector.
        pub(in $crate::xts::simd) mod shifts {
            #[allow(clippy::wildcard_imports, reason = "the kernel macro names the width's operations")]
            use super::*;
            use super::{lane_tweaks as seed, step_shifts as step};
            /// Whether the next iteration's tweaks come from `advance` (a chain) or `step`.
            const CHAIN_TWEAKS: bool = $chain;

            /// Every lane times x^k (`t` from `lane_tweaks`), XORed with `c`, with `mul_xk`.
            #[target_feature(enable = $features)]
            #[inline]
            fn unit_tweak(t: V, k: i64, c: V) -> V {
                let (l, r) = shift_counts(k);
                xor(mul_xk(t, l, r), c)
            }
            $crate::xts::simd::kernel::xts_kernel!($features, [$($k),+]);
        }
    };
    (clmul, $features:literal, [$($k:literal),+]) => {
        /// Clmul flavour: carry-less multiplies and byte shifts, no bit shifts.
        pub(in $crate::xts::simd) mod clmul {
            #[allow(clippy::wildcard_imports, reason = "the kernel macro names the width's operations")]
            use super::*;
            use super::{broadcast as seed, step_clmul as step, unit_tweak_clmul as unit_tweak};
            /// Each tweak vector is stepped on its own.
            const CHAIN_TWEAKS: bool = false;
            $crate::xts::simd::kernel::xts_kernel!($features, [$($k),+]);
        }
    };
}

pub(super) use {flavour, xts_kernel};
