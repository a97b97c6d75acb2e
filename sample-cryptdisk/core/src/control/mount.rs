//! MOUNT: the request (container path, drive letter, options, cipher, master key, sizes) and the
//! reply.

use alloc::vec::Vec;

use mountdev::{DriveLetterLink, NtName};
use zerocopy::byteorder::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
use zeroize::Zeroize;

use super::path::{MAX_PATH_UNITS, validate_container_path};
use super::{ControlError, PROTOCOL_VERSION};
use crate::key::{KeyError, MAX_KEY_BYTES, MasterKey};
use crate::spec::CipherSpec;
use crate::uuid::Uuid;
use crate::xts::XtsKeySize;

const MOUNT_MAGIC: [u8; 4] = *b"CDMR";
const REPLY_MAGIC: [u8; 4] = *b"CDMA";
const CIPHER_AES_XTS_PLAIN64: u8 = 1;
const FLAG_READ_ONLY: u16 = 1;
const FLAG_REMOVABLE: u16 = 2;
/// Largest payload offset accepted, in sectors (LUKS1 headers with 8 slots of 4000-stripe
/// 512-bit keys need about 4096; 1 GiB leaves ample room).
const MAX_PAYLOAD_OFFSET: u64 = 1 << 21;
/// Largest data size accepted, in 512-byte sectors (2^52 bytes: far beyond any file system).
const MAX_DATA_SECTORS: u64 = 1 << 43;

/// The fixed part of a MOUNT request; the UTF-16LE container path follows at offset 112.
#[derive(Clone, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct MountCommandWire {
    /// `b"CDMR"`.
    pub magic: [u8; 4],
    /// [`PROTOCOL_VERSION`].
    pub version: U16,
    /// Bit 0 read-only, bit 1 removable.
    pub flags: U16,
    /// `b'A'..=b'Z'`, or 0 to let the mount manager choose.
    pub drive_letter: u8,
    /// 1 = `aes-xts-plain64`.
    pub cipher: u8,
    /// Master key length in bytes (32 or 64).
    pub key_length: U16,
    /// Container path length in bytes (no terminator).
    pub path_length: U16,
    /// Zero.
    pub reserved: U16,
    /// LUKS payload offset in 512-byte sectors.
    pub payload_offset: U64,
    /// Data area size in 512-byte sectors, as the CLI saw it (the driver checks the file).
    pub data_sectors: U64,
    /// The LUKS UUID (the driver checks it against the container's header).
    pub uuid: [u8; 16],
    /// The master key, zero-padded to 64 bytes.
    pub master_key: [u8; MAX_KEY_BYTES],
}

/// Size of [`MountCommandWire`]: the offset of the path.
pub const MOUNT_COMMAND_FIXED_SIZE: usize = 112;
const _: () = assert!(core::mem::size_of::<MountCommandWire>() == MOUNT_COMMAND_FIXED_SIZE);

/// How the volume is presented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// Writes fail with `STATUS_MEDIA_WRITE_PROTECTED`.
    pub read_only: bool,
    /// The volume is presented as removable media.
    pub removable: bool,
}

/// A validated MOUNT command: what the CLI asks the cryptdisk driver's control device to mount
/// (not the mount manager's `mountmgr_client::MountRequest`, which the driver then sends on its
/// own). The master key is a copy (zeroized on drop); the driver should also scrub its input
/// buffer with [`MountCommand::scrub`] once parsed.
#[derive(Debug)]
pub struct MountCommand<'a> {
    /// The container path (validated by [`validate_container_path`]).
    pub path: NtName<'a>,
    /// The requested drive letter, or `None` to let the mount manager choose.
    pub letter: Option<DriveLetterLink>,
    /// Options.
    pub options: MountOptions,
    /// The cipher.
    pub cipher: CipherSpec,
    /// The master key.
    pub key: MasterKey,
    /// LUKS payload offset in sectors.
    pub payload_offset: u64,
    /// Data sectors the CLI saw.
    pub data_sectors: u64,
    /// The LUKS UUID.
    pub uuid: Uuid,
}

impl<'a> MountCommand<'a> {
    /// Parses and validates a MOUNT input buffer (exactly 112 + path bytes).
    ///
    /// # Errors
    /// The [`ControlError`] naming the first defect found.
    pub fn parse(input: &'a [u8]) -> Result<Self, ControlError> {
        let (wire, rest) = MountCommandWire::ref_from_prefix(input).map_err(|_| ControlError::Short {
            needed: MOUNT_COMMAND_FIXED_SIZE,
            available: input.len(),
        })?;
        if wire.magic != MOUNT_MAGIC {
            return Err(ControlError::Magic);
        }
        if wire.version.get() != PROTOCOL_VERSION {
            return Err(ControlError::Version {
                version: wire.version.get(),
            });
        }
        let flags = wire.flags.get();
        if flags & !(FLAG_READ_ONLY | FLAG_REMOVABLE) != 0 {
            return Err(ControlError::Reserved { field: "flags" });
        }
        if wire.reserved.get() != 0 {
            return Err(ControlError::Reserved { field: "reserved" });
        }
        let letter = match wire.drive_letter {
            0 => None,
            byte => Some(DriveLetterLink::new(byte).ok_or(ControlError::DriveLetter { letter: byte })?),
        };
        let cipher = match (wire.cipher, wire.key_length.get()) {
            (CIPHER_AES_XTS_PLAIN64, 32) => CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits256,
            },
            (CIPHER_AES_XTS_PLAIN64, 64) => CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits512,
            },
            (CIPHER_AES_XTS_PLAIN64, length) => return Err(ControlError::KeyLength { length }),
            (cipher, _) => return Err(ControlError::Cipher { cipher }),
        };
        let key_length = usize::from(wire.key_length.get());
        let (key_bytes, padding) = wire
            .master_key
            .split_at_checked(key_length)
            .ok_or(ControlError::KeyLength {
                length: wire.key_length.get(),
            })?;
        if padding.iter().any(|&b| b != 0) {
            return Err(ControlError::KeyLength {
                length: wire.key_length.get(),
            });
        }
        let key = MasterKey::from_slice(key_bytes).map_err(|error| match error {
            KeyError::OutOfMemory => ControlError::OutOfMemory,
            KeyError::InvalidLength { .. } => ControlError::KeyLength {
                length: wire.key_length.get(),
            },
        })?;
        let payload_offset = wire.payload_offset.get();
        if payload_offset == 0 || payload_offset > MAX_PAYLOAD_OFFSET {
            return Err(ControlError::Size {
                field: "payload offset",
                value: payload_offset,
            });
        }
        let data_sectors = wire.data_sectors.get();
        if data_sectors == 0 || data_sectors > MAX_DATA_SECTORS {
            return Err(ControlError::Size {
                field: "data size",
                value: data_sectors,
            });
        }
        let path_length = usize::from(wire.path_length.get());
        if path_length % 2 != 0 || path_length == 0 {
            return Err(ControlError::Path {
                reason: "odd or zero byte length",
            });
        }
        if rest.len() < path_length {
            return Err(ControlError::Short {
                needed: MOUNT_COMMAND_FIXED_SIZE.saturating_add(path_length),
                available: input.len(),
            });
        }
        if rest.len() > path_length {
            return Err(ControlError::Trailing {
                expected: MOUNT_COMMAND_FIXED_SIZE.saturating_add(path_length),
                available: input.len(),
            });
        }
        let path = NtName::from_le_bytes(rest).map_err(|_| ControlError::Path {
            reason: "empty or contains a NUL",
        })?;
        validate_container_path(path)?;
        Ok(Self {
            path,
            letter,
            options: MountOptions {
                read_only: flags & FLAG_READ_ONLY != 0,
                removable: flags & FLAG_REMOVABLE != 0,
            },
            cipher,
            key,
            payload_offset,
            data_sectors,
            uuid: Uuid::from_bytes(wire.uuid),
        })
    }

    /// Overwrites the master key bytes of a MOUNT input buffer with zeros, so the key does not
    /// linger in the I/O manager's system buffer after the request is parsed. A buffer cut short
    /// inside the key field has what is there of the key zeroed.
    ///
    /// ```
    /// let mut buffer = vec![0xAAu8; 130];
    /// cryptdisk_core::control::MountCommand::scrub(&mut buffer);
    /// assert!(buffer[48..112].iter().all(|&b| b == 0));
    /// assert_eq!((buffer[47], buffer[112]), (0xAA, 0xAA));
    /// let mut short = vec![0xAAu8; 80];
    /// cryptdisk_core::control::MountCommand::scrub(&mut short);
    /// assert!(short[48..].iter().all(|&b| b == 0));
    /// ```
    pub fn scrub(input: &mut [u8]) {
        let end = input.len().min(MOUNT_COMMAND_FIXED_SIZE);
        if let Some(key) = input.get_mut(48..end) {
            key.zeroize();
        }
    }
}

/// Builds a MOUNT request (the CLI side).
#[derive(Debug)]
pub struct MountCommandBuilder<'a> {
    /// The container path in NT form, e.g. `\??\C:\volumes\work.luks`.
    pub path: &'a str,
    /// The drive letter (`b'A'..=b'Z'`), or `None`.
    pub letter: Option<u8>,
    /// Options.
    pub options: MountOptions,
    /// The cipher.
    pub cipher: CipherSpec,
    /// The master key.
    pub key: &'a MasterKey,
    /// LUKS payload offset in sectors.
    pub payload_offset: u64,
    /// Data sectors.
    pub data_sectors: u64,
    /// The LUKS UUID.
    pub uuid: Uuid,
}

impl MountCommandBuilder<'_> {
    /// The request bytes, validated by the same parser the driver runs.
    ///
    /// # Errors
    /// Any [`ControlError`] the parser would report, so a bad request never leaves the CLI.
    pub fn to_vec(&self) -> Result<Vec<u8>, ControlError> {
        let path: Vec<u8> = self.path.encode_utf16().flat_map(u16::to_le_bytes).collect();
        if path.len() / 2 > MAX_PATH_UNITS {
            return Err(ControlError::Path {
                reason: "longer than 32767 characters",
            });
        }
        let path_length = u16::try_from(path.len()).map_err(|_| ControlError::Path { reason: "too long" })?;
        let key_length = u16::try_from(self.key.len()).map_err(|_| ControlError::KeyLength { length: u16::MAX })?;
        let CipherSpec::AesXtsPlain64 { .. } = self.cipher;
        let wire = MountCommandWire {
            magic: MOUNT_MAGIC,
            version: U16::new(PROTOCOL_VERSION),
            flags: U16::new(
                if self.options.read_only { FLAG_READ_ONLY } else { 0 }
                    | if self.options.removable { FLAG_REMOVABLE } else { 0 },
            ),
            drive_letter: self.letter.unwrap_or(0),
            cipher: CIPHER_AES_XTS_PLAIN64,
            key_length: U16::new(key_length),
            path_length: U16::new(path_length),
            reserved: U16::ZERO,
            payload_offset: U64::new(self.payload_offset),
            data_sectors: U64::new(self.data_sectors),
            uuid: *self.uuid.as_bytes(),
            // Zeros here: the key is copied from its allocation straight into `out` below, so
            // no stack copy of it exists.
            master_key: [0u8; MAX_KEY_BYTES],
        };
        let mut out = Vec::with_capacity(MOUNT_COMMAND_FIXED_SIZE.saturating_add(path.len()));
        out.extend_from_slice(wire.as_bytes());
        out.extend_from_slice(&path);
        let at = core::mem::offset_of!(MountCommandWire, master_key);
        if let Some(dst) = out.get_mut(at..at.saturating_add(self.key.len())) {
            dst.copy_from_slice(self.key.as_bytes());
        }
        match MountCommand::parse(&out) {
            Ok(_) => Ok(out),
            Err(error) => {
                out.zeroize();
                Err(error)
            }
        }
    }
}

bitflags::bitflags! {
    /// What happened at mount, as the driver reports it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct MountReplyFlags: u16 {
        /// The mount manager refused the letter; the driver created the link itself (fallback).
        const FALLBACK_LINK = 1;
        /// The volume has no drive letter.
        const NO_LETTER = 2;
        /// The mount manager knows the volume (it has a volume GUID name).
        const REGISTERED = 4;
    }
}

/// The MOUNT reply (32 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct MountReply {
    /// `b"CDMA"`.
    pub magic: [u8; 4],
    /// [`PROTOCOL_VERSION`].
    pub version: U16,
    /// [`MountReplyFlags`] bits.
    pub flags: U16,
    /// `N` of `\Device\CryptDiskVolumeN`.
    pub device_number: U32,
    /// The drive letter the volume got, or 0.
    pub drive_letter: u8,
    /// Zero.
    pub reserved: [u8; 3],
    /// The GUID of the volume's `\??\Volume{…}` name (wire layout), zero when unknown.
    pub volume_guid: [u8; 16],
}

const _: () = assert!(core::mem::size_of::<MountReply>() == 32);

impl MountReply {
    /// A reply.
    pub fn new(flags: MountReplyFlags, device_number: u32, drive_letter: Option<u8>, volume_guid: [u8; 16]) -> Self {
        Self {
            magic: REPLY_MAGIC,
            version: U16::new(PROTOCOL_VERSION),
            flags: U16::new(flags.bits()),
            device_number: U32::new(device_number),
            drive_letter: drive_letter.unwrap_or(0),
            reserved: [0; 3],
            volume_guid,
        }
    }

    /// Parses a reply.
    ///
    /// # Errors
    /// [`ControlError`] for a short buffer, wrong magic or version, undefined flags, or a bad
    /// letter.
    pub fn parse(bytes: &[u8]) -> Result<Self, ControlError> {
        let (reply, _) = Self::read_from_prefix(bytes).map_err(|_| ControlError::Short {
            needed: 32,
            available: bytes.len(),
        })?;
        if reply.magic != REPLY_MAGIC {
            return Err(ControlError::Magic);
        }
        if reply.version.get() != PROTOCOL_VERSION {
            return Err(ControlError::Version {
                version: reply.version.get(),
            });
        }
        if MountReplyFlags::from_bits(reply.flags.get()).is_none() || reply.reserved != [0; 3] {
            return Err(ControlError::Reserved { field: "flags" });
        }
        if reply.drive_letter != 0 && !reply.drive_letter.is_ascii_uppercase() {
            return Err(ControlError::DriveLetter {
                letter: reply.drive_letter,
            });
        }
        Ok(reply)
    }

    /// The flags.
    pub fn flags(&self) -> MountReplyFlags {
        MountReplyFlags::from_bits_truncate(self.flags.get())
    }
}
