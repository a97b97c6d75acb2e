//! Test helpers: a scripted transport, a closure transport, a growing scratch that needs no
//! `alloc` feature, and builders of `MOUNTMGR_MOUNT_POINTS` replies.

use std::collections::VecDeque;

use mountdev::testing::utf16;
use mountdev::{NtStatus, Reply};
use mountmgr_client::{Scratch, Transport, WireRequest};

/// The bytes of a request, built with its builder.
pub fn bytes_of(request: &impl WireRequest) -> Vec<u8> {
    let mut buf = vec![0u8; request.required_len().unwrap()];
    let len = request.write_into(&mut buf).unwrap().len();
    buf.truncate(len);
    buf
}

/// One expected request and the mount manager's answer to it.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub code: u32,
    pub input: Vec<u8>,
    pub reply: Vec<u8>,
    pub status: NtStatus,
    /// `Information`; by default the reply bytes that fit the output.
    pub information: Option<usize>,
}

/// A transport that answers a scripted list of (expected code, expected input, reply bytes,
/// status) and fails the test on any other request.
#[derive(Debug, Default)]
pub struct Scripted {
    script: VecDeque<Exchange>,
    /// (code, output length offered) of every request received.
    pub offered: Vec<(u32, usize)>,
}

impl Scripted {
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `code` with `input`; answers `reply` with `status`.
    pub fn expect(mut self, code: u32, input: Vec<u8>, reply: Vec<u8>, status: NtStatus) -> Self {
        self.script.push_back(Exchange {
            code,
            input,
            reply,
            status,
            information: None,
        });
        self
    }

    /// Expects `code` with the bytes of `request`.
    pub fn expect_request(self, code: u32, request: &impl WireRequest, reply: Vec<u8>, status: NtStatus) -> Self {
        self.expect(code, bytes_of(request), reply, status)
    }

    /// Whether every scripted request was sent.
    pub fn is_done(&self) -> bool {
        self.script.is_empty()
    }
}

impl Transport for Scripted {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        let Some(next) = self.script.pop_front() else {
            panic!("unexpected request {code:#010x} (script finished)");
        };
        assert_eq!(
            code,
            next.code,
            "request {} has code {code:#010x}, script expects {:#010x}",
            self.offered.len(),
            next.code
        );
        assert_eq!(input, &next.input[..], "input of request {code:#010x}");
        self.offered.push((code, output.len()));
        if next.status.is_error() {
            return Reply::error(next.status);
        }
        let n = next.reply.len().min(output.len());
        output[..n].copy_from_slice(&next.reply[..n]);
        Reply::new(next.status, next.information.unwrap_or(n).min(output.len()))
    }
}

/// A transport made of a closure.
pub struct FnTransport<F>(pub F);

impl<F: FnMut(u32, &[u8], &mut [u8]) -> Reply> Transport for FnTransport<F> {
    fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
        (self.0)(code, input, output)
    }
}

/// A growing scratch built on std's `Vec`, so retry tests run without the crate's `alloc`
/// feature.
#[derive(Debug, Default)]
pub struct GrowingScratch(pub Vec<u8>);

impl Scratch for GrowingScratch {
    fn reserve(&mut self, len: usize) -> bool {
        if self.0.len() < len {
            self.0.resize(len, 0);
        }
        true
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// One record of a reply: (link, unique ID, device).
pub type Point<'a> = (&'a str, Option<&'a [u8]>, &'a str);

/// A complete `MOUNTMGR_MOUNT_POINTS` reply packed the ReactOS way (`protocol.md` §2.11): the
/// records, then per record the link, the unique ID and the device name.
pub fn points_reply(points: &[Point<'_>]) -> Vec<u8> {
    let mut data = Vec::new();
    let base = 8 + 24 * points.len();
    let mut records = Vec::new();
    for (link, id, device) in points {
        let link = utf16(link);
        let device = utf16(device);
        let id = id.unwrap_or(&[]);
        let link_offset = base + data.len();
        data.extend_from_slice(&link);
        let id_offset = if id.is_empty() { 0 } else { base + data.len() };
        data.extend_from_slice(id);
        let device_offset = base + data.len();
        data.extend_from_slice(&device);
        for (offset, length) in [
            (link_offset, link.len()),
            (id_offset, id.len()),
            (device_offset, device.len()),
        ] {
            records.extend_from_slice(&u32::try_from(offset).unwrap().to_le_bytes());
            records.extend_from_slice(&u16::try_from(length).unwrap().to_le_bytes());
            records.extend_from_slice(&[0, 0]);
        }
    }
    let size = base + data.len();
    let mut reply = Vec::with_capacity(size);
    reply.extend_from_slice(&u32::try_from(size).unwrap().to_le_bytes());
    reply.extend_from_slice(&u32::try_from(points.len()).unwrap().to_le_bytes());
    reply.extend_from_slice(&records);
    reply.extend_from_slice(&data);
    reply
}

/// The ReactOS overflow reply: 32 bytes with `Size` and `NumberOfMountPoints`.
pub fn reactos_overflow(size: usize, count: usize) -> Vec<u8> {
    let mut reply = vec![0u8; 32];
    reply[..4].copy_from_slice(&u32::try_from(size).unwrap().to_le_bytes());
    reply[4..8].copy_from_slice(&u32::try_from(count).unwrap().to_le_bytes());
    reply
}

/// Answers a variable-length request the way a mount manager does (`protocol.md` §3.4): output
/// below 32 bytes → `INVALID_PARAMETER`; below the reply → `Size` only (Wine: 4 bytes),
/// `BUFFER_OVERFLOW`; otherwise the whole reply.
pub fn serve_wine_style(reply: &[u8], output: &mut [u8]) -> Reply {
    if output.len() < 32 {
        return Reply::error(NtStatus::INVALID_PARAMETER);
    }
    if output.len() < reply.len() {
        output[..4].copy_from_slice(&reply[..4]);
        return Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
    }
    output[..reply.len()].copy_from_slice(reply);
    Reply::success(reply.len())
}
