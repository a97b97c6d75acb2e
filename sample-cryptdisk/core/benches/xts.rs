//! XTS-AES-256 throughput: this crate's data path, the `xts-mode` crate, and
//! `openssl speed -evp aes-256-xts` (run as a child process in the same run), for 512- and
//! 4096-byte sectors, encrypt and decrypt, over a hot 16 KiB buffer and a 64 MiB stream.
//!
//! `cargo bench -p cryptdisk-core --bench xts` prints MB/s (10^6 B/s) as "median (best)" over
//! interleaved repetitions, and our/OpenSSL ratios from the same run (`performance.md` §3).
//! Environment: `CRYPTDISK_BENCH_REPS` (default 5), `CRYPTDISK_BENCH_SECS` (minimum time per
//! Rust cell, default 0.5). Without `--bench` (e.g. `cargo test --benches`) it runs a short
//! smoke pass without OpenSSL and without the 64 MiB stream.

use aes::Aes256;
use cipher::KeyInit;
use cryptdisk_core::bench::{self, Direction, Measurement, Workload, measure, measure_xts, median};
use cryptdisk_core::xts::XtsAes;
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Impl {
    Ours,
    XtsMode,
}

type Key = (usize, Direction, Impl, Workload);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn cell(v: &[f64]) -> String {
    if v.is_empty() {
        return "-".into();
    }
    let best = v.iter().copied().fold(f64::MIN, f64::max);
    format!("{:.0} ({:.0})", median(v), best)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let reps: usize = if full { env_or("CRYPTDISK_BENCH_REPS", 5) } else { 1 };
    let secs: f64 = if full {
        env_or("CRYPTDISK_BENCH_SECS", 0.5)
    } else {
        0.01
    };
    let min_time = Duration::from_secs_f64(secs);

    let key: Vec<u8> = (0u8..64).map(|i| i.wrapping_mul(73).wrapping_add(11)).collect();
    let ours = XtsAes::new(&key).expect("distinct key halves");
    let peer = xts_mode::Xts128::new(
        Aes256::new_from_slice(&key[..32]).expect("32-byte key"),
        Aes256::new_from_slice(&key[32..]).expect("32-byte key"),
    );
    let mut hot = Workload::Hot.buffer();
    let mut stream = if full { Workload::Stream.buffer() } else { Vec::new() };
    let workloads: &[Workload] = if full {
        &[Workload::Hot, Workload::Stream]
    } else {
        &[Workload::Hot]
    };

    let mut results: BTreeMap<Key, Vec<f64>> = BTreeMap::new();
    let mut openssl: BTreeMap<(usize, Direction), Vec<f64>> = BTreeMap::new();
    let mut openssl_error = None;
    let cells: Vec<(usize, Direction)> = [512, 4096]
        .into_iter()
        .flat_map(|s| [(s, Direction::Encrypt), (s, Direction::Decrypt)])
        .collect();

    eprintln!("aes hardware acceleration: {}", aes::hardware_accelerated());
    for rep in 0..reps {
        eprintln!("repetition {}/{reps}", rep + 1);
        // Rotate the order every repetition so that no cell always runs first.
        let mut order = cells.clone();
        order.rotate_left(rep % cells.len());
        for (sector, dir) in order {
            for &w in workloads {
                let buf = if w == Workload::Hot { &mut hot } else { &mut stream };
                let first = w.first_sector();
                let m = measure_xts(&ours, buf, sector, dir, first, min_time).expect("valid geometry");
                results
                    .entry((sector, dir, Impl::Ours, w))
                    .or_default()
                    .push(m.mb_per_s());
                let m: Measurement = measure(buf, min_time, |b| match dir {
                    Direction::Encrypt => peer.encrypt_area(b, sector, u128::from(first), xts_mode::get_tweak_default),
                    Direction::Decrypt => peer.decrypt_area(b, sector, u128::from(first), xts_mode::get_tweak_default),
                });
                results
                    .entry((sector, dir, Impl::XtsMode, w))
                    .or_default()
                    .push(m.mb_per_s());
            }
            if full {
                match bench::openssl_speed(sector, dir, 1) {
                    Ok(v) => openssl.entry((sector, dir)).or_default().push(v),
                    Err(e) => openssl_error = Some(e.to_string()),
                }
            }
        }
    }

    let get = |k: Key| results.get(&k).cloned().unwrap_or_default();
    println!();
    println!(
        "XTS-AES-256, single thread, MB/s = 10^6 B/s, median (best) of {reps} interleaved repetition(s), \
         >= {secs} s per Rust cell"
    );
    println!();
    println!(
        "| sector | op | ours hot | ours stream | xts-mode hot | xts-mode stream | openssl speed | \
         ours/OpenSSL hot | ours/OpenSSL stream | xts-mode/OpenSSL hot |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &(sector, dir) in &cells {
        let oh = get((sector, dir, Impl::Ours, Workload::Hot));
        let os = get((sector, dir, Impl::Ours, Workload::Stream));
        let ph = get((sector, dir, Impl::XtsMode, Workload::Hot));
        let ps = get((sector, dir, Impl::XtsMode, Workload::Stream));
        let ssl = openssl.get(&(sector, dir)).cloned().unwrap_or_default();
        let ratio = |v: &[f64]| {
            if v.is_empty() || ssl.is_empty() {
                "-".to_string()
            } else {
                format!("{:.2}", median(v) / median(&ssl))
            }
        };
        println!(
            "| {sector} | {dir} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&oh),
            cell(&os),
            cell(&ph),
            cell(&ps),
            cell(&ssl),
            ratio(&oh),
            ratio(&os),
            ratio(&ph),
        );
    }
    if let Some(e) = openssl_error {
        println!("\nOpenSSL reference unavailable: {e}");
    }
    if !full {
        println!("\n(smoke run: pass --bench, as `cargo bench` does, for the full measurement)");
    }
}
