//! The options of `cryptdisk create` that choose the format and the LUKS2 key derivation
//! (cryptsetup's names and defaults).

use clap::{Args, ValueEnum};

/// `--type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatType {
    /// LUKS1 (512-byte sectors, PBKDF2).
    Luks1,
    /// LUKS2 (cryptsetup's default).
    Luks2,
}

/// `--pbkdf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PbkdfArg {
    /// PBKDF2 with `--hash`.
    Pbkdf2,
    /// Argon2i.
    Argon2i,
    /// Argon2id (the default).
    Argon2id,
}

/// Format and LUKS2 options of a new volume.
#[derive(Debug, Args)]
pub struct Luks2FormatArgs {
    /// On-disk format.
    #[arg(long = "type", value_enum, default_value = "luks2")]
    pub format_type: FormatType,
    /// LUKS2 key-derivation function of the first key slot.
    #[arg(long, value_enum, default_value = "argon2id")]
    pub pbkdf: PbkdfArg,
    /// LUKS2 Argon2 memory cost in KiB (lowered to half of the available memory).
    #[arg(long, value_name = "KIB", default_value_t = 1_048_576, value_parser = clap::value_parser!(u32).range(32..=4_194_304))]
    pub pbkdf_memory: u32,
    /// LUKS2 Argon2 lanes (threads).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub pbkdf_parallel: u32,
    /// LUKS2: use this PBKDF2 iteration count or Argon2 time cost instead of measuring
    /// `--iter-time` (and the minimum digest iterations).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub pbkdf_force_iterations: Option<u32>,
    /// LUKS2 encryption sector size in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4096, value_parser = parse_sector_size)]
    pub sector_size: u32,
}

/// Parses `--sector-size`: 512, 1024, 2048 or 4096.
///
/// # Errors
///
/// Any other value.
pub fn parse_sector_size(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n @ (512 | 1024 | 2048 | 4096)) => Ok(n),
        _ => Err(format!("{text} is not 512, 1024, 2048 or 4096")),
    }
}
