//! `cryptdisk`: the command-line tool of the sample encrypted virtual disk.
//!
//! Volumes are LUKS1 files with the `aes-xts-plain64` cipher (the format `cryptsetup
//! luksFormat --type luks1` writes), handled through the portable core `cryptdisk-core`:
//!
//! * `create`, `info`, `add-key`, `remove-key`, `kill-slot`, `passwd`, `header-backup`,
//!   `header-restore`: volumes, key slots and header backups, with cryptsetup's flag names
//!   (`sample-cryptdisk/cli/README.md` maps each cryptsetup command and flag to cryptdisk's);
//! * `encrypt`, `decrypt`: convert raw images (`-`: standard input / output), streaming, with
//!   progress bars; Ctrl-C removes a partial output;
//! * `bench`: XTS throughput against `openssl speed`;
//! * `simulate`, `mount` (`--test-passphrase` anywhere), `unmount`, `list`: mounting (through
//!   the simulated mount manager or the sample driver on Windows; see those modules for what
//!   is wired so far);
//! * `completions`, `man`: shell completions and manual pages from the clap definition.
//!
//! Errors are one line, `cryptdisk: error: <what happened>; <what to do>`, with cryptsetup's
//! exit codes (see [`error::EXIT_FAILURE`] and the constants after it). Module map: [`args`]
//! (the command line), [`commands`] (one module per group of subcommands), [`driver_control`]
//! (the sample driver's control device, on Windows through `mountmgr_client::windows::NtDevice`),
//! [`passphrase`], [`secret_buf`], [`stdin`], [`size`], [`letter`], [`volume_file`],
//! [`output_file`], [`growing_file`], [`interrupt`], [`length_record`], [`output`], [`error`].
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::restriction, reason = "unit tests: a failed expectation panics"))]

pub mod args;
pub mod commands;
pub mod driver_control;
pub mod error;
pub mod growing_file;
pub mod interrupt;
pub mod length_record;
pub mod length_token;
pub mod letter;
pub mod luks2_args;
pub mod luks2_error;
pub mod output;
pub mod output_file;
pub mod passphrase;
pub mod secret_buf;
pub mod size;
pub mod stdin;
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
    interrupt::install();
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(error::EXIT_FAILURE))
                }
                _ => fail(&CliError::Usage(usage_line(&e.render().to_string()))),
            };
        }
    };
    let outcome = commands::run(cli.command);
    // Whatever key bytes the command's dead frames still hold (copies made by code that does not
    // wipe after itself) are overwritten before the process ends, so a core dump taken at exit
    // holds none (tests/core_dump.rs).
    cryptdisk_core::wipe::wipe_stack_bytes::<{ cryptdisk_core::wipe::STACK_WIPE_BYTES_AT_EXIT }>();
    match outcome {
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
