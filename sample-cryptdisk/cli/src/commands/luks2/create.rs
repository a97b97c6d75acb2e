//! `cryptdisk create` of a LUKS2 volume (the default): argon2id (or `--pbkdf`), 4096-byte
//! sectors (or `--sector-size`), a 16 MiB data offset, as `cryptsetup luksFormat`.

use crate::args::{CreateArgs, FormatArgs};
use crate::commands::create::new_passphrase;
use crate::error::CliError;
use crate::luks2_args::{Luks2FormatArgs, PbkdfArg};
use crate::output::{self, human_bytes, with_spinner};
use crate::output_file::{OutputFile, check_target};
use crate::passphrase::{Asker, Passphrase};
use crate::volume_file;
use cryptdisk_core::filedev::FileDevice;
use cryptdisk_core::kdf_limits::KdfLimits;
use cryptdisk_core::luks::HashSpec;
use cryptdisk_core::luks2::manage::DEFAULT_DATA_OFFSET;
use cryptdisk_core::luks2::metadata::{Argon2Variant, Kdf};
use cryptdisk_core::luks2::unlock::derive;
use cryptdisk_core::luks2::{self, KdfChoice, Luks2Options, Unlocked2};
use cryptdisk_core::rng::OsRandom;
use std::path::Path;
use std::time::Instant;

/// Smallest Argon2 time cost cryptsetup uses.
const MIN_ARGON2_TIME: u32 = 4;
/// Smallest Argon2 memory cryptsetup lowers to when a machine is slow, KiB.
const MIN_ARGON2_MEMORY: u32 = 32 * 1024;

/// Milliseconds one Argon2 pass with `memory_kib` and `cpus` lanes takes here.
fn argon2_pass_ms(variant: Argon2Variant, memory_kib: u32, cpus: u32) -> Result<f64, CliError> {
    let kdf = Kdf::Argon2 {
        variant,
        time: 1,
        memory_kib,
        cpus,
        salt: vec![0x5a; 32],
    };
    let mut out = [0u8; 64];
    let started = Instant::now();
    derive(&kdf, b"benchmark passphrase", &mut out).map_err(|e| CliError::Luks2 {
        path: "benchmark".into(),
        error: e,
    })?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Argon2 costs for `iter_time_ms`, as cryptsetup chooses them: the memory asked for (at most
/// half of what the machine has available), at least 4 passes, the memory lowered (not below
/// 32 MiB) when 4 passes would take too long.
///
/// # Errors
///
/// Argon2 failures (no memory).
pub fn argon2_for_iter_time(
    variant: Argon2Variant,
    memory_kib: u32,
    cpus: u32,
    iter_time_ms: u32,
) -> Result<KdfChoice, CliError> {
    let half = KdfLimits::for_this_machine().max_argon2_memory_kib / 2;
    let mut memory = memory_kib.min(half.max(MIN_ARGON2_MEMORY));
    let per_pass = argon2_pass_ms(variant, memory, cpus)?.max(0.001);
    let passes = f64::from(iter_time_ms) / per_pass;
    let time = if passes >= f64::from(MIN_ARGON2_TIME) {
        passes.floor().min(f64::from(u16::MAX)) as u32
    } else {
        let scaled = f64::from(memory) * passes / f64::from(MIN_ARGON2_TIME);
        memory = (scaled as u32).clamp(MIN_ARGON2_MEMORY.min(memory), memory);
        MIN_ARGON2_TIME
    };
    Ok(KdfChoice::Argon2 {
        variant,
        time,
        memory_kib: memory,
        cpus,
    })
}

/// The options of a new LUKS2 volume from the command line: the key size, the sector size,
/// the 16 MiB data offset and the key derivation (`--pbkdf`, costs measured for `--iter-time`
/// unless `--pbkdf-force-iterations`), as `cryptsetup luksFormat` chooses them.
///
/// # Errors
///
/// Calibration errors.
pub fn new_options(volume: &Path, format: &FormatArgs, o: &Luks2FormatArgs) -> Result<Luks2Options, CliError> {
    let key_size = format.key_size.into();
    let kdf = match (o.pbkdf, o.pbkdf_force_iterations) {
        (PbkdfArg::Pbkdf2, Some(iterations)) => KdfChoice::Pbkdf2 {
            hash: format.hash.into(),
            iterations,
        },
        (PbkdfArg::Pbkdf2, None) => {
            let hash: HashSpec = format.hash.into();
            let c = volume_file::calibrate(volume, hash, format.cipher().key_bytes(), format.iter_time)?;
            KdfChoice::Pbkdf2 {
                hash,
                iterations: c.slot_iterations,
            }
        }
        (argon, forced) => {
            let variant = if argon == PbkdfArg::Argon2i {
                Argon2Variant::Argon2i
            } else {
                Argon2Variant::Argon2id
            };
            match forced {
                Some(time) => KdfChoice::Argon2 {
                    variant,
                    time,
                    memory_kib: o.pbkdf_memory,
                    cpus: o.pbkdf_parallel,
                },
                None => with_spinner(
                    format!("measuring {} for {} ms", argon_name(variant), format.iter_time),
                    || argon2_for_iter_time(variant, o.pbkdf_memory, o.pbkdf_parallel, format.iter_time),
                )?,
            }
        }
    };
    let digest_iterations = match o.pbkdf_force_iterations {
        Some(_) => 1000,
        None => volume_file::calibrate(volume, HashSpec::Sha256, key_size_bytes(key_size), 125)?
            .slot_iterations
            .max(1000),
    };
    Ok(Luks2Options {
        key_size,
        sector_size: o.sector_size,
        data_offset: DEFAULT_DATA_OFFSET,
        kdf,
        digest_iterations,
    })
}

/// Writes the LUKS2 header and key slot 0 of a new volume on `dev` (already sized), under a
/// spinner.
///
/// # Errors
///
/// LUKS2 and device errors.
pub fn format_new(
    dev: &mut FileDevice,
    volume: &Path,
    options: &Luks2Options,
    pass: &Passphrase,
) -> Result<Unlocked2, CliError> {
    with_spinner(format!("writing the header of {}", volume.display()), || {
        luks2::format(dev, options, pass.as_bytes(), &mut OsRandom)
    })
    .map_err(|e| CliError::luks2(volume, e))
}

/// `cryptdisk create VOLUME --size SIZE [--type luks2]`.
///
/// # Errors
///
/// Size, output, passphrase, LUKS2 and I/O errors; on any error no volume file is left behind.
pub fn run(args: &CreateArgs) -> Result<(), CliError> {
    let o = &args.luks2;
    let data_bytes = args
        .size
        .checked_sub(DEFAULT_DATA_OFFSET)
        .filter(|d| *d >= u64::from(o.sector_size) && d.is_multiple_of(u64::from(o.sector_size)))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "--size must be more than the 16 MiB LUKS2 header and key slots, and leave a whole number of {}-byte sectors",
                o.sector_size
            ))
        })?;
    check_target(&args.volume, args.force)?;
    let pass = new_passphrase(&args.volume, args.key.spec(), &mut Asker::for_process(false))?;
    let options = new_options(&args.volume, &args.format, o)?;
    let out = OutputFile::create(&args.volume, args.force)?;
    out.set_len(args.size)?;
    let mut dev = FileDevice::from_file(out.handle()?, true).map_err(|e| CliError::luks(&args.volume, e.into()))?;
    let unlocked = format_new(&mut dev, &args.volume, &options, &pass)?;
    drop(dev);
    out.commit()?;
    let cost = match options.kdf {
        KdfChoice::Pbkdf2 { hash, iterations } => format!("pbkdf2-{hash}, {iterations} iterations"),
        KdfChoice::Argon2 {
            variant,
            time,
            memory_kib,
            cpus,
        } => format!(
            "{}, time {time}, memory {memory_kib} KiB, {cpus} threads",
            argon_name(variant)
        ),
    };
    output::line(format_args!(
        "Created {} (LUKS2): {} of data after a 16 MiB header; aes-xts-plain64 with a {}-bit key, {}-byte sectors.",
        args.volume.display(),
        human_bytes(data_bytes),
        unlocked.volume_key.len().saturating_mul(8),
        o.sector_size
    ))?;
    output::line(format_args!(
        "Key slot {}: {cost}. UUID {}.",
        unlocked.slot,
        unlocked.header.uuid()
    ))
}

fn key_size_bytes(k: cryptdisk_core::xts::XtsKeySize) -> usize {
    k.bytes()
}

/// The metadata name of an Argon2 variant.
pub fn argon_name(v: Argon2Variant) -> &'static str {
    match v {
        Argon2Variant::Argon2i => "argon2i",
        Argon2Variant::Argon2id => "argon2id",
    }
}
