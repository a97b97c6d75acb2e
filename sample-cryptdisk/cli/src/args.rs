//! The command line: subcommands and their options (clap derive).

use crate::letter::parse_letter;
use crate::passphrase::{KeySpec, MAX_KEY_FILE_BYTES};
use crate::size::parse_size;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cryptdisk_core::luks::HashSpec;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::xts::XtsKeySize;
use mountdev::DriveLetterLink;
use std::path::PathBuf;

/// Help text on passphrases, standard input and exit codes, shown after the option list.
pub const AFTER_HELP: &str = "\
Passphrases (as cryptsetup): --key-file/-d PATH uses the file's exact bytes (no newline
stripping), or --keyfile-size/-l bytes after --keyfile-offset; --key-file - reads all of
standard input. Without a key file, a standard input that is not a terminal gives one line per
passphrase (without its newline, no prompt: echo pw | cryptdisk ...); a terminal is prompted,
up to --tries/-T times for an existing passphrase.

'-' means standard input or output for raw data (encrypt - VOLUME, decrypt VOLUME -) and key
files; a volume is always a file. An output is never the input (same file, link or not).
Ctrl-C removes any partial output.

Exit codes (as cryptsetup): 0 success; 1 wrong parameters or the operation failed; 2 no
permission or wrong passphrase; 3 out of memory; 4 wrong device (the volume is missing, not a
LUKS volume or damaged); 5 device busy (another cryptdisk holds the volume's lock) or the output
already exists.";

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
    /// Create a new volume file (LUKS1, aes-xts-plain64) with one passphrase in key slot 0
    /// (cryptsetup luksFormat).
    Create(CreateArgs),
    /// Show a volume's header: cipher, sizes, identity and key slots (cryptsetup luksDump).
    Info(InfoArgs),
    /// Add a passphrase in a free key slot, or --key-slot N (cryptsetup luksAddKey).
    AddKey(AddKeyArgs),
    /// Remove the key slot a passphrase opens (cryptsetup luksRemoveKey); with --key-slot N,
    /// remove slot N instead (as kill-slot).
    RemoveKey(RemoveKeyArgs),
    /// Remove key slot N, authorised by the passphrase of another slot (cryptsetup
    /// luksKillSlot).
    KillSlot(KillSlotArgs),
    /// Change a passphrase: the new slot is written and verified before the old one is wiped
    /// (cryptsetup luksChangeKey).
    Passwd(PasswdArgs),
    /// Save the whole header area (header and key slots, up to the data) to a file (cryptsetup
    /// luksHeaderBackup).
    HeaderBackup(HeaderBackupArgs),
    /// Write a header backup back onto its volume (cryptsetup luksHeaderRestore).
    HeaderRestore(HeaderRestoreArgs),
    /// Decrypt a volume's data area into a raw image file (`-`: standard output).
    Decrypt(DecryptArgs),
    /// Encrypt a raw image file (`-`: standard input) into a new volume.
    Encrypt(EncryptArgs),
    /// Measure XTS-AES-256 throughput (512 and 4096-byte sectors), against `openssl speed`.
    Bench(BenchArgs),
    /// Mount a volume in the simulated mount manager and print the IOCTL trace.
    Simulate(SimulateArgs),
    /// Mount a volume through the sample driver (Windows); with --test-passphrase, only check
    /// the passphrase, on any system (cryptsetup open).
    #[command(visible_alias = "open")]
    Mount(MountArgs),
    /// Unmount the volume at a drive letter (Windows, sample driver).
    Unmount(UnmountArgs),
    /// List the volumes the sample driver has mounted (Windows).
    List,
    /// Print a shell completion script for cryptdisk.
    Completions(CompletionsArgs),
    /// Print cryptdisk's manual page, or a command's (roff; view with `man -l -`).
    Man(ManArgs),
}

/// `--key-file/-d`, `--keyfile-size/-l`, `--keyfile-offset`: where a passphrase comes from.
#[derive(Debug, Args)]
pub struct KeyFileArg {
    /// Read the passphrase from this file (exact bytes; `-` = standard input) instead of asking.
    #[arg(short = 'd', long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
    /// Use exactly this many bytes of the key file.
    #[arg(short = 'l', long, value_name = "BYTES", requires = "key_file", value_parser = keyfile_size)]
    pub keyfile_size: Option<u64>,
    /// Skip this many bytes at the start of the key file.
    #[arg(long, value_name = "BYTES", requires = "key_file", default_value_t = 0)]
    pub keyfile_offset: u64,
}

impl KeyFileArg {
    /// The key source these options name.
    pub fn spec(&self) -> KeySpec<'_> {
        KeySpec {
            file: self.key_file.as_deref(),
            size: self.keyfile_size,
            offset: self.keyfile_offset,
        }
    }
}

/// `--new-keyfile`, `--new-keyfile-size`, `--new-keyfile-offset`: where a new passphrase
/// comes from.
#[derive(Debug, Args)]
pub struct NewKeyFileArg {
    /// Read the new passphrase from this file (exact bytes; `-` = standard input) instead of
    /// asking.
    #[arg(long = "new-keyfile", visible_alias = "new-key-file", value_name = "PATH")]
    pub new_keyfile: Option<PathBuf>,
    /// Use exactly this many bytes of the new key file.
    #[arg(long, value_name = "BYTES", requires = "new_keyfile", value_parser = keyfile_size)]
    pub new_keyfile_size: Option<u64>,
    /// Skip this many bytes at the start of the new key file.
    #[arg(long, value_name = "BYTES", requires = "new_keyfile", default_value_t = 0)]
    pub new_keyfile_offset: u64,
}

impl NewKeyFileArg {
    /// The key source these options name.
    pub fn spec(&self) -> KeySpec<'_> {
        KeySpec {
            file: self.new_keyfile.as_deref(),
            size: self.new_keyfile_size,
            offset: self.new_keyfile_offset,
        }
    }
}

/// An existing passphrase: its key file options and `--tries/-T`.
#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// The key file.
    #[command(flatten)]
    pub key: KeyFileArg,
    /// How many times to ask for a typed passphrase before giving up (key files and piped
    /// passphrases are read once).
    #[arg(short = 'T', long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub tries: u32,
}

/// `--key-slot/-S N` (0 to 7).
fn key_slot() -> clap::builder::RangedI64ValueParser<u8> {
    clap::value_parser!(u8).range(0..8)
}

/// Parses `--keyfile-size`: 1 to 8 MiB.
fn keyfile_size(text: &str) -> Result<u64, String> {
    let value: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of bytes"))?;
    if (1..=MAX_KEY_FILE_BYTES).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is out of range; give 1 to {MAX_KEY_FILE_BYTES} bytes"))
    }
}

/// Cipher and PBKDF2 options of a new volume.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Master key size in bits: 512 = XTS-AES-256, 256 = XTS-AES-128.
    #[arg(short = 's', long, value_enum, value_name = "BITS", default_value = "512")]
    pub key_size: KeySizeArg,
    /// Hash for PBKDF2 and the anti-forensic splitter.
    #[arg(long, value_enum, default_value = "sha256")]
    pub hash: HashArg,
    /// PBKDF2 time for one passphrase check, in milliseconds (as cryptsetup's --iter-time).
    #[arg(short = 'i', long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
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
    pub unlock: UnlockArgs,
    /// The new passphrase.
    #[command(flatten)]
    pub new_key: NewKeyFileArg,
    /// Put the new passphrase in this key slot (0 to 7; it must be free). Default: the first
    /// free slot.
    #[arg(short = 'S', long, value_name = "N", value_parser = key_slot())]
    pub key_slot: Option<u8>,
    /// PBKDF2 time for the new key slot, in milliseconds.
    #[arg(short = 'i', long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    pub iter_time: u32,
}

/// `cryptdisk remove-key`.
#[derive(Debug, Args)]
pub struct RemoveKeyArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// Remove this key slot (0 to 7; see `cryptdisk info`), authorised by the passphrase of
    /// another slot, instead of the slot the passphrase opens.
    #[arg(short = 'S', long, visible_alias = "slot", value_name = "N", value_parser = key_slot())]
    pub key_slot: Option<u8>,
    /// The passphrase to remove (with --key-slot: the passphrase of another active slot).
    #[command(flatten)]
    pub unlock: UnlockArgs,
}

/// `cryptdisk kill-slot`.
#[derive(Debug, Args)]
pub struct KillSlotArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The key slot to remove (0 to 7; see `cryptdisk info`).
    #[arg(value_name = "SLOT", value_parser = key_slot())]
    pub slot: u8,
    /// The passphrase of another active slot, to prove access is kept.
    #[command(flatten)]
    pub unlock: UnlockArgs,
}

/// `cryptdisk passwd`.
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The passphrase to change.
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// The new passphrase.
    #[command(flatten)]
    pub new_key: NewKeyFileArg,
    /// PBKDF2 time for the new key slot, in milliseconds.
    #[arg(short = 'i', long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=600_000))]
    pub iter_time: u32,
}

/// `cryptdisk header-backup`.
#[derive(Debug, Args)]
pub struct HeaderBackupArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The backup file to write (it must not exist).
    #[arg(long, value_name = "PATH", required = true)]
    pub header_backup_file: PathBuf,
}

/// `cryptdisk header-restore`.
#[derive(Debug, Args)]
pub struct HeaderRestoreArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The backup file to restore (from `cryptdisk header-backup` or `cryptsetup
    /// luksHeaderBackup` of a LUKS1 volume).
    #[arg(long, value_name = "PATH", required = true)]
    pub header_backup_file: PathBuf,
    /// Restore even when the volume's current header has another UUID (a different volume
    /// with the same layout).
    #[arg(long)]
    pub force: bool,
}

/// `cryptdisk decrypt`.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// The volume file.
    pub volume: PathBuf,
    /// The raw image to write (`-`: standard output).
    pub raw_out: PathBuf,
    /// The volume's passphrase.
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// Try only this key slot (0 to 7).
    #[arg(short = 'S', long, value_name = "N", value_parser = key_slot())]
    pub key_slot: Option<u8>,
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
    /// The raw image to encrypt (`-`: standard input).
    pub raw_in: PathBuf,
    /// The volume file to create (RAW_IN rounded up to whole sectors, plus the header: 16 MiB
    /// for LUKS2, 2 MiB for LUKS1).
    pub volume: PathBuf,
    /// Cipher and PBKDF2 options.
    #[command(flatten)]
    pub format: FormatArgs,
    /// Format type (LUKS2 by default, `--type luks1` for the old format) and LUKS2 key
    /// derivation.
    #[command(flatten)]
    pub luks2: crate::luks2_args::Luks2FormatArgs,
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
    pub unlock: UnlockArgs,
    /// Try only this key slot (0 to 7).
    #[arg(short = 'S', long, value_name = "N", value_parser = key_slot())]
    pub key_slot: Option<u8>,
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
    #[arg(short = 'r', long)]
    pub read_only: bool,
    /// The volume's passphrase.
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// Try only this key slot (0 to 7).
    #[arg(short = 'S', long, value_name = "N", value_parser = key_slot())]
    pub key_slot: Option<u8>,
    /// Only check the passphrase (prints the slot it opens; exit 2 if none): nothing is
    /// mounted, and no driver is needed.
    #[arg(long)]
    pub test_passphrase: bool,
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
    /// Unmount even when files or handles are open on the volume: its file system is dismounted
    /// (open files fail from then on, unsaved data in them is lost), then the volume goes.
    #[arg(long)]
    pub force: bool,
}

/// `cryptdisk completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `cryptdisk man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: cryptdisk's own page).
    pub command: Option<String>,
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
    fn cryptsetup_flag_names_and_short_flags() {
        let cli = Cli::try_parse_from([
            "cryptdisk",
            "add-key",
            "v",
            "-d",
            "k",
            "-l",
            "5",
            "--keyfile-offset",
            "2",
            "--new-keyfile",
            "n",
            "--new-keyfile-size",
            "7",
            "-S",
            "3",
            "-T",
            "4",
            "-i",
            "10",
        ])
        .unwrap();
        let Command::AddKey(a) = cli.command else {
            panic!("not add-key")
        };
        let key = a.unlock.key.spec();
        assert_eq!((key.size, key.offset, a.unlock.tries), (Some(5), 2, 4));
        assert_eq!(key.file, Some(std::path::Path::new("k")));
        let new = a.new_key.spec();
        assert_eq!(
            (new.file, new.size, new.offset),
            (Some(std::path::Path::new("n")), Some(7), 0)
        );
        assert_eq!((a.key_slot, a.iter_time), (Some(3), 10));

        let cli = Cli::try_parse_from(["cryptdisk", "remove-key", "v", "--slot", "1"]).unwrap();
        let Command::RemoveKey(a) = cli.command else {
            panic!("not remove-key")
        };
        assert_eq!((a.key_slot, a.unlock.tries), (Some(1), 3));
        let cli = Cli::try_parse_from(["cryptdisk", "open", "v", "--test-passphrase", "-r"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Mount(MountArgs {
                test_passphrase: true,
                read_only: true,
                ..
            })
        ));
        for argv in [
            &["cryptdisk", "add-key", "v", "-l", "5"][..],
            &["cryptdisk", "add-key", "v", "--new-keyfile-offset", "5"],
            &["cryptdisk", "add-key", "v", "-S", "8"],
            &["cryptdisk", "decrypt", "v", "o", "-T", "0"],
            &["cryptdisk", "kill-slot", "v"],
            &["cryptdisk", "header-backup", "v"],
            &["cryptdisk", "completions", "tcsh"],
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
