//! Shared pieces of the simulator scenario tests: configurable volumes and raw requests built
//! from `mountdev`'s layouts.

use std::sync::Mutex;

use mountdev::ioctl::IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME;
use mountdev::ioctl::{
    IOCTL_MOUNTMGR_CREATE_POINT, IOCTL_MOUNTMGR_DELETE_POINTS, IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY,
    IOCTL_MOUNTMGR_QUERY_POINTS, IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION,
};
use mountdev::layout::{CreatePointInput, MountPoint, MountPointsHeader};
use mountdev::{
    DriveLetterLink, Guid, IoBuffers, MountdevVolume, NtName, NtNameBuf, NtStatus, Reply, SuggestedLink, UniqueId,
    VolumeGuidName,
};
use mountmgr_client::Transport;
use mountmgr_client::sim::{DeviceOptions, Sim, SimDevice, VolumeDevice};
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, IntoBytes};

pub const DEVICE: &str = "\\Device\\XtsVolume1";
pub const UNIQUE_ID: &[u8] = b"xts-container-0001";
pub const STABLE_GUID: &str = "{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}";
pub const VOLUME_NAME: &str = "\\??\\Volume{6f1b3c2a-0d4e-4f5a-8b9c-102030405060}";

/// A volume whose every MOUNTDEV answer is configurable; it records the link notifications it
/// receives. With `per_mount_ids`, each `QUERY_UNIQUE_ID` after a `bump` reports a new ID (a
/// driver that derives the ID from a mount counter).
pub struct TestVolume {
    name: NtNameBuf<96>,
    unique_id: Vec<u8>,
    stable_guid: Option<Guid>,
    /// The suggestion as the test wrote it (any name, for the findings about bad suggestions).
    suggestion: Option<(NtNameBuf<64>, bool)>,
    /// The same suggestion when `SuggestedLink` can express it.
    suggested_letter: Option<DriveLetterLink>,
    suggested_volume: Option<VolumeGuidName>,
    pub created: Mutex<Vec<String>>,
    pub deleted: Mutex<Vec<String>>,
}

impl TestVolume {
    pub fn new(name: &str, unique_id: &[u8]) -> Self {
        let mut buf = NtNameBuf::new();
        buf.push_str(name).unwrap();
        Self {
            name: buf,
            unique_id: unique_id.to_vec(),
            stable_guid: None,
            suggestion: None,
            suggested_letter: None,
            suggested_volume: None,
            created: Mutex::new(Vec::new()),
            deleted: Mutex::new(Vec::new()),
        }
    }

    /// The standard volume of these tests: `\Device\XtsVolume1`, a stable ID and GUID.
    pub fn standard() -> Self {
        Self::new(DEVICE, UNIQUE_ID).with_stable_guid(STABLE_GUID)
    }

    pub fn with_stable_guid(mut self, guid: &str) -> Self {
        self.stable_guid = Some(guid.parse().unwrap());
        self
    }

    pub fn suggesting(mut self, link: &str, use_only_if_no_other_links: bool) -> Self {
        let mut buf = NtNameBuf::new();
        buf.push_str(link).unwrap();
        let name = buf.as_name().unwrap();
        self.suggested_letter = DriveLetterLink::parse(name).ok();
        self.suggested_volume = VolumeGuidName::parse(name).ok();
        self.suggestion = Some((buf, use_only_if_no_other_links));
        self
    }

    /// The suggestion when `SuggestedLink` cannot express it (a lowercase letter, a counted
    /// terminator, any other name): `register` answers it past the volume.
    fn raw_suggestion(&self) -> Option<(Vec<u8>, bool)> {
        let (name, only) = self.suggestion.as_ref()?;
        if self.suggested_letter.is_some() || self.suggested_volume.is_some() {
            return None;
        }
        Some((name.as_name().unwrap().as_le_bytes().to_vec(), *only))
    }

    pub fn created_links(&self) -> Vec<String> {
        self.created.lock().unwrap().clone()
    }
}

impl MountdevVolume for TestVolume {
    fn device_name(&self) -> NtName<'_> {
        self.name.as_name().unwrap()
    }
    fn unique_id(&self) -> UniqueId<'_> {
        UniqueId::new(&self.unique_id).unwrap()
    }
    fn stable_guid(&self) -> Option<Guid> {
        self.stable_guid
    }
    fn suggested_link(&self) -> Option<SuggestedLink<'_>> {
        let only = self.suggestion.as_ref().is_some_and(|(_, only)| *only);
        match (&self.suggested_letter, &self.suggested_volume) {
            (Some(letter), _) => Some(SuggestedLink::drive_letter(letter, only)),
            (None, Some(name)) => Some(SuggestedLink::volume_name(name, only)),
            (None, None) => None,
        }
    }
    fn link_created(&self, link: NtName<'_>) {
        self.created.lock().unwrap().push(link.to_string());
    }
    fn link_deleted(&self, link: NtName<'_>) {
        self.deleted.lock().unwrap().push(link.to_string());
    }
}

/// Registers `volume` under its own name, ready (not initializing, not removable). A suggestion
/// `SuggestedLink` cannot express is answered the way a volume driver writing the bytes itself
/// would: `MOUNTDEV_SUGGESTED_LINK_NAME`, probed like any counted reply.
pub fn register(sim: &mut Sim, volume: TestVolume) -> std::sync::Arc<VolumeDevice<TestVolume>> {
    let Some((name, only)) = volume.raw_suggestion() else {
        return sim
            .register_volume(VolumeDevice::new(volume), DeviceOptions::new())
            .unwrap();
    };
    let patch = move |code: u32, _input: &[u8], out: &mut [u8]| -> Option<Reply> {
        if code != IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME {
            return None;
        }
        let length = u16::try_from(name.len()).unwrap().to_le_bytes();
        let mut reply = vec![u8::from(only), 0, length[0], length[1]];
        reply.extend_from_slice(&name);
        if out.len() < 6 {
            return Some(Reply::error(NtStatus::BUFFER_TOO_SMALL));
        }
        if out.len() < reply.len() {
            out[..4].copy_from_slice(&reply[..4]);
            out[4..6].fill(0);
            return Some(Reply::new(NtStatus::BUFFER_OVERFLOW, 6));
        }
        out[..reply.len()].copy_from_slice(&reply);
        Some(Reply::success(reply.len()))
    };
    register_patched(sim, volume, DeviceOptions::new(), Box::new(patch))
}

/// A patch over a volume's answers: `Some(reply)` replaces the volume's own answer to that
/// request (the patch writes the output itself), `None` lets the volume answer.
pub type Patch = dyn Fn(u32, &[u8], &mut [u8]) -> Option<Reply> + Send + Sync;

/// Registers `volume` behind `patch`: the way to make a well-behaved volume misbehave in one
/// answer (a NUL in a name, a wrong status), which `mountdev`'s types make impossible to express
/// through `MountdevVolume` itself.
pub fn register_patched(
    sim: &mut Sim,
    volume: TestVolume,
    options: DeviceOptions,
    patch: Box<Patch>,
) -> std::sync::Arc<VolumeDevice<TestVolume>> {
    let name = volume.device_name().to_string();
    let inner = std::sync::Arc::new(VolumeDevice::new(volume));
    let shared = inner.clone();
    let device = move |code: u32, io: IoBuffers<'_>| -> Reply {
        let input = io.input().to_vec();
        let out = io.into_output();
        match patch(code, &input, out) {
            Some(reply) => reply,
            None => inner.device_io_control(code, IoBuffers::split(&input, out)),
        }
    };
    sim.register_device(&name, std::sync::Arc::new(device), options)
        .unwrap();
    shared
}

pub use mountdev::testing::utf16;

/// UTF-16LE bytes of `text` followed by a NUL unit counted in the length (the CryptDisk field
/// report's bug, `protocol.md` §0.1).
pub fn utf16_nul(text: &str) -> Vec<u8> {
    let mut bytes = utf16(text);
    bytes.extend_from_slice(&[0, 0]);
    bytes
}

/// A `MOUNTMGR_CREATE_POINT_INPUT` with the link at offset 8 and the device after it.
pub fn create_point_input(link: &[u8], device: &[u8]) -> Vec<u8> {
    let fixed = CreatePointInput {
        symbolic_link_name_offset: U16::new(8),
        symbolic_link_name_length: U16::new(link.len() as u16),
        device_name_offset: U16::new(8 + link.len() as u16),
        device_name_length: U16::new(device.len() as u16),
    };
    let mut input = fixed.as_bytes().to_vec();
    input.extend_from_slice(link);
    input.extend_from_slice(device);
    input
}

/// A `MOUNTMGR_TARGET_NAME`.
pub fn target_name(device: &[u8]) -> Vec<u8> {
    let mut input = (device.len() as u16).to_le_bytes().to_vec();
    input.extend_from_slice(device);
    input
}

pub fn create_point(sim: &mut Sim, link: &str, device: &str) -> NtStatus {
    let input = create_point_input(&utf16(link), &utf16(device));
    sim.device_io_control(IOCTL_MOUNTMGR_CREATE_POINT, &input, &mut [])
        .status
}

pub fn arrival(sim: &mut Sim, device: &str) -> NtStatus {
    let input = target_name(&utf16(device));
    sim.device_io_control(IOCTL_MOUNTMGR_VOLUME_ARRIVAL_NOTIFICATION, &input, &mut [])
        .status
}

/// Mounts the standard device at Z: in the fixed order of `protocol.md` §4.7 / §8.6
/// (CREATE_POINT, then ARRIVAL), both answered `SUCCESS`.
pub fn mount_at_z(sim: &mut Sim) {
    assert_eq!(create_point(sim, "\\DosDevices\\Z:", DEVICE), NtStatus::SUCCESS);
    assert_eq!(arrival(sim, DEVICE), NtStatus::SUCCESS);
}

/// Which field a `MOUNTMGR_MOUNT_POINT` filter names.
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    All,
    Link(&'a str),
    UniqueId(&'a [u8]),
    Device(&'a str),
}

/// A filter with the given fields, packed after the 24-byte fixed part.
pub fn filter_input(link: Option<&[u8]>, unique_id: Option<&[u8]>, device: Option<&[u8]>) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut place = |bytes: Option<&[u8]>| -> (U32, U16) {
        match bytes {
            None => (U32::ZERO, U16::ZERO),
            Some(bytes) => {
                let offset = 24 + tail.len() as u32;
                tail.extend_from_slice(bytes);
                (U32::new(offset), U16::new(bytes.len() as u16))
            }
        }
    };
    let (lo, ll) = place(link);
    let (uo, ul) = place(unique_id);
    let (dof, dl) = place(device);
    let fixed = MountPoint {
        symbolic_link_name_offset: lo,
        symbolic_link_name_length: ll,
        unique_id_offset: uo,
        unique_id_length: ul,
        device_name_offset: dof,
        device_name_length: dl,
        ..Default::default()
    };
    let mut input = fixed.as_bytes().to_vec();
    input.extend_from_slice(&tail);
    input
}

pub fn filter(by: By<'_>) -> Vec<u8> {
    match by {
        By::All => filter_input(None, None, None),
        By::Link(link) => filter_input(Some(&utf16(link)), None, None),
        By::UniqueId(id) => filter_input(None, Some(id), None),
        By::Device(device) => filter_input(None, None, Some(&utf16(device))),
    }
}

/// One parsed record of a `MOUNTMGR_MOUNT_POINTS` reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub link: String,
    pub unique_id: Vec<u8>,
    pub device: String,
}

fn text_at(buf: &[u8], offset: u32, length: u16) -> String {
    let bytes = &buf[offset as usize..offset as usize + length as usize];
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16_lossy(&units).replace('\0', "\\0")
}

/// Parses a complete `MOUNTMGR_MOUNT_POINTS` reply.
pub fn parse_points(reply: &[u8]) -> Vec<Point> {
    let (header, _) = MountPointsHeader::read_from_prefix(reply).unwrap();
    assert!(header.size.get() as usize <= reply.len(), "incomplete reply");
    (0..header.number_of_mount_points.get() as usize)
        .map(|i| {
            let at = 8 + 24 * i;
            let (p, _) = MountPoint::read_from_prefix(&reply[at..]).unwrap();
            Point {
                link: text_at(
                    reply,
                    p.symbolic_link_name_offset.get(),
                    p.symbolic_link_name_length.get(),
                ),
                unique_id: reply[p.unique_id_offset.get() as usize
                    ..p.unique_id_offset.get() as usize + p.unique_id_length.get() as usize]
                    .to_vec(),
                device: text_at(reply, p.device_name_offset.get(), p.device_name_length.get()),
            }
        })
        .collect()
}

/// Sends a QUERY_POINTS / DELETE_POINTS(_DBONLY) with a roomy output and parses a success.
pub fn points_request(sim: &mut Sim, code: u32, by: By<'_>) -> Result<Vec<Point>, NtStatus> {
    let mut out = vec![0u8; 4096];
    let reply: Reply = sim.device_io_control(code, &filter(by), &mut out);
    if reply.status != NtStatus::SUCCESS {
        return Err(reply.status);
    }
    Ok(parse_points(&out[..reply.information]))
}

pub fn query_points(sim: &mut Sim, by: By<'_>) -> Result<Vec<Point>, NtStatus> {
    points_request(sim, IOCTL_MOUNTMGR_QUERY_POINTS, by)
}

pub fn delete_points(sim: &mut Sim, by: By<'_>) -> Result<Vec<Point>, NtStatus> {
    points_request(sim, IOCTL_MOUNTMGR_DELETE_POINTS, by)
}

pub fn delete_points_db_only(sim: &mut Sim, by: By<'_>) -> Result<Vec<Point>, NtStatus> {
    points_request(sim, IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY, by)
}

/// The links of a reply, sorted.
pub fn links_of(points: &[Point]) -> Vec<String> {
    let mut links: Vec<String> = points.iter().map(|p| p.link.clone()).collect();
    links.sort();
    links
}
