//! Placement of over-aligned blocks inside a larger pool block: the arithmetic of the driver's
//! global allocator (`cryptdisk_driver::kernel::pool`), which honours alignments above the
//! pool's 16 bytes by over-allocating.

/// Where a block aligned to `align` starts inside a pool block at `base` of `size + align`
/// bytes: the first multiple of `align` that leaves at least one pointer of room before it (for
/// the pool block's address). `None` when `align` is 0 or the arithmetic overflows.
///
/// For `base` aligned to 16 and `align` ≥ 32 (a power of two), the offset is at least
/// `size_of::<usize>()` and at most `align`, so `offset + size ≤ size + align`.
///
/// ```
/// # use cryptdisk_driver_logic::pool_align::over_aligned_offset;
/// assert_eq!(over_aligned_offset(0x1000, 64), Some(64));
/// assert_eq!(over_aligned_offset(0x1010, 64), Some(48));
/// ```
pub fn over_aligned_offset(base: usize, align: usize) -> Option<usize> {
    let mask = align.checked_sub(1)?;
    let min = base.checked_add(size_of::<usize>())?;
    let aligned = min.checked_add(mask)? & !mask;
    aligned.checked_sub(base)
}

#[cfg(test)]
mod tests {
    use super::over_aligned_offset;

    #[test]
    fn offsets_leave_room_for_the_base_pointer_and_fit() {
        for align in [32usize, 64, 128, 4096] {
            for base in (16..3 * 4096).step_by(16) {
                let offset = over_aligned_offset(base, align).unwrap();
                assert!(offset >= size_of::<usize>(), "base {base:#x} align {align}");
                assert!(offset <= align, "base {base:#x} align {align}");
                assert_eq!((base + offset) % align, 0);
            }
        }
    }

    #[test]
    fn degenerate_inputs_are_refused() {
        assert_eq!(over_aligned_offset(16, 0), None);
        assert_eq!(over_aligned_offset(usize::MAX - 4, 64), None);
    }
}
