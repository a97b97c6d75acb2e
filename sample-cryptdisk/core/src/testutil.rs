//! Test helpers: a deterministic (insecure) random source and devices that fail on purpose.

use crate::blockdev::{BackendError, BlockDevError, BlockDevice, IoOp, MemDevice};
use crate::rng::RngError;

/// A deterministic random source (LCG): reproducible tests only, never for keys.
pub fn seeded_rng(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), RngError> {
    let mut s = seed ^ 0x9e37_79b9_7f4a_7c15;
    move |buf: &mut [u8]| {
        for b in buf {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            *b = (s >> 56) as u8;
        }
        Ok(())
    }
}

/// A device that accepts `writes_left` writes and then fails every write, as if the machine
/// had crashed at that point (what is on `inner` is what survives).
pub struct CrashDevice {
    pub inner: MemDevice,
    pub writes_left: usize,
}

impl BlockDevice for CrashDevice {
    fn sector_count(&self) -> u64 {
        self.inner.sector_count()
    }
    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        self.inner.read_sectors(lba, buf)
    }
    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        if self.writes_left == 0 {
            return Err(BlockDevError::Io {
                op: IoOp::Write,
                cause: BackendError::Short {
                    done: 0,
                    wanted: buf.len(),
                },
            });
        }
        self.writes_left -= 1;
        self.inner.write_sectors(lba, buf)
    }
    fn flush(&mut self) -> Result<(), BlockDevError> {
        Ok(())
    }
}

/// A device that reports success for writes at or after `lba_from` but drops them (lost
/// writes), to exercise read-back verification.
pub struct LossyDevice {
    pub inner: MemDevice,
    pub lba_from: u64,
}

impl BlockDevice for LossyDevice {
    fn sector_count(&self) -> u64 {
        self.inner.sector_count()
    }
    fn read_sectors(&mut self, lba: u64, buf: &mut [u8]) -> Result<(), BlockDevError> {
        self.inner.read_sectors(lba, buf)
    }
    fn write_sectors(&mut self, lba: u64, buf: &[u8]) -> Result<(), BlockDevError> {
        if lba >= self.lba_from {
            return Ok(());
        }
        self.inner.write_sectors(lba, buf)
    }
    fn flush(&mut self) -> Result<(), BlockDevError> {
        Ok(())
    }
}
