//! The LUKS1 header parser and the header reader on arbitrary bytes: no panic; a header that
//! parses serialises back to the same 592 bytes; a device whose header passes `check_device`
//! opens with a master key without panicking whatever the key.
#![no_main]

use arbitrary::Arbitrary;
use cryptdisk_core::blockdev::MemDevice;
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::luks::{LuksHeader, read_header};
use cryptdisk_core::volume::Volume;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    header: Vec<u8>,
    device_sectors: u8,
    key: [u8; 64],
    key_len_64: bool,
}

fuzz_target!(|input: Input| {
    if let Ok(header) = LuksHeader::parse(&input.header) {
        assert_eq!(&header.to_bytes()[..], &input.header[..592]);
        let _ = header.check_device(u64::from(input.device_sectors));
    }
    let sectors = usize::from(input.device_sectors % 64).max(2);
    let mut bytes = input.header.clone();
    bytes.resize(sectors * 512, 0);
    let mut device = MemDevice::from_vec(bytes);
    if read_header(&mut device).is_ok() {
        let key = &input.key[..if input.key_len_64 { 64 } else { 32 }];
        if let Ok(key) = MasterKey::from_slice(key) {
            if let Ok(mut volume) = Volume::open_with_master_key(device, &key) {
                let mut sector = [0u8; 512];
                let _ = volume.read_sectors(0, &mut sector);
            }
        }
    }
});
