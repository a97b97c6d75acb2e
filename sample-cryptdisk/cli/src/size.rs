//! `SIZE` arguments: plain bytes or a binary `K`/`M`/`G`/`T` suffix, and the check that a
//! volume of that size holds a whole number of 512-byte data sectors after its header.

use std::fmt;

/// One sector of the data area, in bytes.
pub const SECTOR_BYTES: u64 = 512;

/// Why a `SIZE` text or a volume size is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SizeError {
    /// Nothing was given.
    Empty,
    /// The number part is not a whole decimal number.
    NotANumber {
        /// The text given.
        text: String,
    },
    /// The suffix is not one of `K`, `M`, `G`, `T` (optionally followed by `iB` or `B`) or `B`.
    UnknownSuffix {
        /// The suffix given.
        suffix: String,
    },
    /// The value does not fit in 64 bits.
    TooLarge {
        /// The text given.
        text: String,
    },
    /// The size is not a multiple of 512 bytes.
    NotSectorMultiple {
        /// The size in bytes.
        bytes: u64,
    },
    /// The size leaves no data sector after the header.
    NoRoomForData {
        /// The size in bytes.
        bytes: u64,
        /// Bytes taken by the LUKS header and key slots.
        header_bytes: u64,
    },
}

impl fmt::Display for SizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty size; give bytes or a number with K, M, G or T (powers of 1024)"),
            Self::NotANumber { text } => write!(
                f,
                "'{text}' is not a size; give a whole number of bytes, optionally with K, M, G or T (powers of 1024), e.g. 64M"
            ),
            Self::UnknownSuffix { suffix } => write!(
                f,
                "unknown size suffix '{suffix}'; use K, M, G or T (powers of 1024, also written KiB, MiB, ...) or none for bytes"
            ),
            Self::TooLarge { text } => write!(f, "size '{text}' is too large; give at most 16 EiB - 1"),
            Self::NotSectorMultiple { bytes } => {
                let below = bytes
                    .checked_sub(bytes.checked_rem(SECTOR_BYTES).unwrap_or(0))
                    .unwrap_or(0);
                match below.checked_add(SECTOR_BYTES) {
                    Some(above) => write!(
                        f,
                        "size {bytes} bytes is not a multiple of 512 (the data area after the header is made of 512-byte sectors); use {below} or {above}"
                    ),
                    None => write!(f, "size {bytes} bytes is not a multiple of 512; use {below}"),
                }
            }
            Self::NoRoomForData { bytes, header_bytes } => {
                let min = header_bytes.saturating_add(SECTOR_BYTES);
                write!(
                    f,
                    "size {bytes} bytes leaves no room for data: the LUKS header and key slots take {header_bytes} bytes; give at least {min} bytes (e.g. --size {}M)",
                    header_bytes.div_ceil(1 << 20).saturating_add(1)
                )
            }
        }
    }
}

impl std::error::Error for SizeError {}

/// Parses a size: a whole number of bytes, optionally followed by a binary suffix (`K`, `M`,
/// `G`, `T`, case-insensitive, optionally written `KiB`/`KB`; a bare `B` means bytes).
///
/// # Errors
///
/// [`SizeError`] naming what is wrong (see the unit tests for examples).
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SizeError::Empty);
    }
    let split = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (digits, suffix) = trimmed.split_at(split);
    if digits.is_empty() {
        return Err(SizeError::NotANumber {
            text: trimmed.to_owned(),
        });
    }
    let shift = suffix_shift(suffix.trim_start())?;
    let value: u64 = digits.parse().map_err(|_| SizeError::TooLarge {
        text: trimmed.to_owned(),
    })?;
    let factor = 1u64.checked_shl(shift).ok_or_else(|| SizeError::TooLarge {
        text: trimmed.to_owned(),
    })?;
    value.checked_mul(factor).ok_or_else(|| SizeError::TooLarge {
        text: trimmed.to_owned(),
    })
}

/// The power of two a suffix stands for.
fn suffix_shift(suffix: &str) -> Result<u32, SizeError> {
    let lower = suffix.to_ascii_lowercase();
    let unit = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    match unit {
        "" => Ok(0),
        "k" => Ok(10),
        "m" => Ok(20),
        "g" => Ok(30),
        "t" => Ok(40),
        _ => Err(SizeError::UnknownSuffix {
            suffix: suffix.to_owned(),
        }),
    }
}

/// The data-area size of a volume of `total` bytes whose header and key slots take
/// `header_bytes`: `total - header_bytes`, which must be a positive multiple of 512.
///
/// # Errors
///
/// [`SizeError::NotSectorMultiple`] or [`SizeError::NoRoomForData`].
pub fn data_bytes(total: u64, header_bytes: u64) -> Result<u64, SizeError> {
    if !total.is_multiple_of(SECTOR_BYTES) {
        return Err(SizeError::NotSectorMultiple { bytes: total });
    }
    match total.checked_sub(header_bytes) {
        Some(data) if data >= SECTOR_BYTES && data.is_multiple_of(SECTOR_BYTES) => Ok(data),
        Some(_) | None => Err(SizeError::NoRoomForData {
            bytes: total,
            header_bytes,
        }),
    }
}

/// `len` rounded up to whole 512-byte sectors, in sectors.
pub fn sectors_for(len: u64) -> u64 {
    len.div_ceil(SECTOR_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_bytes() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size(" 4194304 "), Ok(4_194_304));
        assert_eq!(parse_size("512B"), Ok(512));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn binary_suffixes_in_every_spelling() {
        for (text, expected) in [
            ("1K", 1u64 << 10),
            ("1k", 1 << 10),
            ("3M", 3 << 20),
            ("3MiB", 3 << 20),
            ("3mib", 3 << 20),
            ("3MB", 3 << 20),
            ("3 M", 3 << 20),
            ("2G", 2 << 30),
            ("5T", 5 << 40),
            ("16383T", 16383 << 40),
        ] {
            assert_eq!(parse_size(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn rejects_garbage_with_the_reason() {
        assert_eq!(parse_size(""), Err(SizeError::Empty));
        assert_eq!(parse_size("   "), Err(SizeError::Empty));
        assert_eq!(parse_size("M"), Err(SizeError::NotANumber { text: "M".into() }));
        assert_eq!(parse_size("-5"), Err(SizeError::NotANumber { text: "-5".into() }));
        assert_eq!(
            parse_size("1.5G"),
            Err(SizeError::UnknownSuffix { suffix: ".5G".into() })
        );
        assert_eq!(parse_size("4X"), Err(SizeError::UnknownSuffix { suffix: "X".into() }));
        assert_eq!(parse_size("4KX"), Err(SizeError::UnknownSuffix { suffix: "KX".into() }));
        assert_eq!(parse_size("4P"), Err(SizeError::UnknownSuffix { suffix: "P".into() }));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert!(matches!(
            parse_size("18446744073709551616"),
            Err(SizeError::TooLarge { .. })
        ));
        assert_eq!(parse_size("16777215T"), Ok(16_777_215 << 40));
        assert!(matches!(parse_size("16777216T"), Err(SizeError::TooLarge { .. })));
        assert!(matches!(
            parse_size("99999999999999999999999K"),
            Err(SizeError::TooLarge { .. })
        ));
    }

    #[test]
    fn data_area_must_be_whole_sectors_after_the_header() {
        let header = 4096 * 512;
        assert_eq!(data_bytes(header + 512, header), Ok(512));
        assert_eq!(data_bytes(64 << 20, header), Ok((64 << 20) - header));
        assert_eq!(
            data_bytes(header, header),
            Err(SizeError::NoRoomForData {
                bytes: header,
                header_bytes: header
            })
        );
        assert_eq!(
            data_bytes(1 << 20, header),
            Err(SizeError::NoRoomForData {
                bytes: 1 << 20,
                header_bytes: header
            })
        );
        assert_eq!(
            data_bytes(header + 100, header),
            Err(SizeError::NotSectorMultiple { bytes: header + 100 })
        );
        assert_eq!(
            data_bytes(u64::MAX, header),
            Err(SizeError::NotSectorMultiple { bytes: u64::MAX })
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = SizeError::NotSectorMultiple { bytes: 3_000_000 }.to_string();
        assert!(e.contains("use 2999808 or 3000320"), "{e}");
        let e = SizeError::NoRoomForData {
            bytes: 1 << 20,
            header_bytes: 2 << 20,
        }
        .to_string();
        assert!(e.contains("at least 2097664 bytes") && e.contains("--size 3M"), "{e}");
        assert!(
            SizeError::UnknownSuffix { suffix: "X".into() }
                .to_string()
                .contains("K, M, G or T")
        );
    }

    #[test]
    fn sectors_round_up() {
        assert_eq!(sectors_for(0), 0);
        assert_eq!(sectors_for(1), 1);
        assert_eq!(sectors_for(512), 1);
        assert_eq!(sectors_for(513), 2);
        assert_eq!(sectors_for(u64::MAX), u64::MAX / 512 + 1);
    }
}
