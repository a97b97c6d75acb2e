//! Prints every size, alignment, field offset, IOCTL code and NTSTATUS value `mountdev` declares, one row per
//! value, with the C expression that computes the same value from the real headers. The layout rows come from
//! the wire declarations themselves (`mountdev::layout::ALL`).
//!
//! `ci/layout/check.py` compiles those C expressions with mingw-w64 (x64, x86, arm64) and
//! fails on any difference: an independent reference, never our own constants.
//!
//! Output: `label<TAB>c expression<TAB>value`.

/// A row: `row!(label, c_expr, value)`.
macro_rules! row {
    ($label:expr, $c:expr, $value:expr) => {
        Row {
            label: $label,
            c_expr: $c,
            value: $value as u64,
        }
    };
}

mod layout_rows;
mod mountdev_codes;
mod status_rows;
mod storage_values;
use std::collections::BTreeSet;

use mountdev::ioctl::{DeviceType, Ioctl};

/// One value to compare.
pub struct Row {
    /// What the value is, for messages.
    pub label: &'static str,
    /// A C expression over the mingw-w64 headers that must evaluate to `value`.
    pub c_expr: &'static str,
    /// The value `mountdev` uses.
    pub value: u64,
}

/// One row per known IOCTL of `device_types`, compared with the C expression `c_expr_for` gives
/// (codes without one are left to another row file).
pub fn code_rows(device_types: &[DeviceType], c_expr_for: fn(Ioctl) -> Option<&'static str>) -> Vec<Row> {
    Ioctl::ALL
        .iter()
        .filter(|i| device_types.contains(&i.raw().device_type()))
        .filter_map(|ioctl| {
            let c_expr = c_expr_for(*ioctl)?;
            let label: &'static str = Box::leak(format!("code {}", ioctl.name().unwrap_or("?")).into_boxed_str());
            Some(Row {
                label,
                c_expr,
                value: u64::from(ioctl.code()),
            })
        })
        .collect()
}

fn main() {
    let mut rows = layout_rows::rows();
    rows.extend(mountdev_codes::rows());
    rows.extend(storage_values::rows());
    rows.extend(status_rows::rows());
    let checked: BTreeSet<u64> = rows
        .iter()
        .filter(|r| r.label.starts_with("code "))
        .map(|r| r.value)
        .collect();
    let missing: Vec<_> = Ioctl::ALL
        .iter()
        .filter(|i| !checked.contains(&u64::from(i.code())))
        .map(|i| i.name().unwrap_or("?"))
        .collect();
    if !missing.is_empty() {
        eprintln!("IOCTL codes without a reference row: {missing:?}");
        std::process::exit(1);
    }
    for row in rows {
        println!("{}\t{}\t{}", row.label, row.c_expr, row.value);
    }
}
