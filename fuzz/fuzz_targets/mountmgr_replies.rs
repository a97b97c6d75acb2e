//! Every `mountmgr-client` reply parser on arbitrary bytes: no panic; a parsed
//! `MOUNTMGR_MOUNT_POINTS` or `MOUNTMGR_VOLUME_PATHS` only hands out names and IDs that lie inside
//! the reply, and a `Retry` always asks for more than was returned.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mountmgr_client::reply::parse_epic_number;
use mountmgr_client::{AutoMountState, DriveLetterInfo, MountPoints, Parsed, VolumePaths};

fuzz_target!(|data: &[u8]| {
    match MountPoints::parse(data) {
        Ok(Parsed::Complete(points)) => {
            for point in points.iter() {
                let _ = (
                    point.kind(),
                    point.drive_letter(),
                    point.volume_name(),
                    point.symbolic_link().to_string(),
                );
                assert!(point.symbolic_link().byte_len() <= data.len());
                if let Some(id) = point.unique_id() {
                    assert!(id.len() <= data.len());
                }
                if let Some(device) = point.device_name() {
                    assert!(device.byte_len() <= data.len());
                }
            }
        }
        Ok(Parsed::Retry { required }) => assert!(required > data.len()),
        Err(_) => {}
    }
    match VolumePaths::parse(data) {
        Ok(Parsed::Complete(paths)) => {
            let count = paths.iter().count();
            assert_eq!(count, paths.len());
        }
        Ok(Parsed::Retry { required }) => assert!(required > data.len()),
        Err(_) => {}
    }
    let _ = DriveLetterInfo::parse(data);
    let _ = AutoMountState::parse(data);
    let _ = parse_epic_number(data);
});
