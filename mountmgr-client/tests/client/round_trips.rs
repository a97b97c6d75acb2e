//! Every request builder round-trips through its parser, for arbitrary names and every filter
//! combination; and a builder never writes a truncated request.

use mountdev::layout::{CreatePointInput, TargetName, VolumeMountPoint};
use mountdev::{NtName, UniqueId};
use mountmgr_client::reply::parse_epic_number;
use mountmgr_client::{
    AutoMountState, ChangeNotifyRequest, CreatePointRequest, MountPointFilter, SetAutoMountRequest, TargetNameRequest,
    VolumeMountPointRequest, WireRequest,
};
use proptest::prelude::*;

/// UTF-16LE bytes of a valid name: 1..80 non-NUL code units (any, surrogates included).
fn name_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(1u16..=u16::MAX, 1..80)
        .prop_map(|units| units.into_iter().flat_map(u16::to_le_bytes).collect())
}

/// An even-length unique ID of 2..64 bytes (any byte values, NULs included).
fn unique_id_bytes() -> impl Strategy<Value = Vec<u8>> {
    (1usize..32).prop_flat_map(|pairs| prop::collection::vec(any::<u8>(), pairs * 2))
}

fn name(bytes: &[u8]) -> NtName<'_> {
    NtName::from_le_bytes(bytes).unwrap()
}

/// Writes `request` into an exactly sized buffer, checks every shorter buffer is refused, and
/// returns the bytes.
fn build(request: &impl WireRequest) -> Vec<u8> {
    let len = request.required_len().unwrap();
    let mut buf = vec![0xA5u8; len + 3];
    let written = request.write_into(&mut buf).unwrap().to_vec();
    assert_eq!(written.len(), len);
    for short in [0, len / 2, len.saturating_sub(1)] {
        if short < len {
            assert!(request.write_into(&mut vec![0; short]).is_err());
        }
    }
    written
}

proptest! {
    #[test]
    fn target_name(device in name_bytes()) {
        let request = TargetNameRequest::new(name(&device));
        let input = build(&request);
        let parsed = TargetName::parse(&input).unwrap();
        prop_assert_eq!(parsed.device_name().unwrap(), name(&device));
        prop_assert_eq!(input.len(), 2 + device.len());
    }

    #[test]
    fn create_point(link in name_bytes(), device in name_bytes()) {
        let request = CreatePointRequest::new(name(&link), name(&device));
        let input = build(&request);
        let (fixed, parsed_link, parsed_device) = CreatePointInput::parse(&input).unwrap();
        prop_assert_eq!(parsed_link, name(&link));
        prop_assert_eq!(parsed_device, name(&device));
        prop_assert_eq!(fixed.symbolic_link_name_offset.get(), 8);
        prop_assert_eq!(usize::from(fixed.device_name_offset.get()), 8 + link.len());
        prop_assert_eq!(input.len(), 8 + link.len() + device.len());
    }

    #[test]
    fn volume_mount_point(source in name_bytes(), target in name_bytes()) {
        let request = VolumeMountPointRequest::new(name(&source), name(&target));
        let input = build(&request);
        let (_, parsed_source, parsed_target) = VolumeMountPoint::parse(&input).unwrap();
        prop_assert_eq!(parsed_source, name(&source));
        prop_assert_eq!(parsed_target, name(&target));
    }

    #[test]
    fn mount_point_filter(
        link in prop::option::of(name_bytes()),
        id in prop::option::of(unique_id_bytes()),
        device in prop::option::of(name_bytes()),
    ) {
        let filter = MountPointFilter {
            symbolic_link_name: link.as_deref().map(name),
            unique_id: id.as_deref().map(|id| UniqueId::new(id).unwrap()),
            device_name: device.as_deref().map(name),
        };
        let input = build(&filter);
        prop_assert_eq!(MountPointFilter::parse(&input).unwrap(), filter);
        let lengths = [&link, &id, &device].map(|f| f.as_ref().map_or(0, Vec::len));
        prop_assert_eq!(input.len(), 24 + lengths.iter().sum::<usize>());
        // Every present field starts at an even offset; absent fields are offset 0, length 0.
        for (slot, present) in [(0usize, link.is_some()), (8, id.is_some()), (16, device.is_some())] {
            let offset = u32::from_le_bytes(input[slot..slot + 4].try_into().unwrap());
            let length = u16::from_le_bytes(input[slot + 4..slot + 6].try_into().unwrap());
            prop_assert_eq!(offset % 2, 0);
            prop_assert_eq!(present, length != 0);
            if !present {
                prop_assert_eq!(offset, 0);
            }
        }
    }

    #[test]
    fn change_notify(epic in any::<u32>()) {
        let input = build(&ChangeNotifyRequest::new(epic));
        prop_assert_eq!(parse_epic_number(&input), Ok(epic));
    }
}

#[test]
fn set_auto_mount() {
    for state in [AutoMountState::Disabled, AutoMountState::Enabled] {
        let input = build(&SetAutoMountRequest::new(state));
        assert_eq!(AutoMountState::parse(&input), Ok(state));
    }
}

#[test]
fn filter_parser_follows_the_mount_managers_checks() {
    use mountmgr_client::FilterError;
    let device = mountdev::testing::utf16("\\Device\\X");
    let mut input = vec![0u8; 24];
    input.extend_from_slice(&device);
    let set = |input: &mut Vec<u8>, slot: usize, offset: u32, length: u16| {
        input[slot..slot + 4].copy_from_slice(&offset.to_le_bytes());
        input[slot + 4..slot + 6].copy_from_slice(&length.to_le_bytes());
    };
    set(&mut input, 16, 24, device.len() as u16);
    assert_eq!(
        MountPointFilter::parse(&input).unwrap().device_name.unwrap(),
        "\\Device\\X"
    );
    // A zero length means "absent", whatever the offset says.
    let mut ignored = input.clone();
    set(&mut ignored, 0, 0xFFFF_FFFF, 0);
    assert!(MountPointFilter::parse(&ignored).unwrap().symbolic_link_name.is_none());
    // Odd offset, odd length, out of bounds, overflowing offset, short input.
    let mut odd = input.clone();
    set(&mut odd, 16, 25, 2);
    assert!(matches!(
        MountPointFilter::parse(&odd),
        Err(FilterError::Odd {
            field: "DeviceName",
            value: 25
        })
    ));
    let mut odd_len = input.clone();
    set(&mut odd_len, 8, 24, 3);
    assert!(matches!(
        MountPointFilter::parse(&odd_len),
        Err(FilterError::Odd {
            field: "UniqueId",
            value: 3
        })
    ));
    let mut outside = input.clone();
    set(&mut outside, 16, 24, device.len() as u16 + 2);
    assert!(matches!(
        MountPointFilter::parse(&outside),
        Err(FilterError::OutOfBounds { .. })
    ));
    let mut huge = input.clone();
    set(&mut huge, 0, u32::MAX - 1, 2);
    assert!(matches!(
        MountPointFilter::parse(&huge),
        Err(FilterError::OutOfBounds { .. })
    ));
    assert!(matches!(
        MountPointFilter::parse(&input[..23]),
        Err(FilterError::Short {
            needed: 24,
            available: 23
        })
    ));
    let mut nul = input.clone();
    nul[24] = 0;
    nul[25] = 0;
    assert!(matches!(MountPointFilter::parse(&nul), Err(FilterError::Name { .. })));
    assert_eq!(
        FilterError::Short {
            needed: 24,
            available: 0
        }
        .status(),
        mountdev::NtStatus::INVALID_PARAMETER
    );
}

#[cfg(feature = "alloc")]
#[test]
fn to_vec_matches_write_into() {
    let request = CreatePointRequest::new(
        mountdev::nt_name!("\\DosDevices\\Q:"),
        mountdev::nt_name!("\\Device\\V"),
    );
    assert_eq!(request.to_vec().unwrap(), build(&request));
}
