//! What a driver puts in the simulator's `\Device` directory: the [`SimDevice`] trait (its
//! `IRP_MJ_DEVICE_CONTROL`), the [`VolumeDevice`] adapter for any [`MountdevVolume`], and the
//! [`DeviceOptions`] of `IoCreateDevice`.

use alloc::sync::Arc;

use mountdev::ioctl::Ioctl;
use mountdev::layout::{PARTITION_STYLE_GPT, PartitionInformationEx, PartitionInformationGpt};
use mountdev::reply::write_fixed;
use mountdev::{Guid, IoBuffers, MountdevVolume, NtStatus, Reply, try_handle_mountdev};
use zerocopy::byteorder::little_endian::{U32, U64};
use zerocopy::{FromZeros, IntoBytes};

/// A device object's `IRP_MJ_DEVICE_CONTROL` handler, as the simulator calls it.
///
/// The simulator sends every request the way the I/O manager delivers a `METHOD_BUFFERED` IRP:
/// `io` holds the input and an output buffer of exactly the length the sender offered. The device
/// returns how it completed the IRP. The simulator then plays the I/O manager: it copies
/// `information` bytes back only when the status is not an error, and reports a reply whose
/// `information` exceeds the output as a conformance finding (`protocol.md` §3.1).
///
/// Any `Fn(u32, IoBuffers<'_>) -> Reply` closure is a device, which makes misbehaving volumes
/// short to write in tests:
///
/// ```
/// use mountdev::{IoBuffers, NtStatus, Reply};
/// use mountmgr_client::sim::SimDevice;
/// // A device that refuses everything, as a driver without MOUNTDEV support does.
/// let refuse = |_code: u32, _io: IoBuffers<'_>| Reply::error(NtStatus::INVALID_DEVICE_REQUEST);
/// let reply = refuse.device_io_control(0x004D_0008, IoBuffers::split(&[], &mut [0; 4]));
/// assert_eq!(reply.status, NtStatus::INVALID_DEVICE_REQUEST);
/// ```
pub trait SimDevice {
    /// Handles one device-control request.
    fn device_io_control(&self, code: u32, io: IoBuffers<'_>) -> Reply;
}

impl<F> SimDevice for F
where
    F: Fn(u32, IoBuffers<'_>) -> Reply,
{
    fn device_io_control(&self, code: u32, io: IoBuffers<'_>) -> Reply {
        self(code, io)
    }
}

/// A registered device, shared between the test (which may keep a clone to inspect it) and the
/// simulator. `Send + Sync` because a real device is called from the mount manager's threads
/// while it serves I/O on its own (`protocol.md` §8.8).
pub type DeviceRef = Arc<dyn SimDevice + Send + Sync>;

/// The `IoCreateDevice` / device-object flags the mount manager looks at.
///
/// ```
/// use mountmgr_client::sim::DeviceOptions;
/// let options = DeviceOptions::new().initializing(true).removable(true);
/// assert!(options.is_initializing() && options.is_removable());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceOptions {
    initializing: bool,
    removable: bool,
}

impl DeviceOptions {
    /// A ready, non-removable device.
    pub const fn new() -> Self {
        Self {
            initializing: false,
            removable: false,
        }
    }

    /// `DO_DEVICE_INITIALIZING` still set: opens fail with `STATUS_NO_SUCH_DEVICE` until
    /// [`super::Sim::clear_initializing`] (`protocol.md` §3.3, §4.1).
    pub const fn initializing(mut self, initializing: bool) -> Self {
        self.initializing = initializing;
        self
    }

    /// `FILE_REMOVABLE_MEDIA` in the device characteristics: the mount manager skips the GPT
    /// attribute query and assigns letters even with `NoAutoMount` (`protocol.md` §4.2 steps 1.1
    /// and 7).
    pub const fn removable(mut self, removable: bool) -> Self {
        self.removable = removable;
        self
    }

    /// Whether `DO_DEVICE_INITIALIZING` is set.
    pub const fn is_initializing(&self) -> bool {
        self.initializing
    }

    /// Whether the media is removable.
    pub const fn is_removable(&self) -> bool {
        self.removable
    }
}

/// Turns a [`MountdevVolume`] into a [`SimDevice`]: MOUNTDEV requests go to
/// [`mountdev::handle_mountdev`]'s logic, `IOCTL_VOLUME_ONLINE` succeeds (`protocol.md` §5.2: a
/// volume answers it with success and never pends it), `IOCTL_DISK_GET_PARTITION_INFO_EX` (a GPT
/// basic-data partition) and `IOCTL_VOLUME_GET_GPT_ATTRIBUTES` are answered only when attributes
/// were given with [`VolumeDevice::with_gpt_attributes`], and every other code (disk, storage, the rest of the volume set) gets `STATUS_INVALID_DEVICE_REQUEST`.
/// The sample disk device plugs its own full dispatch in through [`SimDevice`] instead.
///
/// ```
/// use mountdev::{MountdevVolume, NtName, UniqueId, nt_name};
/// use mountmgr_client::sim::VolumeDevice;
/// struct Vol;
/// impl MountdevVolume for Vol {
///     fn device_name(&self) -> NtName<'_> { nt_name!("\\Device\\XtsVolume1") }
///     fn unique_id(&self) -> UniqueId<'_> { UniqueId::new(b"xts-volume-1").unwrap() }
/// }
/// let device = VolumeDevice::new(Vol).with_gpt_attributes(1 << 63); // GPT "no drive letter"
/// assert_eq!(device.volume().device_name(), "\\Device\\XtsVolume1");
/// ```
#[derive(Debug)]
pub struct VolumeDevice<V> {
    volume: V,
    gpt_attributes: Option<u64>,
}

impl<V> VolumeDevice<V> {
    /// The adapter, answering no GPT attribute query.
    pub const fn new(volume: V) -> Self {
        Self {
            volume,
            gpt_attributes: None,
        }
    }

    /// Answers `IOCTL_DISK_GET_PARTITION_INFO_EX` with a GPT basic-data partition carrying
    /// `attributes`, and `IOCTL_VOLUME_GET_GPT_ATTRIBUTES` with them (bit 63 =
    /// `GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER`, `protocol.md` §5.2).
    pub const fn with_gpt_attributes(mut self, attributes: u64) -> Self {
        self.gpt_attributes = Some(attributes);
        self
    }

    /// The volume.
    pub const fn volume(&self) -> &V {
        &self.volume
    }
}

impl<V: MountdevVolume> SimDevice for VolumeDevice<V> {
    fn device_io_control(&self, code: u32, io: IoBuffers<'_>) -> Reply {
        let io = match try_handle_mountdev(&self.volume, code, io) {
            Ok(reply) => return reply,
            Err(io) => io,
        };
        match (Ioctl::decode(code), self.gpt_attributes) {
            (Ioctl::VolumeOnline, _) => Reply::success(0),
            (Ioctl::VolumeGetGptAttributes, Some(attributes)) => {
                write_fixed(io.into_output(), &attributes.to_le_bytes())
            }
            (Ioctl::DiskGetPartitionInfoEx, Some(attributes)) => {
                write_fixed(io.into_output(), gpt_partition(attributes).as_bytes())
            }
            _ => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
        }
    }
}

/// `PARTITION_INFORMATION_EX` of a GPT basic-data partition with `attributes`.
fn gpt_partition(attributes: u64) -> PartitionInformationEx {
    let mut info = PartitionInformationEx::new_zeroed();
    info.partition_style = U32::new(PARTITION_STYLE_GPT);
    info.partition_number = U32::new(1);
    let mut arm = PartitionInformationGpt::new_zeroed();
    arm.partition_type = BASIC_DATA.to_wire();
    arm.attributes = U64::new(attributes);
    // The arm is exactly the union's 112 bytes.
    let _ = arm.write_to_prefix(&mut info.union_area);
    info
}

/// `PARTITION_BASIC_DATA_GUID` {ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}.
const BASIC_DATA: Guid = Guid::new(
    0xEBD0_A0A2,
    0xB9E5,
    0x4433,
    [0x87, 0xC0, 0x68, 0xB6, 0xB7, 0x26, 0x99, 0xC7],
);

#[cfg(test)]
mod tests {
    use super::*;
    use mountdev::ioctl::{IOCTL_DISK_GET_LENGTH_INFO, IOCTL_VOLUME_GET_GPT_ATTRIBUTES, IOCTL_VOLUME_ONLINE};
    use mountdev::{NtName, UniqueId, nt_name};

    struct Vol;
    impl MountdevVolume for Vol {
        fn device_name(&self) -> NtName<'_> {
            nt_name!("\\Device\\V")
        }
        fn unique_id(&self) -> UniqueId<'_> {
            UniqueId::new(b"v").unwrap()
        }
    }

    #[test]
    fn adapter_answers_mountdev_online_and_gpt_only() {
        let plain = VolumeDevice::new(Vol);
        let mut out = [0u8; 8];
        let online = plain.device_io_control(IOCTL_VOLUME_ONLINE, IoBuffers::split(&[], &mut out));
        assert_eq!(online, Reply::success(0));
        let gpt = plain.device_io_control(IOCTL_VOLUME_GET_GPT_ATTRIBUTES, IoBuffers::split(&[], &mut out));
        assert_eq!(gpt.status, NtStatus::INVALID_DEVICE_REQUEST);
        let disk = plain.device_io_control(IOCTL_DISK_GET_LENGTH_INFO, IoBuffers::split(&[], &mut out));
        assert_eq!(disk.status, NtStatus::INVALID_DEVICE_REQUEST);
        let marked = VolumeDevice::new(Vol).with_gpt_attributes(1 << 63);
        let gpt = marked.device_io_control(IOCTL_VOLUME_GET_GPT_ATTRIBUTES, IoBuffers::split(&[], &mut out));
        assert_eq!(gpt, Reply::success(8));
        assert_eq!(out, (1u64 << 63).to_le_bytes());
    }
}
