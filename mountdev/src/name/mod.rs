//! NT names whose byte lengths are right by construction: [`NtName`] (any counted name),
//! [`DriveLetterLink`] (`\DosDevices\X:`), [`VolumeGuidName`] (`\??\Volume{GUID}`), [`Guid`], and
//! the fixed-capacity builder [`NtNameBuf`].

mod buf;
mod drive_letter;
mod guid;
mod nt_name;
mod volume_name;

pub use buf::NtNameBuf;
pub use drive_letter::{DriveLetterLink, DriveLetterShape};
pub use guid::{Guid, GuidParseError, GuidWire};
#[doc(hidden)]
pub use nt_name::__units_to_wire;
pub use nt_name::{MAX_DEVICE_NAME_BYTES, MAX_NAME_BYTES, NameError, NtName};
pub use volume_name::VolumeGuidName;
