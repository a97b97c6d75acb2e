//! Keeps the kernel pieces that phase 1 does not call yet — volume devices (a) with their
//! worker (b), the container file (c), MDL mapping (d), the AVX-state guard (e), the
//! mount-manager transport (f) and the link helpers (g, h) — compiled *and linked*, so that the
//! import check (`ci/check_imports.py`) covers every kernel routine they import.
//!
//! `DriverEntry` passes the table's address through `core::hint::black_box` ([`keep_linked`]),
//! so neither LTO nor the linker's `/OPT:REF` can drop it, and the function pointers in it keep
//! the functions. (`#[used]` alone is not enough: rust-lld still discards the unreferenced
//! section.) Phase 2 calls these functions from the MOUNT / UNMOUNT handlers and deletes this
//! module.

use cryptdisk_core::blockdev::BlockDevice;
use mountdev::{DriveLetterLink, Reply};
use mountmgr_client::Transport;

use crate::kernel::disk::{PlainSectors, create_volume};
use crate::kernel::file::ContainerFile;
use crate::kernel::links::{OwnedLink, global_drive_link, link_exists};
use crate::kernel::mountmgr::{KernelMountMgr, with_mount_manager};

/// `IOCTL_MOUNTMGR_QUERY_POINTS` with an all-zero filter ("everything"): the session phase 2's
/// MOUNT runs first, and the shape every mount-manager call has.
fn query_all_points(mount_manager: &mut KernelMountMgr) -> Reply {
    let filter = [0u8; mountdev::layout::MountPoint::C_SIZEOF];
    let mut header = [0u8; mountdev::layout::MountPointsHeader::C_SIZEOF];
    mount_manager.device_io_control(mountdev::ioctl::IOCTL_MOUNTMGR_QUERY_POINTS, &filter, &mut header)
}

/// "Is drive letter X free?" as MOUNT asks it.
fn letter_is_free(letter: DriveLetterLink) -> bool {
    global_drive_link(letter).ok().and_then(|name| link_exists(&name).ok()) == Some(false)
}

/// Function addresses of the phase-2 entry points.
struct KeepLinked([*const (); 9]);

// SAFETY: the table is immutable and only holds code addresses.
unsafe impl Sync for KeepLinked {}

static PHASE2_ENTRY_POINTS: KeepLinked = KeepLinked([
    create_volume::<PlainSectors<ContainerFile>> as *const (),
    ContainerFile::open as *const (),
    <ContainerFile as BlockDevice>::read_sectors as *const (),
    <ContainerFile as BlockDevice>::write_sectors as *const (),
    <ContainerFile as BlockDevice>::flush as *const (),
    with_mount_manager::<Reply, fn(&mut KernelMountMgr) -> Reply> as *const (),
    query_all_points as *const (),
    letter_is_free as *const (),
    OwnedLink::delete as *const (),
]);

/// Makes the phase-2 entry points reachable from `DriverEntry` (costs one register move).
pub(crate) fn keep_linked() {
    core::hint::black_box(PHASE2_ENTRY_POINTS.0.as_ptr());
}
