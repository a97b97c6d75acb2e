//! Passphrases: from a key file (its exact bytes, as cryptsetup uses them), from standard input
//! (`--key-file -`), or typed at a prompt that does not echo.
//!
//! A key file is never trimmed: a trailing newline is part of the passphrase, exactly as with
//! `cryptsetup --key-file`. A typed passphrase ends at Enter (the newline is not part of it).
//! Every passphrase lives in memory that is zeroed when it is dropped.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Largest key file accepted (cryptsetup's default key-file size limit, 8 MiB).
pub const MAX_KEY_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The `--key-file` value that means standard input.
pub const STDIN_MARKER: &str = "-";

/// A passphrase: its bytes, zeroed on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<Vec<u8>>);

impl Passphrase {
    /// Wraps bytes (taken by value so that no copy is left behind).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The passphrase bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Why no passphrase could be had.
#[derive(Debug)]
#[non_exhaustive]
pub enum PassphraseError {
    /// The key file could not be opened or read.
    KeyFile {
        /// The key file (`-` for standard input).
        path: PathBuf,
        /// The I/O error.
        error: io::Error,
    },
    /// The key file is empty.
    EmptyKeyFile {
        /// The key file (`-` for standard input).
        path: PathBuf,
    },
    /// The key file is larger than [`MAX_KEY_FILE_BYTES`].
    KeyFileTooLarge {
        /// The key file (`-` for standard input).
        path: PathBuf,
    },
    /// Both the existing and the new passphrase were to come from standard input.
    StdinTwice,
    /// No terminal to prompt on (or reading from it failed).
    Prompt {
        /// The I/O error.
        error: io::Error,
    },
    /// A new passphrase typed at the prompt was empty.
    EmptyPrompt,
    /// The two entries of a new passphrase differ.
    Mismatch,
}

impl fmt::Display for PassphraseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyFile { path, error } if path.as_os_str() == STDIN_MARKER => {
                write!(
                    f,
                    "cannot read the key from standard input: {error}; pipe the passphrase into cryptdisk or use --key-file PATH"
                )
            }
            Self::KeyFile { path, error } => write!(
                f,
                "cannot read key file {}: {error}; check the path and its permissions",
                path.display()
            ),
            Self::EmptyKeyFile { path } => write!(
                f,
                "key file {} is empty; put the passphrase in it (its exact bytes are used, a trailing newline included)",
                shown(path)
            ),
            Self::KeyFileTooLarge { path } => write!(
                f,
                "key file {} is larger than {MAX_KEY_FILE_BYTES} bytes; use a smaller key file",
                shown(path)
            ),
            Self::StdinTwice => f.write_str(
                "--key-file - and --new-key-file - cannot both read standard input; give one of them as a file",
            ),
            Self::Prompt { error } => write!(
                f,
                "cannot ask for a passphrase: {error}; run cryptdisk in a terminal, or use --key-file PATH (--key-file - reads standard input)"
            ),
            Self::EmptyPrompt => f.write_str("the passphrase is empty; type a passphrase of at least one character"),
            Self::Mismatch => f.write_str(
                "the two passphrases do not match; run the command again and type the same passphrase twice",
            ),
        }
    }
}

impl std::error::Error for PassphraseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::KeyFile { error, .. } | Self::Prompt { error } => Some(error),
            _ => None,
        }
    }
}

/// A key file's name for messages (`standard input` for `-`).
fn shown(path: &Path) -> String {
    if path.as_os_str() == STDIN_MARKER {
        "on standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Asks for a passphrase without echoing it.
pub trait Prompter {
    /// Shows `prompt` and reads one line (without its line ending).
    ///
    /// # Errors
    ///
    /// The I/O error when there is no terminal or reading fails.
    fn ask(&mut self, prompt: &str) -> io::Result<Zeroizing<String>>;
}

/// Prompts on the controlling terminal (`/dev/tty`, or the console on Windows), echo off.
#[derive(Clone, Copy, Debug, Default)]
pub struct TtyPrompter;

impl Prompter for TtyPrompter {
    fn ask(&mut self, prompt: &str) -> io::Result<Zeroizing<String>> {
        rpassword::prompt_password(prompt).map(Zeroizing::new)
    }
}

/// Reads a whole key from `reader`: its exact bytes, nothing stripped.
///
/// # Errors
///
/// [`PassphraseError::KeyFile`] when reading fails, [`PassphraseError::EmptyKeyFile`],
/// [`PassphraseError::KeyFileTooLarge`].
pub fn read_key(reader: impl Read, path: &Path) -> Result<Passphrase, PassphraseError> {
    let limit = MAX_KEY_FILE_BYTES.saturating_add(1);
    let mut bytes = Zeroizing::new(Vec::new());
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|error| PassphraseError::KeyFile {
            path: path.to_owned(),
            error,
        })?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_KEY_FILE_BYTES {
        return Err(PassphraseError::KeyFileTooLarge { path: path.to_owned() });
    }
    if bytes.is_empty() {
        return Err(PassphraseError::EmptyKeyFile { path: path.to_owned() });
    }
    Ok(Passphrase::from_bytes(std::mem::take(&mut *bytes)))
}

/// Reads the key file `path` (`-`: all of standard input), exact bytes.
///
/// # Errors
///
/// As [`read_key`], plus [`PassphraseError::KeyFile`] when the file cannot be opened.
pub fn read_key_file(path: &Path) -> Result<Passphrase, PassphraseError> {
    if path.as_os_str() == STDIN_MARKER {
        return read_key(io::stdin().lock(), path);
    }
    let file = File::open(path).map_err(|error| PassphraseError::KeyFile {
        path: path.to_owned(),
        error,
    })?;
    read_key(file, path)
}

/// Refuses `--key-file -` together with `--new-key-file -`.
///
/// # Errors
///
/// [`PassphraseError::StdinTwice`].
pub fn check_one_stdin(existing: Option<&Path>, new: Option<&Path>) -> Result<(), PassphraseError> {
    let is_stdin = |p: Option<&Path>| p.is_some_and(|p| p.as_os_str() == STDIN_MARKER);
    if is_stdin(existing) && is_stdin(new) {
        Err(PassphraseError::StdinTwice)
    } else {
        Ok(())
    }
}

/// An existing passphrase: from `key_file` when given, else asked once at the prompt.
///
/// # Errors
///
/// Key-file and prompt errors.
pub fn existing(
    key_file: Option<&Path>,
    prompt: &str,
    prompter: &mut dyn Prompter,
) -> Result<Passphrase, PassphraseError> {
    if let Some(path) = key_file {
        return read_key_file(path);
    }
    let typed = prompter
        .ask(prompt)
        .map_err(|error| PassphraseError::Prompt { error })?;
    Ok(Passphrase::from_bytes(typed.as_bytes().to_vec()))
}

/// A new passphrase: from `key_file` when given, else asked twice at the prompt; the two
/// entries must match and must not be empty.
///
/// # Errors
///
/// Key-file and prompt errors, [`PassphraseError::EmptyPrompt`], [`PassphraseError::Mismatch`].
pub fn new(key_file: Option<&Path>, prompt: &str, prompter: &mut dyn Prompter) -> Result<Passphrase, PassphraseError> {
    if let Some(path) = key_file {
        return read_key_file(path);
    }
    let first = prompter
        .ask(prompt)
        .map_err(|error| PassphraseError::Prompt { error })?;
    if first.is_empty() {
        return Err(PassphraseError::EmptyPrompt);
    }
    let second = prompter
        .ask("Verify passphrase: ")
        .map_err(|error| PassphraseError::Prompt { error })?;
    if first.as_bytes() != second.as_bytes() {
        return Err(PassphraseError::Mismatch);
    }
    Ok(Passphrase::from_bytes(first.as_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::io::Write;

    /// Answers prompts from a script and records what was asked.
    struct Scripted {
        answers: VecDeque<io::Result<&'static str>>,
        asked: Vec<String>,
    }

    impl Scripted {
        fn new(answers: Vec<io::Result<&'static str>>) -> Self {
            Self {
                answers: answers.into(),
                asked: Vec::new(),
            }
        }
    }

    impl Prompter for Scripted {
        fn ask(&mut self, prompt: &str) -> io::Result<Zeroizing<String>> {
            self.asked.push(prompt.to_owned());
            let answer = self.answers.pop_front().expect("unexpected prompt")?;
            Ok(Zeroizing::new(answer.to_owned()))
        }
    }

    fn key_file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn key_file_bytes_are_exact() {
        for content in [
            &b"secret\n"[..],
            b"secret",
            b"\r\n  secret \r\n",
            b"\0\xff\x00binary",
            b"\n",
        ] {
            let f = key_file(content);
            let p = read_key_file(f.path()).unwrap();
            assert_eq!(p.as_bytes(), content);
        }
    }

    #[test]
    fn empty_key_file_is_refused() {
        let f = key_file(b"");
        let e = read_key_file(f.path()).unwrap_err();
        assert!(matches!(e, PassphraseError::EmptyKeyFile { .. }), "{e:?}");
        assert!(e.to_string().contains("is empty"), "{e}");
    }

    #[test]
    fn key_file_size_limit() {
        let at_limit = vec![b'k'; usize::try_from(MAX_KEY_FILE_BYTES).unwrap()];
        assert_eq!(
            read_key(&at_limit[..], Path::new("x")).unwrap().as_bytes().len(),
            at_limit.len()
        );
        let over = vec![b'k'; at_limit.len() + 1];
        assert!(matches!(
            read_key(&over[..], Path::new("x")),
            Err(PassphraseError::KeyFileTooLarge { .. })
        ));
    }

    #[test]
    fn missing_key_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.key");
        let e = read_key_file(&path).unwrap_err();
        assert!(matches!(e, PassphraseError::KeyFile { .. }));
        assert!(e.to_string().contains("nope.key"), "{e}");
    }

    #[test]
    fn reader_errors_are_reported() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("boom"))
            }
        }
        let e = read_key(Failing, Path::new(STDIN_MARKER)).unwrap_err();
        assert!(
            e.to_string().contains("standard input") && e.to_string().contains("boom"),
            "{e}"
        );
    }

    #[test]
    fn key_file_wins_over_the_prompt() {
        let f = key_file(b"from file");
        let mut p = Scripted::new(vec![]);
        assert_eq!(existing(Some(f.path()), "?", &mut p).unwrap().as_bytes(), b"from file");
        assert_eq!(new(Some(f.path()), "?", &mut p).unwrap().as_bytes(), b"from file");
        assert!(p.asked.is_empty());
    }

    #[test]
    fn existing_passphrase_is_asked_once() {
        let mut p = Scripted::new(vec![Ok("typed")]);
        assert_eq!(existing(None, "Enter: ", &mut p).unwrap().as_bytes(), b"typed");
        assert_eq!(p.asked, ["Enter: "]);
    }

    #[test]
    fn new_passphrase_is_asked_twice_and_must_match() {
        let mut p = Scripted::new(vec![Ok("abc"), Ok("abc")]);
        assert_eq!(new(None, "New: ", &mut p).unwrap().as_bytes(), b"abc");
        assert_eq!(p.asked, ["New: ", "Verify passphrase: "]);

        let mut p = Scripted::new(vec![Ok("abc"), Ok("abd")]);
        assert!(matches!(new(None, "New: ", &mut p), Err(PassphraseError::Mismatch)));

        let mut p = Scripted::new(vec![Ok("")]);
        assert!(matches!(new(None, "New: ", &mut p), Err(PassphraseError::EmptyPrompt)));
        assert_eq!(p.asked.len(), 1);
    }

    #[test]
    fn no_terminal_suggests_key_file() {
        let mut p = Scripted::new(vec![Err(io::Error::new(io::ErrorKind::NotFound, "no tty"))]);
        let e = existing(None, "?", &mut p).unwrap_err();
        assert!(e.to_string().contains("--key-file"), "{e}");
    }

    #[test]
    fn stdin_only_once() {
        let dash = Path::new("-");
        let file = Path::new("k");
        assert!(matches!(
            check_one_stdin(Some(dash), Some(dash)),
            Err(PassphraseError::StdinTwice)
        ));
        assert!(check_one_stdin(Some(dash), Some(file)).is_ok());
        assert!(check_one_stdin(None, Some(dash)).is_ok());
        assert!(check_one_stdin(None, None).is_ok());
    }

    #[test]
    fn debug_hides_the_bytes() {
        assert_eq!(
            format!("{:?}", Passphrase::from_bytes(b"secret".to_vec())),
            "Passphrase(..)"
        );
    }
}
