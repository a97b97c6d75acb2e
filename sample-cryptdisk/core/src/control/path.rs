//! The container path of a MOUNT command: an absolute NT path the driver opens in the context of
//! the caller (with an access check against the caller's token).

use mountdev::NtName;
use zerocopy::byteorder::little_endian::U16;

use super::ControlError;

/// Longest container path accepted, in UTF-16 code units (the Win32 long-path limit).
pub const MAX_PATH_UNITS: usize = 32767;

/// Checks that `path` is an absolute NT path the driver may open: `\??\X:\…` (a drive-absolute
/// path in the global DOS device namespace) or `\??\UNC\server\share\…`, with no empty, `.` or
/// `..` component and no trailing backslash. A relative path would resolve against whatever
/// the opener's current directory is, so only absolute forms are accepted.
///
/// # Errors
/// [`ControlError::Path`] with the reason.
///
/// ```
/// use cryptdisk_core::control::validate_container_path;
/// use mountdev::nt_name;
/// assert!(validate_container_path(nt_name!("\\??\\C:\\vols\\a.luks")).is_ok());
/// assert!(validate_container_path(nt_name!("C:\\vols\\a.luks")).is_err());
/// assert!(validate_container_path(nt_name!("\\??\\C:\\vols\\..\\a.luks")).is_err());
/// ```
pub fn validate_container_path(path: NtName<'_>) -> Result<(), ControlError> {
    if path.len() > MAX_PATH_UNITS {
        return Err(ControlError::Path {
            reason: "longer than 32767 characters",
        });
    }
    // The wire units are read in place: no copy of a path of up to 64 KiB.
    let rest = path.units().strip_prefix(&NT_PREFIX[..]).ok_or(ControlError::Path {
        reason: "must start with \\??\\ (an absolute NT path)",
    })?;
    let components = match rest {
        [letter, colon, slash, tail @ ..]
            if u8::try_from(letter.get()).is_ok_and(|l| l.is_ascii_alphabetic())
                && is(colon, b':')
                && is(slash, b'\\') =>
        {
            tail
        }
        _ => {
            let tail = rest.strip_prefix(&UNC_PREFIX[..]).ok_or(ControlError::Path {
                reason: "must be \\??\\X:\\... or \\??\\UNC\\server\\share\\...",
            })?;
            if tail.split(|u| is(u, b'\\')).filter(|c| !c.is_empty()).count() < 3 {
                return Err(ControlError::Path {
                    reason: "a UNC path needs a server, a share and a file",
                });
            }
            tail
        }
    };
    if components.is_empty() {
        return Err(ControlError::Path {
            reason: "names a drive, not a file",
        });
    }
    for component in components.split(|u| is(u, b'\\')) {
        match component {
            [] => {
                return Err(ControlError::Path {
                    reason: "empty path component or trailing backslash",
                });
            }
            [dot] if is(dot, b'.') => {
                return Err(ControlError::Path {
                    reason: "'.' component",
                });
            }
            [a, b] if is(a, b'.') && is(b, b'.') => {
                return Err(ControlError::Path {
                    reason: "'..' component",
                });
            }
            _ => {}
        }
        if component
            .iter()
            .any(|u| u.get() < 0x20 || matches!(u.get(), 0x22 | 0x2A | 0x2F | 0x3A | 0x3C | 0x3E | 0x3F | 0x7C))
        {
            return Err(ControlError::Path {
                reason: "a character that is not allowed in a file name",
            });
        }
    }
    Ok(())
}

/// Whether the wire unit `unit` is the ASCII character `c`.
fn is(unit: &U16, c: u8) -> bool {
    unit.get() == u16::from(c)
}

/// An ASCII character as a wire unit.
const fn unit(c: u8) -> U16 {
    U16::new(c as u16)
}

/// `\??\` as wire units.
const NT_PREFIX: [U16; 4] = [unit(b'\\'), unit(b'?'), unit(b'?'), unit(b'\\')];
/// `UNC\` as wire units.
const UNC_PREFIX: [U16; 4] = [unit(b'U'), unit(b'N'), unit(b'C'), unit(b'\\')];

#[cfg(test)]
mod tests {
    use super::*;
    use mountdev::nt_name;

    #[test]
    fn accepted_and_refused_forms() {
        for ok in [
            "\\??\\C:\\a",
            "\\??\\z:\\dir\\file.luks",
            "\\??\\UNC\\server\\share\\v.img",
        ] {
            let mut buf = mountdev::NtNameBuf::<64>::new();
            buf.push_str(ok).unwrap();
            assert!(validate_container_path(buf.as_name().unwrap()).is_ok(), "{ok}");
        }
        for bad in [
            "C:\\a",
            "\\??\\C:",
            "\\??\\C:\\",
            "\\??\\C:\\a\\",
            "\\??\\C:\\a\\\\b",
            "\\??\\C:\\.\\a",
            "\\??\\C:\\..\\a",
            "\\??\\UNC\\server",
            "\\??\\UNC\\server\\share",
            "\\Device\\HarddiskVolume1\\a",
            "\\??\\C:\\a:b",
            "\\??\\C:\\a|b",
            "\\??\\1:\\a",
        ] {
            let mut buf = mountdev::NtNameBuf::<64>::new();
            buf.push_str(bad).unwrap();
            assert!(validate_container_path(buf.as_name().unwrap()).is_err(), "{bad}");
        }
        assert!(validate_container_path(nt_name!("\\??\\C:\\x")).is_ok());
    }
}
