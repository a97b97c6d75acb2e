//! Every IOCTL the storage handler owns, at every output size from 0 to the full reply + 2 through
//! the `mountdev::testing` kit: the exact status and `Information` at each size, nothing written
//! beyond `Information`, and the written bytes equal to the head of the full reply.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
// The test kit is on in the workspace (mountdev's self dev-dependency); a packaged copy of the
// crate runs these tests with `--all-features` (ci/package-check.sh).
#![cfg(feature = "testing")]

use mountdev::ioctl::*;
use mountdev::layout::StoragePropertyQuery;
use mountdev::storage::{DeviceNumberClaim, DiskConfig, DiskDescription, handle_storage, try_handle_storage};
use mountdev::testing::check_handler;
use mountdev::{IoBuffers, NtStatus, Reply};
use zerocopy::IntoBytes;

/// What a request must answer at output length `len`.
#[derive(Clone, Copy, Debug)]
enum Contract {
    /// A fixed-size structure of this many bytes (`write_fixed`).
    Fixed(usize),
    /// This status with `Information` 0 at every size (no output).
    Constant(NtStatus),
    /// CHECK_VERIFY: `SUCCESS`, 0 below 4 bytes, 4 from 4 bytes.
    CheckVerify,
    /// GET_DRIVE_GEOMETRY_EX: too small below 32, the fixed part below 56, then 56.
    GeometryEx,
    /// A storage property descriptor of this many bytes.
    Descriptor(usize),
}

impl Contract {
    fn expected(self, len: usize) -> Reply {
        match self {
            Contract::Fixed(n) if len < n => Reply::error(NtStatus::BUFFER_TOO_SMALL),
            Contract::Fixed(n) => Reply::success(n),
            Contract::Constant(status) => Reply::new(status, 0),
            // classpnp: no output is fine, 1-3 bytes cannot hold the change count.
            Contract::CheckVerify => match len {
                0 => Reply::success(0),
                1..=3 => Reply::error(NtStatus::BUFFER_TOO_SMALL),
                _ => Reply::success(4),
            },
            Contract::GeometryEx => match len {
                0..32 => Reply::error(NtStatus::BUFFER_TOO_SMALL),
                32..56 => Reply::success(32),
                _ => Reply::success(56),
            },
            Contract::Descriptor(n) => match len {
                0..8 => Reply::error(NtStatus::BUFFER_TOO_SMALL),
                _ if len < n => Reply::success(8),
                _ => Reply::success(n),
            },
        }
    }
}

fn disk(read_only: bool, claim: Option<DeviceNumberClaim>) -> DiskDescription {
    DiskDescription::new(&DiskConfig {
        read_only,
        device_number: claim,
        vendor: "Rust",
        product: "CryptVol",
        revision: "0.1",
        ..DiskConfig::new(8 << 20)
    })
    .unwrap()
}

/// The table: every code the handler owns, with the input it is sent with.
fn table(disk: &DiskDescription) -> Vec<(u32, Vec<u8>, Contract)> {
    let verify_input = [0u8; 16].to_vec(); // offset 0, length 0: a valid empty range
    let removal_input = vec![1u8];
    let writable = if disk.is_read_only() {
        Contract::Constant(NtStatus::MEDIA_WRITE_PROTECTED)
    } else {
        Contract::Constant(NtStatus::SUCCESS)
    };
    let device_number = if disk.device_number().is_some() {
        Contract::Fixed(12)
    } else {
        Contract::Constant(NtStatus::INVALID_DEVICE_REQUEST)
    };
    let reject = Contract::Constant(NtStatus::INVALID_DEVICE_REQUEST);
    let mut rows = vec![
        (IOCTL_DISK_GET_DRIVE_GEOMETRY, vec![], Contract::Fixed(24)),
        (IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, vec![], Contract::GeometryEx),
        (IOCTL_DISK_GET_LENGTH_INFO, vec![], Contract::Fixed(8)),
        (IOCTL_DISK_GET_PARTITION_INFO, vec![], Contract::Fixed(32)),
        (IOCTL_DISK_GET_PARTITION_INFO_EX, vec![], Contract::Fixed(144)),
        (IOCTL_DISK_GET_DRIVE_LAYOUT, vec![], Contract::Fixed(40)),
        (IOCTL_DISK_GET_DRIVE_LAYOUT_EX, vec![], Contract::Fixed(192)),
        (IOCTL_DISK_IS_WRITABLE, vec![], writable),
        (IOCTL_DISK_CHECK_VERIFY, vec![], Contract::CheckVerify),
        (IOCTL_STORAGE_CHECK_VERIFY, vec![], Contract::CheckVerify),
        (IOCTL_STORAGE_CHECK_VERIFY2, vec![], Contract::CheckVerify),
        (
            IOCTL_DISK_MEDIA_REMOVAL,
            removal_input.clone(),
            Contract::Constant(NtStatus::SUCCESS),
        ),
        (
            IOCTL_STORAGE_MEDIA_REMOVAL,
            removal_input,
            Contract::Constant(NtStatus::SUCCESS),
        ),
        (IOCTL_DISK_GET_MEDIA_TYPES, vec![], Contract::Fixed(24)),
        (IOCTL_STORAGE_GET_MEDIA_TYPES, vec![], Contract::Fixed(24)),
        (IOCTL_DISK_VERIFY, verify_input, Contract::Constant(NtStatus::SUCCESS)),
        (
            IOCTL_DISK_UPDATE_PROPERTIES,
            vec![],
            Contract::Constant(NtStatus::SUCCESS),
        ),
        (IOCTL_DISK_IS_CLUSTERED, vec![], Contract::Fixed(1)),
        (
            IOCTL_DISK_GET_CLUSTER_INFO,
            vec![],
            Contract::Constant(NtStatus::NOT_SUPPORTED),
        ),
        (
            IOCTL_DISK_ARE_VOLUMES_READY,
            vec![],
            Contract::Constant(NtStatus::SUCCESS),
        ),
        (IOCTL_STORAGE_GET_DEVICE_NUMBER, vec![], device_number),
        (IOCTL_STORAGE_GET_HOTPLUG_INFO, vec![], Contract::Fixed(8)),
        (IOCTL_STORAGE_READ_CAPACITY, vec![], Contract::Fixed(32)),
        (IOCTL_VOLUME_ONLINE, vec![], Contract::Constant(NtStatus::SUCCESS)),
        (IOCTL_VOLUME_POST_ONLINE, vec![], Contract::Constant(NtStatus::SUCCESS)),
        (IOCTL_VOLUME_IS_DYNAMIC, vec![], Contract::Fixed(1)),
        (IOCTL_VOLUME_GET_GPT_ATTRIBUTES, vec![], Contract::Fixed(8)),
        (IOCTL_VOLUME_IS_CLUSTERED, vec![], Contract::Fixed(1)),
        (IOCTL_VOLUME_QUERY_ALLOCATION_HINT, vec![0; 16], reject),
        (IOCTL_STORAGE_GET_MEDIA_TYPES_EX, vec![], reject),
        (IOCTL_STORAGE_GET_DEVICE_NUMBER_EX, vec![], reject),
        (IOCTL_STORAGE_CHECK_PRIORITY_HINT_SUPPORT, vec![], reject),
        (IOCTL_STORAGE_MANAGE_DATA_SET_ATTRIBUTES, vec![0; 64], reject),
        (IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, vec![], reject),
        (FT_BALANCED_READ_MODE, vec![], reject),
        (IOCTL_VOLUME_OFFLINE, vec![], reject),
        (IOCTL_VOLUME_IS_OFFLINE, vec![], reject),
    ];
    // "Rust\0" + "CryptVol\0" + "0.1\0" after the 40-byte fixed part.
    let device_descriptor = 40 + 5 + 9 + 4;
    for (property, size) in [
        (StoragePropertyQuery::STORAGE_DEVICE_PROPERTY, device_descriptor),
        (StoragePropertyQuery::STORAGE_ADAPTER_PROPERTY, 32),
        (StoragePropertyQuery::STORAGE_ACCESS_ALIGNMENT_PROPERTY, 28),
        (StoragePropertyQuery::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY, 12),
        (StoragePropertyQuery::STORAGE_DEVICE_TRIM_PROPERTY, 12),
    ] {
        let standard = StoragePropertyQuery::new(property, StoragePropertyQuery::PROPERTY_STANDARD_QUERY);
        let exists = StoragePropertyQuery::new(property, StoragePropertyQuery::PROPERTY_EXISTS_QUERY);
        rows.push((
            IOCTL_STORAGE_QUERY_PROPERTY,
            standard.as_bytes().to_vec(),
            Contract::Descriptor(size),
        ));
        rows.push((
            IOCTL_STORAGE_QUERY_PROPERTY,
            exists.as_bytes().to_vec(),
            Contract::Constant(NtStatus::SUCCESS),
        ));
    }
    rows
}

/// Every row through the test kit (every output size from 0 to the whole reply + 2, split and
/// shared buffers, nothing written past or left unwritten inside Information, the descriptor-probe
/// rule), then the kit's reply at each size against the row's contract.
fn check_every_size(disk: &DiskDescription) {
    for (code, input, contract) in table(disk) {
        let name = Ioctl::decode(code).name().unwrap();
        let checked = check_handler(|code, io| handle_storage(disk, code, io), code, &input)
            .unwrap_or_else(|violation| panic!("{violation}"));
        assert!(checked.replies().len() >= checked.whole().information + 3, "{name}");
        for (len, reply) in checked.replies().iter().enumerate() {
            assert_eq!(*reply, contract.expected(len), "{name} at {len}");
        }
    }
}

#[test]
fn every_size_writable_without_device_number() {
    check_every_size(&disk(false, None));
}

#[test]
fn every_size_read_only_with_device_number() {
    check_every_size(&disk(true, Some(DeviceNumberClaim::from_index(0))));
}

/// The table covers exactly the codes `try_handle_storage` owns: everything else is handed back
/// untouched (MOUNTDEV, MOUNTMGR, FSCTLs, SET_PARTITION_INFO, EJECT/LOAD_MEDIA, unknown codes).
#[test]
fn owned_codes_are_exactly_the_table() {
    let disk = disk(false, None);
    let owned: Vec<u32> = table(&disk).iter().map(|(code, _, _)| *code).collect();
    for ioctl in Ioctl::ALL {
        let mut out = [0x5Au8; 8];
        let result = try_handle_storage(&disk, ioctl.code(), IoBuffers::split(&[1, 2, 3], &mut out));
        match result {
            Ok(_) => assert!(owned.contains(&ioctl.code()), "{ioctl:?} answered but not in the table"),
            Err(io) => {
                assert!(!owned.contains(&ioctl.code()), "{ioctl:?} handed back but in the table");
                assert_eq!(io.input(), &[1, 2, 3]);
                assert_eq!(io.into_output(), &[0x5A; 8]);
            }
        }
    }
    for handed_back in [
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
        IOCTL_STORAGE_EJECT_MEDIA,
        FSCTL_LOCK_VOLUME,
        0x0022_2003,
    ] {
        let mut out = [0u8; 4];
        assert!(try_handle_storage(&disk, handed_back, IoBuffers::split(&[], &mut out)).is_err());
        assert_eq!(
            handle_storage(&disk, handed_back, IoBuffers::split(&[], &mut out)),
            Reply::error(NtStatus::INVALID_DEVICE_REQUEST)
        );
    }
}
