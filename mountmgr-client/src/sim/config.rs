//! [`SimConfig`]: the knobs a [`Sim`](super::Sim) is built with.

/// The knobs of a [`Sim`](super::Sim), fixed when it is built.
///
/// ```
/// use mountmgr_client::sim::{Sim, SimConfig};
/// let sim = Sim::with_config(SimConfig::new().guid_seed(42).no_auto_mount(true));
/// assert!(sim.no_auto_mount());
/// assert!(sim.automatic_drive_letters());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimConfig {
    pub(crate) guid_seed: u64,
    pub(crate) automatic_drive_letters: bool,
    pub(crate) no_auto_mount: bool,
    pub(crate) reactos_duplicate_check: bool,
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
