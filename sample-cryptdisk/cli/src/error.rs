//! [`CliError`]: every way a command can fail, each shown as one line
//! `<what happened>; <what to do>` after the `cryptdisk: error: ` prefix, with an exit code.

use crate::driver_control::DriverError;
use crate::passphrase::PassphraseError;
use crate::size::SizeError;
use cryptdisk_core::blockdev::{BackendError, BlockDevError};
use cryptdisk_core::luks::{HeaderError, LuksError};
use cryptdisk_core::luks2::Luks2Error;
use cryptdisk_core::volume::VolumeError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Exit code of wrong parameters or a failed operation (cryptsetup's 1).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a wrong passphrase or a missing permission (cryptsetup's 2).
pub const EXIT_PERMISSION: u8 = 2;
/// Exit code of an allocation that failed (cryptsetup's 3).
pub const EXIT_OUT_OF_MEMORY: u8 = 3;
/// Exit code of a wrong device: the volume is missing, not a LUKS volume, or damaged
/// (cryptsetup's 4).
pub const EXIT_WRONG_DEVICE: u8 = 4;
/// Exit code of a busy device (its lock is held) or an output that already exists
/// (cryptsetup's 5).
pub const EXIT_BUSY: u8 = 5;

/// A failed command.
#[derive(Debug)]
#[non_exhaustive]
pub enum CliError {
    /// The command line is wrong (from clap, flattened to one line).
    Usage(String),
    /// A `SIZE` or volume size is not acceptable.
    Size(SizeError),
    /// No passphrase could be read.
    Passphrase(PassphraseError),
    /// No key slot opens with the passphrase given. Nothing was written.
    WrongPassphrase,
    /// A LUKS operation on the volume failed.
    Luks {
        /// The volume file.
        path: PathBuf,
        /// The core's error.
        error: LuksError,
    },
    /// A LUKS2 operation on the volume failed.
    Luks2 {
        /// The volume file.
        path: PathBuf,
        /// The core's error.
        error: Luks2Error,
    },
    /// Reading or writing the data area failed.
    Volume {
        /// The volume file.
        path: PathBuf,
        /// The core's error.
        error: VolumeError,
    },
    /// A file could not be opened, read or written.
    Io {
        /// What was being done, e.g. "open volume".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: io::Error,
    },
    /// The output file exists and `--force` was not given.
    OutputExists {
        /// The output file.
        path: PathBuf,
    },
    /// The output exists and is not a regular file (a device, pipe, socket or link).
    NotRegularFile {
        /// The output path.
        path: PathBuf,
    },
    /// The passphrase given opens only the slot that `remove-key` would remove.
    SameSlot {
        /// The slot.
        slot: usize,
    },
    /// The raw input is empty.
    EmptyInput {
        /// The input file.
        path: PathBuf,
    },
    /// The raw input changed size while it was being encrypted.
    InputChanged {
        /// The input file.
        path: PathBuf,
    },
    /// The key size gives no LUKS1 layout (cannot happen with the supported key sizes).
    Layout,
    /// The XTS benchmark failed.
    Bench(cryptdisk_core::xts::XtsError),
    /// Something that cannot happen did.
    Internal(&'static str),
    /// Memory could not be reserved.
    OutOfMemory,
    /// Another process holds the volume's lock (a key change or a read in progress).
    Busy {
        /// The volume file.
        path: PathBuf,
    },
    /// The header changed on disk between unlocking and writing (another program wrote it).
    /// Nothing was written.
    HeaderChanged {
        /// The volume file.
        path: PathBuf,
    },
    /// The output is the input (the same file, through a link or not).
    SameFile {
        /// The input.
        input: PathBuf,
        /// The output.
        output: PathBuf,
    },
    /// `-` (standard input or output) was given where a volume file is needed.
    StdioVolume,
    /// `--key-slot N` names a slot that is in use.
    SlotInUse {
        /// The volume file.
        path: PathBuf,
        /// The slot.
        slot: usize,
    },
    /// A header backup does not fit the volume it is restored to.
    BackupMismatch {
        /// The volume file.
        path: PathBuf,
        /// What differs.
        detail: String,
    },
    /// The command needs the sample driver, which only exists on Windows.
    NeedsWindowsDriver {
        /// The subcommand.
        command: &'static str,
    },
    /// Talking to the sample driver failed (Windows): it is not running, the caller is not an
    /// administrator, or it refused the request.
    Driver(DriverError),
    /// The simulated mount or unmount failed.
    Simulation {
        /// What failed.
        detail: String,
    },
}

impl CliError {
    /// The process exit code for this error: cryptsetup's codes (see [`EXIT_FAILURE`] and the
    /// constants after it).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::WrongPassphrase | Self::SameSlot { .. } => EXIT_PERMISSION,
            Self::Passphrase(PassphraseError::Mismatch | PassphraseError::EmptyPrompt) => EXIT_PERMISSION,
            Self::Passphrase(PassphraseError::OutOfMemory) | Self::OutOfMemory => EXIT_OUT_OF_MEMORY,
            Self::Driver(error) if error.is_refusal() => EXIT_PERMISSION,
            Self::Io { error, .. } if error.kind() == io::ErrorKind::PermissionDenied => EXIT_PERMISSION,
            Self::Io { error, .. } if error.kind() == io::ErrorKind::OutOfMemory => EXIT_OUT_OF_MEMORY,
            Self::Io {
                action: "open volume", ..
            } => EXIT_WRONG_DEVICE,
            Self::Luks {
                error: LuksError::Header(_) | LuksError::NoActiveSlots,
                ..
            } => EXIT_WRONG_DEVICE,
            Self::Luks2 {
                error:
                    Luks2Error::TooShort { .. }
                    | Luks2Error::NotLuks2
                    | Luks2Error::BadCopy { .. }
                    | Luks2Error::Json { .. }
                    | Luks2Error::Metadata { .. }
                    | Luks2Error::NoValidHeader { .. }
                    | Luks2Error::BeyondDevice { .. }
                    | Luks2Error::NoActiveSlots,
                ..
            } => EXIT_WRONG_DEVICE,
            Self::Busy { .. } | Self::HeaderChanged { .. } | Self::OutputExists { .. } => EXIT_BUSY,
            _ => EXIT_FAILURE,
        }
    }

    /// A LUKS error on `path`; a wrong passphrase becomes [`CliError::WrongPassphrase`].
    pub fn luks(path: &Path, error: LuksError) -> Self {
        match error {
            LuksError::WrongPassphrase => Self::WrongPassphrase,
            error => Self::Luks {
                path: path.to_owned(),
                error,
            },
        }
    }

    /// A LUKS2 error on `path`; a wrong passphrase becomes [`CliError::WrongPassphrase`].
    pub fn luks2(path: &Path, error: Luks2Error) -> Self {
        match error {
            Luks2Error::WrongPassphrase => Self::WrongPassphrase,
            error => Self::Luks2 {
                path: path.to_owned(),
                error,
            },
        }
    }

    /// A volume I/O error on `path`.
    pub fn volume(path: &Path, error: VolumeError) -> Self {
        match error {
            VolumeError::Luks(e) => Self::luks(path, e),
            error => Self::Volume {
                path: path.to_owned(),
                error,
            },
        }
    }

    /// An I/O error while doing `action` on `path`.
    pub fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Self {
        let path = path.to_owned();
        move |error| Self::Io { action, path, error }
    }
}

impl From<SizeError> for CliError {
    fn from(e: SizeError) -> Self {
        Self::Size(e)
    }
}

impl From<PassphraseError> for CliError {
    fn from(e: PassphraseError) -> Self {
        Self::Passphrase(e)
    }
}

/// An OS error code from the core's device errors, as text.
fn backend_error(cause: &BackendError) -> String {
    match cause {
        BackendError::Short { .. } => "short read or write (the file is shorter than its header says)".to_owned(),
        other => other.to_string(),
    }
}

/// `<what>; <what to do>` for a block-device error.
fn device_error(f: &mut fmt::Formatter<'_>, path: &Path, e: &BlockDevError) -> fmt::Result {
    let p = path.display();
    match e {
        BlockDevError::Io { op, cause } => {
            write!(
                f,
                "{p}: {op} failed: {}; check the file, the disk and free space",
                backend_error(cause)
            )
        }
        BlockDevError::ReadOnly => write!(f, "{p} is opened read-only; check the file's permissions"),
        BlockDevError::OutOfRange { .. } => {
            write!(
                f,
                "{p}: {e}; the file is shorter than its header says: restore the complete file"
            )
        }
        e => write!(f, "{p}: {e}; check the file"),
    }
}

/// `<what>; <what to do>` for a header error.
fn header_error(f: &mut fmt::Formatter<'_>, path: &Path, e: &HeaderError) -> fmt::Result {
    let p = path.display();
    match e {
        HeaderError::BadMagic => write!(
            f,
            "{p} is not a LUKS volume (bad magic); check the path, or create a volume with 'cryptdisk create'"
        ),
        HeaderError::TooShort { .. } | HeaderError::PayloadBeyondDevice { .. } => {
            write!(f, "{p} is truncated: {e}; restore the complete file from a backup")
        }
        HeaderError::UnsupportedVersion { .. } => write!(
            f,
            "{p}: {e}; LUKS2 volumes work with info, decrypt and the key commands but cannot be mounted yet: use a LUKS1 volume ('cryptdisk create --type luks1')"
        ),
        HeaderError::Cipher(_) | HeaderError::UnsupportedHash => write!(
            f,
            "{p}: {e}; cryptdisk reads aes-xts-plain64 volumes with sha1, sha256 or sha512"
        ),
        e => write!(
            f,
            "{p}: damaged LUKS header: {e}; restore a header backup (cryptsetup luksHeaderRestore)"
        ),
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(msg) => write!(f, "{msg}; see 'cryptdisk --help'"),
            Self::Size(e) => e.fmt(f),
            Self::Passphrase(e) => e.fmt(f),
            Self::WrongPassphrase => f.write_str(
                "no key slot opened with this passphrase; check it (a key file's exact bytes are used, a trailing newline included). Nothing was written",
            ),
            Self::Luks { path, error } => {
                let p = path.display();
                match error {
                    LuksError::Header(e) => header_error(f, path, e),
                    LuksError::Device(e) => device_error(f, path, e),
                    LuksError::WrongPassphrase => Self::WrongPassphrase.fmt(f),
                    LuksError::LastKeySlot { slot } => write!(
                        f,
                        "refusing to remove key slot {slot}: it is the last working key; add another passphrase first with 'cryptdisk add-key'"
                    ),
                    LuksError::NoFreeSlot => write!(
                        f,
                        "{p}: all 8 key slots are in use; remove one first with 'cryptdisk kill-slot {p} N'"
                    ),
                    LuksError::SlotInactive { slot } => write!(
                        f,
                        "key slot {slot} of {p} is not active; see 'cryptdisk info {p}' for the active slots"
                    ),
                    LuksError::SlotIndex { slot } => write!(f, "key slot {slot} does not exist; slots are 0 to 7"),
                    LuksError::NoActiveSlots => {
                        write!(f, "{p} has no active key slot and cannot be opened; restore a header backup")
                    }
                    LuksError::VerifyFailed { slot } => write!(
                        f,
                        "{p}: the new key slot {slot} did not open when read back (the other slots were not touched); check the disk and try again"
                    ),
                    LuksError::DeviceTooSmall { .. } => write!(f, "{p}: {error}; use a larger --size"),
                    LuksError::WrongMasterKey => write!(
                        f,
                        "{p}: {error}; the header's key digest may be damaged: restore a header backup"
                    ),
                    e => write!(f, "{p}: {e}; check the volume with 'cryptdisk info {p}'"),
                }
            }
            Self::Luks2 { path, error } => crate::luks2_error::show(f, path, error),
            Self::Volume { path, error } => match error {
                VolumeError::Device(e) => device_error(f, path, e),
                e => write!(f, "{}: {e}; check the volume with 'cryptdisk info {}'", path.display(), path.display()),
            },
            Self::Io { action, path, error } => {
                let hint = match error.kind() {
                    io::ErrorKind::NotFound => "check the path",
                    io::ErrorKind::PermissionDenied => "check the file's permissions",
                    io::ErrorKind::AlreadyExists => "remove it or use --force",
                    io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => "free some disk space",
                    _ => "check the file and the disk",
                };
                write!(f, "cannot {action} {}: {error}; {hint}", path.display())
            }
            Self::OutputExists { path } => write!(
                f,
                "{} already exists; choose another output or add --force to replace it",
                path.display()
            ),
            Self::NotRegularFile { path } => write!(
                f,
                "{} exists and is not a regular file (a device, pipe, socket or symbolic link); cryptdisk writes plain files only: choose another output",
                path.display()
            ),
            Self::SameSlot { slot } => write!(
                f,
                "this passphrase opens only key slot {slot}, the one being removed; give the passphrase of another slot, so that you keep access"
            ),
            Self::EmptyInput { path } => {
                write!(f, "{} is empty; there is nothing to encrypt (use 'cryptdisk create' for an empty volume)", path.display())
            }
            Self::InputChanged { path } => {
                write!(f, "{} changed size while it was read; stop whatever writes to it and try again", path.display())
            }
            Self::Layout => f.write_str("no LUKS1 layout for this key size; use --key-size 256 or 512"),
            Self::Bench(e) => write!(f, "benchmark failed: {e}; report this as a bug"),
            Self::Internal(what) => write!(f, "internal error: {what}; report this as a bug"),
            Self::OutOfMemory => f.write_str("not enough memory; close other programs and try again"),
            Self::Busy { path } => write!(
                f,
                "{} is busy: another cryptdisk command is using it (its lock is held); wait for that command to finish and try again",
                path.display()
            ),
            Self::HeaderChanged { path } => write!(
                f,
                "the header of {} changed while this command ran (another program wrote it); nothing was written: check the key slots with 'cryptdisk info' and run the command again",
                path.display()
            ),
            Self::SameFile { input, output } => write!(
                f,
                "the output {} is the input {} (the same file); write to another file",
                output.display(),
                input.display()
            ),
            Self::StdioVolume => f.write_str(
                "'-' (standard input or output) cannot be a volume: a volume needs random access; give a file path",
            ),
            Self::SlotInUse { path, slot } => write!(
                f,
                "key slot {slot} of {} is in use; choose a free slot (see 'cryptdisk info') or leave out --key-slot",
                path.display()
            ),
            Self::BackupMismatch { path, detail } => write!(
                f,
                "refusing to restore this header backup onto {}: {detail}; restore the backup of this volume",
                path.display()
            ),
            Self::NeedsWindowsDriver { command } => write!(
                f,
                "'{command}' needs the sample cryptdisk driver, which runs on Windows only; run it on Windows with the driver installed (on this system, use 'cryptdisk simulate')"
            ),
            Self::Driver(error) => error.fmt(f),
            Self::Simulation { detail } => write!(
                f,
                "simulation: {detail}; this is a bug in the sample driver's logic, please report it with the trace"
            ),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Size(e) => Some(e),
            Self::Passphrase(e) => Some(e),
            Self::Luks { error, .. } => Some(error),
            Self::Volume { error, .. } => Some(error),
            Self::Io { error, .. } => Some(error),
            Self::Driver(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(e: &CliError) -> String {
        e.to_string()
    }

    #[test]
    fn every_message_is_one_line_with_a_remedy() {
        let p = Path::new("v.img");
        let errors = [
            CliError::Usage("unexpected argument 'x'".into()),
            CliError::WrongPassphrase,
            CliError::luks(p, LuksError::WrongPassphrase),
            CliError::luks(p, LuksError::Header(HeaderError::BadMagic)),
            CliError::luks(p, LuksError::Header(HeaderError::TooShort { len: 0 })),
            CliError::luks(p, LuksError::Header(HeaderError::UnsupportedVersion { version: 2 })),
            CliError::luks(p, LuksError::Header(HeaderError::BadStripes { slot: 1, stripes: 3 })),
            CliError::luks(
                p,
                LuksError::Device(BlockDevError::Io {
                    op: cryptdisk_core::blockdev::IoOp::Read,
                    cause: io::Error::from_raw_os_error(5).into(),
                }),
            ),
            CliError::luks(
                p,
                LuksError::Device(BlockDevError::Io {
                    op: cryptdisk_core::blockdev::IoOp::Read,
                    cause: BackendError::Short { done: 0, wanted: 512 },
                }),
            ),
            CliError::luks(p, LuksError::LastKeySlot { slot: 0 }),
            CliError::luks(p, LuksError::NoFreeSlot),
            CliError::luks(p, LuksError::SlotInactive { slot: 3 }),
            CliError::luks(p, LuksError::VerifyFailed { slot: 3 }),
            CliError::luks(p, LuksError::WrongMasterKey),
            CliError::volume(p, VolumeError::Misaligned { len: 3 }),
            CliError::io("open volume", p)(io::Error::new(io::ErrorKind::NotFound, "gone")),
            CliError::OutputExists { path: p.into() },
            CliError::NotRegularFile { path: p.into() },
            CliError::SameSlot { slot: 1 },
            CliError::OutOfMemory,
            CliError::Busy { path: p.into() },
            CliError::HeaderChanged { path: p.into() },
            CliError::SameFile {
                input: p.into(),
                output: p.into(),
            },
            CliError::StdioVolume,
            CliError::SlotInUse {
                path: p.into(),
                slot: 2,
            },
            CliError::BackupMismatch {
                path: p.into(),
                detail: "x".into(),
            },
            CliError::NeedsWindowsDriver { command: "mount" },
            CliError::Driver(DriverError::AccessDenied),
            CliError::Driver(DriverError::Refused {
                request: crate::driver_control::error::Request::Unmount {
                    target: cryptdisk_core::control::UnmountTarget::Letter(b'M'),
                },
                status: mountdev::NtStatus::NOT_FOUND,
            }),
            CliError::Simulation {
                detail: "mount failed".into(),
            },
        ];
        for e in &errors {
            let s = shown(e);
            assert!(!s.contains('\n'), "{s}");
            assert!(s.contains("; "), "no remedy: {s}");
        }
    }

    #[test]
    fn exit_codes_are_cryptsetups() {
        let p = Path::new("v");
        let cases: [(CliError, u8); 16] = [
            (CliError::luks2(p, Luks2Error::NotLuks2), EXIT_WRONG_DEVICE),
            (CliError::luks2(p, Luks2Error::LastKeySlot { slot: 0 }), EXIT_FAILURE),
            (CliError::Usage("x".into()), EXIT_FAILURE),
            (CliError::luks(p, LuksError::WrongPassphrase), EXIT_PERMISSION),
            (CliError::SameSlot { slot: 1 }, EXIT_PERMISSION),
            (CliError::Passphrase(PassphraseError::Mismatch), EXIT_PERMISSION),
            (
                CliError::io("open volume", p)(io::Error::from(io::ErrorKind::PermissionDenied)),
                EXIT_PERMISSION,
            ),
            (CliError::OutOfMemory, EXIT_OUT_OF_MEMORY),
            (CliError::Passphrase(PassphraseError::OutOfMemory), EXIT_OUT_OF_MEMORY),
            (
                CliError::io("open volume", p)(io::Error::from(io::ErrorKind::NotFound)),
                EXIT_WRONG_DEVICE,
            ),
            (
                CliError::luks(p, LuksError::Header(HeaderError::BadMagic)),
                EXIT_WRONG_DEVICE,
            ),
            (CliError::Busy { path: p.into() }, EXIT_BUSY),
            (CliError::HeaderChanged { path: p.into() }, EXIT_BUSY),
            (CliError::OutputExists { path: p.into() }, EXIT_BUSY),
            (CliError::luks(p, LuksError::LastKeySlot { slot: 0 }), EXIT_FAILURE),
            (CliError::NeedsWindowsDriver { command: "list" }, EXIT_FAILURE),
        ];
        for (error, code) in cases {
            assert_eq!(error.exit_code(), code, "{error:?}");
        }
        assert!(matches!(
            CliError::volume(p, VolumeError::Luks(LuksError::WrongPassphrase)),
            CliError::WrongPassphrase
        ));
    }

    #[test]
    fn wrong_passphrase_wording() {
        assert!(shown(&CliError::WrongPassphrase).starts_with("no key slot opened with this passphrase; "));
    }
}
