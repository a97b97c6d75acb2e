//! Constants: bindgen output (macro constants and data imports such as `PsThreadType`), the
//! generated `STATUS_*` table, and hand-written values bindgen cannot evaluate.
#![allow(
    missing_docs,
    reason = "the STATUS_* table keeps the C names, which are its documentation"
)]
pub use bindings::*;
pub use supplement::*;

use crate::types::NTSTATUS;

// Explicit items, so they take precedence over any `STATUS_*` the glob import brings in.
include!("status.rs");

#[allow(
    missing_docs,
    non_upper_case_globals,
    unnecessary_transmutes,
    improper_ctypes,
    clippy::all,
    clippy::restriction,
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block,
    reason = "generated bindings"
)]
mod bindings {
    #[allow(clippy::wildcard_imports, unused_imports, reason = "generated bindings")]
    use crate::types::*;
    include!(concat!(env!("OUT_DIR"), "/constants.rs"));
}

/// Constants the current WDK has but mingw-w64 10 lacks, or that bindgen cannot evaluate.
mod supplement {
    use crate::types::POOL_FLAGS;

    /// `MdlMappingNoExecute` (`wdm.h`, Windows 8): OR'ed into the priority of
    /// `MmMapLockedPagesSpecifyCache` / `MmGetSystemAddressForMdlSafe`.
    pub const MdlMappingNoExecute: u32 = 0x4000_0000;
    /// `MdlMappingNoWrite` (`wdm.h`, Windows 8).
    pub const MdlMappingNoWrite: u32 = 0x8000_0000;

    // POOL_FLAG_* use a ui64 suffix bindgen cannot evaluate; the real crate hand-writes them too.
    /// `POOL_FLAG_REQUIRED_START`.
    pub const POOL_FLAG_REQUIRED_START: POOL_FLAGS = 0x0000_0000_0000_0001;
    /// `POOL_FLAG_USE_QUOTA`.
    pub const POOL_FLAG_USE_QUOTA: POOL_FLAGS = 0x0000_0000_0000_0001;
    /// `POOL_FLAG_UNINITIALIZED`: do not zero the allocation.
    pub const POOL_FLAG_UNINITIALIZED: POOL_FLAGS = 0x0000_0000_0000_0002;
    /// `POOL_FLAG_SESSION`.
    pub const POOL_FLAG_SESSION: POOL_FLAGS = 0x0000_0000_0000_0004;
    /// `POOL_FLAG_CACHE_ALIGNED`.
    pub const POOL_FLAG_CACHE_ALIGNED: POOL_FLAGS = 0x0000_0000_0000_0008;
    /// `POOL_FLAG_RESERVED1`.
    pub const POOL_FLAG_RESERVED1: POOL_FLAGS = 0x0000_0000_0000_0010;
    /// `POOL_FLAG_RAISE_ON_FAILURE`.
    pub const POOL_FLAG_RAISE_ON_FAILURE: POOL_FLAGS = 0x0000_0000_0000_0020;
    /// `POOL_FLAG_NON_PAGED`: nonpaged, non-executable pool.
    pub const POOL_FLAG_NON_PAGED: POOL_FLAGS = 0x0000_0000_0000_0040;
    /// `POOL_FLAG_NON_PAGED_EXECUTE`.
    pub const POOL_FLAG_NON_PAGED_EXECUTE: POOL_FLAGS = 0x0000_0000_0000_0080;
    /// `POOL_FLAG_PAGED`.
    pub const POOL_FLAG_PAGED: POOL_FLAGS = 0x0000_0000_0000_0100;
    /// `POOL_FLAG_RESERVED2`.
    pub const POOL_FLAG_RESERVED2: POOL_FLAGS = 0x0000_0000_0000_0200;
    /// `POOL_FLAG_RESERVED3`.
    pub const POOL_FLAG_RESERVED3: POOL_FLAGS = 0x0000_0000_0000_0400;
    /// `POOL_FLAG_REQUIRED_END`.
    pub const POOL_FLAG_REQUIRED_END: POOL_FLAGS = 0x0000_0000_8000_0000;
    /// `POOL_FLAG_OPTIONAL_START`.
    pub const POOL_FLAG_OPTIONAL_START: POOL_FLAGS = 0x0000_0001_0000_0000;
    /// `POOL_FLAG_SPECIAL_POOL`.
    pub const POOL_FLAG_SPECIAL_POOL: POOL_FLAGS = 0x0000_0001_0000_0000;
    /// `POOL_FLAG_OPTIONAL_END`.
    pub const POOL_FLAG_OPTIONAL_END: POOL_FLAGS = 0x8000_0000_0000_0000;
}
