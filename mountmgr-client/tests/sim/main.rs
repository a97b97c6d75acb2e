//! The behavioural mount-manager simulator (`--features sim`), one module per scenario group.
#![cfg(feature = "sim")]
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

mod client;
mod client_sequences;
mod control;
mod create_point_first;
mod cycles;
mod devices;
mod findings;
mod no_panic;
mod phantom;
mod points;
mod resolve;
mod scenarios;
mod terminator;
mod trace;
