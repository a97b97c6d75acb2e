//! Property tests for the storage handler through the `mountdev::testing` kit: any code and any
//! input bytes, at every output size, through split buffers and through a shared METHOD_BUFFERED
//! buffer, never panic; `Information` never exceeds the output; an error carries no output;
//! nothing is written beyond `Information`; and a shared buffer gives the same reply and bytes as
//! split buffers (the input is read before the output is written).
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
// The test kit is on in the workspace (mountdev's self dev-dependency); a packaged copy of the
// crate runs these tests with `--all-features` (ci/package-check.sh).
#![cfg(feature = "proptest")]

use mountdev::ioctl::{Access, DeviceType, Ioctl, Method, ctl_code};
use mountdev::layout::StoragePropertyQuery;
use mountdev::storage::{BusType, DeviceNumberClaim, DiskConfig, DiskDescription, handle_storage, try_handle_storage};
use mountdev::testing::{ContractCheck, check_completion, strategy};
use mountdev::{IoBuffers, Reply};
use proptest::prelude::*;
use zerocopy::IntoBytes;

fn any_code() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => proptest::sample::select(Ioctl::ALL.iter().map(|i| i.code()).collect::<Vec<_>>()),
        1 => any::<u32>(),
        1 => (0u16..0x800, prop_oneof![Just(DeviceType::DISK), Just(DeviceType::MASS_STORAGE), Just(DeviceType::VOLUME)])
            .prop_map(|(f, dev)| ctl_code(dev, f, Method::Buffered, Access::ANY)),
    ]
}

/// Mostly well-formed property queries and verify ranges, sometimes random bytes.
fn any_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => (0u32..20, 0u32..4, proptest::collection::vec(any::<u8>(), 0..8)).prop_map(|(p, q, tail)| {
            let mut v = StoragePropertyQuery::new(p, q).as_bytes().to_vec();
            v.extend(tail);
            v
        }),
        1 => (any::<i64>(), any::<u32>()).prop_map(|(start, len)| {
            let mut v = start.to_le_bytes().to_vec();
            v.extend(len.to_le_bytes());
            v.extend([0; 4]);
            v
        }),
        2 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn any_disk() -> impl Strategy<Value = DiskDescription> {
    (
        prop_oneof![Just(512u32), Just(4096)],
        1u64..1_000_000,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(any::<u16>()),
        "[ -~]{0,8}",
        "[ -~]{0,16}",
        any::<u64>(),
    )
        .prop_map(
            |(sector, sectors, read_only, removable, no_letter, claim, vendor, product, gpt)| {
                DiskDescription::new(&DiskConfig {
                    logical_sector_size: sector,
                    physical_sector_size: 4096,
                    read_only,
                    removable,
                    no_drive_letter: no_letter,
                    device_number: claim.map(DeviceNumberClaim::from_index),
                    bus_type: BusType::VIRTUAL,
                    vendor: &vendor,
                    product: &product,
                    gpt_attributes: gpt,
                    ..DiskConfig::new(sectors * u64::from(sector))
                })
                .unwrap()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 8 } else { 3000 }, failure_persistence: None, ..ProptestConfig::default() })]

    /// The test kit at every output size up to the whole reply + 2 (split and shared buffers, no
    /// panic, nothing written past or left unwritten inside Information, the descriptor probe).
    #[test]
    fn every_size_keeps_the_reply_rules(disk in any_disk(), code in any_code(), input in any_input()) {
        let checked = ContractCheck::new(code, &input).run(|code, io| handle_storage(&disk, code, io));
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }

    /// The kit's own request generator (known codes with the inputs they take, sometimes anything).
    #[test]
    fn kit_requests_keep_the_reply_rules(disk in any_disk(), request in strategy::request()) {
        let checked = ContractCheck::new(request.code, &request.input).run(|code, io| handle_storage(&disk, code, io));
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }

    /// try_handle_storage agrees with handle_storage, and hands the buffers back untouched when it
    /// declines.
    #[test]
    fn try_handle_agrees(disk in any_disk(), code in any_code(), input in any_input(), out_len in 0usize..260) {
        let mut out = vec![0xA5u8; out_len];
        let reply = handle_storage(&disk, code, IoBuffers::split(&input, &mut out));
        let mut again = vec![0xA5u8; out_len];
        match try_handle_storage(&disk, code, IoBuffers::split(&input, &mut again)) {
            Ok(r) => prop_assert_eq!(r, reply),
            Err(io) => {
                prop_assert_eq!(io.input(), &input[..]);
                prop_assert!(io.into_output().iter().all(|&b| b == 0xA5));
                prop_assert_eq!(reply, Reply::error(mountdev::NtStatus::INVALID_DEVICE_REQUEST));
            }
        }
    }

    /// Lengths beyond the system buffer (a kernel shell passing lengths it was told) are clamped.
    #[test]
    fn shared_lengths_beyond_the_buffer(disk in any_disk(), code in any_code(), bytes in proptest::collection::vec(any::<u8>(), 0..64), input_len in 0usize..200, out_len in 0usize..200) {
        let mut system = bytes.clone();
        let reply = handle_storage(&disk, code, IoBuffers::shared(&mut system, input_len, out_len));
        prop_assert_eq!(check_completion(reply, out_len.min(bytes.len())), Ok(()));
    }
}
