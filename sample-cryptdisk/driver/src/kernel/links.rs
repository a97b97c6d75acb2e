//! Symbolic links in the global DOS-device namespace: (g) whether a drive letter is taken, so
//! MOUNT can refuse it instead of taking it over, and (h) [`OwnedLink`], a link the driver creates
//! itself (`IoCreateSymbolicLink`) and deletes when the value is dropped: the fallback drive
//! letter when the mount manager refuses, and the control device's link.
//!
//! Drive letters are looked up and created as `\GLOBAL??\X:`, so the result does not depend on
//! the caller's session. Wine has no `\GLOBAL??` directory (its global DOS devices live in
//! `\??`): when `\GLOBAL??` itself is missing (`STATUS_OBJECT_PATH_NOT_FOUND`), the same name is
//! used under `\??`, which a system thread resolves to the global directory on Windows as well.
//! Call these from a system thread (protocol.md §8 item 9). PASSIVE_LEVEL.

use core::ptr::null_mut;

use mountdev::{DriveLetterLink, NtStatus};
use wdk_sys::ntddk::{IoCreateSymbolicLink, IoDeleteSymbolicLink, ZwClose, ZwOpenSymbolicLinkObject};
use wdk_sys::{HANDLE, OBJ_CASE_INSENSITIVE, OBJ_KERNEL_HANDLE, OBJECT_ATTRIBUTES, SYMBOLIC_LINK_QUERY};

use super::name::{NameBuf, NameTooLong};
use super::{check, status};

/// The global DOS-device directory of Windows.
const GLOBAL_DIRECTORY: &str = "\\GLOBAL??\\";
/// The DOS-device directory of the caller, global for a system thread (and the only one Wine
/// has).
const CALLER_DIRECTORY: &str = "\\??\\";

/// `directory` + `X:`.
fn drive_name(directory: &str, letter: DriveLetterLink) -> Result<NameBuf, NameTooLong> {
    let mut name = NameBuf::from_ascii(directory)?;
    let mut utf8 = [0u8; 4];
    name.push_str(letter.letter().encode_utf8(&mut utf8))?;
    name.push_str(":")?;
    Ok(name)
}

/// `\GLOBAL??\X:` for a drive letter.
///
/// # Errors
///
/// Never in practice ([`NameTooLong`] is impossible for 12 code units).
pub fn global_drive_link(letter: DriveLetterLink) -> Result<NameBuf, NameTooLong> {
    drive_name(GLOBAL_DIRECTORY, letter)
}

/// (g) Whether a symbolic link named `link` exists (`ZwOpenSymbolicLinkObject`).
///
/// # Errors
///
/// Any status other than success and `STATUS_OBJECT_NAME_NOT_FOUND` (for example access denied,
/// or `STATUS_OBJECT_PATH_NOT_FOUND` when the directory does not exist): the answer is unknown
/// then.
pub fn link_exists(link: &NameBuf) -> Result<bool, NtStatus> {
    let mut name = link.unicode_string();
    let mut attributes = OBJECT_ATTRIBUTES {
        Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
        ObjectName: &mut name,
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
/// module docs for `\GLOBAL??` and Wine).
///
/// # Errors
///
/// The status of `IoCreateSymbolicLink` (`STATUS_OBJECT_NAME_COLLISION` when it exists).
pub fn create_drive_link(letter: DriveLetterLink, target: &NameBuf) -> Result<OwnedLink, NtStatus> {
    match OwnedLink::create(&drive_name(GLOBAL_DIRECTORY, letter)?, target) {
        Err(NtStatus::OBJECT_PATH_NOT_FOUND) => OwnedLink::create(&drive_name(CALLER_DIRECTORY, letter)?, target),
        created => created,
    }
}

/// (h) A symbolic link this driver created; deleted when dropped (`IoDeleteSymbolicLink`).
///
/// Create drive-letter links from a system thread, after [`link_exists`] said the letter is free.
#[derive(Debug)]
pub struct OwnedLink {
    link: NameBuf,
}

impl OwnedLink {
    /// Creates `link` → `target` (`IoCreateSymbolicLink`).
    ///
    /// # Errors
    ///
    /// The status of `IoCreateSymbolicLink` (`STATUS_OBJECT_NAME_COLLISION` when it exists).
    pub fn create(link: &NameBuf, target: &NameBuf) -> Result<Self, NtStatus> {
        let mut link_name = link.unicode_string();
        let mut target_name = target.unicode_string();
        // SAFETY: both strings point into live buffers for the call.
        check(unsafe { IoCreateSymbolicLink(&mut link_name, &mut target_name) })?;
        Ok(Self { link: link.clone() })
    }

    /// The link's name.
    pub fn name(&self) -> &NameBuf {
        &self.link
    }

    /// Deletes the link now and reports the status (dropping deletes it too, silently).
    ///
    /// # Errors
    ///
    /// The status of `IoDeleteSymbolicLink`.
    pub fn delete(self) -> Result<(), NtStatus> {
        let result = Self::delete_link(&self.link);
        core::mem::forget(self);
        result
    }

    fn delete_link(link: &NameBuf) -> Result<(), NtStatus> {
        let mut name = link.unicode_string();
        // SAFETY: `name` points into `link`, alive for the call.
        check(unsafe { IoDeleteSymbolicLink(&mut name) })
    }
}

impl Drop for OwnedLink {
    fn drop(&mut self) {
        let _ = Self::delete_link(&self.link);
    }
}
