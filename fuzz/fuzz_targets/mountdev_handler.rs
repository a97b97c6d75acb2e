//! The MOUNTDEV handler with arbitrary code, input and output size against conforming volumes:
//! no panic, Information never exceeds the output length, the status class agrees with
//! Information, and a successful query returns exactly what the volume holds; the request keeps
//! the reply contract of `mountdev::testing` at every output size.
#![no_main]

use arbitrary::Arbitrary;
use fuzz_common::{IoctlCall, assert_contract};
use libfuzzer_sys::fuzz_target;
use mountdev::ioctl::Ioctl;
use mountdev::{
    DriveLetterLink, Guid, MountdevVolume, NtName, NtNameBuf, NtStatus, SuggestedLink, UniqueId, handle_mountdev,
};

#[derive(Debug, Arbitrary)]
struct Input {
    device: String,
    id: Vec<u8>,
    guid: Option<[u8; 16]>,
    letter: Option<(u8, bool)>,
    notify: bool,
    call: IoctlCall,
}

struct Vol {
    device: NtNameBuf<128>,
    id: Vec<u8>,
    guid: Option<Guid>,
    letter: Option<(DriveLetterLink, bool)>,
    notify: bool,
}

impl MountdevVolume for Vol {
    fn device_name(&self) -> NtName<'_> {
        self.device.as_name().expect("checked non-empty before use")
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(&self.id).expect("checked before use")
    }
    fn stable_guid(&self) -> Option<Guid> {
        self.guid
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        self.letter.as_ref().map(|(l, only)| SuggestedLink::drive_letter(l, *only))
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        self.notify
    }
}

fuzz_target!(|input: Input| {
    let mut device = NtNameBuf::<128>::new();
    if device.push_str(&input.device).is_err() || device.as_name().is_err() {
        return;
    }
    if UniqueId::new(&input.id).is_err() {
        return;
    }
    let volume = Vol {
        device,
        id: input.id,
        guid: input.guid.map(Guid::from_uuid_bytes),
        letter: input
            .letter
            .and_then(|(l, only)| DriveLetterLink::new(l).map(|l| (l, only))),
        notify: input.notify,
    };
    assert_contract(&input.call.request, |code, io| handle_mountdev(&volume, code, io));
    let (reply, returned) = input.call.run(|code, io| handle_mountdev(&volume, code, io));
    let other = input.call.with_shared(!input.call.shared);
    let (reply_other, returned_other) = other.run(|code, io| handle_mountdev(&volume, code, io));
    assert_eq!(
        (reply, &returned),
        (reply_other, &returned_other),
        "split and shared buffers disagree"
    );
    let code = input.call.request.code;
    if !Ioctl::decode(code).is_mountdev() {
        assert_eq!(reply.status, NtStatus::INVALID_DEVICE_REQUEST);
    }
    if reply.status == NtStatus::SUCCESS {
        match Ioctl::decode(code) {
            Ioctl::MountdevQueryDeviceName => {
                assert_eq!(&returned[2..], volume.device_name().as_le_bytes());
            }
            Ioctl::MountdevQueryUniqueId => assert_eq!(&returned[2..], &volume.id[..]),
            _ => {}
        }
    }
});
