//! Compile-time checks of the kernel structure layouts the driver relies on, against the
//! Windows x64 ABI (values from the WDK headers; toolchain.md §3.4, driver-on-linux.md §2).
//! They hold for the real wdk-sys and for the Linux stand-in alike.

use core::mem::{offset_of, size_of};

use wdk_sys::{
    DEVICE_OBJECT, DRIVER_OBJECT, IO_STACK_LOCATION, IO_STATUS_BLOCK, IRP, KEVENT, KSEMAPHORE, MDL, OBJECT_ATTRIBUTES,
    SECURITY_DESCRIPTOR, UNICODE_STRING, XSTATE_SAVE,
};

const _: () = assert!(size_of::<IRP>() == 0xD0);
const _: () = assert!(offset_of!(IRP, Tail) == 0x78);
const _: () = assert!(offset_of!(IRP, IoStatus) == 0x30);
const _: () = assert!(offset_of!(IRP, MdlAddress) == 0x08);
const _: () = assert!(size_of::<IO_STACK_LOCATION>() == 0x48);
const _: () = assert!(offset_of!(IO_STACK_LOCATION, Parameters) == 0x08);
// WDK: 0x150 (a trailing `Reserved` field and DECLSPEC_ALIGN(16)); mingw-w64 10: 0x148. The
// offsets the driver touches are the same in both.
const _: () = assert!(size_of::<DEVICE_OBJECT>() == 0x150 || size_of::<DEVICE_OBJECT>() == 0x148);
const _: () = assert!(offset_of!(DEVICE_OBJECT, NextDevice) == 0x10);
const _: () = assert!(offset_of!(DEVICE_OBJECT, Flags) == 0x30);
const _: () = assert!(offset_of!(DEVICE_OBJECT, DeviceExtension) == 0x40);
const _: () = assert!(size_of::<DRIVER_OBJECT>() == 0x150);
const _: () = assert!(offset_of!(DRIVER_OBJECT, DeviceObject) == 0x08);
const _: () = assert!(offset_of!(DRIVER_OBJECT, DriverUnload) == 0x68);
const _: () = assert!(offset_of!(DRIVER_OBJECT, MajorFunction) == 0x70);
const _: () = assert!(size_of::<MDL>() == 0x30);
const _: () = assert!(size_of::<KSEMAPHORE>() == 0x20);
const _: () = assert!(size_of::<KEVENT>() == 0x18);
const _: () = assert!(size_of::<OBJECT_ATTRIBUTES>() == 0x30);
const _: () = assert!(size_of::<IO_STATUS_BLOCK>() == 0x10);
const _: () = assert!(size_of::<UNICODE_STRING>() == 0x10);
// Absolute-format descriptor: revision, Sbz1, control, then four pointers.
const _: () = assert!(size_of::<SECURITY_DESCRIPTOR>() == 0x28);
// Prev, Thread, Level (+7 padding), then the 32-byte XSTATE_CONTEXT.
const _: () = assert!(size_of::<XSTATE_SAVE>() == 0x38);
