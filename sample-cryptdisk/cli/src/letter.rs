//! Drive-letter arguments (`--letter X`, `unmount X`): one letter `A`..`Z`, either case, with or
//! without a trailing colon, turned into the mount manager's `\DosDevices\X:` link name.

use mountdev::DriveLetterLink;
use std::fmt;

/// A drive-letter argument that is not a letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterError {
    /// The text given.
    pub text: String,
}

impl fmt::Display for LetterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a drive letter; give one letter A to Z, e.g. Z or Z:",
            self.text
        )
    }
}

impl std::error::Error for LetterError {}

/// Parses `Z`, `z`, `Z:` or `z:` into the link `\DosDevices\Z:`.
///
/// # Errors
///
/// [`LetterError`] for anything else.
pub fn parse_letter(text: &str) -> Result<DriveLetterLink, LetterError> {
    let bad = || LetterError { text: text.to_owned() };
    let trimmed = text.trim();
    let letter = trimmed.strip_suffix(':').unwrap_or(trimmed);
    let mut chars = letter.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => DriveLetterLink::from_char(c.to_ascii_uppercase()).ok_or_else(bad),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_cases_and_a_colon() {
        for text in ["Z", "z", "Z:", "z:", " z "] {
            let link = parse_letter(text).unwrap();
            assert_eq!(link.letter(), 'Z');
            assert_eq!(link.as_name(), "\\DosDevices\\Z:");
        }
        assert_eq!(parse_letter("a").unwrap().letter(), 'A');
    }

    #[test]
    fn rejects_everything_else() {
        for text in ["", ":", "ZZ", "1", "Z::", "é", "\\DosDevices\\Z:", "Z:\\"] {
            let e = parse_letter(text).unwrap_err();
            assert!(e.to_string().contains("not a drive letter"), "{text}: {e}");
        }
    }
}
