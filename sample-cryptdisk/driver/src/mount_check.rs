//! Opening the volume MOUNT asks for: the container's own LUKS header must describe the volume
//! the request describes, and only then is the master key put to use.
//!
//! No kernel calls (the exerciser compiles this file on the host for its tests): the driver
//! passes its [`ContainerFile`](crate::kernel::file::ContainerFile), the tests a `MemDevice`.

use core::fmt;

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::luks::{LuksError, LuksHeader, read_header};
use cryptdisk_core::volume::{Volume, VolumeError, VolumeParams};
use mountdev::NtStatus;

use crate::control::MountOrder;

/// Which field of the container's header disagrees with the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The LUKS UUID.
    Uuid,
    /// The cipher or its key size.
    Cipher,
    /// The payload offset.
    PayloadOffset,
    /// The data size (the file changed size since the CLI read it).
    DataSectors,
}

/// Why the container could not be opened as the request's volume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MountCheckError {
    /// The header could not be read or is not a valid LUKS1 header.
    Header(LuksError),
    /// The header describes another volume than the request.
    Mismatch {
        /// The field that differs.
        field: Field,
        /// The request's value (UUID and cipher: 0).
        requested: u64,
        /// The container's value (UUID and cipher: 0).
        found: u64,
    },
    /// The key or geometry was refused by the volume layer.
    Volume(VolumeError),
}

impl fmt::Display for MountCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(error) => write!(f, "container header: {error}"),
            Self::Mismatch {
                field,
                requested,
                found,
            } => write!(
                f,
                "the container's {field:?} differs from the request's ({found} vs {requested})"
            ),
            Self::Volume(error) => write!(f, "cannot open the volume: {error}"),
        }
    }
}

impl core::error::Error for MountCheckError {}

impl From<MountCheckError> for NtStatus {
    /// A header that cannot be read or parsed is `STATUS_UNRECOGNIZED_VOLUME` (a device error
    /// while reading it keeps the device's status when it has one); a mismatch or a refused key
    /// is `STATUS_INVALID_PARAMETER`.
    fn from(error: MountCheckError) -> Self {
        match error {
            MountCheckError::Header(LuksError::Device(cryptdisk_core::blockdev::BlockDevError::Io {
                code, ..
            })) if code < 0 && code != -1 => NtStatus::from_i32(code),
            MountCheckError::Header(_) => NtStatus::UNRECOGNIZED_VOLUME,
            MountCheckError::Mismatch { .. } | MountCheckError::Volume(_) => NtStatus::INVALID_PARAMETER,
        }
    }
}

fn mismatch(field: Field, requested: u64, found: u64) -> MountCheckError {
    MountCheckError::Mismatch {
        field,
        requested,
        found,
    }
}

/// Checks that `header` describes the volume `order` asks for: same UUID, cipher and key size,
/// and payload offset.
///
/// # Errors
///
/// [`MountCheckError::Mismatch`] naming the first field that differs.
pub fn check_header(header: &LuksHeader, order: &MountOrder) -> Result<(), MountCheckError> {
    if header.uuid() != order.uuid {
        return Err(mismatch(Field::Uuid, 0, 0));
    }
    if header.cipher() != order.cipher {
        let bits = |bytes: usize| u64::try_from(bytes).unwrap_or(u64::MAX).saturating_mul(8);
        return Err(mismatch(
            Field::Cipher,
            bits(order.cipher.key_bytes()),
            bits(header.cipher().key_bytes()),
        ));
    }
    let payload = u64::from(header.payload_offset());
    if payload != order.payload_offset {
        return Err(mismatch(Field::PayloadOffset, order.payload_offset, payload));
    }
    Ok(())
}

/// Reads the container's header, checks it against `order` ([`check_header`]), opens the
/// volume with the order's master key ([`Volume::from_params`]) and checks that its data area
/// has the size the CLI saw.
///
/// # Errors
///
/// [`MountCheckError`]; `device` is dropped (closed) then.
pub fn open_volume<D: BlockDevice>(mut device: D, order: &MountOrder) -> Result<Volume<D>, MountCheckError> {
    let header = read_header(&mut device).map_err(MountCheckError::Header)?;
    check_header(&header, order)?;
    let volume =
        Volume::from_params(device, &VolumeParams::from_header(&header), &order.key).map_err(MountCheckError::Volume)?;
    if volume.sector_count() != order.data_sectors {
        return Err(mismatch(Field::DataSectors, order.data_sectors, volume.sector_count()));
    }
    Ok(volume)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::MountOrder;
    use alloc::vec::Vec;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::control::{ControlRequest, IOCTL_CRYPTDISK_MOUNT, MountOptions, MountRequestBuilder};
    use cryptdisk_core::luks::{FormatOptions, HashSpec, format};
    use cryptdisk_core::rng::RandomSource;
    use cryptdisk_core::spec::CipherSpec;
    use cryptdisk_core::xts::XtsKeySize;

    /// Deterministic "randomness" for formatting test volumes (xorshift64).
    struct Counter(u64);
    impl RandomSource for Counter {
        fn fill_random(&mut self, out: &mut [u8]) -> Result<(), cryptdisk_core::rng::RngError> {
            for byte in out {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                *byte = self.0.to_le_bytes()[3];
            }
            Ok(())
        }
    }

    const SECTORS: usize = 4096 + 64;

    fn formatted(key_size: XtsKeySize) -> (MemDevice, cryptdisk_core::luks::Unlocked) {
        let mut device = MemDevice::new(SECTORS);
        let options = FormatOptions::new(CipherSpec::AesXtsPlain64 { key_size }, HashSpec::Sha256, 1000, 1000);
        let unlocked = format(&mut device, &options, b"pw", &mut Counter(0x9E37_79B9_7F4A_7C15)).unwrap();
        (device, unlocked)
    }

    /// The order the CLI would send for `unlocked`, with `edit` applied to the builder.
    fn order_for<'a>(
        unlocked: &'a cryptdisk_core::luks::Unlocked,
        edit: impl FnOnce(&mut MountRequestBuilder<'a>),
    ) -> MountOrder {
        let header = &unlocked.header;
        let mut builder = MountRequestBuilder {
            path: "\\??\\C:\\v.luks",
            letter: None,
            options: MountOptions::default(),
            cipher: header.cipher(),
            key: &unlocked.master_key,
            payload_offset: u64::from(header.payload_offset()),
            data_sectors: SECTORS as u64 - u64::from(header.payload_offset()),
            uuid: header.uuid(),
        };
        edit(&mut builder);
        let bytes: Vec<u8> = builder.to_vec().unwrap();
        match ControlRequest::decode(IOCTL_CRYPTDISK_MOUNT, &bytes).unwrap() {
            ControlRequest::Mount(request) => MountOrder::from_request(request).unwrap(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_matching_request_opens_the_volume_and_its_data_decrypts() {
        let (device, unlocked) = formatted(XtsKeySize::Bits512);
        let order = order_for(&unlocked, |_| {});
        let mut volume = open_volume(device, &order).unwrap();
        assert_eq!(volume.sector_count(), order.data_sectors);
        volume.write_sectors(5, &[0x5A; 1024]).unwrap();
        let mut back = [0u8; 1024];
        volume.read_sectors(5, &mut back).unwrap();
        assert_eq!(back, [0x5A; 1024]);
    }

    #[test]
    fn every_mismatch_is_refused_as_an_invalid_parameter() {
        let (device, unlocked) = formatted(XtsKeySize::Bits512);
        let other_uuid = order_for(&unlocked, |b| b.uuid = cryptdisk_core::identity::Uuid::from_bytes([1; 16]));
        let other_offset = order_for(&unlocked, |b| b.payload_offset += 8);
        let other_size = order_for(&unlocked, |b| b.data_sectors -= 1);
        let short_key = MasterKeyHolder::new(32);
        let other_cipher = order_for(&unlocked, |b| {
            b.cipher = CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits256,
            };
            b.key = short_key.key();
        });
        for (order, field) in [
            (other_uuid, Field::Uuid),
            (other_offset, Field::PayloadOffset),
            (other_size, Field::DataSectors),
            (other_cipher, Field::Cipher),
        ] {
            let error = open_volume(device.clone(), &order).unwrap_err();
            assert!(
                matches!(error, MountCheckError::Mismatch { field: f, .. } if f == field),
                "{error}"
            );
            assert_eq!(NtStatus::from(error), NtStatus::INVALID_PARAMETER);
        }
    }

    #[test]
    fn a_container_without_a_luks_header_is_an_unrecognized_volume() {
        let (_, unlocked) = formatted(XtsKeySize::Bits256);
        let order = order_for(&unlocked, |_| {});
        let error = open_volume(MemDevice::new(SECTORS), &order).unwrap_err();
        assert!(matches!(error, MountCheckError::Header(_)), "{error}");
        assert_eq!(NtStatus::from(error), NtStatus::UNRECOGNIZED_VOLUME);
    }

    /// Owns a key of `len` bytes so a builder can borrow it.
    struct MasterKeyHolder(cryptdisk_core::key::MasterKey);
    impl MasterKeyHolder {
        fn new(len: u8) -> Self {
            Self(cryptdisk_core::key::MasterKey::from_slice(&(1..=len).collect::<Vec<u8>>()).unwrap())
        }
        fn key(&self) -> &cryptdisk_core::key::MasterKey {
            &self.0
        }
    }
}
