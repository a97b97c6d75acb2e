//! XTS-AES-256 throughput of every backend this CPU runs (portable, fused AES-NI, VAES-256,
//! VAES-512), the `xts-mode` crate, and `openssl speed -evp aes-256-xts` run as a child process
//! in the same run, for 512- and 4096-byte sectors, encrypt and decrypt.
//!
//! `cargo bench -p cryptdisk-core --bench xts` prints, per cell, each backend's MB/s (10^6 B/s,
//! median of the repetitions) and its ratio to OpenSSL: the median over repetitions of
//! (backend / OpenSSL measured right after it), single thread, hot 16 KiB buffer
//! (`performance.md` §3); then the 64 MiB stream for each backend. The CPU model and the load
//! average are printed with the table. Environment: `CRYPTDISK_BENCH_REPS` (default 5),
//! `CRYPTDISK_BENCH_SECS` (minimum time per Rust figure, default 0.5), `CRYPTDISK_XTS_BACKEND`
//! (measure only that backend), `CRYPTDISK_XTS_TWEAKS` (`clmul` or `shifts`: the SIMD kernels'
//! tweak arithmetic, to measure the one this CPU does not pick). Without `--bench` (e.g. `cargo test --benches`) it runs a short
//! smoke pass without OpenSSL and without the stream, and still prints the backends that ran.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

use aes::Aes256;
use cipher::KeyInit;
use cryptdisk_core::bench::{
    self, Direction, PairedConfig, Workload, backends_to_measure, measure, measure_xts, median, paired_runs,
};
use cryptdisk_core::xts::{TweakArithmetic, XtsAes};
use std::time::Duration;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
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
    let backends = backends_to_measure();
    let names: Vec<&str> = backends.iter().map(|b| b.name()).collect();
    println!("CPU: {}", bench::cpu_model());
    println!("XTS backends measured: {}", names.join(", "));
    println!("XTS tweak arithmetic: {}", TweakArithmetic::selected());
    let load_before = bench::load_average();

    let config = PairedConfig {
        backends: backends.clone(),
        sector_sizes: vec![512, 4096],
        reps,
        min_time,
        openssl_seconds: full.then_some(1),
    };
    let (cells, openssl_error) =
        paired_runs(&config, |what| eprintln!("{what}")).expect("supported backends, valid geometry");

    // The xts-mode crate (hot) for reference, median over the same number of repetitions.
    let key = bench::bench_key();
    let peer = xts_mode::Xts128::new(
        Aes256::new_from_slice(&key[..32]).expect("32-byte key"),
        Aes256::new_from_slice(&key[32..]).expect("32-byte key"),
    );
    let mut hot = Workload::Hot.buffer();
    let mut peer_mbps = std::collections::BTreeMap::new();
    for &(sector, dir) in cells.keys() {
        let v: Vec<f64> = (0..reps)
            .map(|_| {
                measure(&mut hot, min_time, |b| match dir {
                    Direction::Encrypt => peer.encrypt_area(b, sector, 0, xts_mode::get_tweak_default),
                    Direction::Decrypt => peer.decrypt_area(b, sector, 0, xts_mode::get_tweak_default),
                })
                .mb_per_s()
            })
            .collect();
        peer_mbps.insert((sector, dir), median(&v));
    }
    let load_after = bench::load_average();

    println!();
    println!(
        "XTS-AES-256, single thread, hot 16 KiB buffer, MB/s = 10^6 B/s, median of {reps} repetition(s), \
         >= {secs} s per Rust figure; ratio = median of same-run (backend / openssl speed) pairs"
    );
    let fmt_load = |l: Option<f64>| l.map_or("unknown".to_owned(), |v| format!("{v:.2}"));
    println!(
        "1-minute load average: {} before, {} after (other processes share the CPUs)",
        fmt_load(load_before),
        fmt_load(load_after)
    );
    println!();
    let mut header = "| sector | op | openssl speed |".to_owned();
    let mut rule = "|---|---|---|".to_owned();
    for b in &backends {
        header.push_str(&format!(" {b} | {b}/OpenSSL |"));
        rule.push_str("---|---|");
    }
    header.push_str(" xts-mode |");
    rule.push_str("---|");
    println!("{header}\n{rule}");
    for (&(sector, dir), cell) in &cells {
        let mut row = format!("| {sector} | {dir} | {} |", fmt_mbps(median(&cell.openssl)));
        for b in &backends {
            let ours = cell.ours.get(b).map_or(f64::NAN, |v| median(v));
            row.push_str(&format!(" {} | {} |", fmt_mbps(ours), fmt_ratio(cell.ratio(*b))));
        }
        row.push_str(&format!(
            " {} |",
            fmt_mbps(peer_mbps.get(&(sector, dir)).copied().unwrap_or(f64::NAN))
        ));
        println!("{row}");
    }
    if let Some(e) = openssl_error {
        println!("\nOpenSSL reference unavailable: {e}");
    }

    if full {
        // The driver's workload: 64 MiB in place, tweak = sector index from sector 1000.
        println!(
            "\nStream 64 MiB (tweaks from sector {}), MB/s, median of {reps}:",
            Workload::Stream.first_sector()
        );
        println!("| backend | 512 enc | 512 dec | 4096 enc | 4096 dec |\n|---|---|---|---|---|");
        let mut stream = Workload::Stream.buffer();
        for b in &backends {
            let xts = XtsAes::with_backend(&key, *b).expect("supported backend");
            let mut row = format!("| {b} |");
            for (sector, dir) in [
                (512, Direction::Encrypt),
                (512, Direction::Decrypt),
                (4096, Direction::Encrypt),
                (4096, Direction::Decrypt),
            ] {
                let v: Vec<f64> = (0..reps)
                    .map(|_| {
                        measure_xts(
                            &xts,
                            &mut stream,
                            sector,
                            dir,
                            Workload::Stream.first_sector(),
                            min_time,
                        )
                        .expect("valid geometry")
                        .mb_per_s()
                    })
                    .collect();
                row.push_str(&format!(" {} |", fmt_mbps(median(&v))));
            }
            println!("{row}");
        }
    } else {
        println!("\n(smoke run: pass --bench, as `cargo bench` does, for the full measurement)");
    }
}

fn fmt_mbps(v: f64) -> String {
    if v.is_nan() { "-".into() } else { format!("{v:.0}") }
}

fn fmt_ratio(v: f64) -> String {
    if v.is_nan() { "-".into() } else { format!("{v:.2}") }
}
