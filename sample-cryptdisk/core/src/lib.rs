//! Portable crypto core of the sample encrypted virtual disk (`sample-cryptdisk`).
//!
//! `no_std` + `alloc`, no `unsafe` outside the SIMD XTS kernels (`xts::simd`, the one module
//! allowed it; the crate root denies `unsafe_code`): the same code runs in the Windows kernel
//! shell and in the `cryptdisk` CLI.
//!
//! * [`xts`]: XTS-AES (IEEE 1619): fused AES-NI / VAES-256 / VAES-512 kernels picked at run
//!   time from the CPU's features ([`xts::Backend`]), and the portable path over the `aes`
//!   crate; refuses keys with equal halves.
//! * [`luks`]: LUKS1 headers and PBKDF2 key slots with the anti-forensic splitter: parse and
//!   validate, open with a passphrase, create, add, change and remove keys, never leaving the
//!   volume without a working key.
//! * [`luks2`]: LUKS2 (cryptsetup's default): both metadata copies (checksum, `seqid`), the
//!   JSON metadata validated, Argon2 / PBKDF2 key slots, key management with crash-safe
//!   writes; [`kdf_limits`] bounds the key-derivation costs a header may ask for.
//! * [`volume`]: sector I/O through the [`blockdev::BlockDevice`] trait, 512-byte sectors,
//!   tweak = sector number counted from the payload start (`plain64`); LUKS2 volumes use their
//!   encryption sector size (up to 4096) with the tweak counted in 512-byte sectors.
//! * [`uuid`]: the LUKS UUID and the volume identity derived from it (stable GUID, mount-manager
//!   unique ID), never from the machine or the clock.
//! * [`key`], [`spec`], [`rng`], [`error`]: the master key (one heap allocation, never moved,
//!   zeroized on drop), cipher specifications, caller-provided randomness, and the crate-wide
//!   error; [`wipe`] overwrites the dead stack frames key handling leaves behind; [`heap`]
//!   allocates fallibly.
//!
//! # Features
//!
//! * `kdf`: PBKDF2 key slots (passphrases, format, key management). Key derivation stays in
//!   user mode: the kernel shell builds with `default-features = false` and opens volumes
//!   from a master key ([`volume::Volume::from_params`]).
//! * `std` (default; implies `kdf`): [`rng::OsRandom`] (`getrandom`), [`filedev::FileDevice`]
//!   on `std::fs::File`, [`calibrate`] (PBKDF2 iterations for `--iter-time MS`) and [`bench`](mod@bench)
//!   (the XTS measuring loop behind `cargo bench` and `cryptdisk bench`).
//!
//! # Example: encrypt and decrypt one sector
//!
//! ```
//! use cryptdisk_core::blockdev::{BlockDevice, MemDevice};
//! use cryptdisk_core::uuid::Uuid;
//! use cryptdisk_core::key::MasterKey;
//! use cryptdisk_core::spec::CipherSpec;
//! use cryptdisk_core::volume::{Volume, VolumeParams};
//! use cryptdisk_core::xts::XtsKeySize;
//!
//! let params = VolumeParams {
//!     cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 },
//!     payload_offset: 2,
//!     uuid: Uuid::parse(b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c")?,
//! };
//! let key = MasterKey::from_slice(&(0u8..64).collect::<Vec<u8>>())?;
//! let mut volume = Volume::from_params(MemDevice::new(4), &params, &key)?;
//!
//! let plaintext = [0x41u8; 512];
//! volume.write_sectors(0, &plaintext)?;              // encrypted with tweak 0
//! let stored = &volume.device().as_bytes()[1024..1536];
//! assert_ne!(stored, &plaintext[..]);                 // ciphertext on the device
//!
//! let mut sector = [0u8; 512];
//! volume.read_sectors(0, &mut sector)?;               // decrypted
//! assert_eq!(sector, plaintext);
//! assert_eq!(&volume.unique_id()[..16], b"cryptdisk-luks1:");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![deny(unsafe_code)]
#![cfg_attr(test, allow(clippy::restriction, reason = "unit tests: a failed expectation panics"))]

extern crate alloc;

pub mod blockdev;
pub mod control;
pub mod device;
pub mod error;
pub mod heap;
pub mod kdf_limits;
pub mod key;
pub mod luks;
pub mod luks2;
pub mod rng;
pub mod spec;
pub mod uuid;
pub mod volume;
pub mod wipe;
pub mod xts;

#[cfg(feature = "std")]
pub mod bench;
#[cfg(feature = "std")]
pub mod calibrate;
#[cfg(feature = "std")]
pub mod filedev;

pub use error::Error;

#[cfg(all(test, feature = "kdf"))]
mod testutil;
