//! Opening the volume MOUNT asks for: the container's own LUKS header must describe the volume
//! the request describes, and the master key must match the header's digest (LUKS1
//! `mk-digest`, LUKS2 the data segment's `pbkdf2` digest), so a wrong key never mounts garbage
//! read-write. The digest runs last, after every cheap check, on the control worker (never in a
//! dispatch routine), and only up to [`MAX_DIGEST_ITERATIONS`].
//!
//! Generic over the container: the driver passes its container file
//! (`cryptdisk_driver::kernel::file::ContainerFile`), the tests a `MemDevice`.

use core::fmt;

use cryptdisk_core::blockdev::{BackendError, BlockDevError, BlockDevice};
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks::{LuksError, LuksHeader, read_header};
use cryptdisk_core::luks2::Luks2Error;
use cryptdisk_core::volume::{Volume, VolumeError, VolumeParams};
use cryptdisk_core::xts::XtsError;
use mountdev::NtStatus;

use crate::control::MountOrder;

pub use cryptdisk_core::control::{MAX_DIGEST_ITERATIONS, STATUS_WRONG_KEY};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The container has a LUKS2 header that is invalid or unsupported.
    Luks2Header,
    /// The master key does not match the header's digest.
    WrongKey,
    /// The header's digest asks for more PBKDF2 iterations than [`MAX_DIGEST_ITERATIONS`].
    DigestCost {
        /// The iterations the header asks for.
        iterations: u32,
    },
    /// The digest could not be computed (PBKDF2 refused its input).
    Digest,
    /// No memory to read the LUKS2 header (the pool is exhausted).
    OutOfMemory,
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
            Self::Luks2Header => f.write_str("container header: invalid or unsupported LUKS2 header"),
            Self::WrongKey => f.write_str("the master key does not match the container's digest"),
            Self::DigestCost { iterations } => write!(
                f,
                "the container's key digest asks for {iterations} PBKDF2 iterations (the driver computes at most {MAX_DIGEST_ITERATIONS})"
            ),
            Self::Digest => f.write_str("the container's key digest could not be computed"),
            Self::OutOfMemory => f.write_str("no memory to read the container's LUKS2 header"),
        }
    }
}

impl core::error::Error for MountCheckError {}

impl From<MountCheckError> for NtStatus {
    /// A header that cannot be read or parsed is `STATUS_UNRECOGNIZED_VOLUME` (a device error
    /// while reading it keeps the device's status when it has one); a mismatch or a refused key
    /// is `STATUS_INVALID_PARAMETER` (no memory for the key schedules or the LUKS2 header:
    /// `STATUS_INSUFFICIENT_RESOURCES`); a key that fails the digest is [`STATUS_WRONG_KEY`]; a
    /// digest too costly is `STATUS_NOT_SUPPORTED`.
    fn from(error: MountCheckError) -> Self {
        match error {
            MountCheckError::Header(LuksError::Device(BlockDevError::Io {
                cause: BackendError::Status(status),
                ..
            })) => status,
            MountCheckError::Header(_) | MountCheckError::Luks2Header | MountCheckError::Digest => {
                NtStatus::UNRECOGNIZED_VOLUME
            }
            MountCheckError::WrongKey => STATUS_WRONG_KEY,
            MountCheckError::DigestCost { .. } => NtStatus::NOT_SUPPORTED,
            MountCheckError::Volume(VolumeError::Xts(XtsError::OutOfMemory)) | MountCheckError::OutOfMemory => {
                NtStatus::INSUFFICIENT_RESOURCES
            }
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
    let mut first = [0u8; 512];
    if device.read_sectors(0, &mut first).is_ok() && cryptdisk_core::luks2::binary::is_luks2(&first) {
        return open_luks2(device, order);
    }
    let header = read_header(&mut device).map_err(MountCheckError::Header)?;
    check_header(&header, order)?;
    let volume = Volume::from_params(device, &VolumeParams::from_header(&header), &order.key)
        .map_err(MountCheckError::Volume)?;
    if volume.sector_count() != order.data_sectors {
        return Err(mismatch(Field::DataSectors, order.data_sectors, volume.sector_count()));
    }
    let iterations = header.mk_digest_iterations();
    if iterations > MAX_DIGEST_ITERATIONS {
        return Err(MountCheckError::DigestCost { iterations });
    }
    match cryptdisk_core::luks::digest::verify_master_key(&header, &order.key) {
        Ok(true) => Ok(volume),
        Ok(false) => Err(MountCheckError::WrongKey),
        Err(_) => Err(MountCheckError::Digest),
    }
}

/// [`open_volume`] for a LUKS2 container: its validated header must name the request's UUID,
/// key size and data offset; the volume then uses the header's encryption sector size and
/// `iv_tweak` (the request does not need to carry them: the driver trusts the header it checked,
/// not the caller).
fn open_luks2<D: BlockDevice>(mut device: D, order: &MountOrder) -> Result<Volume<D>, MountCheckError> {
    let header = cryptdisk_core::luks2::read_header(&mut device).map_err(|error| match error {
        Luks2Error::OutOfMemory => MountCheckError::OutOfMemory,
        _ => MountCheckError::Luks2Header,
    })?;
    if header.uuid() != order.uuid {
        return Err(mismatch(Field::Uuid, 0, 0));
    }
    let bits = |bytes: usize| u64::try_from(bytes).unwrap_or(u64::MAX).saturating_mul(8);
    let key_bytes = header.metadata.key_size().unwrap_or(order.key.len());
    if key_bytes != order.cipher.key_bytes() || key_bytes != order.key.len() {
        return Err(mismatch(Field::Cipher, bits(order.cipher.key_bytes()), bits(key_bytes)));
    }
    let payload = header.metadata.segment.offset / 512;
    if payload != order.payload_offset {
        return Err(mismatch(Field::PayloadOffset, order.payload_offset, payload));
    }
    let volume = Volume::from_luks2(device, &header, &order.key).map_err(MountCheckError::Volume)?;
    if volume.sector_count() != order.data_sectors {
        return Err(mismatch(Field::DataSectors, order.data_sectors, volume.sector_count()));
    }
    let iterations = header.metadata.digest.iterations;
    if iterations > MAX_DIGEST_ITERATIONS {
        return Err(MountCheckError::DigestCost { iterations });
    }
    let limits = KdfLimits {
        max_pbkdf2_iterations: MAX_DIGEST_ITERATIONS,
        ..KdfLimits::DEFAULT
    };
    match cryptdisk_core::luks2::digest::verify_volume_key(&header, &order.key, &limits) {
        Ok(true) => Ok(volume),
        Ok(false) => Err(MountCheckError::WrongKey),
        Err(_) => Err(MountCheckError::Digest),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::control::MountOrder;
    use alloc::vec::Vec;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::control::{MountCommand, MountCommandBuilder, MountOptions};
    use cryptdisk_core::key::MasterKey;
    use cryptdisk_core::luks::HashSpec;
    use cryptdisk_core::luks::header::new_volume_layout;
    use cryptdisk_core::spec::CipherSpec;
    use cryptdisk_core::uuid::Uuid;
    use cryptdisk_core::xts::XtsKeySize;

    /// The UUID of the test containers.
    pub(crate) const UUID: &[u8; 36] = b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c";

    /// A container of `data` sectors after the payload offset, whose sector 0 holds a LUKS1
    /// header written field by field (the layout cryptsetup writes: big-endian integers,
    /// NUL-padded strings, eight disabled key slots at their standard offsets), with the
    /// master-key digest of [`key`] (1000 iterations of sha256, zero salt).
    pub(crate) fn container(key_size: XtsKeySize, data: u64, uuid: &[u8; 36]) -> (MemDevice, u64) {
        container_with(key_size, data, uuid, 1000)
    }

    /// [`container`] with a digest of `iterations` iterations.
    pub(crate) fn container_with(
        key_size: XtsKeySize,
        data: u64,
        uuid: &[u8; 36],
        iterations: u32,
    ) -> (MemDevice, u64) {
        let cipher = CipherSpec::AesXtsPlain64 { key_size };
        let (slots, payload) = new_volume_layout(cipher.key_bytes(), 2048).unwrap();
        let mut header = [0u8; 592];
        header[..6].copy_from_slice(b"LUKS\xba\xbe");
        header[6..8].copy_from_slice(&1u16.to_be_bytes());
        header[8..11].copy_from_slice(b"aes");
        header[40..51].copy_from_slice(b"xts-plain64");
        header[72..78].copy_from_slice(b"sha256");
        header[104..108].copy_from_slice(&payload.to_be_bytes());
        header[108..112].copy_from_slice(&u32::try_from(cipher.key_bytes()).unwrap().to_be_bytes());
        let master_key = key(u8::try_from(cipher.key_bytes()).unwrap());
        let digest = if iterations <= 1000 {
            cryptdisk_core::luks::digest::master_key_digest(HashSpec::Sha256, &master_key, &[0; 32], iterations)
                .unwrap()
        } else {
            [0; 20] // never computed: refused for its cost
        };
        header[112..132].copy_from_slice(&digest);
        header[164..168].copy_from_slice(&iterations.to_be_bytes());
        header[168..204].copy_from_slice(uuid);
        for (i, offset) in slots.iter().enumerate() {
            let slot = &mut header[208 + 48 * i..208 + 48 * (i + 1)];
            slot[..4].copy_from_slice(&0x0000_DEADu32.to_be_bytes());
            slot[40..44].copy_from_slice(&offset.to_be_bytes());
            slot[44..48].copy_from_slice(&4000u32.to_be_bytes());
        }
        let payload = u64::from(payload);
        let mut device = MemDevice::new(usize::try_from(payload + data).unwrap());
        device.as_bytes_mut()[..592].copy_from_slice(&header);
        (device, payload)
    }

    pub(crate) fn key(bytes: u8) -> MasterKey {
        MasterKey::from_slice(&(1..=bytes).collect::<Vec<u8>>()).unwrap()
    }

    /// The order the CLI would send for the container made by [`container`], with `edit`
    /// applied to the builder.
    pub(crate) fn order<'k>(
        key: &'k MasterKey,
        payload: u64,
        data: u64,
        edit: impl for<'b> FnOnce(&'b mut MountCommandBuilder<'k>),
    ) -> MountOrder {
        let mut builder = MountCommandBuilder {
            path: "\\??\\C:\\v.luks",
            letter: None,
            options: MountOptions::default(),
            cipher: CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits512,
            },
            key,
            payload_offset: payload,
            data_sectors: data,
            uuid: Uuid::parse(UUID).unwrap(),
        };
        edit(&mut builder);
        let bytes: Vec<u8> = builder.to_vec().unwrap();
        MountOrder::from_command(MountCommand::parse(&bytes).unwrap()).unwrap()
    }

    #[test]
    fn a_matching_request_opens_the_volume_and_its_data_decrypts() {
        let (device, payload) = container(XtsKeySize::Bits512, 64, UUID);
        let key = key(64);
        let order = order(&key, payload, 64, |_| {});
        let mut volume = open_volume(device, &order).unwrap();
        assert_eq!(volume.sector_count(), 64);
        volume.write_sectors(5, &[0x5A; 1024]).unwrap();
        let mut back = [0u8; 1024];
        volume.read_sectors(5, &mut back).unwrap();
        assert_eq!(back, [0x5A; 1024]);
        let stored = &volume.device().as_bytes()[usize::try_from(payload + 5).unwrap() * 512..][..1024];
        assert_ne!(stored, &[0x5A; 1024][..], "stored encrypted");
    }

    #[test]
    fn every_mismatch_is_refused_as_an_invalid_parameter() {
        let (device, payload) = container(XtsKeySize::Bits512, 64, UUID);
        let long_key = key(64);
        let short_key = key(32);
        let cases = [
            (
                order(&long_key, payload, 64, |b| b.uuid = Uuid::from_bytes([1; 16])),
                Field::Uuid,
            ),
            (order(&long_key, payload + 8, 64, |_| {}), Field::PayloadOffset),
            (order(&long_key, payload, 63, |_| {}), Field::DataSectors),
            (
                order(&short_key, payload, 64, |b| {
                    b.cipher = CipherSpec::AesXtsPlain64 {
                        key_size: XtsKeySize::Bits256,
                    }
                }),
                Field::Cipher,
            ),
        ];
        for (order, field) in cases {
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
        let key = key(64);
        let order = order(&key, 4096, 64, |_| {});
        let error = open_volume(MemDevice::new(4096 + 64), &order).unwrap_err();
        assert!(matches!(error, MountCheckError::Header(_)), "{error}");
        assert_eq!(NtStatus::from(error), NtStatus::UNRECOGNIZED_VOLUME);
    }

    #[test]
    fn a_device_error_keeps_the_kernel_status_when_it_has_one() {
        let header = |cause| {
            MountCheckError::Header(LuksError::Device(BlockDevError::Io {
                op: cryptdisk_core::blockdev::IoOp::Read,
                cause,
            }))
        };
        let status = header(BackendError::Status(NtStatus::DEVICE_REMOVED));
        assert_eq!(NtStatus::from(status), NtStatus::DEVICE_REMOVED);
        let short = header(BackendError::Short { done: 0, wanted: 512 });
        assert_eq!(NtStatus::from(short), NtStatus::UNRECOGNIZED_VOLUME);
    }

    #[test]
    fn equal_key_halves_are_refused_by_the_volume_layer() {
        let (device, payload) = container(XtsKeySize::Bits512, 8, UUID);
        let equal = MasterKey::from_slice(&[7u8; 64]).unwrap();
        let error = open_volume(device, &order(&equal, payload, 8, |_| {})).unwrap_err();
        assert!(matches!(error, MountCheckError::Volume(_)), "{error}");
        assert_eq!(NtStatus::from(error), NtStatus::INVALID_PARAMETER);
    }

    /// A LUKS2 container (both metadata copies built with the core's writer, no key slots: the
    /// driver never derives keys) with 4096-byte sectors and `data` 512-byte data sectors after
    /// a 1 MiB data offset.
    fn luks2_container(data: u64) -> MemDevice {
        luks2_container_with(data, 1000)
    }

    /// [`luks2_container`] whose digest (of [`key`]`(64)`, sha256, zero salt) has `iterations`
    /// iterations.
    fn luks2_container_with(data: u64, iterations: u32) -> MemDevice {
        use base64ct::{Base64, Encoding};
        use cryptdisk_core::luks2::binary::{BinaryHeader, Copy, build_copy};
        let mut digest = [0u8; 32];
        if iterations <= 1000 {
            HashSpec::Sha256
                .pbkdf2(key(64).as_bytes(), &[0; 32], iterations, &mut digest)
                .unwrap();
        }
        let json = alloc::format!(
            r#"{{"keyslots":{{}},"tokens":{{}},"segments":{{"0":{{"type":"crypt","offset":"1048576","size":"dynamic","iv_tweak":"0","encryption":"aes-xts-plain64","sector_size":4096}}}},"digests":{{"0":{{"type":"pbkdf2","keyslots":[],"segments":["0"],"hash":"sha256","iterations":{iterations},"salt":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","digest":"{}"}}}},"config":{{"json_size":"12288","keyslots_size":"1015808"}}}}"#,
            Base64::encode_string(&digest)
        );
        let json = json.as_bytes();
        let binary = BinaryHeader {
            copy: Copy::Primary,
            hdr_size: 0x4000,
            seqid: 1,
            label: [0; 48],
            subsystem: [0; 48],
            salt: [0; 64],
            uuid: Uuid::parse(UUID).unwrap(),
        };
        let mut device = MemDevice::new(usize::try_from(2048 + data).unwrap());
        let primary = build_copy(&binary, Copy::Primary, json).unwrap();
        let secondary = build_copy(&binary, Copy::Secondary, json).unwrap();
        device.as_bytes_mut()[..0x4000].copy_from_slice(&primary);
        device.as_bytes_mut()[0x4000..0x8000].copy_from_slice(&secondary);
        device
    }

    #[test]
    fn a_luks2_container_opens_with_its_4096_byte_sectors() {
        let key = key(64);
        let volume = open_volume(luks2_container(64), &order(&key, 2048, 64, |_| {}));
        let mut volume = volume.unwrap();
        assert_eq!(volume.unit_size(), 4096);
        volume.write_sectors(8, &[0x5A; 4096]).unwrap();
        assert!(
            volume.write_sectors(5, &[0x5A; 4096]).is_err(),
            "not on a 4096-byte sector"
        );
        let mut back = [0u8; 4096];
        volume.read_sectors(8, &mut back).unwrap();
        assert_eq!(back, [0x5A; 4096]);
        for (edit, field) in [
            (
                (|b: &mut MountCommandBuilder<'_>| b.payload_offset = 4096) as fn(&mut MountCommandBuilder<'_>),
                Field::PayloadOffset,
            ),
            (|b| b.data_sectors = 63, Field::DataSectors),
            (|b| b.uuid = Uuid::from_bytes([9; 16]), Field::Uuid),
        ] {
            let error = open_volume(luks2_container(64), &order(&key, 2048, 64, edit)).unwrap_err();
            assert!(
                matches!(error, MountCheckError::Mismatch { field: f, .. } if f == field),
                "{error}"
            );
        }
        let mut broken = luks2_container(64);
        broken.as_bytes_mut()[5000] ^= 1;
        broken.as_bytes_mut()[0x4000 + 5000] ^= 1;
        let error = open_volume(broken, &order(&key, 2048, 64, |_| {})).unwrap_err();
        assert_eq!(NtStatus::from(error), NtStatus::UNRECOGNIZED_VOLUME);
    }

    /// The key with one bit flipped (its halves stay distinct, so only the digest can tell).
    fn one_bit_off(bytes: u8) -> MasterKey {
        let mut flipped: Vec<u8> = key(bytes).as_bytes().to_vec();
        flipped[17] ^= 0x08;
        MasterKey::from_slice(&flipped).unwrap()
    }

    #[test]
    fn a_key_one_bit_off_is_refused_by_the_digest_luks1_and_luks2() {
        let (device, payload) = container(XtsKeySize::Bits512, 64, UUID);
        let wrong = one_bit_off(64);
        let error = open_volume(device.clone(), &order(&wrong, payload, 64, |_| {})).unwrap_err();
        assert_eq!(error, MountCheckError::WrongKey);
        assert_eq!(NtStatus::from(error), STATUS_WRONG_KEY);
        assert_eq!(
            STATUS_WRONG_KEY.as_i32(),
            i32::from_ne_bytes(0xC000_006Au32.to_ne_bytes())
        );
        let (short, payload) = container(XtsKeySize::Bits256, 64, UUID);
        let order_256 = |key: &MasterKey| {
            order(key, payload, 64, |b| {
                b.cipher = CipherSpec::AesXtsPlain64 {
                    key_size: XtsKeySize::Bits256,
                }
            })
        };
        assert!(open_volume(short.clone(), &order_256(&key(32))).is_ok());
        let error = open_volume(short, &order_256(&one_bit_off(32))).unwrap_err();
        assert_eq!(error, MountCheckError::WrongKey);

        let error = open_volume(luks2_container(64), &order(&wrong, 2048, 64, |_| {})).unwrap_err();
        assert_eq!(error, MountCheckError::WrongKey);
        // The right key still opens both (the digest is what refused).
        assert!(open_volume(device, &order(&key(64), payload_of_512(), 64, |_| {})).is_ok());
    }

    fn payload_of_512() -> u64 {
        container(XtsKeySize::Bits512, 1, UUID).1
    }

    #[test]
    fn a_digest_beyond_the_cap_is_refused_before_it_is_computed() {
        let key = key(64);
        let (device, payload) = container_with(XtsKeySize::Bits512, 8, UUID, MAX_DIGEST_ITERATIONS + 1);
        let error = open_volume(device, &order(&key, payload, 8, |_| {})).unwrap_err();
        assert_eq!(
            error,
            MountCheckError::DigestCost {
                iterations: MAX_DIGEST_ITERATIONS + 1
            }
        );
        assert_eq!(NtStatus::from(error), NtStatus::NOT_SUPPORTED);
        let error = open_volume(luks2_container_with(64, u32::MAX), &order(&key, 2048, 64, |_| {})).unwrap_err();
        assert_eq!(error, MountCheckError::DigestCost { iterations: u32::MAX });
    }
}
