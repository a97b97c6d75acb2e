//! One module per group of subcommands; [`run`] dispatches.

pub mod bench;
pub mod bench_kdf;
pub mod convert;
pub mod create;
pub mod docs;
pub mod header;
pub mod info;
pub mod info_common;
pub mod key_flow;
pub mod keys;
pub mod luks2;
pub mod mount;
pub mod simulate;

use crate::args::Command;
use crate::error::CliError;

/// Runs one subcommand.
///
/// # Errors
///
/// The subcommand's [`CliError`].
pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Create(a) => create::run(&a),
        Command::Info(a) if luks2::is_luks2(&a.volume) => luks2::info::run(&a),
        Command::Info(a) => info::run(&a),
        Command::AddKey(a) if luks2::is_luks2(&a.volume) => luks2::keys::add_key(&a),
        Command::AddKey(a) => keys::add_key(&a),
        Command::RemoveKey(a) if luks2::is_luks2(&a.volume) => luks2::keys::remove_key(&a),
        Command::RemoveKey(a) => keys::remove_key(&a),
        Command::KillSlot(a) if luks2::is_luks2(&a.volume) => luks2::keys::kill_slot(&a.volume, a.slot, &a.unlock),
        Command::KillSlot(a) => keys::kill_slot(&a.volume, a.slot, &a.unlock),
        Command::HeaderBackup(a) => header::backup(&a),
        Command::HeaderRestore(a) => header::restore(&a),
        Command::Passwd(a) if luks2::is_luks2(&a.volume) => luks2::keys::passwd(&a),
        Command::Passwd(a) => keys::passwd(&a),
        Command::Decrypt(a) if luks2::is_luks2(&a.volume) => luks2::decrypt::run(&a),
        Command::Decrypt(a) => convert::decrypt(&a),
        Command::Encrypt(a) => convert::encrypt(&a),
        Command::Bench(a) => bench::run(&a),
        Command::Simulate(a) => simulate::run(&a),
        Command::Mount(a) => mount::mount(&a),
        Command::Unmount(a) => mount::unmount(&a),
        Command::List => mount::list(),
        Command::Completions(a) => docs::completions(a.shell),
        Command::Man(a) => docs::man(a.command.as_deref()),
    }
}
