//! Drive letters in the global DOS-device namespace: (g) whether one is taken, so MOUNT can
//! refuse it instead of taking it over, and (h) creating one as the adapter's
//! [`SymbolicLink`] (deleted when dropped), the fallback when the mount manager refuses.
//!
//! Drive letters are looked up and created as `\GLOBAL??\X:`, so the result does not depend on
//! the caller's session. Wine has no `\GLOBAL??` directory (its global DOS devices live in
//! `\??`): when `\GLOBAL??` itself is missing (`STATUS_OBJECT_PATH_NOT_FOUND`), the same name is
//! used under `\??`, which a system thread resolves to the global directory on Windows as well.
//! Call these from a system thread (protocol.md §8 item 9). PASSIVE_LEVEL.

use core::ptr::null_mut;

use mountdev::{DriveLetterLink, NtName, NtStatus};
use mountdev_wdk::{SymbolicLink, UnicodeBuf};
use wdk_sys::ntddk::{ZwClose, ZwOpenSymbolicLinkObject};
use wdk_sys::{HANDLE, OBJ_CASE_INSENSITIVE, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, SYMBOLIC_LINK_QUERY};

use super::status;

/// The global DOS-device directory of Windows.
const GLOBAL_DIRECTORY: &str = "\\GLOBAL??\\";
/// The DOS-device directory of the caller, global for a system thread (and the only one Wine
/// has).
const CALLER_DIRECTORY: &str = "\\??\\";

/// `directory` + `X:`.
fn drive_name(directory: &str, letter: DriveLetterLink) -> Result<UnicodeBuf, NtStatus> {
    // The directory (ASCII), the letter and the colon.
    let mut name = UnicodeBuf::with_capacity(directory.len().saturating_add(2))?;
    name.push_str(directory)?;
    let mut utf8 = [0u8; 4];
    name.push_str(letter.letter().encode_utf8(&mut utf8))?;
    name.push_str(":")?;
    Ok(name)
}

/// (g) Whether a symbolic link named `link` exists (`ZwOpenSymbolicLinkObject`).
///
/// # Errors
///
/// Any status other than success and `STATUS_OBJECT_NAME_NOT_FOUND` (for example access denied,
/// or `STATUS_OBJECT_PATH_NOT_FOUND` when the directory does not exist): the answer is unknown
/// then.
pub fn link_exists(link: &UnicodeBuf) -> Result<bool, NtStatus> {
    let name = link.as_unicode()?;
    let mut attributes = OBJECT_ATTRIBUTES {
        Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
        ObjectName: name.as_ptr(),
        Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
        ..OBJECT_ATTRIBUTES::default()
    };
    let mut handle: HANDLE = null_mut();
    // SAFETY: pointers to locals that outlive the call; `name` points into `link`.
    let raw = unsafe { ZwOpenSymbolicLinkObject(&mut handle, SYMBOLIC_LINK_QUERY, &mut attributes) };
    match status(raw) {
        NtStatus::OBJECT_NAME_NOT_FOUND => Ok(false),
        s if s.is_success() => {
            // SAFETY: the handle just opened, closed once.
            let _ = unsafe { ZwClose(handle) };
            Ok(true)
        }
        s => Err(s),
    }
}

/// (g) Whether drive letter `letter` exists in the global namespace (see the module docs for
/// `\GLOBAL??` and Wine).
///
/// # Errors
///
/// As [`link_exists`]: the answer is unknown, and MOUNT should refuse the letter.
pub fn drive_letter_exists(letter: DriveLetterLink) -> Result<bool, NtStatus> {
    match link_exists(&drive_name(GLOBAL_DIRECTORY, letter)?) {
        Err(NtStatus::OBJECT_PATH_NOT_FOUND) => link_exists(&drive_name(CALLER_DIRECTORY, letter)?),
        answer => answer,
    }
}

/// (h) Creates the drive-letter link `letter` → `target` in the global namespace (see the
/// module docs for `\GLOBAL??` and Wine), after [`drive_letter_exists`] said it is free.
///
/// # Errors
///
/// The status of `IoCreateSymbolicLink` (`STATUS_OBJECT_NAME_COLLISION` when it exists).
pub fn create_drive_link(letter: DriveLetterLink, target: NtName<'_>) -> Result<SymbolicLink, NtStatus> {
    let create = |directory: &str| {
        let name = drive_name(directory, letter)?;
        SymbolicLink::create(name.as_unicode()?.name(), target)
    };
    match create(GLOBAL_DIRECTORY) {
        Err(NtStatus::OBJECT_PATH_NOT_FOUND) => create(CALLER_DIRECTORY),
        created => created,
    }
}
