//! The command line: subcommands and their options (clap derive).

use crate::letter::parse_letter;
use crate::size::parse_size;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cryptdisk_core::luks::HashSpec;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::xts::XtsKeySize;
use mountdev::DriveLetterLink;
use std::path::PathBuf;

/// Help text on exit codes and passphrases, shown after the option list.
const AFTER_HELP: &str = "\
Passphrases: --key-file PATH uses the file's exact bytes (no newline stripping, as cryptsetup);
--key-file - reads all of standard input. Without it, cryptdisk asks on the terminal.

Exit codes: 0 success; 1 the operation failed; 2 wrong passphrase (or one that may not authorise
the operation), bad arguments, or a command not available on this system.";

/// `cryptdisk`: LUKS1 aes-xts-plain64 volume files for the sample encrypted virtual disk.
#[derive(Debug, Parser)]
#[command(name = "cryptdisk", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new volume file (LUKS1, aes-xts-plain64) with one passphrase in key slot 0.
    Create(CreateArgs),
    /// Show a volume's header: cipher, sizes, identity and key slots (no passphrase needed).
    Info(InfoArgs),
    /// Add a passphrase in a free key slot (asks for an existing one first).
    AddKey(AddKeyArgs),
    /// Remove a key slot, authorised by the passphrase of another slot.
    RemoveKey(RemoveKeyArgs),
    /// Change a passphrase (the new slot is written and verified before the old one is wiped).
    Passwd(PasswdArgs),
    /// Decrypt a volume's data area into a raw image file.
    Decrypt(DecryptArgs),
    /// Encrypt a raw image file into a new volume.
    Encrypt(EncryptArgs),
    /// Measure XTS-AES-256 throughput (512 and 4096-byte sectors), against `openssl speed`.
    Bench(BenchArgs),
    /// Mount a volume in the simulated mount manager and print the IOCTL trace.
    Simulate(SimulateArgs),
    /// Mount a volume through the sample driver (Windows).
    Mount(MountArgs),
    /// Unmount the volume at a drive letter (Windows, sample driver).
    Unmount(UnmountArgs),
    /// List the volumes the sample driver has mounted (Windows).
    List,
}

/// `--key-file`: the passphrase of an existing key slot.
#[derive(Debug, Args)]
pub struct KeyFileArg {
    /// Read the passphrase from this file (exact bytes; `-` = standard input) instead of asking.
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
}

/// Cipher and PBKDF2 options of a new volume.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Master key size in bits: 512 = XTS-AES-256, 256 = XTS-AES-128.
    #[arg(long, value_enum, value_name = "BITS", default_value = "512")]
    pub key_size: KeySizeArg,
    /// Hash for PBKDF2 and the anti-forensic splitter.
    #[arg(long, value_enum, default_value = "sha256")]
    pub hash: HashArg,
    /// PBKDF2 time for one passphrase check, in milliseconds (as cryptsetup's --iter-time).
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    pub iter_time: u32,
}

impl FormatArgs {
    /// The volume cipher these options select.
    pub fn cipher(&self) -> CipherSpec {
        CipherSpec::AesXtsPlain64 {
            key_size: self.key_size.into(),
        }
    }
}

/// `--key-size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeySizeArg {
    /// 256-bit key: XTS-AES-128.
    #[value(name = "256")]
    Bits256,
    /// 512-bit key: XTS-AES-256.
    #[value(name = "512")]
    Bits512,
}

impl From<KeySizeArg> for XtsKeySize {
    fn from(k: KeySizeArg) -> Self {
        match k {
            KeySizeArg::Bits256 => Self::Bits256,
            KeySizeArg::Bits512 => Self::Bits512,
        }
    }
}

/// `--hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HashArg {
    /// SHA-1 (cryptsetup's old default).
    Sha1,
    /// SHA-256 (the default).
    Sha256,
    /// SHA-512.
    Sha512,
}

impl From<HashArg> for HashSpec {
    fn from(h: HashArg) -> Self {
        match h {
            HashArg::Sha1 => Self::Sha1,
            HashArg::Sha256 => Self::Sha256,
            HashArg::Sha512 => Self::Sha512,
        }
    }
}

/// `cryptdisk create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The volume file to create.
    pub volume: PathBuf,
    /// Total size of the volume file, header included: bytes, or K/M/G/T (powers of 1024).
    /// The LUKS header and key slots take the first 2 MiB; the rest must be whole 512-byte
    /// sectors.
    #[arg(long, value_parser = parse_size)]
    pub size: u64,
    /// Cipher and PBKDF2 options.
    #[command(flatten)]
    pub format: FormatArgs,
    /// Format type and LUKS2 key-derivation options.
    #[command(flatten)]
    pub luks2: crate::luks2_args::Luks2FormatArgs,
    /// The new volume's passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// Replace the volume file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `cryptdisk info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `cryptdisk add-key`.
#[derive(Debug, Args)]
pub struct AddKeyArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// An existing passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// Read the new passphrase from this file (exact bytes; `-` = standard input) instead of asking.
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
    /// PBKDF2 time for the new key slot, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    pub iter_time: u32,
}

/// `cryptdisk remove-key`.
#[derive(Debug, Args)]
pub struct RemoveKeyArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The key slot to remove (0 to 7; see `cryptdisk info`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..8))]
    pub slot: u8,
    /// The passphrase of another active slot, to prove access is kept.
    #[command(flatten)]
    pub key: KeyFileArg,
}

/// `cryptdisk passwd`.
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The passphrase to change.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// Read the new passphrase from this file (exact bytes; `-` = standard input) instead of asking.
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
    /// PBKDF2 time for the new key slot, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    pub iter_time: u32,
}

/// `cryptdisk decrypt`.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The raw image to write.
    pub raw_out: PathBuf,
    /// The volume's passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// Replace RAW_OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// Write the whole data area, even when the volume records a shorter original length.
    #[arg(long)]
    pub full: bool,
}

/// `cryptdisk encrypt`.
#[derive(Debug, Args)]
pub struct EncryptArgs {
    /// The raw image to encrypt.
    pub raw_in: PathBuf,
    /// The volume file to create (RAW_IN rounded up to 512 bytes, plus the header).
    pub volume: PathBuf,
    /// Cipher and PBKDF2 options.
    #[command(flatten)]
    pub format: FormatArgs,
    /// The new volume's passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// Replace the volume file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `cryptdisk bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Measuring time per figure, in seconds (openssl runs whole seconds, at least 1).
    #[arg(long, value_name = "S", default_value_t = 1.0, value_parser = parse_seconds)]
    pub seconds: f64,
    /// Do not run `openssl speed` for comparison.
    #[arg(long)]
    pub no_openssl: bool,
}

/// `cryptdisk simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// Drive letter to ask for (default: the mount manager picks one).
    #[arg(long, value_name = "X", value_parser = parse_letter)]
    pub letter: Option<DriveLetterLink>,
    /// The volume's passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
}

/// `cryptdisk mount`.
#[derive(Debug, Args)]
pub struct MountArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// Drive letter to ask for (default: the mount manager picks one).
    #[arg(long, value_name = "X", value_parser = parse_letter)]
    pub letter: Option<DriveLetterLink>,
    /// Mount read-only.
    #[arg(long)]
    pub read_only: bool,
    /// The volume's passphrase.
    #[command(flatten)]
    pub key: KeyFileArg,
}

/// `cryptdisk unmount`: by drive letter, or by device number for a volume without one.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["letter", "device"]))]
pub struct UnmountArgs {
    /// The drive letter of the mounted volume (Z or Z:).
    #[arg(value_name = "X", value_parser = parse_letter)]
    pub letter: Option<DriveLetterLink>,
    /// The device number N of `\Device\CryptDiskVolumeN` (see `cryptdisk list`), for a volume
    /// that has no drive letter.
    #[arg(long, value_name = "N", conflicts_with = "letter")]
    pub device: Option<u32>,
    /// Unmount even when files or handles are open on the volume (they then fail).
    #[arg(long)]
    pub force: bool,
}

/// Parses `--seconds`: a number of seconds in 0.01..=60.
fn parse_seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if (0.01..=60.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is out of range; give 0.01 to 60 seconds"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn create_defaults_and_values() {
        let cli = Cli::try_parse_from(["cryptdisk", "create", "v.img", "--size", "4M"]).unwrap();
        let Command::Create(a) = cli.command else {
            panic!("not create")
        };
        assert_eq!(a.size, 4 << 20);
        assert_eq!(a.format.key_size, KeySizeArg::Bits512);
        assert_eq!(a.format.hash, HashArg::Sha256);
        assert_eq!(a.format.iter_time, 2000);
        assert!(a.key.key_file.is_none() && !a.force);

        let cli = Cli::try_parse_from([
            "cryptdisk",
            "create",
            "v.img",
            "--size",
            "3MiB",
            "--key-size",
            "256",
            "--hash",
            "sha1",
            "--iter-time",
            "10",
            "--key-file",
            "-",
        ])
        .unwrap();
        let Command::Create(a) = cli.command else {
            panic!("not create")
        };
        assert_eq!(
            a.format.cipher(),
            CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits256
            }
        );
        assert_eq!(HashSpec::from(a.format.hash), HashSpec::Sha1);
        assert_eq!(a.key.key_file.as_deref(), Some(std::path::Path::new("-")));
    }

    #[test]
    fn bad_values_are_refused_by_the_parser() {
        for argv in [
            &["cryptdisk", "create", "v", "--size", "4X"][..],
            &["cryptdisk", "create", "v", "--size", "4M", "--key-size", "384"],
            &["cryptdisk", "create", "v", "--size", "4M", "--hash", "md5"],
            &["cryptdisk", "create", "v", "--size", "4M", "--iter-time", "0"],
            &["cryptdisk", "remove-key", "v", "--slot", "8"],
            &["cryptdisk", "mount", "v", "--letter", "ZZ"],
            &["cryptdisk", "unmount", "7"],
            &["cryptdisk", "bench", "--seconds", "0"],
            &["cryptdisk", "bench", "--seconds", "abc"],
        ] {
            assert!(Cli::try_parse_from(argv).is_err(), "{argv:?}");
        }
    }

    #[test]
    fn letters_parse_to_links() {
        let cli = Cli::try_parse_from(["cryptdisk", "unmount", "q:"]).unwrap();
        let Command::Unmount(a) = cli.command else {
            panic!("not unmount")
        };
        assert_eq!(a.letter.map(|l| l.letter()), Some('Q'));
        assert!(!a.force && a.device.is_none());
    }

    #[test]
    fn unmount_takes_a_letter_or_a_device_number() {
        let cli = Cli::try_parse_from(["cryptdisk", "unmount", "--device", "3", "--force"]).unwrap();
        let Command::Unmount(a) = cli.command else {
            panic!("not unmount")
        };
        assert_eq!((a.letter, a.device, a.force), (None, Some(3), true));
        assert!(Cli::try_parse_from(["cryptdisk", "unmount"]).is_err());
        assert!(Cli::try_parse_from(["cryptdisk", "unmount", "Z", "--device", "3"]).is_err());
    }
}
