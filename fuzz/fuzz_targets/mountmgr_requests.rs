//! Build-then-parse round trips of every `mountmgr-client` request: arbitrary names, IDs and
//! filter combinations are built into a buffer of arbitrary size, and whatever was built parses
//! back (with mountdev's layout parsers or `MountPointFilter::parse`) to exactly the inputs. A
//! buffer that is too small is an error, never a truncated request. The filter parser also gets
//! arbitrary bytes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mountdev::layout::{CreatePointInput, TargetName, VolumeMountPoint};
use mountdev::{NtNameBuf, UniqueId};
use mountmgr_client::{
    AutoMountState, ChangeNotifyRequest, CreatePointRequest, MountPointFilter, SetAutoMountRequest, TargetNameRequest,
    VolumeMountPointRequest, WireRequest,
};

#[derive(Debug, Arbitrary)]
struct Input {
    a: String,
    b: String,
    id: Vec<u8>,
    which: u8,
    link: bool,
    unique: bool,
    device: bool,
    buffer: u16,
    epic: u32,
    raw: Vec<u8>,
}

fn name<const N: usize>(text: &str) -> Option<NtNameBuf<N>> {
    let mut buf = NtNameBuf::<N>::new();
    buf.push_str(text).ok()?;
    buf.as_name().ok()?;
    Some(buf)
}

fuzz_target!(|input: Input| {
    let _ = MountPointFilter::parse(&input.raw);
    let (Some(a), Some(b)) = (name::<300>(&input.a), name::<300>(&input.b)) else {
        return;
    };
    let (a, b) = (a.as_name().expect("checked"), b.as_name().expect("checked"));
    let mut buf = vec![0u8; usize::from(input.buffer % 2048)];
    match input.which % 4 {
        0 => {
            let request = CreatePointRequest::new(a, b);
            match request.write_into(&mut buf) {
                Ok(bytes) => {
                    assert_eq!(bytes.len(), request.required_len().expect("sized"));
                    let (_, link, device) = CreatePointInput::parse(bytes).expect("round trip");
                    assert_eq!((link, device), (a, b));
                }
                Err(_) => assert!(request.required_len().map_or(true, |n| n > buf.len())),
            }
        }
        1 => {
            let request = TargetNameRequest::new(a);
            if let Ok(bytes) = request.write_into(&mut buf) {
                assert_eq!(
                    TargetName::parse(bytes)
                        .expect("round trip")
                        .device_name()
                        .expect("name"),
                    a
                );
            } else {
                assert!(request.required_len().map_or(true, |n| n > buf.len()));
            }
        }
        2 => {
            let request = VolumeMountPointRequest::new(a, b);
            if let Ok(bytes) = request.write_into(&mut buf) {
                let (_, source, target) = VolumeMountPoint::parse(bytes).expect("round trip");
                assert_eq!((source, target), (a, b));
            }
        }
        _ => {
            let mut filter = MountPointFilter::all();
            if input.link {
                filter = filter.with_symbolic_link(a);
            }
            if input.unique {
                let Ok(id) = UniqueId::new(&input.id) else { return };
                filter = filter.with_unique_id(id);
            }
            if input.device {
                filter = filter.with_device_name(b);
            }
            if let Ok(bytes) = filter.write_into(&mut buf) {
                assert_eq!(MountPointFilter::parse(bytes).expect("round trip"), filter);
            }
        }
    }
    let state = if input.epic % 2 == 0 {
        AutoMountState::Disabled
    } else {
        AutoMountState::Enabled
    };
    let mut four = [0u8; 4];
    if let Ok(bytes) = SetAutoMountRequest::new(state).write_into(&mut four) {
        assert_eq!(AutoMountState::parse(bytes).expect("4 bytes"), state);
    }
    let notify = ChangeNotifyRequest::new(input.epic);
    if let Ok(bytes) = notify.write_into(&mut four) {
        assert_eq!(
            mountmgr_client::reply::parse_epic_number(bytes).expect("4 bytes"),
            input.epic
        );
    }
});
