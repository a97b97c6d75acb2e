//! Passphrases, the way cryptsetup takes them: from a key file (its exact bytes, or
//! `--keyfile-size` bytes after `--keyfile-offset`), from standard input when it is not a
//! terminal (one line per passphrase, the newline not included, no prompt), or typed at a
//! prompt that does not echo.
//!
//! A key file is never trimmed: a trailing newline is part of the passphrase, exactly as with
//! `cryptsetup --key-file`; `--key-file -` reads all of standard input that way. Every
//! passphrase is read in fixed zeroizing chunks into memory that is wiped on every growth and
//! on drop ([`SecretBuf`]).

use crate::secret_buf::{self, ReadError, SecretBuf};
use crate::stdin;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Largest key file accepted (cryptsetup's default key-file size limit, 8 MiB).
pub const MAX_KEY_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Longest passphrase line read from a pipe (cryptsetup's limit for a typed passphrase is
/// 512 characters; a line is allowed the key-file limit).
pub const MAX_LINE_BYTES: u64 = MAX_KEY_FILE_BYTES;

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

    /// Wraps the bytes of a [`SecretBuf`] (moved, not copied).
    pub fn from_secret(secret: SecretBuf) -> Self {
        Self(secret.into_inner())
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

/// Where a key comes from: `--key-file` (`-d`), `--keyfile-size` (`-l`), `--keyfile-offset`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeySpec<'a> {
    /// The key file (`-` = standard input); `None`: piped standard input or the prompt.
    pub file: Option<&'a Path>,
    /// Read exactly this many bytes of the key file (cryptsetup `--keyfile-size`).
    pub size: Option<u64>,
    /// Skip this many bytes of the key file first (cryptsetup `--keyfile-offset`).
    pub offset: u64,
}

impl<'a> KeySpec<'a> {
    /// A whole key file, or `None` for the prompt.
    pub fn file(file: Option<&'a Path>) -> Self {
        Self {
            file,
            ..Self::default()
        }
    }
}

/// How a passphrase was obtained: only a typed one may be asked for again (`--tries`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// From a key file (or `--key-file -`).
    KeyFile,
    /// One line of piped standard input.
    Piped,
    /// Typed at the prompt.
    Typed,
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
    /// The key file ends before `--keyfile-offset` + `--keyfile-size` bytes.
    KeyFileShort {
        /// The key file (`-` for standard input).
        path: PathBuf,
        /// `--keyfile-offset` plus `--keyfile-size` (or the offset alone).
        wanted: u64,
    },
    /// Standard input was to be read twice (two `-` key files, or `-` for both data and key).
    StdinTwice,
    /// Standard input is not a terminal and holds no (further) line for a passphrase.
    NoPipedPassphrase,
    /// No terminal to prompt on (or reading from it failed).
    Prompt {
        /// The I/O error.
        error: io::Error,
    },
    /// A new passphrase typed at the prompt (or piped) was empty.
    EmptyPrompt,
    /// The two entries of a new passphrase differ.
    Mismatch,
    /// No memory for the key.
    OutOfMemory,
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
                "key file {} is larger than {MAX_KEY_FILE_BYTES} bytes; use a smaller key file or --keyfile-size",
                shown(path)
            ),
            Self::KeyFileShort { path, wanted } => write!(
                f,
                "key file {} is shorter than --keyfile-offset plus --keyfile-size ({wanted} bytes); check both values",
                shown(path)
            ),
            Self::StdinTwice => f.write_str(
                "standard input cannot be read twice (two '-' key files, or '-' for both data and a key); give one of them as a file",
            ),
            Self::NoPipedPassphrase => f.write_str(
                "no passphrase on standard input (it is not a terminal, so cryptdisk reads one line per passphrase from it); pipe the passphrase in, or use --key-file PATH",
            ),
            Self::Prompt { error } => write!(
                f,
                "cannot ask for a passphrase: {error}; run cryptdisk in a terminal, or use --key-file PATH (--key-file - reads standard input)"
            ),
            Self::EmptyPrompt => f.write_str("the passphrase is empty; type a passphrase of at least one character"),
            Self::Mismatch => f.write_str(
                "the two passphrases do not match; run the command again and type the same passphrase twice",
            ),
            Self::OutOfMemory => f.write_str("not enough memory to read the key; close other programs and try again"),
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

/// Maps a [`ReadError`] for the key file `path`.
fn read_error(path: &Path) -> impl FnOnce(ReadError) -> PassphraseError {
    let path = path.to_owned();
    move |e| match e {
        ReadError::Io(error) => PassphraseError::KeyFile { path, error },
        ReadError::TooLarge => PassphraseError::KeyFileTooLarge { path },
        ReadError::OutOfMemory => PassphraseError::OutOfMemory,
    }
}

/// Reads `offset` bytes of `reader` and drops them (through a zeroizing chunk); `wanted` is
/// what a short file is reported against.
fn skip(reader: &mut dyn Read, offset: u64, wanted: u64, path: &Path) -> Result<(), PassphraseError> {
    let mut chunk = Zeroizing::new([0u8; secret_buf::CHUNK_BYTES]);
    let mut left = offset;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
        let part = chunk.get_mut(..want).unwrap_or_default();
        match reader.read(part) {
            Ok(0) => {
                return Err(PassphraseError::KeyFileShort {
                    path: path.to_owned(),
                    wanted,
                });
            }
            Ok(n) => left = left.saturating_sub(u64::try_from(n).unwrap_or(u64::MAX)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => {
                return Err(PassphraseError::KeyFile {
                    path: path.to_owned(),
                    error,
                });
            }
        }
    }
    Ok(())
}

/// Reads a key from `reader`, which is `offset` bytes into the key file: its exact bytes,
/// nothing stripped; exactly `size` bytes when given, else everything up to
/// [`MAX_KEY_FILE_BYTES`].
///
/// # Errors
///
/// [`PassphraseError::KeyFile`] when reading fails, [`PassphraseError::EmptyKeyFile`],
/// [`PassphraseError::KeyFileTooLarge`], [`PassphraseError::KeyFileShort`].
pub fn read_key(
    mut reader: impl Read,
    path: &Path,
    size: Option<u64>,
    offset: u64,
) -> Result<Passphrase, PassphraseError> {
    let secret = match size {
        Some(size) => {
            let wanted = offset.saturating_add(size);
            let secret = SecretBuf::read_from(&mut reader, size, true).map_err(read_error(path))?;
            if u64::try_from(secret.len()).unwrap_or(0) < size {
                return Err(PassphraseError::KeyFileShort {
                    path: path.to_owned(),
                    wanted,
                });
            }
            secret
        }
        None => SecretBuf::read_from(&mut reader, MAX_KEY_FILE_BYTES, false).map_err(read_error(path))?,
    };
    if secret.is_empty() {
        return Err(PassphraseError::EmptyKeyFile { path: path.to_owned() });
    }
    Ok(Passphrase::from_secret(secret))
}

/// What standard input is for in this command.
pub enum StdinRole {
    /// A terminal: passphrases are typed at the prompt; `--key-file -` reads it to its end.
    Terminal,
    /// Not a terminal: each passphrase without a key file is its next line.
    Piped(Box<dyn Read>),
    /// It carries the command's data (`encrypt - VOLUME`): passphrases are asked on the
    /// terminal, `--key-file -` is refused.
    Data,
    /// Already read to its end by `--key-file -`.
    Consumed,
}

impl fmt::Debug for StdinRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Terminal => "Terminal",
            Self::Piped(_) => "Piped",
            Self::Data => "Data",
            Self::Consumed => "Consumed",
        })
    }
}

/// Gets passphrases for one command: from key files, piped standard input or the prompt.
pub struct Asker {
    prompter: Box<dyn Prompter>,
    stdin: StdinRole,
}

impl fmt::Debug for Asker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Asker")
            .field("stdin", &self.stdin)
            .finish_non_exhaustive()
    }
}

impl Asker {
    /// An asker with `prompter` and standard input in `stdin`'s role.
    pub fn new(prompter: Box<dyn Prompter>, stdin: StdinRole) -> Self {
        Self { prompter, stdin }
    }

    /// The process's asker: the terminal prompt, standard input piped or a terminal (or the
    /// command's data when `stdin_is_data`).
    pub fn for_process(stdin_is_data: bool) -> Self {
        let role = if stdin_is_data {
            StdinRole::Data
        } else if stdin::is_terminal() {
            StdinRole::Terminal
        } else {
            match stdin::raw() {
                Ok(file) => StdinRole::Piped(Box::new(file)),
                // Closed standard input: there is no line to read.
                Err(_) => StdinRole::Consumed,
            }
        };
        Self::new(Box::new(TtyPrompter), role)
    }

    /// Takes all of standard input as a key file (`--key-file -`).
    fn stdin_key(&mut self, spec: KeySpec<'_>, path: &Path) -> Result<Passphrase, PassphraseError> {
        let mut reader: Box<dyn Read> = match std::mem::replace(&mut self.stdin, StdinRole::Consumed) {
            StdinRole::Piped(reader) => reader,
            StdinRole::Terminal => Box::new(stdin::raw().map_err(|error| PassphraseError::KeyFile {
                path: path.to_owned(),
                error,
            })?),
            role @ (StdinRole::Data | StdinRole::Consumed) => {
                self.stdin = role;
                return Err(PassphraseError::StdinTwice);
            }
        };
        let wanted = spec.offset.saturating_add(spec.size.unwrap_or(0));
        skip(&mut reader, spec.offset, wanted, path)?;
        read_key(reader, path, spec.size, spec.offset)
    }

    /// Reads the key file of `spec` (`-`: standard input).
    fn key_file(&mut self, spec: KeySpec<'_>, path: &Path) -> Result<Passphrase, PassphraseError> {
        if path.as_os_str() == STDIN_MARKER {
            return self.stdin_key(spec, path);
        }
        let mut file = File::open(path).map_err(|error| PassphraseError::KeyFile {
            path: path.to_owned(),
            error,
        })?;
        if spec.offset > 0 && file.seek(SeekFrom::Start(spec.offset)).is_err() {
            // Not seekable (a pipe or FIFO): read past the offset instead.
            let wanted = spec.offset.saturating_add(spec.size.unwrap_or(0));
            skip(&mut file, spec.offset, wanted, path)?;
        }
        read_key(file, path, spec.size, spec.offset)
    }

    /// The next line of piped standard input, when standard input is piped.
    fn piped_line(&mut self) -> Result<Option<Passphrase>, PassphraseError> {
        match &mut self.stdin {
            StdinRole::Piped(reader) => match SecretBuf::read_line(reader.as_mut(), MAX_LINE_BYTES) {
                Ok(Some(line)) => Ok(Some(Passphrase::from_secret(line))),
                Ok(None) => Err(PassphraseError::NoPipedPassphrase),
                Err(e) => Err(read_error(Path::new(STDIN_MARKER))(e)),
            },
            StdinRole::Consumed => Err(PassphraseError::NoPipedPassphrase),
            StdinRole::Terminal | StdinRole::Data => Ok(None),
        }
    }

    fn ask(&mut self, prompt: &str) -> Result<Zeroizing<String>, PassphraseError> {
        self.prompter
            .ask(prompt)
            .map_err(|error| PassphraseError::Prompt { error })
    }

    /// An existing passphrase: from the key file of `spec`, else the next piped line, else
    /// asked once at the prompt.
    ///
    /// # Errors
    ///
    /// Key-file, standard-input and prompt errors.
    pub fn existing(&mut self, spec: KeySpec<'_>, prompt: &str) -> Result<(Passphrase, Origin), PassphraseError> {
        if let Some(path) = spec.file {
            return Ok((self.key_file(spec, path)?, Origin::KeyFile));
        }
        if let Some(line) = self.piped_line()? {
            return Ok((line, Origin::Piped));
        }
        let typed = self.ask(prompt)?;
        Ok((Passphrase::from_bytes(typed.as_bytes().to_vec()), Origin::Typed))
    }

    /// A new passphrase: from the key file of `spec`, else the next piped line (not empty),
    /// else asked twice at the prompt; the two entries must match and must not be empty.
    ///
    /// # Errors
    ///
    /// Key-file, standard-input and prompt errors, [`PassphraseError::EmptyPrompt`],
    /// [`PassphraseError::Mismatch`].
    pub fn new_passphrase(&mut self, spec: KeySpec<'_>, prompt: &str) -> Result<Passphrase, PassphraseError> {
        if let Some(path) = spec.file {
            return self.key_file(spec, path);
        }
        if let Some(line) = self.piped_line()? {
            return if line.as_bytes().is_empty() {
                Err(PassphraseError::EmptyPrompt)
            } else {
                Ok(line)
            };
        }
        let first = self.ask(prompt)?;
        if first.is_empty() {
            return Err(PassphraseError::EmptyPrompt);
        }
        let second = self.ask("Verify passphrase: ")?;
        if first.as_bytes() != second.as_bytes() {
            return Err(PassphraseError::Mismatch);
        }
        Ok(Passphrase::from_bytes(first.as_bytes().to_vec()))
    }
}

/// Refuses `--key-file -` together with `--new-keyfile -`.
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::io::Write;

    /// Answers prompts from a script and records what was asked.
    struct Scripted {
        answers: VecDeque<io::Result<&'static str>>,
        asked: std::rc::Rc<std::cell::RefCell<Vec<String>>>,
    }

    impl Prompter for Scripted {
        fn ask(&mut self, prompt: &str) -> io::Result<Zeroizing<String>> {
            self.asked.borrow_mut().push(prompt.to_owned());
            let answer = self.answers.pop_front().expect("unexpected prompt")?;
            Ok(Zeroizing::new(answer.to_owned()))
        }
    }

    type Asked = std::rc::Rc<std::cell::RefCell<Vec<String>>>;

    fn terminal(answers: Vec<io::Result<&'static str>>) -> (Asker, Asked) {
        let asked = Asked::default();
        let p = Scripted {
            answers: answers.into(),
            asked: asked.clone(),
        };
        (Asker::new(Box::new(p), StdinRole::Terminal), asked)
    }

    fn piped(input: &'static [u8]) -> Asker {
        let p = Scripted {
            answers: VecDeque::new(),
            asked: Asked::default(),
        };
        Asker::new(Box::new(p), StdinRole::Piped(Box::new(input)))
    }

    fn key_file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    fn read(path: &Path) -> Result<Passphrase, PassphraseError> {
        terminal(vec![])
            .0
            .existing(KeySpec::file(Some(path)), "?")
            .map(|(p, _)| p)
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
            assert_eq!(read(f.path()).unwrap().as_bytes(), content);
        }
    }

    #[test]
    fn keyfile_size_and_offset_select_bytes() {
        let f = key_file(b"0123456789");
        let mut a = terminal(vec![]).0;
        let spec = |size, offset| KeySpec {
            file: Some(f.path()),
            size,
            offset,
        };
        let got = |a: &mut Asker, size, offset| a.existing(spec(size, offset), "?").map(|(p, _)| p.as_bytes().to_vec());
        assert_eq!(got(&mut a, Some(4), 0).unwrap(), b"0123");
        assert_eq!(got(&mut a, Some(4), 3).unwrap(), b"3456");
        assert_eq!(got(&mut a, None, 7).unwrap(), b"789");
        assert_eq!(got(&mut a, Some(10), 0).unwrap(), b"0123456789");
        let e = got(&mut a, Some(5), 6).unwrap_err();
        assert!(matches!(e, PassphraseError::KeyFileShort { wanted: 11, .. }), "{e:?}");
        assert!(matches!(
            got(&mut a, None, 10),
            Err(PassphraseError::EmptyKeyFile { .. })
        ));

        // The same through standard input (not seekable: the offset is read past).
        let mut p = piped(b"0123456789");
        let dash = Path::new("-");
        let (pass, origin) = p
            .existing(
                KeySpec {
                    file: Some(dash),
                    size: Some(4),
                    offset: 3,
                },
                "?",
            )
            .unwrap();
        assert_eq!((pass.as_bytes(), origin), (&b"3456"[..], Origin::KeyFile));
        // Standard input is used up now.
        assert!(matches!(
            p.existing(KeySpec::file(Some(dash)), "?"),
            Err(PassphraseError::StdinTwice)
        ));
    }

    #[test]
    fn empty_key_file_is_refused() {
        let f = key_file(b"");
        let e = read(f.path()).unwrap_err();
        assert!(matches!(e, PassphraseError::EmptyKeyFile { .. }), "{e:?}");
        assert!(e.to_string().contains("is empty"), "{e}");
    }

    #[test]
    fn key_file_size_limit() {
        let at_limit = vec![b'k'; usize::try_from(MAX_KEY_FILE_BYTES).unwrap()];
        assert_eq!(
            read_key(&at_limit[..], Path::new("x"), None, 0)
                .unwrap()
                .as_bytes()
                .len(),
            at_limit.len()
        );
        let over = vec![b'k'; at_limit.len() + 1];
        assert!(matches!(
            read_key(&over[..], Path::new("x"), None, 0),
            Err(PassphraseError::KeyFileTooLarge { .. })
        ));
        // --keyfile-size reads that much of a larger file.
        assert_eq!(
            read_key(&over[..], Path::new("x"), Some(5), 0).unwrap().as_bytes(),
            b"kkkkk"
        );
    }

    #[test]
    fn missing_key_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.key");
        let e = read(&path).unwrap_err();
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
        let e = read_key(Failing, Path::new(STDIN_MARKER), None, 0).unwrap_err();
        assert!(
            e.to_string().contains("standard input") && e.to_string().contains("boom"),
            "{e}"
        );
    }

    #[test]
    fn piped_standard_input_gives_one_line_per_passphrase() {
        let mut p = piped(b"old pass\nnew pass\n\n");
        let (old, origin) = p.existing(KeySpec::default(), "?").unwrap();
        assert_eq!((old.as_bytes(), origin), (&b"old pass"[..], Origin::Piped));
        assert_eq!(
            p.new_passphrase(KeySpec::default(), "?").unwrap().as_bytes(),
            b"new pass"
        );
        // An empty line is no new passphrase; the end of input is none at all.
        assert!(matches!(
            p.new_passphrase(KeySpec::default(), "?"),
            Err(PassphraseError::EmptyPrompt)
        ));
        let e = p.existing(KeySpec::default(), "?").unwrap_err();
        assert!(matches!(e, PassphraseError::NoPipedPassphrase), "{e:?}");
        assert!(e.to_string().contains("--key-file"), "{e}");
        // A last line without a newline counts.
        assert_eq!(
            piped(b"last").existing(KeySpec::default(), "?").unwrap().0.as_bytes(),
            b"last"
        );
    }

    #[test]
    fn data_on_standard_input_leaves_the_prompt() {
        let asked = Asked::default();
        let p = Scripted {
            answers: vec![Ok("typed")].into(),
            asked: asked.clone(),
        };
        let mut a = Asker::new(Box::new(p), StdinRole::Data);
        assert_eq!(
            a.existing(KeySpec::default(), "Enter: ").unwrap().0.as_bytes(),
            b"typed"
        );
        assert!(matches!(
            a.existing(KeySpec::file(Some(Path::new("-"))), "?"),
            Err(PassphraseError::StdinTwice)
        ));
        assert_eq!(*asked.borrow(), ["Enter: "]);
    }

    #[test]
    fn key_file_wins_over_the_prompt_and_the_pipe() {
        let f = key_file(b"from file");
        let (mut a, asked) = terminal(vec![]);
        assert_eq!(
            a.existing(KeySpec::file(Some(f.path())), "?").unwrap().0.as_bytes(),
            b"from file"
        );
        assert_eq!(
            a.new_passphrase(KeySpec::file(Some(f.path())), "?").unwrap().as_bytes(),
            b"from file"
        );
        assert!(asked.borrow().is_empty());
        let mut p = piped(b"piped\n");
        assert_eq!(
            p.existing(KeySpec::file(Some(f.path())), "?").unwrap().0.as_bytes(),
            b"from file"
        );
        assert_eq!(p.existing(KeySpec::default(), "?").unwrap().0.as_bytes(), b"piped");
    }

    #[test]
    fn existing_passphrase_is_asked_once() {
        let (mut a, asked) = terminal(vec![Ok("typed")]);
        let (pass, origin) = a.existing(KeySpec::default(), "Enter: ").unwrap();
        assert_eq!((pass.as_bytes(), origin), (&b"typed"[..], Origin::Typed));
        assert_eq!(*asked.borrow(), ["Enter: "]);
    }

    #[test]
    fn new_passphrase_is_asked_twice_and_must_match() {
        let (mut a, asked) = terminal(vec![Ok("abc"), Ok("abc")]);
        assert_eq!(
            a.new_passphrase(KeySpec::default(), "New: ").unwrap().as_bytes(),
            b"abc"
        );
        assert_eq!(*asked.borrow(), ["New: ", "Verify passphrase: "]);

        let (mut a, _) = terminal(vec![Ok("abc"), Ok("abd")]);
        assert!(matches!(
            a.new_passphrase(KeySpec::default(), "New: "),
            Err(PassphraseError::Mismatch)
        ));

        let (mut a, asked) = terminal(vec![Ok("")]);
        assert!(matches!(
            a.new_passphrase(KeySpec::default(), "New: "),
            Err(PassphraseError::EmptyPrompt)
        ));
        assert_eq!(asked.borrow().len(), 1);
    }

    #[test]
    fn no_terminal_suggests_key_file() {
        let (mut a, _) = terminal(vec![Err(io::Error::new(io::ErrorKind::NotFound, "no tty"))]);
        let e = a.existing(KeySpec::default(), "?").unwrap_err();
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
