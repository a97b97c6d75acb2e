//! Plays the mount manager's arrival queries against a volume described with `mountdev`, the way
//! `\Device\MountPointManager` probes a new volume (protocol.md §3.3, §4.2): a `sizeof`-sized
//! probe first, then a retry with the length the volume reported.
//!
//! Run with `cargo run -p mountdev-examples --example mountdev_probe`.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use mountdev::ioctl::{
    IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_STABLE_GUID, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME,
    IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, Ioctl,
};
use mountdev::{
    DriveLetterLink, Guid, IoBuffers, MountdevVolume, NtName, NtStatus, SuggestedLink, UniqueId, VolumeGuidName,
    handle_mountdev, nt_name,
};

struct ExampleVolume {
    guid: Guid,
    letter: DriveLetterLink,
}

impl MountdevVolume for ExampleVolume {
    fn device_name(&self) -> NtName<'_> {
        nt_name!("\\Device\\XtsVolume1")
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(b"cryptdisk-luks1:\x6b\x29\xfc\x40\xca\x47\x10\x67\xb3\x1d\x00\xdd\x01\x06\x62\xda")
            .expect("a non-empty literal")
    }
    fn stable_guid(&self) -> Option<Guid> {
        Some(self.guid)
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        Some(SuggestedLink::drive_letter(&self.letter, false))
    }
}

/// One query the way the mount manager sends it: probe with `probe_len`, retry once on overflow.
fn probe_and_fetch(volume: &ExampleVolume, code: u32, probe_len: usize, length_at: usize, header: usize) -> Vec<u8> {
    let name = Ioctl::decode(code).name().unwrap_or("?");
    let mut probe = vec![0u8; probe_len];
    let reply = handle_mountdev(volume, code, IoBuffers::split(&[], &mut probe));
    println!(
        "{name}: out={probe_len:<3} -> {} Information={}",
        reply.status, reply.information
    );
    if reply.status != NtStatus::BUFFER_OVERFLOW {
        probe.truncate(reply.information);
        return probe;
    }
    let length = usize::from(u16::from_le_bytes([probe[length_at], probe[length_at + 1]]));
    let mut full = vec![0u8; header + length];
    let reply = handle_mountdev(volume, code, IoBuffers::split(&[], &mut full));
    println!(
        "{name}: out={:<3} -> {} Information={}",
        full.len(),
        reply.status,
        reply.information
    );
    full.truncate(reply.information);
    full
}

fn utf16_text(bytes: &[u8]) -> String {
    NtName::from_le_bytes(bytes)
        .map(|n| n.to_string())
        .unwrap_or_else(|e| format!("<{e}>"))
}

fn main() {
    let volume = ExampleVolume {
        guid: "6b29fc40-ca47-1067-b31d-00dd010662da"
            .parse()
            .expect("a valid GUID literal"),
        letter: DriveLetterLink::new(b'Z').expect("an uppercase letter"),
    };

    let device = probe_and_fetch(&volume, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, 4, 0, 2);
    println!(
        "  device name   = {}  ({} bytes, no terminator)\n",
        utf16_text(&device[2..]),
        device.len() - 2
    );

    let id = probe_and_fetch(&volume, IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, 4, 0, 2);
    let hex: String = id[2..].iter().map(|b| format!("{b:02x}")).collect();
    println!("  unique ID     = {hex}  ({} bytes)\n", id.len() - 2);

    let mut guid = [0u8; 16];
    let reply = handle_mountdev(
        &volume,
        IOCTL_MOUNTDEV_QUERY_STABLE_GUID,
        IoBuffers::split(&[], &mut guid),
    );
    println!(
        "IOCTL_MOUNTDEV_QUERY_STABLE_GUID: out=16  -> {} Information={}",
        reply.status, reply.information
    );
    let guid = Guid::from_le_bytes(guid);
    println!("  volume name   = {}\n", VolumeGuidName::new(guid));

    let link = probe_and_fetch(&volume, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, 6, 2, 4);
    println!(
        "  suggested     = {} (UseOnlyIfThereAreNoOtherLinks={}, {} bytes: a drive letter)",
        utf16_text(&link[4..]),
        link[0] != 0,
        link.len() - 4
    );
}
