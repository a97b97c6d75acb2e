//! What the user sees: lines on standard output, warnings on standard error, spinners and
//! progress bars (indicatif, on standard error; they draw only when it is a terminal), and the
//! formatting of byte counts and hex.

use crate::error::CliError;
use indicatif::{ProgressBar, ProgressStyle};
use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// How often spinners redraw.
const TICK: Duration = Duration::from_millis(100);

/// Writes one line to standard output.
///
/// # Errors
///
/// [`CliError::Io`] when standard output is closed or full (for example a closed pipe).
pub fn line(args: fmt::Arguments<'_>) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(CliError::io("write to", Path::new("standard output")))
}

/// Writes text (already line-terminated) to standard output.
///
/// # Errors
///
/// As [`line()`].
pub fn text(text: &str) -> Result<(), CliError> {
    io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(CliError::io("write to", Path::new("standard output")))
}

/// Prints `cryptdisk: warning: <message>` on standard error (best effort).
pub fn warn(args: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "cryptdisk: warning: {args}");
}

/// Runs `work` under a spinner showing `message` (cleared when done).
pub fn with_spinner<T>(message: impl Into<Cow<'static, str>>, work: impl FnOnce() -> T) -> T {
    let spinner = ProgressBar::new_spinner().with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(TICK);
    let result = work();
    spinner.finish_and_clear();
    result
}

/// A progress bar over `total` bytes, with the rate and the time left.
pub fn byte_bar(total: u64, message: impl Into<Cow<'static, str>>) -> ProgressBar {
    let bar = ProgressBar::new(total).with_message(message);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:32}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A counter of bytes of unknown total (standard input), with the rate.
pub fn byte_counter(message: impl Into<Cow<'static, str>>) -> ProgressBar {
    let bar = ProgressBar::no_length().with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: {binary_bytes} {binary_bytes_per_sec}") {
        bar.set_style(style);
    }
    bar
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len().saturating_mul(2)), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A byte count for people: `64 MiB`, `1.50 GiB`, `700 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        let size = 1u64 << shift;
        if bytes >= size {
            return if bytes.is_multiple_of(size) {
                format!("{} {unit}", bytes >> shift)
            } else {
                format!("{:.2} {unit}", bytes as f64 / size as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_pairs() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0, 0x0f, 0xab, 0xff]), "000fabff");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(700), "700 bytes");
        assert_eq!(human_bytes(1024), "1 KiB");
        assert_eq!(human_bytes(1536), "1.50 KiB");
        assert_eq!(human_bytes(64 << 20), "64 MiB");
        assert_eq!(human_bytes(3 << 30), "3 GiB");
        assert_eq!(human_bytes(5 << 40), "5 TiB");
        assert_eq!(human_bytes(u64::MAX), "16777216.00 TiB");
    }

    #[test]
    fn spinner_returns_the_work_result() {
        assert_eq!(with_spinner("working", || 41 + 1), 42);
    }
}
