//! [`SimError`]: why a host-side action on the simulator (not an IOCTL) was refused.

use core::fmt;

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
