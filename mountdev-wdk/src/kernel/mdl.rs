//! [`Mdl`]: a locked memory descriptor list borrowed from an IRP, and its system-space view
//! (`MmGetSystemAddressForMdlSafe` of `wdm.h`, a macro the bindings lack).

use core::marker::PhantomData;
use core::ptr::{NonNull, null_mut};

use mountdev::NtStatus;
use wdk_sys::ntddk::MmMapLockedPagesSpecifyCache;
use wdk_sys::{
    _MEMORY_CACHING_TYPE, _MM_PAGE_PRIORITY, _MODE, FALSE, MDL, MDL_MAPPED_TO_SYSTEM_VA, MDL_SOURCE_IS_NONPAGED_POOL,
    MdlMappingNoExecute,
};

/// A locked MDL, such as the `MdlAddress` of a direct-I/O read / write or of a
/// `METHOD_IN_DIRECT` / `METHOD_OUT_DIRECT` IOCTL, borrowed for `'a` (typically the IRP's owner
/// keeps the IRP for that long). [`Transfer::buffer`](crate::Transfer::buffer) and
/// [`DeviceControl::buffers_direct`](crate::DeviceControl::buffers_direct) use it; a driver
/// that keeps IRPs in its own queue wraps their `MdlAddress` itself.
#[derive(Debug)]
pub struct Mdl<'a> {
    // INVARIANT: an MDL whose pages are locked, and touched by nobody else, for 'a.
    raw: NonNull<MDL>,
    _buffer: PhantomData<&'a mut [u8]>,
}

impl<'a> Mdl<'a> {
    /// Wraps an MDL pointer; `None` for null.
    ///
    /// # Safety
    /// `raw` must be null or an MDL describing locked pages that stay locked, and that nobody
    /// else accesses, for `'a` (the `MdlAddress` of an IRP the caller owns until it completes
    /// it, with `'a` bounded by that ownership).
    pub unsafe fn from_raw(raw: *mut MDL) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self {
            raw,
            _buffer: PhantomData,
        })
    }

    /// The number of bytes the MDL describes (`MmGetMdlByteCount`).
    pub fn byte_count(&self) -> usize {
        // SAFETY: the MDL is live (invariant); reading a field.
        let count = unsafe { (*self.raw.as_ptr()).ByteCount };
        usize::try_from(count).unwrap_or(0)
    }

    /// The buffer mapped into system space, [`Mdl::byte_count`] bytes: the existing mapping when
    /// the MDL has one (or describes nonpaged pool), else a new no-execute mapping with normal
    /// priority that the I/O manager releases when the IRP completes. IRQL ≤ DISPATCH_LEVEL.
    ///
    /// # Errors
    /// `STATUS_INSUFFICIENT_RESOURCES` when no system address space is available.
    pub fn into_system_buffer(self) -> Result<&'a mut [u8], NtStatus> {
        let raw = self.raw.as_ptr();
        // SAFETY: the MDL is live (invariant); reading its header.
        let header = unsafe { &*raw };
        let (flags, mapped) = (u32::from(header.MdlFlags.cast_unsigned()), header.MappedSystemVa);
        #[allow(
            clippy::unnecessary_cast,
            reason = "the priority enum is u32 in mingw-w64's bindings, i32 in the WDK's"
        )]
        let priority = _MM_PAGE_PRIORITY::NormalPagePriority as u32 | MdlMappingNoExecute;
        let address: *mut u8 = if flags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL) != 0 {
            mapped.cast()
        } else {
            // SAFETY: the MDL's pages are locked (invariant); BugCheckOnFailure FALSE makes a
            // failed mapping return null.
            unsafe {
                MmMapLockedPagesSpecifyCache(
                    raw,
                    _MODE::KernelMode as _,
                    _MEMORY_CACHING_TYPE::MmCached,
                    null_mut(),
                    FALSE,
                    priority,
                )
            }
            .cast()
        };
        if address.is_null() {
            return Err(NtStatus::INSUFFICIENT_RESOURCES);
        }
        // SAFETY: the mapping covers ByteCount bytes of pages locked for 'a that nobody else
        // touches (invariant); consuming `self` leaves this slice the only access.
        Ok(unsafe { core::slice::from_raw_parts_mut(address, self.byte_count()) })
    }
}
