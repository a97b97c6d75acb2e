//! Structures of `mountdev.h` / `mountmgr.h` that travel between the mount manager and a volume:
//! replies to `IOCTL_MOUNTDEV_QUERY_*` and inputs of `LINK_CREATED` / `LINK_DELETED` /
//! `UNIQUE_ID_CHANGE_NOTIFY` (`protocol.md` §2.3-§2.7).

use super::wire::wire;
use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, KnownLayout};

use super::error::{LayoutError, bytes_at};
use crate::name::{GuidWire, NtName};

/// Reads the little-endian `u16` at `offset`.
pub(crate) fn read_u16(buf: &[u8], offset: usize) -> Result<u16, LayoutError> {
    buf.get(offset..)
        .and_then(|rest| U16::read_from_prefix(rest).ok())
        .map(|(value, _)| value.get())
        .ok_or(LayoutError::Short {
            needed: offset.saturating_add(2),
            available: buf.len(),
        })
}

wire! {
    /// `MOUNTDEV_NAME`: a counted UTF-16 name (`QUERY_DEVICE_NAME` output, `LINK_CREATED` input).
    ///
    /// ```
    /// use mountdev::layout::MountdevName;
    /// let bytes = [4, 0, b'A', 0, b'B', 0, 0xFF]; // one trailing byte beyond the name
    /// let parsed = MountdevName::parse(&bytes).unwrap();
    /// assert_eq!(parsed.name().unwrap(), "AB");
    /// assert_eq!(MountdevName::HEADER_SIZE, 2);
    /// assert_eq!(MountdevName::C_SIZEOF, 4);
    /// ```
    pub struct MountdevName: "MOUNTDEV_NAME" {
        /// `NameLength`: bytes of `Name`, no terminator.
        pub name_length: U16 = 0, "NameLength";
    }
    tail {
        /// `Name`.
        pub name: [U16] = 2, "Name";
    }
    header MountdevNameHeader;
}

impl MountdevName {
    /// Views `buf` as a `MOUNTDEV_NAME`, trusting `NameLength` only after checking it fits.
    ///
    /// # Errors
    /// [`LayoutError::Short`] or [`LayoutError::Odd`].
    pub fn parse(buf: &[u8]) -> Result<&Self, LayoutError> {
        let length = usize::from(read_u16(buf, 0)?);
        counted_u16::<Self>(buf, Self::HEADER_SIZE, length)
    }

    /// The name, validated.
    ///
    /// # Errors
    /// [`crate::NameError`] when the units are empty or contain a NUL.
    pub fn name(&self) -> Result<NtName<'_>, crate::NameError> {
        NtName::new(&self.name)
    }
}

/// Views a `{ u16 length; [U16] tail }`-shaped DST after validating the byte length.
pub(crate) fn counted_u16<T>(buf: &[u8], header: usize, byte_length: usize) -> Result<&T, LayoutError>
where
    T: ?Sized + FromBytes + KnownLayout<PointerMetadata = usize> + Immutable,
{
    if byte_length % 2 != 0 {
        return Err(LayoutError::Odd { value: byte_length });
    }
    let needed = header.saturating_add(byte_length);
    T::ref_from_prefix_with_elems(buf, byte_length / 2)
        .map(|(value, _)| value)
        .map_err(|_| LayoutError::Short {
            needed,
            available: buf.len(),
        })
}

wire! {
    /// `MOUNTDEV_UNIQUE_ID`: the volume's opaque binary ID.
    ///
    /// ```
    /// use mountdev::layout::MountdevUniqueId;
    /// let parsed = MountdevUniqueId::parse(&[3, 0, 1, 2, 3]).unwrap();
    /// assert_eq!(&parsed.unique_id, &[1, 2, 3]);
    /// assert!(MountdevUniqueId::parse(&[4, 0, 1, 2, 3]).is_err());
    /// ```
    pub struct MountdevUniqueId: "MOUNTDEV_UNIQUE_ID" {
        /// `UniqueIdLength` in bytes.
        pub unique_id_length: U16 = 0, "UniqueIdLength";
    }
    tail {
        /// `UniqueId`.
        pub unique_id: [u8] = 2, "UniqueId";
    }
    header MountdevUniqueIdHeader;
}

impl MountdevUniqueId {
    /// Views `buf` as a `MOUNTDEV_UNIQUE_ID` after checking the length field fits.
    ///
    /// # Errors
    /// [`LayoutError::Short`].
    pub fn parse(buf: &[u8]) -> Result<&Self, LayoutError> {
        let length = usize::from(read_u16(buf, 0)?);
        Self::ref_from_prefix_with_elems(buf, length)
            .map(|(value, _)| value)
            .map_err(|_| LayoutError::Short {
                needed: length.saturating_add(2),
                available: buf.len(),
            })
    }
}

wire! {
    /// `MOUNTDEV_SUGGESTED_LINK_NAME`: a drive-letter suggestion (note the pad byte at offset 1).
    ///
    /// ```
    /// use mountdev::layout::MountdevSuggestedLinkName;
    /// let bytes = [1, 0, 2, 0, b'Z', 0];
    /// let parsed = MountdevSuggestedLinkName::parse(&bytes).unwrap();
    /// assert_eq!(parsed.use_only_if_there_are_no_other_links, 1);
    /// assert_eq!(parsed.name().unwrap(), "Z");
    /// ```
    pub struct MountdevSuggestedLinkName: "MOUNTDEV_SUGGESTED_LINK_NAME" {
        /// `UseOnlyIfThereAreNoOtherLinks` (`BOOLEAN`: any non-zero is TRUE).
        pub use_only_if_there_are_no_other_links: u8 = 0, "UseOnlyIfThereAreNoOtherLinks";
        /// The C compiler's padding before `NameLength`; written as 0.
        pub reserved: u8 = 1;
        /// `NameLength` in bytes.
        pub name_length: U16 = 2, "NameLength";
    }
    tail {
        /// `Name`.
        pub name: [U16] = 4, "Name";
    }
    header MountdevSuggestedLinkNameHeader;
}

impl MountdevSuggestedLinkName {
    /// Views `buf` after checking `NameLength` fits.
    ///
    /// # Errors
    /// [`LayoutError::Short`] or [`LayoutError::Odd`].
    pub fn parse(buf: &[u8]) -> Result<&Self, LayoutError> {
        let length = usize::from(read_u16(buf, 2)?);
        counted_u16::<Self>(buf, Self::HEADER_SIZE, length)
    }

    /// The name, validated.
    ///
    /// # Errors
    /// [`crate::NameError`].
    pub fn name(&self) -> Result<NtName<'_>, crate::NameError> {
        NtName::new(&self.name)
    }
}

wire! {
    /// `MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT`: the old and new unique IDs, by offset.
    #[derive(Clone, Copy, Debug)]
    pub struct UniqueIdChangeNotifyOutput: "MOUNTDEV_UNIQUE_ID_CHANGE_NOTIFY_OUTPUT" {
        /// `Size`: total bytes including both IDs.
        pub size: U32 = 0, "Size";
        /// `OldUniqueIdOffset` from the start of the structure.
        pub old_unique_id_offset: U16 = 4, "OldUniqueIdOffset";
        /// `OldUniqueIdLength`.
        pub old_unique_id_length: U16 = 6, "OldUniqueIdLength";
        /// `NewUniqueIdOffset`.
        pub new_unique_id_offset: U16 = 8, "NewUniqueIdOffset";
        /// `NewUniqueIdLength`.
        pub new_unique_id_length: U16 = 10, "NewUniqueIdLength";
    }
}

impl UniqueIdChangeNotifyOutput {
    /// Parses the fixed part and returns it with the old and new IDs.
    ///
    /// # Errors
    /// [`LayoutError`] when the buffer is short or an ID range leaves `Size` or the buffer.
    pub fn parse(buf: &[u8]) -> Result<(&Self, &[u8], &[u8]), LayoutError> {
        let (fixed, _) = Self::ref_from_prefix(buf).map_err(|_| LayoutError::Short {
            needed: Self::C_SIZEOF,
            available: buf.len(),
        })?;
        let size = usize::try_from(fixed.size.get()).map_err(|_| LayoutError::Field {
            field: "Size",
            value: fixed.size.get().into(),
        })?;
        let within = buf.get(..size).ok_or(LayoutError::Short {
            needed: size,
            available: buf.len(),
        })?;
        let old = bytes_at(
            within,
            fixed.old_unique_id_offset.get().into(),
            fixed.old_unique_id_length.get().into(),
        )?;
        let new = bytes_at(
            within,
            fixed.new_unique_id_offset.get().into(),
            fixed.new_unique_id_length.get().into(),
        )?;
        Ok((fixed, old, new))
    }
}

wire! {
    /// `MOUNTDEV_STABLE_GUID`.
    #[derive(Clone, Copy, Debug)]
    pub struct MountdevStableGuid: "MOUNTDEV_STABLE_GUID" {
        /// `StableGuid`.
        pub stable_guid: GuidWire = 0, "StableGuid";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocopy::IntoBytes;

    #[test]
    fn parse_uses_the_length_field_not_the_buffer() {
        // The greedy-DST pitfall: three units available, the length says two.
        let bytes = [4, 0, b'A', 0, b'B', 0, b'C', 0, 0xFF];
        let parsed = MountdevName::parse(&bytes).unwrap();
        assert_eq!(parsed.name.len(), 2);
        assert_eq!(parsed.as_bytes(), &bytes[..6]);
        assert!(matches!(
            MountdevName::parse(&[5, 0, 1, 0, 2, 0, 3]),
            Err(LayoutError::Odd { value: 5 })
        ));
        assert!(matches!(
            MountdevName::parse(&[6, 0, 1, 0]),
            Err(LayoutError::Short {
                needed: 8,
                available: 4
            })
        ));
        assert!(matches!(MountdevName::parse(&[6]), Err(LayoutError::Short { .. })));
    }

    #[test]
    fn unaligned_and_sizes() {
        let bytes = [0xEE, 2, 0, b'X', 0];
        assert_eq!(MountdevName::parse(&bytes[1..]).unwrap().name().unwrap(), "X");
        assert_eq!(core::mem::size_of::<UniqueIdChangeNotifyOutput>(), 12);
        assert_eq!(core::mem::size_of::<MountdevStableGuid>(), 16);
        assert_eq!(core::mem::offset_of!(MountdevSuggestedLinkName, name_length), 2);
    }

    /// Regression input found by the `mountdev_layouts` fuzz target (the target's own assertion
    /// assumed the two IDs cannot overlap): overlapping old and new ranges inside `Size` parse,
    /// and each range stays inside `Size`.
    #[test]
    fn change_notify_output_ids_may_overlap() {
        let mut buf = [0u8; 20];
        buf[0] = 20; // Size
        buf[4] = 12; // OldUniqueIdOffset
        buf[6] = 8; // OldUniqueIdLength
        buf[8] = 14; // NewUniqueIdOffset
        buf[10] = 6; // NewUniqueIdLength
        let (_, old, new) = UniqueIdChangeNotifyOutput::parse(&buf).unwrap();
        assert_eq!((old.len(), new.len()), (8, 6));
        buf[10] = 7; // 14 + 7 > 20
        assert!(UniqueIdChangeNotifyOutput::parse(&buf).is_err());
    }

    #[test]
    fn change_notify_output_ranges() {
        let mut buf = [0u8; 16];
        buf[0] = 16;
        buf[4] = 12;
        buf[6] = 2;
        buf[8] = 14;
        buf[10] = 2;
        buf[12..].copy_from_slice(&[1, 2, 3, 4]);
        let (_, old, new) = UniqueIdChangeNotifyOutput::parse(&buf).unwrap();
        assert_eq!((old, new), (&[1u8, 2][..], &[3u8, 4][..]));
        buf[0] = 15;
        assert!(UniqueIdChangeNotifyOutput::parse(&buf).is_err());
    }
}
