//! The object namespace the simulator owns: the `\Device` directory (device objects) and the
//! `\GLOBAL??` directory (symbolic links), and the lookup `IoGetDeviceObjectPointer` performs.
//!
//! Lookups ignore ASCII case and nothing else: a name with one more unit (a counted terminator, a
//! trailing backslash) or a typo is another name and does not resolve
//! (`STATUS_OBJECT_NAME_NOT_FOUND`, `protocol.md` §3.3 step 1, §4.7). A device still flagged
//! `DO_DEVICE_INITIALIZING` resolves but cannot be opened (`STATUS_NO_SUCH_DEVICE`, §3.3 step 1,
//! §4.1).

use alloc::collections::BTreeMap;

use mountdev::NtStatus;

use super::device::{DeviceOptions, DeviceRef};
use super::{SimError, SimName};

/// How deep a chain of symbolic links may go before the lookup gives up (the object manager's
/// reparse limit is of the same order).
const MAX_LINK_DEPTH: usize = 32;

/// A device object in `\Device`.
#[derive(Clone)]
pub(crate) struct DeviceEntry {
    pub(crate) device: DeviceRef,
    pub(crate) options: DeviceOptions,
    /// Which `IoCreateDevice` call made this object: a name re-used after `IoDeleteDevice`
    /// belongs to a new object with a new generation.
    pub(crate) generation: u64,
}

/// A successfully opened device: what `IoGetDeviceObjectPointer` hands the mount manager.
#[derive(Clone)]
pub(crate) struct Opened {
    /// The device object's own name (after following links).
    pub(crate) name: SimName,
    pub(crate) device: DeviceRef,
    pub(crate) removable: bool,
    pub(crate) generation: u64,
}

/// `\Device` and `\GLOBAL??`.
#[derive(Clone, Default)]
pub(crate) struct Namespace {
    devices: BTreeMap<SimName, DeviceEntry>,
    /// Link key ([`SimName::global_key`]) → target name.
    links: BTreeMap<SimName, SimName>,
    next_generation: u64,
}

impl Namespace {
    /// `IoCreateDevice` with a name.
    pub(crate) fn register(
        &mut self,
        name: SimName,
        device: DeviceRef,
        options: DeviceOptions,
    ) -> Result<u64, SimError> {
        if name.is_empty() {
            return Err(SimError::EmptyName);
        }
        if self.devices.contains_key(&name) {
            return Err(SimError::NameCollision { name });
        }
        let generation = self.next_generation;
        self.next_generation = self.next_generation.wrapping_add(1);
        self.devices.insert(
            name,
            DeviceEntry {
                device,
                options,
                generation,
            },
        );
        Ok(generation)
    }

    /// `IoDeleteDevice`.
    pub(crate) fn remove(&mut self, name: &SimName) -> Result<DeviceEntry, SimError> {
        self.devices
            .remove(name)
            .ok_or_else(|| SimError::NoSuchDevice { name: name.clone() })
    }

    /// Clears `DO_DEVICE_INITIALIZING`.
    pub(crate) fn clear_initializing(&mut self, name: &SimName) -> Result<(), SimError> {
        let entry = self
            .devices
            .get_mut(name)
            .ok_or_else(|| SimError::NoSuchDevice { name: name.clone() })?;
        entry.options = entry.options.initializing(false);
        Ok(())
    }

    /// Every registered device, by name.
    pub(crate) fn devices(&self) -> impl Iterator<Item = (&SimName, &DeviceEntry)> {
        self.devices.iter()
    }

    /// `IoCreateSymbolicLink`: fails with `STATUS_OBJECT_NAME_COLLISION` when the link exists.
    pub(crate) fn create_link(&mut self, link: &SimName, target: &SimName) -> Result<(), NtStatus> {
        let key = link.global_key();
        if self.links.contains_key(&key) {
            return Err(NtStatus::OBJECT_NAME_COLLISION);
        }
        self.links.insert(key, target.clone());
        Ok(())
    }

    /// `IoDeleteSymbolicLink`; whether the link existed.
    pub(crate) fn delete_link(&mut self, link: &SimName) -> bool {
        self.links.remove(&link.global_key()).is_some()
    }

    /// The target of `link`, if it exists.
    pub(crate) fn link_target(&self, link: &SimName) -> Option<&SimName> {
        self.links.get(&link.global_key())
    }

    /// Every link (by its `\GLOBAL??` key) and its target.
    pub(crate) fn links(&self) -> impl Iterator<Item = (&SimName, &SimName)> {
        self.links.iter()
    }

    /// Follows symbolic links from `name` to the name of an object that is not a link.
    pub(crate) fn follow_links(&self, name: &SimName) -> Result<SimName, NtStatus> {
        let mut current = name.clone();
        for _ in 0..MAX_LINK_DEPTH {
            match self.link_target(&current) {
                Some(target) => current = target.clone(),
                None => return Ok(current),
            }
        }
        Err(NtStatus::OBJECT_NAME_NOT_FOUND)
    }

    /// `IoGetDeviceObjectPointer(name, FILE_READ_ATTRIBUTES)`: follows links, then finds the
    /// device. Errors: `STATUS_OBJECT_NAME_NOT_FOUND` (nothing by that name, a dangling link),
    /// `STATUS_NO_SUCH_DEVICE` (`DO_DEVICE_INITIALIZING` still set).
    pub(crate) fn open(&self, name: &SimName) -> Result<Opened, NtStatus> {
        let resolved = self.follow_links(name)?;
        let Some((found, entry)) = self.devices.get_key_value(&resolved) else {
            return Err(NtStatus::OBJECT_NAME_NOT_FOUND);
        };
        if entry.options.is_initializing() {
            return Err(NtStatus::NO_SUCH_DEVICE);
        }
        Ok(Opened {
            name: found.clone(),
            device: entry.device.clone(),
            removable: entry.options.is_removable(),
            generation: entry.generation,
        })
    }

    /// A reboot: every device object and every link is gone.
    pub(crate) fn clear(&mut self) {
        self.devices.clear();
        self.links.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::sync::Arc;
    use mountdev::{IoBuffers, Reply};

    fn dummy() -> DeviceRef {
        Arc::new(|_code: u32, _io: IoBuffers<'_>| Reply::success(0))
    }

    #[test]
    fn open_follows_links_and_checks_flags() {
        let mut ns = Namespace::default();
        let dev = SimName::new("\\Device\\X");
        ns.register(dev.clone(), dummy(), DeviceOptions::new().initializing(true))
            .unwrap();
        assert!(matches!(
            ns.register(SimName::new("\\device\\x"), dummy(), DeviceOptions::new()),
            Err(SimError::NameCollision { .. })
        ));
        assert_eq!(ns.open(&dev).err(), Some(NtStatus::NO_SUCH_DEVICE));
        ns.clear_initializing(&dev).unwrap();
        ns.create_link(&SimName::new("\\DosDevices\\Z:"), &dev).unwrap();
        assert_eq!(
            ns.create_link(&SimName::new("\\??\\Z:"), &dev),
            Err(NtStatus::OBJECT_NAME_COLLISION)
        );
        assert_eq!(ns.open(&SimName::new("\\??\\Z:")).unwrap().name, dev);
        let mut with_nul = dev.as_le_bytes().to_vec();
        with_nul.extend_from_slice(&[0, 0]);
        let with_nul = SimName::from_le_bytes(&with_nul).unwrap();
        assert_eq!(ns.open(&with_nul).err(), Some(NtStatus::OBJECT_NAME_NOT_FOUND));
        ns.create_link(&SimName::new("\\??\\Loop"), &SimName::new("\\??\\Loop"))
            .unwrap();
        assert_eq!(
            ns.open(&SimName::new("\\??\\Loop")).err(),
            Some(NtStatus::OBJECT_NAME_NOT_FOUND)
        );
    }
}
