//! [`LetterSet`] (a set of drive letters) and [`LinkSummary`] (what a volume's mount points
//! amount to).

use core::fmt;

use mountdev::{DriveLetterLink, NtName, VolumeGuidName};

use crate::reply::{LinkKind, MountPoints};

/// A set of drive letters `A`..=`Z`.
///
/// ```
/// use mountdev::DriveLetterLink;
/// use mountmgr_client::LetterSet;
/// let mut set = LetterSet::new();
/// set.insert(DriveLetterLink::new(b'Z').unwrap());
/// set.insert(DriveLetterLink::new(b'E').unwrap());
/// assert_eq!(set.len(), 2);
/// assert_eq!(set.to_string(), "E: Z:");
/// assert_eq!(set.iter().next().unwrap().letter(), 'E');
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LetterSet {
    // INVARIANT: only bits 0..26 are set; bit n is the letter 'A' + n.
    bits: u32,
}

impl LetterSet {
    /// The empty set.
    pub const fn new() -> Self {
        Self { bits: 0 }
    }

    /// The set holding only `letter`.
    pub fn only(letter: DriveLetterLink) -> Self {
        let mut set = Self::new();
        set.insert(letter);
        set
    }

    fn bit(letter: DriveLetterLink) -> u32 {
        let index = u32::from(letter.letter()).saturating_sub(u32::from('A')).min(25);
        1u32 << index
    }

    /// Adds `letter`.
    pub fn insert(&mut self, letter: DriveLetterLink) {
        self.bits |= Self::bit(letter);
    }

    /// Removes `letter`.
    pub fn remove(&mut self, letter: DriveLetterLink) {
        self.bits &= !Self::bit(letter);
    }

    /// Whether `letter` is in the set.
    pub fn contains(&self, letter: DriveLetterLink) -> bool {
        self.bits & Self::bit(letter) != 0
    }

    /// This set without `letter`.
    #[must_use]
    pub fn without(mut self, letter: DriveLetterLink) -> Self {
        self.remove(letter);
        self
    }

    /// Number of letters.
    pub const fn len(&self) -> usize {
        self.bits.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// The single letter of a one-letter set.
    pub fn single(&self) -> Option<DriveLetterLink> {
        if self.len() == 1 { self.iter().next() } else { None }
    }

    /// The letters in alphabetical order.
    pub fn iter(&self) -> LetterSetIter {
        LetterSetIter { rest: self.bits }
    }
}

/// Iterator over a [`LetterSet`], alphabetical.
#[derive(Clone, Debug)]
pub struct LetterSetIter {
    rest: u32,
}

impl Iterator for LetterSetIter {
    type Item = DriveLetterLink;

    fn next(&mut self) -> Option<DriveLetterLink> {
        while self.rest != 0 {
            let index = self.rest.trailing_zeros();
            self.rest &= self.rest.wrapping_sub(1);
            let letter = u8::try_from(index).ok().and_then(|i| b'A'.checked_add(i));
            if let Some(link) = letter.and_then(DriveLetterLink::new) {
                return Some(link);
            }
        }
        None
    }
}

impl IntoIterator for LetterSet {
    type Item = DriveLetterLink;
    type IntoIter = LetterSetIter;

    fn into_iter(self) -> LetterSetIter {
        self.iter()
    }
}

impl FromIterator<DriveLetterLink> for LetterSet {
    fn from_iter<I: IntoIterator<Item = DriveLetterLink>>(iter: I) -> Self {
        let mut set = Self::new();
        for letter in iter {
            set.insert(letter);
        }
        set
    }
}

impl fmt::Display for LetterSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, letter) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{}:", letter.letter())?;
        }
        Ok(())
    }
}

impl fmt::Debug for LetterSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LetterSet({self})")
    }
}

/// What a set of mount points amounts to: drive letters, volume GUID names and other links.
///
/// ```
/// use mountmgr_client::LinkSummary;
/// let summary = LinkSummary::default();
/// assert!(summary.letters.is_empty() && summary.volume_name.is_none());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkSummary {
    /// Every drive letter.
    pub letters: LetterSet,
    /// The first volume GUID name.
    pub volume_name: Option<VolumeGuidName>,
    /// How many volume GUID names there are (1 for a healthy volume).
    pub volume_names: usize,
    /// Links that are neither a drive letter nor a volume GUID name.
    pub other_links: usize,
    /// Mount points counted.
    pub points: usize,
    /// Mount points left out because they belong to another device.
    pub foreign_points: usize,
}

impl LinkSummary {
    /// Summarises `points`; with `device`, only the points of that device count (the others are
    /// counted in [`LinkSummary::foreign_points`]).
    pub fn of(points: &MountPoints<'_>, device: Option<NtName<'_>>) -> Self {
        let mut summary = Self::default();
        for point in points {
            if device.is_some_and(|device| !point.is_on_device(device)) {
                summary.foreign_points = summary.foreign_points.saturating_add(1);
                continue;
            }
            summary.points = summary.points.saturating_add(1);
            match point.kind() {
                LinkKind::DriveLetter(letter) => summary.letters.insert(letter),
                LinkKind::VolumeName(name) => {
                    summary.volume_name.get_or_insert(name);
                    summary.volume_names = summary.volume_names.saturating_add(1);
                }
                LinkKind::Other => summary.other_links = summary.other_links.saturating_add(1),
            }
        }
        summary
    }
}
