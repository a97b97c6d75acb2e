//! The walkthrough: a LUKS1 container becomes a Windows volume at `Z:` in the behavioural
//! mount-manager simulator, step by step, with every IOCTL between the driver, the mount manager
//! and the volume printed as it happens.
//!
//! Run with `cargo run -p mountdev-examples --example walkthrough`; add `-- --luks2` for a LUKS2
//! container (argon2id, 4096-byte sectors: the disk reports 4096-byte logical sectors). It works
//! in a temporary directory and removes it at the end.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use std::error::Error;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cryptdisk_core::control::MountOptions;
use cryptdisk_core::device::{DiskDevice, IoKind, mount_plan, read, write};
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks::{FormatOptions, HashSpec, format};
use cryptdisk_core::luks2::metadata::Argon2Variant;
use cryptdisk_core::luks2::{self, KdfChoice, Luks2Options};
use cryptdisk_core::rng::OsRandom;
use cryptdisk_core::spec::CipherSpec;
use cryptdisk_core::uuid::Uuid;
use cryptdisk_core::volume::Volume;
use cryptdisk_core::xts::XtsKeySize;
use mountdev::ioctl::{IOCTL_DISK_GET_DRIVE_GEOMETRY, IOCTL_DISK_GET_LENGTH_INFO, IOCTL_STORAGE_QUERY_PROPERTY};
use mountdev::{DriveLetterLink, IoBuffers, MountdevVolume};
use mountmgr_client::sim::Sim;

const PASSPHRASE: &[u8] = b"correct horse battery staple";
const CONTAINER_BYTES: u64 = 8 << 20;
const LUKS2_CONTAINER_BYTES: u64 = 17 << 20;

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        let path = std::env::temp_dir().join(format!("mountdev-walkthrough-{}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn heading(text: &str) {
    println!("\n=== {text}");
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = TempDir::new()?;
    let path = dir.0.join("walkthrough.luks");

    let luks2 = std::env::args().any(|a| a == "--luks2");
    let (mut volume, uuid, sector_size) = if luks2 {
        create_luks2(&path)?
    } else {
        create_luks1(&path)?
    };
    let data_sectors = volume.sector_count();

    heading("3. Mount at Z: (CREATE_POINT first, then arrival, then verify) in the simulated mount manager");
    let mut sim = Sim::new();
    let device = Arc::new(DiskDevice::with_sector_size(
        1,
        &uuid,
        data_sectors,
        sector_size,
        MountOptions::default(),
        Some(b'Z'),
    )?);
    let letter = DriveLetterLink::new(b'Z');
    let mounted = mount_plan::mount(&mut sim, &device, letter)?;
    println!("{}", sim.trace());
    println!(
        "result: letter {:?}, volume name {:?}, fallback link {}, registered {}",
        mounted.letter.map(|l| l.letter()),
        mounted.volume_name.map(|n| n.to_string()),
        mounted.fallback_link,
        mounted.registered
    );
    println!(
        "conformance findings: {}",
        if sim.findings().is_empty() {
            "none".to_string()
        } else {
            sim.findings()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        }
    );

    heading("4. Write and read sectors through the disk device");
    let plaintext: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
    // Sector 104 = byte 53248: aligned for 512- and 4096-byte sectors alike.
    let range = device.check_io(IoKind::Write, 512 * 104, 4096)?;
    write(&mut volume, range, &plaintext)?;
    volume.flush()?;
    let mut back = vec![0u8; 4096];
    read(&mut volume, device.check_io(IoKind::Read, 512 * 104, 4096)?, &mut back)?;
    println!(
        "wrote 4096 bytes at byte 53248, read them back: {}",
        if back == plaintext { "identical" } else { "DIFFERENT" }
    );
    let raw = std::fs::read(&path)?;
    let on_disk = usize::try_from(volume.params().payload_offset)? * 512 + 104 * 512;
    println!(
        "the same bytes in the container file are ciphertext: {}",
        if raw[on_disk..on_disk + 4096] == plaintext[..] {
            "NO (plaintext!)"
        } else {
            "yes"
        }
    );
    println!(
        "misaligned read (offset 100)  -> {:?}",
        device.check_io(IoKind::Read, 100, 512).unwrap_err()
    );
    println!(
        "read past the end             -> {:?}",
        device
            .check_io(IoKind::Read, data_sectors * 512, u64::from(sector_size))
            .unwrap_err()
    );
    for (name, code, input) in [
        ("IOCTL_DISK_GET_LENGTH_INFO", IOCTL_DISK_GET_LENGTH_INFO, &[][..]),
        ("IOCTL_DISK_GET_DRIVE_GEOMETRY", IOCTL_DISK_GET_DRIVE_GEOMETRY, &[][..]),
        (
            "IOCTL_STORAGE_QUERY_PROPERTY (8-byte probe)",
            IOCTL_STORAGE_QUERY_PROPERTY,
            &[0u8; 12][..],
        ),
    ] {
        let mut out = vec![0u8; if code == IOCTL_STORAGE_QUERY_PROPERTY { 8 } else { 64 }];
        let reply = device.device_control(code, IoBuffers::split(input, &mut out));
        println!(
            "{name:<45} -> {} Information={} {:02x?}",
            reply.status,
            reply.information,
            &out[..reply.information.min(16)]
        );
    }

    heading("5. What Win32 sees: Z: -> volume GUID name -> device, and back");
    let resolved = sim.resolve_drive_letter('Z')?;
    println!(
        "GetVolumeNameForVolumeMountPoint(\"Z:\\\") = {}",
        sim.volume_name_for_mount_point("Z:\\")?
    );
    println!("which the mount manager maps to device     {}", resolved.device_name);
    println!(
        "GetVolumePathNamesForVolumeName(...)        = {:?}",
        sim.volume_paths(&resolved.volume_name)?
    );
    println!(
        "the volume's own device name                {}",
        device.identity().device_name()
    );

    heading("6. Unmount (DELETE_POINTS by the drive letter, delete the device)");
    sim.clear_trace();
    mount_plan::unmount(&mut sim, &device, &mounted, false)?;
    println!("{}", sim.trace());
    println!("drive letters left: {:?}", sim.drive_letters());
    let unique_id = device.identity().unique_id_bytes();
    let letters_left = sim
        .database()
        .iter()
        .filter(|(name, _)| name.drive_letter().is_some())
        .count();
    let foreign = sim.database().iter().filter(|(_, id)| *id != unique_id).count();
    let volume_names = sim.database().iter().filter(|(name, _)| name.is_volume_name()).count();
    println!(
        "MountedDevices drive letters left: {letters_left}{}",
        if letters_left == 0 && foreign == 0 && volume_names <= 1 {
            " (clean: no phantom letter; kept for the next mount of this volume: its volume GUID name and \
             a no-drive-letter marker)"
        } else {
            ""
        }
    );
    for (name, id) in sim.database().iter() {
        println!(
            "  {name} = {}",
            id.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
    }
    Ok(())
}

/// Step 1-2 for LUKS1: an 8 MiB container, unlocked with the passphrase.
fn create_luks1(path: &Path) -> Result<(Volume<FileDevice>, Uuid, u32), Box<dyn Error>> {
    heading("1. Create an 8 MiB LUKS1 aes-xts-plain64 container (what `cryptdisk create --type luks1` does)");
    File::create(path)?.set_len(CONTAINER_BYTES)?;
    let mut dev = FileDevice::open(path, true)?;
    let cipher = CipherSpec::AesXtsPlain64 {
        key_size: XtsKeySize::Bits512,
    };
    // Few PBKDF2 iterations so the walkthrough is quick; `cryptdisk create` calibrates to 2 s.
    let unlocked = format(
        &mut dev,
        &FormatOptions::new(cipher, HashSpec::Sha256, 1000, 1000),
        PASSPHRASE,
        &mut OsRandom,
    )?;
    drop(dev);
    let uuid = unlocked.header.uuid();
    println!("container   {}", path.display());
    println!(
        "cipher      {cipher}, {} bit key, PBKDF2-SHA256",
        cipher.key_bytes() * 8
    );
    println!("LUKS UUID   {}", String::from_utf8_lossy(&uuid.to_text()));

    heading("2. Unlock it with the passphrase (user mode: the driver only ever sees the master key)");
    let (volume, slot) = Volume::open(FileDevice::open(path, true)?, PASSPHRASE)?;
    println!(
        "key slot {slot} opened; {} data sectors of 512 bytes",
        volume.sector_count()
    );
    Ok((volume, uuid, 512))
}

/// Step 1-2 for LUKS2: a 17 MiB container (16 MiB of header and key slots), argon2id, 4096-byte
/// sectors, unlocked with the passphrase.
fn create_luks2(path: &Path) -> Result<(Volume<FileDevice>, Uuid, u32), Box<dyn Error>> {
    heading("1. Create a 17 MiB LUKS2 container: argon2id, 4096-byte sectors (what `cryptdisk create` does)");
    File::create(path)?.set_len(LUKS2_CONTAINER_BYTES)?;
    let mut dev = FileDevice::open(path, true)?;
    // Small argon2id costs so the walkthrough is quick; `cryptdisk create` calibrates to 2 s.
    let kdf = KdfChoice::Argon2 {
        variant: Argon2Variant::Argon2id,
        time: 2,
        memory_kib: 32 * 1024,
        cpus: 2,
    };
    let made = luks2::format(&mut dev, &Luks2Options::new(kdf, 1000), PASSPHRASE, &mut OsRandom)?;
    drop(dev);
    let uuid = made.header.uuid();
    println!("container   {}", path.display());
    println!("cipher      aes-xts-plain64, 512 bit key, argon2id (time 2, 32 MiB, 2 lanes), 4096-byte sectors");
    println!("LUKS UUID   {}", String::from_utf8_lossy(&uuid.to_text()));

    heading("2. Unlock it with the passphrase (user mode: the driver only ever sees the master key)");
    let mut dev = FileDevice::open(path, true)?;
    let unlocked = luks2::unlock(&mut dev, PASSPHRASE, None, &KdfLimits::DEFAULT)?;
    let volume = Volume::from_luks2(dev, &unlocked.header, &unlocked.volume_key)?;
    println!(
        "key slot {} opened; {} data sectors of 512 bytes in {}-byte encryption sectors",
        unlocked.slot,
        volume.sector_count(),
        volume.unit_size()
    );
    Ok((volume, uuid, 4096))
}
