#![doc = include_str!("../README.md")]
#![doc = "\n## The complete example driver\n\n`examples/minimal_driver.rs`, compiled into a `.sys` by `ci/drivers/mountdev-wdk/check.sh`:\n\n```rust,ignore"]
#![doc = include_str!("../examples/minimal_driver.rs")]
#![doc = "```"]
#![cfg_attr(not(test), no_std)]
// Tests may unwrap, expect, panic and index: clippy.toml at the repository root allows it there.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

pub mod checks;

#[cfg(feature = "kernel")]
mod kernel;
#[cfg(feature = "kernel")]
pub use kernel::*;
