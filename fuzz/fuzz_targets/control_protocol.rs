//! The driver's control-protocol parsers (MOUNT / UNMOUNT / LIST and the replies) on arbitrary
//! bytes, as any process that can open the control device could send: no panic; a MOUNT that
//! parses has a valid container path and a drive letter A-Z; a LIST reply that parses hands out
//! only paths inside it; the status a rejected request maps to is an error.
#![no_main]

use arbitrary::Arbitrary;
use cryptdisk_core::control::{ControlRequest, ListReply, MountReply, validate_container_path};
use libfuzzer_sys::fuzz_target;
use mountdev::NtStatus;

#[derive(Debug, Arbitrary)]
struct Input {
    code: u8,
    bytes: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let code = 0x0022_E000 | (u32::from(input.code % 5) << 2);
    match ControlRequest::decode(code, &input.bytes) {
        Ok(ControlRequest::Mount(mount)) => {
            assert!(validate_container_path(mount.path).is_ok());
            if let Some(letter) = mount.letter {
                assert!(letter.letter().is_ascii_uppercase());
            }
        }
        Ok(_) => {}
        Err(error) => {
            let status = NtStatus::from(error);
            assert!(status.is_error() || status == NtStatus::BUFFER_OVERFLOW);
        }
    }
    let _ = MountReply::parse(&input.bytes);
    if let Ok(list) = ListReply::parse(&input.bytes) {
        for entry in list.entries().flatten() {
            assert!(entry.path.byte_len() <= input.bytes.len());
        }
    }
});
