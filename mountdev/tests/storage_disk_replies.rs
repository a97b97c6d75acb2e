//! The contents of the disk, storage and volume replies for one description, byte by byte where
//! the structure is small, field by field where it is large; IS_WRITABLE, device numbers and GPT
//! attributes per description; and the geometry invariant over many sizes.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use mountdev::ioctl::*;
use mountdev::layout::*;
use mountdev::storage::{DeviceNumberClaim, DiskConfig, DiskDescription, handle_storage};
use mountdev::{IoBuffers, NtStatus, Reply};
use proptest::prelude::*;
use std::num::NonZeroU32;
use zerocopy::FromBytes;

const SIZE: u64 = 3 * 1024 * 1024 + 4096; // 6152 sectors of 512 bytes

fn disk_with(config: DiskConfig<'static>) -> DiskDescription {
    DiskDescription::new(&config).unwrap()
}

fn disk() -> DiskDescription {
    disk_with(DiskConfig {
        disk_signature: NonZeroU32::new(0xA1B2_C3D4),
        ..DiskConfig::new(SIZE)
    })
}

fn ask(disk: &DiskDescription, code: u32, out_len: usize) -> (Reply, Vec<u8>) {
    let mut out = vec![0u8; out_len];
    let reply = handle_storage(disk, code, IoBuffers::split(&[], &mut out));
    assert!(reply.is_consistent(out_len));
    out.truncate(reply.information);
    (reply, out)
}

#[test]
fn geometry_length_and_capacity() {
    let disk = disk();
    #[rustfmt::skip]
    let geometry: [u8; 24] = [
        0x08, 0x18, 0, 0, 0, 0, 0, 0, // Cylinders = 6152 sectors
        12, 0, 0, 0,                  // MediaType = FixedMedia
        1, 0, 0, 0,                   // TracksPerCylinder
        1, 0, 0, 0,                   // SectorsPerTrack
        0, 2, 0, 0,                   // BytesPerSector = 512
    ];
    for code in [
        IOCTL_DISK_GET_DRIVE_GEOMETRY,
        IOCTL_DISK_GET_MEDIA_TYPES,
        IOCTL_STORAGE_GET_MEDIA_TYPES,
    ] {
        assert_eq!(ask(&disk, code, 64), (Reply::success(24), geometry.to_vec()));
    }
    assert_eq!(
        ask(&disk, IOCTL_DISK_GET_LENGTH_INFO, 8),
        (Reply::success(8), SIZE.to_le_bytes().to_vec())
    );

    let (reply, ex) = ask(&disk, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, 256);
    assert_eq!(reply, Reply::success(56));
    assert_eq!(&ex[..24], &geometry);
    assert_eq!(&ex[24..32], &SIZE.to_le_bytes());
    #[rustfmt::skip]
    let partition_info: [u8; 24] = [
        24, 0, 0, 0,                  // SizeOfPartitionInfo
        0, 0, 0, 0,                   // PartitionStyle = MBR
        0xD4, 0xC3, 0xB2, 0xA1,       // Mbr.Signature
        0, 0, 0, 0,                   // Mbr.CheckSum
        0, 0, 0, 0, 0, 0, 0, 0,       // rest of the union
    ];
    assert_eq!(&ex[32..], &partition_info);

    #[rustfmt::skip]
    let capacity: [u8; 32] = [
        32, 0, 0, 0, 32, 0, 0, 0,     // Version, Size
        0, 2, 0, 0, 0, 0, 0, 0,       // BlockLength = 512, padding
        0x08, 0x18, 0, 0, 0, 0, 0, 0, // NumberOfBlocks = 6152
        0x00, 0x10, 0x30, 0, 0, 0, 0, 0, // DiskLength
    ];
    assert_eq!(
        ask(&disk, IOCTL_STORAGE_READ_CAPACITY, 32),
        (Reply::success(32), capacity.to_vec())
    );
}

#[test]
fn partitions_and_layouts() {
    let disk = disk();
    #[rustfmt::skip]
    let partition: [u8; 32] = [
        0, 0, 0, 0, 0, 0, 0, 0,       // StartingOffset
        0x00, 0x10, 0x30, 0, 0, 0, 0, 0, // PartitionLength = size
        0, 0, 0, 0,                   // HiddenSectors
        1, 0, 0, 0,                   // PartitionNumber
        0x07, 0, 1, 0,                // PARTITION_IFS, BootIndicator, RecognizedPartition, RewritePartition
        0, 0, 0, 0,                   // padding
    ];
    assert_eq!(
        ask(&disk, IOCTL_DISK_GET_PARTITION_INFO, 32),
        (Reply::success(32), partition.to_vec())
    );

    let (reply, layout) = ask(&disk, IOCTL_DISK_GET_DRIVE_LAYOUT, 40);
    assert_eq!(reply, Reply::success(40));
    assert_eq!(&layout[..8], &[1, 0, 0, 0, 0xD4, 0xC3, 0xB2, 0xA1]);
    assert_eq!(&layout[8..], &partition);

    let (reply, ex) = ask(&disk, IOCTL_DISK_GET_PARTITION_INFO_EX, 144);
    assert_eq!(reply, Reply::success(144));
    let info = PartitionInformationEx::read_from_bytes(&ex).unwrap();
    assert_eq!(info.partition_style.get(), PARTITION_STYLE_MBR);
    assert_eq!(
        (info.starting_offset.get(), info.partition_length.get()),
        (0, SIZE as i64)
    );
    assert_eq!((info.partition_number.get(), info.rewrite_partition), (1, 0));
    let mbr = info.mbr_arm().unwrap();
    assert_eq!(
        (
            mbr.partition_type,
            mbr.boot_indicator,
            mbr.recognized_partition,
            mbr.hidden_sectors.get()
        ),
        (PARTITION_IFS, 0, 1, 0)
    );
    assert!(ex[..8].iter().skip(4).all(|&b| b == 0), "padding after PartitionStyle");
    assert!(
        ex[28..32].iter().skip(1).all(|&b| b == 0),
        "IsServicePartition and padding"
    );
    assert!(
        ex[32 + 4..].iter().all(|&b| b == 0),
        "HiddenSectors, PartitionId and the unused union"
    );

    let (reply, layout_ex) = ask(&disk, IOCTL_DISK_GET_DRIVE_LAYOUT_EX, 192);
    assert_eq!(reply, Reply::success(192));
    assert_eq!(&layout_ex[..12], &[0, 0, 0, 0, 1, 0, 0, 0, 0xD4, 0xC3, 0xB2, 0xA1]);
    assert!(layout_ex[12..48].iter().all(|&b| b == 0));
    assert_eq!(&layout_ex[48..], &ex[..]);
}

#[test]
fn derived_signature_is_non_zero_and_consistent() {
    let disk = disk_with(DiskConfig::new(SIZE));
    let signature = disk.disk_signature().get();
    assert_ne!(signature, 0);
    let (_, layout) = ask(&disk, IOCTL_DISK_GET_DRIVE_LAYOUT, 40);
    let (_, layout_ex) = ask(&disk, IOCTL_DISK_GET_DRIVE_LAYOUT_EX, 192);
    let (_, geometry_ex) = ask(&disk, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, 56);
    assert_eq!(&layout[4..8], &signature.to_le_bytes());
    assert_eq!(&layout_ex[8..12], &signature.to_le_bytes());
    assert_eq!(&geometry_ex[40..44], &signature.to_le_bytes());
}

#[test]
fn is_writable_follows_read_only() {
    let writable = disk();
    let read_only = disk_with(DiskConfig {
        read_only: true,
        ..DiskConfig::new(SIZE)
    });
    assert_eq!(ask(&writable, IOCTL_DISK_IS_WRITABLE, 0).0, Reply::success(0));
    assert_eq!(
        ask(&read_only, IOCTL_DISK_IS_WRITABLE, 16).0,
        Reply::error(NtStatus::MEDIA_WRITE_PROTECTED)
    );
}

#[test]
fn removable_and_hotplug_flags() {
    let removable = disk_with(DiskConfig {
        removable: true,
        hotplug: false,
        ..DiskConfig::new(SIZE)
    });
    assert_eq!(
        ask(&disk(), IOCTL_STORAGE_GET_HOTPLUG_INFO, 8).1,
        [8, 0, 0, 0, 0, 0, 1, 0]
    );
    assert_eq!(
        ask(&removable, IOCTL_STORAGE_GET_HOTPLUG_INFO, 8).1,
        [8, 0, 0, 0, 1, 0, 0, 0]
    );
    let (_, geometry) = ask(&removable, IOCTL_DISK_GET_DRIVE_GEOMETRY, 24);
    assert_eq!(&geometry[8..12], &MEDIA_TYPE_REMOVABLE.to_le_bytes());
}

#[test]
fn device_number_only_when_claimed() {
    assert_eq!(
        ask(&disk(), IOCTL_STORAGE_GET_DEVICE_NUMBER, 12).0,
        Reply::error(NtStatus::INVALID_DEVICE_REQUEST)
    );
    let claimed = disk_with(DiskConfig {
        device_number: Some(DeviceNumberClaim::from_index(0x2A)),
        ..DiskConfig::new(SIZE)
    });
    assert_eq!(
        ask(&claimed, IOCTL_STORAGE_GET_DEVICE_NUMBER, 12),
        (Reply::success(12), vec![7, 0, 0, 0, 0x2A, 0, 0, 0x10, 1, 0, 0, 0])
    );
}

#[test]
fn gpt_attributes_and_no_drive_letter() {
    assert_eq!(ask(&disk(), IOCTL_VOLUME_GET_GPT_ATTRIBUTES, 8).1, [0; 8]);
    let no_letter = disk_with(DiskConfig {
        no_drive_letter: true,
        ..DiskConfig::new(SIZE)
    });
    assert_eq!(
        ask(&no_letter, IOCTL_VOLUME_GET_GPT_ATTRIBUTES, 8).1,
        GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER.to_le_bytes()
    );
    let both = disk_with(DiskConfig {
        no_drive_letter: true,
        gpt_attributes: GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY,
        ..DiskConfig::new(SIZE)
    });
    assert_eq!(
        both.gpt_attributes(),
        GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_LETTER | GPT_BASIC_DATA_ATTRIBUTE_READ_ONLY
    );
}

#[test]
fn booleans_and_check_verify() {
    let disk = disk();
    for code in [
        IOCTL_VOLUME_IS_DYNAMIC,
        IOCTL_DISK_IS_CLUSTERED,
        IOCTL_VOLUME_IS_CLUSTERED,
    ] {
        let mut out = [0xFFu8; 4];
        let reply = handle_storage(&disk, code, IoBuffers::split(&[], &mut out));
        assert_eq!((reply, out), (Reply::success(1), [0, 0xFF, 0xFF, 0xFF]));
    }
    let mut out = [0xFFu8; 6];
    let reply = handle_storage(&disk, IOCTL_STORAGE_CHECK_VERIFY2, IoBuffers::split(&[], &mut out));
    assert_eq!((reply, out), (Reply::success(4), [0, 0, 0, 0, 0xFF, 0xFF]));
}

#[test]
fn media_removal_needs_its_byte() {
    let disk = disk();
    for code in [IOCTL_DISK_MEDIA_REMOVAL, IOCTL_STORAGE_MEDIA_REMOVAL] {
        for input in [&[0u8][..], &[1], &[1, 2, 3]] {
            assert_eq!(
                handle_storage(&disk, code, IoBuffers::split(input, &mut [])),
                Reply::success(0)
            );
        }
        assert_eq!(
            handle_storage(&disk, code, IoBuffers::split(&[], &mut [])),
            Reply::error(NtStatus::INFO_LENGTH_MISMATCH)
        );
    }
}

fn sector_size() -> impl Strategy<Value = u32> {
    prop_oneof![Just(512u32), Just(1024), Just(2048), Just(4096)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 8 } else { 1000 }, failure_persistence: None, ..ProptestConfig::default() })]

    /// Cylinders × TracksPerCylinder × SectorsPerTrack × BytesPerSector never exceeds the size
    /// (here it equals it), and every size field agrees with the description.
    #[test]
    fn geometry_never_exceeds_the_size(sector in sector_size(), sectors in 1u64..(1u64 << 51)) {
        let size = sectors * u64::from(sector);
        let disk = disk_with(DiskConfig { logical_sector_size: sector, physical_sector_size: 4096, ..DiskConfig::new(size) });
        let (_, bytes) = ask(&disk, IOCTL_DISK_GET_DRIVE_GEOMETRY, 24);
        let g = DiskGeometry::read_from_bytes(&bytes).unwrap();
        let described = u128::try_from(g.cylinders.get()).unwrap()
            * u128::from(g.tracks_per_cylinder.get())
            * u128::from(g.sectors_per_track.get())
            * u128::from(g.bytes_per_sector.get());
        prop_assert!(described <= u128::from(size));
        prop_assert_eq!(described, u128::from(size));
        prop_assert_eq!(g.bytes_per_sector.get(), sector);

        let (_, capacity) = ask(&disk, IOCTL_STORAGE_READ_CAPACITY, 32);
        let c = StorageReadCapacity::read_from_bytes(&capacity).unwrap();
        prop_assert_eq!(u64::try_from(c.number_of_blocks.get()).unwrap(), sectors);
        prop_assert_eq!(u64::try_from(c.disk_length.get()).unwrap(), size);
        let (_, length) = ask(&disk, IOCTL_DISK_GET_LENGTH_INFO, 8);
        prop_assert_eq!(length, size.to_le_bytes().to_vec());
    }
}
