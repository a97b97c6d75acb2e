//! Every `mountdev` layout parser and name classifier on arbitrary bytes: no panic, and whatever
//! parses re-serialises to the bytes it was parsed from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mountdev::layout::*;
use mountdev::{DriveLetterLink, NtName, VolumeGuidName};

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = MountdevName::parse(data) {
        let length = usize::from(parsed.name_length.get());
        assert_eq!(parsed.name.len() * 2, length);
        if let Ok(name) = parsed.name() {
            assert_eq!(name.as_le_bytes(), &data[2..2 + length]);
        }
    }
    if let Ok(parsed) = MountdevUniqueId::parse(data) {
        assert_eq!(parsed.unique_id.len(), usize::from(parsed.unique_id_length.get()));
    }
    let _ = MountdevSuggestedLinkName::parse(data).map(|p| p.name());
    if let Ok((fixed, old, new)) = UniqueIdChangeNotifyOutput::parse(data) {
        // Each ID lies inside `Size` (they may overlap each other: the layout allows it).
        let size = fixed.size.get() as usize;
        assert!(usize::from(fixed.old_unique_id_offset.get()) + old.len() <= size);
        assert!(usize::from(fixed.new_unique_id_offset.get()) + new.len() <= size);
    }
    let _ = TargetName::parse(data).map(|p| p.device_name());
    if let Ok((_, link, device)) = CreatePointInput::parse(data) {
        let _ = (
            DriveLetterLink::classify(link),
            VolumeGuidName::is_volume_name(link),
            device.to_string(),
        );
    }
    let _ = VolumeMountPoint::parse(data);
    if let Ok(name) = NtName::from_le_bytes(data) {
        assert_eq!(name.byte_len(), data.len());
        if let Ok(link) = DriveLetterLink::parse(name) {
            assert_eq!(link.as_name(), name);
        }
        if let Ok(volume) = VolumeGuidName::parse(name) {
            assert!(volume.as_name().eq_ignore_ascii_case(&name));
        }
    }
});
