//! Ctrl-C (and, on Unix, SIGTERM and SIGHUP): every partial output registered here is removed
//! before the process exits with code 130 (128 + SIGINT), so an interrupted `decrypt` leaves no
//! plaintext `.cryptdisk-*.part` file behind.
//!
//! The handler runs on its own thread (the `ctrlc` crate). It takes the registry's lock,
//! removes the files and exits while holding it; [`finish`] renames a finished output under
//! the same lock, so an output is either complete under its final name or gone, never half.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Exit code after an interruption.
pub const EXIT_INTERRUPTED: i32 = 130;

/// The partial outputs to remove on an interruption.
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    PARTIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handler (once, at start-up). If it cannot be installed, Ctrl-C keeps its
/// default effect and a warning says that partial outputs may be left.
pub fn install() {
    if let Err(e) = ctrlc::set_handler(on_interrupt) {
        crate::output::warn(format_args!(
            "cannot catch Ctrl-C ({e}); an interrupted command may leave a .cryptdisk-*.part file"
        ));
    }
}

/// Removes the registered files and exits.
fn on_interrupt() {
    let partial = registry();
    for path in partial.iter() {
        let _ = std::fs::remove_file(path);
    }
    crate::output::warn(format_args!("interrupted; no partial output was left"));
    std::process::exit(EXIT_INTERRUPTED);
}

/// A partial output registered for removal on an interruption; unregistered when dropped.
#[derive(Debug)]
pub struct Registration(PathBuf);

/// Registers `path` (a temporary file being written) for removal on an interruption.
pub fn register(path: &Path) -> Registration {
    registry().push(path.to_owned());
    Registration(path.to_owned())
}

impl Drop for Registration {
    fn drop(&mut self) {
        registry().retain(|p| p != &self.0);
    }
}

/// Runs `rename` (the step that puts a finished output in place) so that an interruption
/// cannot come in the middle, then unregisters the temporary file.
pub fn finish<T>(registration: Registration, rename: impl FnOnce() -> T) -> T {
    let mut partial = registry();
    let result = rename();
    partial.retain(|p| p != &registration.0);
    drop(partial);
    drop(registration);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_come_and_go() {
        let a = register(Path::new("/nonexistent/a.part"));
        let b = register(Path::new("/nonexistent/b.part"));
        assert!(registry().iter().any(|p| p.ends_with("a.part")));
        drop(a);
        assert!(!registry().iter().any(|p| p.ends_with("a.part")));
        assert_eq!(finish(b, || 7), 7);
        assert!(!registry().iter().any(|p| p.ends_with("b.part")));
    }
}
