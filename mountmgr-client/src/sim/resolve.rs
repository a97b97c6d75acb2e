//! What Win32 answers on top of the mount manager: `GetVolumeNameForVolumeMountPoint`
//! ([`Sim::volume_name_for_mount_point`], [`Sim::resolve_drive_letter`]) and
//! `GetVolumePathNamesForVolumeName` ([`Sim::volume_paths`]).
//!
//! The path follows ReactOS's kernel32 (`mntpoint.c`, `protocol.md` §7 last paragraphs): open the
//! volume by its letter, ask the *volume* for its device name (IOCTL_MOUNTDEV_QUERY_DEVICE_NAME),
//! then ask the mount manager (QUERY_POINTS by that device name) and pick the `\??\Volume{…}`
//! entry. When the mount manager does not know the device the call fails with
//! `ERROR_INVALID_PARAMETER`: the failure behind the CryptDisk field report's database file (§0.1),
//! and behind Java's and Win32's path APIs on volumes that bypass the mount manager (§7.3).

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use mountdev::ioctl::{
    IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS, IOCTL_MOUNTMGR_QUERY_POINTS,
};
use mountdev::layout::{MountPoint, MountPointsHeader, MountdevName, VolumePathsHeader, bytes_at};
use mountdev::{NtStatus, VolumeGuidName};
use zerocopy::FromBytes;

use super::describe::multi_sz_strings;
use super::{Party, Sim, SimName};

/// kernel32's output for QUERY_DEVICE_NAME: `MOUNTDEV_NAME` followed by `MAX_PATH` characters.
const WIN32_DEVICE_NAME_BUFFER: usize = MountdevName::C_SIZEOF + 2 * 260;
/// How many times a reply that asks for a bigger buffer is retried.
const MAX_RETRIES: usize = 8;

/// `ERROR_FILE_NOT_FOUND`.
const ERROR_FILE_NOT_FOUND: u32 = 2;
/// `ERROR_INVALID_DATA`.
const ERROR_INVALID_DATA: u32 = 13;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;
/// `ERROR_INVALID_NAME`.
const ERROR_INVALID_NAME: u32 = 123;

/// Where a drive letter leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The drive letter.
    pub letter: char,
    /// The volume GUID path as Win32 returns it: `\\?\Volume{…}\`.
    pub volume_name: String,
    /// The device the volume GUID name leads to.
    pub device_name: SimName,
}

/// Why a Win32 volume-name call failed, with the Win32 error it would report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveError {
    /// The path is not a drive root (`X:\`) or a volume GUID path.
    InvalidPath {
        /// The path given.
        path: String,
    },
    /// The volume could not be opened (no such link, a dangling link, an initializing device).
    Open {
        /// The NT name opened.
        name: SimName,
        /// The open's status.
        status: NtStatus,
    },
    /// The volume did not answer IOCTL_MOUNTDEV_QUERY_DEVICE_NAME.
    DeviceName {
        /// The device opened.
        device: SimName,
        /// The status it answered.
        status: NtStatus,
    },
    /// The mount manager does not know the device: QUERY_POINTS failed (`ERROR_INVALID_PARAMETER`).
    UnknownToMountManager {
        /// The device name the volume reported.
        device: SimName,
        /// QUERY_POINTS's status.
        status: NtStatus,
    },
    /// The mount manager knows the device but has no volume GUID name for it
    /// (`ERROR_INVALID_PARAMETER`).
    NoVolumeName {
        /// The device name the volume reported.
        device: SimName,
    },
    /// QUERY_DOS_VOLUME_PATHS failed.
    Paths {
        /// Its status.
        status: NtStatus,
    },
    /// A reply that does not parse.
    MalformedReply,
}

impl ResolveError {
    /// The Win32 error code the API would set (`GetLastError`), per kernel32's choices and the
    /// usual `RtlNtStatusToDosError` mapping of `protocol.md` §6.
    pub fn win32_error(&self) -> u32 {
        match self {
            Self::InvalidPath { .. } => ERROR_INVALID_NAME,
            Self::Open { status, .. } | Self::DeviceName { status, .. } | Self::Paths { status } => {
                win32_from_status(*status)
            }
            Self::UnknownToMountManager { .. } | Self::NoVolumeName { .. } => ERROR_INVALID_PARAMETER,
            Self::MalformedReply => ERROR_INVALID_DATA,
        }
    }
}

/// `RtlNtStatusToDosError` for the statuses `protocol.md` §6 lists with a Win32 value; others
/// give `ERROR_MR_MID_NOT_FOUND` (317), as the real function does for unmapped statuses.
fn win32_from_status(status: NtStatus) -> u32 {
    match status {
        NtStatus::SUCCESS => 0,
        NtStatus::INVALID_DEVICE_REQUEST | NtStatus::NOT_IMPLEMENTED => 1,
        NtStatus::OBJECT_NAME_NOT_FOUND => ERROR_FILE_NOT_FOUND,
        NtStatus::OBJECT_PATH_NOT_FOUND => 3,
        NtStatus::ACCESS_DENIED | NtStatus::DELETE_PENDING => 5,
        NtStatus::MEDIA_WRITE_PROTECTED => 19,
        NtStatus::NO_MEDIA_IN_DEVICE | NtStatus::DEVICE_NOT_READY => 21,
        NtStatus::INFO_LENGTH_MISMATCH => 24,
        NtStatus::UNSUCCESSFUL => 31,
        NtStatus::NOT_SUPPORTED => 50,
        NtStatus::INVALID_PARAMETER => ERROR_INVALID_PARAMETER,
        NtStatus::BUFFER_TOO_SMALL => 122,
        NtStatus::OBJECT_NAME_INVALID => ERROR_INVALID_NAME,
        NtStatus::OBJECT_NAME_COLLISION => 183,
        NtStatus::BUFFER_OVERFLOW => 234,
        NtStatus::CANCELLED => 995,
        NtStatus::UNRECOGNIZED_VOLUME => 1005,
        NtStatus::NOT_FOUND => 1168,
        _ => 317,
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPath { path } => write!(f, "{path:?} is not a drive root or a volume GUID path"),
            Self::Open { name, status } => write!(f, "cannot open {name}: {}", super::describe::status_text(*status)),
            Self::DeviceName { device, status } => write!(
                f,
                "{device} did not answer IOCTL_MOUNTDEV_QUERY_DEVICE_NAME: {}",
                super::describe::status_text(*status)
            ),
            Self::UnknownToMountManager { device, status } => write!(
                f,
                "the mount manager does not know {device} (QUERY_POINTS: {}); Win32 reports ERROR_INVALID_PARAMETER",
                super::describe::status_text(*status)
            ),
            Self::NoVolumeName { device } => write!(f, "the mount manager has no volume GUID name for {device}"),
            Self::Paths { status } => write!(
                f,
                "QUERY_DOS_VOLUME_PATHS failed: {}",
                super::describe::status_text(*status)
            ),
            Self::MalformedReply => f.write_str("a reply did not parse"),
        }
    }
}

impl core::error::Error for ResolveError {}

/// The drive letter of a root path `X:\` (any case, as kernel32 upper-cases it).
fn drive_root(path: &str) -> Option<char> {
    let mut chars = path.chars();
    match (chars.next(), chars.next(), chars.next(), chars.next()) {
        (Some(letter), Some(':'), Some('\\'), None) if letter.is_ascii_alphabetic() => {
            Some(letter.to_ascii_uppercase())
        }
        _ => None,
    }
}

/// The NT volume name `\??\Volume{…}` for `\\?\Volume{…}\`, `\\?\Volume{…}` or `\??\Volume{…}`.
fn nt_volume_name(path: &str) -> Option<SimName> {
    let trimmed = path.strip_suffix('\\').unwrap_or(path);
    let rest = trimmed
        .strip_prefix("\\\\?\\")
        .or_else(|| trimmed.strip_prefix("\\??\\"))?;
    let name = SimName::new(&format!("\\??\\{rest}"));
    name.as_nt()
        .is_some_and(|nt| VolumeGuidName::parse(nt).is_ok())
        .then_some(name)
}

/// The first `\??\Volume{…}` link of a complete `MOUNTMGR_MOUNT_POINTS` reply.
fn volume_name_in(reply: &[u8]) -> Option<SimName> {
    let (header, _) = MountPointsHeader::read_from_prefix(reply).ok()?;
    let count = usize::try_from(header.number_of_mount_points.get()).ok()?;
    let records = reply.get(MountPointsHeader::HEADER_SIZE..)?;
    records
        .chunks_exact(MountPoint::C_SIZEOF)
        .take(count)
        .filter_map(|chunk| MountPoint::read_from_prefix(chunk).ok().map(|(point, _)| point))
        .filter_map(|point| {
            let offset = usize::try_from(point.symbolic_link_name_offset.get()).ok()?;
            let bytes = bytes_at(reply, offset, point.symbolic_link_name_length.get().into()).ok()?;
            SimName::from_le_bytes(bytes)
        })
        .find(|link| link.as_nt().is_some_and(|nt| VolumeGuidName::parse(nt).is_ok()))
}

impl Sim {
    /// `GetVolumeNameForVolumeMountPoint("X:\")`: the volume GUID path `\\?\Volume{…}\` of the
    /// volume at a drive root, found the way kernel32 finds it (see the module docs). Every
    /// request it makes is in the trace, marked `Win32`.
    ///
    /// # Errors
    /// [`ResolveError`]: notably [`ResolveError::UnknownToMountManager`] and
    /// [`ResolveError::NoVolumeName`] (both `ERROR_INVALID_PARAMETER`) when the mount manager has
    /// no record of the volume.
    pub fn volume_name_for_mount_point(&mut self, root: &str) -> Result<String, ResolveError> {
        let letter = drive_root(root).ok_or_else(|| ResolveError::InvalidPath { path: root.into() })?;
        let volume = SimName::new(&format!("\\??\\{letter}:"));
        let opened = match self.namespace.open(&volume) {
            Ok(opened) => opened,
            Err(status) => {
                self.note(format!(
                    "Win32: cannot open {volume} ({})",
                    super::describe::status_text(status)
                ));
                return Err(ResolveError::Open { name: volume, status });
            }
        };
        // kernel32 asks the volume, with room for MAX_PATH characters and no probe.
        let (reply, out) = self.call_device_as(
            Party::Win32,
            &opened,
            IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
            &[],
            WIN32_DEVICE_NAME_BUFFER,
        );
        if reply.status != NtStatus::SUCCESS {
            return Err(ResolveError::DeviceName {
                device: opened.name,
                status: reply.status,
            });
        }
        let device = MountdevName::parse(&out)
            .ok()
            .and_then(|name| {
                SimName::from_le_bytes(
                    bytes_at(&out, MountdevName::HEADER_SIZE, name.name.len().saturating_mul(2)).ok()?,
                )
            })
            .ok_or(ResolveError::MalformedReply)?;
        // QUERY_POINTS by that device name, probing with sizeof(MOUNTMGR_MOUNT_POINTS).
        let mut filter = vec![0u8; MountPoint::C_SIZEOF];
        let length = u16::try_from(device.byte_len()).map_err(|_| ResolveError::MalformedReply)?;
        if let Some(fields) = filter.get_mut(16..22) {
            fields.copy_from_slice(&[24, 0, 0, 0, length.to_le_bytes()[0], length.to_le_bytes()[1]]);
        }
        filter.extend_from_slice(device.as_le_bytes());
        let points = self
            .win32_variable_request(IOCTL_MOUNTMGR_QUERY_POINTS, &filter, MountPointsHeader::C_SIZEOF)
            .map_err(|status| ResolveError::UnknownToMountManager {
                device: device.clone(),
                status,
            })?;
        let name = volume_name_in(&points).ok_or(ResolveError::NoVolumeName { device })?;
        // `\??\Volume{…}` → `\\?\Volume{…}\`.
        let text = name.text();
        let rest = text.get(4..).ok_or(ResolveError::MalformedReply)?;
        Ok(format!("\\\\?\\{rest}\\"))
    }

    /// `resolve_drive_letter('Z')`: the volume GUID path of `Z:` (as
    /// [`Sim::volume_name_for_mount_point`] finds it) and the device that name leads to in
    /// `\GLOBAL??`.
    ///
    /// # Errors
    /// As [`Sim::volume_name_for_mount_point`]; [`ResolveError::Open`] when the volume GUID name
    /// does not lead to a device that can be opened.
    pub fn resolve_drive_letter(&mut self, letter: char) -> Result<Resolution, ResolveError> {
        let volume_name = self.volume_name_for_mount_point(&format!("{letter}:\\"))?;
        let nt = nt_volume_name(&volume_name).ok_or(ResolveError::MalformedReply)?;
        let opened = self.namespace.open(&nt).map_err(|status| ResolveError::Open {
            name: nt.clone(),
            status,
        })?;
        Ok(Resolution {
            letter: letter.to_ascii_uppercase(),
            volume_name,
            device_name: opened.name,
        })
    }

    /// `GetVolumePathNamesForVolumeName`: the DOS paths (`Z:\`) of a volume given by its GUID path
    /// (`\\?\Volume{…}\` or `\??\Volume{…}`), from IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS.
    ///
    /// # Errors
    /// [`ResolveError::InvalidPath`] for a name that is not a volume GUID path,
    /// [`ResolveError::Paths`] when the mount manager refuses.
    pub fn volume_paths(&mut self, volume_name: &str) -> Result<Vec<String>, ResolveError> {
        let name = nt_volume_name(volume_name).ok_or_else(|| ResolveError::InvalidPath {
            path: volume_name.into(),
        })?;
        let length = u16::try_from(name.byte_len()).map_err(|_| ResolveError::MalformedReply)?;
        let mut input = Vec::from(length.to_le_bytes());
        input.extend_from_slice(name.as_le_bytes());
        let reply = self
            .win32_variable_request(IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS, &input, 64)
            .map_err(|status| ResolveError::Paths { status })?;
        let (header, _) = VolumePathsHeader::read_from_prefix(&reply).map_err(|_| ResolveError::MalformedReply)?;
        let length = usize::try_from(header.multi_sz_length.get()).map_err(|_| ResolveError::MalformedReply)?;
        let multi_sz =
            bytes_at(&reply, VolumePathsHeader::HEADER_SIZE, length).map_err(|_| ResolveError::MalformedReply)?;
        // kernel32 appends the backslash the mount manager leaves off a drive letter (`Z:` → `Z:\`,
        // `docs/protocol.md` Errata 2); folder paths already end with one.
        Ok(multi_sz_strings(multi_sz)
            .into_iter()
            .map(|mut path| {
                if !path.ends_with('\\') {
                    path.push('\\');
                }
                path
            })
            .collect())
    }

    /// A Win32 request to the mount manager whose reply starts with a `u32` size: starting with
    /// `first` bytes, retried with the size asked for while the answer is
    /// `STATUS_BUFFER_OVERFLOW`. `QUERY_POINTS`' `Size` counts the whole reply;
    /// `QUERY_DOS_VOLUME_PATHS`' `MultiSzLength` counts what follows its 4-byte header.
    fn win32_variable_request(&mut self, code: u32, input: &[u8], first: usize) -> Result<Vec<u8>, NtStatus> {
        let mut size = first;
        for _ in 0..MAX_RETRIES {
            let mut out = vec![0u8; size];
            let reply = self.mm_request(Party::Win32, code, input, &mut out);
            match reply.status {
                NtStatus::SUCCESS => {
                    out.truncate(reply.information);
                    return Ok(out);
                }
                NtStatus::BUFFER_OVERFLOW => {
                    let announced = match out.get(..4) {
                        Some([a, b, c, d]) => {
                            usize::try_from(u32::from_le_bytes([*a, *b, *c, *d])).unwrap_or(usize::MAX)
                        }
                        _ => return Err(NtStatus::BUFFER_OVERFLOW),
                    };
                    let wanted = if code == IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATHS {
                        announced.saturating_add(VolumePathsHeader::HEADER_SIZE)
                    } else {
                        announced
                    };
                    if wanted <= size {
                        return Err(NtStatus::BUFFER_OVERFLOW);
                    }
                    size = wanted;
                }
                status => return Err(status),
            }
        }
        Err(NtStatus::BUFFER_OVERFLOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes() {
        assert_eq!(drive_root("z:\\"), Some('Z'));
        assert_eq!(drive_root("Z:"), None);
        assert_eq!(drive_root("1:\\"), None);
        let nt = nt_volume_name("\\\\?\\Volume{00000000-0000-0000-0000-00000000005a}\\").unwrap();
        assert_eq!(nt, SimName::new("\\??\\Volume{00000000-0000-0000-0000-00000000005a}"));
        assert!(nt_volume_name("\\??\\Volume{00000000-0000-0000-0000-00000000005a}").is_some());
        assert!(nt_volume_name("C:\\").is_none());
        assert_eq!(
            ResolveError::NoVolumeName {
                device: SimName::new("\\Device\\X")
            }
            .win32_error(),
            87
        );
    }
}
