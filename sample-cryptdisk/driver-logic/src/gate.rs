//! [`Gate`]: lets dispatch routines into a device's extension until the device is being
//! deleted, and lets the deleter wait until the last one has left.
//!
//! The I/O manager may call a dispatch routine for a device at any moment, on any thread, also
//! while UNMOUNT or `DriverUnload` deletes that device. Each dispatch therefore
//! [`Gate::enter`]s before it touches the extension body and leaves when its [`Pass`] drops;
//! the deleter [`Gate::close`]s the gate (new entries are refused from then on) and waits until
//! no pass is out, and only then drops the body. (The kernel's own rundown protection,
//! `ExAcquireRundownProtection`, is an unimplemented stub in Wine 8.)
//!
//! No kernel calls: the waiting is
//! a pause function the caller passes in.

use core::sync::atomic::{AtomicU32, Ordering};

/// The top bit: the gate is closed. The bits below count the passes out.
const CLOSED: u32 = 1 << 31;

/// See the module docs. All-zero (what `IoCreateDevice` fills an extension with) is an open
/// gate with no pass out.
#[derive(Debug, Default)]
pub struct Gate {
    state: AtomicU32,
}

/// Proof that the holder entered a [`Gate`]; leaves it when dropped.
#[derive(Debug)]
#[must_use = "the gate is left as soon as the pass is dropped"]
pub struct Pass<'a> {
    gate: &'a Gate,
}

impl Gate {
    /// An open gate.
    pub const fn new() -> Self {
        Self {
            state: AtomicU32::new(0),
        }
    }

    /// Enters the gate; `None` once it is closed. Any IRQL.
    ///
    /// ```
    /// # use cryptdisk_driver_logic::gate::Gate;
    /// let gate = Gate::new();
    /// let pass = gate.enter().unwrap();
    /// assert_eq!(gate.passes_out(), 1);
    /// drop(pass);
    /// gate.close(|| unreachable!("nobody is inside"));
    /// assert!(gate.enter().is_none());
    /// ```
    pub fn enter(&self) -> Option<Pass<'_>> {
        let before = self.state.fetch_add(1, Ordering::Acquire);
        if before & CLOSED != 0 {
            self.leave();
            return None;
        }
        Some(Pass { gate: self })
    }

    /// Closes the gate and returns once no pass is out, calling `pause` between checks (the
    /// kernel sleeps a millisecond; PASSIVE_LEVEL there). Closing twice is harmless.
    pub fn close(&self, mut pause: impl FnMut()) {
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        while self.passes_out() != 0 {
            pause();
        }
    }

    /// Passes currently out.
    pub fn passes_out(&self) -> u32 {
        self.state.load(Ordering::Acquire) & !CLOSED
    }

    /// Whether the gate is closed.
    pub fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    fn leave(&self) {
        self.state.fetch_sub(1, Ordering::Release);
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        self.gate.leave();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn close_waits_for_every_pass_and_refuses_new_ones() {
        let gate = Gate::new();
        let first = gate.enter().unwrap();
        let second = gate.enter().unwrap();
        let mut pauses = 0;
        let mut held = Some((first, second));
        gate.close(|| {
            pauses += 1;
            // The holders leave while the closer waits; nobody gets in meanwhile.
            let (a, b) = held.take().expect("waited with no pass out");
            assert!(gate.enter().is_none(), "entered a closing gate");
            drop(a);
            drop(b);
        });
        assert_eq!(pauses, 1);
        assert!(gate.is_closed());
        assert_eq!(gate.passes_out(), 0);
        assert!(gate.enter().is_none());
        assert_eq!(gate.passes_out(), 0, "a refused entry leaves no count behind");
    }

    #[test]
    fn close_never_returns_while_a_pass_is_out() {
        let gate = Arc::new(Gate::new());
        let closer_returned = Arc::new(AtomicBool::new(false));
        let violations = Arc::new(AtomicU32::new(0));
        let threads: std::vec::Vec<_> = (0..4)
            .map(|_| {
                let gate = Arc::clone(&gate);
                let returned = Arc::clone(&closer_returned);
                let violations = Arc::clone(&violations);
                std::thread::spawn(move || {
                    let mut granted = 0u32;
                    for _ in 0..50_000 {
                        if let Some(pass) = gate.enter() {
                            granted += 1;
                            if returned.load(Ordering::SeqCst) {
                                violations.fetch_add(1, Ordering::SeqCst);
                            }
                            drop(pass);
                        }
                    }
                    granted
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(2));
        gate.close(std::thread::yield_now);
        closer_returned.store(true, Ordering::SeqCst);
        let granted: u32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert!(granted > 0, "no thread entered before the close");
        assert_eq!(violations.load(Ordering::SeqCst), 0);
        assert_eq!(gate.passes_out(), 0);
    }
}
