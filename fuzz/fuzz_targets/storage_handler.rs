//! The disk / storage / volume handler with arbitrary disk descriptions, codes, inputs and output
//! sizes: no panic, Information never exceeds the output length, the status class agrees with
//! Information, and a shared METHOD_BUFFERED buffer gives the same reply and bytes as split
//! buffers (so no reported byte is stale input); the request keeps the reply contract of
//! `mountdev::testing` at every output size.
#![no_main]

use arbitrary::Arbitrary;
use fuzz_common::{IoctlCall, assert_contract};
use libfuzzer_sys::fuzz_target;
use mountdev::storage::{DeviceNumberClaim, DiskConfig, DiskDescription, handle_storage};

#[derive(Debug, Arbitrary)]
struct Input {
    size: u64,
    logical_shift: u8,
    physical_shift: u8,
    read_only: bool,
    removable: bool,
    hotplug: bool,
    device_number: Option<u16>,
    gpt_attributes: u64,
    no_drive_letter: bool,
    call: IoctlCall,
}

fuzz_target!(|input: Input| {
    let config = DiskConfig {
        logical_sector_size: 512 << (input.logical_shift % 4),
        physical_sector_size: 512 << (input.physical_shift % 4),
        read_only: input.read_only,
        removable: input.removable,
        hotplug: input.hotplug,
        device_number: input.device_number.map(DeviceNumberClaim::from_index),
        gpt_attributes: input.gpt_attributes,
        no_drive_letter: input.no_drive_letter,
        ..DiskConfig::new(input.size)
    };
    let Ok(disk) = DiskDescription::new(&config) else {
        return;
    };
    assert_contract(&input.call.request, |code, io| handle_storage(&disk, code, io));
    let split = input.call.with_shared(false);
    let shared = input.call.with_shared(true);
    let (reply_split, bytes_split) = split.run(|code, io| handle_storage(&disk, code, io));
    let (reply_shared, bytes_shared) = shared.run(|code, io| handle_storage(&disk, code, io));
    // Both calls saw the same input; the shared buffer starts out holding the input where the
    // split output starts out zeroed, so any reported byte the handler did not write shows up.
    assert_eq!(reply_split, reply_shared);
    assert_eq!(bytes_split, bytes_shared, "stale bytes inside Information");
});
