//! Property tests: arbitrary bytes never panic a parser or the handler, every reply keeps its
//! invariants, and names built from arbitrary text round-trip through the wire layouts.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use mountdev::ioctl::{Ioctl, IoctlCode};
use mountdev::layout::*;
use mountdev::reply::write_counted;
use mountdev::testing::{check_completion, strategy};
use mountdev::{
    DriveLetterLink, Guid, IoBuffers, MountdevVolume, NtName, NtNameBuf, NtStatus, UniqueId, VolumeGuidName,
    handle_mountdev, nt_name,
};
use proptest::prelude::*;

struct Vol;
impl MountdevVolume for Vol {
    fn device_name(&self) -> NtName<'_> {
        nt_name!("\\Device\\PropVolume")
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(b"prop-unique-id").unwrap()
    }
    fn supports_unique_id_change_notify(&self) -> bool {
        true
    }
}

fn any_code() -> impl Strategy<Value = u32> {
    prop_oneof![
        proptest::sample::select(Ioctl::ALL.iter().map(|i| i.code()).collect::<Vec<_>>()),
        any::<u32>(),
        (0u16..16).prop_map(|f| mountdev::ioctl::ctl_code(
            mountdev::ioctl::DeviceType::MOUNTDEV,
            f,
            mountdev::ioctl::Method::Buffered,
            mountdev::ioctl::Access::ANY
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 8 } else { 2000 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), skip in 0usize..4) {
        let bytes = bytes.get(skip..).unwrap_or(&[]);
        let _ = MountdevName::parse(bytes).map(|n| n.name());
        let _ = MountdevUniqueId::parse(bytes);
        let _ = MountdevSuggestedLinkName::parse(bytes).map(|n| n.name());
        let _ = UniqueIdChangeNotifyOutput::parse(bytes);
        let _ = TargetName::parse(bytes).map(|n| n.device_name());
        let _ = CreatePointInput::parse(bytes);
        let _ = VolumeMountPoint::parse(bytes);
        let _ = NtName::from_le_bytes(bytes).map(|n| (DriveLetterLink::classify(n), VolumeGuidName::is_volume_name(n)));
        let _ = bytes_at(bytes, skip * 7, bytes.len());
        let _ = Guid::parse_units(bytes.iter().map(|b| u16::from(*b)));
    }

    #[test]
    fn handler_keeps_reply_invariants(
        code in any_code(),
        input in proptest::collection::vec(any::<u8>(), 0..96),
        out_len in 0usize..96,
        shared in any::<bool>(),
    ) {
        let reply = if shared {
            let mut system = input.clone();
            system.resize(input.len().max(out_len), 0);
            handle_mountdev(&Vol, code, IoBuffers::shared(&mut system, input.len(), out_len))
        } else {
            let mut out = vec![0u8; out_len];
            handle_mountdev(&Vol, code, IoBuffers::split(&input, &mut out))
        };
        prop_assert_eq!(check_completion(reply, out_len), Ok(()));
        if !Ioctl::decode(code).is_mountdev() {
            prop_assert_eq!(reply.status, NtStatus::INVALID_DEVICE_REQUEST);
        }
        if reply.status == NtStatus::SUCCESS && Ioctl::decode(code) == Ioctl::MountdevQueryDeviceName {
            prop_assert!(reply.information > 2, "success with no bytes");
        }
    }

    #[test]
    fn counted_reply_contract(tail in proptest::collection::vec(any::<u8>(), 0..64), out_len in 0usize..80) {
        let header = (tail.len() as u16).to_le_bytes();
        let mut out = vec![0u8; out_len];
        let reply = write_counted(&mut out, 4, &header, &tail);
        prop_assert_eq!(check_completion(reply, out_len), Ok(()));
        let whole = 2 + tail.len();
        if out_len < 4 { prop_assert_eq!(reply.status, NtStatus::BUFFER_TOO_SMALL); }
        else if out_len < whole { prop_assert_eq!((reply.status, reply.information), (NtStatus::BUFFER_OVERFLOW, 4)); }
        else { prop_assert_eq!((reply.status, reply.information), (NtStatus::SUCCESS, whole)); }
    }

    #[test]
    fn built_names_round_trip(text in "[\\\\A-Za-z0-9{}:?.-]{1,60}", prefix in 0usize..3) {
        let mut buf = NtNameBuf::<64>::new();
        buf.push_str(&text).unwrap();
        let name = buf.as_name().unwrap();
        prop_assert_eq!(name.byte_len(), text.encode_utf16().count() * 2);
        // MOUNTDEV_NAME round trip at an arbitrary alignment.
        let mut wire = vec![0xEEu8; prefix];
        wire.extend_from_slice(&name.byte_len_u16().to_le_bytes());
        wire.extend_from_slice(name.as_le_bytes());
        wire.push(0xFF);
        let parsed = MountdevName::parse(&wire[prefix..]).unwrap();
        prop_assert_eq!(parsed.name().unwrap(), name);
        prop_assert_eq!(parsed.name().unwrap().to_string(), text);
    }

    #[test]
    fn guid_text_round_trip(bytes in any::<[u8; 16]>()) {
        let guid = Guid::from_uuid_bytes(bytes);
        prop_assert_eq!(guid.to_string().parse::<Guid>().unwrap(), guid);
        prop_assert_eq!(Guid::from_le_bytes(guid.to_le_bytes()), guid);
        let name = VolumeGuidName::new(guid);
        prop_assert_eq!(VolumeGuidName::parse(name.as_name()).unwrap().guid(), guid);
    }

    #[test]
    fn decode_keeps_fields(code in any::<u32>()) {
        let decoded = Ioctl::decode(code);
        prop_assert_eq!(decoded.code(), code);
        let raw = IoctlCode(code);
        prop_assert_eq!(u32::from(raw.device_type().0) << 16 | raw.access().bits() << 14 | u32::from(raw.function()) << 2 | raw.method() as u32, code);
    }

    /// The kit's own request generator (the structured input of the `mountdev_handler` fuzz
    /// target): every request keeps the whole reply contract at every output size.
    #[test]
    fn kit_requests_keep_the_reply_rules(request in strategy::request()) {
        let checked = request.check(|code, io| handle_mountdev(&Vol, code, io));
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }
}
