//! `cryptdisk encrypt RAW_IN VOLUME` and `cryptdisk decrypt VOLUME RAW_OUT`: convert between a
//! raw image and a volume, streaming in [`CHUNK_BYTES`] pieces (never the whole file in
//! memory), with a progress bar. Outputs are written under a temporary name and renamed into
//! place when complete; an existing output is replaced only with `--force`.

use crate::args::{DecryptArgs, EncryptArgs};
use crate::commands::create::{format_volume, header_bytes, new_passphrase};
use crate::error::CliError;
use crate::length_record::{self, LengthRecord};
use crate::output::{self, byte_bar, human_bytes};
use crate::output_file::{OutputFile, check_target};
use crate::size::{SECTOR_BYTES, SizeError, sectors_for};
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::volume::{Volume, VolumeParams};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// Bytes moved per read and write: 4 MiB (8192 sectors).
pub const CHUNK_BYTES: usize = 4 << 20;

/// [`CHUNK_BYTES`] as a `u64`.
const CHUNK_U64: u64 = CHUNK_BYTES as u64;

/// The bytes of `buf` to use for a piece of `len` bytes rounded up to whole sectors.
fn sector_span(len: u64) -> Result<usize, CliError> {
    sectors_for(len)
        .checked_mul(SECTOR_BYTES)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= CHUNK_BYTES)
        .ok_or(CliError::Internal("chunk larger than its buffer"))
}

/// `cryptdisk decrypt VOLUME RAW_OUT`: writes the decrypted data area (or the original length
/// `encrypt` recorded, unless `--full`).
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::OutputExists`], LUKS, volume and I/O errors; on
/// any error no output file is left behind.
pub fn decrypt(args: &DecryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    check_target(&args.raw_out, args.force)?;
    let (mut dev, unlocked) = volume_file::open_and_unlock(path, false, args.key.key_file.as_deref())?;
    let params = VolumeParams::from_header(&unlocked.header);
    let data_sectors = dev.sector_count().saturating_sub(params.payload_offset);
    let data_bytes = data_sectors.saturating_mul(SECTOR_BYTES);
    let record = if args.full {
        LengthRecord::Absent
    } else {
        length_record::read(&mut dev, &unlocked.header, data_sectors).map_err(|e| CliError::luks(path, e.into()))?
    };
    let length = match record {
        LengthRecord::Valid(len) => len,
        LengthRecord::Absent => data_bytes,
        LengthRecord::Mismatch(len) => {
            output::warn(format_args!(
                "ignoring the recorded original length ({len} bytes): it does not fit the data area; writing all {data_bytes} bytes"
            ));
            data_bytes
        }
    };
    let mut volume = Volume::from_params(dev, &params, &unlocked.master_key).map_err(|e| CliError::volume(path, e))?;

    write_plaintext(&mut volume, length, args)
}

/// The output half of `decrypt`, shared by LUKS1 and LUKS2: decrypts the first `length` bytes
/// of `volume`'s data area into `args.raw_out` (created under a temporary name and renamed into
/// place when complete) with a progress bar, [`CHUNK_BYTES`] at a time.
///
/// # Errors
///
/// [`CliError::OutputExists`], volume and I/O errors; on any error no output file is left.
pub fn write_plaintext<D: BlockDevice>(
    volume: &mut Volume<D>,
    length: u64,
    args: &DecryptArgs,
) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let out = OutputFile::create(&args.raw_out, args.force)?;
    let mut writer = out.handle()?;
    let bar = byte_bar(length, "decrypting");
    let mut buf = Zeroizing::new(vec![0u8; CHUNK_BYTES]);
    let mut lba = 0u64;
    let mut remaining = length;
    while remaining > 0 {
        let take = remaining.min(CHUNK_U64);
        let span = sector_span(take)?;
        let sectors = buf
            .get_mut(..span)
            .ok_or(CliError::Internal("chunk larger than its buffer"))?;
        volume
            .read_sectors(lba, sectors)
            .map_err(|e| CliError::volume(path, e))?;
        let bytes = usize::try_from(take)
            .ok()
            .and_then(|n| sectors.get(..n))
            .unwrap_or(sectors);
        writer.write_all(bytes).map_err(CliError::io("write", &args.raw_out))?;
        lba = lba.saturating_add(sectors_for(take));
        remaining = remaining.saturating_sub(take);
        bar.inc(take);
    }
    bar.finish_and_clear();
    drop(writer);
    out.commit()?;
    output::line(format_args!(
        "Decrypted {} ({length} bytes) from {} into {}.",
        human_bytes(length),
        path.display(),
        args.raw_out.display()
    ))
}

/// Opens the raw input and returns it with its length (which must not be zero). The length
/// comes from seeking to the end, which works for regular files and block devices alike.
fn open_raw(path: &Path) -> Result<(File, u64), CliError> {
    let mut file = File::open(path).map_err(CliError::io("open", path))?;
    let meta = file.metadata().map_err(CliError::io("read the size of", path))?;
    if meta.is_dir() {
        return Err(CliError::Io {
            action: "read",
            path: path.to_owned(),
            error: io::Error::other("it is a directory"),
        });
    }
    let len = file
        .seek(SeekFrom::End(0))
        .map_err(CliError::io("find the size of", path))?;
    file.seek(SeekFrom::Start(0)).map_err(CliError::io("rewind", path))?;
    if len == 0 {
        return Err(CliError::EmptyInput { path: path.to_owned() });
    }
    Ok((file, len))
}

/// `cryptdisk encrypt RAW_IN VOLUME`: a new volume whose data area is RAW_IN rounded up to
/// whole sectors (zero-padded), with the exact length recorded for `decrypt`.
///
/// # Errors
///
/// [`CliError::EmptyInput`], [`CliError::InputChanged`], [`CliError::OutputExists`],
/// passphrase, LUKS, volume and I/O errors; on any error no volume file is left behind.
pub fn encrypt(args: &EncryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    let (mut raw, length) = open_raw(&args.raw_in)?;
    let data_bytes = sectors_for(length)
        .checked_mul(SECTOR_BYTES)
        .ok_or_else(|| SizeError::TooLarge {
            text: length.to_string(),
        })?;
    let total = header_bytes(args.format.cipher())?
        .checked_add(data_bytes)
        .ok_or_else(|| SizeError::TooLarge {
            text: length.to_string(),
        })?;
    check_target(path, args.force)?;
    let pass = new_passphrase(path, args.key.key_file.as_deref())?;

    let out = OutputFile::create(path, args.force)?;
    out.set_len(total)?;
    let mut dev = FileDevice::from_file(out.handle()?, true).map_err(|e| CliError::luks(path, e.into()))?;
    let unlocked = format_volume(&mut dev, path, &args.format, &pass)?;
    let params = VolumeParams::from_header(&unlocked.header);
    let mut volume = Volume::from_params(dev, &params, &unlocked.master_key).map_err(|e| CliError::volume(path, e))?;

    let bar = byte_bar(length, "encrypting");
    let mut buf = Zeroizing::new(vec![0u8; CHUNK_BYTES]);
    let mut lba = 0u64;
    let mut remaining = length;
    while remaining > 0 {
        let take = remaining.min(CHUNK_U64);
        let span = sector_span(take)?;
        let sectors = buf
            .get_mut(..span)
            .ok_or(CliError::Internal("chunk larger than its buffer"))?;
        let want = usize::try_from(take).map_err(|_| CliError::Internal("chunk larger than its buffer"))?;
        let (data, padding) = sectors.split_at_mut(want.min(span));
        raw.read_exact(data).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => CliError::InputChanged {
                path: args.raw_in.clone(),
            },
            _ => CliError::io("read", &args.raw_in)(e),
        })?;
        padding.fill(0);
        volume
            .write_sectors(lba, sectors)
            .map_err(|e| CliError::volume(path, e))?;
        lba = lba.saturating_add(sectors_for(take));
        remaining = remaining.saturating_sub(take);
        bar.inc(take);
    }
    bar.finish_and_clear();
    let mut probe = [0u8; 1];
    if raw.read(&mut probe).map_err(CliError::io("read", &args.raw_in))? != 0 {
        return Err(CliError::InputChanged {
            path: args.raw_in.clone(),
        });
    }

    let mut dev = volume.into_device();
    let recorded =
        length_record::write(&mut dev, &unlocked.header, length).map_err(|e| CliError::luks(path, e.into()))?;
    if !recorded && !length.is_multiple_of(SECTOR_BYTES) {
        output::warn(format_args!(
            "no room to record the original length; decrypt will give {data_bytes} bytes"
        ));
    }
    dev.flush().map_err(|e| CliError::luks(path, e.into()))?;
    drop(dev);
    out.commit()?;
    output::line(format_args!(
        "Encrypted {} ({length} bytes) from {} into {} ({} with a {}-bit key, UUID {}).",
        human_bytes(length),
        args.raw_in.display(),
        path.display(),
        unlocked.header.cipher(),
        unlocked.header.cipher().key_bytes().saturating_mul(8),
        unlocked.header.uuid()
    ))
}
