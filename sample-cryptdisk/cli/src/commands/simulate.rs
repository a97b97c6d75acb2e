//! `cryptdisk simulate VOLUME [--letter X]`: mount the volume in the simulated mount manager
//! (`mountmgr-client`, feature `sim`), exactly as the driver would (the same
//! `cryptdisk_core::device` disk device and mount plan), print the IOCTL trace and the resulting
//! names, then unmount and show what the mount manager's database keeps.
//!
//! Nothing is written to the volume: the passphrase only proves the right key is at hand, as
//! `mount` needs it.

use std::sync::Arc;

use cryptdisk_core::control::MountOptions;
use cryptdisk_core::device::{DiskDevice, mount_plan};
use mountdev::MountdevVolume;
use mountmgr_client::sim::Sim;

use crate::args::SimulateArgs;
use crate::commands::mount::MountPlan;
use crate::error::CliError;
use crate::output;

/// The device number the simulated driver gives the volume.
const DEVICE_NUMBER: u32 = 1;

/// `cryptdisk simulate`.
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], passphrase, header and I/O errors, and
/// [`CliError::Simulation`] when the simulated mount or unmount fails.
pub fn run(args: &SimulateArgs) -> Result<(), CliError> {
    let plan = MountPlan::prepare(&args.volume, &args.unlock, args.key_slot, args.letter, false)?;
    plan.describe()?;
    let (uuid, data_sectors, sector_size) = (plan.opened.uuid, plan.data_sectors, plan.opened.sector_size);
    let letter = args.letter;
    let letter_byte = letter.and_then(|l| u8::try_from(l.letter()).ok());
    let device = DiskDevice::with_sector_size(
        DEVICE_NUMBER,
        &uuid,
        data_sectors,
        sector_size,
        MountOptions::default(),
        letter_byte,
    )
    .map_err(|e| CliError::Simulation { detail: e.to_string() })?;
    let device = Arc::new(device);
    let mut sim = Sim::new();

    output::line(format_args!("\nMount (CREATE_POINT first, then arrival, then verify):"))?;
    let mounted = mount_plan::mount(&mut sim, &device, letter).map_err(|e| CliError::Simulation {
        detail: format!("mount failed: {e}"),
    })?;
    output::line(format_args!("{}", sim.trace()))?;

    let device_name = device.identity().device_name().to_string();
    output::line(format_args!("Device:        {device_name}"))?;
    match mounted.letter {
        Some(letter) => output::line(format_args!(
            "Drive letter:  {}:{}",
            letter.letter(),
            if mounted.fallback_link {
                " (fallback link: the mount manager refused)"
            } else {
                ""
            }
        ))?,
        None => output::line(format_args!("Drive letter:  none"))?,
    }
    match mounted.volume_name {
        Some(name) => output::line(format_args!("Volume name:   {name}"))?,
        None => output::line(format_args!(
            "Volume name:   none (the mount manager does not know the volume)"
        ))?,
    }
    if let Some(letter) = mounted.letter {
        match sim.resolve_drive_letter(letter.letter()) {
            Ok(resolved) => output::line(format_args!(
                "Win32:         {}:\\ -> {} -> {}",
                letter.letter(),
                resolved.volume_name,
                resolved.device_name
            ))?,
            Err(e) => output::line(format_args!(
                "Win32:         {}: does not resolve: {e}",
                letter.letter()
            ))?,
        }
    }
    if sim.findings().is_empty() {
        output::line(format_args!(
            "Findings:      none (the volume answered every query by the rules)"
        ))?;
    } else {
        for finding in sim.findings() {
            output::line(format_args!("Finding:       {finding}"))?;
        }
    }

    sim.clear_trace();
    output::line(format_args!("\nUnmount (DELETE_POINTS by each drive letter):"))?;
    mount_plan::unmount(&mut sim, &device, &mounted, false).map_err(|e| CliError::Simulation {
        detail: format!("unmount failed: {e}"),
    })?;
    output::line(format_args!("{}", sim.trace()))?;
    let letters_left = sim
        .database()
        .iter()
        .filter(|(name, _)| name.drive_letter().is_some())
        .count();
    output::line(format_args!(
        "MountedDevices drive letters left after unmount: {letters_left}{}",
        if letters_left == 0 {
            " (clean: the volume keeps only its volume GUID name and no-drive-letter marker)"
        } else {
            ""
        }
    ))?;
    for (name, id) in sim.database().iter() {
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        output::line(format_args!("  {name} = {hex}"))?;
    }
    Ok(())
}
