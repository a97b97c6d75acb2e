//! `cryptdisk simulate VOLUME [--letter X]`: mount the volume in the simulated mount manager
//! (`mountmgr-client`, feature `sim`) and print the IOCTL trace.
//!
//! Done now: argument parsing and the passphrase → master key step ([`MountPlan::prepare`]).
//! Not done: the simulator exists (`mountmgr_client::sim`), but `cryptdisk-core` has no disk
//! device yet (the volume's MOUNTDEV side, a `mountdev::MountdevVolume` over a
//! `cryptdisk_core::volume::Volume`), and the simulator needs one to mount. So the command
//! stops after opening the volume with [`CliError::NotAvailableYet`]; it prints no trace
//! rather than an invented one.

use crate::args::SimulateArgs;
use crate::commands::mount::MountPlan;
use crate::error::CliError;

/// What `simulate` still waits for.
const MISSING: &str =
    "cryptdisk-core has no disk device yet (the volume's MOUNTDEV side) for the simulated mount manager to mount";

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
