//! Types: bindgen output over the DDK headers, plus the few types mingw-w64 10 lacks.
pub use bindings::*;
pub use supplement::*;

#[allow(
    missing_docs,
    non_upper_case_globals,
    non_camel_case_types,
    non_snake_case,
    unnecessary_transmutes,
    improper_ctypes,
    clippy::all,
    clippy::restriction,
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block,
    reason = "generated bindings"
)]
mod bindings {
    include!(concat!(env!("OUT_DIR"), "/types.rs"));
}

/// Types of the current WDK headers that mingw-w64 10's DDK headers lack.
mod supplement {
    /// `POOL_FLAGS` (`wdm.h`, Windows 10 2004): the flags of `ExAllocatePool2`.
    pub type POOL_FLAGS = u64;
}
