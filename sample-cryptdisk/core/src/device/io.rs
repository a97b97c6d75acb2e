//! Validated sector ranges and the worker's read / write calls.

use mountdev::NtStatus;

use crate::blockdev::{BlockDevError, BlockDevice, SECTOR_SIZE};
use crate::volume::{Volume, VolumeError};
use crate::xts::XtsError;

/// Read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoKind {
    /// `IRP_MJ_READ`.
    Read,
    /// `IRP_MJ_WRITE`.
    Write,
}

/// A range of 512-byte data sectors that [`super::DiskDevice::check_io`] accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectorRange {
    /// First sector, counted from the start of the data area (the XTS tweak of that sector).
    pub first: u64,
    /// Number of sectors.
    pub count: u64,
}

impl SectorRange {
    /// Length in bytes.
    pub fn byte_len(&self) -> Option<usize> {
        usize::try_from(self.count).ok()?.checked_mul(SECTOR_SIZE)
    }
}

/// Reads and decrypts `range` into `buffer` (exactly the range's length).
///
/// # Errors
/// The `NTSTATUS` of [`status_of`].
pub fn read<D: BlockDevice>(volume: &mut Volume<D>, range: SectorRange, buffer: &mut [u8]) -> Result<(), NtStatus> {
    if Some(buffer.len()) != range.byte_len() {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    if buffer.is_empty() {
        return Ok(());
    }
    volume.read_sectors(range.first, buffer).map_err(|e| status_of(&e))
}

/// Encrypts and writes `data` (exactly the range's length) to `range`.
///
/// # Errors
/// The `NTSTATUS` of [`status_of`].
pub fn write<D: BlockDevice>(volume: &mut Volume<D>, range: SectorRange, data: &[u8]) -> Result<(), NtStatus> {
    if Some(data.len()) != range.byte_len() {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    if data.is_empty() {
        return Ok(());
    }
    volume.write_sectors(range.first, data).map_err(|e| status_of(&e))
}

/// The status an I/O request completes with when the volume fails it.
///
/// Exhaustive on purpose: a new error variant must be given its status here.
pub fn status_of(error: &VolumeError) -> NtStatus {
    match error {
        VolumeError::Device(BlockDevError::ReadOnly) => NtStatus::MEDIA_WRITE_PROTECTED,
        VolumeError::Device(BlockDevError::Misaligned { .. } | BlockDevError::OutOfRange { .. }) => {
            NtStatus::INVALID_PARAMETER
        }
        // The container file failed under the volume; the caller cannot act on the file
        // system's status for a file it never sees, so the disk reports itself not ready.
        VolumeError::Device(BlockDevError::Io { .. }) => NtStatus::DEVICE_NOT_READY,
        VolumeError::OutOfMemory { .. } | VolumeError::Xts(XtsError::OutOfMemory) => NtStatus::INSUFFICIENT_RESOURCES,
        VolumeError::Misaligned { .. } | VolumeError::UnitMisaligned { .. } | VolumeError::OutOfRange { .. } => {
            NtStatus::INVALID_PARAMETER
        }
        // Geometry the XTS layer refused: the request's fault.
        VolumeError::Xts(
            XtsError::SectorNumberOverflow
            | XtsError::PartialSector { .. }
            | XtsError::DataUnitTooShort { .. }
            | XtsError::InvalidSectorSize { .. },
        ) => NtStatus::INVALID_PARAMETER,
        // Errors of opening a volume: a request on an open one never carries them.
        VolumeError::Xts(
            XtsError::InvalidKeyLength { .. } | XtsError::EqualKeyHalves | XtsError::BackendUnsupported { .. },
        )
        | VolumeError::Luks(_)
        | VolumeError::KeyLength { .. }
        | VolumeError::PayloadBeyondDevice { .. } => NtStatus::UNSUCCESSFUL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blockdev::{BackendError, IoOp};

    #[test]
    fn each_volume_error_completes_with_its_status() {
        let io = BlockDevError::Io {
            op: IoOp::Read,
            cause: BackendError::Status(NtStatus::ACCESS_DENIED),
        };
        let cases = [
            (
                VolumeError::Device(BlockDevError::ReadOnly),
                NtStatus::MEDIA_WRITE_PROTECTED,
            ),
            (
                VolumeError::Device(BlockDevError::Misaligned { len: 1 }),
                NtStatus::INVALID_PARAMETER,
            ),
            (VolumeError::Device(io), NtStatus::DEVICE_NOT_READY),
            (VolumeError::OutOfMemory { bytes: 1 }, NtStatus::INSUFFICIENT_RESOURCES),
            (VolumeError::Misaligned { len: 1 }, NtStatus::INVALID_PARAMETER),
            (
                VolumeError::Xts(XtsError::SectorNumberOverflow),
                NtStatus::INVALID_PARAMETER,
            ),
            (VolumeError::Xts(XtsError::EqualKeyHalves), NtStatus::UNSUCCESSFUL),
            (VolumeError::KeyLength { len: 1, expected: 64 }, NtStatus::UNSUCCESSFUL),
        ];
        for (error, status) in cases {
            assert_eq!(status_of(&error), status, "{error}");
        }
    }
}
