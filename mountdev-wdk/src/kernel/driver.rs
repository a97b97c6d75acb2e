//! Driver setup: [`install`] routes every major function to one safe dispatch function,
//! [`Device`] (a named device object, deleted on drop) and [`SymbolicLink`] (deleted on drop).

use core::ptr::{NonNull, null_mut};

use mountdev::{NtName, NtStatus};
use wdk_sys::ntddk::{IoCreateDevice, IoCreateSymbolicLink, IoDeleteDevice, IoDeleteSymbolicLink};
use wdk_sys::{DEVICE_OBJECT, DO_DEVICE_INITIALIZING, DRIVER_OBJECT, FALSE, IRP, IRP_MJ_MAXIMUM_FUNCTION, NTSTATUS};

use super::check;
use super::irp::Irp;
use super::sync::SpinLock;
use super::unicode::UnicodeBuf;

/// The driver's dispatch function: gets every IRP sent to any of its devices and must complete,
/// queue or hand on each one (the returned status is what the dispatch routine returns).
pub type Dispatch = fn(Irp) -> NTSTATUS;
/// The driver's unload function (PASSIVE_LEVEL): delete what `DriverEntry` created.
pub type Unload = fn();

#[derive(Clone, Copy)]
struct Routines {
    dispatch: Dispatch,
    unload: Unload,
}

/// One driver image has one set of routines.
static ROUTINES: SpinLock<Option<Routines>> = SpinLock::new(None);

extern "C" fn dispatch_trampoline(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    // SAFETY: the I/O manager passes this dispatch routine an IRP it owns no longer; ownership
    // moves into the `Irp`, which completes it once.
    let Some(irp) = (unsafe { Irp::from_raw(irp) }) else {
        return NtStatus::INVALID_PARAMETER.as_i32();
    };
    let routines = *ROUTINES.lock();
    match routines {
        Some(routines) => (routines.dispatch)(irp),
        None => irp.fail(NtStatus::INVALID_DEVICE_REQUEST),
    }
}

extern "C" fn unload_trampoline(_driver: *mut DRIVER_OBJECT) {
    let routines = ROUTINES.lock().take();
    if let Some(routines) = routines {
        (routines.unload)();
    }
}

/// Routes every major function of `driver` to `dispatch` and its unload to `unload`. Call it
/// once, from `DriverEntry`.
pub fn install(driver: &mut DRIVER_OBJECT, dispatch: Dispatch, unload: Unload) {
    *ROUTINES.lock() = Some(Routines { dispatch, unload });
    let count = (IRP_MJ_MAXIMUM_FUNCTION as usize).saturating_add(1);
    for slot in driver.MajorFunction.iter_mut().take(count) {
        *slot = Some(dispatch_trampoline);
    }
    driver.DriverUnload = Some(unload_trampoline);
}

/// What [`Device::create`] creates: the `IoCreateDevice` arguments.
#[derive(Clone, Copy, Debug)]
pub struct DeviceSpec<'n> {
    /// `\Device\...` name.
    pub name: NtName<'n>,
    /// `FILE_DEVICE_*` (`FILE_DEVICE_DISK` = 7 for a volume).
    pub device_type: u32,
    /// `FILE_DEVICE_SECURE_OPEN`, `FILE_REMOVABLE_MEDIA`, ...
    pub characteristics: u32,
    /// `DO_BUFFERED_IO` (4), `DO_DIRECT_IO` (0x10) or 0, OR'ed into the device's flags.
    pub io_flags: u32,
}

/// A named device object of this driver, deleted when dropped. Without an extension
/// ([`Device::create`]) a driver keeps its state in its own statics; a driver that keeps
/// per-device state in the extension creates it with [`Device::create_with_extension`].
pub struct Device {
    // INVARIANT: a live device created by `create_with_extension`, deleted once in Drop.
    raw: NonNull<DEVICE_OBJECT>,
}

// SAFETY: a device object may be used and deleted from any thread at PASSIVE_LEVEL.
unsafe impl Send for Device {}
// SAFETY: shared access only reads the pointer.
unsafe impl Sync for Device {}

impl Device {
    /// Creates the device; it takes requests once [`Device::finish_initializing`] ran.
    /// PASSIVE_LEVEL.
    ///
    /// # Errors
    /// The status of `IoCreateDevice` (`STATUS_OBJECT_NAME_COLLISION`, ...), or of copying the
    /// name into pool.
    pub fn create(driver: &mut DRIVER_OBJECT, spec: &DeviceSpec<'_>) -> Result<Self, NtStatus> {
        Self::create_with_extension(driver, spec, 0)
    }

    /// Like [`Device::create`], with `extension_size` bytes of device extension (nonpaged,
    /// zero-filled, 16-byte aligned, at [`Device::as_ptr`]`->DeviceExtension`) that lives as
    /// long as the device object. What the driver keeps there, and its drop, are the driver's.
    ///
    /// # Errors
    /// As [`Device::create`].
    pub fn create_with_extension(
        driver: &mut DRIVER_OBJECT,
        spec: &DeviceSpec<'_>,
        extension_size: u32,
    ) -> Result<Self, NtStatus> {
        let name = UnicodeBuf::from_name(spec.name)?;
        let unicode = name.as_unicode()?;
        let mut raw: *mut DEVICE_OBJECT = null_mut();
        // SAFETY: `driver` is this driver's object; `unicode` points into `name`, alive for the
        // call; `raw` receives the new device.
        check(unsafe {
            IoCreateDevice(
                driver,
                extension_size,
                unicode.as_ptr(),
                spec.device_type,
                spec.characteristics,
                FALSE as _,
                &mut raw,
            )
        })?;
        let raw = NonNull::new(raw).ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        // SAFETY: IoCreateDevice succeeded, so the device is live and ours, and not yet visible
        // to dispatch (DO_DEVICE_INITIALIZING).
        unsafe { (*raw.as_ptr()).Flags |= spec.io_flags };
        Ok(Self { raw })
    }

    /// Clears `DO_DEVICE_INITIALIZING`: from now on the I/O manager lets opens through.
    pub fn finish_initializing(&self) {
        // SAFETY: the device is live and ours (invariant).
        unsafe { (*self.raw.as_ptr()).Flags &= !DO_DEVICE_INITIALIZING };
    }

    /// The device object, for what the driver does with it itself (its extension, the
    /// driver's device chain).
    pub fn as_ptr(&self) -> *mut DEVICE_OBJECT {
        self.raw.as_ptr()
    }

    /// Gives up ownership without deleting the device (it stays on the driver's device chain
    /// until [`Device::from_raw`] takes it back, typically in the unload routine).
    pub fn into_raw(self) -> NonNull<DEVICE_OBJECT> {
        let raw = self.raw;
        core::mem::forget(self);
        raw
    }

    /// Takes back a device given up with [`Device::into_raw`].
    ///
    /// # Safety
    /// `raw` must come from [`Device::into_raw`] and be taken back once.
    pub unsafe fn from_raw(raw: NonNull<DEVICE_OBJECT>) -> Self {
        Self { raw }
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        // SAFETY: the device is ours (invariant) and deleted once; PASSIVE_LEVEL (unload and
        // DriverEntry failure paths).
        unsafe { IoDeleteDevice(self.raw.as_ptr()) };
    }
}

/// A symbolic link this driver created (`IoCreateSymbolicLink`), deleted when dropped.
pub struct SymbolicLink {
    // INVARIANT: `Some` until the link is deleted.
    name: Option<UnicodeBuf>,
}

impl SymbolicLink {
    /// Creates `link` → `target` (for example `\DosDevices\R:` → `\Device\RamDiskVolume0`, the
    /// fallback when the mount manager does not create the drive letter). PASSIVE_LEVEL.
    ///
    /// # Errors
    /// The status of `IoCreateSymbolicLink` (`STATUS_OBJECT_NAME_COLLISION` for a taken name).
    pub fn create(link: NtName<'_>, target: NtName<'_>) -> Result<Self, NtStatus> {
        let name = UnicodeBuf::from_name(link)?;
        let target = UnicodeBuf::from_name(target)?;
        let (link_string, target_string) = (name.as_unicode()?, target.as_unicode()?);
        // SAFETY: both strings point into pool buffers alive for the call; the kernel copies them.
        check(unsafe { IoCreateSymbolicLink(link_string.as_ptr(), target_string.as_ptr()) })?;
        Ok(Self { name: Some(name) })
    }
}

impl SymbolicLink {
    /// Deletes the link now and reports the status (dropping deletes it too, silently).
    /// PASSIVE_LEVEL.
    ///
    /// # Errors
    /// The status of `IoDeleteSymbolicLink`.
    pub fn delete(mut self) -> Result<(), NtStatus> {
        Self::delete_link(self.name.take())
    }

    fn delete_link(name: Option<UnicodeBuf>) -> Result<(), NtStatus> {
        let Some(name) = name else { return Ok(()) };
        let unicode = name.as_unicode()?;
        // SAFETY: deletes the link this value created, once (the name is taken out of the
        // value first); the name is alive for the call.
        check(unsafe { IoDeleteSymbolicLink(unicode.as_ptr()) })
    }
}

impl Drop for SymbolicLink {
    fn drop(&mut self) {
        let _ = Self::delete_link(self.name.take());
    }
}
