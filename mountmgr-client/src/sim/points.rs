//! Mount points: IOCTL_MOUNTMGR_CREATE_POINT, QUERY_POINTS, DELETE_POINTS and
//! DELETE_POINTS_DBONLY (`protocol.md` §3.4, §4.4, §4.6, §4.6a).

use alloc::format;
use alloc::vec::Vec;

use mountdev::layout::{CreatePointInput, MountPoint, MountPointsHeader, bytes_at};
use mountdev::{NtStatus, Reply};
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, IntoBytes};

use super::describe::hex_id;
use super::filter::{Filter, Selector, parse_filter};
use super::{Sim, SimName};

/// One `MOUNTMGR_MOUNT_POINT` record of a reply.
#[derive(Clone, Debug)]
struct Point {
    link: SimName,
    /// The volume's unique ID.
    unique_id: Vec<u8>,
    /// The volume's device name.
    device: SimName,
    /// False for a link DELETE_POINTS_DBONLY marked offline: its record carries no unique ID
    /// (ReactOS `QueryPointsFromMemory`, `QueryPointsFromSymbolicLinkName`).
    online: bool,
}

/// How the records of a reply share their data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Wine's shape ([`SimMode::Windows`](super::SimMode::Windows); the byte layout real Windows
    /// uses is not publicly documented, and `MOUNTMGR_MOUNT_POINTS` only promises offsets from the
    /// start of the structure, so the Windows mode keeps this one and the parsers meet both):
    /// `Size` counts the 8-byte header; each record's link, unique ID and device name follow
    /// the records, one copy per record.
    PerRecord,
    /// ReactOS `QueryPointsFromMemory`: `Size` counts the 32-byte `sizeof(MOUNTMGR_MOUNT_POINTS)`
    /// plus 24 bytes per record, so the data starts 24 bytes after the last record; per device the
    /// unique ID and device name are written once and every record of that device points at
    /// them, then its links follow. An odd-length unique ID makes every later offset odd.
    SharedPerDevice,
    /// ReactOS `QueryPointsFromSymbolicLinkName`: one record; link at offset 32, then the unique
    /// ID, then the device name.
    OneLink,
}

/// Why a reply could not be laid out: an offset beyond `u32` or a length beyond `u16`.
const TOO_LARGE: NtStatus = NtStatus::INSUFFICIENT_RESOURCES;

/// Lays out a `MOUNTMGR_MOUNT_POINTS` reply (§2.10, §2.11): the 8-byte header, the records, then
/// each record's link name, unique ID and device name. `Size` counts from the start of the buffer
/// with the 8-byte header, as Wine's reply does (ReactOS counts a 32-byte header).
/// Where a field of a reply was placed: `(offset, length)`.
type Placed = (U32, U16);

/// What [`Sim::answer_points`] selected and wrote.
struct PointsAnswer {
    filter: Filter,
    points: Vec<Point>,
    /// Bytes the whole answer needs.
    needed: usize,
    /// How the answer was written (`SUCCESS`, or the overflow header).
    written: Reply,
}

fn layout_points(points: &[Point], shape: Shape) -> Result<Vec<u8>, NtStatus> {
    let records = points
        .len()
        .checked_mul(MountPoint::C_SIZEOF)
        .and_then(|n| n.checked_add(MountPointsHeader::HEADER_SIZE))
        .ok_or(TOO_LARGE)?;
    // Where the data area starts (offsets count from the start of the buffer).
    let base = match shape {
        Shape::PerRecord => records,
        Shape::SharedPerDevice => records.checked_add(MountPoint::C_SIZEOF).ok_or(TOO_LARGE)?,
        Shape::OneLink => MountPointsHeader::C_SIZEOF.max(records),
    };
    let mut data: Vec<u8> = Vec::new();
    let count = u32::try_from(points.len()).map_err(|_| TOO_LARGE)?;
    let place = |data: &mut Vec<u8>, bytes: &[u8]| -> Result<Placed, NtStatus> {
        if bytes.is_empty() {
            return Ok((U32::ZERO, U16::ZERO));
        }
        let offset = base.checked_add(data.len()).ok_or(TOO_LARGE)?;
        let offset = u32::try_from(offset).map_err(|_| TOO_LARGE)?;
        let length = u16::try_from(bytes.len()).map_err(|_| TOO_LARGE)?;
        data.extend_from_slice(bytes);
        Ok((U32::new(offset), U16::new(length)))
    };
    let record = |link: Placed, id: Placed, device: Placed, online: bool| MountPoint {
        symbolic_link_name_offset: link.0,
        symbolic_link_name_length: link.1,
        reserved1: U16::ZERO,
        unique_id_offset: if online { id.0 } else { U32::ZERO },
        unique_id_length: if online { id.1 } else { U16::ZERO },
        reserved2: U16::ZERO,
        device_name_offset: device.0,
        device_name_length: device.1,
        reserved3: U16::ZERO,
    };
    let mut entries = Vec::with_capacity(points.len());
    match shape {
        Shape::PerRecord => {
            for point in points {
                let link = place(&mut data, point.link.as_le_bytes())?;
                let id = place(&mut data, &point.unique_id)?;
                let device = place(&mut data, point.device.as_le_bytes())?;
                entries.push(record(link, id, device, point.online));
            }
        }
        Shape::OneLink => {
            for point in points {
                let link = place(&mut data, point.link.as_le_bytes())?;
                let id = if point.online {
                    place(&mut data, &point.unique_id)?
                } else {
                    (U32::ZERO, U16::ZERO)
                };
                let device = place(&mut data, point.device.as_le_bytes())?;
                entries.push(record(link, id, device, point.online));
            }
        }
        Shape::SharedPerDevice => {
            let mut shared: Option<(&SimName, Placed, Placed)> = None;
            for point in points {
                let (id, device) = match shared {
                    Some((device_name, id, device)) if *device_name == point.device => (id, device),
                    _ => {
                        let id = place(&mut data, &point.unique_id)?;
                        let device = place(&mut data, point.device.as_le_bytes())?;
                        shared = Some((&point.device, id, device));
                        (id, device)
                    }
                };
                let link = place(&mut data, point.link.as_le_bytes())?;
                entries.push(record(link, id, device, point.online));
            }
        }
    }
    let size = base.checked_add(data.len()).ok_or(TOO_LARGE)?;
    let header = MountPointsHeader {
        size: U32::new(u32::try_from(size).map_err(|_| TOO_LARGE)?),
        number_of_mount_points: U32::new(count),
    };
    let mut fixed: Vec<u8> = Vec::with_capacity(size);
    fixed.extend_from_slice(header.as_bytes());
    for entry in &entries {
        fixed.extend_from_slice(entry.as_bytes());
    }
    fixed.resize(base, 0);
    fixed.extend_from_slice(&data);
    Ok(fixed)
}

/// Writes a laid-out reply into `out` (§3.4): all of it with `STATUS_SUCCESS` and `Information =
/// Size` when it fits; otherwise `Size` and `NumberOfMountPoints` only, `STATUS_BUFFER_OVERFLOW`,
/// `Information` 32. The caller has checked `out.len() >= 32`.
fn write_points(out: &mut [u8], reply: &[u8], count: usize) -> Reply {
    if let Some(dst) = out.get_mut(..reply.len()) {
        dst.copy_from_slice(reply);
        return Reply::success(reply.len());
    }
    let header = MountPointsHeader {
        size: U32::new(u32::try_from(reply.len()).unwrap_or(u32::MAX)),
        number_of_mount_points: U32::new(u32::try_from(count).unwrap_or(u32::MAX)),
    };
    if let Some(dst) = out.get_mut(..MountPointsHeader::C_SIZEOF) {
        dst.fill(0);
        if let Some(head) = dst.get_mut(..MountPointsHeader::HEADER_SIZE) {
            head.copy_from_slice(header.as_bytes());
        }
    }
    Reply::new(NtStatus::BUFFER_OVERFLOW, MountPointsHeader::C_SIZEOF)
}

impl Sim {
    /// IOCTL_MOUNTMGR_CREATE_POINT (ReactOS `MountMgrCreatePoint`): validation of §4.4, then [`Sim::create_point_worker`].
    pub(crate) fn ioctl_create_point(&mut self, input: &[u8]) -> Reply {
        // §4.4: input shorter than MOUNTMGR_CREATE_POINT_INPUT → STATUS_INVALID_PARAMETER.
        // `CreatePointInput::parse` is not used as a whole: it validates the names as `NtName`
        // and refuses a counted NUL, which the mount manager does not (§4.7); the fixed part is
        // read through the same layout and the names are taken raw.
        let Ok((fixed, _)) = CreatePointInput::read_from_prefix(input) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        // §4.4: a name outside the input → STATUS_INVALID_PARAMETER. The names are taken as they
        // are: a terminator counted in a length makes another, valid-looking name (§4.7). An odd
        // or zero length cannot hold a UTF-16 name and is refused the same way (the simulator's
        // choice; ReactOS would build an odd UNICODE_STRING).
        let name = |offset: U16, length: U16| {
            bytes_at(input, offset.get().into(), length.get().into())
                .ok()
                .and_then(SimName::from_le_bytes)
                .filter(|name| !name.is_empty())
        };
        let (Some(link), Some(device)) = (
            name(fixed.symbolic_link_name_offset, fixed.symbolic_link_name_length),
            name(fixed.device_name_offset, fixed.device_name_length),
        ) else {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        };
        self.check_request_name("symbolic link name", &link);
        self.check_request_name("device name", &device);
        Reply::new(self.create_point_worker(&link, &device), 0)
    }

    /// `MountMgrCreatePointWorker`: link `link` to the volume `device` (§4.4).
    pub(crate) fn create_point_worker(&mut self, link: &SimName, device: &SimName) -> NtStatus {
        // §4.4: the device must open and answer QUERY_DEVICE_NAME; its status propagates
        // (STATUS_OBJECT_NAME_NOT_FOUND for a name with a NUL or a typo, STATUS_NO_SUCH_DEVICE
        // while DO_DEVICE_INITIALIZING).
        let opened = match self.namespace.open(device) {
            Ok(opened) => opened,
            Err(status) => {
                self.note(format!("{device} cannot be opened"));
                return status;
            }
        };
        let device_name = match self.query_device_name(&opened) {
            Ok(name) => name,
            Err(status) => return status,
        };
        match self.volume_index(&device_name) {
            // An entry made for a device object that was deleted since, its name now re-used: by
            // default it is removed first and the volume counts as unknown (see
            // `SimConfig::reactos_duplicate_check`; ReactOS would use the stale entry).
            Some(index) if self.is_stale(index, &opened) => {
                self.note(format!(
                    "{device_name}: entry of a deleted device object with this name; removing it first"
                ));
                self.remove_volume_entry(index);
                self.create_point_unknown(link, &opened, &device_name)
            }
            None => self.create_point_unknown(link, &opened, &device_name),
            Some(index) => self.create_point_known(link, index, &device_name),
        }
    }

    /// CREATE_POINT for a volume the mount manager has not processed yet. MSDN
    /// (`ioctl_mountmgr_create_point`, remarks): allowed; the link is recorded for the arrival,
    /// and a drive letter replaces every other letter recorded for the volume (§4.4). As in
    /// ReactOS's `MountMgrCreatePointWorker` this path leaves `#{GUID}` markers alone
    /// (`DeleteRegistryDriveLetter` only). Stays in both modes: ReactOS asks for the unique ID
    /// through the symbolic link instead of the device, which cannot work before the link exists
    /// (it fails with STATUS_OBJECT_NAME_NOT_FOUND, §4.4 "ReactOS deviation"); the simulator
    /// follows MSDN and asks the device.
    fn create_point_unknown(
        &mut self,
        link: &SimName,
        opened: &super::namespace::Opened,
        device_name: &SimName,
    ) -> NtStatus {
        let unique_id = match self.query_unique_id(opened) {
            Ok(id) => id,
            Err(status) => return status,
        };
        if let Err(status) = self.namespace.create_link(link, device_name) {
            self.note(format!("link {} exists already", link.global_key()));
            return status;
        }
        self.note(format!(
            "link {} → {device_name} (volume not processed yet)",
            link.global_key()
        ));
        if link.drive_letter().is_some() {
            for stale in self.db.remove_letters_of(&unique_id, Some(link)) {
                self.note(format!(
                    "DB: {stale} deleted: another drive letter of the same unique ID (MSDN, §4.4)"
                ));
            }
        }
        self.db.set(link, &unique_id);
        self.note(format!("DB: {link} = {}", hex_id(&unique_id)));
        self.bump_epic();
        NtStatus::SUCCESS
    }

    /// CREATE_POINT for a processed volume: at most one drive letter (§4.4, §4.7).
    fn create_point_known(&mut self, link: &SimName, index: usize, device_name: &SimName) -> NtStatus {
        let Some(volume) = self.volumes.get(index) else {
            return NtStatus::OBJECT_NAME_NOT_FOUND;
        };
        let unique_id = volume.unique_id.clone();
        let arrival_name = volume.arrival_name.clone();
        let needs_online = !volume.online;
        if link.drive_letter().is_some() {
            if let Some(letter) = volume.drive_letter() {
                self.note(format!(
                    "{device_name} already has drive letter {letter}:, and a volume has at most one (§4.4)"
                ));
                return NtStatus::INVALID_PARAMETER;
            }
        }
        if let Err(status) = self.namespace.create_link(link, device_name) {
            self.note(format!("link {} exists already", link.global_key()));
            return status;
        }
        self.db.set(link, &unique_id);
        self.note(format!(
            "link {} → {device_name}; DB: {link} = {}",
            link.global_key(),
            hex_id(&unique_id)
        ));
        if let Some(volume) = self.volumes.get_mut(index) {
            volume.links.push(link.clone());
        }
        self.send_link_created(link);
        if link.drive_letter().is_some() {
            for marker in self.db.remove_no_letter_markers(&unique_id) {
                self.note(format!("DB: marker {marker} deleted"));
            }
            // ReactOS re-posts the online notification when a letter arrives.
            let reopened = if needs_online {
                self.namespace.open(&arrival_name).ok()
            } else {
                None
            };
            if let Some(opened) = reopened {
                self.send_volume_online(&opened);
                if let Some(volume) = self.volumes.get_mut(index) {
                    volume.online = true;
                }
            }
        }
        self.bump_epic();
        NtStatus::SUCCESS
    }

    /// The records a filter selects among the processed volumes (ReactOS `MountMgrQueryPoints`,
    /// `docs/protocol.md` §4.6a), and the shape their reply takes. Memory only: ReactOS's
    /// `QueryPointsFromMemory` never reads MountedDevices (Errata 8).
    fn select_points(&mut self, filter: &Filter) -> Result<(Vec<Point>, Shape), NtStatus> {
        let point = |volume: &super::MountedVolume, link: &SimName| Point {
            link: link.clone(),
            unique_id: volume.unique_id.clone(),
            device: volume.device_name.clone(),
            online: !volume.is_offline(link),
        };
        let every =
            |volume: &super::MountedVolume| -> Vec<Point> { volume.links.iter().map(|l| point(volume, l)).collect() };
        let memory_shape = match self.config.mode {
            super::SimMode::Reactos => Shape::SharedPerDevice,
            super::SimMode::Windows => Shape::PerRecord,
        };
        match filter.selector() {
            // That link only; it takes priority. SimMode::Reactos follows
            // `QueryPointsFromSymbolicLinkName`: the link is opened first; when it leads to a
            // device, that device's entry must hold the link (else STATUS_INVALID_PARAMETER); when
            // it does not open (a dangling link after a crash), the entries are searched for it.
            // SimMode::Windows searches the entries directly. Unknown → STATUS_OBJECT_NAME_NOT_FOUND.
            Selector::Link(wanted) => {
                let wanted = wanted.clone();
                let link_shape = match self.config.mode {
                    super::SimMode::Reactos => Shape::OneLink,
                    super::SimMode::Windows => Shape::PerRecord,
                };
                let opened = match self.config.mode {
                    super::SimMode::Reactos => self.namespace.open(&wanted).ok(),
                    super::SimMode::Windows => None,
                };
                if let Some(opened) = opened {
                    let reported = self.query_device_name(&opened)?;
                    let volume = self
                        .volumes
                        .iter()
                        .find(|v| v.device_name == reported)
                        .ok_or(NtStatus::INVALID_PARAMETER)?;
                    return volume
                        .links
                        .iter()
                        .find(|l| **l == wanted)
                        .map(|l| (Vec::from([point(volume, l)]), link_shape))
                        .ok_or(NtStatus::INVALID_PARAMETER);
                }
                self.volumes
                    .iter()
                    .find_map(|v| v.links.iter().find(|l| **l == wanted).map(|l| Vec::from([point(v, l)])))
                    .map(|points| (points, link_shape))
                    .ok_or(NtStatus::OBJECT_NAME_NOT_FOUND)
            }
            // Every link of the first volume with that unique ID (ReactOS `QueryPointsFromMemory`
            // stops at the first match); none → STATUS_INVALID_PARAMETER.
            Selector::UniqueId(id) => self
                .volumes
                .iter()
                .find(|v| v.unique_id == id)
                .map(|v| (every(v), memory_shape))
                .ok_or(NtStatus::INVALID_PARAMETER),
            // Every link of that device. ReactOS `QueryPointsFromMemory` opens the named device and
            // asks its name first (`QueryDeviceInformation`): after `IoDeleteDevice` the request
            // fails with the open's status (STATUS_OBJECT_NAME_NOT_FOUND) and selects nothing
            // (Errata 7); a device not in the list → STATUS_INVALID_PARAMETER.
            Selector::Device(name) => {
                let name = name.clone();
                let opened = self.namespace.open(&name).inspect_err(|_| {
                    self.note(format!("{name} cannot be opened: nothing selected"));
                })?;
                let reported = self.query_device_name(&opened)?;
                self.volumes
                    .iter()
                    .find(|v| v.device_name == reported)
                    .map(|v| (every(v), memory_shape))
                    .ok_or(NtStatus::INVALID_PARAMETER)
            }
            Selector::All => Ok((self.volumes.iter().flat_map(every).collect(), memory_shape)),
        }
    }

    /// Input and output checks shared by the three requests (§3.4, §4.6a): the filter, then an
    /// output of at least `sizeof(MOUNTMGR_MOUNT_POINTS)` = 32 bytes.
    fn points_request(input: &[u8], out: &[u8]) -> Result<Filter, NtStatus> {
        let filter = parse_filter(input)?;
        if out.len() < MountPointsHeader::C_SIZEOF {
            return Err(NtStatus::INVALID_PARAMETER);
        }
        Ok(filter)
    }

    /// The part QUERY_POINTS, DELETE_POINTS and DELETE_POINTS_DBONLY share (ReactOS
    /// `MountMgrDeletePoints` and `MountMgrDeletePointsDbOnly` both call `MountMgrQueryPoints`):
    /// check the request, select, and write the `MOUNTMGR_MOUNT_POINTS` answer (or its overflow
    /// header, §3.4). `Err` is the error reply when nothing could be selected or laid out.
    fn answer_points(&mut self, input: &[u8], out: &mut [u8]) -> Result<PointsAnswer, Reply> {
        let filter = Self::points_request(input, out).map_err(Reply::error)?;
        let (points, shape) = self.select_points(&filter).map_err(Reply::error)?;
        let reply = layout_points(&points, shape).map_err(Reply::error)?;
        let written = write_points(out, &reply, points.len());
        Ok(PointsAnswer {
            filter,
            points,
            needed: reply.len(),
            written,
        })
    }

    /// IOCTL_MOUNTMGR_QUERY_POINTS (ReactOS `MountMgrQueryPoints`, §4.6a, §3.4).
    pub(crate) fn ioctl_query_points(&mut self, input: &[u8], out: &mut [u8]) -> Reply {
        match self.answer_points(input, out) {
            Ok(answer) => answer.written,
            Err(reply) => reply,
        }
    }

    /// IOCTL_MOUNTMGR_DELETE_POINTS (ReactOS `MountMgrDeletePoints`, §4.6): selects like QUERY_POINTS, answers with what it
    /// deletes, and deletes nothing when that answer does not fit (§3.4).
    pub(crate) fn ioctl_delete_points(&mut self, input: &[u8], out: &mut [u8]) -> Reply {
        let PointsAnswer {
            filter,
            points,
            needed,
            written,
        } = match self.answer_points(input, out) {
            Ok(answer) => answer,
            Err(reply) => return reply,
        };
        if written.status != NtStatus::SUCCESS {
            self.note(format!(
                "the answer needs {needed} bytes, the output has {}: nothing deleted (§3.4)",
                out.len()
            ));
            return written;
        }
        let by_link = matches!(filter.selector(), Selector::Link(_));
        let mut touched: Vec<Vec<u8>> = Vec::new();
        for point in &points {
            self.delete_point(point, by_link);
            if !touched.contains(&point.unique_id) {
                touched.push(point.unique_id.clone());
            }
        }
        if !by_link {
            // ReactOS `MountMgrDeletePoints`: without a symbolic link in the filter the volume's
            // `#{GUID}` markers go too (`DeleteNoDriveLetterEntry`).
            for unique_id in &touched {
                for marker in self.db.remove_no_letter_markers(unique_id) {
                    self.note(format!("DB: marker {marker} deleted"));
                }
                // SimMode::Windows: later arrivals of this unique ID are ignored (VeraCrypt
                // `Ntdriver.c` `MountManagerUnmount`, `docs/protocol.md` Errata 5).
                if self.config.mode == super::SimMode::Windows && !self.ignored_ids.contains(unique_id) {
                    self.note(format!(
                        "unique ID {} deleted by a filter other than a symbolic link: later arrivals of it are \
                         ignored (Windows, VeraCrypt MountManagerUnmount)",
                        hex_id(unique_id)
                    ));
                    self.ignored_ids.push(unique_id.clone());
                }
            }
        }
        if !points.is_empty() {
            self.bump_epic();
        }
        written
    }

    /// Deletes one selected link: the `\GLOBAL??` link, the database value, the entry's record,
    /// then LINK_DELETED to the volume. A drive letter deleted by naming it leaves a `#{GUID}`
    /// "no drive letter" marker (MSDN, §4.6), so the next arrival gets no automatic letter.
    fn delete_point(&mut self, point: &Point, by_link: bool) {
        self.namespace.delete_link(&point.link);
        self.db.remove(&point.link);
        self.note(format!(
            "link {} deleted; DB: {} deleted",
            point.link.global_key(),
            point.link
        ));
        let mut arrival_name = None;
        if let Some(volume) = self.volumes.iter_mut().find(|v| v.device_name == point.device) {
            volume.forget_link(&point.link);
            arrival_name = Some(volume.arrival_name.clone());
        }
        if by_link && point.link.drive_letter().is_some() {
            let guid = self.guids.next_guid();
            if let Some(marker) = self.db.add_no_letter_marker(&point.unique_id, guid) {
                self.note(format!(
                    "DB: marker {marker} recorded: no automatic letter for this volume any more (MSDN, §4.6)"
                ));
            }
        }
        if let Some(name) = arrival_name {
            self.send_link_deleted(&name, &point.link);
        }
    }

    /// IOCTL_MOUNTMGR_DELETE_POINTS_DBONLY (ReactOS `MountMgrDeletePointsDbOnly`): selects like
    /// QUERY_POINTS, from memory (`docs/protocol.md` Errata 8); each selected link's database
    /// value is deleted and the link is marked offline in the entry
    /// (`DeleteSymbolicLinkNameFromMemory` with `DbOnly`), while `\GLOBAL??` keeps it. When the
    /// only selected link is a drive letter a `#{GUID}` marker takes its place.
    pub(crate) fn ioctl_delete_points_db_only(&mut self, input: &[u8], out: &mut [u8]) -> Reply {
        let PointsAnswer { points, written, .. } = match self.answer_points(input, out) {
            Ok(answer) => answer,
            Err(reply) => return reply,
        };
        if written.status != NtStatus::SUCCESS {
            self.note("the answer does not fit: nothing deleted (§3.4)".into());
            return written;
        }
        let lone_letter = match points.as_slice() {
            [only] if only.link.drive_letter().is_some() => Some(only.unique_id.clone()),
            _ => None,
        };
        if let Some(unique_id) = lone_letter {
            let guid = self.guids.next_guid();
            if let Some(marker) = self.db.add_no_letter_marker(&unique_id, guid) {
                self.note(format!("DB: marker {marker} recorded"));
            }
        }
        for point in &points {
            self.db.remove(&point.link);
            if let Some(volume) = self.volumes.iter_mut().find(|v| v.device_name == point.device) {
                volume.mark_offline(&point.link);
            }
            self.note(format!(
                "DB: {} deleted; the link stays in {} and is marked offline (database only)",
                point.link,
                point.link.global_key()
            ));
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_overflow() {
        let points = [Point {
            link: SimName::new("\\DosDevices\\C:"),
            unique_id: b"/\0\0\0".to_vec(),
            device: SimName::new("\\Device\\HarddiskVolume1"),
            online: true,
        }];
        let reply = layout_points(&points, Shape::PerRecord).unwrap();
        // 8 + 24 + 28 + 4 + 46 = 110, Wine's reply for the same point (toolchain.md §5.4).
        assert_eq!(reply.len(), 110);
        assert_eq!(&reply[..8], &[110, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&reply[8..14], &[32, 0, 0, 0, 28, 0]);
        let mut small = [0xAA; 40];
        let r = write_points(&mut small, &reply, 1);
        assert_eq!(r, Reply::new(NtStatus::BUFFER_OVERFLOW, 32));
        assert_eq!(&small[..8], &[110, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&small[32..], &[0xAA; 8]);
        let mut big = [0u8; 200];
        assert_eq!(write_points(&mut big, &reply, 1), Reply::success(110));
        assert_eq!(layout_points(&[], Shape::PerRecord).unwrap().len(), 8);
    }
}
