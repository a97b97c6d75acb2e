//! `cryptdisk`: the command-line tool of the sample encrypted virtual disk.
//!
//! Volumes are LUKS1 files with the `aes-xts-plain64` cipher (the format `cryptsetup
//! luksFormat --type luks1` writes), handled through the portable core `cryptdisk-core`:
//!
//! * `create`, `info`, `add-key`, `remove-key`, `passwd`: volumes and key slots;
//! * `encrypt`, `decrypt`: convert raw images, streaming, with progress bars;
//! * `bench`: XTS throughput against `openssl speed`;
//! * `simulate`, `mount`, `unmount`, `list`: mounting (through the simulated mount manager or
//!   the sample driver on Windows; see those modules for what is wired so far).
//!
//! Errors are one line, `cryptdisk: error: <what happened>; <what to do>`, with exit code 1
//! (the operation failed) or 2 (wrong passphrase, bad arguments, or a command this system
//! cannot run). Module map: [`args`] (the command line), [`commands`] (one module per group of
//! subcommands), [`driver_control`] (the sample driver's control device; its Windows transport
//! is the only code allowed `unsafe`), [`passphrase`], [`size`], [`letter`], [`volume_file`],
//! [`output_file`], [`length_record`], [`output`], [`error`].
#![deny(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod args;
pub mod commands;
pub mod driver_control;
pub mod error;
pub mod length_record;
pub mod letter;
pub mod luks2_args;
pub mod luks2_error;
pub mod output;
pub mod output_file;
pub mod passphrase;
pub mod size;
pub mod volume_file;

use clap::Parser;
use clap::error::ErrorKind;
use error::CliError;
use std::io::Write;
use std::process::ExitCode;

/// Turns a clap error into one line: its message and tips, without the usage block.
fn usage_line(rendered: &str) -> String {
    rendered
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints `cryptdisk: error: ...` and gives the exit code.
fn fail(e: &CliError) -> ExitCode {
    let _ = writeln!(std::io::stderr().lock(), "cryptdisk: error: {e}");
    ExitCode::from(e.exit_code())
}

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(error::EXIT_REFUSED))
                }
                _ => fail(&CliError::Usage(usage_line(&e.render().to_string()))),
            };
        }
    };
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_become_one_line() {
        let e = args::Cli::try_parse_from(["cryptdisk", "create", "v"]).unwrap_err();
        let line = usage_line(&e.render().to_string());
        assert!(!line.contains('\n') && !line.contains("Usage:"), "{line}");
        assert!(line.contains("--size"), "{line}");

        let e = args::Cli::try_parse_from(["cryptdisk", "create", "v", "--size", "3Q"]).unwrap_err();
        let line = usage_line(&e.render().to_string());
        assert!(line.contains("unknown size suffix 'Q'"), "{line}");
    }
}
