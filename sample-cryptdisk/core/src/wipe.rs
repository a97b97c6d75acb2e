//! Wiping the dead stack frames that key handling leaves below its caller.
//!
//! Code we do not control copies key bytes into its own stack frames: the `aes` crate's key
//! expansion (AES-256 round keys 0 and 1 *are* the two key halves), HMAC keyed with the master
//! key (the LUKS digests), and unoptimised builds, which copy values around freely. Those frames
//! are dead once the call returns, but their bytes stay in memory, and so in a core dump, until
//! the stack grows over them again. [`wipe_stack`] overwrites the stack just below its caller's
//! frame, where those callees ran, with volatile writes the compiler cannot drop.
//!
//! The key-handling functions of this crate call it before they return ([`XtsAes`] keying, key
//! slot opening and sealing, the master-key digests); a program can call it once more at the end
//! of a command (the CLI wipes [`STACK_WIPE_BYTES_AT_EXIT`] before exiting).
//!
//! [`XtsAes`]: crate::xts::XtsAes
//!
//! # Examples
//!
//! ```
//! use cryptdisk_core::{key::MasterKey, wipe::wipe_stack, xts::XtsAes};
//!
//! let key = MasterKey::from_slice(&core::array::from_fn::<u8, 64, _>(|i| i as u8))?;
//! let xts = XtsAes::new(key.as_bytes())?; // already wipes what its key expansion left
//! wipe_stack(); // and this wipes below the caller once more: harmless, idempotent
//! # let _ = xts;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use zeroize::Zeroize;

/// Bytes [`wipe_stack`] overwrites: 64 KiB in user mode (`std`: unoptimised builds use frames of
/// several KiB per call level); 4 KiB without `std` (the Windows kernel, whose thread stacks are
/// 24 KiB: as much as keying itself uses, about 4.2 KiB, see [`crate::xts`]).
pub const STACK_WIPE_BYTES: usize = if cfg!(feature = "std") { 64 * 1024 } else { 4 * 1024 };

/// Bytes a user-mode program may wipe once at the end of a command (256 KiB, far inside the
/// 8 MiB main-thread stack of Linux and the 1 MiB of Windows).
pub const STACK_WIPE_BYTES_AT_EXIT: usize = 256 * 1024;

/// Overwrites [`STACK_WIPE_BYTES`] of stack below the caller's frame with zeros.
///
/// ```
/// cryptdisk_core::wipe::wipe_stack();
/// ```
#[inline(never)]
pub fn wipe_stack() {
    wipe_stack_bytes::<STACK_WIPE_BYTES>();
}

/// Overwrites `N` bytes of stack below the caller's frame with zeros (volatile writes).
///
/// `N` must fit in the stack left to the caller: the frame is `N` bytes.
///
/// ```
/// cryptdisk_core::wipe::wipe_stack_bytes::<{ cryptdisk_core::wipe::STACK_WIPE_BYTES_AT_EXIT }>();
/// ```
#[inline(never)]
pub fn wipe_stack_bytes<const N: usize>() {
    let mut area = [0u8; N];
    // Volatile writes over the whole frame: the compiler may not drop them as dead stores.
    area.zeroize();
    core::hint::black_box(&area);
}
