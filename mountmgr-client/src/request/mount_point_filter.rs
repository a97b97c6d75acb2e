//! [`MountPointFilter`]: the `MOUNTMGR_MOUNT_POINT` input of `QUERY_POINTS`, `DELETE_POINTS` and
//! `DELETE_POINTS_DBONLY`, built by a client and parsed by a mount manager.

use core::fmt;

use mountdev::layout::{MountPoint, bytes_at};
use mountdev::{DriveLetterLink, NameError, NtName, NtStatus, UniqueId};
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, IntoBytes};

use super::write::{add, offset_u32, put, take_zeroed};
use super::{RequestError, WireRequest};

/// A `MOUNTMGR_MOUNT_POINT` filter: any combination of symbolic link, unique ID and device name
/// (`protocol.md` §2.10, §4.6a). An absent field is written with offset and length 0.
///
/// Layout: the fixed 24-byte part, then the symbolic link name at offset 24, the unique ID and
/// the device name, packed in that order. Every offset is even: names are UTF-16 and the unique ID
/// must have an even length ([`RequestError::OddUniqueIdLength`] otherwise, because the mount
/// manager rejects odd lengths in this structure).
///
/// How the mount manager selects (§4.6a): a symbolic link name takes priority (that link only);
/// else a unique ID (every link of every device with that ID); else a device name (every link of
/// that device); an empty filter selects every mount point. [`MountPointFilter::selector`] gives
/// that choice.
///
/// ```
/// use mountdev::nt_name;
/// use mountmgr_client::{MountPointFilter, WireRequest};
/// let filter = MountPointFilter::by_device_name(nt_name!("\\Device\\XtsVolume1"));
/// let mut buf = [0u8; 64];
/// let input = filter.write_into(&mut buf).unwrap();
/// assert_eq!(input.len(), 60);
/// assert_eq!(&input[16..24], &[0x18, 0, 0, 0, 0x24, 0, 0, 0]);
/// assert_eq!(MountPointFilter::parse(input).unwrap(), filter);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[doc(alias = "MOUNTMGR_MOUNT_POINT")]
pub struct MountPointFilter<'a> {
    /// `SymbolicLinkName`, if the filter names a link.
    pub symbolic_link_name: Option<NtName<'a>>,
    /// `UniqueId`, if the filter names a unique ID.
    pub unique_id: Option<UniqueId<'a>>,
    /// `DeviceName`, if the filter names a device.
    pub device_name: Option<NtName<'a>>,
}

/// Which mount points a [`MountPointFilter`] selects, in the mount manager's order of priority
/// (`protocol.md` §4.6a).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterSelector<'a> {
    /// Every mount point the mount manager knows.
    All,
    /// That link only (other fields are ignored).
    SymbolicLink(NtName<'a>),
    /// Every link of every device with that unique ID.
    UniqueId(UniqueId<'a>),
    /// Every link of that device.
    DeviceName(NtName<'a>),
}

impl<'a> MountPointFilter<'a> {
    /// The empty filter: every mount point (volume enumeration).
    pub const fn all() -> Self {
        Self {
            symbolic_link_name: None,
            unique_id: None,
            device_name: None,
        }
    }

    /// Only `name`.
    pub const fn by_symbolic_link(name: NtName<'a>) -> Self {
        Self::all().with_symbolic_link(name)
    }

    /// Only the drive letter `letter`.
    pub fn by_drive_letter(letter: &'a DriveLetterLink) -> Self {
        Self::by_symbolic_link(letter.as_name())
    }

    /// Only the unique ID `id`.
    pub const fn by_unique_id(id: UniqueId<'a>) -> Self {
        Self::all().with_unique_id(id)
    }

    /// Only the device `name`.
    pub const fn by_device_name(name: NtName<'a>) -> Self {
        Self::all().with_device_name(name)
    }

    /// This filter with the symbolic link set.
    pub const fn with_symbolic_link(mut self, name: NtName<'a>) -> Self {
        self.symbolic_link_name = Some(name);
        self
    }

    /// This filter with the unique ID set.
    pub const fn with_unique_id(mut self, id: UniqueId<'a>) -> Self {
        self.unique_id = Some(id);
        self
    }

    /// This filter with the device name set.
    pub const fn with_device_name(mut self, name: NtName<'a>) -> Self {
        self.device_name = Some(name);
        self
    }

    /// Which points the mount manager selects with this filter.
    pub fn selector(&self) -> FilterSelector<'a> {
        match (self.symbolic_link_name, self.unique_id, self.device_name) {
            (Some(link), _, _) => FilterSelector::SymbolicLink(link),
            (None, Some(id), _) => FilterSelector::UniqueId(id),
            (None, None, Some(device)) => FilterSelector::DeviceName(device),
            (None, None, None) => FilterSelector::All,
        }
    }

    /// Parses a `QUERY_POINTS` / `DELETE_POINTS` / `DELETE_POINTS_DBONLY` input as the mount
    /// manager checks it (`protocol.md` §4.6a): fewer than 24 bytes, an odd offset or length of a
    /// non-empty field, or a field outside the input is an error (the mount manager answers
    /// `STATUS_INVALID_PARAMETER`, [`FilterError::status`]). A zero-length field is absent,
    /// whatever its offset. A name must also be a valid [`NtName`] (no NUL code unit).
    ///
    /// ```
    /// use mountmgr_client::{FilterError, MountPointFilter};
    /// assert_eq!(MountPointFilter::parse(&[0; 24]).unwrap(), MountPointFilter::all());
    /// assert!(matches!(MountPointFilter::parse(&[0; 23]), Err(FilterError::Short { .. })));
    /// let mut odd = [0u8; 28];
    /// odd[0] = 25; // SymbolicLinkNameOffset
    /// odd[4] = 2; // SymbolicLinkNameLength
    /// assert!(matches!(MountPointFilter::parse(&odd), Err(FilterError::Odd { .. })));
    /// ```
    ///
    /// # Errors
    /// [`FilterError`].
    pub fn parse(input: &'a [u8]) -> Result<Self, FilterError> {
        let (fixed, _) = MountPoint::read_from_prefix(input).map_err(|_| FilterError::Short {
            needed: MountPoint::C_SIZEOF,
            available: input.len(),
        })?;
        let symbolic_link_name = field_bytes(
            input,
            "SymbolicLinkName",
            fixed.symbolic_link_name_offset,
            fixed.symbolic_link_name_length,
        )?
        .map(|bytes| name(bytes, "SymbolicLinkName"))
        .transpose()?;
        let unique_id = field_bytes(input, "UniqueId", fixed.unique_id_offset, fixed.unique_id_length)?
            .map(|bytes| {
                UniqueId::new(bytes).map_err(|_| FilterError::OutOfBounds {
                    field: "UniqueId",
                    offset: 0,
                    length: bytes.len(),
                    limit: input.len(),
                })
            })
            .transpose()?;
        let device_name = field_bytes(input, "DeviceName", fixed.device_name_offset, fixed.device_name_length)?
            .map(|bytes| name(bytes, "DeviceName"))
            .transpose()?;
        Ok(Self {
            symbolic_link_name,
            unique_id,
            device_name,
        })
    }

    /// Byte lengths of the three fields, in wire order.
    fn lengths(&self) -> Result<[usize; 3], RequestError> {
        let unique_id = self.unique_id.map_or(0, |id| id.as_bytes().len());
        if unique_id % 2 != 0 {
            return Err(RequestError::OddUniqueIdLength { length: unique_id });
        }
        Ok([
            self.symbolic_link_name.map_or(0, |n| n.byte_len()),
            unique_id,
            self.device_name.map_or(0, |n| n.byte_len()),
        ])
    }
}

/// The bytes of a non-empty field, checked as in §4.6a; `None` for a zero length.
fn field_bytes<'a>(
    input: &'a [u8],
    field: &'static str,
    offset: U32,
    length: U16,
) -> Result<Option<&'a [u8]>, FilterError> {
    let length = usize::from(length.get());
    if length == 0 {
        return Ok(None);
    }
    let offset = usize::try_from(offset.get()).map_err(|_| FilterError::OutOfBounds {
        field,
        offset: usize::MAX,
        length,
        limit: input.len(),
    })?;
    if offset % 2 != 0 {
        return Err(FilterError::Odd { field, value: offset });
    }
    if length % 2 != 0 {
        return Err(FilterError::Odd { field, value: length });
    }
    bytes_at(input, offset, length)
        .map(Some)
        .map_err(|_| FilterError::OutOfBounds {
            field,
            offset,
            length,
            limit: input.len(),
        })
}

fn name<'a>(bytes: &'a [u8], field: &'static str) -> Result<NtName<'a>, FilterError> {
    NtName::from_le_bytes(bytes).map_err(|error| FilterError::Name { field, error })
}

impl WireRequest for MountPointFilter<'_> {
    fn required_len(&self) -> Result<usize, RequestError> {
        let [link, id, device] = self.lengths()?;
        let total = add(add(add(MountPoint::C_SIZEOF, link)?, id)?, device)?;
        offset_u32("DeviceNameOffset", total)?;
        Ok(total)
    }

    fn write_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], RequestError> {
        let needed = self.required_len()?;
        let [link_len, id_len, device_len] = self.lengths()?;
        let link_offset = MountPoint::C_SIZEOF;
        let id_offset = add(link_offset, link_len)?;
        let device_offset = add(id_offset, id_len)?;
        let at = |present: bool, field: &'static str, offset: usize| -> Result<U32, RequestError> {
            Ok(U32::new(if present { offset_u32(field, offset)? } else { 0 }))
        };
        let fixed = MountPoint {
            symbolic_link_name_offset: at(link_len != 0, "SymbolicLinkNameOffset", link_offset)?,
            symbolic_link_name_length: U16::new(self.symbolic_link_name.map_or(0, |n| n.byte_len_u16())),
            unique_id_offset: at(id_len != 0, "UniqueIdOffset", id_offset)?,
            unique_id_length: U16::new(self.unique_id.map_or(0, |id| id.len_u16())),
            device_name_offset: at(device_len != 0, "DeviceNameOffset", device_offset)?,
            device_name_length: U16::new(self.device_name.map_or(0, |n| n.byte_len_u16())),
            ..MountPoint::default()
        };
        let out = take_zeroed(buf, needed)?;
        put(out, 0, fixed.as_bytes())?;
        if let Some(name) = self.symbolic_link_name {
            put(out, link_offset, name.as_le_bytes())?;
        }
        if let Some(id) = self.unique_id {
            put(out, id_offset, id.as_bytes())?;
        }
        if let Some(name) = self.device_name {
            put(out, device_offset, name.as_le_bytes())?;
        }
        Ok(out)
    }
}

/// Why bytes are not a valid `MOUNTMGR_MOUNT_POINT` filter (`protocol.md` §4.6a).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// The input is shorter than `sizeof(MOUNTMGR_MOUNT_POINT)` (24).
    Short {
        /// Bytes needed.
        needed: usize,
        /// Bytes given.
        available: usize,
    },
    /// An offset or length of a non-empty field is odd.
    Odd {
        /// The field (`SymbolicLinkName`, `UniqueId`, `DeviceName`).
        field: &'static str,
        /// The odd value.
        value: usize,
    },
    /// A field lies (partly) outside the input.
    OutOfBounds {
        /// The field.
        field: &'static str,
        /// Its offset.
        offset: usize,
        /// Its length.
        length: usize,
        /// The input length.
        limit: usize,
    },
    /// A name field is not a valid NT name (it contains a NUL code unit).
    Name {
        /// The field.
        field: &'static str,
        /// Why.
        error: NameError,
    },
}

impl FilterError {
    /// The status a mount manager completes the request with: `STATUS_INVALID_PARAMETER` for
    /// every defect (`protocol.md` §4.6a).
    pub const fn status(&self) -> NtStatus {
        NtStatus::INVALID_PARAMETER
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Short { needed, available } => {
                write!(f, "MOUNTMGR_MOUNT_POINT input of {available} bytes, {needed} needed")
            }
            Self::Odd { field, value } => write!(f, "{field}: odd offset or length {value}"),
            Self::OutOfBounds {
                field,
                offset,
                length,
                limit,
            } => write!(f, "{field}: range {offset}+{length} outside a {limit}-byte input"),
            Self::Name { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

impl core::error::Error for FilterError {}
