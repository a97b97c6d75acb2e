//! UNMOUNT: which volume to take away.

use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{ControlError, PROTOCOL_VERSION};

const UNMOUNT_MAGIC: [u8; 4] = *b"CDUR";
const BY_LETTER: u8 = 1;
const BY_DEVICE_NUMBER: u8 = 2;
const FLAG_FORCE: u16 = 1;

/// The UNMOUNT request (16 bytes).
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct UnmountRequestWire {
    /// `b"CDUR"`.
    pub magic: [u8; 4],
    /// [`PROTOCOL_VERSION`].
    pub version: U16,
    /// Bit 0: force (dismount even with open handles).
    pub flags: U16,
    /// 1 = by drive letter, 2 = by device number.
    pub by: u8,
    /// The drive letter when `by` is 1, else 0.
    pub drive_letter: u8,
    /// Zero.
    pub reserved: U16,
    /// The device number when `by` is 2, else 0.
    pub device_number: U32,
}

const _: () = assert!(core::mem::size_of::<UnmountRequestWire>() == 16);

/// Which volume to unmount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmountTarget {
    /// The volume at this drive letter (`b'A'..=b'Z'`).
    Letter(u8),
    /// `\Device\CryptDiskVolumeN`.
    DeviceNumber(u32),
}

/// A validated UNMOUNT request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnmountRequest {
    /// The volume.
    pub target: UnmountTarget,
    /// Dismount even when files are open on the volume.
    pub force: bool,
}

impl UnmountRequest {
    /// Parses and validates exactly 16 bytes.
    ///
    /// # Errors
    /// [`ControlError`].
    ///
    /// ```
    /// use cryptdisk_core::control::{UnmountRequest, UnmountTarget};
    /// let bytes = UnmountRequest { target: UnmountTarget::Letter(b'Z'), force: false }.to_bytes();
    /// assert_eq!(UnmountRequest::parse(&bytes).unwrap().target, UnmountTarget::Letter(b'Z'));
    /// ```
    pub fn parse(input: &[u8]) -> Result<Self, ControlError> {
        let wire = UnmountRequestWire::read_from_bytes(input).map_err(|_| {
            if input.len() < 16 {
                ControlError::Short {
                    needed: 16,
                    available: input.len(),
                }
            } else {
                ControlError::Trailing {
                    expected: 16,
                    available: input.len(),
                }
            }
        })?;
        if wire.magic != UNMOUNT_MAGIC {
            return Err(ControlError::Magic);
        }
        if wire.version.get() != PROTOCOL_VERSION {
            return Err(ControlError::Version {
                version: wire.version.get(),
            });
        }
        if wire.flags.get() & !FLAG_FORCE != 0 || wire.reserved.get() != 0 {
            return Err(ControlError::Reserved { field: "flags" });
        }
        let target = match wire.by {
            BY_LETTER if wire.drive_letter.is_ascii_uppercase() && wire.device_number.get() == 0 => {
                UnmountTarget::Letter(wire.drive_letter)
            }
            BY_LETTER => {
                return Err(ControlError::DriveLetter {
                    letter: wire.drive_letter,
                });
            }
            BY_DEVICE_NUMBER if wire.drive_letter == 0 => UnmountTarget::DeviceNumber(wire.device_number.get()),
            _ => return Err(ControlError::Reserved { field: "target" }),
        };
        Ok(Self {
            target,
            force: wire.flags.get() & FLAG_FORCE != 0,
        })
    }

    /// The 16 request bytes.
    pub fn to_bytes(&self) -> [u8; 16] {
        let (by, drive_letter, device_number) = match self.target {
            UnmountTarget::Letter(letter) => (BY_LETTER, letter, 0),
            UnmountTarget::DeviceNumber(number) => (BY_DEVICE_NUMBER, 0, number),
        };
        let wire = UnmountRequestWire {
            magic: UNMOUNT_MAGIC,
            version: U16::new(PROTOCOL_VERSION),
            flags: U16::new(if self.force { FLAG_FORCE } else { 0 }),
            by,
            drive_letter,
            reserved: U16::ZERO,
            device_number: U32::new(device_number),
        };
        let mut out = [0u8; 16];
        out.copy_from_slice(wire.as_bytes());
        out
    }
}
