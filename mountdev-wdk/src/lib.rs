#![doc = include_str!("../README.md")]
#![doc = "\n## The complete example driver\n\n`examples/minimal_driver.rs`, compiled into a `.sys` by `ci/drivers/mountdev-wdk/check.sh`:\n\n```rust,ignore"]
#![doc = include_str!("../examples/minimal_driver.rs")]
#![doc = "```"]
#![cfg_attr(not(test), no_std)]

pub mod checks;

#[cfg(feature = "kernel")]
mod kernel;
#[cfg(feature = "kernel")]
pub use kernel::*;
