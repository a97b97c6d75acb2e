//! (a) Volume devices: `\Device\CryptDiskVolumeN` disk device objects whose READ, WRITE and
//! FLUSH requests a [`Worker`] serves through a [`SectorIo`] backend.
//!
//! Phase 1 can back a volume with any `cryptdisk_core` [`BlockDevice`] ([`PlainSectors`], e.g. a
//! [`ContainerFile`](super::file::ContainerFile)); phase 2 implements [`SectorIo`] for
//! `cryptdisk_core::volume::Volume<ContainerFile>` and answers the volume's IOCTLs
//! (`mountdev::handle_mountdev`, disk and storage queries) in [`dispatch`].

use cryptdisk_core::blockdev::{BlockDevError, BlockDevice, SECTOR_SIZE_U64};
use mountdev::{NtStatus, Reply};
use wdk_sys::{
    DO_DIRECT_IO, FILE_DEVICE_DISK, FILE_DEVICE_SECURE_OPEN, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA, NTSTATUS,
};

use super::device::{DeviceExtension, DeviceKind, DeviceSpec, DriverRef, OwnedDevice};
use super::irp::{Irp, Request};
use super::name::NameBuf;
use super::worker::{IrpHandler, Worker};
use super::xstate::XStateSave;

/// The name prefix of volume devices; the volume number follows.
pub const VOLUME_DEVICE_PREFIX: &str = "\\Device\\CryptDiskVolume";

/// Sector I/O as the volume's worker needs it; errors are already `NTSTATUS` values.
pub trait SectorIo: Send + 'static {
    /// Capacity in 512-byte sectors.
    fn sector_count(&self) -> u64;
    /// Reads whole sectors at `lba`.
    ///
    /// # Errors
    ///
    /// The status to complete the IRP with.
    fn read(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), NtStatus>;
    /// Writes whole sectors at `lba`.
    ///
    /// # Errors
    ///
    /// The status to complete the IRP with.
    fn write(&mut self, lba: u64, buf: &[u8]) -> Result<(), NtStatus>;
    /// Makes written data durable.
    ///
    /// # Errors
    ///
    /// The status to complete the IRP with.
    fn flush(&mut self) -> Result<(), NtStatus>;
}

/// The one mapping from block-device errors to `NTSTATUS`.
pub fn block_error_status(error: BlockDevError) -> NtStatus {
    match error {
        BlockDevError::Misaligned { .. } | BlockDevError::OutOfRange { .. } => NtStatus::INVALID_PARAMETER,
        BlockDevError::ReadOnly => NtStatus::MEDIA_WRITE_PROTECTED,
        BlockDevError::Io { code, .. } if code < 0 && code != -1 => NtStatus::from_i32(code),
        _ => NtStatus::UNSUCCESSFUL,
    }
}

/// A [`BlockDevice`] served as it is (no encryption): phase 1's backend.
pub struct PlainSectors<D>(pub D);

impl<D: BlockDevice + Send + 'static> SectorIo for PlainSectors<D> {
    fn sector_count(&self) -> u64 {
        self.0.sector_count()
    }
    fn read(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), NtStatus> {
        self.0.read_sectors(lba, buf).map_err(block_error_status)
    }
    fn write(&mut self, lba: u64, buf: &[u8]) -> Result<(), NtStatus> {
        self.0.write_sectors(lba, buf).map_err(block_error_status)
    }
    fn flush(&mut self) -> Result<(), NtStatus> {
        self.0.flush().map_err(block_error_status)
    }
}

/// How a volume device is created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiskOptions {
    /// `FILE_READ_ONLY_DEVICE`, and writes fail with `STATUS_MEDIA_WRITE_PROTECTED`.
    pub read_only: bool,
    /// `FILE_REMOVABLE_MEDIA` (Explorer shows an ejectable drive; no write caching).
    pub removable: bool,
}

/// The extension of a volume device.
pub struct VolumeExtension {
    number: u32,
    sectors: u64,
    options: DiskOptions,
    worker: Worker,
}

impl DeviceExtension for VolumeExtension {
    const KIND: DeviceKind = DeviceKind::Volume;
}

impl VolumeExtension {
    /// The volume number N of `\Device\CryptDiskVolumeN`.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Capacity in sectors.
    pub fn sectors(&self) -> u64 {
        self.sectors
    }
}

/// Serves READ / WRITE / FLUSH on the worker thread.
struct VolumeIo<S> {
    backend: S,
    read_only: bool,
}

impl<S: SectorIo> VolumeIo<S> {
    /// Checks the byte range of a READ/WRITE and turns it into (first sector, byte length).
    fn sectors_of(&self, offset: i64, length: u32) -> Result<(u64, usize), NtStatus> {
        let offset = u64::try_from(offset).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let length64 = u64::from(length);
        if offset % SECTOR_SIZE_U64 != 0 || length64 % SECTOR_SIZE_U64 != 0 {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        let end = offset.checked_add(length64).ok_or(NtStatus::INVALID_PARAMETER)?;
        let capacity = self
            .backend
            .sector_count()
            .checked_mul(SECTOR_SIZE_U64)
            .ok_or(NtStatus::INVALID_PARAMETER)?;
        if end > capacity {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        Ok((
            offset / SECTOR_SIZE_U64,
            usize::try_from(length).map_err(|_| NtStatus::INVALID_PARAMETER)?,
        ))
    }

    fn transfer(&mut self, irp: &mut Irp, offset: i64, length: u32, write: bool) -> Result<usize, NtStatus> {
        let (lba, len) = self.sectors_of(offset, length)?;
        if len == 0 {
            return Ok(0);
        }
        if write && self.read_only {
            return Err(NtStatus::MEDIA_WRITE_PROTECTED);
        }
        let mut mdl = irp.mdl().ok_or(NtStatus::INVALID_PARAMETER)?;
        let buffer = mdl.system_buffer()?.get_mut(..len).ok_or(NtStatus::INVALID_PARAMETER)?;
        // One save of the AVX state for the whole request (performance.md §11).
        let mut area = XStateSave::new();
        let guard = area.save()?;
        let result = if write {
            self.backend.write(lba, buffer)
        } else {
            self.backend.read(lba, buffer)
        };
        drop(guard);
        result.map(|()| len)
    }
}

impl<S: SectorIo> IrpHandler for VolumeIo<S> {
    fn handle(&mut self, mut irp: Irp) {
        let result = match irp.request() {
            Request::Read { offset, length } => self.transfer(&mut irp, offset, length, false),
            Request::Write { offset, length } => self.transfer(&mut irp, offset, length, true),
            Request::Flush => self.backend.flush().map(|()| 0),
            _ => Err(NtStatus::INVALID_DEVICE_REQUEST),
        };
        let _ = irp.complete(match result {
            Ok(information) => Reply::success(information),
            Err(status) => Reply::error(status),
        });
    }
}

/// Creates `\Device\CryptDiskVolume{number}` (FILE_DEVICE_DISK, DO_DIRECT_IO,
/// FILE_DEVICE_SECURE_OPEN, plus the options' characteristics), starts its worker over
/// `backend`, and clears DO_DEVICE_INITIALIZING (PASSIVE_LEVEL).
///
/// # Errors
///
/// `STATUS_OBJECT_NAME_COLLISION` when the number is taken, or the status of the step that
/// failed; nothing is left behind then.
pub fn create_volume<S: SectorIo>(
    driver: DriverRef<'_>,
    number: u32,
    options: DiskOptions,
    backend: S,
) -> Result<OwnedDevice<VolumeExtension>, NtStatus> {
    let mut name = NameBuf::from_ascii(VOLUME_DEVICE_PREFIX)?;
    name.push_decimal(number)?;
    let sectors = backend.sector_count();
    let worker = Worker::start(VolumeIo {
        backend,
        read_only: options.read_only,
    })?;
    let mut characteristics = FILE_DEVICE_SECURE_OPEN;
    if options.read_only {
        characteristics |= FILE_READ_ONLY_DEVICE;
    }
    if options.removable {
        characteristics |= FILE_REMOVABLE_MEDIA;
    }
    let spec = DeviceSpec {
        name: &name,
        device_type: FILE_DEVICE_DISK,
        characteristics,
        io_flags: DO_DIRECT_IO,
    };
    let device = OwnedDevice::create(
        driver,
        &spec,
        VolumeExtension {
            number,
            sectors,
            options,
            worker,
        },
    )?;
    device.finish_initializing();
    Ok(device)
}

/// Dispatches an IRP sent to a volume device: opens and closes succeed, READ / WRITE / FLUSH
/// go to the worker, everything else is refused until phase 2 adds the volume's IOCTLs.
pub fn dispatch(volume: &VolumeExtension, irp: Irp) -> NTSTATUS {
    match irp.request() {
        Request::Create | Request::Cleanup | Request::Close => irp.complete(Reply::success(0)),
        Request::Read { .. } | Request::Flush => volume.worker.submit(irp),
        Request::Write { .. } if volume.options.read_only => irp.fail(NtStatus::MEDIA_WRITE_PROTECTED),
        Request::Write { .. } => volume.worker.submit(irp),
        Request::DeviceControl { .. } | Request::Other(_) => irp.fail(NtStatus::INVALID_DEVICE_REQUEST),
    }
}
