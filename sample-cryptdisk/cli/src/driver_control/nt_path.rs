//! The container path as the driver opens it: an absolute NT path (`\??\C:\…`,
//! `\??\UNC\server\share\…`), made from an absolute Win32 path.
//!
//! The driver opens the container in the caller's context (MOUNT's dispatch routine, with the
//! caller's access check), but the path must still not depend on the caller's process state:
//! no relative path, no current drive. `cryptdisk mount` resolves the volume with
//! `std::fs::canonicalize` first, which turns a mapped network drive into its UNC form.

use std::fmt;

/// A path that has no NT form the driver accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NtPathError {
    /// The path given.
    pub path: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for NtPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for NtPathError {}

/// Whether `text` starts with a drive letter and `:\`.
fn drive_absolute(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes, [letter, b':', b'\\', ..] if letter.is_ascii_alphabetic())
}

/// The NT path of an absolute Win32 path (forward slashes count as backslashes):
///
/// | Win32 | NT |
/// | --- | --- |
/// | `C:\v\a.luks`, `\\?\C:\v\a.luks` | `\??\C:\v\a.luks` |
/// | `\\server\share\a.luks`, `\\?\UNC\server\share\a.luks` | `\??\UNC\server\share\a.luks` |
///
/// # Errors
///
/// [`NtPathError`] for a relative or drive-relative path, a device path (`\\.\…`), or a
/// verbatim path of another kind (`\\?\Volume{…}\…`).
pub fn to_nt_path(win32: &str) -> Result<String, NtPathError> {
    let fail = |reason| NtPathError {
        path: win32.to_owned(),
        reason,
    };
    let text = win32.replace('/', "\\");
    if let Some(verbatim) = text.strip_prefix("\\\\?\\") {
        if let Some(unc) = verbatim.strip_prefix("UNC\\") {
            return Ok(format!("\\??\\UNC\\{unc}"));
        }
        if drive_absolute(verbatim) {
            return Ok(format!("\\??\\{verbatim}"));
        }
        return Err(fail("a verbatim path that names neither a drive nor a UNC share"));
    }
    if text.starts_with("\\\\.\\") {
        return Err(fail("a device path, not a file"));
    }
    if let Some(unc) = text.strip_prefix("\\\\") {
        return Ok(format!("\\??\\UNC\\{unc}"));
    }
    if drive_absolute(&text) {
        return Ok(format!("\\??\\{text}"));
    }
    Err(fail("not an absolute path (give C:\\... or \\\\server\\share\\...)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_and_unc_forms() {
        for (win32, nt) in [
            (r"C:\a.luks", r"\??\C:\a.luks"),
            (r"z:\dir\b.img", r"\??\z:\dir\b.img"),
            ("C:/dir/c.img", r"\??\C:\dir\c.img"),
            (r"\\?\C:\a.luks", r"\??\C:\a.luks"),
            (r"\\?\UNC\srv\share\d.luks", r"\??\UNC\srv\share\d.luks"),
            (r"\\srv\share\dir\e.luks", r"\??\UNC\srv\share\dir\e.luks"),
        ] {
            assert_eq!(to_nt_path(win32).unwrap(), nt, "{win32}");
        }
    }

    #[test]
    fn other_forms_are_refused_with_a_reason() {
        for win32 in [
            "a.luks",
            r"dir\a.luks",
            r"\dir\a.luks",
            "C:a.luks",
            r"\\.\PhysicalDrive0",
            r"\\?\Volume{01234567-89ab-cdef-0123-456789abcdef}\a.luks",
            "",
        ] {
            let error = to_nt_path(win32).unwrap_err();
            assert_eq!(error.path, win32);
            assert!(!error.reason.is_empty());
        }
    }

    #[test]
    fn results_pass_the_drivers_own_validation() {
        use mountdev::NtNameBuf;
        for win32 in [r"C:\vols\a.luks", r"\\srv\share\a.luks", r"\\?\D:\x\y.img"] {
            let nt = to_nt_path(win32).unwrap();
            let mut name = NtNameBuf::<64>::new();
            name.push_str(&nt).unwrap();
            cryptdisk_core::control::validate_container_path(name.as_name().unwrap()).unwrap();
        }
    }
}
