//! IOCTL_MOUNTMGR_QUERY_DOS_VOLUME_PATH and QUERY_DOS_VOLUME_PATHS (`protocol.md` §2.16, §3.4).

use alloc::vec::Vec;

use mountdev::layout::VolumePathsHeader;
use mountdev::{NtStatus, Reply};

use super::Sim;
use super::arrival::parse_target_name;

/// Which of the two requests.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathsKind {
    /// QUERY_DOS_VOLUME_PATH: one path, the drive letter (`Z:`) or else the volume GUID path
    /// (`\\?\Volume{…}`), as ReactOS builds it for `GetFinalPathNameByHandle`.
    One,
    /// QUERY_DOS_VOLUME_PATHS: every DOS path; a drive letter as `Z:` without a backslash
    /// (ReactOS `MountMgrQueryVolumePaths`; kernel32's `GetVolumePathNamesForVolumeName` adds
    /// it, `docs/protocol.md` Errata 2, §2.16); a volume without a letter has none. Directory
    /// mount points are not modelled.
    All,
}

impl Sim {
    /// Both requests (ReactOS `MountMgrQueryDosVolumePath`, `MountMgrQueryDosVolumePaths`): a
    /// `MOUNTMGR_TARGET_NAME` input (§2.8 checks), an output of at least
    /// `sizeof(ULONG)` = 4 (`STATUS_INVALID_PARAMETER` otherwise, §3.4), the volume found through
    /// its device, then the MULTI_SZ: complete with `STATUS_SUCCESS` and `Information = 4 +
    /// MultiSzLength`, or `MultiSzLength` alone with `STATUS_BUFFER_OVERFLOW` and `Information` 4.
    pub(crate) fn ioctl_query_dos_volume_paths(&mut self, kind: PathsKind, input: &[u8], out: &mut [u8]) -> Reply {
        let name = match parse_target_name(input) {
            Ok(name) => name,
            Err(status) => return Reply::error(status),
        };
        if out.len() < VolumePathsHeader::HEADER_SIZE {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        }
        let index = match self.find_volume_for(&name) {
            Ok(index) => index,
            Err(status) => return Reply::error(status),
        };
        let Some(volume) = self.volumes.get(index) else {
            return Reply::error(NtStatus::OBJECT_NAME_NOT_FOUND);
        };
        let paths: Vec<Vec<u16>> = match kind {
            PathsKind::All => volume
                .drive_letter()
                .map(|letter| alloc::format!("{letter}:").encode_utf16().collect())
                .into_iter()
                .collect(),
            PathsKind::One => match (volume.drive_letter(), volume.volume_name()) {
                (Some(letter), _) => Vec::from([alloc::format!("{letter}:").encode_utf16().collect()]),
                // `\??\Volume{…}` in the Win32 form `\\?\Volume{…}`.
                (None, Some(volume_name)) => {
                    let mut units: Vec<u16> = volume_name.units().iter().map(|u| u.get()).collect();
                    if let Some(second) = units.get_mut(1) {
                        *second = u16::from(b'\\');
                    }
                    Vec::from([units])
                }
                // ReactOS: nothing to return → STATUS_NOT_FOUND.
                (None, None) => return Reply::error(NtStatus::NOT_FOUND),
            },
        };
        write_multi_sz(out, &paths)
    }
}

/// Writes `MOUNTMGR_VOLUME_PATHS`: every path NUL-terminated, then the final NUL; `MultiSzLength`
/// counts every NUL (§2.16).
fn write_multi_sz(out: &mut [u8], paths: &[Vec<u16>]) -> Reply {
    let mut multi_sz: Vec<u8> = Vec::new();
    for path in paths {
        for unit in path.iter().chain(core::iter::once(&0)) {
            multi_sz.extend_from_slice(&unit.to_le_bytes());
        }
    }
    multi_sz.extend_from_slice(&[0, 0]);
    let Ok(length) = u32::try_from(multi_sz.len()) else {
        return Reply::error(NtStatus::INSUFFICIENT_RESOURCES);
    };
    let (head, rest) = out.split_at_mut(VolumePathsHeader::HEADER_SIZE.min(out.len()));
    if let Some(dst) = head.get_mut(..4) {
        dst.copy_from_slice(&length.to_le_bytes());
    }
    match rest.get_mut(..multi_sz.len()) {
        Some(dst) => {
            dst.copy_from_slice(&multi_sz);
            Reply::success(VolumePathsHeader::HEADER_SIZE.saturating_add(multi_sz.len()))
        }
        None => Reply::new(NtStatus::BUFFER_OVERFLOW, VolumePathsHeader::HEADER_SIZE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_sz_layout() {
        let mut out = [0u8; 16];
        let paths = [alloc::vec![u16::from(b'Z'), u16::from(b':'), u16::from(b'\\')]];
        assert_eq!(write_multi_sz(&mut out, &paths), Reply::success(14));
        assert_eq!(&out[..14], &[10, 0, 0, 0, b'Z', 0, b':', 0, b'\\', 0, 0, 0, 0, 0]);
        let mut small = [0u8; 8];
        assert_eq!(
            write_multi_sz(&mut small, &paths),
            Reply::new(NtStatus::BUFFER_OVERFLOW, 4)
        );
        assert_eq!(&small[..4], &[10, 0, 0, 0]);
        let mut empty = [0u8; 8];
        assert_eq!(write_multi_sz(&mut empty, &[]), Reply::success(6));
    }
}
