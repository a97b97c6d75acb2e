//! How the simulated mount manager talks to a volume: every request it sends, delivered the way
//! the I/O manager delivers a `METHOD_BUFFERED` IRP, recorded in the trace and checked against
//! the reply rules of `protocol.md` §3.
//!
//! The probing follows ReactOS's `QueryDeviceInformation` (§3.3): QUERY_DEVICE_NAME and
//! QUERY_UNIQUE_ID first get an output of exactly the C `sizeof` (4 bytes), SUGGESTED_LINK_NAME
//! 6 bytes; only `STATUS_BUFFER_OVERFLOW` leads to a second request of `sizeof + length` bytes;
//! any other failure of a mandatory query aborts the arrival.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use mountdev::ioctl::{
    IOCTL_DISK_GET_PARTITION_INFO_EX, IOCTL_MOUNTDEV_LINK_CREATED, IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS,
    IOCTL_MOUNTDEV_LINK_DELETED, IOCTL_MOUNTDEV_LINK_DELETED_ANY_ACCESS, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
    IOCTL_MOUNTDEV_QUERY_STABLE_GUID, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
    IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY, IOCTL_VOLUME_ONLINE,
};
use mountdev::layout::{
    MountdevName, MountdevStableGuid, MountdevSuggestedLinkName, MountdevUniqueId, PartitionInformationEx,
    UniqueIdChangeNotifyOutput, bytes_at,
};
use mountdev::{DriveLetterLink, Guid, IoBuffers, NtStatus, Reply, Severity};
use zerocopy::FromBytes;

use super::describe::{describe_input, describe_output, hex_id, ioctl_name, status_text};
use super::findings::{Finding, Rule};
use super::namespace::Opened;
use super::{Party, Sim, SimName, TraceEvent};

/// What the simulator answers when a reply cannot be used at all (an odd or empty name, a length
/// field pointing past the buffer): the real mount manager would read garbage; the simulator gives
/// up on the volume with this status instead.
pub(crate) const UNUSABLE_REPLY: NtStatus = NtStatus::UNSUCCESSFUL;

/// `GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER` (§5.2).
const GPT_NO_DRIVE_LETTER: u64 = 1 << 63;

/// `PARTITION_SYSTEM_GUID` {c12a7328-f81f-11d2-ba4b-00a0c93ec93b}: the EFI system partition, which
/// gets no automatic letter.
const EFI_SYSTEM_PARTITION: Guid = Guid::new(
    0xC12A_7328,
    0xF81F,
    0x11D2,
    [0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B],
);

/// Output ReactOS offers with UNIQUE_ID_CHANGE_NOTIFY: the fixed part and 1024 bytes (§2.6).
const CHANGE_NOTIFY_OUTPUT: usize = UniqueIdChangeNotifyOutput::C_SIZEOF + 1024;

/// A variable-length MOUNTDEV query and how its reply is shaped.
#[derive(Clone, Copy)]
struct Counted {
    code: u32,
    /// C `sizeof`: the probe size.
    c_sizeof: usize,
    /// Offset of the payload.
    header: usize,
    /// Offset of the `u16` length field.
    length_at: usize,
    /// Whether a failure aborts the arrival (device name, unique ID).
    mandatory: bool,
    /// Whether the retry size is kept in a `USHORT` (ReactOS `QueryDeviceInformation`:
    /// `USHORT Size = NameLength + 4` for the device name, `docs/protocol.md` Errata 9): a name
    /// of 65532 bytes or more wraps it, and the name can never be queried.
    ushort_retry: bool,
}

const DEVICE_NAME: Counted = Counted {
    code: IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
    c_sizeof: MountdevName::C_SIZEOF,
    header: MountdevName::HEADER_SIZE,
    length_at: 0,
    mandatory: true,
    ushort_retry: true,
};

const UNIQUE_ID: Counted = Counted {
    code: IOCTL_MOUNTDEV_QUERY_UNIQUE_ID,
    c_sizeof: MountdevUniqueId::C_SIZEOF,
    header: MountdevUniqueId::HEADER_SIZE,
    length_at: 0,
    mandatory: true,
    ushort_retry: false,
};

const SUGGESTED_LINK: Counted = Counted {
    code: IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME,
    c_sizeof: MountdevSuggestedLinkName::C_SIZEOF,
    header: MountdevSuggestedLinkName::HEADER_SIZE,
    length_at: 2,
    mandatory: false,
    ushort_retry: false,
};

/// A counted reply that came back complete.
struct CountedReply {
    /// The reply bytes, exactly `header + length`.
    bytes: Vec<u8>,
    /// The length the 4/6-byte probe announced, when the first answer was an overflow.
    probed_length: Option<usize>,
}

/// A suggestion from QUERY_SUGGESTED_LINK_NAME (§2.5, §4.3).
#[derive(Clone, Debug)]
pub(crate) struct Suggestion {
    pub(crate) name: SimName,
    pub(crate) only_if_no_other_links: bool,
}

fn read_u16(buf: &[u8], offset: usize) -> Option<usize> {
    match bytes_at(buf, offset, 2).ok()? {
        [lo, hi] => Some(usize::from(u16::from_le_bytes([*lo, *hi]))),
        _ => None,
    }
}

/// `NT_SUCCESS`: success or informational.
fn nt_success(status: NtStatus) -> bool {
    matches!(status.severity(), Severity::Success | Severity::Informational)
}

impl Sim {
    /// Sends `code` to the opened device as the mount manager does, and returns the completion
    /// with what the mount manager's buffer holds afterwards: `output_len` bytes, of which the
    /// first `information` came from the device when the status is not an error (§3.1).
    pub(crate) fn call_device(
        &mut self,
        opened: &Opened,
        code: u32,
        input: &[u8],
        output_len: usize,
    ) -> (Reply, Vec<u8>) {
        self.call_device_as(Party::MountManager, opened, code, input, output_len)
    }

    /// [`Sim::call_device`] for any sender.
    pub(crate) fn call_device_as(
        &mut self,
        caller: Party,
        opened: &Opened,
        code: u32,
        input: &[u8],
        output_len: usize,
    ) -> (Reply, Vec<u8>) {
        let mut system = vec![0u8; output_len];
        let mut reply = opened
            .device
            .device_io_control(code, IoBuffers::split(input, &mut system));
        let mut visible = vec![0u8; output_len];
        if reply.information > output_len {
            // §3.1: Information must never exceed OutputBufferLength, or the copy-back runs past
            // the caller's buffer.
            let detail = format!(
                "{} completed with {} and Information {} for a {}-byte output buffer",
                ioctl_name(code),
                status_text(reply.status),
                reply.information,
                output_len
            );
            self.trace_device_call(caller, opened, code, input, output_len, reply, "");
            self.report(Finding::new(Rule::InformationExceedsBuffer, opened.name.text(), detail));
            reply.information = output_len;
        } else {
            let shown = if reply.status.copies_output() {
                describe_output(code, system.get(..reply.information).unwrap_or(&[]))
            } else {
                String::new()
            };
            self.trace_device_call(caller, opened, code, input, output_len, reply, &shown);
        }
        if reply.status.copies_output() {
            let valid = system.get(..reply.information).unwrap_or(&[]);
            if let Some(dst) = visible.get_mut(..valid.len()) {
                dst.copy_from_slice(valid);
            }
        }
        (reply, visible)
    }

    #[expect(clippy::too_many_arguments, reason = "one trace record holds all of these")]
    fn trace_device_call(
        &mut self,
        caller: Party,
        opened: &Opened,
        code: u32,
        input: &[u8],
        output_len: usize,
        reply: Reply,
        output: &str,
    ) {
        self.trace.push(TraceEvent::DeviceCall {
            depth: self.depth,
            caller,
            device: opened.name.text(),
            code,
            input: describe_input(code, input),
            output_len,
            status: reply.status,
            information: reply.information,
            output: String::from(output),
        });
    }

    /// A variable-length query: the probe, then (after `STATUS_BUFFER_OVERFLOW` only) the full
    /// request (§3.3 step 3), with the reply rules of §3.2 checked on both answers.
    fn query_counted(&mut self, opened: &Opened, spec: Counted) -> Result<CountedReply, NtStatus> {
        let (reply, out) = self.call_device(opened, spec.code, &[], spec.c_sizeof);
        if reply.status != NtStatus::BUFFER_OVERFLOW {
            return self
                .counted_final(opened, spec, reply, out, spec.c_sizeof)
                .map(|bytes| CountedReply {
                    bytes,
                    probed_length: None,
                });
        }
        if reply.information != spec.c_sizeof {
            let detail = format!(
                "{} answered the {}-byte probe with STATUS_BUFFER_OVERFLOW and Information {} (must be sizeof = {})",
                ioctl_name(spec.code),
                spec.c_sizeof,
                reply.information,
                spec.c_sizeof
            );
            self.report(Finding::new(Rule::OverflowInformation, opened.name.text(), detail));
        }
        // The length field as the mount manager's buffer holds it: 0 unless the device wrote it
        // *and* counted it in Information.
        let length = read_u16(&out, spec.length_at).unwrap_or(0);
        if spec.header.saturating_add(length) <= spec.c_sizeof {
            let detail = format!(
                "{} answered the {}-byte probe with STATUS_BUFFER_OVERFLOW but the length field reads {length}: \
                 the mount manager cannot learn the size it needs",
                ioctl_name(spec.code),
                spec.c_sizeof
            );
            self.report(Finding::new(Rule::OverflowWithoutLength, opened.name.text(), detail));
        }
        // ReactOS allocates sizeof + length and asks again.
        let retry = if spec.ushort_retry {
            let wrapped = u16::try_from(length)
                .unwrap_or(u16::MAX)
                .wrapping_add(u16::try_from(spec.c_sizeof).unwrap_or(u16::MAX));
            usize::from(wrapped)
        } else {
            spec.c_sizeof.saturating_add(length)
        };
        if retry < spec.header.saturating_add(length) {
            // The USHORT wrapped: the buffer can never hold the name. (ReactOS sends the small
            // request anyway and fails on the answer; the simulator stops here so that a correct
            // volume's refusal of a too-small buffer is not reported as its fault.)
            self.note(format!(
                "{}: the retry size {length} + {} wraps in a USHORT to {retry}: query abandoned (Errata 9)",
                ioctl_name(spec.code),
                spec.c_sizeof
            ));
            return Err(NtStatus::BUFFER_OVERFLOW);
        }
        let (reply, out) = self.call_device(opened, spec.code, &[], retry);
        if reply.status == NtStatus::BUFFER_OVERFLOW {
            self.note(format!(
                "{} overflowed a buffer of the size it asked for: query abandoned",
                ioctl_name(spec.code)
            ));
            return Err(NtStatus::BUFFER_OVERFLOW);
        }
        self.counted_final(opened, spec, reply, out, retry)
            .map(|bytes| CountedReply {
                bytes,
                probed_length: Some(length),
            })
    }

    /// The answer that decides a counted query: success gives the bytes, anything else fails it.
    fn counted_final(
        &mut self,
        opened: &Opened,
        spec: Counted,
        reply: Reply,
        out: Vec<u8>,
        offered: usize,
    ) -> Result<Vec<u8>, NtStatus> {
        let device = opened.name.text();
        if reply.status == NtStatus::PENDING {
            if spec.mandatory {
                let detail = format!(
                    "{} returned STATUS_PENDING: the mount manager waits for it synchronously while holding its lock \
                     (§8.8); the simulator gives up instead of hanging",
                    ioctl_name(spec.code)
                );
                self.report(Finding::new(Rule::MandatoryQueryFailed, device, detail));
            }
            return Err(NtStatus::IO_TIMEOUT);
        }
        if !nt_success(reply.status) {
            let size_status = matches!(
                reply.status,
                NtStatus::BUFFER_TOO_SMALL | NtStatus::INVALID_PARAMETER | NtStatus::INFO_LENGTH_MISMATCH
            );
            if size_status {
                let detail = format!(
                    "{} answered a {offered}-byte output (sizeof = {}) with {}; the answer must be \
                     STATUS_BUFFER_OVERFLOW with the length field filled, or the mount manager never retries{}",
                    ioctl_name(spec.code),
                    spec.c_sizeof,
                    status_text(reply.status),
                    if spec.mandatory { " and abandons the volume" } else { "" }
                );
                self.report(Finding::new(Rule::TooSmallBufferStatus, device, detail));
            } else if spec.mandatory {
                let detail = format!(
                    "{} failed with {}: the mount manager abandons the volume",
                    ioctl_name(spec.code),
                    status_text(reply.status)
                );
                self.report(Finding::new(Rule::MandatoryQueryFailed, device, detail));
            }
            return Err(reply.status);
        }
        let length = read_u16(&out, spec.length_at).unwrap_or(0);
        let needed = spec.header.saturating_add(length);
        if reply.information < needed {
            let detail = format!(
                "{} succeeded with Information {} but its length field announces {length} bytes ({needed} in all)",
                ioctl_name(spec.code),
                reply.information
            );
            self.report(Finding::new(Rule::SuccessWithoutData, device, detail));
        }
        match out.get(..needed) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => {
                self.note(format!(
                    "{}: length field {length} points past the {offered}-byte buffer; reply unusable",
                    ioctl_name(spec.code)
                ));
                Err(UNUSABLE_REPLY)
            }
        }
    }

    /// IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, probed (§3.3, §4.2 step 1.3), with the name rules of §2.1.
    pub(crate) fn query_device_name(&mut self, opened: &Opened) -> Result<SimName, NtStatus> {
        let reply = self.query_counted(opened, DEVICE_NAME)?;
        let device = opened.name.text();
        let payload = reply.bytes.get(MountdevName::HEADER_SIZE..).unwrap_or(&[]);
        let Some(name) = SimName::from_le_bytes(payload) else {
            let detail = format!("QUERY_DEVICE_NAME returned NameLength {} (odd)", payload.len());
            self.report(Finding::new(Rule::OddNameLength, device, detail));
            return Err(UNUSABLE_REPLY);
        };
        if name.is_empty() {
            self.note("QUERY_DEVICE_NAME returned an empty name; reply unusable".into());
            return Err(UNUSABLE_REPLY);
        }
        if name.has_nul() {
            let detail = format!(
                "QUERY_DEVICE_NAME returned \"{name}\" ({} bytes): a counted name carries no NUL; links made for it \
                 point at an object that does not exist",
                name.byte_len()
            );
            self.report(Finding::new(Rule::NulInName, device.clone(), detail));
        }
        if name.trimmed_of_nuls() != opened.name {
            let detail = format!(
                "opened as {} but reports \"{name}\"; links will point at the reported name",
                opened.name
            );
            self.report(Finding::new(Rule::DeviceNameMismatch, device, detail));
        }
        Ok(name)
    }

    /// IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, probed (§3.3, §4.2 step 1.4), checked for stability (§4.5).
    pub(crate) fn query_unique_id(&mut self, opened: &Opened) -> Result<Vec<u8>, NtStatus> {
        let reply = self.query_counted(opened, UNIQUE_ID)?;
        let device = opened.name.text();
        let id = reply.bytes.get(MountdevUniqueId::HEADER_SIZE..).unwrap_or(&[]).to_vec();
        if let Some(probed) = reply.probed_length.filter(|&probed| probed != id.len()) {
            let detail = format!(
                "the probe announced {probed} bytes, the full query returned {}",
                id.len()
            );
            self.report(Finding::new(Rule::UniqueIdChanged, device.clone(), detail));
        }
        if id.is_empty() {
            self.report(Finding::new(
                Rule::EmptyUniqueId,
                device.clone(),
                "QUERY_UNIQUE_ID returned UniqueIdLength 0: the database would key the volume with nothing",
            ));
        }
        let key = (opened.name.clone(), opened.generation);
        if let Some(previous) = self.seen_ids.get(&key).filter(|previous| **previous != id) {
            let detail = format!("was {}, now {}", hex_id(previous), hex_id(&id));
            self.report(Finding::new(Rule::UniqueIdChanged, device, detail));
        }
        self.seen_ids.insert(key, id.clone());
        Ok(id)
    }

    /// IOCTL_MOUNTDEV_QUERY_STABLE_GUID with a 16-byte buffer (§4.2 step 1.5); failure is fine.
    pub(crate) fn query_stable_guid(&mut self, opened: &Opened) -> Option<Guid> {
        let (reply, out) = self.call_device(
            opened,
            IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
            &[],
            MountdevStableGuid::C_SIZEOF,
        );
        if !nt_success(reply.status) {
            return None;
        }
        if reply.information < MountdevStableGuid::C_SIZEOF {
            let detail = format!(
                "QUERY_STABLE_GUID succeeded with Information {} (needs 16)",
                reply.information
            );
            self.report(Finding::new(Rule::SuccessWithoutData, opened.name.text(), detail));
            return None;
        }
        MountdevStableGuid::read_from_prefix(&out)
            .ok()
            .map(|(wire, _)| Guid::from_wire(&wire.stable_guid))
    }

    /// IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, probed with 6 bytes (§4.2 step 2); failure means
    /// "no suggestion". A suggestion meant as a drive letter that is not one is a finding
    /// (§2.18, §4.3).
    pub(crate) fn query_suggested_link(&mut self, opened: &Opened) -> Option<Suggestion> {
        let reply = self.query_counted(opened, SUGGESTED_LINK).ok()?;
        let device = opened.name.text();
        let flag = reply.bytes.first().copied().unwrap_or(0);
        let payload = reply.bytes.get(MountdevSuggestedLinkName::HEADER_SIZE..).unwrap_or(&[]);
        let Some(name) = SimName::from_le_bytes(payload) else {
            let detail = format!("QUERY_SUGGESTED_LINK_NAME returned NameLength {} (odd)", payload.len());
            self.report(Finding::new(Rule::OddNameLength, device, detail));
            return None;
        };
        if name.is_empty() {
            return None;
        }
        if name.has_nul() {
            let detail = format!("suggested \"{name}\" ({} bytes)", name.byte_len());
            self.report(Finding::new(Rule::NulInName, device.clone(), detail));
        }
        if name.drive_letter().is_none() {
            let trimmed = name.trimmed_of_nuls();
            let problem = match trimmed.as_nt().map(DriveLetterLink::classify) {
                Some(mountdev::name::DriveLetterShape::Letter(_)) => Some(format!(
                    "\"{name}\" is {} bytes: its length counts the terminator, and only exactly 28 bytes make a drive letter",
                    name.byte_len()
                )),
                Some(mountdev::name::DriveLetterShape::Lowercase(letter)) => Some(format!(
                    "\"{name}\": drive letters are uppercase only; '{letter}' is not recognised"
                )),
                Some(mountdev::name::DriveLetterShape::TrailingUnits { bytes }) => Some(format!(
                    "\"{name}\" is {bytes} bytes: only exactly 28 bytes (\\DosDevices\\X:) make a drive letter"
                )),
                _ => None,
            };
            if let Some(detail) = problem {
                self.report(Finding::new(Rule::SuggestedLinkNotDriveLetter, device, detail));
            }
        }
        Some(Suggestion {
            name,
            only_if_no_other_links: flag != 0,
        })
    }

    /// Whether the partition forbids an automatic drive letter, from
    /// IOCTL_DISK_GET_PARTITION_INFO_EX (144-byte output) as current ReactOS reads it in
    /// `QueryDeviceInformation` (`docs/protocol.md` Errata 3; it no longer sends
    /// IOCTL_VOLUME_GET_GPT_ATTRIBUTES): a GPT partition whose type is the EFI system partition,
    /// or whose attributes carry `GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER` (bit 63). Sent to
    /// non-removable volumes only; failure, an MBR partition or a short answer allow a letter.
    pub(crate) fn partition_forbids_letter(&mut self, opened: &Opened) -> bool {
        let (reply, out) = self.call_device(
            opened,
            IOCTL_DISK_GET_PARTITION_INFO_EX,
            &[],
            PartitionInformationEx::C_SIZEOF,
        );
        if !nt_success(reply.status) || reply.information < PartitionInformationEx::C_SIZEOF {
            return false;
        }
        let Some(gpt) = PartitionInformationEx::read_from_prefix(&out)
            .ok()
            .and_then(|(info, _)| info.gpt_arm())
        else {
            return false;
        };
        Guid::from_wire(&gpt.partition_type) == EFI_SYSTEM_PARTITION || gpt.attributes.get() & GPT_NO_DRIVE_LETTER != 0
    }

    /// IOCTL_MOUNTDEV_LINK_CREATED for `link`, both codes, read/write first then any-access, as
    /// ReactOS sends them (§1.2, §4.2 step 8). Delivered to the device the link leads to.
    pub(crate) fn send_link_created(&mut self, link: &SimName) {
        self.send_link_notification(
            link,
            link,
            [IOCTL_MOUNTDEV_LINK_CREATED, IOCTL_MOUNTDEV_LINK_CREATED_ANY_ACCESS],
        );
    }

    /// IOCTL_MOUNTDEV_LINK_DELETED for `link`, both codes (§1.2, §4.6), to the device `to`.
    pub(crate) fn send_link_deleted(&mut self, to: &SimName, link: &SimName) {
        self.send_link_notification(
            to,
            link,
            [IOCTL_MOUNTDEV_LINK_DELETED, IOCTL_MOUNTDEV_LINK_DELETED_ANY_ACCESS],
        );
    }

    fn send_link_notification(&mut self, open_by: &SimName, link: &SimName, codes: [u32; 2]) {
        let Ok(opened) = self.namespace.open(open_by) else {
            self.note(format!("{} cannot be opened: no link notification for {link}", open_by));
            return;
        };
        let Ok(length) = u16::try_from(link.byte_len()) else {
            return;
        };
        let mut input = Vec::with_capacity(link.byte_len().saturating_add(2));
        input.extend_from_slice(&length.to_le_bytes());
        input.extend_from_slice(link.as_le_bytes());
        for code in codes {
            let (reply, _) = self.call_device(&opened, code, &input, 0);
            // A volume may refuse a name with a NUL (it came from a client's request): no finding.
            if reply.status.is_error() && !link.has_nul() {
                let detail = format!(
                    "{} failed with {}; accept both codes and return success (§8.11)",
                    ioctl_name(code),
                    status_text(reply.status)
                );
                self.report(Finding::new(Rule::LinkNotificationFailed, opened.name.text(), detail));
            }
        }
    }

    /// IOCTL_VOLUME_ONLINE (§4.2 step 9); the answer is not checked.
    pub(crate) fn send_volume_online(&mut self, opened: &Opened) {
        let _ = self.call_device(opened, IOCTL_VOLUME_ONLINE, &[], 0);
    }

    /// Posts IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY with the current ID (§4.2 step 9). Pending or
    /// an error is what a volume should answer (§1.2); success must carry a valid change record,
    /// whose new ID is returned.
    pub(crate) fn post_unique_id_change_notify(&mut self, opened: &Opened, unique_id: &[u8]) -> Option<Vec<u8>> {
        let length = u16::try_from(unique_id.len()).ok()?;
        let mut input = Vec::with_capacity(unique_id.len().saturating_add(2));
        input.extend_from_slice(&length.to_le_bytes());
        input.extend_from_slice(unique_id);
        let (reply, out) = self.call_device(
            opened,
            IOCTL_MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY,
            &input,
            CHANGE_NOTIFY_OUTPUT,
        );
        if reply.status == NtStatus::PENDING {
            self.note("UNIQUE_ID_CHANGE_NOTIFY pending: the volume holds it until its unique ID changes".into());
            return None;
        }
        if reply.status != NtStatus::SUCCESS {
            return None;
        }
        let valid = out.get(..reply.information).unwrap_or(&[]);
        match UniqueIdChangeNotifyOutput::parse(valid) {
            Ok((_, old, new)) if old == unique_id && !new.is_empty() => {
                if new == unique_id {
                    let detail = "completed with success but old and new unique IDs are equal";
                    self.report(Finding::new(Rule::ChangeNotifyGarbage, opened.name.text(), detail));
                    None
                } else {
                    Some(new.to_vec())
                }
            }
            parsed => {
                let why = match parsed {
                    Ok(_) => String::from("the old ID is not the one the mount manager sent, or the new ID is empty"),
                    Err(error) => format!("the output is not a change record ({error})"),
                };
                let detail = format!(
                    "completed with STATUS_SUCCESS and Information {}: {why}; an unsupported notification must fail \
                     at once (STATUS_INVALID_DEVICE_REQUEST), never succeed with garbage",
                    reply.information
                );
                self.report(Finding::new(Rule::ChangeNotifyGarbage, opened.name.text(), detail));
                None
            }
        }
    }
}
