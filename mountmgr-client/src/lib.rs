//! The mount-manager side of the Windows Mount Manager protocol (work in progress).
#![cfg_attr(not(any(test, feature = "alloc")), no_std)]
#![forbid(unsafe_code)]

mod transport;

pub use transport::Transport;
