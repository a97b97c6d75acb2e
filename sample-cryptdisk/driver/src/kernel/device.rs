//! Device objects with a typed extension: creation (`IoCreateDevice`), deletion
//! (`IoDeleteDevice`), and the typed lookup the dispatch routine does.
//!
//! Every device this driver creates has a [`Tagged`] extension: a [`DeviceKind`] tag followed by
//! the body type. `IoCreateDevice` zero-fills the extension, so a device whose body is not
//! written yet reads as [`DeviceKind::Unknown`] and gets no typed access.

use core::marker::PhantomData;
use core::ptr::{NonNull, null_mut};

use mountdev::NtStatus;
use wdk_sys::ntddk::{IoCreateDevice, IoDeleteDevice};
use wdk_sys::{DEVICE_OBJECT, DO_DEVICE_INITIALIZING, DRIVER_OBJECT, FALSE, PDEVICE_OBJECT, PDRIVER_OBJECT};

use super::{check, name::NameBuf};

/// Which kind of device an extension belongs to (its first field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DeviceKind {
    /// A zero-filled extension: not initialised yet.
    Unknown = 0,
    /// The control device.
    Control = u32::from_be_bytes(*b"CTRL"),
    /// A volume (disk) device.
    Volume = u32::from_be_bytes(*b"VOLU"),
}

impl DeviceKind {
    const fn from_raw(raw: u32) -> Self {
        match raw {
            x if x == Self::Control as u32 => Self::Control,
            x if x == Self::Volume as u32 => Self::Volume,
            _ => Self::Unknown,
        }
    }
}

/// The body of a device extension. `Sync` because dispatch routines on any thread share it.
pub trait DeviceExtension: Sync + Sized {
    /// The tag written before the body.
    const KIND: DeviceKind;
}

/// The layout of every extension this driver creates.
#[repr(C)]
pub struct Tagged<E> {
    kind: u32,
    body: E,
}

/// The driver object, borrowed for the duration of `DriverEntry` or `DriverUnload`.
#[derive(Clone, Copy, Debug)]
pub struct DriverRef<'a> {
    raw: NonNull<DRIVER_OBJECT>,
    _life: PhantomData<&'a DRIVER_OBJECT>,
}

impl<'a> DriverRef<'a> {
    /// Wraps the driver object passed to `DriverEntry` / `DriverUnload`.
    ///
    /// # Safety
    ///
    /// `raw` must be this driver's object, valid for the chosen lifetime.
    pub unsafe fn from_raw(raw: PDRIVER_OBJECT) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self {
            raw,
            _life: PhantomData,
        })
    }

    pub(crate) fn as_ptr(self) -> PDRIVER_OBJECT {
        self.raw.as_ptr()
    }

    /// The first device on this driver's `DeviceObject` chain.
    pub fn first_device(self) -> Option<DeviceRef<'a>> {
        // SAFETY: the driver object is live (constructor contract); reading the chain head.
        let first = unsafe { (*self.raw.as_ptr()).DeviceObject };
        NonNull::new(first).map(|raw| DeviceRef {
            raw,
            _life: PhantomData,
        })
    }
}

/// A device object this driver created, borrowed (in a dispatch routine, or from the chain).
#[derive(Clone, Copy, Debug)]
pub struct DeviceRef<'a> {
    // INVARIANT: a live device object created by this driver, with a `Tagged` extension.
    raw: NonNull<DEVICE_OBJECT>,
    _life: PhantomData<&'a DEVICE_OBJECT>,
}

impl<'a> DeviceRef<'a> {
    /// Wraps the device object passed to a dispatch routine.
    ///
    /// # Safety
    ///
    /// `raw` must be a device object this driver created, live for the chosen lifetime.
    pub unsafe fn from_raw(raw: PDEVICE_OBJECT) -> Option<Self> {
        NonNull::new(raw).map(|raw| Self {
            raw,
            _life: PhantomData,
        })
    }

    /// The next device on the driver's chain. Read it before deleting this one.
    pub fn next_device(self) -> Option<DeviceRef<'a>> {
        // SAFETY: the invariant says the device is live; reading a pointer field.
        let next = unsafe { (*self.raw.as_ptr()).NextDevice };
        NonNull::new(next).map(|raw| DeviceRef {
            raw,
            _life: PhantomData,
        })
    }

    pub(crate) fn as_ptr(self) -> PDEVICE_OBJECT {
        self.raw.as_ptr()
    }

    fn tag(self) -> *const u32 {
        // SAFETY: the invariant says the device is live; reading a pointer field.
        unsafe { (*self.raw.as_ptr()).DeviceExtension }
            .cast::<u32>()
            .cast_const()
    }

    /// The kind recorded in the extension.
    pub fn kind(self) -> DeviceKind {
        let tag = self.tag();
        if tag.is_null() {
            return DeviceKind::Unknown;
        }
        // SAFETY: the extension starts with the u32 tag (zero until the body is written) and is
        // nonpaged memory of the device's lifetime; the tag is written once, before the device
        // leaves DO_DEVICE_INITIALIZING.
        DeviceKind::from_raw(unsafe { tag.read() })
    }

    /// The extension body, if this device is of kind `E::KIND`.
    pub fn extension<E: DeviceExtension>(self) -> Option<&'a E> {
        if self.kind() != E::KIND {
            return None;
        }
        let tagged = self.tag().cast::<Tagged<E>>();
        // SAFETY: the tag says the extension holds an initialised `Tagged<E>`; it lives as long
        // as the device ('a) and is only shared (`E: Sync`).
        Some(unsafe { &(*tagged).body })
    }
}

/// A device object this driver created, with an extension body of type `E`, deleted (body
/// dropped first) when the value is dropped.
pub struct OwnedDevice<E: DeviceExtension> {
    // INVARIANT: a live device created by `create`, whose extension holds an initialised
    // `Tagged<E>`.
    raw: NonNull<DEVICE_OBJECT>,
    _body: PhantomData<E>,
}

// SAFETY: the device object may be deleted from any thread at PASSIVE_LEVEL; the body is Sync
// and owned by this value.
unsafe impl<E: DeviceExtension + Send> Send for OwnedDevice<E> {}
// SAFETY: shared access only hands out `&E`, and `E: Sync`.
unsafe impl<E: DeviceExtension> Sync for OwnedDevice<E> {}

/// What to create: the `IoCreateDevice` arguments besides the extension.
#[derive(Clone, Copy, Debug)]
pub struct DeviceSpec<'n> {
    /// `\Device\...` name.
    pub name: &'n NameBuf,
    /// `FILE_DEVICE_*`.
    pub device_type: u32,
    /// `FILE_DEVICE_SECURE_OPEN`, `FILE_REMOVABLE_MEDIA`, ...
    pub characteristics: u32,
    /// `DO_DIRECT_IO`, `DO_BUFFERED_IO` or 0, OR'ed into the device's flags.
    pub io_flags: u32,
}

impl<E: DeviceExtension> OwnedDevice<E> {
    /// Creates a named device whose extension holds `body`. The device still has
    /// `DO_DEVICE_INITIALIZING` set: call [`OwnedDevice::finish_initializing`] once it can
    /// take requests.
    ///
    /// PASSIVE_LEVEL.
    ///
    /// # Errors
    ///
    /// The status of `IoCreateDevice` (`STATUS_OBJECT_NAME_COLLISION` for a taken name, ...);
    /// `body` is dropped then.
    pub fn create(driver: DriverRef<'_>, spec: &DeviceSpec<'_>, body: E) -> Result<Self, NtStatus> {
        let size = u32::try_from(size_of::<Tagged<E>>()).map_err(|_| NtStatus::INVALID_PARAMETER)?;
        let mut name = spec.name.unicode_string();
        let mut raw: PDEVICE_OBJECT = null_mut();
        // SAFETY: `driver` is this driver's object; `name` points into `spec.name`, alive for
        // the call; `raw` receives the new device.
        check(unsafe {
            IoCreateDevice(
                driver.as_ptr(),
                size,
                &mut name,
                spec.device_type,
                spec.characteristics,
                FALSE as _,
                &mut raw,
            )
        })?;
        let raw = NonNull::new(raw).ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        // SAFETY: IoCreateDevice succeeded, so the device is live and ours.
        let extension = unsafe { (*raw.as_ptr()).DeviceExtension }.cast::<Tagged<E>>();
        // SAFETY: the zeroed extension has `size` bytes (nonpaged, 16-aligned) and nobody else
        // sees it yet; writing the tagged body initialises it.
        unsafe {
            extension.write(Tagged {
                kind: E::KIND as u32,
                body,
            })
        };
        // SAFETY: the device is ours and not visible to dispatch yet (DO_DEVICE_INITIALIZING).
        unsafe { (*raw.as_ptr()).Flags |= spec.io_flags };
        Ok(Self {
            raw,
            _body: PhantomData,
        })
    }

    /// Clears `DO_DEVICE_INITIALIZING`: from now on the I/O manager lets opens through.
    pub fn finish_initializing(&self) {
        // SAFETY: the invariant says the device is live and ours.
        unsafe { (*self.raw.as_ptr()).Flags &= !DO_DEVICE_INITIALIZING };
    }

    /// The extension body.
    pub fn body(&self) -> &E {
        let tagged = self.device().tag().cast::<Tagged<E>>();
        // SAFETY: the invariant says the extension holds an initialised `Tagged<E>` for the
        // device's life, which `&self` bounds.
        unsafe { &(*tagged).body }
    }

    /// The device as a borrowed reference.
    pub fn device(&self) -> DeviceRef<'_> {
        DeviceRef {
            raw: self.raw,
            _life: PhantomData,
        }
    }

    /// Gives up ownership without deleting: the device stays until `DriverUnload` takes it
    /// back with [`OwnedDevice::from_chain`].
    pub fn leak(self) {
        core::mem::forget(self);
    }

    /// Takes back ownership of a device found on the driver's chain, if it has kind `E::KIND`.
    ///
    /// # Safety
    ///
    /// The device must have been given up with [`OwnedDevice::leak`] and be taken back once.
    pub unsafe fn from_chain(device: DeviceRef<'_>) -> Option<Self> {
        (device.kind() == E::KIND).then_some(Self {
            raw: device.raw,
            _body: PhantomData,
        })
    }
}

impl<E: DeviceExtension> Drop for OwnedDevice<E> {
    fn drop(&mut self) {
        let tagged = self.device().tag().cast::<Tagged<E>>().cast_mut();
        // SAFETY: the extension holds an initialised `Tagged<E>` (invariant), and `&mut self`
        // is the last owner.
        let tagged = unsafe { &mut *tagged };
        // Clearing the tag first makes lookups see `Unknown`.
        tagged.kind = DeviceKind::Unknown as u32;
        // SAFETY: the body is initialised and dropped once, here; nothing reads it afterwards.
        unsafe { core::ptr::drop_in_place(&raw mut tagged.body) };
        // SAFETY: the device is ours (invariant) and deleted once; PASSIVE_LEVEL by contract of
        // the owners (DriverEntry failure paths, DriverUnload, unmount).
        unsafe { IoDeleteDevice(self.raw.as_ptr()) };
    }
}
