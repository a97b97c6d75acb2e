//! The optional `#[panic_handler]` (feature `panic-handler`): a kernel panic cannot unwind, so
//! it stops the machine with [`MOUNTDEV_WDK_BUGCHECK`] and the panic location.

/// Bug-check code `0x4D44574B` (`"MDWK"`). Parameters: address and length of the source file
/// name, line, column (0 when unknown).
pub const MOUNTDEV_WDK_BUGCHECK: u32 = u32::from_be_bytes(*b"MDWK");

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
    // SAFETY: KeBugCheckEx never returns and takes plain integers; the file name pointer is only
    // recorded in the crash dump.
    unsafe { wdk_sys::ntddk::KeBugCheckEx(MOUNTDEV_WDK_BUGCHECK, file as _, len as _, line as _, column as _) }
}
