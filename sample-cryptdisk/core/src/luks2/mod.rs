//! LUKS2, cryptsetup's default format: the binary headers and JSON metadata (portable, `no_std`
//! + `alloc`, no key needed) and, with the `kdf` feature, opening key slots.
//!
//! * [`binary`]: the 4096-byte binary header of each of the two metadata copies, its checksum.
//! * [`json`]: a small JSON reader and writer for the metadata area.
//! * [`metadata`]: the metadata typed and validated ([`Metadata`]).
//! * [`read_header`]: both copies read from a device, the valid one with the higher `seqid`
//!   chosen ([`Luks2Header`]); a copy failing a check is reported, never used.
//! * [`config`]: key-slot priority and application tokens (no passphrase needed).
//! * [`write`](mod@write): both copies written in a crash-safe order with `seqid` increments.
//! * With `digest` (also in the kernel): [`digest`] (the volume-key digest).
//! * With `kdf`: [`unlock`](fn@unlock) (PBKDF2 / Argon2 key slots) and [`manage`]
//!   ([`format`](fn@format), [`add_key`], [`change_key`], [`remove_key`], [`kill_slot`]).
//!
//! Reading never writes and never panics on any input.

pub mod binary;
pub mod config;
mod error;
mod fallible;
pub mod json;
pub mod metadata;
mod read;
pub mod write;

#[cfg(feature = "digest")]
pub mod digest;
#[cfg(feature = "kdf")]
pub mod manage;
#[cfg(feature = "kdf")]
pub mod unlock;

pub use error::Luks2Error;
pub use metadata::Metadata;
pub use read::{Luks2Header, read_header};

#[cfg(feature = "kdf")]
pub use manage::{
    KdfChoice, Luks2Options, add_key, add_key_to_slot, add_key_with_passphrase, change_key, format, kill_slot,
    remove_key,
};
#[cfg(feature = "kdf")]
pub use unlock::{Unlocked2, unlock};

#[cfg(all(test, feature = "kdf"))]
mod tests;
#[cfg(all(test, feature = "kdf"))]
mod tests_config;
