//! XTS-AES (IEEE Std 1619-2007, NIST SP 800-38E): fused SIMD kernels for x86-64, and a portable
//! path over the `aes` crate with no `unsafe`.
//!
//! Two layers:
//!
//! * [`XtsCore`] is the raw mode over any 128-bit block cipher pair (data cipher, tweak cipher).
//!   It performs **no** key check: it is the layer the IEEE vectors with equal key halves
//!   (vector 1) run against. Use it only when you know what you are doing. It is portable only.
//! * [`XtsAes`] is what the volume uses: a 32-byte (XTS-AES-128) or 64-byte (XTS-AES-256) key,
//!   split in half, rejected with [`XtsError::EqualKeyHalves`] when both halves are equal
//!   (constant-time comparison with `subtle`, as NIST SP 800-38E / FIPS require).
//!
//! # Backends
//!
//! [`XtsAes::encrypt_units`] / [`XtsAes::decrypt_units`] (and `encrypt_sectors` /
//! `decrypt_sectors`, which are step 1) run on one [`Backend`], chosen once per process by
//! [`Backend::selected`] from the CPU's features (`is_x86_feature_detected!` with `std`; CPUID and
//! XCR0 without), or forced with [`XtsAes::with_backend`] or the environment variable
//! [`BACKEND_ENV`] (`CRYPTDISK_XTS_BACKEND=portable|aesni|vaes256|vaes512`, with `std`; the tests
//! and the benchmarks honour it too):
//!
//! * `vaes512`: VAES + VPCLMULQDQ on zmm registers (AVX-512 F/BW/VL), 4 blocks per vector;
//! * `vaes256`: VAES + VPCLMULQDQ on ymm registers (AVX2), 2 blocks per vector;
//! * `aesni`: AES-NI + PCLMULQDQ on xmm registers, for CPUs without VAES: in AVX's VEX encoding
//!   when the CPU and OS have AVX (about 7 % faster on Zen 4: no register copies before the
//!   destructive two-operand forms), else in the legacy SSE encoding (touches no YMM state);
//! * `portable`: the `aes` crate (below); the only path for ciphertext stealing
//!   ([`XtsAes::encrypt_data_unit`]) and on targets other than x86-64.
//!
//! Each SIMD kernel comes in two flavours of tweak arithmetic, picked once per process from the
//! CPU vendor, or forced with [`TWEAKS_ENV`] (`CRYPTDISK_XTS_TWEAKS=clmul|shifts`, with `std`)
//! ([`TweakArithmetic`]; the tests run both on every CPU): **clmul** (carry-less multiplies and byte
//! shifts only) on Intel CPUs with AVX2, where bit shifts run on the same ports as the AES
//! rounds and `pclmulqdq` on another (measured on Sapphire Rapids: 14-28 % faster), and
//! **shifts** (bit shifts, XORs, at most one carry-less multiply per vector) elsewhere, the one
//! measured fastest on Zen 4, where a carry-less multiply shares the AES units
//! (`performance.md` §14.2). The legacy SSE encoding has the shifts flavour only.
//!
//! The three kernels are one source (`xts/simd/kernel.rs`, a macro over the vector width): eight
//! vectors in flight; round keys broadcast from the key schedule into the AES instructions
//! (`vaes512` loads each whole from a copy of the schedule with every key four times over); the
//! tweak folded into round 0 (three-input XOR) and into the last round key
//! (`aesenclast(x, k ⊕ T)` = `aesenclast(x, k) ⊕ T`); the initial tweaks `E_K2(n)` of 16 units at
//! a time encrypted together. `vaes512` runs one stream of iterations across unit boundaries and
//! computes the next iteration's tweaks (the same unit's, or the next unit's first) between the
//! current one's AES rounds (shifts flavour: shifts and XORs only; clmul flavour: one carry-less
//! multiply per vector); `vaes256` and `aesni` go unit by unit and compute the next tweaks next
//! to the stores (shifts flavour: ymm shifts and one carry-less multiply per vector, xmm a
//! chain of shift-and-mask multiplications by x; clmul flavour: byte shifts and one carry-less
//! multiply per vector). Why: `docs/performance.md` §14.
//! They live in `xts::simd`, the only module of this crate allowed `unsafe` (unaligned vector
//! loads and stores, CPUID / XGETBV, and the calls into `#[target_feature]` functions, which a
//! [`Backend`] the CPU does not support can never reach). Their key schedule (AES-NI key
//! expansion; about 3.6 KiB of heap with the wide copies) is zeroized on drop.
//!
//! **Stack** (frame sizes read from the function prologues, pushes included, of the release
//! build, rustc 1.95.0, x86-64 Linux; the kernels are inlined into one function per width): a
//! multi-unit call on a SIMD backend uses about 760 bytes at most: `XtsAes::units_pass` 56 +
//! `zmm::clmul::units` 696 + return addresses (zmm shifts: 632; ymm: 536 shifts, 568 clmul;
//! xmm: 280 shifts, either encoding, 472 clmul). No sector-sized arrays; the largest item is the 16-tweak batch (256 bytes). The portable path's
//! `XtsCore::sectors_pass` (not inlined, so it stays out of the SIMD path's frames) takes
//! 3.7–4.2 KiB: its 64-sector tweak batch and the `aes` crate's backends. Keying
//! ([`XtsAes::new`]) takes about 4.2 KiB, mostly the `aes` crate's key schedules.
//!
//! **Throughput on Intel** (`cargo bench -p cryptdisk-core --bench xts`, Intel Xeon family 6
//! model 167 stepping 1 as the VM reports it, with AMX, AVX-512 FP16 and VAES: Sapphire Rapids;
//! a 2-vCPU VM otherwise idle (load average 1.0-1.1); same method as below; clmul flavour; two
//! runs of the same build, the second in brackets):
//!
//! | sector | op | OpenSSL 3.0 | portable | aesni | vaes256 | vaes512 |
//! |---|---|---|---|---|---|---|
//! | 512 B | enc | 6,500 | 5,702 (0.88×) | 7,577 (1.17× [1.17×]) | 13,722 (2.11× [2.14×]) | 17,171 (2.64× [2.64×]) |
//! | 512 B | dec | 6,360 | 5,677 (0.89×) | 7,541 (1.19× [1.18×]) | 13,634 (2.14× [2.14×]) | 16,978 (2.67× [2.67×]) |
//! | 4 KiB | enc | 7,983 | 6,022 (0.75×) | 8,448 (1.06× [1.06×]) | 16,177 (2.02× [2.04×]) | 17,639 (2.20× [2.22×]) |
//! | 4 KiB | dec | 7,913 | 5,932 (0.75×) | 8,348 (1.05× [1.06×]) | 16,183 (2.05× [2.05×]) | 17,592 (2.23× [2.22×]) |
//!
//! The same machine with the shifts flavour everywhere (the code before the flavours): aesni
//! 0.99-1.00× / 0.85-0.86× (512 B / 4 KiB), vaes256 1.66-1.70× / 1.58-1.65×, vaes512
//! 2.32-2.38× / 1.89-1.92×. On this CPU `vaes256` and `vaes512` have the same raw AES rate
//! (two 256-bit or one 512-bit `vaesenc` per cycle) and 128-bit AES-NI half of it; OpenSSL's
//! AES-NI code runs at about 89 % of that half at 4 KiB (its MB/s against the raw AES rate of
//! `performance.md` §14.2).
//!
//! **Throughput on AMD** (shifts flavour, the code AMD CPUs run; `cargo bench -p cryptdisk-core
//! --bench xts`, AMD EPYC family 25 model 17 (Zen 4, AVX-512), a 2-vCPU VM otherwise idle (1-minute load average 1.0-1.4), XTS-AES-256,
//! one thread, hot 16 KiB buffer, MB/s of thread CPU time, median of 7 repetitions; ratio =
//! median of the same-run pairs against `openssl speed -evp aes-256-xts` (OpenSSL 3.0.19, its
//! AES-NI code, also in CPU time)); two runs of the same build, the second in brackets:
//!
//! | sector | op | OpenSSL 3.0 | portable | aesni | vaes256 | vaes512 |
//! |---|---|---|---|---|---|---|
//! | 512 B | enc | 5,388 | 4,020 (0.74×) | 6,400 (1.19× [1.19×]) | 10,522 (1.95× [1.57×]) | 13,491 (2.50× [2.51×]) |
//! | 512 B | dec | 5,289 | 4,033 (0.76×) | 6,433 (1.21× [1.21×]) | 10,520 (1.97× [1.59×]) | 13,476 (2.54× [2.54×]) |
//! | 4 KiB | enc | 6,842 | 4,082 (0.60×) | 7,041 (1.03× [1.03×]) | 12,483 (1.82× [1.46×]) | 14,411 (2.11× [2.08×]) |
//! | 4 KiB | dec | 6,826 | 4,089 (0.60×) | 7,086 (1.03× [1.03×]) | 12,492 (1.82× [1.48×]) | 14,450 (2.11× [2.10×]) |
//!
//! The second run's vaes256 figures show the VM's speed modes (`performance.md` §14.1): for
//! some seconds at a time the µop-heavy kernels run 15-30 % slower while OpenSSL's and raw AES
//! loops do not. The same runs' 64 MiB stream (the driver's workload, MB/s, 512 B / 4 KiB
//! sectors, enc): portable 3,932 / 4,064, aesni 6,443 / 7,134, vaes256 10,603 / 12,784, vaes512
//! 13,020 / 14,632. `aesni` is the VEX encoding here; before it (legacy SSE, same machine, idle)
//! it gave 1.12× / 1.17× (512 B) and 0.97× / 0.99× (4 KiB); `vaes512` broadcasting its round
//! keys gave 2.06-2.09× at 4 KiB.
//!
//! On this CPU a 512-bit AES instruction is two 256-bit halves, so `vaes256` and `vaes512` run
//! the same AES rounds per cycle. Against a raw AES-256 loop timed alternately with them
//! (`performance.md` §14), `vaes512` runs at 90-92 % (4 KiB) and 83-85 % (512 B) of raw AES in
//! this benchmark's 16 KiB calls and about 3 points more with 64 KiB calls: the difference is
//! a fixed cost per call, mostly the latency of `E_K2` (`performance.md` §14.1). `vaes256` runs
//! at 79 % and 66 %, of which its per-iteration tweak update takes about 12 points
//! (`performance.md` §14.1).
//!
//! # The portable data path
//!
//! [`XtsCore::encrypt_sectors`] / [`XtsCore::decrypt_sectors`] process a run of equal-sized
//! sectors (data units) whose size is a multiple of 16 bytes, with tweak = sector number as a
//! 128-bit little-endian integer (`plain64` for sector numbers below 2^64). They are built for
//! throughput (see `performance.md` §9 in docs/):
//!
//! * the initial tweaks `E_K2(sector)` of up to [`TWEAK_BATCH`] sectors are computed with one
//!   multi-block `encrypt_blocks` call, so the tweak cipher runs on its parallel path too;
//! * the data cipher is driven through a [`BlockCipherEncClosure`] / [`BlockCipherDecClosure`]
//!   passed to `encrypt_with_backend` / `decrypt_with_backend`, so the backend is set up once
//!   per batch of sectors and every batch holds exactly `B::ParBlocksSize` blocks: the backend's
//!   own parallel width (8 for AES-NI, 30 for VAES-256, 64 for VAES-512). A fixed batch of 8
//!   would fall into the VAES backends' serial tail path. Batches may span sector boundaries;
//! * the per-block tweaks are generated on the fly (one constant-time multiplication by x in
//!   GF(2^128) per block, no tables) and XORed in and out around the backend's parallel call.
//!
//! [`XtsCore::encrypt_data_unit`] / [`XtsCore::decrypt_data_unit`] handle one data unit of any
//! length ≥ 16 bytes, using ciphertext stealing for a trailing partial block.
//!
//! # Example
//!
//! ```
//! use cryptdisk_core::xts::XtsAes;
//!
//! let key: Vec<u8> = (0u8..64).collect(); // halves differ
//! let xts = XtsAes::new(&key)?;
//! let mut sector = [0u8; 512];
//! xts.encrypt_sectors(&mut sector, 512, 5)?;
//! // Same known answer as Python `cryptography` (toolchain.md §7.1).
//! assert_eq!(&sector[..4], &[0x41, 0x04, 0x7d, 0xf5]);
//! xts.decrypt_sectors(&mut sector, 512, 5)?;
//! assert_eq!(sector, [0u8; 512]);
//! # Ok::<(), cryptdisk_core::xts::XtsError>(())
//! ```

use aes::{Aes128, Aes256};
use cipher::array::{Array, ArraySize};
use cipher::consts::U16;
use cipher::{
    Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, KeyInit, ParBlocksSizeUser,
};
use core::fmt;
use subtle::ConstantTimeEq;

use crate::heap::TryBox;

mod backend;
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[allow(unsafe_code, reason = "the SIMD kernels: the only unsafe code of this crate")]
mod simd;
mod tweaks;

pub use backend::{BACKEND_ENV, Backend};
pub use tweaks::{TWEAKS_ENV, TweakArithmetic};

/// Size of one cipher block (and the minimum XTS data unit), in bytes.
pub const BLOCK_SIZE: usize = 16;

/// Number of sector tweaks computed with one multi-block call to the tweak cipher.
///
/// 64 matches the widest `aes` backend (VAES-512, `ParBlocksSize` = 64) and is a multiple of the
/// others' widths (AES-NI: 8).
pub const TWEAK_BATCH: usize = 64;

/// The XTS reduction constant: x^128 = x^7 + x^2 + x + 1 (0x87).
const GF_128_FDBK: u128 = 0x87;

/// Errors of the XTS layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum XtsError {
    /// The key is neither 32 bytes (XTS-AES-128) nor 64 bytes (XTS-AES-256).
    InvalidKeyLength {
        /// Length that was given, in bytes.
        len: usize,
    },
    /// Both key halves are equal, which SP 800-38E forbids (the mode loses its security
    /// argument).
    EqualKeyHalves,
    /// A data unit is shorter than one block (16 bytes); XTS is undefined there.
    DataUnitTooShort {
        /// Length that was given, in bytes.
        len: usize,
    },
    /// The sector size is zero or not a multiple of 16 (the multi-sector path has no ciphertext
    /// stealing).
    InvalidSectorSize {
        /// Sector size that was given, in bytes.
        sector_size: usize,
    },
    /// The buffer is not a whole number of sectors.
    PartialSector {
        /// Buffer length, in bytes.
        len: usize,
        /// Sector size, in bytes.
        sector_size: usize,
    },
    /// The sector numbers of the buffer would exceed 2^64 - 1.
    SectorNumberOverflow,
    /// [`XtsAes::with_backend`] was asked for a backend this CPU cannot run.
    BackendUnsupported {
        /// The backend asked for.
        backend: Backend,
    },
    /// No memory for the key schedules.
    OutOfMemory,
}

impl fmt::Display for XtsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidKeyLength { len } => {
                write!(f, "XTS key must be 32 or 64 bytes, got {len}")
            }
            Self::EqualKeyHalves => f.write_str("XTS key halves are equal (forbidden by SP 800-38E)"),
            Self::DataUnitTooShort { len } => {
                write!(f, "XTS data unit of {len} bytes is shorter than one 16-byte block")
            }
            Self::InvalidSectorSize { sector_size } => {
                write!(f, "sector size {sector_size} is not a non-zero multiple of 16")
            }
            Self::PartialSector { len, sector_size } => {
                write!(
                    f,
                    "buffer of {len} bytes is not a whole number of {sector_size}-byte sectors"
                )
            }
            Self::SectorNumberOverflow => f.write_str("sector number overflows 64 bits"),
            Self::BackendUnsupported { backend } => {
                write!(f, "XTS backend {backend} is not supported by this CPU")
            }
            Self::OutOfMemory => f.write_str("no memory for the XTS key schedules"),
        }
    }
}

impl core::error::Error for XtsError {}

/// Multiplies a tweak by x (the primitive element α) in GF(2^128), constant-time.
///
/// The tweak is the little-endian reading of the 16 bytes, as in IEEE 1619.
#[inline(always)]
fn mul_x(t: u128) -> u128 {
    // All-ones when the top bit is set, else zero; no branch on secret data.
    let carry = 0u128.wrapping_sub(t >> 127);
    (t << 1) ^ (carry & GF_128_FDBK)
}

#[inline(always)]
fn xor_block(block: &mut Block<Aes128>, tweak: u128) {
    let v = u128::from_le_bytes(block.0) ^ tweak;
    block.0 = v.to_le_bytes();
}

/// Generator of the per-block tweaks of a run of sectors: `E_K2(sector) · x^j` for block `j`
/// of each sector, one multiplication by x per block.
///
/// (A variant with four interleaved chains, each advancing by x⁴, measured slower on the
/// reference machine: about 2.9 GB/s against 3.9 GB/s for this single chain, hot 16 KiB,
/// release build. The chain is not the bottleneck: one step is a few cycles, far below the
/// cost of the three passes over the data.)
struct TweakStream<'a> {
    /// Initial tweaks `E_K2(sector)` of the sectors still to come (after the current one).
    next_sectors: core::slice::Iter<'a, u128>,
    /// Tweak of the next block.
    cur: u128,
    /// Blocks left in the current sector (≥ 1 while blocks remain).
    left: usize,
    /// Blocks per sector (≥ 1).
    per_sector: usize,
}

impl<'a> TweakStream<'a> {
    fn new(sector_tweaks: &'a [u128], per_sector: usize) -> Self {
        let mut s = Self {
            next_sectors: sector_tweaks.iter(),
            cur: 0,
            left: 0,
            per_sector,
        };
        s.start_next_sector();
        s
    }

    #[inline(always)]
    fn start_next_sector(&mut self) {
        self.cur = self.next_sectors.next().copied().unwrap_or(0);
        self.left = self.per_sector;
    }

    /// Returns the tweak of the next block.
    #[inline(always)]
    fn next_tweak(&mut self) -> u128 {
        let t = self.cur;
        self.cur = mul_x(t);
        self.left = self.left.wrapping_sub(1);
        if self.left == 0 {
            self.start_next_sector();
        }
        t
    }
}

/// The XEX pass both directions share: for each batch of `N` blocks (the backend's parallel
/// width), XOR the next tweaks in, run the block cipher on the whole batch, XOR the same tweaks
/// out; then the same for the tail of fewer than `N` blocks.
#[inline(always)]
fn xex_pass<N: ArraySize>(
    blocks: &mut [Block<Aes128>],
    tweaks: &mut TweakStream<'_>,
    mut batch: impl FnMut(&mut Array<Block<Aes128>, N>),
    tail_blocks: impl FnOnce(&mut [Block<Aes128>]),
) {
    let mut store: Array<u128, N> = Array::default();
    let (chunks, tail) = Array::<Block<Aes128>, N>::slice_as_chunks_mut(blocks);
    for chunk in chunks {
        for (b, t) in chunk.iter_mut().zip(store.iter_mut()) {
            *t = tweaks.next_tweak();
            xor_block(b, *t);
        }
        batch(chunk);
        for (b, t) in chunk.iter_mut().zip(store.iter()) {
            xor_block(b, *t);
        }
    }
    // Fewer than N blocks remain.
    for (b, t) in tail.iter_mut().zip(store.iter_mut()) {
        *t = tweaks.next_tweak();
        xor_block(b, *t);
    }
    tail_blocks(tail);
    for (b, t) in tail.iter_mut().zip(store.iter()) {
        xor_block(b, *t);
    }
}

/// Data-cipher pass over whole sectors, encrypting (rank-2 closure for `encrypt_with_backend`).
struct EncPass<'a, 'b> {
    blocks: &'a mut [Block<Aes128>],
    tweaks: TweakStream<'b>,
}

impl BlockSizeUser for EncPass<'_, '_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for EncPass<'_, '_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let EncPass { blocks, mut tweaks } = self;
        xex_pass::<<B as ParBlocksSizeUser>::ParBlocksSize>(
            blocks,
            &mut tweaks,
            |chunk| backend.encrypt_par_blocks_inplace(chunk),
            |tail| backend.encrypt_tail_blocks_inplace(tail),
        );
    }
}

/// Data-cipher pass over whole sectors, decrypting (rank-2 closure for `decrypt_with_backend`).
struct DecPass<'a, 'b> {
    blocks: &'a mut [Block<Aes128>],
    tweaks: TweakStream<'b>,
}

impl BlockSizeUser for DecPass<'_, '_> {
    type BlockSize = U16;
}

impl BlockCipherDecClosure for DecPass<'_, '_> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let DecPass { blocks, mut tweaks } = self;
        xex_pass::<<B as ParBlocksSizeUser>::ParBlocksSize>(
            blocks,
            &mut tweaks,
            |chunk| backend.decrypt_par_blocks_inplace(chunk),
            |tail| backend.decrypt_tail_blocks_inplace(tail),
        );
    }
}

/// Checks a multi-unit call: `unit_size` a non-zero multiple of 16, `len` a whole number of
/// units, and the last unit's tweak number `first + (units - 1) * step` within 64 bits.
fn check_units(len: usize, unit_size: usize, first: u64, step: u64) -> Result<(), XtsError> {
    if unit_size == 0 || !unit_size.is_multiple_of(BLOCK_SIZE) {
        return Err(XtsError::InvalidSectorSize { sector_size: unit_size });
    }
    if !len.is_multiple_of(unit_size) {
        return Err(XtsError::PartialSector {
            len,
            sector_size: unit_size,
        });
    }
    let units = len.checked_div(unit_size).unwrap_or(0);
    let last_index = u64::try_from(units.saturating_sub(1)).map_err(|_| XtsError::SectorNumberOverflow)?;
    last_index
        .checked_mul(step)
        .and_then(|off| first.checked_add(off))
        .ok_or(XtsError::SectorNumberOverflow)?;
    Ok(())
}

/// Raw XTS mode over a pair of 128-bit block ciphers, **without** the key-halves check.
///
/// Hazmat: prefer [`XtsAes`], which refuses equal key halves. This layer exists for the IEEE
/// 1619 vectors that use equal halves, and for callers that hold already-checked ciphers.
///
/// # Examples
///
/// ```
/// use aes::Aes128;
/// use cipher::KeyInit;
/// use cryptdisk_core::xts::XtsCore;
///
/// // IEEE 1619-2007 vector 1: both keys zero, data unit 0, 32 zero bytes.
/// let xts = XtsCore::new(Aes128::new(&Default::default()), Aes128::new(&Default::default()));
/// let mut unit = [0u8; 32];
/// xts.encrypt_data_unit(&mut unit, 0)?;
/// assert_eq!(&unit[..4], &[0x91, 0x7c, 0xf6, 0x9e]);
/// # Ok::<(), cryptdisk_core::xts::XtsError>(())
/// ```
#[derive(Clone)]
pub struct XtsCore<C> {
    data: C,
    tweak: C,
}

impl<C> fmt::Debug for XtsCore<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("XtsCore { .. }")
    }
}

impl<C> XtsCore<C>
where
    C: BlockCipherEncrypt<BlockSize = U16> + BlockCipherDecrypt<BlockSize = U16>,
{
    /// Builds the mode from the data cipher (key 1) and the tweak cipher (key 2).
    ///
    /// # Examples
    ///
    /// ```
    /// use aes::Aes256;
    /// use cipher::KeyInit;
    /// use cryptdisk_core::xts::XtsCore;
    ///
    /// let k1 = [1u8; 32];
    /// let k2 = [2u8; 32];
    /// let xts = XtsCore::new(Aes256::new(&k1.into()), Aes256::new(&k2.into()));
    /// # let _ = xts;
    /// ```
    pub fn new(data_cipher: C, tweak_cipher: C) -> Self {
        Self {
            data: data_cipher,
            tweak: tweak_cipher,
        }
    }

    /// Computes `E_K2(n)` for `out.len()` (at most [`TWEAK_BATCH`]) consecutive sector numbers
    /// starting at `first`, with one multi-block call. (Padding every call to a full batch of 64
    /// blocks, to stay on the VAES-512 parallel path for short runs, made no difference beyond
    /// noise on the hot 16 KiB benchmark, so only the tweaks needed are computed.)
    fn sector_tweaks(&self, first: u128, step: u64, out: &mut [u128]) {
        let mut blocks = [Block::<Aes128>::default(); TWEAK_BATCH];
        let mut n = first;
        for b in blocks.iter_mut().take(out.len()) {
            b.0 = n.to_le_bytes();
            n = n.wrapping_add(u128::from(step));
        }
        if let Some(used) = blocks.get_mut(..out.len()) {
            self.tweak.encrypt_blocks(used);
        }
        for (o, b) in out.iter_mut().zip(blocks.iter()) {
            *o = u128::from_le_bytes(b.0);
        }
    }

    // Not inlined: its batch arrays (several KiB with the `aes` backends) would otherwise land in
    // the frame of `XtsAes::units_pass`, which the SIMD path uses too (≤ 1 KiB of stack).
    #[inline(never)]
    fn sectors_pass(
        &self,
        buf: &mut [u8],
        sector_size: usize,
        first_sector: u64,
        step: u64,
        encrypt: bool,
    ) -> Result<(), XtsError> {
        check_units(buf.len(), sector_size, first_sector, step)?;

        let per_sector = sector_size / BLOCK_SIZE;
        let (blocks, rest) = Array::<u8, U16>::slice_as_chunks_mut(buf);
        debug_assert!(rest.is_empty());
        let mut tweaks = [0u128; TWEAK_BATCH];
        let mut sector = u128::from(first_sector);
        // Each piece is up to TWEAK_BATCH whole sectors; `per_sector * TWEAK_BATCH` cannot
        // overflow because it is at most `blocks.len()` rounded up to whole batches, and
        // `chunks_mut` with a zero size is excluded by the geometry check.
        let piece_blocks = per_sector.saturating_mul(TWEAK_BATCH);
        for piece in blocks.chunks_mut(piece_blocks) {
            let n = piece.len().checked_div(per_sector).unwrap_or(0);
            let used = tweaks.get_mut(..n).ok_or(XtsError::SectorNumberOverflow)?;
            self.sector_tweaks(sector, step, used);
            let stream = TweakStream::new(used, per_sector);
            if encrypt {
                self.data.encrypt_with_backend(EncPass {
                    blocks: piece,
                    tweaks: stream,
                });
            } else {
                self.data.decrypt_with_backend(DecPass {
                    blocks: piece,
                    tweaks: stream,
                });
            }
            sector = sector.wrapping_add((n as u128).wrapping_mul(u128::from(step)));
        }
        Ok(())
    }

    /// Encrypts consecutive sectors in place; sector `i` of `buf` uses tweak `first_sector + i`.
    ///
    /// `sector_size` must be a non-zero multiple of 16 and `buf.len()` a multiple of it (an empty
    /// buffer is fine).
    ///
    /// # Errors
    ///
    /// [`XtsError::InvalidSectorSize`], [`XtsError::PartialSector`],
    /// [`XtsError::SectorNumberOverflow`]. Nothing is modified on error.
    ///
    /// # Examples
    ///
    /// ```
    /// use aes::Aes128;
    /// use cipher::KeyInit;
    /// use cryptdisk_core::xts::XtsCore;
    ///
    /// let xts = XtsCore::new(Aes128::new(&[1u8; 16].into()), Aes128::new(&[2u8; 16].into()));
    /// let mut disk = vec![0u8; 4 * 512];
    /// xts.encrypt_sectors(&mut disk, 512, 100)?;
    /// assert_ne!(&disk[..512], &disk[512..1024]); // different tweaks per sector
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn encrypt_sectors(&self, buf: &mut [u8], sector_size: usize, first_sector: u64) -> Result<(), XtsError> {
        self.sectors_pass(buf, sector_size, first_sector, 1, true)
    }

    /// Decrypts consecutive sectors in place; the inverse of [`encrypt_sectors`](Self::encrypt_sectors).
    ///
    /// # Errors
    ///
    /// As for [`encrypt_sectors`](Self::encrypt_sectors).
    ///
    /// # Examples
    ///
    /// ```
    /// use aes::Aes128;
    /// use cipher::KeyInit;
    /// use cryptdisk_core::xts::XtsCore;
    ///
    /// let xts = XtsCore::new(Aes128::new(&[1u8; 16].into()), Aes128::new(&[2u8; 16].into()));
    /// let mut disk = vec![7u8; 2 * 4096];
    /// xts.encrypt_sectors(&mut disk, 4096, 0)?;
    /// xts.decrypt_sectors(&mut disk, 4096, 0)?;
    /// assert!(disk.iter().all(|&b| b == 7));
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn decrypt_sectors(&self, buf: &mut [u8], sector_size: usize, first_sector: u64) -> Result<(), XtsError> {
        self.sectors_pass(buf, sector_size, first_sector, 1, false)
    }

    /// Encrypts one data unit of any length ≥ 16 bytes in place, with ciphertext stealing for a
    /// trailing partial block. `tweak` is the data-unit sequence number (128-bit, little-endian).
    ///
    /// # Errors
    ///
    /// [`XtsError::DataUnitTooShort`] when `unit.len() < 16`; nothing is modified then.
    ///
    /// # Examples
    ///
    /// ```
    /// use aes::Aes256;
    /// use cipher::KeyInit;
    /// use cryptdisk_core::xts::XtsCore;
    ///
    /// let key: [u8; 32] = core::array::from_fn(|i| i as u8);
    /// let key2: [u8; 32] = core::array::from_fn(|i| 32 + i as u8);
    /// let xts = XtsCore::new(Aes256::new(&key.into()), Aes256::new(&key2.into()));
    /// let mut unit = [0u8; 17]; // one block plus one byte: ciphertext stealing
    /// xts.encrypt_data_unit(&mut unit, 5)?;
    /// assert_eq!(unit[..4], [0x5a, 0x6b, 0xab, 0xff]); // toolchain.md §7.1
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn encrypt_data_unit(&self, unit: &mut [u8], tweak: u128) -> Result<(), XtsError> {
        self.data_unit_pass(unit, tweak, true)
    }

    /// Decrypts one data unit of any length ≥ 16 bytes in place (inverse of
    /// [`encrypt_data_unit`](Self::encrypt_data_unit)).
    ///
    /// # Errors
    ///
    /// [`XtsError::DataUnitTooShort`] when `unit.len() < 16`; nothing is modified then.
    ///
    /// # Examples
    ///
    /// ```
    /// use aes::Aes128;
    /// use cipher::KeyInit;
    /// use cryptdisk_core::xts::XtsCore;
    ///
    /// let xts = XtsCore::new(Aes128::new(&[3u8; 16].into()), Aes128::new(&[4u8; 16].into()));
    /// let mut unit = *b"thirty-three bytes of plain text!";
    /// xts.encrypt_data_unit(&mut unit, 9)?;
    /// xts.decrypt_data_unit(&mut unit, 9)?;
    /// assert_eq!(&unit, b"thirty-three bytes of plain text!");
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn decrypt_data_unit(&self, unit: &mut [u8], tweak: u128) -> Result<(), XtsError> {
        self.data_unit_pass(unit, tweak, false)
    }

    fn data_unit_pass(&self, unit: &mut [u8], tweak: u128, encrypt: bool) -> Result<(), XtsError> {
        let len = unit.len();
        if len < BLOCK_SIZE {
            return Err(XtsError::DataUnitTooShort { len });
        }
        let partial = len % BLOCK_SIZE;
        let full = len / BLOCK_SIZE;
        // Blocks processed by the bulk path: all when there is no partial block, else all but
        // the last full block (which takes part in ciphertext stealing).
        let bulk = if partial == 0 { full } else { full.saturating_sub(1) };

        let mut t0 = Block::<Aes128>::from(tweak.to_le_bytes());
        self.tweak.encrypt_block(&mut t0);
        let t0 = u128::from_le_bytes(t0.0);

        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(unit);
        if let Some(bulk_blocks) = blocks.get_mut(..bulk)
            && !bulk_blocks.is_empty()
        {
            let sector_tweaks = [t0];
            let stream = TweakStream::new(&sector_tweaks, bulk);
            if encrypt {
                self.data.encrypt_with_backend(EncPass {
                    blocks: bulk_blocks,
                    tweaks: stream,
                });
            } else {
                self.data.decrypt_with_backend(DecPass {
                    blocks: bulk_blocks,
                    tweaks: stream,
                });
            }
        }
        if partial == 0 {
            return Ok(());
        }

        // Ciphertext stealing (IEEE 1619-2007 §5.3.2 / §5.4.2).
        let mut t_prev = t0; // tweak of block index `bulk` (the last full block)
        for _ in 0..bulk {
            t_prev = mul_x(t_prev);
        }
        let t_last = mul_x(t_prev); // tweak of the partial block's position
        let split = bulk.saturating_mul(BLOCK_SIZE);
        let (_, tail) = unit.split_at_mut(split.min(len));
        let (last_full, stolen) = tail.split_at_mut(BLOCK_SIZE.min(tail.len()));

        let mut cc = Block::<Aes128>::default();
        cc.0.copy_from_slice(last_full);
        // Encrypt: CC = E(P_{m-1}, T_{m-1}); decrypt: PP = D(C_{m-1}, T_m) (tweaks swapped).
        let (first_t, second_t) = if encrypt { (t_prev, t_last) } else { (t_last, t_prev) };
        self.one_block(&mut cc, first_t, encrypt);
        // Swap the partial block with the head of CC: the output partial block is CC's head and
        // CC is completed with the input partial block.
        let r = stolen.len();
        let (cc_head, _) = cc.0.split_at_mut(r);
        cc_head.swap_with_slice(stolen);
        self.one_block(&mut cc, second_t, encrypt);
        last_full.copy_from_slice(&cc.0);
        Ok(())
    }

    fn one_block(&self, b: &mut Block<Aes128>, t: u128, encrypt: bool) {
        xor_block(b, t);
        if encrypt {
            self.data.encrypt_block(b);
        } else {
            self.data.decrypt_block(b);
        }
        xor_block(b, t);
    }
}

/// Key size of an XTS-AES key (both halves together).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum XtsKeySize {
    /// 32 bytes: XTS-AES-128 (two AES-128 keys), LUKS "key size 256 bits".
    Bits256,
    /// 64 bytes: XTS-AES-256 (two AES-256 keys), LUKS "key size 512 bits".
    Bits512,
}

impl XtsKeySize {
    /// The key length in bytes (32 or 64).
    ///
    /// ```
    /// assert_eq!(cryptdisk_core::xts::XtsKeySize::Bits512.bytes(), 64);
    /// ```
    pub const fn bytes(self) -> usize {
        match self {
            Self::Bits256 => 32,
            Self::Bits512 => 64,
        }
    }

    /// Maps a key length in bytes to a key size.
    ///
    /// # Errors
    ///
    /// [`XtsError::InvalidKeyLength`] for anything but 32 or 64.
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsKeySize;
    /// assert_eq!(XtsKeySize::from_bytes(32), Ok(XtsKeySize::Bits256));
    /// assert!(XtsKeySize::from_bytes(48).is_err());
    /// ```
    pub const fn from_bytes(len: usize) -> Result<Self, XtsError> {
        match len {
            32 => Ok(Self::Bits256),
            64 => Ok(Self::Bits512),
            _ => Err(XtsError::InvalidKeyLength { len }),
        }
    }
}

#[derive(Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "kept inline: no allocation on the data path; at most one per volume (large only \
              where the aes crate keeps two schedules: not on x86_64-unknown-none, so no expect)"
)]
enum XtsInner {
    Aes128(XtsCore<Aes128>),
    Aes256(XtsCore<Aes256>),
}

/// XTS-AES with a checked key: what volumes and key slots use.
///
/// The key (32 or 64 bytes) is split in half: the first half keys the data cipher, the second
/// the tweak cipher. The round keys are zeroized on drop (`aes` with its `zeroize` feature).
///
/// # Examples
///
/// ```
/// use cryptdisk_core::xts::{XtsAes, XtsError};
///
/// assert_eq!(XtsAes::new(&[0u8; 64]).err(), Some(XtsError::EqualKeyHalves));
/// let key: Vec<u8> = (0u8..32).collect();
/// let xts = XtsAes::new(&key)?;
/// let mut data = vec![0u8; 1024];
/// xts.encrypt_sectors(&mut data, 512, 0)?;
/// xts.decrypt_sectors(&mut data, 512, 0)?;
/// assert!(data.iter().all(|&b| b == 0));
/// # Ok::<(), XtsError>(())
/// ```
///
/// Both key schedules (the `aes` crate's ciphers and the SIMD round keys) live on the heap and
/// are never moved after key expansion: moving an `XtsAes` moves two pointers. Keying wipes the
/// stack its key expansion used ([`wipe_stack`](crate::wipe::wipe_stack)).
pub struct XtsAes {
    inner: TryBox<XtsInner>,
    /// The fused kernel for whole units, when a SIMD backend runs.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    simd: Option<TryBox<simd::SimdXts>>,
}

impl Clone for XtsAes {
    fn clone(&self) -> Self {
        let copy = Self {
            inner: TryBox::new_or_abort((*self.inner).clone()),
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            simd: self.simd.as_deref().map(simd::SimdXts::boxed_clone),
        };
        // The `aes` ciphers are cloned through the stack.
        crate::wipe::wipe_stack();
        copy
    }
}

impl fmt::Debug for XtsAes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XtsAes")
            .field("key_size", &self.key_size())
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl XtsAes {
    /// Keys XTS-AES from 32 (AES-128) or 64 (AES-256) key bytes.
    ///
    /// # Errors
    ///
    /// [`XtsError::InvalidKeyLength`], or [`XtsError::EqualKeyHalves`] when both halves are
    /// equal (checked in constant time).
    ///
    /// # Examples
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// assert!(XtsAes::new(&[7u8; 31]).is_err());
    /// ```
    pub fn new(key: &[u8]) -> Result<Self, XtsError> {
        Self::with_backend(key, Backend::selected())
    }

    /// Like [`new`](Self::new), with the multi-unit data path forced to `backend`.
    ///
    /// # Errors
    ///
    /// As for [`new`](Self::new), and [`XtsError::BackendUnsupported`] when this CPU cannot run
    /// `backend` (see [`Backend::is_supported`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use cryptdisk_core::xts::{Backend, XtsAes};
    /// let key: Vec<u8> = (0u8..64).collect();
    /// let mut a = [1u8; 4096];
    /// let mut b = a;
    /// XtsAes::with_backend(&key, Backend::Portable)?.encrypt_sectors(&mut a, 512, 9)?;
    /// XtsAes::with_backend(&key, Backend::best())?.encrypt_sectors(&mut b, 512, 9)?;
    /// assert_eq!(a, b);
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn with_backend(key: &[u8], backend: Backend) -> Result<Self, XtsError> {
        let size = XtsKeySize::from_bytes(key.len())?;
        let (k1, k2) = key.split_at(key.len() / 2);
        if bool::from(k1.ct_eq(k2)) {
            return Err(XtsError::EqualKeyHalves);
        }
        if !backend.is_supported() {
            return Err(XtsError::BackendUnsupported { backend });
        }
        let bad_len = |_| XtsError::InvalidKeyLength { len: key.len() };
        let inner = TryBox::new(match size {
            XtsKeySize::Bits256 => XtsInner::Aes128(XtsCore::new(
                Aes128::new_from_slice(k1).map_err(bad_len)?,
                Aes128::new_from_slice(k2).map_err(bad_len)?,
            )),
            XtsKeySize::Bits512 => XtsInner::Aes256(XtsCore::new(
                Aes256::new_from_slice(k1).map_err(bad_len)?,
                Aes256::new_from_slice(k2).map_err(bad_len)?,
            )),
        })
        .map_err(|_| XtsError::OutOfMemory)?;
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        let simd = match backend {
            Backend::Portable => None,
            _ => Some(simd::SimdXts::new(backend, k1, k2)?),
        };
        // The key expansions above ran in frames just below this one.
        crate::wipe::wipe_stack();
        Ok(Self {
            inner,
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            simd,
        })
    }

    /// The backend of the multi-unit data path.
    ///
    /// ```
    /// use cryptdisk_core::xts::{Backend, XtsAes};
    /// let xts = XtsAes::with_backend(&(0u8..64).collect::<Vec<_>>(), Backend::Portable)?;
    /// assert_eq!(xts.backend(), Backend::Portable);
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn backend(&self) -> Backend {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        if let Some(s) = &self.simd {
            return s.backend();
        }
        Backend::Portable
    }

    /// The key size this instance was built with.
    ///
    /// ```
    /// use cryptdisk_core::xts::{XtsAes, XtsKeySize};
    /// let key: Vec<u8> = (0u8..64).collect();
    /// assert_eq!(XtsAes::new(&key)?.key_size(), XtsKeySize::Bits512);
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn key_size(&self) -> XtsKeySize {
        match *self.inner {
            XtsInner::Aes128(_) => XtsKeySize::Bits256,
            XtsInner::Aes256(_) => XtsKeySize::Bits512,
        }
    }

    /// Encrypts consecutive sectors in place (see [`XtsCore::encrypt_sectors`]).
    ///
    /// # Errors
    ///
    /// See [`XtsCore::encrypt_sectors`].
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut buf = [0u8; 512];
    /// xts.encrypt_sectors(&mut buf, 512, 0)?;
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn encrypt_sectors(&self, buf: &mut [u8], sector_size: usize, first_sector: u64) -> Result<(), XtsError> {
        self.encrypt_units(buf, sector_size, first_sector, 1)
    }

    /// Encrypts consecutive data units in place; unit `i` (0-based) of `buf` uses tweak number
    /// `first_tweak + i * tweak_step` (LUKS2 with 4096-byte sectors counts tweaks in 512-byte
    /// units: step 8). `encrypt_sectors(buf, s, n)` is `encrypt_units(buf, s, n, 1)`.
    ///
    /// # Errors
    ///
    /// As for [`XtsCore::encrypt_sectors`], and [`XtsError::SectorNumberOverflow`] when the last
    /// unit's tweak number exceeds 2^64 - 1 (checked arithmetic). Nothing is modified on error.
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut buf = [0u8; 8192];
    /// xts.encrypt_units(&mut buf, 4096, 0, 8)?; // tweaks 0 and 8
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn encrypt_units(
        &self,
        buf: &mut [u8],
        unit_size: usize,
        first_tweak: u64,
        tweak_step: u64,
    ) -> Result<(), XtsError> {
        self.units_pass(buf, unit_size, first_tweak, tweak_step, true)
    }

    /// Decrypts consecutive data units in place; the inverse of
    /// [`encrypt_units`](Self::encrypt_units).
    ///
    /// # Errors
    ///
    /// As for [`encrypt_units`](Self::encrypt_units).
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut buf = [3u8; 8192];
    /// xts.encrypt_units(&mut buf, 4096, 16, 8)?;
    /// xts.decrypt_units(&mut buf, 4096, 16, 8)?;
    /// assert_eq!(buf, [3u8; 8192]);
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn decrypt_units(
        &self,
        buf: &mut [u8],
        unit_size: usize,
        first_tweak: u64,
        tweak_step: u64,
    ) -> Result<(), XtsError> {
        self.units_pass(buf, unit_size, first_tweak, tweak_step, false)
    }

    /// Both directions of the multi-unit path: the SIMD kernel when one runs, else the portable
    /// path (which checks the geometry itself).
    fn units_pass(
        &self,
        buf: &mut [u8],
        unit_size: usize,
        first_tweak: u64,
        tweak_step: u64,
        encrypt: bool,
    ) -> Result<(), XtsError> {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        if let Some(s) = &self.simd {
            check_units(buf.len(), unit_size, first_tweak, tweak_step)?;
            s.units(buf, unit_size, first_tweak, tweak_step, encrypt);
            return Ok(());
        }
        match &*self.inner {
            XtsInner::Aes128(x) => x.sectors_pass(buf, unit_size, first_tweak, tweak_step, encrypt),
            XtsInner::Aes256(x) => x.sectors_pass(buf, unit_size, first_tweak, tweak_step, encrypt),
        }
    }

    /// Decrypts consecutive sectors in place (see [`XtsCore::decrypt_sectors`]).
    ///
    /// # Errors
    ///
    /// See [`XtsCore::encrypt_sectors`].
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut buf = [0u8; 512];
    /// xts.decrypt_sectors(&mut buf, 512, 0)?;
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn decrypt_sectors(&self, buf: &mut [u8], sector_size: usize, first_sector: u64) -> Result<(), XtsError> {
        self.decrypt_units(buf, sector_size, first_sector, 1)
    }

    /// Encrypts one data unit of any length ≥ 16 (see [`XtsCore::encrypt_data_unit`]).
    ///
    /// # Errors
    ///
    /// [`XtsError::DataUnitTooShort`].
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut unit = [0u8; 17];
    /// xts.encrypt_data_unit(&mut unit, 5)?;
    /// assert_eq!(unit[0], 0x5a); // toolchain.md §7.1, ciphertext stealing
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn encrypt_data_unit(&self, unit: &mut [u8], tweak: u128) -> Result<(), XtsError> {
        match &*self.inner {
            XtsInner::Aes128(x) => x.encrypt_data_unit(unit, tweak),
            XtsInner::Aes256(x) => x.encrypt_data_unit(unit, tweak),
        }
    }

    /// Decrypts one data unit of any length ≥ 16 (see [`XtsCore::decrypt_data_unit`]).
    ///
    /// # Errors
    ///
    /// [`XtsError::DataUnitTooShort`].
    ///
    /// ```
    /// use cryptdisk_core::xts::XtsAes;
    /// let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>())?;
    /// let mut unit = [9u8; 40];
    /// xts.encrypt_data_unit(&mut unit, 1)?;
    /// xts.decrypt_data_unit(&mut unit, 1)?;
    /// assert_eq!(unit, [9u8; 40]);
    /// # Ok::<(), cryptdisk_core::xts::XtsError>(())
    /// ```
    pub fn decrypt_data_unit(&self, unit: &mut [u8], tweak: u128) -> Result<(), XtsError> {
        match &*self.inner {
            XtsInner::Aes128(x) => x.decrypt_data_unit(unit, tweak),
            XtsInner::Aes256(x) => x.decrypt_data_unit(unit, tweak),
        }
    }
}

#[cfg(test)]
mod tests;
