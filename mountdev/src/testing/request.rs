//! [`Request`] and [`InputShape`]: requests to check, as a fuzzer or a property test makes them.

use std::vec::Vec;

use zerocopy::IntoBytes;

use super::check::{Checked, check_handler};
use super::violation::Violation;
use crate::ioctl::Ioctl;
use crate::layout::{StoragePropertyQuery, VerifyInformation};
use crate::{IoBuffers, Reply};

/// The shape of an IOCTL input: the wire layouts the known requests carry, or raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputShape {
    /// Any bytes.
    Raw(Vec<u8>),
    /// A `MOUNTDEV_NAME` (`LINK_CREATED` / `LINK_DELETED` input): a `u16` byte length and these
    /// UTF-16 units (which may hold a NUL: inputs are untrusted).
    Name(Vec<u16>),
    /// A `MOUNTDEV_UNIQUE_ID` (`UNIQUE_ID_CHANGE_NOTIFY` input): a `u16` length and these bytes.
    UniqueId(Vec<u8>),
    /// A `STORAGE_PROPERTY_QUERY`.
    PropertyQuery {
        /// `PropertyId`.
        property_id: u32,
        /// `QueryType`.
        query_type: u32,
    },
    /// A `VERIFY_INFORMATION` (`DISK_VERIFY` input).
    Verify {
        /// `StartingOffset`.
        start: i64,
        /// `Length`.
        length: u32,
    },
    /// One byte (`PREVENT_MEDIA_REMOVAL`, `BOOLEAN` inputs).
    Byte(u8),
}

impl InputShape {
    /// The input bytes. A name or ID longer than a `u16` length can count is cut to fit.
    ///
    /// ```
    /// use mountdev::testing::InputShape;
    /// assert_eq!(InputShape::Name(vec![u16::from(b'Z')]).to_bytes(), [2, 0, b'Z', 0]);
    /// assert_eq!(InputShape::UniqueId(b"id".to_vec()).to_bytes(), [2, 0, b'i', b'd']);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Raw(bytes) => bytes.clone(),
            Self::Name(units) => {
                let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
                counted(&bytes)
            }
            Self::UniqueId(bytes) => counted(bytes),
            Self::PropertyQuery {
                property_id,
                query_type,
            } => StoragePropertyQuery::new(*property_id, *query_type).as_bytes().to_vec(),
            Self::Verify { start, length } => {
                let verify = VerifyInformation {
                    starting_offset: (*start).into(),
                    length: (*length).into(),
                    ..VerifyInformation::default()
                };
                verify.as_bytes().to_vec()
            }
            Self::Byte(byte) => std::vec![*byte],
        }
    }
}

/// `u16` length ++ bytes, cut to what a `u16` counts.
fn counted(bytes: &[u8]) -> Vec<u8> {
    let len = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(usize::from(len).saturating_add(2));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes.get(..usize::from(len)).unwrap_or(bytes));
    out
}

/// One request to check: a code and its input. The `proptest` and `arbitrary` features generate
/// these (mostly known codes with well-formed inputs, sometimes anything), so a driver's property
/// test or fuzz target is one call to [`Request::check`].
///
/// ```
/// use mountdev::testing::{InputShape, Request};
/// use mountdev::{IoBuffers, NtStatus, Reply};
/// use mountdev::ioctl::IOCTL_DISK_IS_WRITABLE;
/// let request = Request::new(IOCTL_DISK_IS_WRITABLE, &InputShape::Raw(vec![]));
/// let checked = request.check(|_, _io: IoBuffers<'_>| Reply::error(NtStatus::MEDIA_WRITE_PROTECTED)).unwrap();
/// assert_eq!(checked.whole().status, NtStatus::MEDIA_WRITE_PROTECTED);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The IOCTL code.
    pub code: u32,
    /// The input bytes.
    pub input: Vec<u8>,
}

impl Request {
    /// A request with `code` and the bytes of `shape`.
    pub fn new(code: u32, shape: &InputShape) -> Self {
        Self {
            code,
            input: shape.to_bytes(),
        }
    }

    /// The request's code decoded, for messages.
    pub fn ioctl(&self) -> Ioctl {
        Ioctl::decode(self.code)
    }

    /// Checks `handler` on this request ([`check_handler`]).
    ///
    /// # Errors
    /// The first [`Violation`].
    pub fn check<F>(&self, handler: F) -> Result<Checked, Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        check_handler(handler, self.code, &self.input)
    }
}

/// The input shape a known request carries, for generators: `None` for codes without an input.
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
pub(super) fn shape_kind(ioctl: Ioctl) -> ShapeKind {
    match ioctl {
        Ioctl::MountdevLinkCreated
        | Ioctl::MountdevLinkCreatedAnyAccess
        | Ioctl::MountdevLinkDeleted
        | Ioctl::MountdevLinkDeletedAnyAccess => ShapeKind::Name,
        Ioctl::MountdevUniqueIdChangeNotify | Ioctl::MountdevUniqueIdChangeNotifyAnyAccess => ShapeKind::UniqueId,
        Ioctl::StorageQueryProperty => ShapeKind::PropertyQuery,
        Ioctl::DiskVerify => ShapeKind::Verify,
        Ioctl::DiskMediaRemoval | Ioctl::StorageMediaRemoval => ShapeKind::Byte,
        _ => ShapeKind::Empty,
    }
}

/// Which [`InputShape`] a known code takes.
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ShapeKind {
    Empty,
    Name,
    UniqueId,
    PropertyQuery,
    Verify,
    Byte,
}
