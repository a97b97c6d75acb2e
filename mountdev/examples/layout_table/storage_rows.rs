//! Rows for the disk, storage and volume structures and codes (filled in with the storage
//! handler).

use super::Row;

/// The rows.
pub fn rows() -> Vec<Row> {
    Vec::new()
}
