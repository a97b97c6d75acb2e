//! What a volume device does with each request: the decisions of its dispatch routine
//! ([`route`]) and of its worker ([`ValidIo::serve`], [`flush`]).
//!
//! * Device-control requests are answered at once, on the calling thread, by
//!   `DiskDevice::device_control` ([`Route::DeviceControl`]): never queued behind I/O, because
//!   the mount manager queries the volume synchronously while a MOUNT waits for it.
//! * READ and WRITE are validated once, in the dispatch routine, by `DiskDevice::check_io`
//!   (alignment, bounds, transfer size, read-only); a valid one becomes a [`ValidIo`], which
//!   travels with the queued IRP to the worker ([`VolumeJob::Transfer`]); an empty one completes
//!   at once.
//! * FLUSH_BUFFERS goes to the worker too (after the writes queued before it).
//! * Once [`OpenState::begin_close`] ran (UNMOUNT, unload), opens fail with
//!   `STATUS_DELETE_PENDING` and I/O with `STATUS_DEVICE_NOT_READY`; queries, cleanup and close
//!   still work.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::device::{self, DiskDevice, IoKind, SectorRange};
use cryptdisk_core::volume::Volume;
use mountdev::{NtStatus, Reply};

use crate::request::Request;

/// The bytes of one sector.
const SECTOR_BYTES: u32 = 512;

/// Whether a volume device still takes opens and I/O, and how many file objects are open on it.
#[derive(Debug, Default)]
pub struct OpenState {
    closing: AtomicBool,
    opens: AtomicU32,
}

impl OpenState {
    /// Open, with no file object.
    pub const fn new() -> Self {
        Self {
            closing: AtomicBool::new(false),
            opens: AtomicU32::new(0),
        }
    }

    /// Open file objects on the device (CREATE minus CLOSE).
    pub fn open_count(&self) -> u32 {
        self.opens.load(Ordering::Acquire)
    }

    /// From now on new opens and new I/O are refused (UNMOUNT and unload call this first).
    pub fn begin_close(&self) {
        self.closing.store(true, Ordering::Release);
    }

    /// Whether [`OpenState::begin_close`] ran.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }
}

/// A READ or WRITE that `DiskDevice::check_io` accepted and that moves at least one sector: the
/// only way to build one is [`ValidIo::check`], so the worker serves it without checking again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidIo {
    kind: IoKind,
    first: u64,
    // INVARIANT: a non-zero multiple of the sector size (the request's own u32 length).
    len: u32,
}

impl ValidIo {
    /// Validates a transfer of `length` bytes at byte `offset` of `disk`: `Ok(None)` for an empty
    /// one (it completes at once).
    ///
    /// # Errors
    ///
    /// `STATUS_INVALID_PARAMETER` for a negative offset, misalignment, a range outside the volume
    /// or too long a transfer; `STATUS_MEDIA_WRITE_PROTECTED` for a write to a read-only volume.
    ///
    /// ```
    /// # use cryptdisk_core::control::MountOptions;
    /// # use cryptdisk_core::device::{DiskDevice, IoKind};
    /// # use cryptdisk_core::uuid::Uuid;
    /// # use cryptdisk_driver_logic::volume_io::ValidIo;
    /// let disk = DiskDevice::new(1, &Uuid::from_bytes([7; 16]), 64, MountOptions::default(), None).unwrap();
    /// let io = ValidIo::check(&disk, IoKind::Read, 1024, 2048).unwrap().unwrap();
    /// assert_eq!((io.range().first, io.range().count, io.byte_len()), (2, 4, 2048));
    /// assert!(ValidIo::check(&disk, IoKind::Read, 1024, 0).unwrap().is_none());
    /// assert!(ValidIo::check(&disk, IoKind::Read, 100, 512).is_err());
    /// ```
    pub fn check(disk: &DiskDevice, kind: IoKind, offset: i64, length: u32) -> Result<Option<Self>, NtStatus> {
        let offset = u64::try_from(offset).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let range = disk.check_io(kind, offset, u64::from(length))?;
        if range.count == 0 {
            return Ok(None);
        }
        // check_io accepted `length` as a multiple of the sector size, so this is `count`.
        if u64::from(length / SECTOR_BYTES) != range.count {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        Ok(Some(Self {
            kind,
            first: range.first,
            len: length,
        }))
    }

    /// READ or WRITE.
    pub fn kind(&self) -> IoKind {
        self.kind
    }

    /// The sectors, counted from the start of the data area.
    pub fn range(&self) -> SectorRange {
        SectorRange {
            first: self.first,
            count: u64::from(self.len / SECTOR_BYTES),
        }
    }

    /// The transfer's length in bytes (what the IRP's `Information` reports on success).
    pub fn byte_len(&self) -> usize {
        // u32 → usize never truncates on the targets the driver builds for (64-bit Windows).
        usize::try_from(self.len).unwrap_or(usize::MAX)
    }

    /// Serves the transfer on the worker: decrypts into, or encrypts from, the first
    /// [`ValidIo::byte_len`] bytes of `buffer` (the mapped MDL) and returns that length.
    ///
    /// # Errors
    ///
    /// `STATUS_INVALID_PARAMETER` when `buffer` is shorter than the transfer, or the volume's
    /// status ([`device::status_of`]).
    pub fn serve<D: BlockDevice>(&self, volume: &mut Volume<D>, buffer: &mut [u8]) -> Result<usize, NtStatus> {
        let len = self.byte_len();
        let buffer = buffer.get_mut(..len).ok_or(NtStatus::INVALID_PARAMETER)?;
        match self.kind {
            IoKind::Read => device::read(volume, self.range(), buffer)?,
            IoKind::Write => device::write(volume, self.range(), buffer)?,
        }
        Ok(len)
    }
}

/// Flushes the volume's container on the worker.
///
/// # Errors
///
/// The volume's status ([`device::status_of`]).
pub fn flush<D: BlockDevice>(volume: &mut Volume<D>) -> Result<usize, NtStatus> {
    volume.flush().map(|()| 0).map_err(|e| device::status_of(&e))
}

/// What the worker does with a queued IRP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeJob {
    /// A validated READ or WRITE.
    Transfer(ValidIo),
    /// FLUSH_BUFFERS.
    Flush,
}

/// What the dispatch routine does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Complete it at once with this reply.
    Complete(Reply),
    /// Queue it to the volume's worker, with what the worker is to do.
    Queue(VolumeJob),
    /// Answer it at once with `DiskDevice::device_control` and the IRP's buffers.
    DeviceControl {
        /// The IOCTL code.
        code: u32,
    },
}

/// Decides what a volume device does with `request` (see the module docs); counts opens and
/// closes in `state`.
///
/// ```
/// # use cryptdisk_core::control::MountOptions;
/// # use cryptdisk_core::device::DiskDevice;
/// # use cryptdisk_core::uuid::Uuid;
/// # use cryptdisk_driver_logic::request::Request;
/// # use cryptdisk_driver_logic::volume_io::{OpenState, Route, VolumeJob, route};
/// # use mountdev::{NtStatus, Reply};
/// let disk = DiskDevice::new(1, &Uuid::from_bytes([7; 16]), 64, MountOptions::default(), None).unwrap();
/// let state = OpenState::new();
/// assert_eq!(route(&state, &disk, Request::Flush), Route::Queue(VolumeJob::Flush));
/// state.begin_close();
/// assert_eq!(route(&state, &disk, Request::Flush), Route::Complete(Reply::error(NtStatus::DEVICE_NOT_READY)));
/// ```
pub fn route(state: &OpenState, disk: &DiskDevice, request: Request) -> Route {
    match request {
        Request::Create if state.is_closing() => Route::Complete(Reply::error(NtStatus::DELETE_PENDING)),
        Request::Create => {
            state.opens.fetch_add(1, Ordering::AcqRel);
            Route::Complete(Reply::success(0))
        }
        Request::Cleanup => Route::Complete(Reply::success(0)),
        Request::Close => {
            let _ = state
                .opens
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
            Route::Complete(Reply::success(0))
        }
        Request::Read { .. } | Request::Write { .. } | Request::Flush if state.is_closing() => {
            Route::Complete(Reply::error(NtStatus::DEVICE_NOT_READY))
        }
        Request::Read { offset, length } => transfer(disk, IoKind::Read, offset, length),
        Request::Write { offset, length } => transfer(disk, IoKind::Write, offset, length),
        Request::Flush => Route::Queue(VolumeJob::Flush),
        Request::DeviceControl { code, .. } => Route::DeviceControl { code },
        Request::Other(_) => Route::Complete(Reply::error(NtStatus::INVALID_DEVICE_REQUEST)),
    }
}

fn transfer(disk: &DiskDevice, kind: IoKind, offset: i64, length: u32) -> Route {
    match ValidIo::check(disk, kind, offset, length) {
        Err(status) => Route::Complete(Reply::error(status)),
        Ok(None) => Route::Complete(Reply::success(0)),
        Ok(Some(io)) => Route::Queue(VolumeJob::Transfer(io)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::control::MountOptions;
    use cryptdisk_core::key::MasterKey;
    use cryptdisk_core::spec::CipherSpec;
    use cryptdisk_core::uuid::Uuid;
    use cryptdisk_core::volume::VolumeParams;
    use cryptdisk_core::xts::XtsKeySize;

    fn disk(sectors: u64, read_only: bool) -> DiskDevice {
        let options = MountOptions {
            read_only,
            removable: false,
        };
        DiskDevice::new(3, &Uuid::from_bytes([5; 16]), sectors, options, None).unwrap()
    }

    #[test]
    fn opens_and_closes_are_counted_and_refused_once_closing() {
        let (disk, state) = (disk(64, false), OpenState::new());
        for _ in 0..2 {
            assert_eq!(
                route(&state, &disk, Request::Create),
                Route::Complete(Reply::success(0))
            );
        }
        assert_eq!(
            route(&state, &disk, Request::Cleanup),
            Route::Complete(Reply::success(0))
        );
        assert_eq!(route(&state, &disk, Request::Close), Route::Complete(Reply::success(0)));
        assert_eq!(state.open_count(), 1);
        state.begin_close();
        let refused = route(&state, &disk, Request::Create);
        assert_eq!(refused, Route::Complete(Reply::error(NtStatus::DELETE_PENDING)));
        assert_eq!(state.open_count(), 1);
        // Closing still works, and never goes below zero.
        for _ in 0..3 {
            assert_eq!(route(&state, &disk, Request::Close), Route::Complete(Reply::success(0)));
        }
        assert_eq!(state.open_count(), 0);
        let not_ready = Route::Complete(Reply::error(NtStatus::DEVICE_NOT_READY));
        let read = Request::Read { offset: 0, length: 512 };
        for request in [read, Request::Write { offset: 0, length: 512 }, Request::Flush] {
            assert_eq!(route(&state, &disk, request), not_ready, "{request:?}");
        }
        // Queries are still answered.
        let query = Request::DeviceControl {
            code: 7,
            input_length: 0,
            output_length: 0,
        };
        assert_eq!(route(&state, &disk, query), Route::DeviceControl { code: 7 });
    }

    #[test]
    fn transfers_are_validated_once_in_dispatch() {
        let (disk, state) = (disk(64, false), OpenState::new());
        let read = route(
            &state,
            &disk,
            Request::Read {
                offset: 1024,
                length: 4096,
            },
        );
        let Route::Queue(VolumeJob::Transfer(io)) = read else {
            panic!("{read:?}")
        };
        assert_eq!(io.kind(), IoKind::Read);
        assert_eq!(io.range(), SectorRange { first: 2, count: 8 });
        assert_eq!(io.byte_len(), 4096);
        let invalid = Route::Complete(Reply::error(NtStatus::INVALID_PARAMETER));
        let cases = [
            (-512, 512),      // negative offset
            (100, 512),       // misaligned offset
            (0, 100),         // misaligned length
            (64 * 512, 512),  // past the end
            (63 * 512, 1024), // straddles the end
        ];
        for (offset, length) in cases {
            let request = Request::Write { offset, length };
            assert_eq!(route(&state, &disk, request), invalid, "{request:?}");
        }
        let empty = Request::Write { offset: 0, length: 0 };
        assert_eq!(route(&state, &disk, empty), Route::Complete(Reply::success(0)));
        assert_eq!(
            route(&state, &disk, Request::Other(0x1b)),
            Route::Complete(Reply::error(NtStatus::INVALID_DEVICE_REQUEST))
        );
    }

    #[test]
    fn writes_to_a_read_only_volume_are_refused_and_reads_are_not() {
        let (disk, state) = (disk(64, true), OpenState::new());
        let write = route(&state, &disk, Request::Write { offset: 0, length: 512 });
        assert_eq!(write, Route::Complete(Reply::error(NtStatus::MEDIA_WRITE_PROTECTED)));
        let read = route(&state, &disk, Request::Read { offset: 0, length: 512 });
        assert!(matches!(read, Route::Queue(VolumeJob::Transfer(_))), "{read:?}");
    }

    #[test]
    fn a_valid_transfer_is_served_through_the_volume_and_a_short_buffer_is_refused() {
        let disk = disk(16, false);
        let key = MasterKey::from_slice(&(1u8..=64).collect::<alloc::vec::Vec<u8>>()).unwrap();
        let params = VolumeParams {
            cipher: CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits512,
            },
            payload_offset: 0,
            uuid: Uuid::from_bytes([5; 16]),
        };
        let mut volume = Volume::from_params(MemDevice::new(16), &params, &key).unwrap();
        let write = ValidIo::check(&disk, IoKind::Write, 512, 1024).unwrap().unwrap();
        let mut data = [0x6Bu8; 1536];
        assert_eq!(write.serve(&mut volume, &mut data), Ok(1024));
        assert_ne!(
            &volume.device().as_bytes()[512..1536],
            &[0x6B; 1024][..],
            "stored encrypted"
        );
        let read = ValidIo::check(&disk, IoKind::Read, 512, 1024).unwrap().unwrap();
        let mut back = [0u8; 1024];
        assert_eq!(read.serve(&mut volume, &mut back), Ok(1024));
        assert_eq!(back, [0x6B; 1024]);
        let mut short = [0u8; 512];
        assert_eq!(read.serve(&mut volume, &mut short), Err(NtStatus::INVALID_PARAMETER));
        assert_eq!(flush(&mut volume), Ok(0));
    }
}
