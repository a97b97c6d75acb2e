//! [`Volume`]: sector I/O on an opened volume, through the XTS data path.
//!
//! Sector `n` of the volume is device sector `payload_offset + n`, encrypted with XTS tweak
//! `n` (`plain64`: the sector number counted from the payload start, little-endian).

use crate::blockdev::{BlockDevError, BlockDevice, SECTOR_SIZE, check_request};
use crate::key::MasterKey;
use crate::luks::{LuksError, LuksHeader, read_header};
use crate::spec::CipherSpec;
use crate::uuid::{Guid, UNIQUE_ID_LEN, Uuid};
use crate::xts::{XtsAes, XtsError};
use alloc::vec::Vec;
use core::fmt;
use zeroize::Zeroizing;

/// Sectors encrypted per device write (64 KiB of scratch).
const WRITE_CHUNK_SECTORS: usize = 128;

/// What the driver needs to open a volume: everything but the key comes from the header
/// (and can be passed from user mode along with the master key).
///
/// # Examples
///
/// ```
/// use cryptdisk_core::uuid::Uuid;
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::volume::VolumeParams;
/// use cryptdisk_core::xts::XtsKeySize;
///
/// let params = VolumeParams {
///     cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 },
///     payload_offset: 4096,
///     uuid: Uuid::from_bytes([1; 16]),
/// };
/// # let _ = params;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolumeParams {
    /// Cipher and key size.
    pub cipher: CipherSpec,
    /// First device sector of the encrypted data.
    pub payload_offset: u64,
    /// The volume UUID (identity: GUID and mount-manager unique ID).
    pub uuid: Uuid,
}

impl VolumeParams {
    /// The parameters a header describes.
    ///
    /// ```no_run
    /// # fn f(h: &cryptdisk_core::luks::LuksHeader) {
    /// let params = cryptdisk_core::volume::VolumeParams::from_header(h);
    /// # }
    /// ```
    pub fn from_header(header: &LuksHeader) -> Self {
        Self {
            cipher: header.cipher(),
            payload_offset: u64::from(header.payload_offset()),
            uuid: header.uuid(),
        }
    }
}

/// Errors of volume I/O and opening.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VolumeError {
    /// The device failed or refused the request.
    Device(BlockDevError),
    /// The key was refused (equal halves) or the geometry was wrong.
    Xts(XtsError),
    /// Opening through the LUKS header failed.
    Luks(LuksError),
    /// The master key's length does not match the cipher.
    KeyLength {
        /// Key length given.
        len: usize,
        /// Key length the cipher needs.
        expected: usize,
    },
    /// The payload offset lies beyond the device end.
    PayloadBeyondDevice {
        /// Payload offset in sectors.
        payload_offset: u64,
        /// Device size in sectors.
        device_sectors: u64,
    },
    /// The buffer is not a whole number of 512-byte sectors.
    Misaligned {
        /// Buffer length in bytes.
        len: usize,
    },
    /// A request on a volume with larger encryption sectors (LUKS2) does not start and end on
    /// one of them.
    UnitMisaligned {
        /// First volume sector (512 bytes) of the request.
        lba: u64,
        /// Buffer length in bytes.
        len: usize,
        /// The encryption sector size.
        unit: usize,
    },
    /// The encryption scratch buffer could not be allocated (in the kernel: pool exhausted).
    OutOfMemory {
        /// Bytes requested.
        bytes: usize,
    },
    /// The request reaches past the end of the volume.
    OutOfRange {
        /// First volume sector of the request.
        lba: u64,
        /// Sectors requested.
        sectors: u64,
        /// Volume size in sectors.
        capacity: u64,
    },
}

impl fmt::Display for VolumeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Device(e) => e.fmt(f),
            Self::Xts(e) => e.fmt(f),
            Self::Luks(e) => e.fmt(f),
            Self::KeyLength { len, expected } => {
                write!(f, "master key is {len} bytes, the cipher needs {expected}")
            }
            Self::PayloadBeyondDevice {
                payload_offset,
                device_sectors,
            } => write!(
                f,
                "payload offset {payload_offset} is beyond the device end ({device_sectors} sectors)"
            ),
            Self::Misaligned { len } => {
                write!(f, "buffer of {len} bytes is not a whole number of 512-byte sectors")
            }
            Self::OutOfRange { lba, sectors, capacity } => write!(
                f,
                "{sectors} sectors at volume sector {lba} reach past the volume end ({capacity} sectors)"
            ),
            Self::UnitMisaligned { lba, len, unit } => write!(
                f,
                "{len} bytes at sector {lba} do not start and end on {unit}-byte encryption sectors"
            ),
            Self::OutOfMemory { bytes } => write!(f, "cannot allocate {bytes} bytes for encryption"),
        }
    }
}

impl core::error::Error for VolumeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Device(e) => Some(e),
            Self::Xts(e) => Some(e),
            Self::Luks(e) => Some(e),
            _ => None,
        }
    }
}

impl From<BlockDevError> for VolumeError {
    fn from(e: BlockDevError) -> Self {
        Self::Device(e)
    }
}
impl From<XtsError> for VolumeError {
    fn from(e: XtsError) -> Self {
        Self::Xts(e)
    }
}
impl From<LuksError> for VolumeError {
    fn from(e: LuksError) -> Self {
        Self::Luks(e)
    }
}

/// An open encrypted volume on a block device.
///
/// # Examples
///
/// ```
/// use cryptdisk_core::blockdev::MemDevice;
/// use cryptdisk_core::key::MasterKey;
/// use cryptdisk_core::uuid::Uuid;
/// use cryptdisk_core::spec::CipherSpec;
/// use cryptdisk_core::volume::{Volume, VolumeParams};
/// use cryptdisk_core::xts::XtsKeySize;
///
/// // The driver's path: parameters and key handed over from user mode.
/// let params = VolumeParams {
///     cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 },
///     payload_offset: 8,
///     uuid: Uuid::from_bytes([7; 16]),
/// };
/// let key = MasterKey::from_slice(&(0u8..64).collect::<Vec<_>>())?;
/// let mut vol = Volume::from_params(MemDevice::new(16), &params, &key)?;
/// assert_eq!(vol.sector_count(), 8);
/// vol.write_sectors(0, &[0x41; 512])?;
/// let mut back = [0u8; 512];
/// vol.read_sectors(0, &mut back)?;
/// assert_eq!(back, [0x41; 512]);
/// assert_ne!(&vol.device().as_bytes()[8 * 512..9 * 512], &[0x41; 512][..]); // encrypted
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Volume<D> {
    dev: D,
    xts: XtsAes,
    params: VolumeParams,
    data_sectors: u64,
    /// Encryption sector (XTS data unit) size: 512 for LUKS1, 512 to 4096 for LUKS2.
    unit_size: usize,
    /// Added to every tweak (LUKS2 `iv_tweak`), in 512-byte sectors.
    iv_tweak: u64,
    scratch: Zeroizing<Vec<u8>>,
}

impl<D> fmt::Debug for Volume<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Volume")
            .field("params", &self.params)
            .field("data_sectors", &self.data_sectors)
            .field("unit_size", &self.unit_size)
            .field("iv_tweak", &self.iv_tweak)
            .finish_non_exhaustive()
    }
}

impl<D: BlockDevice> Volume<D> {
    /// Opens a volume from its parameters and master key: the driver's path (no header parse,
    /// no key derivation).
    ///
    /// # Errors
    ///
    /// [`VolumeError::KeyLength`], [`VolumeError::Xts`] (equal key halves),
    /// [`VolumeError::PayloadBeyondDevice`].
    ///
    /// See the [type-level example](Volume).
    pub fn from_params(dev: D, params: &VolumeParams, key: &MasterKey) -> Result<Self, VolumeError> {
        let expected = params.cipher.key_bytes();
        if key.len() != expected {
            return Err(VolumeError::KeyLength {
                len: key.len(),
                expected,
            });
        }
        let device_sectors = dev.sector_count();
        let data_sectors =
            device_sectors
                .checked_sub(params.payload_offset)
                .ok_or(VolumeError::PayloadBeyondDevice {
                    payload_offset: params.payload_offset,
                    device_sectors,
                })?;
        let xts = XtsAes::new(key.as_bytes())?;
        Ok(Self {
            dev,
            xts,
            params: *params,
            data_sectors,
            unit_size: SECTOR_SIZE,
            iv_tweak: 0,
            scratch: Zeroizing::new(Vec::new()),
        })
    }

    /// Opens a LUKS2 volume from its validated header and volume key (no key derivation: the
    /// driver's path too). The data segment's encryption sector size and `iv_tweak` apply: each
    /// `sector_size`-byte unit is one XTS data unit whose tweak is its number in 512-byte
    /// sectors from the segment start, plus `iv_tweak` (dm-crypt's default IV for LUKS2). A
    /// fixed-size segment ends where its size says (or at the device end, if sooner); requests
    /// must be aligned to the sector size.
    ///
    /// # Errors
    ///
    /// [`VolumeError::KeyLength`], [`VolumeError::Xts`] (equal key halves),
    /// [`VolumeError::PayloadBeyondDevice`].
    ///
    /// ```no_run
    /// # fn f(dev: cryptdisk_core::blockdev::MemDevice, h: &cryptdisk_core::luks2::Luks2Header, k: &cryptdisk_core::key::MasterKey) -> Result<(), cryptdisk_core::volume::VolumeError> {
    /// let vol = cryptdisk_core::volume::Volume::from_luks2(dev, h, k)?;
    /// assert_eq!(vol.unit_size(), 4096);
    /// # Ok(()) }
    /// ```
    pub fn from_luks2(dev: D, header: &crate::luks2::Luks2Header, key: &MasterKey) -> Result<Self, VolumeError> {
        let seg = &header.metadata.segment;
        let key_size = crate::xts::XtsKeySize::from_bytes(key.len())?;
        let params = VolumeParams {
            cipher: CipherSpec::AesXtsPlain64 { key_size },
            payload_offset: seg.offset / crate::blockdev::SECTOR_SIZE_U64,
            uuid: header.uuid(),
        };
        let mut vol = Self::from_params(dev, &params, key)?;
        let unit = u64::from(seg.sector_size);
        let mut bytes = vol.data_sectors.saturating_mul(crate::blockdev::SECTOR_SIZE_U64);
        if let Some(size) = seg.size {
            bytes = bytes.min(size);
        }
        bytes = bytes.saturating_sub(bytes.checked_rem(unit).unwrap_or(0));
        vol.data_sectors = bytes / crate::blockdev::SECTOR_SIZE_U64;
        vol.unit_size = usize::try_from(seg.sector_size).unwrap_or(SECTOR_SIZE);
        vol.iv_tweak = seg.iv_tweak;
        Ok(vol)
    }

    /// The encryption sector size in bytes (512 for LUKS1).
    pub fn unit_size(&self) -> usize {
        self.unit_size
    }

    /// Encrypts (`true`) or decrypts `buf` holding the volume's data from 512-byte sector `lba`.
    fn crypt(&self, buf: &mut [u8], lba: u64, encrypt: bool) -> Result<(), VolumeError> {
        if self.unit_size == SECTOR_SIZE && self.iv_tweak == 0 {
            if encrypt {
                self.xts.encrypt_sectors(buf, SECTOR_SIZE, lba)?;
            } else {
                self.xts.decrypt_sectors(buf, SECTOR_SIZE, lba)?;
            }
            return Ok(());
        }
        let step = u64::try_from(self.unit_size / SECTOR_SIZE).unwrap_or(1);
        let first = lba.checked_add(self.iv_tweak).ok_or(XtsError::SectorNumberOverflow)?;
        if encrypt {
            self.xts.encrypt_units(buf, self.unit_size, first, step)?;
        } else {
            self.xts.decrypt_units(buf, self.unit_size, first, step)?;
        }
        Ok(())
    }

    /// Opens a volume with its master key, taking the parameters from the LUKS header on the
    /// device (parsed and validated; no key derivation, so this works in the driver). The key
    /// is not checked against the header's digest here: see
    /// [`keyslot::verify_master_key`](crate::luks::keyslot::verify_master_key) (`kdf` feature).
    ///
    /// # Errors
    ///
    /// [`VolumeError::Luks`] for an invalid header, then as [`from_params`](Self::from_params).
    ///
    /// ```no_run
    /// # fn f(dev: cryptdisk_core::blockdev::MemDevice, key: &cryptdisk_core::key::MasterKey) -> Result<(), cryptdisk_core::volume::VolumeError> {
    /// let vol = cryptdisk_core::volume::Volume::open_with_master_key(dev, key)?;
    /// # Ok(()) }
    /// ```
    pub fn open_with_master_key(mut dev: D, key: &MasterKey) -> Result<Self, VolumeError> {
        let header = read_header(&mut dev)?;
        Self::from_params(dev, &VolumeParams::from_header(&header), key)
    }

    /// Opens a volume with a passphrase, trying every active key slot (user mode, `kdf`
    /// feature). Returns the volume and the slot that opened.
    ///
    /// # Errors
    ///
    /// [`VolumeError::Luks`] with [`LuksError::WrongPassphrase`] when no slot opens (nothing
    /// is written), header and device errors.
    ///
    /// ```no_run
    /// let dev = cryptdisk_core::filedev::FileDevice::open("volume.img", true)?;
    /// let (mut vol, slot) = cryptdisk_core::volume::Volume::open(dev, b"passphrase")?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "kdf")]
    pub fn open(mut dev: D, passphrase: &[u8]) -> Result<(Self, usize), VolumeError> {
        let unlocked = crate::luks::unlock(&mut dev, passphrase)?;
        let params = VolumeParams::from_header(&unlocked.header);
        let vol = Self::from_params(dev, &params, &unlocked.master_key)?;
        Ok((vol, unlocked.slot))
    }

    /// Size of the volume (the payload) in 512-byte sectors.
    pub fn sector_count(&self) -> u64 {
        self.data_sectors
    }

    /// The parameters the volume was opened with.
    pub fn params(&self) -> &VolumeParams {
        &self.params
    }

    /// The volume UUID bytes, in the textual order of the LUKS UUID string.
    ///
    /// See [`uuid`](crate::uuid) for why the identity comes from the volume.
    pub fn uuid(&self) -> [u8; 16] {
        *self.params.uuid.as_bytes()
    }

    /// The stable GUID (`IOCTL_MOUNTDEV_QUERY_STABLE_GUID`): the UUID read as a Windows GUID.
    pub fn stable_guid(&self) -> Guid {
        self.params.uuid.stable_guid()
    }

    /// The mount-manager unique ID: `"cryptdisk-luks1:"` + the 16 UUID bytes.
    pub fn unique_id(&self) -> [u8; UNIQUE_ID_LEN] {
        self.params.uuid.unique_id()
    }

    fn device_lba(&self, lba: u64, len: usize) -> Result<u64, VolumeError> {
        let per_unit = u64::try_from(self.unit_size / SECTOR_SIZE).unwrap_or(1).max(1);
        if per_unit > 1 && (!lba.is_multiple_of(per_unit) || !len.is_multiple_of(self.unit_size)) {
            return Err(VolumeError::UnitMisaligned {
                lba,
                len,
                unit: self.unit_size,
            });
        }
        let sectors = check_request(lba, len, self.data_sectors).map_err(|e| match e {
            BlockDevError::Misaligned { len } => VolumeError::Misaligned { len },
            BlockDevError::OutOfRange { lba, sectors, capacity } => VolumeError::OutOfRange { lba, sectors, capacity },
            other => VolumeError::Device(other),
        })?;
        self.params
            .payload_offset
            .checked_add(lba)
            .ok_or(VolumeError::OutOfRange {
                lba,
                sectors,
                capacity: self.data_sectors,
            })
    }

    /// Reads and decrypts `buf.len() / 512` sectors starting at volume sector `lba`.
    ///
    /// # Errors
    ///
    /// [`VolumeError::Misaligned`], [`VolumeError::OutOfRange`] (nothing read), device errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use cryptdisk_core::{blockdev::MemDevice, uuid::Uuid, key::MasterKey, spec::CipherSpec, xts::XtsKeySize};
    /// # use cryptdisk_core::volume::{Volume, VolumeError, VolumeParams};
    /// # let params = VolumeParams { cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 },
    /// #     payload_offset: 2, uuid: Uuid::from_bytes([1; 16]) };
    /// # let key = MasterKey::from_slice(&(0u8..32).collect::<Vec<_>>()).unwrap();
    /// let mut vol = Volume::from_params(MemDevice::new(10), &params, &key)?;
    /// let mut two = [0u8; 1024];
    /// vol.read_sectors(6, &mut two)?;
    /// assert_eq!(vol.read_sectors(7, &mut two), Err(VolumeError::OutOfRange { lba: 7, sectors: 2, capacity: 8 }));
    /// # Ok::<(), VolumeError>(())
    /// ```
    pub fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), VolumeError> {
        let dev_lba = self.device_lba(lba, buf.len())?;
        self.dev.read_sectors(dev_lba, buf)?;
        self.crypt(buf, lba, false)
    }

    /// Encrypts and writes `data.len() / 512` sectors starting at volume sector `lba`. `data`
    /// is not modified (encryption happens in an internal, zeroized scratch buffer of up to
    /// 64 KiB).
    ///
    /// # Errors
    ///
    /// [`VolumeError::Misaligned`], [`VolumeError::OutOfRange`] (nothing written), device
    /// errors (a failing device may have written a prefix of the request).
    ///
    /// # Examples
    ///
    /// ```
    /// # use cryptdisk_core::{blockdev::MemDevice, uuid::Uuid, key::MasterKey, spec::CipherSpec, xts::XtsKeySize};
    /// # use cryptdisk_core::volume::{Volume, VolumeError, VolumeParams};
    /// # let params = VolumeParams { cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits256 },
    /// #     payload_offset: 2, uuid: Uuid::from_bytes([1; 16]) };
    /// # let key = MasterKey::from_slice(&(0u8..32).collect::<Vec<_>>()).unwrap();
    /// let mut vol = Volume::from_params(MemDevice::new(10), &params, &key)?;
    /// let data = vec![0x5au8; 3 * 512];
    /// vol.write_sectors(1, &data)?;
    /// vol.flush()?;
    /// assert_eq!(vol.write_sectors(0, &data[..10]), Err(VolumeError::Misaligned { len: 10 }));
    /// let dev = vol.into_device();
    /// assert_ne!(&dev.as_bytes()[3 * 512..4 * 512], &data[..512]); // stored encrypted
    /// # Ok::<(), VolumeError>(())
    /// ```
    pub fn write_sectors(&mut self, lba: u64, data: &[u8]) -> Result<(), VolumeError> {
        let dev_lba = self.device_lba(lba, data.len())?;
        let chunk = WRITE_CHUNK_SECTORS.saturating_mul(SECTOR_SIZE);
        let mut sector = lba;
        let mut dev_sector = dev_lba;
        for piece in data.chunks(chunk) {
            self.scratch.clear();
            // Fallible: in the kernel an allocation failure must become a status, not a bug check.
            self.scratch
                .try_reserve_exact(piece.len())
                .map_err(|_| VolumeError::OutOfMemory { bytes: piece.len() })?;
            self.scratch.extend_from_slice(piece);
            let mut scratch = core::mem::take(&mut self.scratch);
            let done = self.crypt(&mut scratch, sector, true);
            self.scratch = scratch;
            done?;
            self.dev.write_sectors(dev_sector, &self.scratch)?;
            let n = u64::try_from(piece.len() / SECTOR_SIZE).unwrap_or(0);
            sector = sector.saturating_add(n);
            dev_sector = dev_sector.saturating_add(n);
        }
        Ok(())
    }

    /// Flushes the device.
    ///
    /// # Errors
    ///
    /// Device errors.
    pub fn flush(&mut self) -> Result<(), VolumeError> {
        self.dev.flush()?;
        Ok(())
    }

    /// The underlying device (ciphertext).
    pub fn device(&self) -> &D {
        &self.dev
    }

    /// Closes the volume (the key schedule is zeroized) and returns the device.
    pub fn into_device(self) -> D {
        self.dev
    }
}

#[cfg(test)]
mod tests;
