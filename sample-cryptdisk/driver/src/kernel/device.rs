//! Device objects with a typed extension: creation and deletion (the adapter's `Device`, with
//! room for the extension), and the guarded, typed lookup the dispatch routine does.
//!
//! Every device this driver creates has a [`Tagged`] extension: a header — a [`DeviceKind`] tag
//! and a [`Gate`] — followed by the body type. `IoCreateDevice` zero-fills the extension, so a
//! device whose body is not written yet reads as [`DeviceKind::Unknown`] with an open, empty
//! gate, and gets no typed access.
//!
//! A dispatch routine reaches the body only through [`DeviceRef::enter`], which holds a pass of
//! the gate for as long as it uses the body. Deleting a device ([`OwnedDevice`]'s `Drop`) closes
//! the gate and waits for every pass to come back before it clears the tag and drops the body,
//! so no dispatch routine can see a body being dropped.

use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU32, Ordering};

use mountdev::NtStatus;
use wdk_sys::{DEVICE_OBJECT, DRIVER_OBJECT, PDEVICE_OBJECT, PDRIVER_OBJECT};

use cryptdisk_driver_logic::gate::{Gate, Pass};
use mountdev_wdk::Device;
/// What [`OwnedDevice::create`] creates: the adapter's `IoCreateDevice` arguments (this driver's
/// devices add a typed extension, which the adapter's `Device` has not).
pub use mountdev_wdk::DeviceSpec;

use super::thread::sleep_ms;

/// Which kind of device an extension belongs to (its first field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DeviceKind {
    /// A zero-filled extension: not initialised yet, or being deleted.
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

/// The part of every extension that outlives its body: read by dispatch routines before they
/// know the body's type, and still valid after the body was dropped (the device object, and so
/// the extension memory, lives until its last reference is gone).
#[repr(C)]
struct Header {
    kind: AtomicU32,
    gate: Gate,
}

/// The layout of every extension this driver creates.
#[repr(C)]
pub struct Tagged<E> {
    header: Header,
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

/// The driver object kept beyond `DriverEntry`, by the control service that creates volume
/// devices. Every copy lives on the control device's worker thread, which `DriverUnload` joins
/// before it returns, so the object outlives them.
#[derive(Clone, Copy, Debug)]
pub struct DriverHandle {
    raw: NonNull<DRIVER_OBJECT>,
}

// SAFETY: the driver object may be used from any thread until DriverUnload returns, and the
// handle's contract keeps every copy within that time.
unsafe impl Send for DriverHandle {}
// SAFETY: as above; the handle only hands out `DriverRef`s.
unsafe impl Sync for DriverHandle {}

impl DriverHandle {
    /// Keeps `driver` for later.
    ///
    /// # Safety
    ///
    /// Every copy of the handle must be gone before `DriverUnload` returns.
    pub unsafe fn new(driver: DriverRef<'_>) -> Self {
        Self { raw: driver.raw }
    }

    /// The driver object, borrowed for as long as the handle.
    pub fn driver(&self) -> DriverRef<'_> {
        DriverRef {
            raw: self.raw,
            _life: PhantomData,
        }
    }
}

/// A device object this driver created, borrowed (in a dispatch routine, or from the chain).
#[derive(Clone, Copy, Debug)]
pub struct DeviceRef<'a> {
    // INVARIANT: a live device object created by this driver, with a `Tagged` extension.
    raw: NonNull<DEVICE_OBJECT>,
    _life: PhantomData<&'a DEVICE_OBJECT>,
}

/// A dispatch routine's entry into a device's extension (see the module docs): the body stays
/// alive until this value drops.
pub struct Entered<'a> {
    device: DeviceRef<'a>,
    _pass: Pass<'a>,
}

impl Entered<'_> {
    /// The extension body, if the device is of kind `E::KIND`.
    pub fn extension<E: DeviceExtension>(&self) -> Option<&E> {
        if self.device.kind() != E::KIND {
            return None;
        }
        let tagged = self.device.extension_ptr().cast::<Tagged<E>>();
        // SAFETY: the tag says the extension holds an initialised `Tagged<E>`, and the pass this
        // value holds keeps its body from being dropped while the borrow (bounded by `&self`)
        // lasts; it is only shared (`E: Sync`).
        Some(unsafe { &(*tagged).body })
    }
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

    fn extension_ptr(self) -> *const u8 {
        // SAFETY: the invariant says the device is live; reading a pointer field.
        unsafe { (*self.raw.as_ptr()).DeviceExtension }
            .cast::<u8>()
            .cast_const()
    }

    fn header(self) -> Option<&'a Header> {
        let header = self.extension_ptr().cast::<Header>();
        // SAFETY: every device of this driver has an extension of at least `Tagged<_>`'s size,
        // starting with the header (repr(C)), zero-filled by IoCreateDevice (a valid header:
        // Unknown, open gate) and only changed through its atomics; the extension lives as long
        // as the device object ('a).
        (!header.is_null()).then(|| unsafe { &*header })
    }

    /// The kind recorded in the extension.
    pub fn kind(self) -> DeviceKind {
        self.header().map_or(DeviceKind::Unknown, |h| {
            DeviceKind::from_raw(h.kind.load(Ordering::Acquire))
        })
    }

    /// Enters the device's extension for the duration of a dispatch; `None` once the device is
    /// being deleted.
    pub fn enter(self) -> Option<Entered<'a>> {
        let pass = self.header()?.gate.enter()?;
        Some(Entered {
            device: self,
            _pass: pass,
        })
    }
}

/// A device object this driver created, with an extension body of type `E`, deleted (body
/// dropped first) when the value is dropped.
pub struct OwnedDevice<E: DeviceExtension> {
    // INVARIANT: `raw` is `device`'s object, created by `create`, whose extension holds an
    // initialised `Tagged<E>`. `device` deletes it when dropped, after `Drop` dropped the body.
    raw: NonNull<DEVICE_OBJECT>,
    device: Device,
    _body: PhantomData<E>,
}

// SAFETY: the device object may be deleted from any thread at PASSIVE_LEVEL; the body is Sync
// and owned by this value.
unsafe impl<E: DeviceExtension + Send> Send for OwnedDevice<E> {}
// SAFETY: shared access only hands out `&E`, and `E: Sync`.
unsafe impl<E: DeviceExtension> Sync for OwnedDevice<E> {}

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
        // SAFETY: `driver` is this driver's object, live while the handle is; the exclusive
        // borrow lasts for the `IoCreateDevice` call inside, and this driver holds no other
        // reference into the object meanwhile (DriverRef only reads fields, transiently).
        let object = unsafe { &mut *driver.as_ptr() };
        let device = Device::create_with_extension(object, spec, size)?;
        let raw = NonNull::new(device.as_ptr()).ok_or(NtStatus::INSUFFICIENT_RESOURCES)?;
        // SAFETY: IoCreateDevice succeeded, so the device is live and ours.
        let extension = unsafe { (*raw.as_ptr()).DeviceExtension }.cast::<Tagged<E>>();
        // SAFETY: the zeroed extension has `size` bytes (nonpaged, 16-aligned) and nobody else
        // sees it yet (DO_DEVICE_INITIALIZING); writing the tagged body initialises it.
        unsafe {
            extension.write(Tagged {
                header: Header {
                    kind: AtomicU32::new(E::KIND as u32),
                    gate: Gate::new(),
                },
                body,
            })
        };
        Ok(Self {
            raw,
            device,
            _body: PhantomData,
        })
    }

    /// Clears `DO_DEVICE_INITIALIZING`: from now on the I/O manager lets opens through.
    pub fn finish_initializing(&self) {
        self.device.finish_initializing();
    }

    fn tagged(&self) -> *mut Tagged<E> {
        self.device().extension_ptr().cast::<Tagged<E>>().cast_mut()
    }

    /// The extension body.
    pub fn body(&self) -> &E {
        // SAFETY: the invariant says the extension holds an initialised `Tagged<E>` for the
        // device's life, which `&self` bounds; the body is dropped only in `Drop`.
        unsafe { &(*self.tagged()).body }
    }

    /// The adapter's view of the device (for what it does with any device, such as its
    /// security descriptor).
    pub fn adapter_device(&self) -> &Device {
        &self.device
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
        if device.kind() != E::KIND {
            return None;
        }
        // SAFETY: `leak` forgot the whole value, adapter `Device` included, so the device object
        // is still this driver's and undeleted; the caller takes it back once.
        let owner = unsafe { Device::from_raw(device.raw) };
        Some(Self {
            raw: device.raw,
            device: owner,
            _body: PhantomData,
        })
    }
}

impl<E: DeviceExtension> Drop for OwnedDevice<E> {
    fn drop(&mut self) {
        let tagged = self.tagged();
        // SAFETY: the extension holds an initialised `Tagged<E>` (invariant); the header is
        // only used through shared references and atomics.
        let header = unsafe { &(*tagged).header };
        // No dispatch routine gets in from now on; wait for those inside to leave.
        header.gate.close(|| sleep_ms(1));
        // Lookups by kind see `Unknown` from now on.
        header.kind.store(DeviceKind::Unknown as u32, Ordering::Release);
        // SAFETY: `tagged` points at the initialised extension (invariant); taking a field
        // address.
        let body = unsafe { &raw mut (*tagged).body };
        // SAFETY: the body is initialised and dropped once, here, with no pass of the gate out
        // (so no dispatch routine holds a reference into it) and none to come.
        unsafe { core::ptr::drop_in_place(body) };
        // `self.device` drops next and deletes the device object (PASSIVE_LEVEL by contract of
        // the owners: DriverEntry failure paths, DriverUnload, unmount).
    }
}
