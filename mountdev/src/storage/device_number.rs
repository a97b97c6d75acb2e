//! [`DeviceNumberClaim`]: whether, and with which number, a virtual disk answers
//! `IOCTL_STORAGE_GET_DEVICE_NUMBER`.
//!
//! Tools that list drives ask every volume for its device number and then open
//! `\\.\PhysicalDrive<DeviceNumber>`; a volume that fails the request can break such enumerations
//! (balena-io drivelist #198, #200, `protocol.md` §7.3), and one that answers with a small number
//! makes them treat a real disk as the virtual one (Dokany answers 0, which is `PhysicalDrive0`).
//!
//! The choice made here:
//! - **Default: no claim.** The request is rejected with `STATUS_INVALID_DEVICE_REQUEST`, as
//!   VeraCrypt does. Nothing can collide, and callers that tolerate failure (FastFAT, the mount
//!   manager) continue.
//! - **Claim:** the driver chooses a number in [`DeviceNumberClaim::VIRTUAL_RANGE`]
//!   (`0x1000_0000..=0x7FFF_FFFF`). Windows numbers real disks from 0 up, one per disk, so no real
//!   disk reaches 268 million; the range also stays below `0x8000_0000`, so tools that read the
//!   field as a signed `int` still see a positive number, and it excludes `0xFFFF_FFFF`, the "no
//!   number" marker. The reply is `DeviceType = FILE_DEVICE_DISK`, the claimed `DeviceNumber`, and
//!   `PartitionNumber = 1`, the partition number the partition queries report. Opening
//!   `\\.\PhysicalDrive<number>` then fails cleanly instead of reaching a real disk.

/// A device number a virtual disk claims for `IOCTL_STORAGE_GET_DEVICE_NUMBER`; validated by
/// [`crate::storage::DiskDescription::new`] to lie in [`Self::VIRTUAL_RANGE`].
///
/// ```
/// use mountdev::storage::DeviceNumberClaim;
/// let claim = DeviceNumberClaim::from_index(3);
/// assert_eq!(claim.device_number, 0x1000_0003);
/// assert!(DeviceNumberClaim::VIRTUAL_RANGE.contains(&claim.device_number));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeviceNumberClaim {
    /// `DeviceNumber`; must lie in [`Self::VIRTUAL_RANGE`].
    pub device_number: u32,
}

impl DeviceNumberClaim {
    /// Device numbers that cannot collide with real disks (see the module documentation).
    pub const VIRTUAL_RANGE: core::ops::RangeInclusive<u32> = 0x1000_0000..=0x7FFF_FFFF;

    /// The `index`-th number of the range: a driver that numbers its volumes (0, 1, 2, ...) gets
    /// distinct, valid device numbers.
    pub const fn from_index(index: u16) -> Self {
        Self {
            device_number: 0x1000_0000 | index as u32,
        }
    }

    /// Whether the number lies in [`Self::VIRTUAL_RANGE`].
    pub const fn is_valid(&self) -> bool {
        self.device_number >= *Self::VIRTUAL_RANGE.start() && self.device_number <= *Self::VIRTUAL_RANGE.end()
    }
}
