//! Rows for every wire layout, read from the declarations' [`CLayout`]s: C `sizeof`, C alignment,
//! the trailing array's offset (`HEADER_SIZE`), zerocopy's own trailing-slice offset, and the
//! offset of every member with a C name, for each C type name the layout stands for.

use mountdev::layout::{ALL, CLayout};

use super::Row;

/// A row whose label and C expression are built at run time.
fn row(label: String, c_expr: String, value: usize) -> Row {
    Row {
        label: Box::leak(label.into_boxed_str()),
        c_expr: Box::leak(c_expr.into_boxed_str()),
        value: value as u64,
    }
}

/// The rows of one layout.
fn layout_rows(layout: &CLayout) -> Vec<Row> {
    let mut rows = Vec::new();
    for c in layout.c_types {
        if layout.sizeof_checked {
            rows.push(row(format!("sizeof {c}"), format!("sizeof({c})"), layout.c_sizeof));
        }
        rows.push(row(format!("align {c}"), format!("_Alignof({c})"), layout.c_align));
        if let Some(trailing) = layout.trailing {
            let offsetof = format!("offsetof({c}, {})", trailing.name);
            rows.push(row(format!("header {c}"), offsetof.clone(), trailing.offset));
            if let Some(slice) = (layout.slice_offset)() {
                rows.push(row(format!("tail {c}"), offsetof, slice));
            }
        }
        for field in layout.fields {
            rows.push(row(
                format!("offset {c}.{}", field.name),
                format!("offsetof({c}, {})", field.name),
                field.offset,
            ));
        }
    }
    rows
}

/// The rows.
pub fn rows() -> Vec<Row> {
    ALL.iter().flat_map(layout_rows).collect()
}
