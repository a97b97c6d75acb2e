//! [`VolumeMountPointRequest`]: `MOUNTMGR_VOLUME_MOUNT_POINT`.

use mountdev::NtName;
use mountdev::layout::VolumeMountPoint;
use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::U16;

use super::write::{add, offset_u16, put, put_name, take_zeroed};
use super::{RequestError, WireRequest};

/// The input of `IOCTL_MOUNTMGR_VOLUME_MOUNT_POINT_CREATED` / `_DELETED` (`protocol.md` §2.13):
/// the fixed 8-byte part, the source volume name at offset 8, the target right after it.
///
/// The protocol reference advises volume drivers never to send these two requests (the
/// volume-mount-point API does); the builder exists for tools and for testing a mount manager.
///
/// ```
/// use mountdev::{layout::VolumeMountPoint, nt_name};
/// use mountmgr_client::{VolumeMountPointRequest, WireRequest};
/// let request = VolumeMountPointRequest::new(nt_name!("\\??\\C:"), nt_name!("\\Device\\V"));
/// let mut buf = [0u8; 64];
/// let input = request.write_into(&mut buf).unwrap();
/// let (_, source, target) = VolumeMountPoint::parse(&input).unwrap();
/// assert_eq!((source, target), (nt_name!("\\??\\C:"), nt_name!("\\Device\\V")));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_VOLUME_MOUNT_POINT")]
pub struct VolumeMountPointRequest<'a> {
    /// The volume that holds the mount-point directory.
    pub source_volume_name: NtName<'a>,
    /// The volume mounted there.
    pub target_volume_name: NtName<'a>,
}

impl<'a> VolumeMountPointRequest<'a> {
    /// The request for `source` and `target`.
    pub const fn new(source_volume_name: NtName<'a>, target_volume_name: NtName<'a>) -> Self {
        Self {
            source_volume_name,
            target_volume_name,
        }
    }

    fn target_offset(&self) -> Result<usize, RequestError> {
        add(VolumeMountPoint::C_SIZEOF, self.source_volume_name.byte_len())
    }
}

impl WireRequest for VolumeMountPointRequest<'_> {
    fn required_len(&self) -> Result<usize, RequestError> {
        let target_offset = self.target_offset()?;
        offset_u16("TargetVolumeNameOffset", target_offset)?;
        add(target_offset, self.target_volume_name.byte_len())
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let needed = self.required_len()?;
        let source_offset = VolumeMountPoint::C_SIZEOF;
        let target_offset = self.target_offset()?;
        let fixed = VolumeMountPoint {
            source_volume_name_offset: U16::new(offset_u16("SourceVolumeNameOffset", source_offset)?),
            source_volume_name_length: U16::new(self.source_volume_name.byte_len_u16()),
            target_volume_name_offset: U16::new(offset_u16("TargetVolumeNameOffset", target_offset)?),
            target_volume_name_length: U16::new(self.target_volume_name.byte_len_u16()),
        };
        let out = take_zeroed(buf, needed)?;
        put(out, 0, fixed.as_bytes())?;
        put_name(out, source_offset, self.source_volume_name)?;
        put_name(out, target_offset, self.target_volume_name)?;
        Ok(out)
    }
}
