//! The fixed-size inputs: [`ChangeNotifyRequest`] and [`SetAutoMountRequest`].

use mountdev::layout::{AutoMount, ChangeNotifyInfo};
use zerocopy::IntoBytes;
use zerocopy::byteorder::little_endian::U32;

use super::write::{put, take_zeroed};
use super::{RequestError, WireRequest};
use crate::reply::AutoMountState;

/// The input of `IOCTL_MOUNTMGR_CHANGE_NOTIFY`: `MOUNTMGR_CHANGE_NOTIFY_INFO` with the last epic
/// number the caller saw (`protocol.md` §2.14). The request pends until the mount manager's epic
/// number differs from it.
///
/// ```
/// use mountmgr_client::{ChangeNotifyRequest, WireRequest};
/// let mut buf = [0u8; 4];
/// assert_eq!(ChangeNotifyRequest::new(7).write_into(&mut buf).unwrap(), &[7, 0, 0, 0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_CHANGE_NOTIFY_INFO")]
pub struct ChangeNotifyRequest {
    /// `EpicNumber`.
    pub epic_number: u32,
}

impl ChangeNotifyRequest {
    /// The request for `epic_number`.
    pub const fn new(epic_number: u32) -> Self {
        Self { epic_number }
    }
}

impl WireRequest for ChangeNotifyRequest {
    fn required_len(&self) -> Result<usize, RequestError> {
        Ok(ChangeNotifyInfo::C_SIZEOF)
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let fixed = ChangeNotifyInfo {
            epic_number: U32::new(self.epic_number),
        };
        let out = take_zeroed(buf, ChangeNotifyInfo::C_SIZEOF)?;
        put(out, 0, fixed.as_bytes())?;
        Ok(out)
    }
}

/// The input of `IOCTL_MOUNTMGR_SET_AUTO_MOUNT`: `MOUNTMGR_SET_AUTO_MOUNT` (`protocol.md` §2.15).
///
/// Auto-mount is a global, persistent setting of the machine; a volume driver should not change
/// it (`protocol.md` §1.3).
///
/// ```
/// use mountmgr_client::{AutoMountState, SetAutoMountRequest, WireRequest};
/// let mut buf = [0xFF; 4];
/// let input = SetAutoMountRequest::new(AutoMountState::Enabled).write_into(&mut buf).unwrap();
/// assert_eq!(input, &[1, 0, 0, 0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_SET_AUTO_MOUNT")]
pub struct SetAutoMountRequest {
    /// `NewState`.
    pub state: AutoMountState,
}

impl SetAutoMountRequest {
    /// The request for `state`.
    pub const fn new(state: AutoMountState) -> Self {
        Self { state }
    }
}

impl WireRequest for SetAutoMountRequest {
    fn required_len(&self) -> Result<usize, RequestError> {
        Ok(AutoMount::C_SIZEOF)
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let fixed = AutoMount {
            state: U32::new(self.state.to_wire()),
        };
        let out = take_zeroed(buf, AutoMount::C_SIZEOF)?;
        put(out, 0, fixed.as_bytes())?;
        Ok(out)
    }
}
