//! End to end: `cryptdisk bench` in its short mode.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]

mod common;

use common::run;

/// The four figure rows: (sector size, direction, cryptdisk MB/s, openssl column, ratio column).
fn rows(stdout: &str) -> Vec<(u32, String, f64, String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let sector = f.first()?.parse().ok()?;
            Some((
                sector,
                f[1].to_owned(),
                f[2].parse().ok()?,
                f[3].to_owned(),
                f[4].to_owned(),
            ))
        })
        .collect()
}

#[test]
fn bench_measures_both_sector_sizes_and_directions() {
    let out = run(["bench", "--seconds", "0.05", "--no-openssl"]);
    let stdout = out.ok();
    let rows = rows(stdout);
    let keys: Vec<(u32, &str)> = rows.iter().map(|r| (r.0, r.1.as_str())).collect();
    assert_eq!(
        keys,
        [(512, "enc"), (512, "dec"), (4096, "enc"), (4096, "dec")],
        "{stdout}"
    );
    for r in &rows {
        assert!(r.2 > 0.0 && r.2.is_finite(), "{stdout}");
        assert_eq!((r.3.as_str(), r.4.as_str()), ("-", "-"), "{stdout}");
    }
    assert!(stdout.contains("openssl: skipped (--no-openssl)"), "{stdout}");
}

#[test]
fn bench_compares_with_openssl_when_it_is_on_path() {
    let has_openssl = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let out = run(["bench", "--seconds", "0.05"]);
    let stdout = out.ok();
    let rows = rows(stdout);
    assert_eq!(rows.len(), 4, "{stdout}");
    if has_openssl {
        for r in &rows {
            let theirs: f64 = r.3.parse().unwrap_or_else(|_| panic!("no openssl figure: {stdout}"));
            let ratio: f64 = r.4.parse().unwrap_or_else(|_| panic!("no ratio: {stdout}"));
            assert!(theirs > 0.0, "{stdout}");
            assert!(
                (ratio - r.2 / theirs).abs() <= 0.01 + ratio * 0.01,
                "ratio is not cryptdisk/openssl: {stdout}"
            );
        }
        assert!(stdout.contains("ratio = cryptdisk / openssl"), "{stdout}");
    } else {
        assert!(stdout.contains("openssl: not found on PATH"), "{stdout}");
    }
}

#[test]
fn bench_without_openssl_on_path_says_so() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
        .args(["bench", "--seconds", "0.02"])
        .env("PATH", "")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(rows(&stdout).len(), 4, "{stdout}");
    assert!(stdout.contains("openssl: not found on PATH, no comparison"), "{stdout}");
}

/// `CRYPTDISK_XTS_TWEAKS` forces the kernels' tweak arithmetic either way, the report names it,
/// and a value that names neither leaves the CPU's choice.
#[test]
fn bench_reports_the_forced_tweak_arithmetic() {
    let report = |value: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cryptdisk"))
            .args(["bench", "--seconds", "0.02", "--no-openssl"])
            .env("CRYPTDISK_XTS_TWEAKS", value)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(rows(&stdout).len(), 4, "{stdout}");
        stdout
            .lines()
            .find_map(|l| {
                l.split_once("tweak arithmetic: ")
                    .map(|(_, t)| t.trim_end_matches(')').to_owned())
            })
            .unwrap_or_else(|| panic!("no tweak arithmetic line: {stdout}"))
    };
    assert_eq!(report("clmul"), "clmul");
    assert_eq!(report("SHIFTS"), "shifts");
    let default = report("neither");
    assert!(default == "clmul" || default == "shifts", "{default}");
}
