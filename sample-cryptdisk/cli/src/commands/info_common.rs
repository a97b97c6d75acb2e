//! What the LUKS1 ([`super::info`]) and LUKS2 ([`super::luks2::info`]) reports share, written
//! once: the volume's identity fields (in both the JSON and the text form) and printing a report.

use crate::error::CliError;
use crate::output::{self, hex};
use cryptdisk_core::uuid::Uuid;
use mountdev::{Guid, VolumeGuidName};
use serde::Serialize;
use std::fmt::Write as _;

/// The identity of a volume as `info` shows it; flattened into each report's JSON, so its fields
/// sit at the report's top level.
#[derive(Debug, Serialize)]
pub struct VolumeIdentity {
    /// Exact length of the raw image the volume was encrypted from, when `encrypt` recorded it.
    pub original_length_bytes: Option<u64>,
    /// The LUKS UUID.
    pub uuid: String,
    /// The stable GUID (the UUID read as a GUID).
    pub stable_guid: String,
    /// The persistent volume name the mount manager will give the volume.
    pub volume_guid_name: String,
    /// The mount-manager unique ID, hex.
    pub unique_id: String,
}

impl VolumeIdentity {
    /// The identity of the volume with `uuid` whose original length is `original_length_bytes`.
    pub fn new(uuid: &Uuid, original_length_bytes: Option<u64>) -> Self {
        let guid = Guid::from_uuid_bytes(*uuid.as_bytes());
        Self {
            original_length_bytes,
            uuid: uuid.to_string(),
            stable_guid: format!("{{{guid}}}"),
            volume_guid_name: VolumeGuidName::new(guid).to_string(),
            unique_id: hex(&uuid.unique_id()),
        }
    }

    /// Appends the text lines (`Original length:` when known, then `UUID:` to `Unique ID:`).
    pub fn write_text(&self, s: &mut String) {
        if let Some(len) = self.original_length_bytes {
            let _ = writeln!(s, "Original length:   {len} bytes (recorded by 'cryptdisk encrypt')");
        }
        let _ = writeln!(s, "UUID:              {}", self.uuid);
        let _ = writeln!(s, "Stable GUID:       {}", self.stable_guid);
        let _ = writeln!(s, "Volume GUID name:  {}", self.volume_guid_name);
        let _ = writeln!(s, "Unique ID:         {}", self.unique_id);
    }
}

/// Prints `report` as pretty JSON when `json`, else as the text `to_text` makes of it.
///
/// # Errors
///
/// [`CliError::Internal`] when the report does not serialize, output errors.
pub fn print<R: Serialize>(report: &R, json: bool, to_text: impl FnOnce(&R) -> String) -> Result<(), CliError> {
    if json {
        let json = serde_json::to_string_pretty(report)
            .map_err(|_| CliError::Internal("cannot serialize the info report as JSON"))?;
        output::line(format_args!("{json}"))
    } else {
        output::text(&to_text(report))
    }
}
