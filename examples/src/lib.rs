//! Shared helpers for the workspace's runnable examples.
