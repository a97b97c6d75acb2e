//! The client without the simulator: request bytes, reply parsers and the mount / unmount
//! sequences against scripted mount managers, one module per subject.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod support;

mod parsers_never_panic;
mod probe;
mod request_vectors;
mod round_trips;
mod sequences;
mod wine_fixture;
