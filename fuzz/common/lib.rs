//! Inputs and invariant checks shared by the fuzz targets (and by the regression tests that
//! replay crashes). The request and the rules come from `mountdev::testing`, the kit the proptest
//! suites use too, so a fuzz finding and a property-test failure name the same
//! [`mountdev::testing::Rule`].

use arbitrary::Arbitrary;
use mountdev::testing::{Request, check_completion};
use mountdev::{IoBuffers, Reply};

/// One call of a handler as a caller could make it: a request of the test kit (mostly a known
/// code with the input layout it takes, sometimes any code or bytes), an output length, and
/// whether the buffers are one METHOD_BUFFERED system buffer.
#[derive(Clone, Debug, Arbitrary)]
pub struct IoctlCall {
    /// The code and input.
    pub request: Request,
    /// Output length offered (bounded to keep runs fast).
    pub output_len: u16,
    /// Pass input and output as one shared system buffer.
    pub shared: bool,
}

impl IoctlCall {
    /// The same call through the other kind of buffers (split ↔ shared).
    pub fn with_shared(&self, shared: bool) -> Self {
        Self {
            shared,
            ..self.clone()
        }
    }

    /// Runs `handler` on this call and asserts the rules of one completion
    /// ([`check_completion`]). Returns the reply and the bytes the caller would get back.
    pub fn run(&self, handler: impl FnOnce(u32, IoBuffers<'_>) -> Reply) -> (Reply, Vec<u8>) {
        let out_len = usize::from(self.output_len % 4096);
        let (code, input) = (self.request.code, &self.request.input);
        let (reply, out) = if self.shared {
            let mut system = input.clone();
            system.resize(input.len().max(out_len), 0);
            let reply = handler(code, IoBuffers::shared(&mut system, input.len(), out_len));
            system.truncate(out_len);
            (reply, system)
        } else {
            let mut out = vec![0u8; out_len];
            let reply = handler(code, IoBuffers::split(input, &mut out));
            (reply, out)
        };
        assert_completion(reply, out_len);
        let returned = if reply.status.copies_output() {
            out[..reply.information].to_vec()
        } else {
            Vec::new()
        };
        (reply, returned)
    }
}

/// Panics (the fuzzer's finding) when `reply` breaks a rule of one completion ([`mountdev::testing::Rule`]).
pub fn assert_completion(reply: Reply, out_len: usize) {
    if let Err(rule) = check_completion(reply, out_len) {
        panic!("{rule} ({reply:?}, output {out_len})");
    }
}

/// Runs the test kit's whole reply contract (every output size, split and shared buffers, the
/// rules of the known codes) for `request` and panics with the [`mountdev::testing::Violation`].
pub fn assert_contract(request: &Request, handler: impl Fn(u32, IoBuffers<'_>) -> Reply) {
    if let Err(violation) = request.check(handler) {
        panic!("{violation}");
    }
}
