//! proptest strategies for requests, inputs, names and wire layouts (feature `proptest`).
//!
//! ```
//! use mountdev::storage::{DiskConfig, DiskDescription, handle_storage};
//! use mountdev::testing::strategy::request;
//! use proptest::prelude::*;
//!
//! let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
//! proptest!(ProptestConfig::with_cases(16), |(req in request())| {
//!     let checked = req.check(|code, io| handle_storage(&disk, code, io));
//!     prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
//! });
//! ```

use core::fmt::Debug;
use std::vec::Vec;

use proptest::prelude::*;
use zerocopy::FromBytes;

use super::request::{InputShape, Request, ShapeKind, shape_kind};
use crate::ioctl::Ioctl;

/// Any IOCTL code: mostly one this crate knows (to reach a handler's arms), sometimes any `u32`.
pub fn code() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => proptest::sample::select(Ioctl::ALL).prop_map(Ioctl::code),
        1 => any::<u32>(),
    ]
}

/// The units of a valid NT name: 1 to `max_units` non-NUL UTF-16 units, mostly printable ASCII.
pub fn nt_name_units(max_units: usize) -> impl Strategy<Value = Vec<u16>> {
    let unit = prop_oneof![4 => 0x20u16..0x7F, 1 => 1u16..=u16::MAX];
    proptest::collection::vec(unit, 1..=max_units.max(1))
}

/// An input for `ioctl`: usually the well-formed layout it takes, sometimes malformed or raw.
pub fn input_shape(ioctl: Ioctl) -> BoxedStrategy<InputShape> {
    let raw = proptest::collection::vec(any::<u8>(), 0..64).prop_map(InputShape::Raw);
    let shaped = match shape_kind(ioctl) {
        ShapeKind::Empty => Just(InputShape::Raw(Vec::new())).boxed(),
        ShapeKind::Name => prop_oneof![
            4 => nt_name_units(40),
            1 => proptest::collection::vec(any::<u16>(), 0..40),
        ]
        .prop_map(InputShape::Name)
        .boxed(),
        ShapeKind::UniqueId => proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(InputShape::UniqueId)
            .boxed(),
        ShapeKind::PropertyQuery => (0u32..16, 0u32..4)
            .prop_map(|(property_id, query_type)| InputShape::PropertyQuery {
                property_id,
                query_type,
            })
            .boxed(),
        ShapeKind::Verify => (any::<i64>(), any::<u32>())
            .prop_map(|(start, length)| InputShape::Verify { start, length })
            .boxed(),
        ShapeKind::Byte => any::<u8>().prop_map(InputShape::Byte).boxed(),
    };
    prop_oneof![4 => shaped, 1 => raw].boxed()
}

/// A request for `code` with an input from [`input_shape`].
pub fn request_for(code: u32) -> impl Strategy<Value = Request> {
    input_shape(Ioctl::decode(code)).prop_map(move |shape| Request::new(code, &shape))
}

/// Any request: a code from [`code`] with an input from [`input_shape`].
pub fn request() -> impl Strategy<Value = Request> {
    code().prop_flat_map(request_for)
}

/// Any value of a fixed-size wire layout, from `size_of::<T>()` arbitrary bytes (every bit pattern
/// is a value: the layouts are `FromBytes`).
///
/// ```
/// use mountdev::layout::DiskGeometry;
/// use mountdev::testing::strategy::layout;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// let value = layout::<DiskGeometry>().new_tree(&mut TestRunner::default()).unwrap().current();
/// # let _ = value;
/// ```
pub fn layout<T: FromBytes + Debug>() -> impl Strategy<Value = T> {
    proptest::collection::vec(any::<u8>(), size_of::<T>())
        .prop_filter_map("a layout reads from its own size", |bytes| {
            T::read_from_bytes(&bytes).ok()
        })
}
