//! The mount-manager side of the Windows Mount Manager protocol (work in progress).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod transport;

#[cfg(feature = "sim")]
pub mod sim;

pub use transport::Transport;
