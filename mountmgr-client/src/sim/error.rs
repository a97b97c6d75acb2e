//! [`SimError`]: why a host-side action on the simulator (not an IOCTL) was refused.

use core::fmt;

use mountdev::NtStatus;

use super::SimName;

/// Why the simulator refused an action of the test harness (registering a device, removing it,
/// writing the database). IOCTLs never produce this: they answer with an `NTSTATUS`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SimError {
    /// `IoCreateDevice` with a name that already exists (`STATUS_OBJECT_NAME_COLLISION`).
    NameCollision {
        /// The name asked for.
        name: SimName,
    },
    /// No device of that name is registered.
    NoSuchDevice {
        /// The name asked for.
        name: SimName,
    },
    /// A name the object manager cannot hold: empty.
    EmptyName,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NameCollision { name } => write!(f, "an object named {name} already exists"),
            Self::NoSuchDevice { name } => write!(f, "no device named {name} is registered"),
            Self::EmptyName => f.write_str("an object name cannot be empty"),
        }
    }
}

impl core::error::Error for SimError {}

impl SimError {
    /// The status the object manager refuses the same name with (`IoCreateDevice`,
    /// `IoCreateSymbolicLink`), for hosts that report the simulator's refusals as a kernel would.
    ///
    /// ```
    /// use mountmgr_client::mountdev::NtStatus;
    /// use mountmgr_client::sim::SimError;
    /// assert_eq!(SimError::EmptyName.status(), NtStatus::OBJECT_NAME_INVALID);
    /// ```
    pub const fn status(&self) -> NtStatus {
        match self {
            Self::NameCollision { .. } => NtStatus::OBJECT_NAME_COLLISION,
            Self::NoSuchDevice { .. } => NtStatus::OBJECT_NAME_NOT_FOUND,
            Self::EmptyName => NtStatus::OBJECT_NAME_INVALID,
        }
    }
}
