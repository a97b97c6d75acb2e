//! Prints every size, field offset and IOCTL code `mountdev` declares, one row per value, with
//! the C expression that computes the same value from the real headers.
//!
//! `mountdev/layout-check/check.py` compiles those C expressions with mingw-w64 (x64 and x86) and
//! fails on any difference: an independent reference, never our own constants.
//!
//! Output: `label<TAB>c expression<TAB>value`.

mod mountdev_rows;
mod storage_rows;

use std::collections::BTreeSet;

/// One value to compare.
pub struct Row {
    /// What the value is, for messages.
    pub label: &'static str,
    /// A C expression over the mingw-w64 headers that must evaluate to `value`.
    pub c_expr: &'static str,
    /// The value `mountdev` uses.
    pub value: u64,
}

fn main() {
    let mut rows = mountdev_rows::rows();
    rows.extend(storage_rows::rows());
    let checked: BTreeSet<u64> = rows
        .iter()
        .filter(|r| r.label.starts_with("code "))
        .map(|r| r.value)
        .collect();
    let missing: Vec<_> = mountdev::ioctl::Ioctl::ALL
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
