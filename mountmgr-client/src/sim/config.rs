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
    pub(crate) mode: SimMode,
}

/// Which mount manager the simulator plays.
///
/// ```
/// use mountmgr_client::sim::{Sim, SimConfig, SimMode};
/// assert_eq!(SimConfig::new().mode_of(), SimMode::Windows);
/// let sim = Sim::with_config(SimConfig::new().mode(SimMode::Reactos));
/// assert_eq!(sim.mode(), SimMode::Reactos);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SimMode {
    /// Rule for rule ReactOS's mount manager (`drivers/storage/mountmgr/*.c`): every rule's doc
    /// comment names the ReactOS function it follows.
    Reactos,
    /// ReactOS plus what volume drivers have recorded about the mount manager of real Windows,
    /// each rule citing its public source (`docs/protocol.md` Errata 5): after a `DELETE_POINTS`
    /// with any filter other than a symbolic link the mount manager ignores later
    /// `VOLUME_ARRIVAL_NOTIFICATION`s for the same unique ID (VeraCrypt `Ntdriver.c`,
    /// `MountManagerUnmount`), and a device name re-used by a new device object replaces the
    /// entry of the deleted one (VeraCrypt re-uses `\Device\VeraCryptVolumeX` names across
    /// mounts, `Ntdriver.c` `MountManagerMount`). The default.
    #[default]
    Windows,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SimConfig {
    /// Seed 0, automatic drive letters on, auto-mount on, [`SimMode::Windows`].
    pub const fn new() -> Self {
        Self {
            guid_seed: 0,
            automatic_drive_letters: true,
            no_auto_mount: false,
            mode: SimMode::Windows,
        }
    }

    /// Which mount manager to play. Default [`SimMode::Windows`].
    pub const fn mode(mut self, mode: SimMode) -> Self {
        self.mode = mode;
        self
    }

    /// The mode this configuration plays.
    pub const fn mode_of(&self) -> SimMode {
        self.mode
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
}
