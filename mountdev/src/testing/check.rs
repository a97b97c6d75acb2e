//! [`ContractCheck`]: runs a handler at every output size and checks every reply rule.

use std::boxed::Box;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;

use super::completion::check_completion;
use super::rules::KnownRule;
use super::violation::{Rule, Violation};
use crate::{IoBuffers, NtStatus, Reply};

/// The byte the kit fills output buffers with before a call.
pub const SENTINEL: u8 = 0xA5;
/// The second fill byte: a byte inside `Information` that differs between the two fills was never
/// written.
const OTHER_SENTINEL: u8 = 0x5A;

/// One request to check: an IOCTL code, its input, and the output length used to take the
/// complete reply.
///
/// ```
/// use mountdev::testing::ContractCheck;
/// use mountdev::{IoBuffers, Reply, reply::write_fixed};
/// use mountdev::ioctl::IOCTL_DISK_GET_LENGTH_INFO;
/// let handler = |_code: u32, io: IoBuffers<'_>| write_fixed(io.into_output(), &4096u64.to_le_bytes());
/// let checked = ContractCheck::new(IOCTL_DISK_GET_LENGTH_INFO, &[]).run(handler).unwrap();
/// assert_eq!(checked.whole(), Reply::success(8));
/// assert_eq!(checked.replies().len(), 8 + 3); // every size 0..=8 + 2
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ContractCheck<'a> {
    code: u32,
    input: &'a [u8],
    max_len: usize,
}

/// What a passing check saw: the complete reply and the reply at every output size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    whole: Reply,
    bytes: Vec<u8>,
    replies: Vec<Reply>,
}

impl Checked {
    /// The reply with the largest output buffer.
    pub fn whole(&self) -> Reply {
        self.whole
    }

    /// The bytes of that reply (its first `Information` bytes; none for a status that copies
    /// no output).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The reply at output length `i`, for every `i` from 0 to the whole reply + 2.
    pub fn replies(&self) -> &[Reply] {
        &self.replies
    }
}

/// Checks `handler` on request `code` with `input` by [`ContractCheck::run`]; see the
/// [module documentation](super) for the rules.
///
/// # Errors
/// The first [`Violation`], in the order of output sizes.
pub fn check_handler<F>(handler: F, code: u32, input: &[u8]) -> Result<Checked, Violation>
where
    F: Fn(u32, IoBuffers<'_>) -> Reply,
{
    ContractCheck::new(code, input).run(handler)
}

/// What one call through separate buffers gave back.
struct Outcome {
    reply: Reply,
    out: Vec<u8>,
}

impl<'a> ContractCheck<'a> {
    /// The output length of the first call, which takes the complete reply; a reply that says
    /// more is needed (see [`ContractCheck::run`]) is retried with twice the length.
    pub const FIRST_WHOLE_LEN: usize = 1024;

    /// The largest output length tried by default: room for any counted reply (a `u16` length
    /// plus its header).
    pub const DEFAULT_MAX_LEN: usize = 0x1_0000 + 8;

    /// A check of `code` with `input`.
    pub fn new(code: u32, input: &'a [u8]) -> Self {
        Self {
            code,
            input,
            max_len: Self::DEFAULT_MAX_LEN,
        }
    }

    /// Sets the largest output length tried (default [`ContractCheck::DEFAULT_MAX_LEN`]).
    #[must_use]
    pub fn max_len(mut self, len: usize) -> Self {
        self.max_len = len;
        self
    }

    /// Calls `handler` with a large buffer to learn the complete reply ([`ContractCheck::FIRST_WHOLE_LEN`]
    /// bytes, doubled up to the maximum while the reply asks for more: `BUFFER_OVERFLOW`,
    /// `BUFFER_TOO_SMALL`, a full buffer, or a descriptor whose `Size` is larger), then at every
    /// output length from 0 to that reply's `Information` + 2 (at least the fixed header of the
    /// code's rule + 2): twice through separate buffers filled with different bytes, and once through
    /// one shared METHOD_BUFFERED buffer that starts with the input. A panic is caught and
    /// reported (the default panic hook still prints it).
    ///
    /// # Errors
    /// The first [`Violation`], in the order of output sizes (the complete reply first).
    pub fn run<F>(&self, handler: F) -> Result<Checked, Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        let rule = KnownRule::of(self.code, self.input);
        let (whole_len, whole) = self.whole(&handler, rule)?;
        let whole_bytes = returned(&whole).to_vec();
        rule.check_whole(whole.reply, &whole_bytes)
            .map_err(|r| self.violation(whole_len, &whole, r))?;

        let last = whole
            .reply
            .information
            .max(rule.header_len())
            .saturating_add(2)
            .min(whole_len);
        let mut replies = Vec::with_capacity(last.saturating_add(1));
        for len in 0..=last {
            let first = self.split(&handler, len, SENTINEL)?;
            self.generic(len, &first, SENTINEL)?;
            self.stable(&handler, len, &first)?;
            self.shared(&handler, len, &first)?;
            rule.check_at(len, first.reply, &first.out, whole.reply, &whole_bytes)
                .map_err(|r| self.violation(len, &first, r))?;
            if first.reply == whole.reply {
                let offset = first.out.iter().zip(&whole.out).position(|(a, b)| a != b);
                if let Some(offset) = offset.filter(|&o| o < first.reply.information) {
                    return Err(self.violation(len, &first, Rule::DiffersFromWholeReply { offset }));
                }
            }
            replies.push(first.reply);
        }
        Ok(Checked {
            whole: whole.reply,
            bytes: whole_bytes,
            replies,
        })
    }

    /// The complete reply and the output length that gave it.
    fn whole<F>(&self, handler: &F, rule: KnownRule) -> Result<(usize, Outcome), Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        let mut len = Self::FIRST_WHOLE_LEN.min(self.max_len);
        loop {
            let outcome = self.split(handler, len, SENTINEL)?;
            self.generic(len, &outcome, SENTINEL)?;
            let reply = outcome.reply;
            let wants_more = reply.status == NtStatus::BUFFER_OVERFLOW
                || reply.status == NtStatus::BUFFER_TOO_SMALL
                || (len > 0 && reply.information == len)
                || rule.wants_more(reply, returned(&outcome));
            if !wants_more || len >= self.max_len {
                return Ok((len, outcome));
            }
            len = len.saturating_mul(2).min(self.max_len);
        }
    }

    /// Calls the handler through separate buffers, the output pre-filled with `fill`.
    fn split<F>(&self, handler: &F, len: usize, fill: u8) -> Result<Outcome, Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        let mut out = vec![fill; len];
        let called = catch(|| handler(self.code, IoBuffers::split(self.input, &mut out)));
        match called {
            Ok(reply) => Ok(Outcome { reply, out }),
            Err(message) => Err(self.violation(
                len,
                &Outcome {
                    reply: Reply::error(NtStatus::UNSUCCESSFUL),
                    out,
                },
                Rule::Panic { message },
            )),
        }
    }

    /// The rules every reply keeps.
    fn generic(&self, len: usize, outcome: &Outcome, fill: u8) -> Result<(), Violation> {
        let reply = outcome.reply;
        check_completion(reply, len).map_err(|rule| self.violation(len, outcome, rule))?;
        let past = outcome.out.get(reply.information..).unwrap_or(&[]);
        if let Some(at) = past.iter().position(|&b| b != fill) {
            let offset = reply.information.saturating_add(at);
            return Err(self.violation(len, outcome, Rule::WrotePastInformation { offset }));
        }
        Ok(())
    }

    /// The same call with the other fill byte: same reply, same bytes inside `Information`.
    fn stable<F>(&self, handler: &F, len: usize, first: &Outcome) -> Result<(), Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        let second = self.split(handler, len, OTHER_SENTINEL)?;
        self.generic(len, &second, OTHER_SENTINEL)?;
        if second.reply != first.reply {
            let rule = Rule::DependsOnOutputContents { other: second.reply };
            return Err(self.violation(len, first, rule));
        }
        let unwritten = returned(first).iter().zip(returned(&second)).position(|(a, b)| a != b);
        match unwritten {
            Some(offset) => Err(self.violation(len, first, Rule::UnwrittenOutput { offset })),
            None => Ok(()),
        }
    }

    /// The same call through one shared system buffer that starts with the input.
    fn shared<F>(&self, handler: &F, len: usize, first: &Outcome) -> Result<(), Violation>
    where
        F: Fn(u32, IoBuffers<'_>) -> Reply,
    {
        let mut system = vec![SENTINEL; self.input.len().max(len)];
        if let Some(head) = system.get_mut(..self.input.len()) {
            head.copy_from_slice(self.input);
        }
        let before = system.clone();
        let called = catch(|| handler(self.code, IoBuffers::shared(&mut system, self.input.len(), len)));
        let shared = match called {
            Ok(reply) => reply,
            Err(message) => return Err(self.violation(len, first, Rule::Panic { message })),
        };
        let info = shared.information.min(len);
        let shared_bytes = system.get(..info).unwrap_or(&[]);
        let past_changed = system.get(info..len) != before.get(info..len);
        if shared != first.reply || shared_bytes != returned(first) || past_changed {
            let rule = Rule::SharedDiffers {
                shared,
                shared_bytes: shared_bytes.to_vec(),
            };
            return Err(self.violation(len, first, rule));
        }
        Ok(())
    }

    fn violation(&self, len: usize, outcome: &Outcome, rule: Rule) -> Violation {
        let keep = outcome.out.len().min(Violation::MAX_BYTES);
        Violation {
            code: self.code,
            output_len: len,
            rule,
            reply: outcome.reply,
            bytes: outcome.out.get(..keep).unwrap_or(&[]).to_vec(),
        }
    }
}

/// The bytes a caller gets back: the first `Information` bytes (the generic rules have checked
/// `Information` against the length before this is used).
fn returned(outcome: &Outcome) -> &[u8] {
    outcome.out.get(..outcome.reply.information).unwrap_or(&[])
}

/// Runs `f`, turning a panic into its message.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload: Box<dyn core::any::Any + Send>| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "(non-string panic payload)".to_string()
        }
    })
}
