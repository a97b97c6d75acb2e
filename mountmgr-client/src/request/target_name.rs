//! [`TargetNameRequest`]: `MOUNTMGR_TARGET_NAME` / `MOUNTMGR_DRIVE_LETTER_TARGET`.

use mountdev::NtName;
use mountdev::layout::TargetName;
use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::U16;

use super::write::{add, put, put_name, take_zeroed};
use super::{RequestError, WireRequest};

/// The input `MOUNTMGR_TARGET_NAME`: `DeviceNameLength` and the device name (`protocol.md` §2.8).
///
/// It is the input of `VOLUME_ARRIVAL_NOTIFICATION`, `KEEP_LINKS_WHEN_OFFLINE`,
/// `QUERY_DOS_VOLUME_PATH(S)`, `PREPARE_VOLUME_DELETE` and `CANCEL_VOLUME_DELETE`; the identically
/// shaped `MOUNTMGR_DRIVE_LETTER_TARGET` of `NEXT_DRIVE_LETTER` is the same builder
/// ([`DriveLetterTargetRequest`]). The input is `2 + DeviceNameLength` bytes.
///
/// ```
/// use mountdev::{layout::TargetName, nt_name};
/// use mountmgr_client::{TargetNameRequest, WireRequest};
/// let request = TargetNameRequest::new(nt_name!("\\Device\\XtsVolume1"));
/// let mut buf = [0u8; 64];
/// let input = request.write_into(&mut buf).unwrap();
/// assert_eq!(input.len(), 38);
/// assert_eq!(&input[..2], &[0x24, 0]);
/// assert_eq!(TargetName::parse(input).unwrap().device_name().unwrap(), "\\Device\\XtsVolume1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_TARGET_NAME")]
pub struct TargetNameRequest<'a> {
    /// The volume's NT device name, e.g. `\Device\XtsVolume1`.
    pub device_name: NtName<'a>,
}

/// `MOUNTMGR_DRIVE_LETTER_TARGET` (input of `NEXT_DRIVE_LETTER`) has the shape of
/// `MOUNTMGR_TARGET_NAME`.
#[doc(alias = "MOUNTMGR_DRIVE_LETTER_TARGET")]
pub type DriveLetterTargetRequest<'a> = TargetNameRequest<'a>;

impl<'a> TargetNameRequest<'a> {
    /// The request for `device_name`.
    pub const fn new(device_name: NtName<'a>) -> Self {
        Self { device_name }
    }
}

impl WireRequest for TargetNameRequest<'_> {
    fn required_len(&self) -> Result<usize, RequestError> {
        add(TargetName::HEADER_SIZE, self.device_name.byte_len())
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let needed = self.required_len()?;
        let out = take_zeroed(buf, needed)?;
        put(out, 0, U16::new(self.device_name.byte_len_u16()).as_bytes())?;
        put_name(out, TargetName::HEADER_SIZE, self.device_name)?;
        Ok(out)
    }
}
