//! The test harness's side of the simulator: devices (`IoCreateDevice`, `IoDeleteDevice`),
//! links made past the mount manager, direct registry edits, settings and reboots.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use mountdev::{MountdevVolume, NtStatus};

use super::describe::hex_id;
use super::{DeviceOptions, DeviceRef, FIRST_EPIC, Sim, SimError, SimName, VolumeDevice};

/// ` (what, DO_DEVICE_INITIALIZING, removable)` for the trace line of a registration.
fn device_flags(options: DeviceOptions, what: Option<&str>) -> String {
    let flags: Vec<&str> = what
        .into_iter()
        .chain(options.is_initializing().then_some("DO_DEVICE_INITIALIZING"))
        .chain(options.is_removable().then_some("removable"))
        .collect();
    if flags.is_empty() {
        String::new()
    } else {
        format!(" ({})", flags.join(", "))
    }
}

impl Sim {
    /// `IoCreateDevice(name)`: puts `device` in the `\Device` directory.
    ///
    /// # Errors
    /// [`SimError::NameCollision`] when the name exists, [`SimError::EmptyName`].
    pub fn register_device(&mut self, name: &str, device: DeviceRef, options: DeviceOptions) -> Result<(), SimError> {
        let name = SimName::new(name);
        self.namespace.register(name.clone(), device, options)?;
        self.host(format!("IoCreateDevice {name}{}", device_flags(options, None)));
        Ok(())
    }

    /// Registers a [`VolumeDevice`] under the name its volume reports, and returns the shared
    /// handle so the test can inspect the volume later.
    ///
    /// # Errors
    /// As [`Sim::register_device`].
    pub fn register_volume<V>(
        &mut self,
        device: VolumeDevice<V>,
        options: DeviceOptions,
    ) -> Result<Arc<VolumeDevice<V>>, SimError>
    where
        V: MountdevVolume + Send + Sync + 'static,
    {
        let name = SimName::from_nt(device.volume().device_name());
        let shared = Arc::new(device);
        let dynamic: DeviceRef = shared.clone();
        self.namespace.register(name.clone(), dynamic, options)?;
        self.host(format!(
            "IoCreateDevice {name}{}",
            device_flags(options, Some("MOUNTDEV volume"))
        ));
        Ok(shared)
    }

    /// Clears `DO_DEVICE_INITIALIZING` on the device `name` (what a driver does before it tells the
    /// mount manager about the volume, §4.1).
    ///
    /// # Errors
    /// [`SimError::NoSuchDevice`].
    pub fn clear_initializing(&mut self, name: &str) -> Result<(), SimError> {
        let name = SimName::new(name);
        self.namespace.clear_initializing(&name)?;
        self.host(format!("clear DO_DEVICE_INITIALIZING on {name}"));
        Ok(())
    }

    /// `IoDeleteDevice(name)`. The mount manager is **not** told: a non-PnP volume never sends a
    /// removal notification, so its links stay (dangling) and its entry stays in the volume list
    /// until the driver sent DELETE_POINTS before deleting the device (§4.1, §8.7).
    ///
    /// # Errors
    /// [`SimError::NoSuchDevice`].
    pub fn remove_device(&mut self, name: &str) -> Result<(), SimError> {
        let name = SimName::new(name);
        let entry = self.namespace.remove(&name)?;
        self.seen_ids.remove(&(name.clone(), entry.generation));
        self.host(format!("IoDeleteDevice {name}"));
        Ok(())
    }

    /// The mount manager's removal processing for the volume whose device name is `device_name`
    /// (ReactOS `MountMgrMountedDeviceRemoval`): its links are deleted (kept, if
    /// KEEP_LINKS_WHEN_OFFLINE was sent), the database is untouched, the entry leaves the volume
    /// list. A PnP volume's interface removal triggers this; a non-PnP volume never does (§4.1),
    /// so this is a test hook. Returns whether the volume was known.
    pub fn notify_volume_removal(&mut self, device_name: &str) -> bool {
        let name = SimName::new(device_name);
        self.host(format!("volume removal notification for {name}"));
        match self.volume_index(&name) {
            Some(index) => {
                self.remove_volume_entry(index);
                true
            }
            None => false,
        }
    }

    /// `IoCreateSymbolicLink(link, target)` by a driver, past the mount manager (e.g. a fallback
    /// after a refused CREATE_POINT, or another volume's letter occupying a slot).
    ///
    /// # Errors
    /// `STATUS_OBJECT_NAME_COLLISION` when the link exists.
    pub fn create_symbolic_link(&mut self, link: &str, target: &str) -> Result<(), NtStatus> {
        let (link, target) = (SimName::new(link), SimName::new(target));
        self.namespace.create_link(&link, &target)?;
        self.host(format!("IoCreateSymbolicLink {} → {target}", link.global_key()));
        Ok(())
    }

    /// `IoDeleteSymbolicLink(link)`; whether the link existed.
    pub fn delete_symbolic_link(&mut self, link: &str) -> bool {
        let link = SimName::new(link);
        let existed = self.namespace.delete_link(&link);
        self.host(format!("IoDeleteSymbolicLink {}", link.global_key()));
        existed
    }

    /// Writes a `MountedDevices` value directly, as `regedit` would (e.g. a stale letter left by
    /// an earlier run).
    pub fn set_database_value(&mut self, name: &str, unique_id: &[u8]) {
        let name = SimName::new(name);
        self.db.set(&name, unique_id);
        self.host(format!("registry: {name} = {}", hex_id(unique_id)));
    }

    /// Deletes a `MountedDevices` value directly; whether it existed.
    pub fn remove_database_value(&mut self, name: &str) -> bool {
        let name = SimName::new(name);
        self.host(format!("registry: delete {name}"));
        self.db.remove(&name)
    }

    /// Switches automatic drive-letter assignment on or off (§4.2 step 7).
    pub fn set_automatic_drive_letters(&mut self, on: bool) {
        self.automatic_letters = on;
        self.host(format!("automatic drive letters {}", if on { "on" } else { "off" }));
    }

    /// Sets `NoAutoMount` directly (SET_AUTO_MOUNT does the same through an IOCTL).
    pub fn set_no_auto_mount(&mut self, on: bool) {
        self.no_auto_mount = on;
        self.host(format!("NoAutoMount = {}", u8::from(on)));
    }

    /// Whether automatic drive-letter assignment is on.
    pub fn automatic_drive_letters(&self) -> bool {
        self.automatic_letters
    }

    /// Whether `NoAutoMount` is set.
    pub fn no_auto_mount(&self) -> bool {
        self.no_auto_mount
    }

    /// A reboot: every device, link, volume entry, saved link and the unprocessed list are gone,
    /// the epic number starts again; the database and `NoAutoMount` (both in the registry) stay.
    /// Drivers register their devices again afterwards.
    pub fn reboot(&mut self) {
        self.namespace.clear();
        self.volumes.clear();
        self.unprocessed.clear();
        self.saved_links.clear();
        self.seen_ids.clear();
        self.ignored_ids.clear();
        self.pending_change_notifies = 0;
        self.epic = FIRST_EPIC;
        self.automatic_letters = self.config.automatic_drive_letters;
        self.host(format!("reboot (MountedDevices keeps {} values)", self.db.len()));
    }
}
