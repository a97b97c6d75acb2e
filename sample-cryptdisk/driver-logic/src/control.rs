//! What the control device answers: MOUNT, UNMOUNT and LIST, decoded and validated by
//! `cryptdisk_core::control`, carried out by a [`ControlHost`].
//!
//! This module knows nothing of IRPs or kernel calls: it takes the request's METHOD_BUFFERED
//! system buffer ([`ControlBuffers`]) and returns a [`Reply`]. A MOUNT is handled in two halves:
//!
//! 1. [`accept_mount`], in the dispatch routine (the caller's thread, so the container is opened
//!    with the caller's token and access check): decodes the [`MountCommand`], copies what the
//!    mount needs into an owned [`MountOrder`] (the master key into a zeroizing [`MasterKey`]),
//!    scrubs the key out of the system buffer with [`MountCommand::scrub`] — also when the
//!    request is refused — and opens the container. The result is a [`PendingMount`].
//! 2. [`handle_control`] with [`ControlJob::Mount`], on the control device's worker thread (a
//!    system thread that serialises every control request): the host checks the header and the
//!    key's digest and mounts ([`crate::service::ControlService`]).
//!
//! UNMOUNT and LIST are decoded and answered on the worker.

use alloc::vec::Vec;

use cryptdisk_core::control::{MOUNT_COMMAND_FIXED_SIZE, MountCommand, MountOptions, MountReply, UnmountRequest};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use mountdev::reply::write_fixed;
use mountdev::{DriveLetterLink, NtName, NtStatus, Reply};
use zerocopy::IntoBytes;
use zeroize::Zeroize;

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

/// A container path the core validated (`\??\X:\…` or `\??\UNC\…`), owned: only
/// [`MountOrder::from_command`] makes one, from the [`MountCommand`]'s checked name.
#[derive(Debug)]
pub struct ContainerPath {
    // INVARIANT: the UTF-16LE bytes of an `NtName` that passed `validate_container_path`.
    bytes: Vec<u8>,
}

impl ContainerPath {
    /// A copy of `name` (which the core's parser has validated).
    fn copy_of(name: NtName<'_>) -> Result<Self, NtStatus> {
        let source = name.as_le_bytes();
        let mut bytes = Vec::new();
        bytes
            .try_reserve_exact(source.len())
            .map_err(|_| NtStatus::INSUFFICIENT_RESOURCES)?;
        bytes.extend_from_slice(source);
        Ok(Self { bytes })
    }

    /// The path as an NT name.
    ///
    /// # Errors
    ///
    /// `STATUS_OBJECT_NAME_INVALID` if the bytes no longer form a name, which the invariant
    /// rules out (a typed error instead of a made-up name).
    pub fn name(&self) -> Result<NtName<'_>, NtStatus> {
        NtName::from_le_bytes(&self.bytes).map_err(|_| NtStatus::OBJECT_NAME_INVALID)
    }

    /// The UTF-16LE bytes, for a registry entry that outlives the order.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// A validated MOUNT command, owned: what the host needs after the system buffer is scrubbed.
#[derive(Debug)]
pub struct MountOrder {
    /// The container's NT path.
    pub path: ContainerPath,
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
    /// Takes over a decoded command (the key moves, the path is copied).
    ///
    /// # Errors
    ///
    /// `STATUS_INSUFFICIENT_RESOURCES` when the path cannot be copied.
    pub fn from_command(command: MountCommand<'_>) -> Result<Self, NtStatus> {
        let MountCommand {
            path,
            letter,
            options,
            cipher,
            key,
            payload_offset,
            data_sectors,
            uuid,
        } = command;
        Ok(Self {
            path: ContainerPath::copy_of(path)?,
            letter,
            options,
            cipher,
            key,
            payload_offset,
            data_sectors,
            uuid,
        })
    }
}

/// A MOUNT accepted by the dispatch routine: the order and the container it opened.
#[derive(Debug)]
pub struct PendingMount<C> {
    /// The order.
    pub order: MountOrder,
    /// The container, opened in the caller's context.
    pub container: C,
}

/// What the control worker is asked to do: a MOUNT carries what the dispatch routine prepared
/// (`M`: a [`PendingMount`], or in the kernel a pointer to one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlJob<M> {
    /// MOUNT, accepted by [`accept_mount`].
    Mount(M),
    /// UNMOUNT (decoded on the worker).
    Unmount,
    /// LIST.
    List,
}

/// The operations behind the three control requests (the kernel's control service; a fake in
/// the tests).
pub trait ControlHost {
    /// The container a MOUNT's dispatch routine opened.
    type Container;

    /// Mounts `order` over `container` and describes the result.
    ///
    /// # Errors
    ///
    /// The status the MOUNT request completes with.
    fn mount(&mut self, order: MountOrder, container: Self::Container) -> Result<MountReply, NtStatus>;

    /// Unmounts the volume `request` names.
    ///
    /// # Errors
    ///
    /// The status the UNMOUNT request completes with.
    fn unmount(&mut self, request: UnmountRequest) -> Result<(), NtStatus>;

    /// Writes the LIST reply into `output` (`cryptdisk_core::control::write_list_reply`).
    fn list(&mut self, output: &mut [u8]) -> Reply;
}

/// Overwrites the master key of a MOUNT input with zeros ([`MountCommand::scrub`]). An input
/// shorter than the fixed part may still hold a prefix of a key and holds nothing a reply needs,
/// so it is zeroed whole.
pub fn scrub_mount_input(input: &mut [u8]) {
    if input.len() < MOUNT_COMMAND_FIXED_SIZE {
        input.zeroize();
    } else {
        MountCommand::scrub(input);
    }
}

/// The dispatch-routine half of a MOUNT (see the module docs): refuses a reply buffer too small
/// for a [`MountReply`] (`STATUS_BUFFER_TOO_SMALL`, before any work), decodes and copies the
/// command, scrubs the key out of the input (always), then opens the container with
/// `open(path, read_only)` — in the kernel, in the caller's context with an access check.
///
/// # Errors
///
/// The status the MOUNT completes with: the command's [`ControlError`](cryptdisk_core::control::ControlError),
/// `STATUS_INSUFFICIENT_RESOURCES`, or the open's status.
pub fn accept_mount<C>(
    mut buffers: ControlBuffers<'_>,
    open: impl FnOnce(NtName<'_>, bool) -> Result<C, NtStatus>,
) -> Result<PendingMount<C>, NtStatus> {
    let order = if buffers.output_len() < size_of::<MountReply>() {
        Err(NtStatus::BUFFER_TOO_SMALL)
    } else {
        MountCommand::parse(buffers.input())
            .map_err(NtStatus::from)
            .and_then(MountOrder::from_command)
    };
    scrub_mount_input(buffers.input_mut());
    let order = order?;
    let container = open(order.path.name()?, order.options.read_only)?;
    Ok(PendingMount { order, container })
}

/// The worker half of every control request: MOUNT hands the [`PendingMount`] to the host and
/// writes its reply; UNMOUNT is decoded here; bad requests get the status of their
/// `ControlError`.
///
/// ```
/// use cryptdisk_core::control::{MountReply, UnmountRequest};
/// use cryptdisk_driver_logic::control::{ControlBuffers, ControlHost, ControlJob, MountOrder, handle_control};
/// use mountdev::{NtStatus, Reply};
///
/// struct Nothing;
/// impl ControlHost for Nothing {
///     type Container = ();
///     fn mount(&mut self, _: MountOrder, _: ()) -> Result<MountReply, NtStatus> { Err(NtStatus::NOT_SUPPORTED) }
///     fn unmount(&mut self, _: UnmountRequest) -> Result<(), NtStatus> { Err(NtStatus::NOT_FOUND) }
///     fn list(&mut self, _: &mut [u8]) -> Reply { Reply::success(0) }
/// }
/// let mut system = [0u8; 16];
/// let reply = handle_control(&mut Nothing, ControlJob::Unmount, ControlBuffers::shared(&mut system, 3, 0));
/// assert_eq!(reply.status, NtStatus::INVALID_PARAMETER); // 3 bytes are no UNMOUNT request
/// ```
pub fn handle_control<H: ControlHost>(
    host: &mut H,
    job: ControlJob<PendingMount<H::Container>>,
    buffers: ControlBuffers<'_>,
) -> Reply {
    match job {
        ControlJob::Mount(PendingMount { order, container }) => match host.mount(order, container) {
            Ok(reply) => write_fixed(buffers.into_output(), reply.as_bytes()),
            Err(status) => Reply::error(status),
        },
        ControlJob::Unmount => match UnmountRequest::parse(buffers.input()) {
            Ok(request) => match host.unmount(request) {
                Ok(()) => Reply::success(0),
                Err(status) => Reply::error(status),
            },
            Err(error) => Reply::error(error.into()),
        },
        ControlJob::List => host.list(buffers.into_output()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use cryptdisk_core::control::{
        ListReply, MountCommandBuilder, MountReplyFlags, UnmountTarget, VolumeSummary, write_list_reply,
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
        /// The path the container was opened at.
        type Container = alloc::string::String;

        fn mount(&mut self, order: MountOrder, container: alloc::string::String) -> Result<MountReply, NtStatus> {
            if let Some(status) = self.fail_with {
                return Err(status);
            }
            assert_eq!(order.path.name().unwrap().to_string(), container);
            self.mounted.push((
                container,
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
        MountCommandBuilder {
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

    /// Both halves of a MOUNT: the dispatch routine's (opening the container means naming it)
    /// and the worker's.
    fn mount(host: &mut Fake, buffer: &mut [u8], input_len: usize, output_len: usize) -> Reply {
        let opened = accept_mount(ControlBuffers::shared(buffer, input_len, output_len), |path, _| {
            Ok(path.to_string())
        });
        match opened {
            Ok(pending) => handle_control(
                host,
                ControlJob::Mount(pending),
                ControlBuffers::shared(buffer, input_len, output_len),
            ),
            Err(status) => Reply::error(status),
        }
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
        let reply = mount(&mut host, &mut buffer, request.len(), 32);
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
            let reply = mount(&mut host, &mut buffer, input.len(), output_len);
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
            let reply = mount(&mut host, &mut buffer, request.len(), 64);
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
            ControlJob::Unmount,
            ControlBuffers::shared(&mut buffer, 16, 0),
        );
        assert_eq!(reply, Reply::success(0));
        assert_eq!(host.unmounted[0].target, UnmountTarget::DeviceNumber(7));
        assert!(host.unmounted[0].force);

        host.fail_with = Some(NtStatus::NOT_FOUND);
        let mut buffer = system(&request, 0);
        let reply = handle_control(
            &mut host,
            ControlJob::Unmount,
            ControlBuffers::shared(&mut buffer, 16, 0),
        );
        assert_eq!(reply, Reply::error(NtStatus::NOT_FOUND));

        let mut garbage = [0u8; 17];
        let reply = handle_control(
            &mut Fake::default(),
            ControlJob::Unmount,
            ControlBuffers::shared(&mut garbage, 17, 0),
        );
        assert_eq!(reply, Reply::error(NtStatus::INVALID_PARAMETER));
    }

    #[test]
    fn list_follows_the_size_then_retry_convention() {
        let mut host = Fake::default();
        let mut probe = [0u8; 16];
        let reply = handle_control(&mut host, ControlJob::List, ControlBuffers::shared(&mut probe, 0, 16));
        assert_eq!(reply, Reply::new(NtStatus::BUFFER_OVERFLOW, 16));
        let size = usize::try_from(u32::from_le_bytes(probe[8..12].try_into().unwrap())).unwrap();
        let mut full = vec![0u8; size];
        let reply = handle_control(&mut host, ControlJob::List, ControlBuffers::shared(&mut full, 0, size));
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

    #[test]
    fn the_dispatch_half_opens_only_valid_commands_and_an_open_failure_is_the_reply() {
        let good = mount_request("\\??\\C:\\a.luks");
        let mut bad = good.clone();
        bad[0] = b'X';
        let mut opened = Vec::new();
        for (input, output_len, want) in [
            (&bad, 32, Err(NtStatus::INVALID_PARAMETER)),
            (&good, 31, Err(NtStatus::BUFFER_TOO_SMALL)),
            (&good, 32, Err(NtStatus::ACCESS_DENIED)),
        ] {
            let mut buffer = system(input, output_len);
            let result = accept_mount(
                ControlBuffers::shared(&mut buffer, input.len(), output_len),
                |path, ro| {
                    opened.push((path.to_string(), ro));
                    Err::<(), _>(NtStatus::ACCESS_DENIED)
                },
            );
            assert_eq!(result.map(|_| ()), want);
            assert!(buffer[48..112].iter().all(|&b| b == 0), "key scrubbed");
        }
        assert_eq!(opened, [("\\??\\C:\\a.luks".to_string(), true)]);
    }
}
