//! `arbitrary::Arbitrary` for the fixed-size wire layouts, [`InputShape`] and [`Request`]
//! (feature `arbitrary`), so a cargo-fuzz target is a few lines. The body of
//! `fuzz_target!(|data: &[u8]| ...)` for a driver's dispatch function:
//!
//! ```
//! use arbitrary::{Arbitrary, Unstructured};
//! use mountdev::storage::{DiskConfig, DiskDescription, handle_storage};
//! use mountdev::testing::Request;
//!
//! let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
//! let fuzz_one = |data: &[u8]| {
//!     if let Ok(request) = Request::arbitrary(&mut Unstructured::new(data)) {
//!         if let Err(violation) = request.check(|code, io| handle_storage(&disk, code, io)) {
//!             panic!("{violation}");
//!         }
//!     }
//! };
//! fuzz_one(&[0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
//! fuzz_one(&[]);
//! ```

use arbitrary::{Arbitrary, Result, Unstructured};
use std::vec::Vec;
use zerocopy::FromBytes;

use super::request::{InputShape, Request, ShapeKind, shape_kind};
use crate::ioctl::Ioctl;
use crate::layout::*;

/// `Arbitrary` for layouts whose every bit pattern is a value: read `size_of` bytes.
macro_rules! arbitrary_layouts {
    ($($ty:ty),* $(,)?) => {$(
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                let bytes = u.bytes(size_of::<Self>())?;
                Self::read_from_bytes(bytes).map_err(|_| arbitrary::Error::NotEnoughData)
            }
            fn size_hint(_depth: usize) -> (usize, Option<usize>) {
                (size_of::<Self>(), Some(size_of::<Self>()))
            }
        }
    )*};
}

arbitrary_layouts!(
    DiskGeometry,
    DiskGeometryEx,
    DiskPartitionInfo,
    PartitionInformation,
    PartitionInformationMbr,
    PartitionInformationGpt,
    PartitionInformationEx,
    DriveLayoutInformation,
    DriveLayoutInformationMbr,
    DriveLayoutInformationGpt,
    DriveLayoutInformationEx,
    GetLengthInformation,
    VerifyInformation,
    MountdevStableGuid,
    UniqueIdChangeNotifyOutput,
    CreatePointInput,
    MountPoint,
    MountPointsHeader,
    DriveLetterInformation,
    VolumeMountPoint,
    ChangeNotifyInfo,
    AutoMount,
    VolumePathsHeader,
    StorageDeviceNumber,
    StorageHotplugInfo,
    StorageReadCapacity,
    StoragePropertyQuery,
    StorageDescriptorHeader,
    StorageDeviceDescriptor,
    StorageAdapterDescriptor,
    StorageAccessAlignmentDescriptor,
    DeviceSeekPenaltyDescriptor,
    DeviceTrimDescriptor,
    PreventMediaRemoval,
    DeviceMediaInfo,
    GetMediaTypes,
    DiskExtent,
    VolumeDiskExtents,
    VolumeGetGptAttributesInformation,
);

impl<'a> Arbitrary<'a> for InputShape {
    /// Any shape, each with arbitrary contents.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=5)? {
            0 => Self::Raw(Vec::arbitrary(u)?),
            1 => Self::Name(Vec::arbitrary(u)?),
            2 => Self::UniqueId(Vec::arbitrary(u)?),
            3 => Self::PropertyQuery {
                property_id: u.int_in_range(0..=15)?,
                query_type: u.int_in_range(0..=3)?,
            },
            4 => Self::Verify {
                start: u.arbitrary()?,
                length: u.arbitrary()?,
            },
            _ => Self::Byte(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for Request {
    /// Mostly a known code with the input layout it takes; sometimes any code or any bytes.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let code = if u.ratio(4u8, 5)? {
            u.choose(Ioctl::ALL)?.code()
        } else {
            u.arbitrary()?
        };
        if u.ratio(1u8, 5)? {
            return Ok(Self::new(code, &InputShape::Raw(Vec::arbitrary(u)?)));
        }
        let shape = match shape_kind(Ioctl::decode(code)) {
            ShapeKind::Empty => InputShape::Raw(Vec::new()),
            ShapeKind::Name => InputShape::Name(Vec::arbitrary(u)?),
            ShapeKind::UniqueId => InputShape::UniqueId(Vec::arbitrary(u)?),
            ShapeKind::PropertyQuery => InputShape::PropertyQuery {
                property_id: u.int_in_range(0..=15)?,
                query_type: u.int_in_range(0..=3)?,
            },
            ShapeKind::Verify => InputShape::Verify {
                start: u.arbitrary()?,
                length: u.arbitrary()?,
            },
            ShapeKind::Byte => InputShape::Byte(u.arbitrary()?),
        };
        Ok(Self::new(code, &shape))
    }
}
