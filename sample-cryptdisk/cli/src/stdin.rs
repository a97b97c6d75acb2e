//! Standard input without the standard library's buffer: a duplicate of descriptor 0 (handle
//! on Windows) as a `File`, so that a passphrase read from a pipe is taken byte by byte (the
//! rest of the input stays for the next reader, as cryptsetup leaves it) and no copy of it
//! stays in a buffer that is never wiped.

use std::fs::File;
use std::io::{self, IsTerminal};

/// A `File` reading the process's standard input directly.
///
/// # Errors
///
/// The I/O error when the descriptor cannot be duplicated (for example, standard input is
/// closed).
pub fn raw() -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        Ok(File::from(io::stdin().as_fd().try_clone_to_owned()?))
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsHandle;
        Ok(File::from(io::stdin().as_handle().try_clone_to_owned()?))
    }
}

/// Whether standard input is a terminal (then passphrases are asked for; otherwise they are
/// read from it, one line each, as cryptsetup does).
pub fn is_terminal() -> bool {
    io::stdin().is_terminal()
}
