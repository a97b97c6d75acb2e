//! [`Device::restrict_to_system_and_admins`]: a security descriptor for a driver's control
//! device, so that only LocalSystem and the Administrators group may open it, with a protected
//! DACL (what the SDDL `D:P(A;;GA;;;SY)(A;;GA;;;BA)` says).
//!
//! `IoCreateDeviceSecure` would do this in one call, but it lives in the static library
//! `wdmsec.lib`, which neither the real wdk-sys links nor mingw-w64 provides (Wine's ntoskrnl
//! exports it, but real Windows' does not, so importing it from ntoskrnl.exe would make the
//! driver unloadable on Windows). The driver therefore builds the descriptor itself with the
//! documented ntoskrnl routines (`RtlCreateAcl`, `RtlAddAccessAllowedAce`,
//! `RtlCreateSecurityDescriptor`, `RtlSetDaclSecurityDescriptor`) and applies it to the device
//! object through a kernel handle (`ObOpenObjectByPointer` + `ZwSetSecurityObject`), which is
//! what `IoCreateDeviceSecure` does after `IoCreateDevice`. (`ObSetSecurityObjectByPointer`
//! would avoid the handle, but it is an unimplemented stub in Wine 8.)
//!
//! `GA` (GENERIC_ALL) is written as `FILE_ALL_ACCESS`, the right the I/O manager's generic
//! mapping gives it for device objects, so nothing depends on mapping at set time.

use core::fmt;
use core::ptr::null_mut;

use mountdev::NtStatus;
use wdk_sys::ntddk::{
    ObOpenObjectByPointer, RtlAddAccessAllowedAce, RtlCreateAcl, RtlCreateSecurityDescriptor,
    RtlSetDaclSecurityDescriptor, ZwClose, ZwSetSecurityObject,
};
use wdk_sys::{
    _MODE, ACL, ACL_REVISION, DACL_SECURITY_INFORMATION, FALSE, FILE_ALL_ACCESS, HANDLE, OBJ_KERNEL_HANDLE,
    PROTECTED_DACL_SECURITY_INFORMATION, SECURITY_DESCRIPTOR, SECURITY_DESCRIPTOR_REVISION, TRUE, WRITE_DAC,
};

use super::check;
use super::driver::Device;

/// A SID, stored with the 4-byte alignment the kernel expects.
#[repr(C, align(4))]
struct Sid<const N: usize>([u8; N]);

/// `S-1-5-18` (LocalSystem, `SY`): revision 1, one sub-authority, NT authority 5, RID 18.
static LOCAL_SYSTEM: Sid<12> = Sid([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);

/// `S-1-5-32-544` (BUILTIN\Administrators, `BA`): NT authority 5, RIDs 32 and 544 (0x220).
static BUILTIN_ADMINISTRATORS: Sid<16> = Sid([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0]);

/// Room for the DACL: the 8-byte header and two ACCESS_ALLOWED_ACEs (8 bytes + SID each).
const ACL_BYTES: usize = 8 + (8 + 12) + (8 + 16);

#[repr(C, align(4))]
struct AclBuffer([u8; ACL_BYTES]);

/// The step that failed while securing a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityError {
    /// Building the DACL or the descriptor (`Rtl*`).
    Build(NtStatus),
    /// Opening a handle to the device object (`ObOpenObjectByPointer`).
    Open(NtStatus),
    /// Applying the descriptor (`ZwSetSecurityObject`).
    Apply(NtStatus),
}

impl fmt::Display for SecurityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(s) => write!(f, "building the security descriptor failed ({s:?})"),
            Self::Open(s) => write!(f, "opening the device object failed ({s:?})"),
            Self::Apply(s) => write!(f, "setting the device's security failed ({s:?})"),
        }
    }
}

impl core::error::Error for SecurityError {}

impl From<SecurityError> for NtStatus {
    fn from(error: SecurityError) -> Self {
        match error {
            SecurityError::Build(s) | SecurityError::Open(s) | SecurityError::Apply(s) => s,
        }
    }
}

impl Device {
    /// Gives the device a protected DACL granting `FILE_ALL_ACCESS` to SY and BA only
    /// (PASSIVE_LEVEL, before [`Device::finish_initializing`]): the `IoCreateDeviceSecure` of a
    /// control device, which only administrators' tools may open (see the module docs).
    ///
    /// # Errors
    /// [`SecurityError`], naming the step that failed.
    pub fn restrict_to_system_and_admins(&self) -> Result<(), SecurityError> {
        restrict_to_system_and_admins(self)
    }
}

fn restrict_to_system_and_admins(device: &Device) -> Result<(), SecurityError> {
    let mut acl = AclBuffer([0; ACL_BYTES]);
    let acl_ptr = (&raw mut acl).cast::<ACL>();
    // SAFETY: `acl` is 4-aligned writable storage of ACL_BYTES bytes.
    check(unsafe { RtlCreateAcl(acl_ptr, ACL_BYTES as u32, ACL_REVISION) }).map_err(SecurityError::Build)?;
    for sid in [LOCAL_SYSTEM.0.as_ptr(), BUILTIN_ADMINISTRATORS.0.as_ptr()] {
        // SAFETY: `acl_ptr` is the ACL initialised above with room for both ACEs; the SID is a
        // valid, aligned SID that the routine only reads.
        check(unsafe { RtlAddAccessAllowedAce(acl_ptr, ACL_REVISION, FILE_ALL_ACCESS, sid.cast_mut().cast()) })
            .map_err(SecurityError::Build)?;
    }
    let mut descriptor = SECURITY_DESCRIPTOR::default();
    let descriptor_ptr = (&raw mut descriptor).cast();
    // SAFETY: `descriptor` is writable storage for an absolute security descriptor.
    check(unsafe { RtlCreateSecurityDescriptor(descriptor_ptr, SECURITY_DESCRIPTOR_REVISION) })
        .map_err(SecurityError::Build)?;
    // SAFETY: the descriptor was initialised above; it keeps a pointer to `acl`, which outlives
    // every use of the descriptor in this function.
    check(unsafe { RtlSetDaclSecurityDescriptor(descriptor_ptr, TRUE as _, acl_ptr, FALSE as _) })
        .map_err(SecurityError::Build)?;

    let mut handle: HANDLE = null_mut();
    // SAFETY: `device` is a live device object of this driver (`Device`'s invariant), kept alive
    // by the borrow; a kernel handle with WRITE_DAC
    // is requested in kernel mode, so no access check against the (still default) descriptor.
    check(unsafe {
        ObOpenObjectByPointer(
            device.as_ptr().cast(),
            OBJ_KERNEL_HANDLE,
            null_mut(),
            WRITE_DAC,
            null_mut(),
            _MODE::KernelMode as _,
            &mut handle,
        )
    })
    .map_err(SecurityError::Open)?;
    // SAFETY: `handle` is the kernel handle just opened; the descriptor and its DACL are live.
    let applied = check(unsafe {
        ZwSetSecurityObject(
            handle,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            descriptor_ptr,
        )
    });
    // SAFETY: the handle is closed once, here.
    let _ = unsafe { ZwClose(handle) };
    applied.map_err(SecurityError::Apply)
}
