//! Functions of `ntddk.h` / `wdm.h` / `ntifs.h` (types and constants live at the crate root).
//!
//! Besides the generated bindings this module holds:
//!
//! * `overrides`: prototypes that changed since mingw-w64 10 (declared with the current WDK
//!   signature, still imported from ntoskrnl.exe);
//! * `supplements`: routines the real crate binds but the stand-in implements in Rust, because
//!   mingw-w64 10 does not declare them, Wine 8 does not export them, or they are inline in the
//!   WDK headers. Each one uses the running kernel's export when it has one.
pub use bindings::*;
pub use overrides::*;
pub use supplements::*;

#[allow(
    missing_docs,
    non_snake_case,
    unnecessary_transmutes,
    improper_ctypes,
    clippy::all,
    clippy::restriction,
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block,
    reason = "generated bindings"
)]
mod bindings {
    #[allow(clippy::wildcard_imports, unused_imports, reason = "generated bindings")]
    use crate::types::*;
    include!(concat!(env!("OUT_DIR"), "/ntddk.rs"));
}

/// Prototypes where mingw-w64 10 differs from the current WDK headers.
mod overrides {
    use crate::types::{KPROCESSOR_MODE, MEMORY_CACHING_TYPE, PMDL, PVOID, ULONG};

    #[cfg_attr(windows, link(name = "ntoskrnl.exe", kind = "raw-dylib", modifiers = "+verbatim"))]
    unsafe extern "C" {
        /// `MmMapLockedPagesSpecifyCache`. WDK 8 and later: `ULONG Priority` (an
        /// `MM_PAGE_PRIORITY` OR'ed with `MdlMapping*` flags); mingw-w64 10 declares it as
        /// `MM_PAGE_PRIORITY`.
        pub fn MmMapLockedPagesSpecifyCache(
            MemoryDescriptorList: PMDL,
            AccessMode: KPROCESSOR_MODE,
            CacheType: MEMORY_CACHING_TYPE,
            RequestedAddress: PVOID,
            BugCheckOnFailure: ULONG,
            Priority: ULONG,
        ) -> PVOID;
    }
}

/// Routines the real wdk-sys exposes that mingw-w64 10's headers or Wine 8's ntoskrnl lack.
mod supplements {
    use core::ptr::null_mut;
    use core::sync::atomic::{AtomicPtr, Ordering};

    use super::bindings::MmGetSystemRoutineAddress;
    use crate::constants::{POOL_FLAG_NON_PAGED_EXECUTE, POOL_FLAG_PAGED, POOL_FLAG_UNINITIALIZED, STATUS_SUCCESS};
    use crate::types::{
        _POOL_TYPE, KIRQL, NTSTATUS, POOL_FLAGS, POOL_TYPE, PVOID, PXSTATE_SAVE, SIZE_T, ULONG, ULONG64, UNICODE_STRING,
    };

    #[cfg_attr(windows, link(name = "ntoskrnl.exe", kind = "raw-dylib", modifiers = "+verbatim"))]
    unsafe extern "C" {
        // Blocklisted in the public bindings (as in the real crate); used by `ExAllocatePool2` only.
        fn ExAllocatePoolWithTag(PoolType: POOL_TYPE, NumberOfBytes: SIZE_T, Tag: ULONG) -> PVOID;
    }

    /// A routine the running kernel may or may not export, looked up once by name through
    /// `MmGetSystemRoutineAddress` (null: not exported, e.g. in Wine 8).
    struct Optional {
        name: &'static [u16],
        address: AtomicPtr<core::ffi::c_void>,
        resolved: core::sync::atomic::AtomicBool,
    }

    impl Optional {
        const fn new(name: &'static [u16]) -> Self {
            Self {
                name,
                address: AtomicPtr::new(null_mut()),
                resolved: core::sync::atomic::AtomicBool::new(false),
            }
        }

        /// The routine's address, or null. Must be called at PASSIVE_LEVEL the first time.
        fn get(&self) -> PVOID {
            if self.resolved.load(Ordering::Acquire) {
                return self.address.load(Ordering::Relaxed);
            }
            let bytes = self
                .name
                .len()
                .checked_mul(2)
                .and_then(|b| u16::try_from(b).ok())
                .unwrap_or(0);
            let mut name = UNICODE_STRING {
                Length: bytes,
                MaximumLength: bytes,
                Buffer: self.name.as_ptr().cast_mut(),
            };
            // SAFETY: `name` describes a valid UTF-16 buffer that lives for 'static; the routine
            // only reads it.
            let address = unsafe { MmGetSystemRoutineAddress(&mut name) };
            self.address.store(address, Ordering::Relaxed);
            self.resolved.store(true, Ordering::Release);
            address
        }
    }

    macro_rules! utf16 {
        ($s:literal) => {{
            const N: usize = $s.len();
            #[allow(
                clippy::indexing_slicing,
                clippy::arithmetic_side_effects,
                reason = "evaluated at compile time: `i < N` is both arrays' length"
            )]
            const W: [u16; N] = {
                let b = $s.as_bytes();
                let mut w = [0u16; N];
                let mut i = 0;
                while i < N {
                    w[i] = b[i] as u16;
                    i += 1;
                }
                w
            };
            &W
        }};
    }

    static KE_SAVE: Optional = Optional::new(utf16!("KeSaveExtendedProcessorState"));
    static KE_RESTORE: Optional = Optional::new(utf16!("KeRestoreExtendedProcessorState"));

    /// `ExAllocatePool2` (Windows 10 2004). Neither mingw-w64 10 nor Wine 8 has it, so the
    /// stand-in maps it onto `ExAllocatePoolWithTag` (nonpaged NX, paged or nonpaged-execute from
    /// the flags) and zero-fills unless `POOL_FLAG_UNINITIALIZED` is set, as the real routine does.
    ///
    /// # Safety
    ///
    /// The WDK's contract: IRQL ≤ DISPATCH_LEVEL for nonpaged pool, ≤ APC_LEVEL for paged pool.
    pub unsafe extern "C" fn ExAllocatePool2(Flags: POOL_FLAGS, NumberOfBytes: SIZE_T, Tag: ULONG) -> PVOID {
        let pool = if Flags & POOL_FLAG_PAGED != 0 {
            _POOL_TYPE::PagedPool
        } else if Flags & POOL_FLAG_NON_PAGED_EXECUTE != 0 {
            _POOL_TYPE::NonPagedPool
        } else {
            _POOL_TYPE::NonPagedPoolNx
        };
        // SAFETY: forwarded under the caller's IRQL contract; no pointer arguments.
        let block = unsafe { ExAllocatePoolWithTag(pool, NumberOfBytes, Tag) };
        if !block.is_null() && Flags & POOL_FLAG_UNINITIALIZED == 0 {
            // SAFETY: the pool just returned `NumberOfBytes` writable bytes at `block`.
            unsafe { core::ptr::write_bytes(block.cast::<u8>(), 0, NumberOfBytes as usize) };
        }
        block
    }

    /// `KeGetCurrentIrql`: on x64 the WDK inlines a CR8 read, which faults in Wine's user-mode
    /// kernel. The stand-in reports PASSIVE_LEVEL.
    ///
    /// # Safety
    ///
    /// None beyond the WDK's (callable at any IRQL).
    pub unsafe extern "C" fn KeGetCurrentIrql() -> KIRQL {
        0
    }

    /// `KeSaveExtendedProcessorState` (Windows 7). mingw-w64 10 declares it for x86 only and
    /// Wine 8 does not export it, so the stand-in calls the kernel's export when
    /// `MmGetSystemRoutineAddress` finds one, and otherwise (Wine: a user-mode process whose
    /// extended state the host OS saves on every context switch) records nothing and succeeds.
    ///
    /// # Safety
    ///
    /// The WDK's contract: IRQL ≤ DISPATCH_LEVEL (PASSIVE_LEVEL on the first call, for the
    /// lookup), `XStateSave` valid and nonpaged, restored on the same thread before it is reused.
    pub unsafe extern "C" fn KeSaveExtendedProcessorState(Mask: ULONG64, XStateSave: PXSTATE_SAVE) -> NTSTATUS {
        let address = KE_SAVE.get();
        if address.is_null() {
            return STATUS_SUCCESS;
        }
        // SAFETY: the kernel exports this name with exactly this WDK prototype.
        let routine: unsafe extern "C" fn(ULONG64, PXSTATE_SAVE) -> NTSTATUS = unsafe { core::mem::transmute(address) };
        // SAFETY: forwarded under the caller's contract.
        unsafe { routine(Mask, XStateSave) }
    }

    /// `KeRestoreExtendedProcessorState` (Windows 7): the counterpart of
    /// [`KeSaveExtendedProcessorState`]; does nothing where the kernel has no such export.
    ///
    /// # Safety
    ///
    /// The WDK's contract: `XStateSave` was filled by a successful save on this thread and saves
    /// are restored in reverse order.
    pub unsafe extern "C" fn KeRestoreExtendedProcessorState(XStateSave: PXSTATE_SAVE) {
        let address = KE_RESTORE.get();
        if address.is_null() {
            return;
        }
        // SAFETY: the kernel exports this name with exactly this WDK prototype.
        let routine: unsafe extern "C" fn(PXSTATE_SAVE) = unsafe { core::mem::transmute(address) };
        // SAFETY: forwarded under the caller's contract.
        unsafe { routine(XStateSave) }
    }
}
