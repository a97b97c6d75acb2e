//! Structures of `mountmgr.h` sent to and returned by `\Device\MountPointManager`
//! (`protocol.md` §2.8-§2.16). Builders and validated reply parsers on top of these live in the
//! `mountmgr-client` crate.

use super::wire::wire;
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, KnownLayout};

use super::error::{LayoutError, name_at};
use super::mountdev::{counted_u16, read_u16};
use crate::name::NtName;

/// Views the fixed part `T` at the start of `buf` and the two names its `(offset, length)` pairs
/// point at (offsets from the start of `buf`): the shape of `MOUNTMGR_CREATE_POINT_INPUT` and
/// `MOUNTMGR_VOLUME_MOUNT_POINT`.
fn fixed_with_two_names<T>(
    buf: &[u8],
    pairs: impl FnOnce(&T) -> [(U16, U16); 2],
) -> Result<(&T, NtName<'_>, NtName<'_>), LayoutError>
where
    T: FromBytes + KnownLayout + Immutable,
{
    let (fixed, _) = T::ref_from_prefix(buf).map_err(|_| LayoutError::Short {
        needed: core::mem::size_of::<T>(),
        available: buf.len(),
    })?;
    let [(first_offset, first_length), (second_offset, second_length)] = pairs(fixed);
    let first = name_at(buf, first_offset.get().into(), first_length.get().into())?;
    let second = name_at(buf, second_offset.get().into(), second_length.get().into())?;
    Ok((fixed, first, second))
}

wire! {
    /// `MOUNTMGR_TARGET_NAME` (and the identically shaped `MOUNTMGR_DRIVE_LETTER_TARGET`): a counted
    /// device name, the input of `VOLUME_ARRIVAL_NOTIFICATION`, `QUERY_DOS_VOLUME_PATH(S)`,
    /// `KEEP_LINKS_WHEN_OFFLINE`, `PREPARE/CANCEL_VOLUME_DELETE` and `NEXT_DRIVE_LETTER`.
    ///
    /// ```
    /// use mountdev::layout::TargetName;
    /// let input = [2, 0, b'X', 0];
    /// assert_eq!(TargetName::parse(&input).unwrap().device_name().unwrap(), "X");
    /// ```
    pub struct TargetName: "MOUNTMGR_TARGET_NAME" | "MOUNTMGR_DRIVE_LETTER_TARGET" {
        /// `DeviceNameLength` in bytes, no terminator.
        pub device_name_length: U16 = 0, "DeviceNameLength";
    }
    tail {
        /// `DeviceName`.
        pub device_name: [U16] = 2, "DeviceName";
    }
    header TargetNameHeader;
}

impl TargetName {
    /// Views `buf` after checking `DeviceNameLength` fits.
    ///
    /// # Errors
    /// [`LayoutError::Short`] or [`LayoutError::Odd`].
    pub fn parse(buf: &[u8]) -> Result<&Self, LayoutError> {
        let length = usize::from(read_u16(buf, 0)?);
        counted_u16::<Self>(buf, Self::HEADER_SIZE, length)
    }

    /// The device name, validated.
    ///
    /// # Errors
    /// [`crate::NameError`].
    pub fn device_name(&self) -> Result<NtName<'_>, crate::NameError> {
        NtName::new(&self.device_name)
    }
}

wire! {
    /// `MOUNTMGR_CREATE_POINT_INPUT`: a link name and a device name, by offset from the start of the
    /// input buffer.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct CreatePointInput: "MOUNTMGR_CREATE_POINT_INPUT" {
        /// `SymbolicLinkNameOffset`.
        pub symbolic_link_name_offset: U16 = 0, "SymbolicLinkNameOffset";
        /// `SymbolicLinkNameLength` in bytes.
        pub symbolic_link_name_length: U16 = 2, "SymbolicLinkNameLength";
        /// `DeviceNameOffset`.
        pub device_name_offset: U16 = 4, "DeviceNameOffset";
        /// `DeviceNameLength` in bytes.
        pub device_name_length: U16 = 6, "DeviceNameLength";
    }
}

impl CreatePointInput {
    /// Parses a whole `CREATE_POINT` input: the fixed part, the link name and the device name.
    ///
    /// ```
    /// use mountdev::layout::CreatePointInput;
    /// let mut input = vec![8, 0, 2, 0, 10, 0, 2, 0];
    /// input.extend_from_slice(&[b'L', 0, b'D', 0]);
    /// let (_, link, device) = CreatePointInput::parse(&input).unwrap();
    /// assert_eq!((link.to_string(), device.to_string()), ("L".into(), "D".into()));
    /// ```
    ///
    /// # Errors
    /// [`LayoutError`] for a short buffer, a range outside it, an odd length or a bad name.
    pub fn parse(buf: &[u8]) -> Result<(&Self, NtName<'_>, NtName<'_>), LayoutError> {
        fixed_with_two_names(buf, |fixed: &Self| {
            [
                (fixed.symbolic_link_name_offset, fixed.symbolic_link_name_length),
                (fixed.device_name_offset, fixed.device_name_length),
            ]
        })
    }
}

wire! {
    /// `MOUNTMGR_MOUNT_POINT`: a filter (input of `QUERY_POINTS` / `DELETE_POINTS`) or one record of
    /// a `MOUNTMGR_MOUNT_POINTS` reply. Offsets count from the start of the buffer that holds it.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct MountPoint: "MOUNTMGR_MOUNT_POINT" {
        /// `SymbolicLinkNameOffset`.
        pub symbolic_link_name_offset: U32 = 0, "SymbolicLinkNameOffset";
        /// `SymbolicLinkNameLength` in bytes (0: no filter / no link).
        pub symbolic_link_name_length: U16 = 4, "SymbolicLinkNameLength";
        /// `Reserved1`.
        pub reserved1: U16 = 6;
        /// `UniqueIdOffset`.
        pub unique_id_offset: U32 = 8, "UniqueIdOffset";
        /// `UniqueIdLength` in bytes.
        pub unique_id_length: U16 = 12, "UniqueIdLength";
        /// `Reserved2`.
        pub reserved2: U16 = 14;
        /// `DeviceNameOffset`.
        pub device_name_offset: U32 = 16, "DeviceNameOffset";
        /// `DeviceNameLength` in bytes.
        pub device_name_length: U16 = 20, "DeviceNameLength";
        /// `Reserved3`.
        pub reserved3: U16 = 22;
    }
}

wire! {
    /// The fixed part of `MOUNTMGR_MOUNT_POINTS`; `NumberOfMountPoints` records of [`MountPoint`]
    /// follow, then the names and IDs they point at.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct MountPointsHeader: "MOUNTMGR_MOUNT_POINTS" {
        /// `Size`: bytes of the complete answer.
        pub size: U32 = 0, "Size";
        /// `NumberOfMountPoints`.
        pub number_of_mount_points: U32 = 4, "NumberOfMountPoints";
    }
    tail { "MountPoints": [MountPoint] = 8 }
}

wire! {
    /// `MOUNTMGR_DRIVE_LETTER_INFORMATION`: the `NEXT_DRIVE_LETTER` output.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct DriveLetterInformation: "MOUNTMGR_DRIVE_LETTER_INFORMATION" {
        /// `DriveLetterWasAssigned` (`BOOLEAN`).
        pub drive_letter_was_assigned: u8 = 0, "DriveLetterWasAssigned";
        /// `CurrentDriveLetter` (ASCII; 0 when none).
        pub current_drive_letter: u8 = 1, "CurrentDriveLetter";
    }
}

wire! {
    /// `MOUNTMGR_VOLUME_MOUNT_POINT`: the input of `VOLUME_MOUNT_POINT_CREATED/DELETED`.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct VolumeMountPoint: "MOUNTMGR_VOLUME_MOUNT_POINT" {
        /// `SourceVolumeNameOffset`.
        pub source_volume_name_offset: U16 = 0, "SourceVolumeNameOffset";
        /// `SourceVolumeNameLength`.
        pub source_volume_name_length: U16 = 2, "SourceVolumeNameLength";
        /// `TargetVolumeNameOffset`.
        pub target_volume_name_offset: U16 = 4, "TargetVolumeNameOffset";
        /// `TargetVolumeNameLength`.
        pub target_volume_name_length: U16 = 6, "TargetVolumeNameLength";
    }
}

impl VolumeMountPoint {
    /// Parses the fixed part and both names.
    ///
    /// # Errors
    /// [`LayoutError`].
    pub fn parse(buf: &[u8]) -> Result<(&Self, NtName<'_>, NtName<'_>), LayoutError> {
        fixed_with_two_names(buf, |fixed: &Self| {
            [
                (fixed.source_volume_name_offset, fixed.source_volume_name_length),
                (fixed.target_volume_name_offset, fixed.target_volume_name_length),
            ]
        })
    }
}

wire! {
    /// `MOUNTMGR_CHANGE_NOTIFY_INFO`: the epic number.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct ChangeNotifyInfo: "MOUNTMGR_CHANGE_NOTIFY_INFO" {
        /// `EpicNumber`.
        pub epic_number: U32 = 0, "EpicNumber";
    }
}

wire! {
    /// `MOUNTMGR_QUERY_AUTO_MOUNT` / `MOUNTMGR_SET_AUTO_MOUNT`: one `MOUNTMGR_AUTO_MOUNT_STATE`.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct AutoMount: "MOUNTMGR_QUERY_AUTO_MOUNT" | "MOUNTMGR_SET_AUTO_MOUNT" {
        /// `CurrentState` / `NewState`: 0 disabled, 1 enabled.
        pub state: U32 = 0;
    }
}

impl AutoMount {
    /// `Disabled`.
    pub const DISABLED: u32 = 0;
    /// `Enabled`.
    pub const ENABLED: u32 = 1;
}

wire! {
    /// The fixed part of `MOUNTMGR_VOLUME_PATHS`; `MultiSzLength` bytes of NUL-separated,
    /// double-NUL-terminated UTF-16 paths follow (the one NUL-terminated structure of the protocol).
    #[derive(Clone, Copy, Debug, Default)]
    pub struct VolumePathsHeader: "MOUNTMGR_VOLUME_PATHS" {
        /// `MultiSzLength` in bytes, including every NUL.
        pub multi_sz_length: U32 = 0, "MultiSzLength";
    }
    tail { "MultiSz": [U16] = 4 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    #[test]
    fn fixed_sizes_and_offsets() {
        assert_eq!(size_of::<CreatePointInput>(), CreatePointInput::C_SIZEOF);
        assert_eq!(size_of::<MountPoint>(), MountPoint::C_SIZEOF);
        assert_eq!(offset_of!(MountPoint, unique_id_offset), 8);
        assert_eq!(offset_of!(MountPoint, device_name_length), 20);
        assert_eq!(size_of::<MountPointsHeader>(), MountPointsHeader::HEADER_SIZE);
        assert_eq!(size_of::<DriveLetterInformation>(), 2);
        assert_eq!(size_of::<VolumeMountPoint>(), 8);
        assert_eq!(size_of::<ChangeNotifyInfo>(), 4);
        assert_eq!(size_of::<AutoMount>(), 4);
    }

    #[test]
    fn create_point_rejects_bad_ranges() {
        assert!(CreatePointInput::parse(&[8, 0, 2, 0, 10, 0]).is_err());
        let input = [8u8, 0, 2, 0, 10, 0, 4, 0, b'L', 0, b'D', 0];
        assert!(matches!(
            CreatePointInput::parse(&input),
            Err(LayoutError::OutOfBounds { .. })
        ));
        let odd = [8u8, 0, 3, 0, 10, 0, 2, 0, b'L', 0, b'D', 0];
        assert_eq!(
            CreatePointInput::parse(&odd).map(|_| ()),
            Err(LayoutError::Odd { value: 3 })
        );
    }

    #[test]
    fn target_name_checks_its_length() {
        assert!(TargetName::parse(&[4, 0, b'A', 0]).is_err());
        assert!(TargetName::parse(&[1, 0, b'A', 0]).is_err());
        assert!(TargetName::parse(&[0]).is_err());
    }
}
