//! [`OutputFile`]: a new file (volume or raw image) written under a temporary name in the
//! destination's directory and renamed into place only once complete, so that a failure or an
//! interruption never leaves a half-written output, and an existing file is replaced only with
//! `--force`. The temporary file is registered with [`crate::interrupt`] so that
//! Ctrl-C removes it; after the rename the directory is synced (Unix) so that the new name is
//! durable too.

use crate::error::CliError;
use crate::interrupt::{self, Registration};
use std::fs::File;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A file being written; see the [module docs](self).
#[derive(Debug)]
pub struct OutputFile {
    temp: NamedTempFile,
    dest: PathBuf,
    force: bool,
    registration: Registration,
}

/// Refuses an output that is the input: the same file by identity (device and inode on Unix,
/// volume serial and file index on Windows), whatever the names or links. An output that does
/// not exist yet is never the input.
///
/// # Errors
///
/// [`CliError::SameFile`].
pub fn check_not_input(input: &Path, output: &Path) -> Result<(), CliError> {
    let same = if output.as_os_str() == crate::passphrase::STDIN_MARKER {
        match (same_file::Handle::from_path(input), same_file::Handle::stdout()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    } else if input.as_os_str() == crate::passphrase::STDIN_MARKER {
        match (same_file::Handle::stdin(), same_file::Handle::from_path(output)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    } else {
        same_file::is_same_file(input, output).unwrap_or(false)
    };
    if same {
        Err(CliError::SameFile {
            input: input.to_owned(),
            output: output.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Syncs the directory holding `dest`, so that a rename into it survives a crash (Unix; on
/// Windows a rename is made durable by the file system's journal and directories cannot be
/// opened as files).
fn sync_parent(dest: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(parent_dir(dest))?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dest;
        Ok(())
    }
}

/// The directory of `dest` (`.` for a bare file name).
fn parent_dir(dest: &Path) -> &Path {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuses an existing `dest` unless `force` (and a directory always), before any work is done.
///
/// # Errors
///
/// [`CliError::OutputExists`], or [`CliError::Io`] when `dest` is a directory.
pub fn check_target(dest: &Path, force: bool) -> Result<(), CliError> {
    match std::fs::symlink_metadata(dest) {
        Ok(meta) if meta.is_dir() => Err(CliError::Io {
            action: "write",
            path: dest.to_owned(),
            error: std::io::Error::other("it is a directory"),
        }),
        // A device, pipe, socket or symbolic link would be replaced by a plain file: refuse.
        Ok(meta) if !meta.is_file() => Err(CliError::NotRegularFile { path: dest.to_owned() }),
        Ok(_) if !force => Err(CliError::OutputExists { path: dest.to_owned() }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(CliError::Io {
            action: "check",
            path: dest.to_owned(),
            error,
        }),
    }
}

impl OutputFile {
    /// Starts writing `dest`: checks it (see [`check_target`]) and creates an empty temporary
    /// file next to it (mode 0600 on Unix: volumes and decrypted images are private).
    ///
    /// # Errors
    ///
    /// As [`check_target`], or [`CliError::Io`] when the directory is not writable.
    pub fn create(dest: &Path, force: bool) -> Result<Self, CliError> {
        check_target(dest, force)?;
        let dir = parent_dir(dest);
        let temp = tempfile::Builder::new()
            .prefix(".cryptdisk-")
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(CliError::io("create a file in", dir))?;
        let registration = interrupt::register(temp.path());
        Ok(Self {
            temp,
            dest: dest.to_owned(),
            force,
            registration,
        })
    }

    /// The file being written.
    pub fn file(&self) -> &File {
        self.temp.as_file()
    }

    /// A second handle on the file being written (for a `FileDevice`, which owns its file).
    ///
    /// # Errors
    ///
    /// [`CliError::Io`] when the handle cannot be duplicated.
    pub fn handle(&self) -> Result<File, CliError> {
        self.file().try_clone().map_err(CliError::io("reopen", &self.dest))
    }

    /// Sets the file's length (sparse where the file system allows).
    ///
    /// # Errors
    ///
    /// [`CliError::Io`], e.g. when the disk is full or the size too large for the file system.
    pub fn set_len(&self, len: u64) -> Result<(), CliError> {
        self.file().set_len(len).map_err(CliError::io("size", &self.dest))
    }

    /// Flushes the data to disk, renames the file to its destination (refusing to replace a
    /// file that appeared in the meantime, unless `--force`) and syncs the directory.
    ///
    /// # Errors
    ///
    /// [`CliError::Io`] when syncing fails, [`CliError::OutputExists`] when the destination
    /// appeared meanwhile; the temporary file is removed in both cases.
    pub fn commit(self) -> Result<(), CliError> {
        self.file().sync_all().map_err(CliError::io("write", &self.dest))?;
        let Self {
            temp,
            dest,
            force,
            registration,
        } = self;
        let result = interrupt::finish(registration, || {
            if force {
                temp.persist(&dest)
            } else {
                temp.persist_noclobber(&dest)
            }
        });
        match result {
            Ok(_) => sync_parent(&dest).map_err(CliError::io("sync the directory of", &dest)),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(CliError::OutputExists { path: dest }),
            Err(e) => Err(CliError::Io {
                action: "rename the finished file to",
                path: dest,
                error: e.error,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.img");
        let out = OutputFile::create(&dest, false).unwrap();
        out.handle().unwrap().write_all(b"data").unwrap();
        assert!(!dest.exists());
        out.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"data");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
    }

    #[test]
    fn dropped_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.img");
        drop(OutputFile::create(&dest, false).unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn existing_output_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.img");
        std::fs::write(&dest, b"old").unwrap();
        assert!(matches!(
            OutputFile::create(&dest, false),
            Err(CliError::OutputExists { .. })
        ));
        let out = OutputFile::create(&dest, true).unwrap();
        out.file().write_all(b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
    }

    #[test]
    fn output_that_appears_meanwhile_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.img");
        let out = OutputFile::create(&dest, false).unwrap();
        std::fs::write(&dest, b"someone else's").unwrap();
        assert!(matches!(out.commit(), Err(CliError::OutputExists { .. })));
        assert_eq!(std::fs::read(&dest).unwrap(), b"someone else's");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_and_links_are_never_replaced() {
        for special in ["/dev/null", "/dev/zero"] {
            let e = check_target(Path::new(special), true).unwrap_err();
            assert!(matches!(e, CliError::NotRegularFile { .. }), "{special}: {e:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, b"x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            check_target(&link, true),
            Err(CliError::NotRegularFile { .. })
        ));
    }

    #[test]
    fn the_input_is_never_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, b"x").unwrap();
        let b = dir.path().join("b");
        std::fs::write(&b, b"x").unwrap();
        assert!(matches!(check_not_input(&a, &a), Err(CliError::SameFile { .. })));
        assert!(check_not_input(&a, &b).is_ok());
        assert!(check_not_input(&a, &dir.path().join("new")).is_ok());
        let hard = dir.path().join("hard");
        std::fs::hard_link(&a, &hard).unwrap();
        assert!(matches!(check_not_input(&a, &hard), Err(CliError::SameFile { .. })));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(matches!(check_not_input(&link, &a), Err(CliError::SameFile { .. })));
        }
    }

    #[test]
    fn directory_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(check_target(dir.path(), true), Err(CliError::Io { .. })));
    }
}
