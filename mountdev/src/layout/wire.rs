//! `wire!`: the one declaration of a wire structure, and [`CLayout`], what it tells the
//! mingw-w64 layout check.
//!
//! A declaration names the C type, and for every field the offset it must have and the C member(s)
//! it stands for. From it come the zerocopy struct, `C_SIZEOF`, `HEADER_SIZE` (when the C struct
//! ends in a trailing array), compile-time assertions of every offset, and `C_LAYOUT`, the rows
//! `mountdev/examples/layout_table` prints for `ci/layout/check.py`.

use zerocopy::byteorder::little_endian::{I64, U16, U32, U64};

/// A C member and the offset the Rust layout gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CField {
    /// The member designator as `offsetof` takes it (`NameLength`, `Mbr.Signature`, ...).
    pub name: &'static str,
    /// Its offset in the Rust layout.
    pub offset: usize,
}

/// What a wire declaration states about its C structure: the facts the layout check compares with
/// mingw-w64's headers.
///
/// ```
/// use mountdev::layout::MountdevName;
/// let layout = MountdevName::C_LAYOUT;
/// assert_eq!(layout.c_types, &["MOUNTDEV_NAME"]);
/// assert_eq!((layout.c_sizeof, layout.c_align), (4, 2));
/// assert_eq!(layout.trailing.map(|t| (t.name, t.offset)), Some(("Name", 2)));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct CLayout {
    /// The C type names (more than one when C declares identically shaped aliases).
    pub c_types: &'static [&'static str],
    /// `sizeof` of the C type: the Rust size for sized layouts, computed from the header, one
    /// trailing element and the C alignment for the others.
    pub c_sizeof: usize,
    /// Whether mingw-w64's `sizeof` is expected to match (false when mingw-w64's headers predate
    /// a member this layout carries).
    pub sizeof_checked: bool,
    /// The C alignment: the largest C alignment of the members' C types.
    pub c_align: usize,
    /// The trailing array of a variable-length C structure: its member name and offset
    /// (`HEADER_SIZE`).
    pub trailing: Option<CField>,
    /// Every member with a C name, with its offset.
    pub fields: &'static [CField],
    /// Where zerocopy puts the trailing slice of a dynamically sized layout (its size with no
    /// elements); `None` for sized layouts.
    pub slice_offset: fn() -> Option<usize>,
}

/// The alignment a member's type has in C (the Rust wire types are all align 1).
pub(crate) trait CAlign {
    /// `_Alignof` of the C type.
    const C_ALIGN: usize;
}

impl CAlign for u8 {
    const C_ALIGN: usize = 1;
}
impl CAlign for U16 {
    const C_ALIGN: usize = 2;
}
impl CAlign for U32 {
    const C_ALIGN: usize = 4;
}
impl CAlign for U64 {
    const C_ALIGN: usize = 8;
}
impl CAlign for I64 {
    const C_ALIGN: usize = 8;
}
impl<T: CAlign, const N: usize> CAlign for [T; N] {
    const C_ALIGN: usize = T::C_ALIGN;
}

/// The largest of `values` (1 for none).
pub(crate) const fn max(values: &[usize]) -> usize {
    match values {
        [] => 1,
        [first, rest @ ..] => {
            let rest = max(rest);
            if *first > rest { *first } else { rest }
        }
    }
}

/// The sum of `values`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "evaluated in constants only: an overflow fails the build"
)]
pub(crate) const fn sum(values: &[usize]) -> usize {
    match values {
        [] => 0,
        [first, rest @ ..] => *first + sum(rest),
    }
}

/// `size` rounded up to a multiple of `align`: C's `sizeof` of a structure whose members end at
/// `size`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "evaluated in constants only: an overflow fails the build"
)]
pub(crate) const fn round_up(size: usize, align: usize) -> usize {
    size.div_ceil(align) * align
}

/// `n` as a `u32`, proven in range when a constant is evaluated.
#[allow(clippy::cast_possible_truncation, reason = "the assertion proves the value fits")]
pub(crate) const fn u32_of(n: usize) -> u32 {
    assert!(n <= u32::MAX as usize);
    n as u32
}

/// Declares a wire structure (see the module documentation). Forms:
///
/// - sized: `pub struct Name: "C_NAME" { fields }`;
/// - a C `[1]` array kept as a Rust array: `... { fields } tail { pub f: [T; N] = off, "CName"; }`, optionally
///   followed by one tail-padding field;
/// - a dynamically sized layout: `... { fields } tail { pub f: [T] = off, "CName"; } header NameHeader;`,
///   which also declares `NameHeader`, the sized fixed part a reply writes;
/// - a sized header whose C array is not part of the Rust type: `... { fields } tail { "CName": [T] = off }`.
///
/// A field is `pub name: Type = offset, "CMember" + extra, ...;` (no C member: padding or a member
/// mingw-w64 does not declare). `: "C_NAME" | "ALIAS"` adds an identically shaped C alias;
/// `, mingw_sizeof_differs` after the names leaves `sizeof` out of the mingw-w64 comparison.
macro_rules! wire {
    // Sized, no trailing array.
    (
        $(#[$meta:meta])*
        pub struct $name:ident : $c:literal $(| $alias:literal)* $(, $flag:ident)? {
            $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty = $off:literal $(, $cf:literal $(+ $extra:literal)?)* ; )*
        }
    ) => {
        $crate::layout::wire::wire!(@struct [$(#[$meta])*] $name [$c $(, $alias)*] { $( $(#[$fmeta])* pub $field: $fty, )* });
        $crate::layout::wire::wire!(@offsets $name $( $field $off )*);
        impl $crate::layout::wire::CAlign for $name {
            const C_ALIGN: usize = $crate::layout::wire::max(&[$(<$fty as $crate::layout::wire::CAlign>::C_ALIGN),*]);
        }
        impl $name {
            #[doc = concat!("C `sizeof(", $c, ")`.")]
            pub const C_SIZEOF: usize = core::mem::size_of::<Self>();
            $crate::layout::wire::wire!(@c_layout $name [$c $(, $alias)*] [$($flag)?] None, (|| None),
                [$( $( ($field, $cf $(+ $extra)?) )* )*]);
        }
        $crate::layout::wire::wire!(@padded $name);
    };
    // A C `[1]` array (or `[1]` plus tail padding) kept as a Rust array: sized.
    (
        $(#[$meta:meta])*
        pub struct $name:ident : $c:literal $(| $alias:literal)* $(, $flag:ident)? {
            $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty = $off:literal $(, $cf:literal $(+ $extra:literal)?)* ; )*
        }
        tail {
            $(#[$tmeta:meta])* pub $tfield:ident : [$tty:ty; $tn:literal] = $toff:literal, $tc:literal;
            $( $(#[$pmeta:meta])* pub $pfield:ident : $pty:ty = $poff:literal; )?
        }
    ) => {
        $crate::layout::wire::wire!(@struct [$(#[$meta])*] $name [$c $(, $alias)*] {
            $( $(#[$fmeta])* pub $field: $fty, )* $(#[$tmeta])* pub $tfield: [$tty; $tn],
            $( $(#[$pmeta])* pub $pfield: $pty, )?
        });
        $crate::layout::wire::wire!(@offsets $name $( $field $off )* $tfield $toff $($pfield $poff)?);
        impl $crate::layout::wire::CAlign for $name {
            const C_ALIGN: usize = $crate::layout::wire::max(
                &[$(<$fty as $crate::layout::wire::CAlign>::C_ALIGN,)* <$tty as $crate::layout::wire::CAlign>::C_ALIGN]);
        }
        impl $name {
            #[doc = concat!("`FIELD_OFFSET(", $c, ", ", $tc, ")`: the fixed part before the trailing array.")]
            pub const HEADER_SIZE: usize = core::mem::offset_of!($name, $tfield);
            #[doc = concat!("C `sizeof(", $c, ")`: the fixed part and the one trailing element C counts.")]
            pub const C_SIZEOF: usize = core::mem::size_of::<Self>();
            $crate::layout::wire::wire!(@c_layout $name [$c $(, $alias)*] [$($flag)?]
                Some($crate::layout::CField { name: $tc, offset: Self::HEADER_SIZE }), (|| None),
                [$( $( ($field, $cf $(+ $extra)?) )* )* ($tfield, $tc)]);
        }
        $crate::layout::wire::wire!(@padded $name);
    };
    // Dynamically sized: the trailing slice is part of the Rust type.
    (
        $(#[$meta:meta])*
        pub struct $name:ident : $c:literal $(| $alias:literal)* $(, $flag:ident)? {
            $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty = $off:literal $(, $cf:literal $(+ $extra:literal)?)* ; )*
        }
        tail { $(#[$tmeta:meta])* pub $tfield:ident : [$tty:ty] = $toff:literal, $tc:literal; }
        header $header:ident;
    ) => {
        $crate::layout::wire::wire!(@struct [$(#[$meta])*] $name [$c $(, $alias)*]
            { $( $(#[$fmeta])* pub $field: $fty, )* $(#[$tmeta])* pub $tfield: [$tty], });
        $crate::layout::wire::wire!(@offsets $name $( $field $off )*);
        #[doc = concat!("The fixed part of [`", stringify!($name), "`] (`", $c, "` up to `", $tc,
            "`), sized: what a reply writes before the trailing array.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, zerocopy::FromBytes, zerocopy::IntoBytes,
            zerocopy::KnownLayout, zerocopy::Immutable, zerocopy::Unaligned)]
        #[repr(C)]
        pub struct $header { $( $(#[$fmeta])* pub $field: $fty, )* }
        $crate::layout::wire::wire!(@offsets $header $( $field $off )*);
        const _: () = assert!(core::mem::size_of::<$header>() == <$name>::HEADER_SIZE);
        $crate::layout::wire::wire!(@variable $name [$c $(, $alias)*] $tc $tty, $toff [$($fty),*] [$($flag)?]
            [$( $( ($field, $cf $(+ $extra)?) )* )*] (|| <$name as zerocopy::KnownLayout>::size_for_metadata(0)));
    };
    // A sized header; the C trailing array is not part of the Rust type.
    (
        $(#[$meta:meta])*
        pub struct $name:ident : $c:literal $(| $alias:literal)* $(, $flag:ident)? {
            $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty = $off:literal $(, $cf:literal $(+ $extra:literal)?)* ; )*
        }
        tail { $tc:literal : [$tty:ty] = $toff:literal }
    ) => {
        $crate::layout::wire::wire!(@struct [$(#[$meta])*] $name [$c $(, $alias)*] { $( $(#[$fmeta])* pub $field: $fty, )* });
        $crate::layout::wire::wire!(@offsets $name $( $field $off )*);
        $crate::layout::wire::wire!(@variable $name [$c $(, $alias)*] $tc $tty, $toff [$($fty),*] [$($flag)?]
            [$( $( ($field, $cf $(+ $extra)?) )* )*] (|| None));
    };

    (@struct [$($meta:tt)*] $name:ident [$c:literal $(, $alias:literal)*] { $($body:tt)* }) => {
        $($meta)*
        #[derive(zerocopy::FromBytes, zerocopy::IntoBytes, zerocopy::KnownLayout, zerocopy::Immutable, zerocopy::Unaligned)]
        #[repr(C)]
        #[doc(alias = $c)]
        $(#[doc(alias = $alias)])*
        pub struct $name { $($body)* }
    };
    (@offsets $name:ident $( $field:ident $off:literal )*) => {
        const _: () = { $( assert!(core::mem::offset_of!($name, $field) == $off); )* };
    };
    // Every byte of C padding is a named field: the Rust size is a multiple of the C alignment.
    (@padded $name:ident) => {
        const _: () = assert!(
            matches!(<$name>::C_SIZEOF.checked_rem(<$name as $crate::layout::wire::CAlign>::C_ALIGN), Some(0))
        );
    };
    (@variable $name:ident [$c:literal $(, $alias:literal)*] $tc:literal $tty:ty, $toff:literal [$($fty:ty),*] [$($flag:ident)?]
        [$($fields:tt)*] $slice:tt) => {
        impl $crate::layout::wire::CAlign for $name {
            const C_ALIGN: usize = $crate::layout::wire::max(
                &[$(<$fty as $crate::layout::wire::CAlign>::C_ALIGN,)* <$tty as $crate::layout::wire::CAlign>::C_ALIGN]);
        }
        impl $name {
            #[doc = concat!("`FIELD_OFFSET(", $c, ", ", $tc, ")`: the fixed part before the trailing array.")]
            pub const HEADER_SIZE: usize = $crate::layout::wire::sum(&[$(core::mem::size_of::<$fty>()),*]);
            #[doc = concat!("C `sizeof(", $c, ")`: the fixed part and one trailing element, rounded up to the C \
                alignment. The smallest output a reply may fill.")]
            pub const C_SIZEOF: usize = $crate::layout::wire::round_up(
                $crate::layout::wire::sum(&[Self::HEADER_SIZE, core::mem::size_of::<$tty>()]),
                <Self as $crate::layout::wire::CAlign>::C_ALIGN,
            );
            $crate::layout::wire::wire!(@c_layout $name [$c $(, $alias)*] [$($flag)?]
                Some($crate::layout::CField { name: $tc, offset: Self::HEADER_SIZE }), $slice, [$($fields)*]);
        }
        const _: () = assert!(<$name>::HEADER_SIZE == $toff);
    };
    (@c_layout $name:ident [$($c:literal),*] [$($flag:ident)?] $trailing:expr, $slice:tt,
        [$( ($field:ident, $cf:literal $(+ $extra:literal)?) )*]) => {
        /// `C_SIZEOF` as the `u32` of a `Version` or `Size` field (the range is checked when
        /// the constant is evaluated).
        pub const C_SIZEOF_U32: u32 = $crate::layout::wire::u32_of(Self::C_SIZEOF);
        /// What this declaration states about the C structure, for the mingw-w64 layout check.
        pub const C_LAYOUT: $crate::layout::CLayout = $crate::layout::CLayout {
            c_types: &[$($c),*],
            c_sizeof: Self::C_SIZEOF,
            sizeof_checked: $crate::layout::wire::wire!(@sizeof_checked $($flag)?),
            c_align: <Self as $crate::layout::wire::CAlign>::C_ALIGN,
            trailing: $trailing,
            fields: &[$( $crate::layout::CField { name: $cf, offset: $crate::layout::wire::sum(&[core::mem::offset_of!($name, $field) $(, $extra)?]) } ),*],
            slice_offset: $slice,
        };
    };
    (@sizeof_checked) => { true };
    (@sizeof_checked mingw_sizeof_differs) => { false };
}
pub(crate) use wire;

#[cfg(test)]
mod tests {
    use crate::layout::ALL;

    /// What every declaration must state consistently: a C type named once across the list, a
    /// size that is a multiple of the C alignment, members inside the size, and the trailing
    /// array after the fixed members.
    #[test]
    fn every_declared_layout_is_consistent() {
        let mut names: std::vec::Vec<&str> = ALL.iter().flat_map(|l| l.c_types.iter().copied()).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a C type is listed twice in layout::ALL");
        for layout in ALL {
            assert_eq!(layout.c_sizeof % layout.c_align, 0, "{:?}", layout.c_types);
            for field in layout.fields {
                assert!(field.offset < layout.c_sizeof, "{:?}.{}", layout.c_types, field.name);
            }
            if let Some(trailing) = layout.trailing {
                assert!(trailing.offset < layout.c_sizeof, "{:?}", layout.c_types);
                assert!(
                    layout.fields.iter().all(|f| f.offset <= trailing.offset),
                    "{:?}",
                    layout.c_types
                );
            }
            if let Some(slice) = (layout.slice_offset)() {
                assert_eq!(Some(slice), layout.trailing.map(|t| t.offset), "{:?}", layout.c_types);
            }
        }
    }
}
