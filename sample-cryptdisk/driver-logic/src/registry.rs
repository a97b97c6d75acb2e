//! The mounted volumes, by device number and drive letter: what UNMOUNT looks up, LIST reports
//! and `DriverUnload` takes down.
//!
//! The registry is owned by the control service, which runs on one thread, so it needs no lock.
//! A volume's drive letter is kept as the [`DriveLetterLink`] the mount produced.

use alloc::vec::Vec;

use cryptdisk_core::control::UnmountTarget;
use mountdev::{DriveLetterLink, NtStatus};

/// The highest device number handed out (`\Device\CryptDiskVolume1` … `CryptDiskVolume256`).
pub const MAX_VOLUMES: u32 = 256;

/// One mounted volume: its number, its drive letter if it has one, and whatever the host keeps.
#[derive(Debug)]
pub struct Entry<V> {
    /// `N` of `\Device\CryptDiskVolumeN`.
    pub number: u32,
    /// The drive letter, if the volume has one.
    pub letter: Option<DriveLetterLink>,
    /// The host's state of the volume.
    pub value: V,
}

/// The mounted volumes.
///
/// ```
/// # use cryptdisk_driver_logic::registry::Registry;
/// # use cryptdisk_core::control::UnmountTarget;
/// # use mountdev::DriveLetterLink;
/// let mut volumes = Registry::new();
/// let n = volumes.free_number().unwrap();
/// volumes.reserve_one().unwrap();
/// volumes.insert(n, DriveLetterLink::new(b'Q'), "first");
/// assert_eq!(volumes.free_number(), Some(2));
/// assert_eq!(volumes.remove(UnmountTarget::Letter(b'Q')).map(|e| e.value), Some("first"));
/// assert!(volumes.is_empty());
/// ```
#[derive(Debug)]
pub struct Registry<V> {
    entries: Vec<Entry<V>>,
}

impl<V> Default for Registry<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Registry<V> {
    /// No volumes.
    pub const fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// The lowest device number from 1 that no volume uses, `None` when all
    /// [`MAX_VOLUMES`] are taken.
    pub fn free_number(&self) -> Option<u32> {
        (1..=MAX_VOLUMES).find(|n| self.entries.iter().all(|e| e.number != *n))
    }

    /// Makes room for one more entry, so that [`Registry::insert`] cannot fail after a mount
    /// succeeded.
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES`.
    pub fn reserve_one(&mut self) -> Result<(), NtStatus> {
        self.entries
            .try_reserve(1)
            .map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)
    }

    /// Records a mounted volume. Call [`Registry::reserve_one`] first: without room this
    /// allocates, and an allocation failure then ends in the allocation-error handler.
    pub fn insert(&mut self, number: u32, letter: Option<DriveLetterLink>, value: V) {
        self.entries.push(Entry { number, letter, value });
    }

    /// The entry `target` names.
    pub fn find(&self, target: UnmountTarget) -> Option<&Entry<V>> {
        self.entries.iter().find(|e| Self::matches(e, target))
    }

    /// Takes the entry `target` names out of the registry.
    pub fn remove(&mut self, target: UnmountTarget) -> Option<Entry<V>> {
        let index = self.entries.iter().position(|e| Self::matches(e, target))?;
        Some(self.entries.swap_remove(index))
    }

    /// Takes the most recently listed entry out (for taking every volume down).
    pub fn pop(&mut self) -> Option<Entry<V>> {
        self.entries.pop()
    }

    /// The entries, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry<V>> {
        self.entries.iter()
    }

    /// Number of volumes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no volume is mounted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn matches(entry: &Entry<V>, target: UnmountTarget) -> bool {
        match target {
            // The request's byte is compared, not converted: a byte that is no letter matches
            // no volume.
            UnmountTarget::Letter(byte) => entry.letter.is_some_and(|link| link.letter() == char::from(byte)),
            UnmountTarget::DeviceNumber(number) => entry.number == number,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_lowest_free_and_are_reused_after_removal() {
        let mut volumes = Registry::new();
        for expected in 1..=3 {
            let n = volumes.free_number().unwrap();
            assert_eq!(n, expected);
            volumes.reserve_one().unwrap();
            volumes.insert(n, None, n);
        }
        assert_eq!(volumes.remove(UnmountTarget::DeviceNumber(2)).unwrap().value, 2);
        assert_eq!(volumes.free_number(), Some(2));
        assert!(volumes.remove(UnmountTarget::DeviceNumber(2)).is_none());
        assert_eq!(volumes.len(), 2);
    }

    #[test]
    fn letters_find_only_the_volume_that_has_them() {
        let mut volumes = Registry::new();
        volumes.insert(1, DriveLetterLink::new(b'X'), "x");
        volumes.insert(2, None, "none");
        assert_eq!(volumes.find(UnmountTarget::Letter(b'X')).unwrap().value, "x");
        assert!(volumes.find(UnmountTarget::Letter(b'Y')).is_none());
        assert!(
            volumes.find(UnmountTarget::Letter(b'x')).is_none(),
            "the wire's letter is upper case"
        );
        assert_eq!(volumes.find(UnmountTarget::DeviceNumber(2)).unwrap().letter, None);
    }

    #[test]
    fn all_numbers_taken_gives_none() {
        let mut volumes = Registry::new();
        for n in 1..=MAX_VOLUMES {
            volumes.insert(n, None, ());
        }
        assert_eq!(volumes.free_number(), None);
        while volumes.pop().is_some() {}
        assert!(volumes.is_empty());
        assert_eq!(volumes.iter().count(), 0);
    }
}
