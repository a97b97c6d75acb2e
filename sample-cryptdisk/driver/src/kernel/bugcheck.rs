//! The panic handler: a panic in kernel mode cannot unwind, so it stops the machine with the
//! project's bug-check code and the panic location.
//!
//! The driver is built with `panic = "abort"` and denies `unwrap`, `expect`, `panic!`, slice
//! indexing and unchecked arithmetic outside tests, so the panics left are those of an
//! infallible allocation that failed (see [`super::pool`]) and of bugs.

/// The project's bug-check code, `0x4344534B` (`"CDSK"`).
///
/// Parameters: 1 = address of the panicking source file's name (UTF-8, not NUL-terminated),
/// 2 = its length in bytes, 3 = line, 4 = column (all 0 when the location is unknown).
pub const CRYPTDISK_BUGCHECK: u32 = u32::from_be_bytes(*b"CDSK");

#[cfg(not(test))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let (file, len, line, column) = info.location().map_or((0, 0, 0, 0), |l| {
        (
            l.file().as_ptr() as usize,
            l.file().len(),
            l.line() as usize,
            l.column() as usize,
        )
    });
    // SAFETY: KeBugCheckEx never returns and takes plain integers; the file name pointer is
    // only recorded in the crash dump.
    unsafe { wdk_sys::ntddk::KeBugCheckEx(CRYPTDISK_BUGCHECK, file as _, len as _, line as _, column as _) }
}
