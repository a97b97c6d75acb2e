//! Wire layouts: every structure of `protocol.md` §2 (and the disk and storage ones of §5), as
//! zerocopy types with align-1 little-endian fields, padding written out, trailing names as
//! slices.
//!
//! Each variable-length structure exports two sizes: `HEADER_SIZE`, the offset of its trailing
//! array, and `C_SIZEOF`, what C's `sizeof` gives (it counts the `[1]` element and tail padding).
//! Replies use `C_SIZEOF` as the smallest acceptable output buffer; success lengths are
//! `HEADER_SIZE + payload`. Parsing a variable-length structure reads its length field first and
//! checks it against the buffer, never the other way round (zerocopy's DST prefix views are
//! greedy).

mod error;
mod mountdev;
mod mountmgr;

pub use error::{LayoutError, bytes_at, name_at};
pub use mountdev::{
    MountdevName, MountdevStableGuid, MountdevSuggestedLinkName, MountdevUniqueId,
    UniqueIdChangeNotifyOutput,
};
pub use mountmgr::{
    AutoMount, ChangeNotifyInfo, CreatePointInput, DriveLetterInformation, MountPoint,
    MountPointsHeader, TargetName, VolumeMountPoint, VolumePathsHeader,
};
