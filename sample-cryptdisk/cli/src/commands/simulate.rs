//! `cryptdisk simulate VOLUME [--letter X]`: mount the volume in the simulated mount manager
//! (`mountmgr-client`, feature `sim`) and print the IOCTL trace.
//!
//! Done now: argument parsing and the passphrase → master key step ([`MountPlan::prepare`]).
//! Not done: the simulator and the core's disk device (the volume's MOUNTDEV side) are still
//! being written, so the command stops after opening the volume with
//! [`CliError::NotAvailableYet`]; it prints no trace rather than an invented one.

use crate::args::SimulateArgs;
use crate::commands::mount::MountPlan;
use crate::error::CliError;

/// What `simulate` still waits for.
const MISSING: &str =
    "the simulated mount manager (mountmgr-client feature sim) and the core's disk device are not finished";

/// `cryptdisk simulate`.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], passphrase, header and I/O errors; after a successful
/// unlock, [`CliError::NotAvailableYet`].
pub fn run(args: &SimulateArgs) -> Result<(), CliError> {
    let plan = MountPlan::prepare(&args.volume, args.key.key_file.as_deref(), args.letter, false)?;
    plan.describe()?;
    Err(CliError::NotAvailableYet {
        command: "simulate",
        missing: MISSING,
    })
}
