//! [`CreatePointRequest`]: `MOUNTMGR_CREATE_POINT_INPUT`.

use mountdev::layout::CreatePointInput;
use mountdev::{DriveLetterLink, NtName, VolumeGuidName};
use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::U16;

use super::write::{add, offset_u16, put, put_name, take_zeroed};
use super::{RequestError, WireRequest};

/// The input of `IOCTL_MOUNTMGR_CREATE_POINT`: the fixed 8-byte part, the link name at offset 8
/// and the device name right after it (`protocol.md` §2.9, the canonical packing).
///
/// Offsets are 16-bit, so a link name that pushes the device name's offset past 65535 is a
/// [`RequestError::OffsetOverflow`].
///
/// ```
/// use mountdev::{layout::CreatePointInput, nt_name, DriveLetterLink};
/// use mountmgr_client::{CreatePointRequest, WireRequest};
/// let z = DriveLetterLink::new(b'Z').unwrap();
/// let request = CreatePointRequest::drive_letter(&z, nt_name!("\\Device\\XtsVolume1"));
/// assert_eq!(request.required_len().unwrap(), 72);
/// let mut buf = [0u8; 72];
/// let input = request.write_into(&mut buf).unwrap();
/// let (_, link, device) = CreatePointInput::parse(&input).unwrap();
/// assert_eq!((link, device), (z.as_name(), nt_name!("\\Device\\XtsVolume1")));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_CREATE_POINT_INPUT")]
pub struct CreatePointRequest<'a> {
    /// The symbolic link to create: `\DosDevices\X:`, `\??\Volume{GUID}` or another name.
    pub symbolic_link_name: NtName<'a>,
    /// The volume's NT device name.
    pub device_name: NtName<'a>,
}

impl<'a> CreatePointRequest<'a> {
    /// The request to link `symbolic_link_name` to `device_name`.
    pub const fn new(symbolic_link_name: NtName<'a>, device_name: NtName<'a>) -> Self {
        Self {
            symbolic_link_name,
            device_name,
        }
    }

    /// The request for a drive letter.
    pub fn drive_letter(letter: &'a DriveLetterLink, device_name: NtName<'a>) -> Self {
        Self::new(letter.as_name(), device_name)
    }

    /// The request for a volume GUID name.
    pub fn volume_name(name: &'a VolumeGuidName, device_name: NtName<'a>) -> Self {
        Self::new(name.as_name(), device_name)
    }

    /// Offset of the device name: right after the link name.
    fn device_offset(&self) -> Result<usize, RequestError> {
        add(CreatePointInput::C_SIZEOF, self.symbolic_link_name.byte_len())
    }
}

impl WireRequest for CreatePointRequest<'_> {
    fn required_len(&self) -> Result<usize, RequestError> {
        let device_offset = self.device_offset()?;
        offset_u16("DeviceNameOffset", device_offset)?;
        add(device_offset, self.device_name.byte_len())
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let needed = self.required_len()?;
        let link_offset = CreatePointInput::C_SIZEOF;
        let device_offset = self.device_offset()?;
        let fixed = CreatePointInput {
            symbolic_link_name_offset: U16::new(offset_u16("SymbolicLinkNameOffset", link_offset)?),
            symbolic_link_name_length: U16::new(self.symbolic_link_name.byte_len_u16()),
            device_name_offset: U16::new(offset_u16("DeviceNameOffset", device_offset)?),
            device_name_length: U16::new(self.device_name.byte_len_u16()),
        };
        let out = take_zeroed(buf, needed)?;
        put(out, 0, fixed.as_bytes())?;
        put_name(out, link_offset, self.symbolic_link_name)?;
        put_name(out, device_offset, self.device_name)?;
        Ok(out)
    }
}
