//! [`Database`]: the simulated `HKLM\SYSTEM\MountedDevices` key (`protocol.md` §4.5).
//!
//! One value per link: the value name is the link (`\DosDevices\X:`, `\??\Volume{GUID}`, any
//! other name recorded through CREATE_POINT) or a `#{GUID}` "no drive letter" marker; the data is
//! the unique ID of the volume it belongs to. The key is keyed by unique ID, never by device name
//! (§4.5), and it is the one piece of state that survives [`super::Sim::reboot`].

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use mountdev::Guid;

use super::SimName;

/// The simulated `MountedDevices` registry key: value name → REG_BINARY unique ID.
///
/// Value names compare without regard to ASCII case, as registry value names do.
///
/// ```
/// use mountmgr_client::sim::{Sim, SimName};
/// let mut sim = Sim::new();
/// sim.set_database_value("\\DosDevices\\E:", b"stale-id");
/// let db = sim.database();
/// assert_eq!(db.len(), 1);
/// assert_eq!(db.get(&SimName::new("\\dosdevices\\e:")), Some(&b"stale-id"[..]));
/// assert_eq!(db.drive_letters_of(b"stale-id"), vec!['E']);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Database {
    values: BTreeMap<SimName, Vec<u8>>,
}

impl Database {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the key holds no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every value, in value-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&SimName, &[u8])> {
        self.values.iter().map(|(name, data)| (name, data.as_slice()))
    }

    /// The data of the value `name`.
    pub fn get(&self, name: &SimName) -> Option<&[u8]> {
        self.values.get(name).map(Vec::as_slice)
    }

    /// The names of every value whose data is `unique_id`, markers included
    /// (`QuerySymbolicLinkNamesFromStorage`, `protocol.md` §4.2 step 4).
    pub fn names_for(&self, unique_id: &[u8]) -> Vec<SimName> {
        self.values
            .iter()
            .filter(|(_, data)| data.as_slice() == unique_id)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The drive letters recorded for `unique_id`.
    pub fn drive_letters_of(&self, unique_id: &[u8]) -> Vec<char> {
        self.values
            .iter()
            .filter(|(_, data)| data.as_slice() == unique_id)
            .filter_map(|(name, _)| name.drive_letter())
            .collect()
    }

    /// Whether a `#{GUID}` "no drive letter" marker holds `unique_id` (`protocol.md` §4.5).
    pub fn has_no_letter_marker(&self, unique_id: &[u8]) -> bool {
        self.values
            .iter()
            .any(|(name, data)| is_marker(name) && data.as_slice() == unique_id)
    }

    /// Whether `name` is a `#{GUID}` marker rather than a link.
    pub fn is_marker(name: &SimName) -> bool {
        is_marker(name)
    }

    /// Writes a value (`RtlWriteRegistryValue`).
    pub(crate) fn set(&mut self, name: &SimName, unique_id: &[u8]) {
        self.values.insert(name.clone(), unique_id.to_vec());
    }

    /// Deletes a value; whether it existed.
    pub(crate) fn remove(&mut self, name: &SimName) -> bool {
        self.values.remove(name).is_some()
    }

    /// Writes a `#{guid}` marker for `unique_id` unless one exists already: the simulator keeps
    /// at most one marker per unique ID (ReactOS checks `HasNoDriveLetterEntry` before creating
    /// one at arrival, §4.2 step 7; applying the same check everywhere keeps the key bounded).
    /// Returns the marker's name when one was written.
    pub(crate) fn add_no_letter_marker(&mut self, unique_id: &[u8], guid: Guid) -> Option<SimName> {
        if self.has_no_letter_marker(unique_id) {
            return None;
        }
        let name = SimName::new(&alloc::format!("#{{{guid}}}"));
        self.set(&name, unique_id);
        Some(name)
    }

    /// Deletes every marker of `unique_id`; the names deleted.
    pub(crate) fn remove_no_letter_markers(&mut self, unique_id: &[u8]) -> Vec<SimName> {
        self.remove_where(|name, data| is_marker(name) && data == unique_id)
    }

    /// Deletes every drive letter of `unique_id` except `keep` (`DeleteRegistryDriveLetter`,
    /// the MSDN CREATE_POINT rule of `protocol.md` §4.4); the names deleted.
    pub(crate) fn remove_letters_of(&mut self, unique_id: &[u8], keep: Option<&SimName>) -> Vec<SimName> {
        self.remove_where(|name, data| data == unique_id && name.drive_letter().is_some() && Some(name) != keep)
    }

    /// Deletes every value for which `doomed` holds; the names deleted.
    pub(crate) fn remove_where(&mut self, doomed: impl Fn(&SimName, &[u8]) -> bool) -> Vec<SimName> {
        let names: Vec<SimName> = self
            .values
            .iter()
            .filter(|(name, data)| doomed(name, data))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &names {
            self.values.remove(name);
        }
        names
    }
}

fn is_marker(name: &SimName) -> bool {
    name.units().first().is_some_and(|u| u.get() == u16::from(b'#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_deduplicated_and_letters_purged() {
        let mut db = Database::default();
        db.set(&SimName::new("\\DosDevices\\E:"), b"id");
        db.set(&SimName::new("\\DosDevices\\F:"), b"id");
        db.set(&SimName::new("\\DosDevices\\G:"), b"other");
        let guid = Guid::from_uuid_bytes([1; 16]);
        assert!(db.add_no_letter_marker(b"id", guid).is_some());
        assert!(db.add_no_letter_marker(b"id", guid).is_none());
        assert!(db.has_no_letter_marker(b"id"));
        let keep = SimName::new("\\DosDevices\\F:");
        let gone = db.remove_letters_of(b"id", Some(&keep));
        assert_eq!(gone, [SimName::new("\\DosDevices\\E:")]);
        assert_eq!(db.drive_letters_of(b"id"), ['F']);
        assert_eq!(db.remove_no_letter_markers(b"id").len(), 1);
        assert_eq!(db.len(), 2);
    }
}
