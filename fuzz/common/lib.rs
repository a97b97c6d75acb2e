//! Inputs and invariant checks shared by the fuzz targets (and by the regression tests that
//! replay crashes).

use arbitrary::Arbitrary;
use mountdev::ioctl::Ioctl;
use mountdev::{IoBuffers, NtStatus, Reply};

/// An IOCTL as a caller could send it: a code (usually a known one), input bytes, an output
/// length, and whether the buffers are one METHOD_BUFFERED system buffer.
#[derive(Clone, Debug, Arbitrary)]
pub struct IoctlCall {
    /// Index into the known codes, or a raw code.
    pub code: CodeChoice,
    /// Input bytes.
    pub input: Vec<u8>,
    /// Output length offered (bounded to keep runs fast).
    pub output_len: u16,
    /// Pass input and output as one shared system buffer.
    pub shared: bool,
}

/// Either a known code (to reach the handlers' arms) or any 32-bit value.
#[derive(Clone, Debug, Arbitrary)]
pub enum CodeChoice {
    /// `Ioctl::ALL[index % len]`.
    Known(u8),
    /// Any code.
    Raw(u32),
}

impl CodeChoice {
    /// The 32-bit code.
    pub fn code(&self) -> u32 {
        match self {
            Self::Known(index) => {
                let all = Ioctl::ALL;
                all[usize::from(*index) % all.len()].code()
            }
            Self::Raw(code) => *code,
        }
    }
}

impl IoctlCall {
    /// Runs `handler` on this call and checks the reply invariants every handler must keep:
    /// `Information <= output length`, errors carry no bytes. Returns the reply and the bytes
    /// the caller would get back.
    pub fn run(&self, handler: impl FnOnce(u32, IoBuffers<'_>) -> Reply) -> (Reply, Vec<u8>) {
        let out_len = usize::from(self.output_len % 4096);
        let code = self.code.code();
        let (reply, out) = if self.shared {
            let mut system = self.input.clone();
            system.resize(self.input.len().max(out_len), 0);
            let reply = handler(code, IoBuffers::shared(&mut system, self.input.len(), out_len));
            system.truncate(out_len);
            (reply, system)
        } else {
            let mut out = vec![0u8; out_len];
            let reply = handler(code, IoBuffers::split(&self.input, &mut out));
            (reply, out)
        };
        check_reply(reply, out_len);
        let returned = if reply.status.copies_output() {
            out[..reply.information].to_vec()
        } else {
            Vec::new()
        };
        (reply, returned)
    }
}

/// The invariants of every reply: `Information` never exceeds the output length, and the status
/// class agrees with `Information` (an error hands back nothing).
pub fn check_reply(reply: Reply, out_len: usize) {
    assert!(
        reply.information <= out_len,
        "Information {} > output {out_len}: {reply:?}",
        reply.information
    );
    if reply.status.is_error() {
        assert_eq!(reply.information, 0, "error with Information: {reply:?}");
    }
    if reply.status == NtStatus::PENDING {
        assert_eq!(reply.information, 0, "pending with Information: {reply:?}");
    }
}
