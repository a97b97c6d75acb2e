//! `IOCTL_STORAGE_QUERY_PROPERTY` (`protocol.md` §3.5, §5.3): the query is parsed, then the
//! device, adapter, access-alignment, seek-penalty or trim descriptor is built and written by
//! [`write_descriptor`].
//!
//! Input rule: the input must hold a whole `STORAGE_PROPERTY_QUERY`, C `sizeof` 12 bytes
//! (`PropertyId`, `QueryType`, `AdditionalParameters[1]` and 3 bytes of padding); shorter input
//! gets `STATUS_INFO_LENGTH_MISMATCH`. Eight bytes would carry everything this handler reads, but
//! classpnp (`InputBufferLength < sizeof(STORAGE_PROPERTY_QUERY)`) rejects them, and every caller
//! that works with real disks therefore sends 12: answering 8-byte queries would only let a
//! caller bug pass here that fails on every other disk.
//!
//! Then: a `QueryType` other than `PropertyStandardQuery` / `PropertyExistsQuery` (e.g.
//! `PropertyMaskQuery`) → `STATUS_NOT_SUPPORTED`; a property without a descriptor here (device ID,
//! unique ID, write cache, LB provisioning, ...) → `STATUS_NOT_SUPPORTED`; `PropertyExistsQuery`
//! of a supported property → `SUCCESS`, `Information` 0; `PropertyStandardQuery` → the descriptor
//! by the descriptor-reply contract.

use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, IntoBytes};

use super::DiskDescription;
use super::descriptor_reply::write_descriptor;
use crate::NtStatus;
use crate::layout::{
    DeviceSeekPenaltyDescriptor, DeviceTrimDescriptor, StorageAccessAlignmentDescriptor, StorageAdapterDescriptor,
    StorageDeviceDescriptor, StoragePropertyQuery,
};
use crate::reply::{IoBuffers, Reply};

/// The properties answered with a descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Property {
    Device,
    Adapter,
    AccessAlignment,
    SeekPenalty,
    Trim,
}

impl Property {
    fn from_id(id: u32) -> Option<Self> {
        match id {
            StoragePropertyQuery::STORAGE_DEVICE_PROPERTY => Some(Self::Device),
            StoragePropertyQuery::STORAGE_ADAPTER_PROPERTY => Some(Self::Adapter),
            StoragePropertyQuery::STORAGE_ACCESS_ALIGNMENT_PROPERTY => Some(Self::AccessAlignment),
            StoragePropertyQuery::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY => Some(Self::SeekPenalty),
            StoragePropertyQuery::STORAGE_DEVICE_TRIM_PROPERTY => Some(Self::Trim),
            _ => None,
        }
    }
}

/// Answers `IOCTL_STORAGE_QUERY_PROPERTY`; the input is read completely before any output byte
/// is written.
pub(crate) fn query_property(disk: &DiskDescription, io: IoBuffers<'_>) -> Reply {
    let input = io.input();
    if input.len() < StoragePropertyQuery::C_SIZEOF {
        return Reply::error(NtStatus::INFO_LENGTH_MISMATCH);
    }
    let Ok((query, _)) = StoragePropertyQuery::read_from_prefix(input) else {
        return Reply::error(NtStatus::INFO_LENGTH_MISMATCH);
    };
    let exists_only = match query.query_type.get() {
        StoragePropertyQuery::PROPERTY_STANDARD_QUERY => false,
        StoragePropertyQuery::PROPERTY_EXISTS_QUERY => true,
        _ => return Reply::error(NtStatus::NOT_SUPPORTED),
    };
    let Some(property) = Property::from_id(query.property_id.get()) else {
        return Reply::error(NtStatus::NOT_SUPPORTED);
    };
    if exists_only {
        return Reply::success(0);
    }
    let descriptor = descriptor(disk, property);
    write_descriptor(io.into_output(), descriptor.as_bytes())
}

/// Room for the largest descriptor: the device descriptor with the three longest strings and
/// their terminators (40 + 9 + 17 + 5 = 71 bytes).
const DESCRIPTOR_CAPACITY: usize = 72;

/// A descriptor built on the stack.
struct DescriptorBytes {
    // INVARIANT: len <= DESCRIPTOR_CAPACITY, which fits a u8.
    bytes: [u8; DESCRIPTOR_CAPACITY],
    len: u8,
}
const _: () = assert!(DESCRIPTOR_CAPACITY <= u8::MAX as usize);
/// `sizeof(STORAGE_DEVICE_DESCRIPTOR)` as the descriptor length it starts with.
#[allow(
    clippy::cast_possible_truncation,
    reason = "the assertion below proves the value fits"
)]
const DEVICE_DESCRIPTOR_LEN: u8 = StorageDeviceDescriptor::C_SIZEOF as u8;
const _: () = assert!(StorageDeviceDescriptor::C_SIZEOF <= DESCRIPTOR_CAPACITY);

impl DescriptorBytes {
    fn from_fixed(value: &[u8]) -> Self {
        let mut descriptor = Self {
            bytes: [0; DESCRIPTOR_CAPACITY],
            len: 0,
        };
        if let (Some(dst), Ok(len)) = (descriptor.bytes.get_mut(..value.len()), u8::try_from(value.len())) {
            dst.copy_from_slice(value);
            descriptor.len = len;
        }
        descriptor
    }

    /// Appends `text` and a NUL; returns the offset of the text, 0 for an empty text ("absent").
    fn append_string(&mut self, text: &[u8]) -> u32 {
        if text.is_empty() {
            return 0;
        }
        let start = self.len;
        let Some(end) = usize::from(start).checked_add(text.len()) else {
            return 0;
        };
        let Some(nul) = end.checked_add(1).and_then(|nul| u8::try_from(nul).ok()) else {
            return 0;
        };
        let Some(dst) = self.bytes.get_mut(usize::from(start)..end) else {
            return 0;
        };
        dst.copy_from_slice(text);
        // The buffer is zeroed, so the byte at `end` already is the terminator.
        self.len = nul;
        u32::from(start)
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

fn descriptor(disk: &DiskDescription, property: Property) -> DescriptorBytes {
    match property {
        Property::Device => device_descriptor(disk),
        Property::Adapter => DescriptorBytes::from_fixed(adapter_descriptor(disk).as_bytes()),
        Property::AccessAlignment => {
            let size = U32::new(StorageAccessAlignmentDescriptor::C_SIZEOF_U32);
            let value = StorageAccessAlignmentDescriptor {
                version: size,
                size,
                bytes_per_cache_line: U32::new(0),
                bytes_offset_for_cache_alignment: U32::new(0),
                bytes_per_logical_sector: U32::new(disk.logical_sector_size()),
                bytes_per_physical_sector: U32::new(disk.physical_sector_size()),
                bytes_offset_for_sector_alignment: U32::new(0),
            };
            DescriptorBytes::from_fixed(value.as_bytes())
        }
        Property::SeekPenalty => {
            let size = U32::new(DeviceSeekPenaltyDescriptor::C_SIZEOF_U32);
            let value = DeviceSeekPenaltyDescriptor {
                version: size,
                size,
                incurs_seek_penalty: u8::from(disk.incurs_seek_penalty()),
                reserved: [0; 3],
            };
            DescriptorBytes::from_fixed(value.as_bytes())
        }
        Property::Trim => {
            // TRIM is not advertised: IOCTL_STORAGE_MANAGE_DATA_SET_ATTRIBUTES is rejected.
            let size = U32::new(DeviceTrimDescriptor::C_SIZEOF_U32);
            let value = DeviceTrimDescriptor {
                version: size,
                size,
                trim_enabled: 0,
                reserved: [0; 3],
            };
            DescriptorBytes::from_fixed(value.as_bytes())
        }
    }
}

/// `STORAGE_DEVICE_DESCRIPTOR` followed by the NUL-terminated vendor, product and revision
/// strings (each only when non-empty); `Version` 40, `Size` 40 + string bytes, `DeviceType` 0
/// (SCSI direct-access), no serial number, no raw properties.
fn device_descriptor(disk: &DiskDescription) -> DescriptorBytes {
    let mut descriptor = DescriptorBytes {
        bytes: [0; DESCRIPTOR_CAPACITY],
        len: DEVICE_DESCRIPTOR_LEN,
    };
    let vendor_id_offset = descriptor.append_string(disk.vendor().as_bytes());
    let product_id_offset = descriptor.append_string(disk.product().as_bytes());
    let product_revision_offset = descriptor.append_string(disk.revision().as_bytes());
    let fixed = StorageDeviceDescriptor {
        version: U32::new(StorageDeviceDescriptor::C_SIZEOF_U32),
        size: U32::new(u32::from(descriptor.len)),
        device_type: 0,
        device_type_modifier: 0,
        removable_media: u8::from(disk.is_removable()),
        command_queueing: 0,
        vendor_id_offset: U32::new(vendor_id_offset),
        product_id_offset: U32::new(product_id_offset),
        product_revision_offset: U32::new(product_revision_offset),
        serial_number_offset: U32::new(0),
        bus_type: U32::new(u32::from(disk.bus_type().get())),
        raw_properties_length: U32::new(0),
        raw_device_properties: [0],
        reserved: [0; 3],
    };
    if let Some(dst) = descriptor.bytes.get_mut(..StorageDeviceDescriptor::C_SIZEOF) {
        dst.copy_from_slice(fixed.as_bytes());
    }
    descriptor
}

/// `STORAGE_ADAPTER_DESCRIPTOR`: the description's transfer limit, buffers of any alignment, no
/// PIO, no queueing, the description's bus type.
fn adapter_descriptor(disk: &DiskDescription) -> StorageAdapterDescriptor {
    let size = U32::new(StorageAdapterDescriptor::C_SIZEOF_U32);
    let max_transfer = disk.max_transfer_length();
    // An unaligned buffer of max_transfer bytes spans at most this many 4 KiB pages.
    let pages = (max_transfer / 4096).saturating_add(1);
    StorageAdapterDescriptor {
        version: size,
        size,
        maximum_transfer_length: U32::new(max_transfer),
        maximum_physical_pages: U32::new(pages),
        alignment_mask: U32::new(0),
        adapter_uses_pio: 0,
        adapter_scans_down: 0,
        command_queueing: 0,
        accelerated_transfer: 0,
        bus_type: disk.bus_type().get(),
        reserved: 0,
        bus_major_version: U16::new(0),
        bus_minor_version: U16::new(0),
        srb_type: 0,
        address_type: 0,
    }
}
