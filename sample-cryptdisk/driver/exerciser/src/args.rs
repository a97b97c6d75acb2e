//! The exerciser's command line (see the crate docs).

/// What to check.
#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    /// The control device with nothing mounted; with a container, also the requests that
    /// disagree with its header.
    Control {
        /// A LUKS container (Win32 path) that is not mounted.
        container: Option<String>,
    },
    /// The control device is gone (after `sc stop`), and so is the volume that was still
    /// mounted at this letter and device number, if given.
    Unloaded {
        /// The volume left mounted at the stop.
        volume: Option<(char, u32)>,
    },
    /// A volume the CLI mounted.
    Volume(VolumeOptions),
    /// A volume the CLI unmounted.
    Gone {
        /// Its former drive letter.
        letter: char,
        /// Its former device number.
        device: u32,
    },
}

/// The `volume` mode's options.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct VolumeOptions {
    /// The drive letter the volume was mounted at.
    pub letter: char,
    /// A file (Win32 path) holding the plaintext the volume must read back before any write.
    pub expect: String,
    /// A file to write at `pattern_offset` (and read back); none for a read-only volume.
    pub pattern: Option<String>,
    /// Byte offset of the pattern on the volume (a multiple of 512).
    pub pattern_offset: u64,
    /// The volume was mounted read-only: writes must be refused.
    pub read_only: bool,
    /// The container (Win32 path), for a second MOUNT of it, which must be refused.
    pub container: Option<String>,
}

fn letter(text: &str) -> Result<char, String> {
    let mut chars = text.trim_end_matches(':').chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
        _ => Err(format!("'{text}' is not a drive letter")),
    }
}

impl Mode {
    /// Parses the arguments after the program name.
    ///
    /// # Errors
    ///
    /// A message naming the bad or missing argument.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut args = args.into_iter();
        let first = args.next();
        let mut rest: Vec<String> = args.collect();
        let mode = first.as_deref().unwrap_or("");
        if !matches!(mode, "volume" | "gone")
            && let Some(first) = first.clone()
        {
            rest.insert(0, first);
        }
        let value = |rest: &mut Vec<String>, name: &str| -> Result<Option<String>, String> {
            match rest.iter().position(|a| a == name) {
                None => Ok(None),
                Some(i) if i + 1 < rest.len() => {
                    let v = rest.remove(i + 1);
                    rest.remove(i);
                    Ok(Some(v))
                }
                Some(_) => Err(format!("{name} needs a value")),
            }
        };
        let parsed = match mode {
            "volume" => {
                let letter = letter(&value(&mut rest, "--letter")?.ok_or("volume needs --letter")?)?;
                let expect = value(&mut rest, "--expect")?.ok_or("volume needs --expect")?;
                let pattern = value(&mut rest, "--pattern")?;
                let pattern_offset = match value(&mut rest, "--pattern-offset")? {
                    Some(v) => v.parse().map_err(|_| format!("'{v}' is not a byte offset"))?,
                    None => 0,
                };
                let container = value(&mut rest, "--container")?;
                let read_only = match rest.iter().position(|a| a == "--read-only") {
                    Some(i) => {
                        rest.remove(i);
                        true
                    }
                    None => false,
                };
                Self::Volume(VolumeOptions {
                    letter,
                    expect,
                    pattern,
                    pattern_offset,
                    read_only,
                    container,
                })
            }
            "gone" => {
                let letter = letter(&value(&mut rest, "--letter")?.ok_or("gone needs --letter")?)?;
                let device = value(&mut rest, "--device")?.ok_or("gone needs --device")?;
                let device = device
                    .parse()
                    .map_err(|_| format!("'{device}' is not a device number"))?;
                Self::Gone { letter, device }
            }
            _ => {
                if rest.iter().any(|a| a == "--unloaded") {
                    rest.retain(|a| a != "--unloaded");
                    let letter = value(&mut rest, "--letter")?.map(|l| letter(&l)).transpose()?;
                    let device = value(&mut rest, "--device")?
                        .map(|d| d.parse::<u32>().map_err(|_| format!("'{d}' is not a device number")))
                        .transpose()?;
                    match (letter, device) {
                        (Some(l), Some(d)) => Self::Unloaded { volume: Some((l, d)) },
                        (None, None) => Self::Unloaded { volume: None },
                        _ => return Err("--unloaded takes --letter and --device together".into()),
                    }
                } else {
                    Self::Control {
                        container: value(&mut rest, "--container")?,
                    }
                }
            }
        };
        match rest.first() {
            Some(extra) => Err(format!("unexpected argument '{extra}'")),
            None => Ok(parsed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Mode, String> {
        Mode::parse(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn modes_and_their_options() {
        assert_eq!(parse(&[]).unwrap(), Mode::Control { container: None });
        assert_eq!(
            parse(&["--container", "C:\\v.luks"]).unwrap(),
            Mode::Control {
                container: Some("C:\\v.luks".into())
            }
        );
        assert_eq!(parse(&["--unloaded"]).unwrap(), Mode::Unloaded { volume: None });
        assert_eq!(
            parse(&["--unloaded", "--letter", "R", "--device", "1"]).unwrap(),
            Mode::Unloaded { volume: Some(('R', 1)) }
        );
        assert!(parse(&["--unloaded", "--letter", "R"]).is_err());
        assert_eq!(
            parse(&["gone", "--letter", "m:", "--device", "3"]).unwrap(),
            Mode::Gone { letter: 'M', device: 3 }
        );
        let Mode::Volume(v) = parse(&[
            "volume",
            "--letter",
            "M",
            "--expect",
            "C:\\e.bin",
            "--pattern",
            "C:\\p.bin",
            "--pattern-offset",
            "1048576",
            "--read-only",
        ])
        .unwrap() else {
            panic!("not a volume mode");
        };
        assert_eq!((v.letter, v.pattern_offset, v.read_only), ('M', 1 << 20, true));
        assert_eq!(v.pattern.as_deref(), Some("C:\\p.bin"));
    }

    #[test]
    fn bad_arguments_are_named() {
        assert!(parse(&["volume", "--letter", "M"]).unwrap_err().contains("--expect"));
        assert!(
            parse(&["gone", "--letter", "12", "--device", "1"])
                .unwrap_err()
                .contains("'12'")
        );
        assert!(parse(&["--bogus"]).unwrap_err().contains("--bogus"));
        assert!(parse(&["--container"]).unwrap_err().contains("needs a value"));
    }
}
