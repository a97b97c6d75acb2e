//! LUKS1: header, key slots, anti-forensic splitter, and key management.
//!
//! * [`header`]: parse, validate and serialize the 592-byte header ([`LuksHeader`]).
//! * [`read_header`] / [`write_header`]: the header on a [`BlockDevice`](crate::blockdev::BlockDevice).
//! * With the `digest` feature (also in the kernel): [`digest`] (the master-key digest).
//! * With the `kdf` feature (user mode): [`af`] (the AF splitter), [`keyslot`] (PBKDF2 slot
//!   sealing and opening, the master-key digest) and the operations [`unlock`], [`format`](fn@format),
//!   [`add_key`], [`add_key_with_passphrase`], [`change_key`], [`remove_key`] and
//!   [`kill_slot`].
//!
//! # Write ordering
//!
//! Every header update keeps at least one working key on the device at every instant:
//!
//! 1. a new slot's key material is written into a *free* slot's area, then the header is
//!    rewritten with that slot active, then flushed;
//! 2. the new slot is **verified** by reading header and key material back from the device and
//!    opening it with the new passphrase;
//! 3. only then (for a change of key) is the old slot's key material overwritten with random
//!    bytes and the old slot disabled in the header.
//!
//! A wrong passphrase (or master key) is detected before anything is written and returned as
//! [`LuksError::WrongPassphrase`] (or [`LuksError::WrongMasterKey`]). Removing the last active
//! slot is refused with [`LuksError::LastKeySlot`].

pub mod error;
mod hash;
pub mod header;
mod io;

#[cfg(feature = "kdf")]
pub mod af;
#[cfg(feature = "digest")]
pub mod digest;
#[cfg(feature = "kdf")]
pub mod keyslot;
#[cfg(feature = "kdf")]
mod manage;

pub use error::{KdfError, LuksError};
pub use hash::HashSpec;
pub use header::{HeaderError, KeySlot, LuksHeader};
pub use io::{read_header, write_header};

#[cfg(feature = "kdf")]
pub use manage::{
    FormatOptions, KeyChange, Unlocked, add_key, add_key_to_slot, add_key_with_passphrase, change_key, format,
    kill_slot, remove_key, unlock, unlock_slot,
};

#[cfg(all(test, feature = "kdf"))]
mod tests;
