//! The control protocol between the `cryptdisk` CLI and the driver's control device
//! (`\\.\CryptDiskControl`): MOUNT, UNMOUNT and LIST, as validated zero-copy layouts shared by the
//! driver, the CLI and the fuzzers.
//!
//! Every request is `METHOD_BUFFERED` with read/write access on a device only Administrators and
//! SYSTEM can open. All integers are little-endian and every structure has alignment 1, so a
//! buffer from any caller parses the same way. Parsers check everything a hostile caller controls:
//! magic, version, flags, the drive letter, the cipher and key length, sizes (with checked
//! arithmetic) and the container path's length and form. The passphrase never crosses this
//! boundary: the CLI derives the master key in user mode and sends that.
//!
//! ```
//! use cryptdisk_core::control::{ControlRequest, MountOptions, MountCommandBuilder, IOCTL_CRYPTDISK_MOUNT};
//! use cryptdisk_core::uuid::Uuid;
//! use cryptdisk_core::key::MasterKey;
//! use cryptdisk_core::spec::CipherSpec;
//! use cryptdisk_core::xts::XtsKeySize;
//!
//! let key = MasterKey::from_slice(&[0x11; 32].iter().chain(&[0x22; 32]).copied().collect::<Vec<_>>())?;
//! let request = MountCommandBuilder {
//!     path: "\\??\\C:\\volumes\\work.luks",
//!     letter: Some(b'Z'),
//!     options: MountOptions { read_only: false, removable: false },
//!     cipher: CipherSpec::AesXtsPlain64 { key_size: XtsKeySize::Bits512 },
//!     key: &key,
//!     payload_offset: 4096,
//!     data_sectors: 2048,
//!     uuid: Uuid::parse(b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c")?,
//! }
//! .to_vec()?;
//! match ControlRequest::decode(IOCTL_CRYPTDISK_MOUNT, &request)? {
//!     ControlRequest::Mount(mount) => {
//!         assert_eq!(mount.path.to_string(), "\\??\\C:\\volumes\\work.luks");
//!         assert_eq!(mount.letter.map(|l| l.letter()), Some('Z'));
//!     }
//!     _ => unreachable!(),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod list;
mod mount;
mod path;
mod unmount;

pub use error::ControlError;
pub use list::{
    LIST_ENTRY_SIZE, LIST_HEADER_SIZE, ListEntry, ListEntryWire, ListHeader, ListReply, VolumeSummary, write_list_reply,
};
pub use mount::{
    MOUNT_COMMAND_FIXED_SIZE, MountCommand, MountCommandBuilder, MountCommandWire, MountOptions, MountReply,
    MountReplyFlags,
};
pub use path::validate_container_path;
pub use unmount::{UnmountRequest, UnmountRequestWire, UnmountTarget};

use mountdev::ioctl::{Access, DeviceType, Method, ctl_code};

/// `FILE_DEVICE_UNKNOWN`: the device type of the control device's private IOCTLs.
pub const FILE_DEVICE_UNKNOWN: DeviceType = DeviceType(0x22);

/// MOUNT: open a container and present it as a volume. Input [`MountCommandWire`] + path; output
/// [`MountReply`].
pub const IOCTL_CRYPTDISK_MOUNT: u32 = ctl_code(FILE_DEVICE_UNKNOWN, 0x800, Method::Buffered, Access::READ_WRITE);
/// UNMOUNT: take a volume away. Input [`UnmountRequestWire`]; no output.
pub const IOCTL_CRYPTDISK_UNMOUNT: u32 = ctl_code(FILE_DEVICE_UNKNOWN, 0x801, Method::Buffered, Access::READ_WRITE);
/// LIST: the mounted volumes. No input; output [`ListHeader`] + entries + paths.
pub const IOCTL_CRYPTDISK_LIST: u32 = ctl_code(FILE_DEVICE_UNKNOWN, 0x802, Method::Buffered, Access::READ_WRITE);

/// The control device's NT name.
pub const CONTROL_DEVICE_NAME: &str = "\\Device\\CryptDiskControl";
/// The control device's symbolic link, opened from user mode as `\\.\CryptDiskControl`.
pub const CONTROL_LINK_NAME: &str = "\\DosDevices\\CryptDiskControl";

/// `STATUS_WRONG_PASSWORD`: a MOUNT whose master key does not match the container's key digest
/// (LUKS1 `mk-digest`, LUKS2 the data segment's `pbkdf2` digest) completes with it.
pub const STATUS_WRONG_KEY: mountdev::NtStatus =
    mountdev::NtStatus::from_i32(i32::from_ne_bytes(0xC000_006A_u32.to_ne_bytes()));

/// Most PBKDF2 iterations of a key digest the driver computes for a MOUNT: 10^7. cryptsetup
/// sizes its digests to about 1/8 s of PBKDF2 on the machine that formats (LUKS1
/// `mk-digest-iter`, the LUKS2 digest alike), some 10^5 to 10^6 iterations on current CPUs; 10^7
/// leaves a tenfold margin for faster machines while bounding the time a crafted header holds
/// the driver's control worker (which serialises every MOUNT, UNMOUNT and LIST) to seconds, not
/// the minutes of the CLI's 10^8 key-slot limit. A MOUNT of a container whose digest asks for
/// more completes with `STATUS_NOT_SUPPORTED`.
pub const MAX_DIGEST_ITERATIONS: u32 = 10_000_000;

/// Protocol version written in every structure.
pub const PROTOCOL_VERSION: u16 = 1;

/// A decoded, validated control request.
#[derive(Debug)]
pub enum ControlRequest<'a> {
    /// MOUNT.
    Mount(MountCommand<'a>),
    /// UNMOUNT.
    Unmount(UnmountRequest),
    /// LIST.
    List,
}

impl<'a> ControlRequest<'a> {
    /// Decodes the input of a control-device IOCTL.
    ///
    /// # Errors
    /// [`ControlError::UnknownCode`] for a code that is not one of the three, or the request's
    /// own validation error.
    pub fn decode(code: u32, input: &'a [u8]) -> Result<Self, ControlError> {
        match code {
            IOCTL_CRYPTDISK_MOUNT => Ok(Self::Mount(MountCommand::parse(input)?)),
            IOCTL_CRYPTDISK_UNMOUNT => Ok(Self::Unmount(UnmountRequest::parse(input)?)),
            IOCTL_CRYPTDISK_LIST => Ok(Self::List),
            other => Err(ControlError::UnknownCode { code: other }),
        }
    }
}
