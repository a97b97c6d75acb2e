//! `cryptdisk encrypt RAW_IN VOLUME` and `cryptdisk decrypt VOLUME RAW_OUT`: convert between a
//! raw image and a volume, streaming in [`CHUNK_BYTES`] pieces (never the whole file in
//! memory), with a progress bar. `-` is standard input (`encrypt - VOLUME`) or standard output
//! (`decrypt VOLUME -`). Output files are written under a temporary name and renamed into place
//! when complete (Ctrl-C removes them, see [`crate::interrupt`]); an existing output is replaced
//! only with `--force`, and never when it is the input.

use crate::args::{DecryptArgs, EncryptArgs};
use crate::commands::create::{check_volume_path, format_volume, header_bytes, new_passphrase};
use crate::commands::luks2::create as luks2_create;
use crate::error::CliError;
use crate::growing_file::GrowingFile;
use crate::length_record::{self, LengthRecord};
use crate::length_token;
use crate::luks2_args::FormatType;
use crate::output::{self, byte_bar, human_bytes};
use crate::output_file::{OutputFile, check_not_input, check_target};
use crate::passphrase::{Asker, STDIN_MARKER};
use crate::size::{SECTOR_BYTES, SizeError, sectors_for};
use crate::volume_file;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::luks2::manage::DEFAULT_DATA_OFFSET;
use cryptdisk_core::volume::{Volume, VolumeParams};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use zeroize::Zeroizing;

/// Bytes moved per read and write: 4 MiB (8192 sectors).
pub const CHUNK_BYTES: usize = 4 << 20;

/// [`CHUNK_BYTES`] as a `u64`.
const CHUNK_U64: u64 = CHUNK_BYTES as u64;

/// A zeroed, zeroizing buffer of [`CHUNK_BYTES`], reserved fallibly.
fn chunk_buffer() -> Result<Zeroizing<Vec<u8>>, CliError> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(CHUNK_BYTES).map_err(|_| CliError::OutOfMemory)?;
    buf.resize(CHUNK_BYTES, 0);
    Ok(Zeroizing::new(buf))
}

/// Whether `path` is `-` (standard input or output).
fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == STDIN_MARKER
}

/// `cryptdisk decrypt VOLUME RAW_OUT`: writes the decrypted data area (or the original length
/// `encrypt` recorded, unless `--full`) to RAW_OUT (`-`: standard output).
///
/// # Errors
///
/// [`CliError::WrongPassphrase`], [`CliError::OutputExists`], [`CliError::SameFile`], LUKS,
/// volume and I/O errors; on any error (and on Ctrl-C) no output file is left behind.
pub fn decrypt(args: &DecryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    check_output(args)?;
    let mut asker = Asker::for_process(false);
    let (mut dev, unlocked) = volume_file::open_and_unlock(path, false, &args.unlock, args.key_slot, &mut asker)?;
    let params = VolumeParams::from_header(&unlocked.header);
    let data_sectors = dev.sector_count().saturating_sub(params.payload_offset);
    let data_bytes = data_sectors.saturating_mul(SECTOR_BYTES);
    let record = if args.full {
        LengthRecord::Absent
    } else {
        length_record::read(&mut dev, &unlocked.header, data_sectors).map_err(|e| CliError::luks(path, e.into()))?
    };
    let length = record.length_to_write(data_bytes);
    let mut volume = Volume::from_params(dev, &params, &unlocked.master_key).map_err(|e| CliError::volume(path, e))?;

    write_plaintext(&mut volume, length, args)
}

/// The checks `decrypt` makes on `args.raw_out` before it asks for a passphrase, shared by LUKS1
/// and LUKS2: an existing output needs `--force` and is never the volume itself.
///
/// # Errors
///
/// [`CliError::OutputExists`], [`CliError::SameFile`].
pub fn check_output(args: &DecryptArgs) -> Result<(), CliError> {
    if !is_stdio(&args.raw_out) {
        check_target(&args.raw_out, args.force)?;
    }
    check_not_input(args.volume.as_path(), &args.raw_out)
}

/// The output half of `decrypt`, shared by LUKS1 and LUKS2: decrypts the first `length` bytes
/// of `volume`'s data area into `args.raw_out` (`-`: standard output; a file is created under a
/// temporary name and renamed into place when complete) with a progress bar, [`CHUNK_BYTES`] at
/// a time.
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
    let to_stdout = is_stdio(&args.raw_out);
    let mut buf = chunk_buffer()?;
    let (out, mut writer): (Option<OutputFile>, Box<dyn Write>) = if to_stdout {
        (None, Box::new(io::stdout().lock()))
    } else {
        let out = OutputFile::create(&args.raw_out, args.force)?;
        let writer = out.handle()?;
        (Some(out), Box::new(writer))
    };
    let bar = byte_bar(length, "decrypting");
    let mut lba = 0u64;
    let mut remaining = length;
    while remaining > 0 {
        let take = remaining.min(CHUNK_U64);
        // Whole volume sectors (4096 bytes on most LUKS2 volumes); only the last piece is short.
        let span = unit_span(take, u64::try_from(volume.unit_size()).unwrap_or(SECTOR_BYTES))?;
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
    writer.flush().map_err(CliError::io("write", &args.raw_out))?;
    drop(writer);
    if let Some(out) = out {
        out.commit()?;
    }
    let shown = if to_stdout {
        "standard output".to_owned()
    } else {
        args.raw_out.display().to_string()
    };
    let report = format!(
        "Decrypted {} ({length} bytes) from {} into {shown}.",
        human_bytes(length),
        path.display()
    );
    if to_stdout {
        // Standard output carries the data: the report goes to standard error.
        let _ = writeln!(io::stderr().lock(), "{report}");
        Ok(())
    } else {
        output::line(format_args!("{report}"))
    }
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

/// Reads from `reader` until `buf` is full or the input ends; the number of bytes read.
fn read_full(reader: &mut dyn Read, buf: &mut [u8], path: &Path) -> Result<usize, CliError> {
    let mut filled = 0usize;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CliError::io("read", path)(e)),
        }
    }
    Ok(filled)
}

/// `cryptdisk encrypt RAW_IN VOLUME`: a new volume whose data area is RAW_IN (`-`: standard
/// input) rounded up to whole sectors (zero-padded), with the exact length recorded for
/// `decrypt`.
///
/// # Errors
///
/// [`CliError::EmptyInput`], [`CliError::InputChanged`], [`CliError::OutputExists`],
/// [`CliError::SameFile`], passphrase, LUKS, volume and I/O errors; on any error (and on
/// Ctrl-C) no volume file is left behind.
pub fn encrypt(args: &EncryptArgs) -> Result<(), CliError> {
    let path = args.volume.as_path();
    check_volume_path(path)?;
    let from_stdin = is_stdio(&args.raw_in);
    let (mut raw, length): (Box<dyn Read>, Option<u64>) = if from_stdin {
        (Box::new(io::stdin().lock()), None)
    } else {
        let (file, len) = open_raw(&args.raw_in)?;
        (Box::new(file), Some(len))
    };
    let luks2 = args.luks2.format_type == FormatType::Luks2;
    let (header, unit) = if luks2 {
        (DEFAULT_DATA_OFFSET, u64::from(args.luks2.sector_size))
    } else {
        (header_bytes(args.format.cipher())?, SECTOR_BYTES)
    };
    // A known length sizes the file at once; standard input grows it from one data sector.
    let initial = length
        .unwrap_or(1)
        .checked_next_multiple_of(unit)
        .and_then(|data| data.checked_add(header))
        .ok_or_else(|| SizeError::TooLarge {
            text: length.unwrap_or(0).to_string(),
        })?;
    check_target(path, args.force)?;
    check_not_input(&args.raw_in, path)?;
    let mut asker = Asker::for_process(from_stdin);
    let pass = new_passphrase(path, args.key.spec(), &mut asker)?;
    let luks2_options = if luks2 {
        Some(luks2_create::new_options(path, &args.format, &args.luks2)?)
    } else {
        None
    };

    let out = OutputFile::create(path, args.force)?;
    out.set_len(initial)?;
    let mut dev = FileDevice::from_file(out.handle()?, true).map_err(|e| CliError::luks(path, e.into()))?;
    let growing = GrowingFile::new(out.handle()?);
    let (mut volume, made) = match &luks2_options {
        Some(options) => {
            let unlocked = luks2_create::format_new(&mut dev, path, options, &pass)?;
            let volume = Volume::from_luks2(growing, &unlocked.header, &unlocked.volume_key)
                .map_err(|e| CliError::volume(path, e))?;
            let made = Made {
                cipher: "aes-xts-plain64 (LUKS2)".to_owned(),
                key_bits: unlocked.volume_key.len().saturating_mul(8),
                uuid: unlocked.header.uuid(),
                luks1: None,
            };
            (volume, made)
        }
        None => {
            let unlocked = format_volume(&mut dev, path, &args.format, &pass)?;
            let params = VolumeParams::from_header(&unlocked.header);
            let volume =
                Volume::from_params(growing, &params, &unlocked.master_key).map_err(|e| CliError::volume(path, e))?;
            let made = Made {
                cipher: unlocked.header.cipher().to_string(),
                key_bits: unlocked.header.cipher().key_bytes().saturating_mul(8),
                uuid: unlocked.header.uuid(),
                luks1: Some(unlocked.header),
            };
            (volume, made)
        }
    };
    drop(dev);

    let bar = match length {
        Some(len) => byte_bar(len, "encrypting"),
        None => output::byte_counter("encrypting standard input"),
    };
    let mut buf = chunk_buffer()?;
    let mut lba = 0u64;
    let mut total = 0u64;
    loop {
        let got = read_full(&mut raw, &mut buf, &args.raw_in)?;
        if got == 0 {
            break;
        }
        let got_u64 = u64::try_from(got).map_err(|_| CliError::Internal("chunk larger than its buffer"))?;
        let span = unit_span(got_u64, unit)?;
        let sectors = buf
            .get_mut(..span)
            .ok_or(CliError::Internal("chunk larger than its buffer"))?;
        if let Some(padding) = sectors.get_mut(got..) {
            padding.fill(0);
        }
        volume
            .write_sectors(lba, sectors)
            .map_err(|e| CliError::volume(path, e))?;
        lba = lba.saturating_add(sectors_for(u64::try_from(span).unwrap_or(u64::MAX)));
        total = total.saturating_add(got_u64);
        bar.inc(got_u64);
        if got < CHUNK_BYTES {
            break;
        }
    }
    bar.finish_and_clear();
    if total == 0 {
        return Err(CliError::EmptyInput {
            path: args.raw_in.clone(),
        });
    }
    if length.is_some_and(|len| len != total) {
        return Err(CliError::InputChanged {
            path: args.raw_in.clone(),
        });
    }
    let data_bytes = lba.saturating_mul(SECTOR_BYTES);

    let mut dev = volume.into_device();
    let recorded = match &made.luks1 {
        Some(header) => length_record::write(&mut dev, header, total).map_err(|e| CliError::luks(path, e.into()))?,
        None => length_token::write(&mut dev, total)
            .map(|()| true)
            .map_err(|e| CliError::luks2(path, e))?,
    };
    if !recorded && !total.is_multiple_of(unit) {
        output::warn(format_args!(
            "no room to record the original length; decrypt will give {data_bytes} bytes"
        ));
    }
    dev.flush().map_err(|e| CliError::luks(path, e.into()))?;
    drop(dev);
    out.commit()?;
    output::line(format_args!(
        "Encrypted {} ({total} bytes) from {} into {} ({} with a {}-bit key, UUID {}).",
        human_bytes(total),
        if from_stdin {
            "standard input".to_owned()
        } else {
            args.raw_in.display().to_string()
        },
        path.display(),
        made.cipher,
        made.key_bits,
        made.uuid
    ))
}

/// What `encrypt` made, for its report (and, for LUKS1, the header the length record needs).
struct Made {
    cipher: String,
    key_bits: usize,
    uuid: cryptdisk_core::uuid::Uuid,
    luks1: Option<cryptdisk_core::luks::LuksHeader>,
}

/// The bytes of a chunk buffer for a piece of `len` bytes rounded up to whole `unit`-byte
/// sectors (512 for LUKS1, the LUKS2 sector size).
fn unit_span(len: u64, unit: u64) -> Result<usize, CliError> {
    len.checked_next_multiple_of(unit)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= CHUNK_BYTES)
        .ok_or(CliError::Internal("chunk larger than its buffer"))
}
