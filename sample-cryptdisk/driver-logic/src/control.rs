//! What the control device answers: MOUNT, UNMOUNT and LIST, decoded and validated by
//! `cryptdisk_core::control`, carried out by a [`ControlHost`].
//!
//! This module knows nothing of IRPs or kernel calls: it takes the request's [`ControlCode`]
//! (matched once, by the dispatch routine) and its METHOD_BUFFERED system buffer
//! ([`ControlBuffers`]) and returns a [`Reply`]. The driver's host is
//! [`crate::service::ControlService`], which runs on the control device's worker thread (a
//! system thread), so every host call happens in the system process at PASSIVE_LEVEL.
//!
//! MOUNT is decoded with [`MountRequest::parse`]; everything the mount needs is copied into
//! an owned [`MountOrder`] (the master key into a zeroizing [`MasterKey`]), and then the key is
//! scrubbed out of the system buffer with [`MountRequest::scrub`] — also when the request is
//! refused — so it never lingers in the I/O manager's memory.

use alloc::vec::Vec;

use cryptdisk_core::control::{MOUNT_REQUEST_FIXED_SIZE, MountOptions, MountReply, MountRequest, UnmountRequest};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use mountdev::reply::write_fixed;
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};
use zerocopy::IntoBytes;
use zeroize::Zeroize;

use crate::control_codes::ControlCode;

/// The METHOD_BUFFERED system buffer of one control request: `input_len` request bytes at its
/// start, and room for `output_len` reply bytes over the same memory.
#[derive(Debug)]
pub struct ControlBuffers<'a> {
    system: &'a mut [u8],
    input_len: usize,
    output_len: usize,
}

impl<'a> ControlBuffers<'a> {
    /// The buffer the I/O manager allocated (`max(input, output)` bytes). Lengths beyond it are
    /// clamped to it.
    ///
    /// ```
    /// # use cryptdisk_driver_logic::control::ControlBuffers;
    /// let mut system = [1u8, 2, 3, 4];
    /// let buffers = ControlBuffers::shared(&mut system, 2, 9);
    /// assert_eq!(buffers.input(), &[1, 2]);
    /// assert_eq!(buffers.output_len(), 4);
    /// ```
    pub fn shared(system: &'a mut [u8], input_len: usize, output_len: usize) -> Self {
        let input_len = input_len.min(system.len());
        let output_len = output_len.min(system.len());
        Self {
            system,
            input_len,
            output_len,
        }
    }

    /// The request bytes.
    pub fn input(&self) -> &[u8] {
        self.system.get(..self.input_len).unwrap_or(&[])
    }

    /// The request bytes, writable (to scrub a key out of them).
    pub fn input_mut(&mut self) -> &mut [u8] {
        self.system.get_mut(..self.input_len).unwrap_or(&mut [])
    }

    /// The reply room the caller offered.
    pub fn output_len(&self) -> usize {
        self.output_len
    }

    /// The reply room; the request is gone from here on (it shares the memory).
    pub fn into_output(self) -> &'a mut [u8] {
        self.system.get_mut(..self.output_len).unwrap_or(&mut [])
    }
}

/// A validated MOUNT request, owned: what the host needs after the system buffer is scrubbed.
#[derive(Debug)]
pub struct MountOrder {
    /// The container's NT path (`\??\X:\…` or `\??\UNC\…`), UTF-16LE bytes, validated by the
    /// core.
    path: Vec<u8>,
    /// The drive letter asked for, or `None` (the mount manager chooses).
    pub letter: Option<DriveLetterLink>,
    /// Read-only and removable.
    pub options: MountOptions,
    /// The cipher and key size the CLI read from the header.
    pub cipher: CipherSpec,
    /// The master key (zeroized on drop).
    pub key: MasterKey,
    /// The LUKS payload offset in sectors, as the CLI read it.
    pub payload_offset: u64,
    /// The data sectors the CLI saw.
    pub data_sectors: u64,
    /// The LUKS UUID.
    pub uuid: Uuid,
}

impl MountOrder {
    /// Takes over a decoded request (the key moves, the path is copied).
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES` when the path cannot be copied.
    pub fn from_request(request: MountRequest<'_>) -> Result<Self, NtStatus> {
        let MountRequest {
            path,
            letter,
            options,
            cipher,
            key,
            payload_offset,
            data_sectors,
            uuid,
        } = request;
        let bytes = path.as_le_bytes();
        let mut copy = Vec::new();
        copy.try_reserve_exact(bytes.len())
            .map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)?;
        copy.extend_from_slice(bytes);
        Ok(Self {
            path: copy,
            letter,
            options,
            cipher,
            key,
            payload_offset,
            data_sectors,
            uuid,
        })
    }

    /// The container path.
    pub fn path(&self) -> NtName<'_> {
        // Copied from a validated NtName, so it parses again.
        NtName::from_le_bytes(&self.path).unwrap_or(mountdev::nt_name!("\\??\\invalid"))
    }

    /// The container path's UTF-16LE bytes, for a registry entry that outlives the order.
    pub fn into_path_bytes(self) -> Vec<u8> {
        self.path
    }
}

/// The operations behind the three control requests (the kernel's control service; a fake in
/// the tests).
pub trait ControlHost {
    /// Mounts `order` and describes the result.
    ///
    /// # Errors
    ///
    /// The status the MOUNT request completes with.
    fn mount(&mut self, order: MountOrder) -> Result<MountReply, NtStatus>;

    /// Unmounts the volume `request` names.
    ///
    /// # Errors
    ///
    /// The status the UNMOUNT request completes with.
    fn unmount(&mut self, request: UnmountRequest) -> Result<(), NtStatus>;

    /// Writes the LIST reply into `output` (`cryptdisk_core::control::write_list_reply`).
    fn list(&mut self, output: &mut [u8]) -> Reply;
}

/// Overwrites the master key of a MOUNT input with zeros ([`MountRequest::scrub`]). An input
/// shorter than the fixed part may still hold a prefix of a key and holds nothing a reply needs,
/// so it is zeroed whole.
pub fn scrub_mount_input(input: &mut [u8]) {
    if input.len() < MOUNT_REQUEST_FIXED_SIZE {
        input.zeroize();
    } else {
        MountRequest::scrub(input);
    }
}

/// Answers one control-device request; bad requests get the status of their `ControlError`.
/// (Codes other than MOUNT, UNMOUNT and LIST never get here: [`ControlCode::from_ioctl`]
/// refuses them in the dispatch routine.)
///
/// ```
/// use cryptdisk_core::control::{MountReply, UnmountRequest};
/// use cryptdisk_driver_logic::control::{ControlBuffers, ControlHost, MountOrder, handle_control};
/// use cryptdisk_driver_logic::control_codes::ControlCode;
/// use mountdev::{NtStatus, Reply};
///
/// struct Nothing;
/// impl ControlHost for Nothing {
///     fn mount(&mut self, _: MountOrder) -> Result<MountReply, NtStatus> { Err(NtStatus::NOT_SUPPORTED) }
///     fn unmount(&mut self, _: UnmountRequest) -> Result<(), NtStatus> { Err(NtStatus::NOT_FOUND) }
///     fn list(&mut self, _: &mut [u8]) -> Reply { Reply::success(0) }
/// }
/// let mut system = [0u8; 16];
/// let reply = handle_control(&mut Nothing, ControlCode::Unmount, ControlBuffers::shared(&mut system, 3, 0));
/// assert_eq!(reply.status, NtStatus::INVALID_PARAMETER); // 3 bytes are no UNMOUNT request
/// ```
pub fn handle_control<H: ControlHost>(host: &mut H, code: ControlCode, buffers: ControlBuffers<'_>) -> Reply {
    match code {
        ControlCode::Mount => mount(host, buffers),
        ControlCode::Unmount => match UnmountRequest::parse(buffers.input()) {
            Ok(request) => match host.unmount(request) {
                Ok(()) => Reply::success(0),
                Err(status) => Reply::error(status),
            },
            Err(error) => Reply::error(error.into()),
        },
        ControlCode::List => host.list(buffers.into_output()),
    }
}

fn mount<H: ControlHost>(host: &mut H, mut buffers: ControlBuffers<'_>) -> Reply {
    let order = if buffers.output_len() < size_of::<MountReply>() {
        // Refused before any work: the reply would not fit.
        Err(NtStatus::BUFFER_TOO_SMALL)
    } else {
        MountRequest::parse(buffers.input())
            .map_err(NtStatus::from)
            .and_then(MountOrder::from_request)
    };
    scrub_mount_input(buffers.input_mut());
    let order = match order {
        Ok(order) => order,
        Err(status) => return Reply::error(status),
    };
    match host.mount(order) {
        Ok(reply) => write_fixed(buffers.into_output(), reply.as_bytes()),
        Err(status) => Reply::error(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use cryptdisk_core::control::{
        ListReply, MountReplyFlags, MountRequestBuilder, UnmountTarget, VolumeSummary, write_list_reply,
    };
    use cryptdisk_core::xts::XtsKeySize;

    /// What the fake host saw of a mount: path, letter, key, payload offset, data sectors.
    type Seen = (alloc::string::String, Option<char>, Vec<u8>, u64, u64);

    /// Records what it was asked and answers as configured.
    #[derive(Default)]
    struct Fake {
        mounted: Vec<Seen>,
        unmounted: Vec<UnmountRequest>,
        fail_with: Option<NtStatus>,
    }

    impl ControlHost for Fake {
        fn mount(&mut self, order: MountOrder) -> Result<MountReply, NtStatus> {
            if let Some(status) = self.fail_with {
                return Err(status);
            }
            self.mounted.push((
                order.path().to_string(),
                order.letter.map(|l| l.letter()),
                order.key.as_bytes().to_vec(),
                order.payload_offset,
                order.data_sectors,
            ));
            Ok(MountReply::new(MountReplyFlags::FALLBACK_LINK, 3, Some(b'Q'), [0; 16]))
        }
        fn unmount(&mut self, request: UnmountRequest) -> Result<(), NtStatus> {
            self.unmounted.push(request);
            self.fail_with.map_or(Ok(()), Err)
        }
        fn list(&mut self, output: &mut [u8]) -> Reply {
            let volume = VolumeSummary {
                device_number: 3,
                drive_letter: Some(b'Q'),
                read_only: true,
                removable: false,
                fallback_link: true,
                data_sectors: 2048,
                uuid: Uuid::from_bytes([9; 16]),
                path: mountdev::nt_name!("\\??\\C:\\v.luks"),
            };
            write_list_reply(&[volume], output)
        }
    }

    fn key() -> MasterKey {
        MasterKey::from_slice(&(1u8..=64).collect::<Vec<u8>>()).unwrap()
    }

    fn mount_request(path: &str) -> Vec<u8> {
        let key = key();
        MountRequestBuilder {
            path,
            letter: Some(b'Q'),
            options: MountOptions {
                read_only: true,
                removable: false,
            },
            cipher: CipherSpec::AesXtsPlain64 {
                key_size: XtsKeySize::Bits512,
            },
            key: &key,
            payload_offset: 4096,
            data_sectors: 2048,
            uuid: Uuid::from_bytes([9; 16]),
        }
        .to_vec()
        .unwrap()
    }

    /// A system buffer of `max(input, output)` bytes holding `input`.
    fn system(input: &[u8], output_len: usize) -> Vec<u8> {
        let mut buffer = vec![0xEEu8; input.len().max(output_len)];
        buffer[..input.len()].copy_from_slice(input);
        buffer
    }

    #[test]
    fn mount_hands_an_owned_order_to_the_host_scrubs_the_key_and_writes_the_reply() {
        let request = mount_request("\\??\\C:\\vols\\a.luks");
        assert_eq!(&request[48..112], key().as_bytes());
        let mut host = Fake::default();
        let mut buffer = system(&request, 32);
        let reply = handle_control(
            &mut host,
            ControlCode::Mount,
            ControlBuffers::shared(&mut buffer, request.len(), 32),
        );
        assert_eq!(reply, Reply::success(32));
        let parsed = MountReply::parse(&buffer[..32]).unwrap();
        assert_eq!(parsed.flags(), MountReplyFlags::FALLBACK_LINK);
        assert_eq!((parsed.device_number.get(), parsed.drive_letter), (3, b'Q'));
        // The reply overwrote the first 32 bytes; the key (48..112) is zero, the path intact.
        assert!(buffer[48..112].iter().all(|&b| b == 0));
        assert_eq!(&buffer[112..], &request[112..]);
        let (path, letter, key_bytes, payload, sectors) = &host.mounted[0];
        assert_eq!(path, "\\??\\C:\\vols\\a.luks");
        assert_eq!(*letter, Some('Q'));
        assert_eq!(key_bytes, &key().as_bytes().to_vec());
        assert_eq!((*payload, *sectors), (4096, 2048));
    }

    #[test]
    fn refused_mounts_never_reach_the_host_and_are_scrubbed_too() {
        let good = mount_request("\\??\\C:\\a.luks");
        let mut bad_magic = good.clone();
        bad_magic[0] = b'X';
        let mut relative = good.clone();
        relative.truncate(112);
        relative.extend("C:\\a.luks".encode_utf16().flat_map(u16::to_le_bytes));
        let path_length = u16::try_from(relative.len() - 112).unwrap();
        relative[12..14].copy_from_slice(&path_length.to_le_bytes());
        let short = good[..100].to_vec();
        let cases: [(&[u8], usize, NtStatus); 5] = [
            (&bad_magic, 32, NtStatus::INVALID_PARAMETER),
            (&relative, 32, NtStatus::INVALID_PARAMETER),
            (&short, 32, NtStatus::INVALID_PARAMETER),
            (&good[..good.len() - 2], 32, NtStatus::INVALID_PARAMETER),
            // A reply buffer too small is refused before any work.
            (&good, 31, NtStatus::BUFFER_TOO_SMALL),
        ];
        for (input, output_len, status) in cases {
            let mut host = Fake::default();
            let mut buffer = system(input, output_len);
            let reply = handle_control(
                &mut host,
                ControlCode::Mount,
                ControlBuffers::shared(&mut buffer, input.len(), output_len),
            );
            assert_eq!(reply, Reply::error(status), "{} bytes", input.len());
            assert!(host.mounted.is_empty());
            let key_area = &buffer[48.min(input.len())..112.min(input.len())];
            assert!(
                key_area.iter().all(|&b| b == 0),
                "key left in a {}-byte input",
                input.len()
            );
        }
    }

    #[test]
    fn a_host_failure_is_the_reply_status_with_no_output() {
        let request = mount_request("\\??\\UNC\\server\\share\\v.img");
        for status in [NtStatus::OBJECT_NAME_COLLISION, NtStatus::OBJECT_NAME_NOT_FOUND] {
            let mut host = Fake {
                fail_with: Some(status),
                ..Fake::default()
            };
            let mut buffer = system(&request, 64);
            let reply = handle_control(
                &mut host,
                ControlCode::Mount,
                ControlBuffers::shared(&mut buffer, request.len(), 64),
            );
            assert_eq!(reply, Reply::error(status));
            assert!(buffer[48..112].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn unmount_decodes_its_target_and_reports_the_host_status() {
        let request = UnmountRequest {
            target: UnmountTarget::DeviceNumber(7),
            force: true,
        }
        .to_bytes();
        let mut host = Fake::default();
        let mut buffer = system(&request, 0);
        let reply = handle_control(
            &mut host,
            ControlCode::Unmount,
            ControlBuffers::shared(&mut buffer, 16, 0),
        );
        assert_eq!(reply, Reply::success(0));
        assert_eq!(host.unmounted[0].target, UnmountTarget::DeviceNumber(7));
        assert!(host.unmounted[0].force);

        host.fail_with = Some(NtStatus::NOT_FOUND);
        let mut buffer = system(&request, 0);
        let reply = handle_control(
            &mut host,
            ControlCode::Unmount,
            ControlBuffers::shared(&mut buffer, 16, 0),
        );
        assert_eq!(reply, Reply::error(NtStatus::NOT_FOUND));

        let mut garbage = [0u8; 17];
        let reply = handle_control(
            &mut Fake::default(),
            ControlCode::Unmount,
            ControlBuffers::shared(&mut garbage, 17, 0),
        );
        assert_eq!(reply, Reply::error(NtStatus::INVALID_PARAMETER));
    }

    #[test]
    fn list_follows_the_size_then_retry_convention() {
        let mut host = Fake::default();
        let mut probe = [0u8; 16];
        let reply = handle_control(&mut host, ControlCode::List, ControlBuffers::shared(&mut probe, 0, 16));
        assert_eq!(reply, Reply::new(NtStatus::BUFFER_OVERFLOW, 16));
        let size = usize::try_from(u32::from_le_bytes(probe[8..12].try_into().unwrap())).unwrap();
        let mut full = vec![0u8; size];
        let reply = handle_control(&mut host, ControlCode::List, ControlBuffers::shared(&mut full, 0, size));
        assert_eq!(reply, Reply::success(size));
        let list = ListReply::parse(&full).unwrap();
        let entry = list.entries().next().unwrap().unwrap();
        assert_eq!((entry.device_number, entry.drive_letter), (3, Some(b'Q')));
        assert!(entry.read_only && entry.fallback_link);
    }

    #[test]
    fn buffers_clamp_lengths_to_the_system_buffer() {
        let mut system = [1u8, 2, 3];
        let buffers = ControlBuffers::shared(&mut system, 9, 9);
        assert_eq!(buffers.input(), &[1, 2, 3]);
        assert_eq!(buffers.into_output().len(), 3);
    }
}
