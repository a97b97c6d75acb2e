//! `IOCTL_STORAGE_QUERY_PROPERTY`: the "(8,40)" header probe of the CryptDisk field report
//! (`protocol.md` §0.1, §3.5), input-length and query-type rules, and every descriptor byte by byte
//! for one description.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
// The test kit is on in the workspace (mountdev's self dev-dependency); a packaged copy of the
// crate runs these tests with `--all-features` (ci/package-check.sh).
#![cfg(feature = "testing")]

use mountdev::ioctl::IOCTL_STORAGE_QUERY_PROPERTY;
use mountdev::layout::StoragePropertyQuery as Q;
use mountdev::storage::{BusType, DiskConfig, DiskDescription, handle_storage};
use mountdev::testing::check_handler;
use mountdev::{IoBuffers, NtStatus, Reply};
use zerocopy::IntoBytes;

/// The description every expectation below is written for.
fn disk() -> DiskDescription {
    DiskDescription::new(&DiskConfig {
        logical_sector_size: 512,
        physical_sector_size: 4096,
        removable: true,
        bus_type: BusType::VIRTUAL,
        vendor: "Rust",
        product: "CryptVol",
        revision: "1.0",
        incurs_seek_penalty: false,
        max_transfer_length: 128 * 1024,
        ..DiskConfig::new(32 << 20)
    })
    .unwrap()
}

fn query(disk: &DiskDescription, input: &[u8], out_len: usize) -> (Reply, Vec<u8>) {
    let mut out = vec![0xEEu8; out_len];
    let reply = handle_storage(disk, IOCTL_STORAGE_QUERY_PROPERTY, IoBuffers::split(input, &mut out));
    assert!(reply.is_consistent(out_len), "{reply:?} at {out_len}");
    (reply, out)
}

fn standard(property: u32) -> Vec<u8> {
    Q::new(property, Q::PROPERTY_STANDARD_QUERY).as_bytes().to_vec()
}

/// The CryptDisk log line "StorageQueryDevice: buffer too small (8,40)": an 8-byte output for the
/// device property must succeed with the header only, so the caller can learn `Size`.
#[test]
fn the_8_40_probe_succeeds_with_the_header() {
    let disk = DiskDescription::new(&DiskConfig {
        vendor: "",
        product: "",
        revision: "",
        ..DiskConfig::new(1 << 20)
    })
    .unwrap();
    // Without strings the descriptor is exactly 40 bytes: the log's (8,40).
    let (reply, out) = query(&disk, &standard(Q::STORAGE_DEVICE_PROPERTY), 8);
    assert_eq!(reply, Reply::success(8));
    assert_eq!(out, [40, 0, 0, 0, 40, 0, 0, 0]);
    let (reply, out) = query(&disk, &standard(Q::STORAGE_DEVICE_PROPERTY), 40);
    assert_eq!(reply, Reply::success(40));
    assert_eq!(&out[12..28], &[0; 16], "no strings: every offset is 0 (absent)");

    // With strings the probe reports the larger Size, and Version stays sizeof = 40.
    let (reply, out) = query(&self::disk(), &standard(Q::STORAGE_DEVICE_PROPERTY), 8);
    assert_eq!(reply, Reply::success(8));
    assert_eq!(out, [40, 0, 0, 0, 58, 0, 0, 0]);
}

/// Every output size through the test kit (descriptor-probe rule, nothing written past the header),
/// then the exact reply at each size.
#[test]
fn short_output_and_every_probe_size() {
    let disk = disk();
    let input = standard(Q::STORAGE_DEVICE_PROPERTY);
    let checked = check_handler(
        |code, io| handle_storage(&disk, code, io),
        IOCTL_STORAGE_QUERY_PROPERTY,
        &input,
    )
    .unwrap_or_else(|violation| panic!("{violation}"));
    assert_eq!(checked.bytes(), DEVICE_DESCRIPTOR);
    for (len, reply) in checked.replies().iter().enumerate() {
        let expected = match len {
            0..8 => Reply::error(NtStatus::BUFFER_TOO_SMALL),
            8..58 => Reply::success(8),
            _ => Reply::success(58),
        };
        assert_eq!(*reply, expected, "len {len}");
    }
}

/// `InputBufferLength < sizeof(STORAGE_PROPERTY_QUERY)` (12) → INFO_LENGTH_MISMATCH, as classpnp;
/// 8 bytes (PropertyId + QueryType) are deliberately not enough. Extra input is ignored.
#[test]
fn input_must_hold_the_whole_query() {
    let disk = disk();
    let mut input = standard(Q::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY);
    input.extend_from_slice(&[0xFF; 20]);
    for len in 0..12 {
        assert_eq!(
            query(&disk, &input[..len], 64).0,
            Reply::error(NtStatus::INFO_LENGTH_MISMATCH),
            "input {len}"
        );
    }
    for len in [12, 13, 32] {
        assert_eq!(query(&disk, &input[..len], 64).0, Reply::success(12), "input {len}");
    }
}

#[test]
fn query_types_and_unsupported_properties() {
    let disk = disk();
    for property in [
        Q::STORAGE_DEVICE_PROPERTY,
        Q::STORAGE_ADAPTER_PROPERTY,
        Q::STORAGE_ACCESS_ALIGNMENT_PROPERTY,
        Q::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY,
        Q::STORAGE_DEVICE_TRIM_PROPERTY,
    ] {
        let exists = Q::new(property, Q::PROPERTY_EXISTS_QUERY);
        let (reply, out) = query(&disk, exists.as_bytes(), 64);
        assert_eq!(reply, Reply::success(0), "exists {property}");
        assert!(out.iter().all(|&b| b == 0xEE));
        for query_type in [Q::PROPERTY_MASK_QUERY, 3, u32::MAX] {
            let q = Q::new(property, query_type);
            assert_eq!(query(&disk, q.as_bytes(), 64).0, Reply::error(NtStatus::NOT_SUPPORTED));
        }
    }
    for property in [
        Q::STORAGE_DEVICE_ID_PROPERTY,
        Q::STORAGE_DEVICE_UNIQUE_ID_PROPERTY,
        Q::STORAGE_DEVICE_WRITE_CACHE_PROPERTY,
        5,
        Q::STORAGE_DEVICE_LB_PROVISIONING_PROPERTY,
        Q::STORAGE_DEVICE_MEDIUM_PRODUCT_TYPE,
        0xFFFF_FFFF,
    ] {
        for query_type in [Q::PROPERTY_STANDARD_QUERY, Q::PROPERTY_EXISTS_QUERY] {
            let q = Q::new(property, query_type);
            assert_eq!(
                query(&disk, q.as_bytes(), 64).0,
                Reply::error(NtStatus::NOT_SUPPORTED),
                "property {property}"
            );
        }
    }
}

#[rustfmt::skip]
const DEVICE_DESCRIPTOR: [u8; 58] = [
    40, 0, 0, 0,            // Version = sizeof(STORAGE_DEVICE_DESCRIPTOR)
    58, 0, 0, 0,            // Size = 40 + 5 + 9 + 4
    0,                      // DeviceType: SCSI direct-access
    0,                      // DeviceTypeModifier
    1,                      // RemovableMedia
    0,                      // CommandQueueing
    40, 0, 0, 0,            // VendorIdOffset
    45, 0, 0, 0,            // ProductIdOffset
    54, 0, 0, 0,            // ProductRevisionOffset
    0, 0, 0, 0,             // SerialNumberOffset: none
    14, 0, 0, 0,            // BusType: BusTypeVirtual
    0, 0, 0, 0,             // RawPropertiesLength
    0, 0, 0, 0,             // RawDeviceProperties[1] + padding
    b'R', b'u', b's', b't', 0,
    b'C', b'r', b'y', b'p', b't', b'V', b'o', b'l', 0,
    b'1', b'.', b'0', 0,
];

#[rustfmt::skip]
const ADAPTER_DESCRIPTOR: [u8; 32] = [
    32, 0, 0, 0,            // Version
    32, 0, 0, 0,            // Size
    0, 0, 2, 0,             // MaximumTransferLength = 128 KiB
    33, 0, 0, 0,            // MaximumPhysicalPages = 128 KiB / 4 KiB + 1
    0, 0, 0, 0,             // AlignmentMask
    0, 0, 0, 0,             // AdapterUsesPio, AdapterScansDown, CommandQueueing, AcceleratedTransfer
    14, 0,                  // BusType, padding
    0, 0, 0, 0,             // BusMajorVersion, BusMinorVersion
    0, 0,                   // SrbType, AddressType
];

#[rustfmt::skip]
const ALIGNMENT_DESCRIPTOR: [u8; 28] = [
    28, 0, 0, 0,            // Version
    28, 0, 0, 0,            // Size
    0, 0, 0, 0,             // BytesPerCacheLine
    0, 0, 0, 0,             // BytesOffsetForCacheAlignment
    0, 2, 0, 0,             // BytesPerLogicalSector = 512
    0, 16, 0, 0,            // BytesPerPhysicalSector = 4096
    0, 0, 0, 0,             // BytesOffsetForSectorAlignment
];

const SEEK_PENALTY_DESCRIPTOR: [u8; 12] = [12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0];
const TRIM_DESCRIPTOR: [u8; 12] = [12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0];

#[test]
fn descriptors_byte_by_byte() {
    let disk = disk();
    for (property, expected) in [
        (Q::STORAGE_DEVICE_PROPERTY, &DEVICE_DESCRIPTOR[..]),
        (Q::STORAGE_ADAPTER_PROPERTY, &ADAPTER_DESCRIPTOR[..]),
        (Q::STORAGE_ACCESS_ALIGNMENT_PROPERTY, &ALIGNMENT_DESCRIPTOR[..]),
        (Q::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY, &SEEK_PENALTY_DESCRIPTOR[..]),
        (Q::STORAGE_DEVICE_TRIM_PROPERTY, &TRIM_DESCRIPTOR[..]),
    ] {
        let (reply, out) = query(&disk, &standard(property), 100);
        assert_eq!(reply, Reply::success(expected.len()), "property {property}");
        assert_eq!(&out[..expected.len()], expected, "property {property}");
        assert!(out[expected.len()..].iter().all(|&b| b == 0xEE));
    }
}

/// The default description: `BusTypeFileBackedVirtual` (15), fixed media, a seek penalty.
#[test]
fn defaults_in_the_descriptors() {
    let disk = DiskDescription::new(&DiskConfig::new(1 << 20)).unwrap();
    let (_, device) = query(&disk, &standard(Q::STORAGE_DEVICE_PROPERTY), 100);
    assert_eq!((device[8], device[10]), (0, 0), "DeviceType 0, not removable");
    assert_eq!(&device[28..32], &[15, 0, 0, 0]);
    let (_, seek) = query(&disk, &standard(Q::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY), 12);
    assert_eq!(seek[8], 1);
    let (_, adapter) = query(&disk, &standard(Q::STORAGE_ADAPTER_PROPERTY), 32);
    assert_eq!((&adapter[8..12], adapter[24]), (&(64u32 * 1024).to_le_bytes()[..], 15));
}
