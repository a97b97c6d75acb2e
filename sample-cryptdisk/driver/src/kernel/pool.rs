//! The global allocator: nonpaged, tagged pool from `ExAllocatePool2`, and the fallible
//! allocation helpers the driver's own code uses.
//!
//! * Tag [`POOL_TAG`] (`CDsk`), visible in `!poolused` and PoolMon.
//! * Nonpaged (`POOL_FLAG_NON_PAGED`, no-execute), so any allocation may be touched at
//!   DISPATCH_LEVEL; allocation itself is allowed at IRQL ≤ DISPATCH_LEVEL.
//! * Alignments up to [`POOL_ALIGNMENT`] (16 on x64) come straight from the pool. Larger ones are
//!   honoured by over-allocating `size + align` bytes and storing the pool block's address just
//!   before the aligned pointer.
//! * Failure returns null. In the driver's own code every allocation is fallible ([`try_box`],
//!   [`try_arc`], `Vec::try_reserve`) and a null becomes `STATUS_INSUFFICIENT_RESOURCES`; an infallible
//!   allocation in a dependency that fails calls Rust's allocation-error handler, which panics,
//!   and the panic handler (`mountdev-wdk`'s, feature `panic-handler`) bug-checks.

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{NonNull, null_mut};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use mountdev::NtStatus;
use wdk_sys::ntddk::{ExAllocatePool2, ExFreePoolWithTag};
use wdk_sys::{POOL_FLAG_NON_PAGED, POOL_FLAG_UNINITIALIZED, POOL_FLAGS};

use cryptdisk_driver_logic::pool_align::over_aligned_offset;

/// The pool tag of every allocation the driver makes: `CDsk` as it reads in a pool dump.
pub const POOL_TAG: u32 = u32::from_le_bytes(*b"CDsk");

/// `MEMORY_ALLOCATION_ALIGNMENT` on x64: the alignment every pool block has.
pub const POOL_ALIGNMENT: usize = 16;

/// An allocation failed (the driver turns it into `STATUS_INSUFFICIENT_RESOURCES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocError;

impl core::fmt::Display for AllocError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("out of nonpaged pool")
    }
}

impl core::error::Error for AllocError {}

impl From<AllocError> for NtStatus {
    fn from(_: AllocError) -> Self {
        NtStatus::INSUFFICIENT_RESOURCES
    }
}

/// The nonpaged-pool allocator (see the module docs).
pub struct PoolAllocator;

#[cfg(not(test))]
#[global_allocator]
static ALLOCATOR: PoolAllocator = PoolAllocator;

impl PoolAllocator {
    fn allocate(layout: Layout, flags: POOL_FLAGS) -> *mut u8 {
        if layout.align() <= POOL_ALIGNMENT {
            // SAFETY: ExAllocatePool2 has no pointer arguments; the global allocator is only
            // called at IRQL ≤ DISPATCH_LEVEL, where nonpaged allocations are allowed.
            return unsafe { ExAllocatePool2(flags, layout.size() as _, POOL_TAG) }.cast();
        }
        let Some(total) = layout.size().checked_add(layout.align()) else {
            return null_mut();
        };
        // SAFETY: as above.
        let base: *mut u8 = unsafe { ExAllocatePool2(flags, total as _, POOL_TAG) }.cast();
        if base.is_null() {
            return null_mut();
        }
        let Some(offset) = over_aligned_offset(base as usize, layout.align()) else {
            // SAFETY: `base` came from ExAllocatePool2 with this tag and is freed once.
            unsafe { ExFreePoolWithTag(base.cast(), POOL_TAG) };
            return null_mut();
        };
        // INVARIANT: offset ≥ size_of::<usize>() and offset + size ≤ total, because offset ≤
        // align (base is 16-aligned) and align ≥ 32 > size_of::<usize>().
        // SAFETY: `offset` < `total`, so the result stays inside the pool block.
        let aligned = unsafe { base.add(offset) };
        // SAFETY: the pointer-sized slot just before `aligned` lies inside the block (offset ≥
        // size_of::<usize>()).
        let slot = unsafe { aligned.cast::<usize>().sub(1) };
        // SAFETY: `slot` is inside the block; it may be unaligned for usize, hence
        // write_unaligned.
        unsafe { slot.write_unaligned(base as usize) };
        aligned
    }
}

// SAFETY: blocks come from ExAllocatePool2 with at least the requested size and alignment (16
// from the pool, larger ones by over-allocation), and `dealloc` frees exactly what `alloc`
// returned, recovering the pool block for over-aligned layouts.
unsafe impl GlobalAlloc for PoolAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= POOL_ALIGNMENT && layout.size() == RESERVED_SIZE.load(Ordering::Acquire) {
            let reserved = RESERVED.swap(null_mut(), Ordering::AcqRel);
            if !reserved.is_null() {
                return reserved;
            }
        }
        Self::allocate(layout, POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // ExAllocatePool2 zero-fills unless POOL_FLAG_UNINITIALIZED is given; over-aligned
        // blocks are zeroed as a whole, the aligned part included.
        Self::allocate(layout, POOL_FLAG_NON_PAGED)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let base = if layout.align() <= POOL_ALIGNMENT {
            ptr
        } else {
            // SAFETY: `alloc` stored the pool block's address in the slot before `ptr`, inside
            // the same block.
            let slot = unsafe { ptr.cast::<usize>().sub(1) };
            // SAFETY: as above; possibly unaligned.
            unsafe { slot.read_unaligned() as *mut u8 }
        };
        // SAFETY: `base` is a live pool block with our tag (caller contract of `dealloc`).
        unsafe { ExFreePoolWithTag(base.cast(), POOL_TAG) };
    }
}

/// `Box::new` that reports allocation failure instead of panicking (`Box::try_new` is not
/// stable yet).
///
/// # Errors
///
/// [`AllocError`] when the pool is exhausted.
pub fn try_box<T>(value: T) -> Result<Box<T>, AllocError> {
    let layout = Layout::new::<T>();
    if layout.size() == 0 {
        return Ok(Box::new(value));
    }
    // SAFETY: `layout` has a non-zero size.
    let raw = unsafe { alloc::alloc::alloc(layout) }.cast::<T>();
    let Some(slot) = NonNull::new(raw) else {
        return Err(AllocError);
    };
    // SAFETY: `slot` is a fresh, properly aligned allocation for one `T`.
    unsafe { slot.as_ptr().write(value) };
    // SAFETY: the global allocator produced `slot` for `Layout::new::<T>()` and it now holds an
    // initialised `T`, which is exactly what `Box::from_raw` requires.
    Ok(unsafe { Box::from_raw(slot.as_ptr()) })
}

/// A pool block [`try_arc`] set aside for the `Arc::new` that follows it, and its size
/// (alignment ≤ [`POOL_ALIGNMENT`], so a plain pool block that `dealloc` frees as any other).
static RESERVED: AtomicPtr<u8> = AtomicPtr::new(null_mut());
static RESERVED_SIZE: AtomicUsize = AtomicUsize::new(0);

/// `Arc::new` that reports allocation failure instead of bug-checking (`Arc::try_new` is not
/// stable yet): the block `Arc::new` will ask for (two counters, then `T`) is allocated first,
/// fallibly, and set aside; the global allocator hands it to the next allocation of that size.
///
/// If the guess of `Arc`'s block layout were wrong, or another thread took the block in the
/// window, `Arc::new` allocates normally (as before: infallible) and the reserved block is freed;
/// correctness never depends on the guess, only the graceful failure does. Only the control
/// worker calls this (MOUNT), so reservations do not compete.
///
/// # Errors
///
/// [`AllocError`] when the pool is exhausted (or another reservation is pending).
pub fn try_arc<T>(value: T) -> Result<Arc<T>, AllocError> {
    let Ok((layout, _)) = Layout::new::<[usize; 2]>().extend(Layout::new::<T>()) else {
        return Err(AllocError);
    };
    let layout = layout.pad_to_align();
    if layout.align() > POOL_ALIGNMENT {
        return Err(AllocError);
    }
    let block = PoolAllocator::allocate(layout, POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED);
    if block.is_null() {
        return Err(AllocError);
    }
    if RESERVED
        .compare_exchange(null_mut(), block, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        // SAFETY: `block` came from ExAllocatePool2 (alignment ≤ 16: not over-aligned) with our
        // tag and was never handed out.
        unsafe { ExFreePoolWithTag(block.cast(), POOL_TAG) };
        return Err(AllocError);
    }
    RESERVED_SIZE.store(layout.size(), Ordering::Release);
    let shared = Arc::new(value);
    RESERVED_SIZE.store(0, Ordering::Release);
    let unused = RESERVED.swap(null_mut(), Ordering::AcqRel);
    if !unused.is_null() {
        // SAFETY: as above: a plain pool block of ours that nobody took.
        unsafe { ExFreePoolWithTag(unused.cast(), POOL_TAG) };
    }
    Ok(shared)
}
