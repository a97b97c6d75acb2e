//! [`PoolBuf`]: a zero-filled byte buffer in nonpaged pool, allocated fallibly.

use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use mountdev::NtStatus;
use wdk_sys::ntddk::{ExAllocatePool2, ExFreePoolWithTag};
use wdk_sys::{POOL_FLAG_NON_PAGED, SIZE_T};

/// The pool tag of every allocation of this crate (`"mdwk"` in a pool dump).
pub const POOL_TAG: u32 = u32::from_le_bytes(*b"mdwk");

/// `len` zero-filled bytes of nonpaged pool (16-byte aligned), freed on drop. Usable at IRQL ≤
/// DISPATCH_LEVEL; allocate at ≤ DISPATCH_LEVEL too.
pub struct PoolBuf {
    // INVARIANT: `len` bytes from ExAllocatePool2(POOL_FLAG_NON_PAGED, len, POOL_TAG), owned by
    // this value; `None` exactly when `len` is 0.
    ptr: Option<NonNull<u8>>,
    len: usize,
}

// SAFETY: the buffer is plain owned memory, usable from any thread.
unsafe impl Send for PoolBuf {}
// SAFETY: shared access only hands out `&[u8]`.
unsafe impl Sync for PoolBuf {}

impl PoolBuf {
    /// Allocates `len` zeroed bytes.
    ///
    /// # Errors
    /// `STATUS_INSUFFICIENT_RESOURCES` when the pool cannot satisfy the request.
    pub fn try_zeroed(len: usize) -> Result<Self, NtStatus> {
        if len == 0 {
            return Ok(Self { ptr: None, len });
        }
        let size = SIZE_T::try_from(len).map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)?;
        // SAFETY: a plain allocation call; ExAllocatePool2 zero-fills and returns null on failure.
        let raw = unsafe { ExAllocatePool2(POOL_FLAG_NON_PAGED, size, POOL_TAG) };
        let ptr = NonNull::new(raw.cast::<u8>()).ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        Ok(Self { ptr: Some(ptr), len })
    }

    /// The length in bytes.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer is empty.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Deref for PoolBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        let Some(ptr) = self.ptr else { return &[] };
        // SAFETY: `len` initialised (zeroed) bytes owned by `self` (invariant); `&self` bounds the
        // borrow.
        unsafe { core::slice::from_raw_parts(ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for PoolBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        let Some(ptr) = self.ptr else { return &mut [] };
        // SAFETY: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), self.len) }
    }
}

impl Drop for PoolBuf {
    fn drop(&mut self) {
        if let Some(ptr) = self.ptr {
            // SAFETY: the allocation this value owns (invariant), freed once with its tag.
            unsafe { ExFreePoolWithTag(ptr.as_ptr().cast(), POOL_TAG) };
        }
    }
}
