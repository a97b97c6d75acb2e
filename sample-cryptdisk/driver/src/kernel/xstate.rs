//! (e) Extended processor state (AVX / AVX-512) around the XTS data path.
//!
//! x64 kernel code may use SSE registers freely, but YMM/ZMM state must be saved with
//! `KeSaveExtendedProcessorState` before use and restored afterwards (performance.md §11): the
//! `aes` crate picks VAES backends on capable CPUs by itself, and so does `cryptdisk-core`'s XTS
//! dispatch (`xts::Backend`). [`XStateSave::save`] returns a guard that restores on drop; hold it
//! around a whole request (many sectors), not per sector.
//!
//! What the saved mask must cover, per XTS kernel: `aesni` runs its VEX encoding when the OS
//! enabled AVX (VEX writes to xmm registers zero the upper halves of the YMM registers, and the
//! compiler may move stack arrays through ymm: [`XSTATE_MASK_AVX`]) and its legacy SSE encoding
//! otherwise (nothing to save on x64); `vaes256` uses ymm0–15 ([`XSTATE_MASK_AVX`]); `vaes512`
//! uses zmm0–31 and may use opmask registers ([`XSTATE_MASK_AVX512`]: all three of its bits).
//! Both flavours of tweak arithmetic (`xts::TweakArithmetic`) of a kernel use the same
//! registers as that kernel (the clmul flavour's VEX AES-NI kernel: xmm only, as above).
//! The core selects a VAES kernel or the VEX encoding only when XCR0 shows that the OS enabled
//! that register state, and `RtlGetEnabledExtendedFeatures` reports the same XCR0 bits, so the
//! mask saved below always includes every register file the selected kernel touches.
//!
//! ```ignore
//! let mut area = XStateSave::new();
//! let guard = area.save()?;           // area is borrowed: it cannot move while saved
//! volume.read_sectors(lba, buffer)?;  // may use AVX
//! drop(guard);                        // KeRestoreExtendedProcessorState
//! ```
//!
//! The Linux stand-in implements the two routines through `MmGetSystemRoutineAddress`, because
//! Wine 8 does not export them; there they save nothing (Wine's kernel is a user process whose
//! state the host saves anyway).

use core::marker::PhantomPinned;

use mountdev::NtStatus;
use wdk_sys::XSTATE_SAVE;
use wdk_sys::ntddk::{KeRestoreExtendedProcessorState, KeSaveExtendedProcessorState, RtlGetEnabledExtendedFeatures};

use super::check;

/// `XSTATE_MASK_AVX` (`XSTATE_GSSE`, bit 2): the upper halves of YMM0–15.
pub const XSTATE_MASK_AVX: u64 = 1 << 2;
/// `XSTATE_MASK_AVX512`: opmask registers (bit 5), upper halves of ZMM0–15 (bit 6), ZMM16–31
/// (bit 7).
pub const XSTATE_MASK_AVX512: u64 = (1 << 5) | (1 << 6) | (1 << 7);

/// Storage for one save of the extended state (`XSTATE_SAVE`). The kernel links it into a
/// per-thread list, so it must stay put while saved: the guard borrows it.
pub struct XStateSave {
    raw: XSTATE_SAVE,
    _pinned: PhantomPinned,
}

impl Default for XStateSave {
    fn default() -> Self {
        Self::new()
    }
}

impl XStateSave {
    /// Empty storage.
    pub fn new() -> Self {
        Self {
            raw: XSTATE_SAVE::default(),
            _pinned: PhantomPinned,
        }
    }

    /// Saves the AVX and AVX-512 state the OS has enabled (IRQL ≤ DISPATCH_LEVEL); the guard
    /// restores it when dropped, on the same thread.
    ///
    /// # Errors
    ///
    /// The status of `KeSaveExtendedProcessorState` (`STATUS_INSUFFICIENT_RESOURCES`, ...).
    pub fn save(&mut self) -> Result<XStateGuard<'_>, NtStatus> {
        // SAFETY: no arguments beyond the mask; callable at any IRQL.
        let enabled = unsafe { RtlGetEnabledExtendedFeatures(XSTATE_MASK_AVX | XSTATE_MASK_AVX512) };
        // SAFETY: `raw` is writable storage that the returned guard keeps borrowed (so it does
        // not move or get reused) until the matching restore.
        check(unsafe { KeSaveExtendedProcessorState(enabled, &mut self.raw) })?;
        Ok(XStateGuard {
            save: self,
            _not_send: core::marker::PhantomData,
        })
    }
}

/// Restores the state saved by [`XStateSave::save`] when dropped. Not `Send`: the restore must
/// run on the thread that saved.
pub struct XStateGuard<'a> {
    save: &'a mut XStateSave,
    _not_send: core::marker::PhantomData<*mut ()>,
}

impl Drop for XStateGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: `save.raw` was filled by a successful save on this thread (the guard is not
        // Send) and is restored once; guards nest by borrow, so restores run in reverse order.
        unsafe { KeRestoreExtendedProcessorState(&mut self.save.raw) };
    }
}
