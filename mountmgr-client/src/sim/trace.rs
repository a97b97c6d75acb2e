//! [`Trace`]: every IOCTL the simulator saw or sent, in both directions, with decoded buffers.
//!
//! Requests to the mount manager start at the left margin; what the mount manager sends to
//! volumes while it handles them is indented beneath, followed by its decisions (`·`) and any
//! conformance finding (`!`); the completion closes the block. Harness actions (a device
//! registered, a reboot) start with `#`.
//!
//! ```text
//! → MM  IOCTL_MOUNTMGR_CREATE_POINT  link=\DosDevices\Z: device=\Device\XtsVolume1
//!   ↳ MM → \Device\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=4  ← STATUS_BUFFER_OVERFLOW info=4 NameLength=36
//!   ↳ MM → \Device\XtsVolume1  IOCTL_MOUNTDEV_QUERY_DEVICE_NAME out=40  ← STATUS_SUCCESS info=38 name=\Device\XtsVolume1
//!   · link \GLOBAL??\Z: → \Device\XtsVolume1
//! ← STATUS_SUCCESS
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use mountdev::NtStatus;

use super::describe::{ioctl_name, status_text};
use super::findings::Finding;

/// Who sent a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    /// The driver or tool under test (through [`crate::Transport`]).
    Client,
    /// The simulated Win32 layer (kernel32's volume-name functions, [`super::Sim::resolve_drive_letter`] and friends).
    Win32,
    /// The simulated mount manager.
    MountManager,
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Client => "client",
            Self::Win32 => "Win32",
            Self::MountManager => "MM",
        })
    }
}

/// One line (or block) of the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceEvent {
    /// A request reached the mount manager.
    Request {
        /// Who sent it.
        caller: Party,
        /// The IOCTL code.
        code: u32,
        /// The decoded input.
        input: String,
        /// The output length offered.
        output_len: usize,
    },
    /// The mount manager completed the request opened by the last [`TraceEvent::Request`].
    Completion {
        /// The IOCTL code.
        code: u32,
        /// The status.
        status: NtStatus,
        /// `Information`.
        information: usize,
        /// The decoded output (empty for error statuses, whose output is not copied back).
        output: String,
    },
    /// A request to a device and its completion.
    DeviceCall {
        /// Nesting level (1 inside a mount-manager request).
        depth: usize,
        /// Who sent it.
        caller: Party,
        /// The name the device was opened by.
        device: String,
        /// The IOCTL code.
        code: u32,
        /// The decoded input.
        input: String,
        /// The output length offered.
        output_len: usize,
        /// The status the device returned.
        status: NtStatus,
        /// `Information` as the device returned it.
        information: usize,
        /// The decoded output (what was copied back).
        output: String,
    },
    /// A decision or state change of the mount manager.
    Note {
        /// Nesting level.
        depth: usize,
        /// What happened.
        text: String,
    },
    /// A conformance finding, where it was detected.
    Finding {
        /// Nesting level.
        depth: usize,
        /// The finding.
        finding: Finding,
    },
    /// An action of the test harness on the simulator.
    Host {
        /// What happened.
        text: String,
    },
}

/// The whole trace of a simulation, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    events: Vec<TraceEvent>,
}

impl Trace {
    /// The events, oldest first.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The rendered lines (what [`fmt::Display`] prints, one string per line).
    pub fn lines(&self) -> Vec<String> {
        use alloc::string::ToString;
        self.to_string().lines().map(ToString::to_string).collect()
    }

    /// The events recorded since `mark` (a value of [`Trace::len`] taken earlier), as a trace.
    pub fn since(&self, mark: usize) -> Trace {
        Trace {
            events: self.events.get(mark..).unwrap_or(&[]).to_vec(),
        }
    }

    pub(crate) fn push(&mut self, event: TraceEvent) {
        self.events.push(event);
    }

    pub(crate) fn clear(&mut self) {
        self.events.clear();
    }
}

/// Two spaces per level.
fn indent(f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    Ok(())
}

/// Writes `text` after `lead`; further lines of `text` are indented to `depth + 2`.
fn write_multiline(f: &mut fmt::Formatter<'_>, depth: usize, text: &str) -> fmt::Result {
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            f.write_str("\n")?;
            indent(f, depth.saturating_add(2))?;
        }
        f.write_str(line)?;
    }
    Ok(())
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Request {
                caller,
                code,
                input,
                output_len,
            } => {
                if *caller != Party::Client {
                    write!(f, "{caller} ")?;
                }
                write!(f, "→ MM  {}", ioctl_name(*code))?;
                if !input.is_empty() {
                    f.write_str("  ")?;
                    write_multiline(f, 0, input)?;
                }
                if *output_len > 0 {
                    write!(f, "  out={output_len}")?;
                }
                Ok(())
            }
            Self::Completion {
                status,
                information,
                output,
                ..
            } => {
                write!(f, "← {}", status_text(*status))?;
                if *information > 0 {
                    write!(f, " info={information}")?;
                }
                if !output.is_empty() {
                    f.write_str("  ")?;
                    write_multiline(f, 0, output)?;
                }
                Ok(())
            }
            Self::DeviceCall {
                depth,
                caller,
                device,
                code,
                input,
                output_len,
                status,
                information,
                output,
            } => {
                indent(f, *depth)?;
                if *depth > 0 {
                    f.write_str("↳ ")?;
                }
                write!(f, "{caller} → {device}  {}", ioctl_name(*code))?;
                if !input.is_empty() {
                    write!(f, " {input}")?;
                }
                if *output_len > 0 {
                    write!(f, " out={output_len}")?;
                }
                write!(f, "  ← {}", status_text(*status))?;
                if *information > 0 {
                    write!(f, " info={information}")?;
                }
                if !output.is_empty() {
                    f.write_str(" ")?;
                    write_multiline(f, *depth, output)?;
                }
                Ok(())
            }
            Self::Note { depth, text } => {
                indent(f, *depth)?;
                f.write_str("· ")?;
                write_multiline(f, *depth, text)
            }
            Self::Finding { depth, finding } => {
                indent(f, *depth)?;
                write!(f, "! {finding}")
            }
            Self::Host { text } => write!(f, "# {text}"),
        }
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            writeln!(f, "{event}")?;
        }
        Ok(())
    }
}
