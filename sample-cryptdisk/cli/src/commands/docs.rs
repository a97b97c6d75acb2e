//! `cryptdisk completions SHELL` and `cryptdisk man [COMMAND]`: shell completions
//! (`clap_complete`) and manual pages (`clap_mangen`, roff) generated from the same clap
//! definition as the command line itself, so they cannot drift from it.

use crate::args::Cli;
use crate::error::CliError;
use clap::CommandFactory;
use std::path::Path;

/// Writes `bytes` to standard output.
fn print(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_all(bytes)
        .map_err(CliError::io("write to", Path::new("standard output")))
}

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "cryptdisk", &mut script);
    script
}

/// `cryptdisk completions SHELL`.
///
/// # Errors
///
/// Standard output errors.
pub fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    print(&completion_script(shell))
}

/// The manual page of `cryptdisk` (`None`) or of one subcommand, as roff.
///
/// # Errors
///
/// [`CliError::Usage`] for an unknown subcommand.
pub fn man_page(subcommand: Option<&str>) -> Result<Vec<u8>, CliError> {
    let mut root = Cli::command();
    root.build();
    let page = match subcommand {
        None => root,
        Some(name) => {
            let sub = root
                .find_subcommand(name)
                .ok_or_else(|| CliError::Usage(format!("no command '{name}' to show a manual page for")))?;
            let title = format!("cryptdisk-{}", sub.get_name());
            sub.clone().name(title)
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|_| CliError::Internal("rendering the manual page failed"))?;
    Ok(roff)
}

/// `cryptdisk man [COMMAND]`.
///
/// # Errors
///
/// As [`man_page`], and standard output errors.
pub fn man(subcommand: Option<&str>) -> Result<(), CliError> {
    print(&man_page(subcommand)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_shell_gets_a_script_naming_every_command() {
        for shell in clap_complete::Shell::value_variants() {
            let script = String::from_utf8(completion_script(*shell)).unwrap();
            for command in ["add-key", "kill-slot", "header-restore", "key-slot", "keyfile-offset"] {
                assert!(script.contains(command), "{shell}: no {command}");
            }
        }
    }

    #[test]
    fn manual_pages_hold_the_options_and_the_exit_codes() {
        let main = String::from_utf8(man_page(None).unwrap()).unwrap();
        assert!(main.starts_with(".ie") || main.contains(".TH cryptdisk"), "{main}");
        assert!(main.contains("Exit codes"), "no exit codes in the page");
        let add = String::from_utf8(man_page(Some("add-key")).unwrap()).unwrap();
        assert!(add.contains(".TH cryptdisk-add-key"), "{add}");
        assert!(add.contains("key\\-slot"), "{add}");
        assert!(man_page(Some("nope")).is_err());
    }
}
