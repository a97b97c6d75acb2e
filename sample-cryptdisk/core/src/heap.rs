//! [`TryBox`]: a heap allocation whose failure is an error, not an abort.
//!
//! `Box::new` calls the allocation-error handler when the allocator returns null; in the driver
//! that handler bug-checks the machine. `Box::try_new` is not stable, so the MOUNT path (the
//! master key, the XTS key schedules) allocates through a one-element `Vec` whose reservation is
//! fallible and whose boxing then needs no second allocation.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::ops::{Deref, DerefMut};

/// The allocator had no memory for a [`TryBox`] (in the driver: the nonpaged pool is exhausted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfMemory;

impl fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("out of memory")
    }
}

impl core::error::Error for OutOfMemory {}

/// A value in a heap allocation of its own, made fallibly; it never moves while the `TryBox`
/// lives (moving the `TryBox` moves a pointer).
///
/// # Examples
///
/// ```
/// use cryptdisk_core::heap::TryBox;
///
/// let mut boxed = TryBox::new([0u8; 64])?;
/// boxed[3] = 7;
/// assert_eq!(boxed[3], 7);
/// # Ok::<(), cryptdisk_core::heap::OutOfMemory>(())
/// ```
pub struct TryBox<T>(Box<[T; 1]>);

impl<T> TryBox<T> {
    /// Moves `value` to the heap.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the allocator returns null.
    pub fn new(value: T) -> Result<Self, OutOfMemory> {
        let mut slot = Vec::new();
        slot.try_reserve_exact(1).map_err(|_| OutOfMemory)?;
        // The reservation holds one element, so the push does not allocate, and with length equal
        // to capacity `into_boxed_slice` does not reallocate (`Vec` records the exact capacity it
        // asked for; the check keeps a larger one from reaching the infallible shrink).
        if slot.capacity() != 1 && size_of::<T>() != 0 {
            return Err(OutOfMemory);
        }
        slot.push(value);
        let boxed: Box<[T]> = slot.into_boxed_slice();
        boxed.try_into().map(Self).map_err(|_| OutOfMemory)
    }

    /// Moves `value` to the heap or, with no memory, calls the allocation-error handler as
    /// `Box::new` does: for user-mode paths and `Clone`, never for the driver's MOUNT path.
    ///
    /// ```
    /// let boxed = cryptdisk_core::heap::TryBox::new_or_abort(3u32);
    /// assert_eq!(*boxed, 3);
    /// ```
    pub fn new_or_abort(value: T) -> Self {
        Self::new(value).unwrap_or_else(|_| alloc::alloc::handle_alloc_error(core::alloc::Layout::new::<[T; 1]>()))
    }
}

/// `N` copies of `value` in a heap array made fallibly, written in place (no array-sized value
/// on the stack).
///
/// # Errors
///
/// [`OutOfMemory`] when the allocator returns null.
///
/// # Examples
///
/// ```
/// let table: Box<[[u8; 64]; 15]> = cryptdisk_core::heap::try_filled([0u8; 64])?;
/// assert_eq!(table[14], [0u8; 64]);
/// # Ok::<(), cryptdisk_core::heap::OutOfMemory>(())
/// ```
pub fn try_filled<T: Clone, const N: usize>(value: T) -> Result<Box<[T; N]>, OutOfMemory> {
    let mut v = Vec::new();
    v.try_reserve_exact(N).map_err(|_| OutOfMemory)?;
    // As in `TryBox::new`: with length equal to capacity, boxing does not reallocate.
    if v.capacity() != N && size_of::<T>() != 0 {
        return Err(OutOfMemory);
    }
    v.resize(N, value);
    let boxed: Box<[T]> = v.into_boxed_slice();
    boxed.try_into().map_err(|_| OutOfMemory)
}

impl<T: PartialEq> PartialEq for TryBox<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for TryBox<T> {}

/// Like `Box::clone`: with no memory, the allocation-error handler runs (`Clone` cannot fail).
impl<T: Clone> Clone for TryBox<T> {
    fn clone(&self) -> Self {
        Self::new_or_abort((**self).clone())
    }
}

impl<T> Deref for TryBox<T> {
    type Target = T;

    fn deref(&self) -> &T {
        let [value] = &*self.0;
        value
    }
}

impl<T> DerefMut for TryBox<T> {
    fn deref_mut(&mut self) -> &mut T {
        let [value] = &mut *self.0;
        value
    }
}

impl<T: fmt::Debug> fmt::Debug for TryBox<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::TryBox;

    #[test]
    fn the_value_stays_at_its_address_when_the_box_moves() {
        let boxed = TryBox::new([5u8; 32]).unwrap();
        let at = core::ptr::from_ref(&*boxed);
        let moved = [core::hint::black_box(boxed)];
        let [boxed] = moved;
        assert_eq!(core::ptr::from_ref(&*boxed), at);
        assert_eq!(*boxed, [5u8; 32]);
    }

    #[test]
    fn zero_sized_values_box_too() {
        let boxed = TryBox::new(()).unwrap();
        assert_eq!(*boxed, ());
    }
}
