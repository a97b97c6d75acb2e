//! The disk device: read / write validation with arbitrary offsets, lengths and mount options,
//! then the accepted requests carried out on an in-memory volume, plus device-control requests
//! through the composed MOUNTDEV + storage handler. Invariants: no panic; an accepted range lies
//! inside the volume, is sector-aligned and within the transfer limit; writes to a read-only
//! mount are refused with MEDIA_WRITE_PROTECTED; data written reads back; every IOCTL reply keeps
//! the reply invariants.
#![no_main]

use arbitrary::Arbitrary;
use cryptdisk_core::blockdev::MemDevice;
use cryptdisk_core::control::MountOptions;
use cryptdisk_core::device::{DiskDevice, IoKind, MAX_TRANSFER_BYTES, read, write};
use cryptdisk_core::key::MasterKey;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::volume::{Volume, VolumeParams};
use cryptdisk_core::xts::XtsKeySize;
use fuzz_common::IoctlCall;
use libfuzzer_sys::fuzz_target;
use mountdev::NtStatus;

const DATA_SECTORS: u64 = 64;

#[derive(Debug, Arbitrary)]
enum Request {
    Read { offset: u64, length: u32 },
    Write { offset: u64, length: u32, fill: u8 },
    Control(IoctlCall),
}

#[derive(Debug, Arbitrary)]
struct Input {
    read_only: bool,
    removable: bool,
    letter: Option<u8>,
    requests: Vec<Request>,
}

fuzz_target!(|input: Input| {
    let uuid = Uuid::from_bytes([0x42; 16]);
    let options = MountOptions {
        read_only: input.read_only,
        removable: input.removable,
    };
    let Ok(device) = DiskDevice::new(3, &uuid, DATA_SECTORS, options, input.letter) else {
        assert!(input.letter.is_some_and(|l| !l.is_ascii_uppercase()));
        return;
    };
    let key: Vec<u8> = (0u8..64).collect();
    let key = MasterKey::from_slice(&key).expect("64 bytes");
    let params = VolumeParams {
        cipher: CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        },
        payload_offset: 2,
        uuid,
    };
    let mut volume = Volume::from_params(MemDevice::new(2 + DATA_SECTORS as usize), &params, &key).expect("valid");
    let size = DATA_SECTORS * 512;
    for request in input.requests.into_iter().take(32) {
        match request {
            Request::Read { offset, length } => match device.check_io(IoKind::Read, offset, u64::from(length)) {
                Ok(range) => {
                    assert!(offset % 512 == 0 && length % 512 == 0 && length <= MAX_TRANSFER_BYTES);
                    assert!(offset + u64::from(length) <= size);
                    let mut buffer = vec![0u8; length as usize];
                    read(&mut volume, range, &mut buffer).expect("validated read");
                }
                Err(status) => assert_eq!(status, NtStatus::INVALID_PARAMETER),
            },
            Request::Write { offset, length, fill } => {
                match device.check_io(IoKind::Write, offset, u64::from(length)) {
                    Ok(range) => {
                        assert!(!input.read_only);
                        let data = vec![fill; length as usize];
                        write(&mut volume, range, &data).expect("validated write");
                        let mut back = vec![0u8; length as usize];
                        read(&mut volume, range, &mut back).expect("read back");
                        assert_eq!(back, data);
                    }
                    Err(status) if input.read_only => assert_eq!(status, NtStatus::MEDIA_WRITE_PROTECTED),
                    Err(status) => assert_eq!(status, NtStatus::INVALID_PARAMETER),
                }
            }
            Request::Control(call) => {
                let (_reply, _returned) = call.run(|code, io| device.device_control(code, io));
            }
        }
    }
});
