//! The test vectors of `protocol.md` §8 item 12, byte for byte: device `\Device\XtsVolume1`
//! (18 characters, 36 bytes), link `\DosDevices\Z:` (28 bytes).

use mountdev::testing::utf16;
use mountdev::{DriveLetterLink, nt_name};
use mountmgr_client::{CreatePointRequest, MountPointFilter, RequestError, TargetNameRequest, WireRequest};

const DEVICE: &str = "\\Device\\XtsVolume1";

fn write(request: &impl WireRequest) -> Vec<u8> {
    let mut buf = [0xAAu8; 256];
    request.write_into(&mut buf).unwrap().to_vec()
}

#[test]
fn create_point_is_72_bytes() {
    let z = DriveLetterLink::new(b'Z').unwrap();
    let request = CreatePointRequest::drive_letter(&z, nt_name!("\\Device\\XtsVolume1"));
    let mut expected = vec![0x08, 0x00, 0x1c, 0x00, 0x24, 0x00, 0x24, 0x00];
    expected.extend(utf16("\\DosDevices\\Z:"));
    expected.extend(utf16(DEVICE));
    assert_eq!(expected.len(), 72);
    assert_eq!(request.required_len(), Ok(72));
    assert_eq!(write(&request), expected);
}

#[test]
fn volume_arrival_is_38_bytes() {
    let request = TargetNameRequest::new(nt_name!("\\Device\\XtsVolume1"));
    let mut expected = vec![0x24, 0x00];
    expected.extend(utf16(DEVICE));
    assert_eq!(expected.len(), 38);
    assert_eq!(request.required_len(), Ok(38));
    assert_eq!(write(&request), expected);
}

#[test]
fn points_by_device_name_is_60_bytes() {
    let filter = MountPointFilter::by_device_name(nt_name!("\\Device\\XtsVolume1"));
    let mut expected = vec![0u8; 16];
    expected.extend([0x18, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00]);
    expected.extend(utf16(DEVICE));
    assert_eq!(expected.len(), 60);
    assert_eq!(filter.required_len(), Ok(60));
    assert_eq!(write(&filter), expected);
}

#[test]
fn every_short_buffer_is_refused_without_writing() {
    let z = DriveLetterLink::new(b'Z').unwrap();
    let request = CreatePointRequest::drive_letter(&z, nt_name!("\\Device\\XtsVolume1"));
    for len in 0..72 {
        let mut buf = vec![0xAAu8; len];
        assert_eq!(
            request.write_into(&mut buf),
            Err(RequestError::BufferTooSmall {
                needed: 72,
                available: len
            })
        );
        assert!(buf.iter().all(|&b| b == 0xAA), "wrote into a {len}-byte buffer");
    }
}

#[test]
fn create_point_offsets_that_overflow_16_bits_are_an_error() {
    // A 65534-byte link puts the device name at offset 8 + 65534 > 65535.
    let long = vec![b'A'; 65534];
    let link = mountdev::NtName::from_le_bytes(&long).unwrap();
    let request = CreatePointRequest::new(link, nt_name!("\\Device\\XtsVolume1"));
    assert_eq!(
        request.required_len(),
        Err(RequestError::OffsetOverflow {
            field: "DeviceNameOffset",
            offset: 65542
        })
    );
    let mut buf = vec![0u8; 70000];
    assert!(request.write_into(&mut buf).is_err());
    // The largest link that still fits: offset 8 + 65526 = 65534.
    let link = mountdev::NtName::from_le_bytes(&long[..65526]).unwrap();
    let request = CreatePointRequest::new(link, nt_name!("\\Device\\XtsVolume1"));
    assert_eq!(request.required_len(), Ok(65534 + 36));
}

#[test]
fn odd_unique_ids_are_refused_in_filters() {
    let id = mountdev::UniqueId::new(b"odd").unwrap();
    assert_eq!(
        MountPointFilter::by_unique_id(id).required_len(),
        Err(RequestError::OddUniqueIdLength { length: 3 })
    );
}
