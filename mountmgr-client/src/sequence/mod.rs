//! The mount and unmount sequences of `protocol.md` §8.6 and §8.7, as [`crate::Client`] methods,
//! and the types that report their outcome.
//!
//! # Threading (`protocol.md` §8 item 8)
//!
//! The mount manager answers `CREATE_POINT`, `VOLUME_ARRIVAL_NOTIFICATION` and `DELETE_POINTS`
//! only after it has queried the volume itself (MOUNTDEV requests, `LINK_CREATED`,
//! `VOLUME_ONLINE`), synchronously and while holding its own lock. Therefore never run these
//! sequences
//!
//! - from the thread that services the volume's own IRPs,
//! - while holding a lock that the volume's IOCTL path takes,
//! - from inside a `LINK_CREATED` / `LINK_DELETED` / `VOLUME_ONLINE` handler (defer to a work
//!   item instead).
//!
//! Run them from a system thread (a work item or a dedicated thread), at `PASSIVE_LEVEL`
//! (`protocol.md` §8 item 9).
#![forbid(unsafe_code)]

mod letters;
mod mount;
mod unmount;

pub use letters::{LetterSet, LetterSetIter, LinkSummary};
pub use mount::{ArrivalOutcome, LetterOutcome, MountOutcome, MountRequest, Needed};
pub use unmount::{UnmountBy, UnmountOutcome};
