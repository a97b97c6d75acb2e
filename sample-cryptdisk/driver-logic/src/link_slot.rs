//! [`LinkSlot`]: the one drive-letter link a volume's mount may create itself (the fallback when
//! the mount manager refuses), as the mount plan's host keeps it.
//!
//! The slot holds at most one link, with its letter; a second create is refused, and a delete
//! removes the link only if it is the letter asked for (any other letter is not this volume's).
//! What a link *is* (the kernel's symbolic-link object) is the caller's `L`.

use mountdev::{DriveLetterLink, NtStatus};

/// See the module docs.
///
/// ```
/// # use cryptdisk_driver_logic::link_slot::LinkSlot;
/// # use mountdev::{DriveLetterLink, NtStatus};
/// let (m, n) = (DriveLetterLink::new(b'M').unwrap(), DriveLetterLink::new(b'N').unwrap());
/// let mut slot = LinkSlot::default();
/// slot.create(m, || Ok("link object")).unwrap();
/// assert_eq!(slot.create(n, || Ok("another")), Err(NtStatus::INVALID_DEVICE_STATE));
/// assert_eq!(slot.delete(n, |_| Ok(())), Err(NtStatus::OBJECT_NAME_NOT_FOUND));
/// assert_eq!(slot.delete(m, |object| { assert_eq!(object, "link object"); Ok(()) }), Ok(()));
/// assert!(slot.take().is_none());
/// ```
#[derive(Debug)]
pub struct LinkSlot<L> {
    link: Option<(DriveLetterLink, L)>,
}

impl<L> Default for LinkSlot<L> {
    fn default() -> Self {
        Self { link: None }
    }
}

impl<L> LinkSlot<L> {
    /// A slot holding `link` (what an unmount starts from), or an empty one.
    pub fn new(link: Option<(DriveLetterLink, L)>) -> Self {
        Self { link }
    }

    /// Creates the link at `letter` with `make`, unless the slot holds one already.
    ///
    /// # Errors
    ///
    /// `STATUS_INVALID_DEVICE_STATE` when the slot is taken (`make` is not called), or the
    /// status of `make`.
    pub fn create(
        &mut self,
        letter: DriveLetterLink,
        make: impl FnOnce() -> Result<L, NtStatus>,
    ) -> Result<(), NtStatus> {
        if self.link.is_some() {
            return Err(NtStatus::INVALID_DEVICE_STATE);
        }
        self.link = Some((letter, make()?));
        Ok(())
    }

    /// Deletes the link at `letter` with `delete`, if the slot holds that one.
    ///
    /// # Errors
    ///
    /// `STATUS_OBJECT_NAME_NOT_FOUND` when the slot is empty or holds another letter (the slot
    /// keeps it), or the status of `delete`.
    pub fn delete(
        &mut self,
        letter: DriveLetterLink,
        delete: impl FnOnce(L) -> Result<(), NtStatus>,
    ) -> Result<(), NtStatus> {
        match self.link.take() {
            Some((held, object)) if held == letter => delete(object),
            other => {
                self.link = other;
                Err(NtStatus::OBJECT_NAME_NOT_FOUND)
            }
        }
    }

    /// The link held, if any, leaving the slot empty.
    pub fn take(&mut self) -> Option<(DriveLetterLink, L)> {
        self.link.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(byte: u8) -> DriveLetterLink {
        DriveLetterLink::new(byte).unwrap()
    }

    #[test]
    fn a_failed_create_leaves_the_slot_empty_and_a_taken_slot_never_calls_make() {
        let mut slot = LinkSlot::<u32>::default();
        assert_eq!(
            slot.create(letter(b'M'), || Err(NtStatus::OBJECT_NAME_COLLISION)),
            Err(NtStatus::OBJECT_NAME_COLLISION)
        );
        assert!(slot.take().is_none());
        slot.create(letter(b'M'), || Ok(1)).unwrap();
        let refused = slot.create(letter(b'M'), || unreachable!("the slot is taken"));
        assert_eq!(refused, Err(NtStatus::INVALID_DEVICE_STATE));
        assert_eq!(slot.take(), Some((letter(b'M'), 1)));
    }

    #[test]
    fn delete_removes_only_its_own_letter_and_reports_the_deleters_status() {
        let mut slot = LinkSlot::new(Some((letter(b'R'), 7u32)));
        let other = slot.delete(letter(b'S'), |_| unreachable!("not this volume's link"));
        assert_eq!(other, Err(NtStatus::OBJECT_NAME_NOT_FOUND));
        let failed = slot.delete(letter(b'R'), |object| {
            assert_eq!(object, 7);
            Err(NtStatus::ACCESS_DENIED)
        });
        assert_eq!(failed, Err(NtStatus::ACCESS_DENIED));
        // The link was handed to the deleter, which owned it from then on.
        assert!(slot.take().is_none());
        assert_eq!(
            slot.delete(letter(b'R'), |_| Ok(())),
            Err(NtStatus::OBJECT_NAME_NOT_FOUND)
        );
    }
}
