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
//! # Two modes
//!
//! [`SimMode::Reactos`] follows ReactOS's mount manager (`drivers/storage/mountmgr/*.c`) rule for
//! rule; each rule's doc comment names the ReactOS function it follows. [`SimMode::Windows`], the
//! default, adds what volume drivers have recorded about the mount manager of real Windows, each
//! rule citing its public source (`docs/protocol.md` Errata 5):
//!
//! - after a `DELETE_POINTS` whose filter is not a symbolic link, later
//!   `VOLUME_ARRIVAL_NOTIFICATION`s for the same unique ID are ignored (VeraCrypt `Ntdriver.c`,
//!   `MountManagerUnmount`);
//! - a device name re-used by a new device object replaces the deleted object's entry (VeraCrypt
//!   re-uses `\Device\VeraCryptVolumeX` names across mounts); ReactOS ignores such an arrival;
//! - `QUERY_POINTS` replies keep Wine's one-copy-per-record layout (the byte layout of Windows is
//!   not public), while the ReactOS mode writes ReactOS's shared-offset layout, so the client's
//!   parsers meet both.
//!
//! In both modes a manually registered (non-PnP) volume is never removed from the volume list:
//! ReactOS registers removal notifications only for PnP volumes (`MountMgrMountedDeviceArrival`),
//! and [`Sim::notify_volume_removal`] stands in for the PnP removal path.
//!
//! The Windows mode also follows MSDN where ReactOS departs from it: `UseOnlyIfThereAreNoOtherLinks`
//! suppresses a suggested letter when the database knows the volume (§4.3). Kept from MSDN in
//! both modes, with the reason in its doc comment: `CREATE_POINT` before the arrival asks the
//! device for its unique ID (ReactOS asks through the link being created, which cannot work,
//! `docs/protocol.md` §4.4).
//!
//! # What is modelled
//!
//! Sources: `docs/protocol.md` §2, §3 and §4 and its Errata, which rest on the ReactOS mount
//! manager, kernel32's `mntpoint.c`, Microsoft's documentation and what VeraCrypt records. Every
//! modelled rule cites its source in a comment next to the code.
//!
//! - **Devices** ([`SimDevice`], [`VolumeDevice`]): a `\Device` directory; a device is opened the
//!   way `IoGetDeviceObjectPointer` opens it: exact names (ASCII case aside; a counted terminator
//!   or a typo is another name: `STATUS_OBJECT_NAME_NOT_FOUND`), `DO_DEVICE_INITIALIZING`
//!   (`STATUS_NO_SUCH_DEVICE`), removal (§3.3, §4.1, §4.7).
//! - **Arrival** (VOLUME_ARRIVAL_NOTIFICATION, CHECK_UNPROCESSED_VOLUMES): the steps of §4.2:
//!   partition information (GPT attributes, EFI system partition), device name, unique ID, stable
//!   GUID, suggested link; the duplicate check; links recreated from the database; the volume GUID
//!   name; the automatic drive letter; the link notifications, VOLUME_ONLINE (when auto-mount is
//!   on or the database gave a letter), the unique-ID change notification. The epic number does
//!   not change. A volume that answers a mandatory query wrongly lands on the unprocessed list
//!   (§3.3).
//! - **Mount points** (CREATE_POINT, DELETE_POINTS, DELETE_POINTS_DBONLY, QUERY_POINTS): the
//!   validation and matching rules of §3.4, §4.4, §4.6 and §4.6a, selected from memory only (a
//!   device name is opened first; a unique ID selects its first volume); the one-drive-letter
//!   rule; CREATE_POINT before arrival (MSDN); the `#{GUID}` "no drive letter" markers; links
//!   DELETE_POINTS_DBONLY marks offline.
//! - **The rest of the IOCTL set**: NEXT_DRIVE_LETTER, QUERY_DOS_VOLUME_PATH(S) (`Z:`, without
//!   the backslash kernel32 adds), KEEP_LINKS_WHEN_OFFLINE, CHANGE_NOTIFY (pends on the current
//!   epic number), QUERY/SET_AUTO_MOUNT, SCRUB_REGISTRY, AUTO_DL_ASSIGNMENTS (assigns letters to
//!   the volumes already present). Any other code gets `STATUS_INVALID_DEVICE_REQUEST`.
//! - **Reboots** ([`Sim::reboot`]): devices, links, the volume list, ignored unique IDs and the
//!   epic number go; the database and the auto-mount setting stay.
//! - **Win32** ([`Sim::volume_name_for_mount_point`], [`Sim::resolve_drive_letter`],
//!   [`Sim::volume_paths`]): what `GetVolumeNameForVolumeMountPoint` and
//!   `GetVolumePathNamesForVolumeName` do on top of the mount manager (§7), failing the way they
//!   fail when the mount manager does not know a volume.
//!
//! # What is not modelled
//!
//! PnP volumes (interface arrival and target-device removal notifications: every volume arrives
//! through VOLUME_ARRIVAL_NOTIFICATION, as a non-PnP driver's do; [`Sim::notify_volume_removal`]
//! stands in for the removal path), the FT-partition queries of §4.2 step 1.2, the remote
//! database and reparse-point index of step 10 (no file system mounts here), directory mount
//! points (VOLUME_MOUNT_POINT_CREATED/DELETED), per-session DosDevices directories and access
//! checks on the IOCTL codes. The transport is synchronous: a CHANGE_NOTIFY that pends answers
//! `STATUS_PENDING` and is counted ([`Sim::pending_change_notifications`]), and a pended
//! UNIQUE_ID_CHANGE_NOTIFY is recorded and never completed.
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

mod arrival;
mod config;
mod control;
mod database;
mod describe;
mod device;
mod dispatch;
mod error;
mod filter;
mod findings;
mod guid;
mod host;
mod inspect;
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
use alloc::vec;
use alloc::vec::Vec;

use mountdev::Reply;

pub use config::{SimConfig, SimMode};
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
    /// Unique IDs whose arrivals are ignored until the next reboot ([`SimMode::Windows`] only:
    /// a `DELETE_POINTS` with a filter other than a symbolic link was sent for them).
    ignored_ids: Vec<Vec<u8>>,
    /// CHANGE_NOTIFY requests pending on the current epic number.
    pending_change_notifies: usize,
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
            ignored_ids: Vec::new(),
            pending_change_notifies: 0,
            seen_ids: BTreeMap::new(),
            depth: 0,
        }
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

    /// Something changed that CHANGE_NOTIFY waiters must hear about (ReactOS `MountMgrNotify`,
    /// called by `MountMgrCreatePointWorker` and `MountMgrDeletePoints`; not by the arrival,
    /// `docs/protocol.md` Errata 4).
    fn bump_epic(&mut self) {
        self.epic = self.epic.wrapping_add(1);
        if self.pending_change_notifies > 0 {
            self.note(format!(
                "{} pending CHANGE_NOTIFY completed with epic number {}",
                self.pending_change_notifies, self.epic
            ));
            self.pending_change_notifies = 0;
        }
    }

    /// How many CHANGE_NOTIFY requests pend on the current epic number.
    pub fn pending_change_notifications(&self) -> usize {
        self.pending_change_notifies
    }

    /// The entry whose device name is `device_name`.
    fn volume_index(&self, device_name: &SimName) -> Option<usize> {
        self.volumes.iter().position(|v| v.device_name == *device_name)
    }

    /// The mount manager this simulator plays.
    pub fn mode(&self) -> SimMode {
        self.config.mode
    }

    /// Whether the entry at `index` was made for another device object than `opened` (the name
    /// was re-used after `IoDeleteDevice`) and is therefore replaced. [`SimMode::Windows`]:
    /// VeraCrypt re-uses `\Device\VeraCryptVolumeX` names across mounts and each mount gets its
    /// volume processed (`Ntdriver.c` `MountManagerMount`), so a new object under a known name
    /// replaces the old entry. [`SimMode::Reactos`]: never; ReactOS's
    /// `MountMgrMountedDeviceArrival` ignores any arrival whose device name is in its list
    /// (`protocol.md` §4.2 step 3).
    fn is_stale(&self, index: usize, opened: &namespace::Opened) -> bool {
        self.config.mode == SimMode::Windows
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
