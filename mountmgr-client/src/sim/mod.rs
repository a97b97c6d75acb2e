//! A behavioural mount-manager simulator: the Windows Mount Manager's MOUNTDEV handling, in user
//! mode, under `cargo test`.
//!
//! Kernel debugging is where driver authors lose days: every theory about the mount manager costs
//! a reboot. [`Sim`] answers the mount-manager IOCTLs a driver sends (it implements
//! [`Transport`], so the real client code drives it), talks to registered volumes exactly the way
//! the mount manager does (the 4-byte probes, the retry after `STATUS_BUFFER_OVERFLOW`, the
//! link notifications), keeps the state the mount manager keeps (the `\GLOBAL??` links, the
//! `MountedDevices` database, its list of volumes and of volumes it gave up on), records a
//! readable [`Trace`] of every IOCTL in both directions, and reports every protocol rule a
//! volume breaks as a [`Finding`].
//!
//! # What is modelled
//!
//! Sources: `protocol.md` §2, §3 and §4, which in turn rest on the ReactOS mount manager
//! (`drivers/storage/mountmgr`), kernel32's `mntpoint.c` and Microsoft's documentation. Every
//! modelled rule cites its section in a comment next to the code. Where ReactOS and Microsoft's
//! documentation disagree, the simulator follows the documentation and the comment says so.
//!
//! - **Devices** ([`SimDevice`], [`VolumeDevice`]): a `\Device` directory; a device is opened the
//!   way `IoGetDeviceObjectPointer` opens it: exact names (ASCII case aside; a counted terminator
//!   or a typo is another name: `STATUS_OBJECT_NAME_NOT_FOUND`), `DO_DEVICE_INITIALIZING`
//!   (`STATUS_NO_SUCH_DEVICE`), removal (§3.3, §4.1, §4.7).
//! - **Arrival** (VOLUME_ARRIVAL_NOTIFICATION, CHECK_UNPROCESSED_VOLUMES): the steps of §4.2:
//!   GPT attributes, device name, unique ID, stable GUID, suggested link; the duplicate check;
//!   links recreated from the database; the volume GUID name; the automatic drive letter; the link
//!   notifications, VOLUME_ONLINE, the unique-ID change notification; the epic number. A volume
//!   that answers a mandatory query wrongly lands on the unprocessed list (§3.3).
//! - **Mount points** (CREATE_POINT, DELETE_POINTS, DELETE_POINTS_DBONLY, QUERY_POINTS): the
//!   validation and matching rules of §3.4, §4.4, §4.6 and §4.6a; the one-drive-letter rule;
//!   CREATE_POINT before arrival (MSDN); the `#{GUID}` "no drive letter" markers.
//! - **The rest of the IOCTL set**: NEXT_DRIVE_LETTER, QUERY_DOS_VOLUME_PATH(S),
//!   KEEP_LINKS_WHEN_OFFLINE, CHANGE_NOTIFY, QUERY/SET_AUTO_MOUNT, SCRUB_REGISTRY,
//!   AUTO_DL_ASSIGNMENTS. Any other code gets `STATUS_INVALID_DEVICE_REQUEST`.
//! - **Reboots** ([`Sim::reboot`]): devices, links, the volume list and the epic number go; the
//!   database and the auto-mount setting stay.
//! - **Win32** ([`Sim::volume_name_for_mount_point`], [`Sim::resolve_drive_letter`],
//!   [`Sim::volume_paths`]): what `GetVolumeNameForVolumeMountPoint` and
//!   `GetVolumePathNamesForVolumeName` do on top of the mount manager (§7), failing the way they
//!   fail when the mount manager does not know a volume.
//!
//! # What is not modelled
//!
//! PnP volumes (interface arrival and target-device removal notifications: every volume arrives
//! through VOLUME_ARRIVAL_NOTIFICATION, as a non-PnP driver's do; [`Sim::notify_volume_removal`]
//! stands in for the removal path), the partition / FT queries of §4.2 step 1.2, the remote
//! database and reparse-point index of step 10 (no file system mounts here), directory mount
//! points (VOLUME_MOUNT_POINT_CREATED/DELETED), offline volumes, per-session DosDevices
//! directories, access checks on the IOCTL codes, and anything that pends: CHANGE_NOTIFY with the
//! current epic number completes at once with `STATUS_CANCELLED` (what the real mount manager
//! answers when the waiter is cancelled), and a pended UNIQUE_ID_CHANGE_NOTIFY is recorded and
//! never completed.
//!
//! # Example
//!
//! Register a volume, send CREATE_POINT then VOLUME_ARRIVAL_NOTIFICATION through [`Transport`],
//! resolve `Z:` and print the trace:
//!
//! ```
//! use mountdev::layout::{CreatePointInput, TargetName};
//! use mountdev::ioctl::{IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION};
//! use mountdev::{Guid, MountdevVolume, NtName, NtStatus, UniqueId, nt_name};
//! use mountmgr_client::Transport;
//! use mountmgr_client::sim::{DeviceOptions, Sim, VolumeDevice};
//!
//! struct XtsVolume;
//! impl MountdevVolume for XtsVolume {
//!     fn device_name(&self) -> NtName<'_> { nt_name!("\\Device\\XtsVolume1") }
//!     fn unique_id(&self) -> UniqueId<'_> { UniqueId::new(b"xts-container-0001").unwrap() }
//!     fn stable_guid(&self) -> Option<Guid> { "{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}".parse().ok() }
//! }
//!
//! let mut sim = Sim::new();
//! sim.register_volume(VolumeDevice::new(XtsVolume), DeviceOptions::new()).unwrap();
//!
//! // CREATE_POINT(\DosDevices\Z:, \Device\XtsVolume1): protocol.md §8 item 12, 72 bytes.
//! let (link, device) = (nt_name!("\\DosDevices\\Z:"), nt_name!("\\Device\\XtsVolume1"));
//! let mut input = vec![8, 0, 28, 0, 36, 0, 36, 0];
//! input.extend_from_slice(link.as_le_bytes());
//! input.extend_from_slice(device.as_le_bytes());
//! let reply = sim.device_io_control(IOCTL_MOUNTMGR_CREATE_POINT, &input, &mut []);
//! assert_eq!(reply.status, NtStatus::SUCCESS);
//!
//! // VOLUME_ARRIVAL_NOTIFICATION(\Device\XtsVolume1): 38 bytes.
//! let mut arrival = vec![36, 0];
//! arrival.extend_from_slice(device.as_le_bytes());
//! let reply = sim.device_io_control(IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION, &arrival, &mut []);
//! assert_eq!(reply.status, NtStatus::SUCCESS);
//!
//! // What Win32 sees: Z: → \\?\Volume{<the stable GUID>}\ → \Device\XtsVolume1.
//! let resolved = sim.resolve_drive_letter('Z').unwrap();
//! assert_eq!(resolved.volume_name, "\\\\?\\Volume{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}\\");
//! assert_eq!(resolved.device_name, "\\Device\\XtsVolume1");
//! assert_eq!(sim.volume_paths(&resolved.volume_name).unwrap(), ["Z:\\"]);
//! assert!(sim.findings().is_empty());
//! println!("{}", sim.trace());
//! ```
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod arrival;
mod control;
mod database;
mod describe;
mod device;
mod dispatch;
mod error;
mod filter;
mod findings;
mod guid;
mod name;
mod namespace;
mod paths;
mod points;
mod query;
mod resolve;
mod trace;
mod volume;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use mountdev::{MountdevVolume, Reply};

pub use database::Database;
pub use device::{DeviceOptions, DeviceRef, SimDevice, VolumeDevice};
pub use error::SimError;
pub use findings::{Finding, Rule};
pub use name::SimName;
pub use resolve::{Resolution, ResolveError};
pub use trace::{Party, Trace, TraceEvent};
pub use volume::MountedVolume;

use self::describe::{describe_input, describe_output};
use self::guid::GuidSource;
use self::namespace::Namespace;
use crate::Transport;

/// The knobs of a [`Sim`], fixed when it is built.
///
/// ```
/// use mountmgr_client::sim::{Sim, SimConfig};
/// let sim = Sim::with_config(SimConfig::new().guid_seed(42).no_auto_mount(true));
/// assert!(sim.no_auto_mount());
/// assert!(sim.automatic_drive_letters());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimConfig {
    guid_seed: u64,
    automatic_drive_letters: bool,
    no_auto_mount: bool,
    reactos_duplicate_check: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SimConfig {
    /// Seed 0, automatic drive letters on, auto-mount on, Windows-observed duplicate handling.
    pub const fn new() -> Self {
        Self {
            guid_seed: 0,
            automatic_drive_letters: true,
            no_auto_mount: false,
            reactos_duplicate_check: false,
        }
    }

    /// Seed of the generated GUIDs (volume names without a stable GUID, `#{GUID}` markers): the
    /// same seed and requests give the same names, never the clock.
    pub const fn guid_seed(mut self, seed: u64) -> Self {
        self.guid_seed = seed;
        self
    }

    /// Whether automatic drive-letter assignment is switched on (what the system does once at
    /// boot with IOCTL_MOUNTMGR_AUTO_DL_ASSIGNMENTS, `protocol.md` §1.3, §4.2 step 7). Default on.
    pub const fn automatic_drive_letters(mut self, on: bool) -> Self {
        self.automatic_drive_letters = on;
        self
    }

    /// The `NoAutoMount` setting (`mountvol /N`): no automatic letters for non-removable volumes
    /// (§4.2 step 7). Default off.
    pub const fn no_auto_mount(mut self, on: bool) -> Self {
        self.no_auto_mount = on;
        self
    }

    /// ReactOS's duplicate-device-name rule (§4.2 step 3, ReactOS-specific): an arrival whose
    /// device name is already in the volume list is ignored with success, even when the old entry
    /// belongs to a device object that was deleted and the name re-used. Default off: VeraCrypt
    /// re-uses `\Device\VeraCryptVolumeX` names successfully on Windows, so by default a new
    /// device object under a known name replaces the stale entry; a second arrival of the *same*
    /// device object is ignored either way.
    pub const fn reactos_duplicate_check(mut self, on: bool) -> Self {
        self.reactos_duplicate_check = on;
        self
    }
}

/// A link the mount manager kept for a removed volume (KEEP_LINKS_WHEN_OFFLINE): it stays in
/// `\GLOBAL??` and is redirected when the same unique ID arrives again.
#[derive(Clone, Debug)]
struct SavedLink {
    link: SimName,
    unique_id: Vec<u8>,
}

/// The simulated mount manager, its object namespace and its database.
///
/// Drive it with IOCTLs through [`Transport`]; set up and inspect it with its methods. See the
/// [module documentation](self) for what it models.
pub struct Sim {
    config: SimConfig,
    namespace: Namespace,
    db: Database,
    volumes: Vec<MountedVolume>,
    unprocessed: Vec<SimName>,
    saved_links: Vec<SavedLink>,
    epic: u32,
    guids: GuidSource,
    no_auto_mount: bool,
    automatic_letters: bool,
    trace: Trace,
    findings: Vec<Finding>,
    /// The unique ID each device object last reported (name, generation) → ID (§4.5).
    seen_ids: BTreeMap<(SimName, u64), Vec<u8>>,
    /// Trace nesting of the request being handled.
    depth: usize,
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for Sim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sim")
            .field("config", &self.config)
            .field("volumes", &self.volumes)
            .field("database", &self.db)
            .field("unprocessed", &self.unprocessed)
            .field("epic", &self.epic)
            .finish_non_exhaustive()
    }
}

/// ` (what, DO_DEVICE_INITIALIZING, removable)` for the trace line of a registration.
fn device_flags(options: DeviceOptions, what: Option<&str>) -> alloc::string::String {
    let flags: Vec<&str> = what
        .into_iter()
        .chain(options.is_initializing().then_some("DO_DEVICE_INITIALIZING"))
        .chain(options.is_removable().then_some("removable"))
        .collect();
    if flags.is_empty() {
        alloc::string::String::new()
    } else {
        format!(" ({})", flags.join(", "))
    }
}

/// The epic number the mount manager starts with (ReactOS `DriverEntry`).
const FIRST_EPIC: u32 = 1;

impl Sim {
    /// A freshly booted mount manager with the default [`SimConfig`].
    pub fn new() -> Self {
        Self::with_config(SimConfig::new())
    }

    /// A freshly booted mount manager with `config`.
    pub fn with_config(config: SimConfig) -> Self {
        Self {
            config,
            namespace: Namespace::default(),
            db: Database::default(),
            volumes: Vec::new(),
            unprocessed: Vec::new(),
            saved_links: Vec::new(),
            epic: FIRST_EPIC,
            guids: GuidSource::new(config.guid_seed),
            no_auto_mount: config.no_auto_mount,
            automatic_letters: config.automatic_drive_letters,
            trace: Trace::default(),
            findings: Vec::new(),
            seen_ids: BTreeMap::new(),
            depth: 0,
        }
    }

    // ---- devices -------------------------------------------------------------------------------

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
    pub fn create_symbolic_link(&mut self, link: &str, target: &str) -> Result<(), mountdev::NtStatus> {
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

    // ---- database and settings -----------------------------------------------------------------

    /// Writes a `MountedDevices` value directly, as `regedit` would (e.g. a stale letter left by
    /// an earlier run).
    pub fn set_database_value(&mut self, name: &str, unique_id: &[u8]) {
        let name = SimName::new(name);
        self.db.set(&name, unique_id);
        self.host(format!("registry: {name} = {}", describe::hex_id(unique_id)));
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
        self.epic = FIRST_EPIC;
        self.automatic_letters = self.config.automatic_drive_letters;
        self.host(format!("reboot (MountedDevices keeps {} values)", self.db.len()));
    }

    // ---- inspection ----------------------------------------------------------------------------

    /// The `MountedDevices` database.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The volumes the mount manager has processed, in arrival order.
    pub fn volumes(&self) -> &[MountedVolume] {
        &self.volumes
    }

    /// The processed volume whose device name is `device_name`.
    pub fn volume(&self, device_name: &str) -> Option<&MountedVolume> {
        self.volume_index(&SimName::new(device_name))
            .and_then(|index| self.volumes.get(index))
    }

    /// The names of volumes whose arrival failed and that CHECK_UNPROCESSED_VOLUMES would retry.
    pub fn unprocessed(&self) -> &[SimName] {
        &self.unprocessed
    }

    /// The target of a symbolic link (`\DosDevices\Z:`, `\??\Volume{…}`, `\GLOBAL??\Z:`).
    pub fn link_target(&self, link: &str) -> Option<&SimName> {
        self.namespace.link_target(&SimName::new(link))
    }

    /// Every link in `\GLOBAL??` (named `\GLOBAL??\…`) and its target.
    pub fn links(&self) -> impl Iterator<Item = (&SimName, &SimName)> {
        self.namespace.links()
    }

    /// The drive letters that exist in `\GLOBAL??`, whoever created them.
    pub fn drive_letters(&self) -> Vec<char> {
        self.namespace
            .links()
            .filter_map(|(key, _)| {
                let rest = key.units().get(name::GLOBAL_DIR.len()..)?;
                match rest {
                    [letter, colon] if colon.get() == u16::from(b':') => u8::try_from(letter.get())
                        .ok()
                        .filter(u8::is_ascii_uppercase)
                        .map(char::from),
                    _ => None,
                }
            })
            .collect()
    }

    /// The names in the `\Device` directory.
    pub fn device_names(&self) -> Vec<SimName> {
        self.namespace.devices().map(|(name, _)| name.clone()).collect()
    }

    /// The epic number (bumped by every mount-point change, §4.2 step 11).
    pub fn epic_number(&self) -> u32 {
        self.epic
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Empties the trace.
    pub fn clear_trace(&mut self) {
        self.trace.clear();
    }

    /// Every conformance finding so far (each distinct finding once).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings of `rule`.
    pub fn findings_of(&self, rule: Rule) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.rule == rule).collect()
    }

    /// Returns the findings and forgets them.
    pub fn take_findings(&mut self) -> Vec<Finding> {
        core::mem::take(&mut self.findings)
    }

    // ---- internals shared by the request handlers ----------------------------------------------

    /// Handles one request to `\Device\MountPointManager` from `caller`, playing the I/O manager
    /// around it: the handler writes into a system buffer, and `information` bytes are copied back
    /// to `output` only for a status that is not an error (`protocol.md` §3.1).
    fn mm_request(&mut self, caller: Party, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.trace.push(TraceEvent::Request {
            caller,
            code,
            input: describe_input(code, input),
            output_len: output.len(),
        });
        let outer = self.depth;
        self.depth = 1;
        let mut system = vec![0u8; output.len()];
        let mut reply = self.dispatch(code, input, &mut system);
        self.depth = outer;
        reply.information = reply.information.min(output.len());
        let copied = if reply.status.copies_output() {
            let valid = system.get(..reply.information).unwrap_or(&[]);
            if let Some(dst) = output.get_mut(..valid.len()) {
                dst.copy_from_slice(valid);
            }
            describe_output(code, valid)
        } else {
            reply.information = 0;
            alloc::string::String::new()
        };
        self.trace.push(TraceEvent::Completion {
            code,
            status: reply.status,
            information: reply.information,
            output: copied,
        });
        reply
    }

    /// Records a decision of the mount manager.
    fn note(&mut self, text: alloc::string::String) {
        self.trace.push(TraceEvent::Note {
            depth: self.depth,
            text,
        });
    }

    /// Records a harness action.
    fn host(&mut self, text: alloc::string::String) {
        self.trace.push(TraceEvent::Host { text });
    }

    /// Records a finding (once per distinct finding in the list, at every occurrence in the trace).
    fn report(&mut self, finding: Finding) {
        self.trace.push(TraceEvent::Finding {
            depth: self.depth,
            finding: finding.clone(),
        });
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    /// A name in a client's request that holds a NUL: its length counts a terminator, so the
    /// object manager looks for another, nonexistent name (§2.1, §4.7, §8.1).
    fn check_request_name(&mut self, what: &str, name: &SimName) {
        if name.has_nul() {
            let detail = format!(
                "the {what} of the request is \"{name}\" ({} bytes): its length counts a terminator, so it names \
                 another object (§4.7){}",
                name.byte_len(),
                if name.trimmed_of_nuls().drive_letter().is_some() {
                    " and is no drive letter (§2.18)"
                } else {
                    ""
                }
            );
            self.report(Finding::new(Rule::NulInName, name.text(), detail));
        }
    }

    /// Something changed that CHANGE_NOTIFY waiters must hear about (§4.2 step 11, §4.4).
    fn bump_epic(&mut self) {
        self.epic = self.epic.wrapping_add(1);
    }

    /// The entry whose device name is `device_name`.
    fn volume_index(&self, device_name: &SimName) -> Option<usize> {
        self.volumes.iter().position(|v| v.device_name == *device_name)
    }

    /// Whether the entry at `index` was made for another device object than `opened` (the name
    /// was re-used after `IoDeleteDevice`) and is therefore replaced, which is the default;
    /// with [`SimConfig::reactos_duplicate_check`] no entry is ever stale (§4.2 step 3).
    fn is_stale(&self, index: usize, opened: &namespace::Opened) -> bool {
        !self.config.reactos_duplicate_check
            && self
                .volumes
                .get(index)
                .is_some_and(|v| v.generation != opened.generation)
    }

    /// Removal processing (ReactOS `MountMgrMountedDeviceRemoval`): deletes the entry's links
    /// from `\GLOBAL??` unless the volume asked to keep them, keeps the database.
    fn remove_volume_entry(&mut self, index: usize) {
        if index >= self.volumes.len() {
            return;
        }
        let volume = self.volumes.remove(index);
        for link in &volume.links {
            if self.namespace.link_target(link) != Some(&volume.device_name) {
                continue;
            }
            if volume.keep_links {
                self.saved_links.push(SavedLink {
                    link: link.clone(),
                    unique_id: volume.unique_id.clone(),
                });
                self.note(format!("link {} kept (KEEP_LINKS_WHEN_OFFLINE)", link.global_key()));
            } else {
                self.namespace.delete_link(link);
                self.note(format!("link {} deleted", link.global_key()));
            }
        }
        self.note(format!("{} leaves the volume list", volume.device_name));
    }
}

impl Transport for Sim {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        self.mm_request(Party::Client, code, input, output)
    }
}
