//! (d) MDL mapping: the system-space view of a direct-I/O READ/WRITE buffer
//! (`MmGetSystemAddressForMdlSafe` of `wdm.h`, a macro the real wdk-sys does not have either).

use core::marker::PhantomData;
use core::ptr::{NonNull, null_mut};

use mountdev::NtStatus;
use wdk_sys::ntddk::MmMapLockedPagesSpecifyCache;
use wdk_sys::{
    _MEMORY_CACHING_TYPE, _MM_PAGE_PRIORITY, _MODE, FALSE, MDL, MDL_MAPPED_TO_SYSTEM_VA, MDL_SOURCE_IS_NONPAGED_POOL,
    MdlMappingNoExecute, PMDL,
};

/// A locked MDL borrowed from an IRP (`Irp::mdl`).
#[derive(Debug)]
pub struct Mdl<'irp> {
    // INVARIANT: points to an MDL whose pages are locked for at least 'irp.
    raw: NonNull<MDL>,
    _irp: PhantomData<&'irp mut [u8]>,
}

impl Mdl<'_> {
    /// Wraps an IRP's `MdlAddress`.
    ///
    /// # Safety
    ///
    /// `raw` must be null or an MDL describing locked pages that stay locked, and are not
    /// accessed by anyone else, for the chosen lifetime.
    pub(crate) unsafe fn from_raw(raw: PMDL) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self { raw, _irp: PhantomData })
    }

    /// The number of bytes the MDL describes (`MmGetMdlByteCount`).
    pub fn byte_count(&self) -> usize {
        // SAFETY: the invariant says the MDL is live; reading a field.
        let count = unsafe { (*self.raw.as_ptr()).ByteCount };
        usize::try_from(count).unwrap_or(0)
    }

    /// The buffer mapped into system space, `byte_count()` bytes long: the existing mapping
    /// when the MDL has one (or describes nonpaged pool), else a new no-execute mapping with
    /// normal priority that the I/O manager releases when the IRP completes.
    ///
    /// Callable at IRQL ≤ DISPATCH_LEVEL.
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES` when no system address space is available.
    pub fn system_buffer(&mut self) -> Result<&mut [u8], NtStatus> {
        let raw = self.raw.as_ptr();
        // SAFETY: the invariant says the MDL is live; reading its flags.
        let flags = u32::from(unsafe { (*raw).MdlFlags }.cast_unsigned());
        #[allow(
            clippy::unnecessary_cast,
            reason = "the priority enum is u32 in mingw-w64's bindings, i32 in the WDK's"
        )]
        let priority = _MM_PAGE_PRIORITY::NormalPagePriority as u32 | MdlMappingNoExecute;
        let address: *mut u8 = if flags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL) != 0 {
            // SAFETY: as above; the flags say this field holds the system address.
            unsafe { (*raw).MappedSystemVa }.cast()
        } else {
            // SAFETY: the MDL's pages are locked (invariant); a failed mapping returns null
            // because BugCheckOnFailure is FALSE.
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
        // SAFETY: the mapping covers ByteCount bytes of locked pages that only this IRP's owner
        // touches for 'irp (invariant), and `&mut self` keeps the slice unique.
        Ok(unsafe { core::slice::from_raw_parts_mut(address, self.byte_count()) })
    }
}
