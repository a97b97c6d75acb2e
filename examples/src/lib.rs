//! Shared helpers for the workspace's runnable examples.

/// The workspace README's code block, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
