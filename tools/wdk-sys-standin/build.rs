//! Generates `types.rs`, `constants.rs` and `ntddk.rs` into `OUT_DIR` from mingw-w64's DDK
//! headers, with the bindgen settings of wdk-build's `wdk_default()` where they apply, and binds
//! every import to `ntoskrnl.exe` or `hal.dll` through raw-dylib.
//!
//! Nothing generated here is committed. Inputs (all overridable through the environment):
//!
//! * `WDK_STANDIN_MINGW_INCLUDE`: mingw-w64 include dir (default `/usr/x86_64-w64-mingw32/include`,
//!   Debian `mingw-w64-x86-64-dev`); the DDK headers are in its `ddk/` subdirectory.
//! * `WDK_STANDIN_MINGW_LIB`: mingw-w64 lib dir (default `/usr/x86_64-w64-mingw32/lib`); its
//!   `libhal.a` decides which imports go to `hal.dll` instead of `ntoskrnl.exe`.
//! * `WDK_STANDIN_CLANG_RESOURCE_DIR`: clang's resource dir when libclang cannot find its own.
//! * `WDK_STANDIN_TIMING`: print how long bindgen took, as a cargo warning.
#![allow(
    clippy::restriction,
    reason = "not shipping code: a build script's panic fails the build with its message"
)]

use std::collections::BTreeSet;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use std::{env, fs};

use bindgen::{Builder, CodegenConfig, EnumVariation, Formatter, RustEdition, RustTarget};

type BoxError = Box<dyn Error + Send + Sync>;

/// Functions declared by hand in `src/ntddk.rs` (`overrides` or `supplements`), because mingw-w64
/// 10 has an outdated prototype or Wine 8 lacks the export.
const HAND_DECLARED_FUNCTIONS: &[&str] = &[
    "MmMapLockedPagesSpecifyCache",
    "KeSaveExtendedProcessorState",
    "KeRestoreExtendedProcessorState",
];

/// The deprecated pool routines wdk-build blocklists (so the real crate does not expose them).
const BLOCKLISTED_POOL_ROUTINES: &[&str] = &[
    "ExAllocatePoolWithTag",
    "ExAllocatePoolWithQuotaTag",
    "ExAllocatePoolWithTagPriority",
    "ExAllocatePool",
];

fn env_path(var: &str, default: &str) -> PathBuf {
    println!("cargo::rerun-if-env-changed={var}");
    env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// The text bindgen parses: the same three headers as the real wdk-sys, plus its storage headers.
fn header_contents() -> String {
    let mut headers = vec!["ntifs.h", "ntddk.h", "ntstrsafe.h"];
    if env::var_os("CARGO_FEATURE_STORAGE").is_some() {
        headers.extend([
            "ntdddisk.h",
            "ntddstor.h",
            "ntddscsi.h",
            "ntddvol.h",
            "mountmgr.h",
            "mountdev.h",
        ]);
    }
    headers.iter().map(|h| format!("#include <{h}>\n")).collect()
}

/// libclang 14 on Debian does not find its own resource dir (`mm_malloc.h`, `stddef.h`); ask
/// the clang driver, else look for the `libclang-common-N-dev` layout.
fn clang_resource_include() -> Option<PathBuf> {
    println!("cargo::rerun-if-env-changed=WDK_STANDIN_CLANG_RESOURCE_DIR");
    if let Some(dir) = env::var_os("WDK_STANDIN_CLANG_RESOURCE_DIR") {
        return Some(PathBuf::from(dir).join("include"));
    }
    let clang = env::var("CLANG_PATH").unwrap_or_else(|_| "clang".into());
    if let Ok(out) = Command::new(clang).arg("-print-resource-dir").output()
        && out.status.success()
    {
        let dir = String::from_utf8(out.stdout).ok()?;
        return Some(PathBuf::from(dir.trim()).join("include"));
    }
    let mut candidates: Vec<PathBuf> = fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("llvm-")))
        .flat_map(|p| fs::read_dir(p.join("lib/clang")).into_iter().flatten().flatten())
        .map(|e| e.path().join("include"))
        .filter(|p| p.join("stddef.h").exists())
        .collect();
    candidates.sort();
    candidates.pop()
}

/// bindgen settings of `wdk_build::BuilderExt::wdk_default`, adapted to mingw-w64's headers.
fn wdk_default(include: &Path, resource: Option<&Path>) -> Result<Builder, BoxError> {
    let mut builder = Builder::default();
    if let Some(dir) = resource {
        builder = builder.clang_arg(format!("-isystem{}", dir.display()));
    }
    builder = builder
        .use_core()
        .derive_default(true)
        .generate_cstr(true)
        // Unsafe operations inside the generated `unsafe fn`s (bitfield accessors) get their own
        // `unsafe` blocks, so the workspace's `forbid(unsafe_op_in_unsafe_fn)` holds here too.
        .wrap_unsafe_ops(true)
        .detect_include_paths(false)
        // The msvc clang target breaks on mingw's vector typedefs in `mmintrin.h`; the mingw
        // target with MS bitfields and extensions gives the same x64 layouts.
        .clang_args([
            "--target=x86_64-w64-mingw32",
            "-nostdlibinc",
            "-fno-builtin",
            "-fms-extensions",
            "-mms-bitfields",
            "-D_WIN64",
            "-D_AMD64_",
            "-DAMD64",
            "-D_KERNEL_MODE",
            "-Wno-ignored-attributes",
            "-Wno-pragma-pack",
            "-Wno-microsoft",
        ])
        .clang_arg(format!("-isystem{}", include.join("ddk").display()))
        .clang_arg(format!("-isystem{}", include.display()))
        .opaque_type("_KGDTENTRY64")
        .opaque_type("_KIDTENTRY64")
        .must_use_type("NTSTATUS")
        .must_use_type("HRESULT")
        .default_enum_style(EnumVariation::ModuleConsts)
        .formatter(Formatter::Prettyplease)
        .rust_target(RustTarget::stable(91, 0).map_err(|e| format!("rust target: {e}"))?)
        .rust_edition(RustEdition::Edition2024);
    for name in BLOCKLISTED_POOL_ROUTINES {
        builder = builder.blocklist_item(name);
    }
    for name in HAND_DECLARED_FUNCTIONS {
        builder = builder.blocklist_function(name);
    }
    Ok(builder)
}

/// The functions `libhal.a` (mingw-w64's import library for hal.dll) exports, read from the
/// archive's GNU symbol table: every `__imp_NAME` symbol names one import.
fn hal_exports(lib_dir: &Path) -> Result<BTreeSet<String>, BoxError> {
    let path = lib_dir.join("libhal.a");
    println!("cargo::rerun-if-changed={}", path.display());
    let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let body = bytes.strip_prefix(b"!<arch>\n").ok_or("libhal.a: not an ar archive")?;
    // First member header: 16-byte name "/", ..., 10-byte decimal size at offset 48.
    let header = body.get(..60).ok_or("libhal.a: truncated")?;
    if header.first() != Some(&b'/') || header.get(1) != Some(&b' ') {
        return Err("libhal.a: no GNU symbol table".into());
    }
    let size: usize = std::str::from_utf8(header.get(48..58).ok_or("libhal.a: header")?)?
        .trim()
        .parse()?;
    let table = body.get(60..60 + size).ok_or("libhal.a: truncated symbol table")?;
    let count = u32::from_be_bytes(table.get(..4).ok_or("libhal.a: empty table")?.try_into()?) as usize;
    let names = table.get(4 + 4 * count..).ok_or("libhal.a: bad symbol count")?;
    let set: BTreeSet<String> = names
        .split(|&b| b == 0)
        .filter_map(|s| std::str::from_utf8(s).ok())
        .filter_map(|s| s.strip_prefix("__imp_"))
        .map(str::to_owned)
        .collect();
    if set.is_empty() {
        return Err("libhal.a: no __imp_ symbols".into());
    }
    Ok(set)
}

/// Puts `#[link(name = "...", kind = "raw-dylib")]` on every `extern` block bindgen wrote (one
/// block per item), so each import resolves to ntoskrnl.exe or hal.dll without import libraries.
///
/// Data exports get the semantics of the WDK's `ntoskrnl.lib`, where `PsThreadType` names the
/// import-address-table slot (drivers write `*PsThreadType`): a private raw-dylib declaration
/// creates the import, and the public static is bound to `__imp_NAME` without dllimport.
fn bind_imports(src: &str, hal: &BTreeSet<String>, link: bool) -> String {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let trimmed = line.trim_start();
        if trimmed != "unsafe extern \"C\" {" && trimmed != "extern \"C\" {" {
            out.push_str(line);
            out.push('\n');
            i += 1;
            continue;
        }
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_end() == "}")
            .unwrap_or(lines.len());
        let body = &lines[i + 1..end];
        let (name, is_static) = body
            .iter()
            .find_map(|l| {
                let l = l.trim_start();
                let (rest, is_static) = if let Some(r) = l.strip_prefix("pub fn ") {
                    (r, false)
                } else if let Some(r) = l
                    .strip_prefix("pub static mut ")
                    .or_else(|| l.strip_prefix("pub static "))
                {
                    (r, true)
                } else {
                    return None;
                };
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                Some((name, is_static))
            })
            .unwrap_or_default();
        let dll = if hal.contains(&name) { "hal.dll" } else { "ntoskrnl.exe" };
        let link_attr = format!("#[link(name = \"{dll}\", kind = \"raw-dylib\", modifiers = \"+verbatim\")]\n");
        if is_static && link {
            out.push_str(&link_attr);
            out.push_str(&format!(
                "unsafe extern \"C\" {{\n    #[link_name = \"{name}\"]\n    static __wdk_standin_data_import_{name}: u8;\n}}\n"
            ));
            out.push_str(&format!(
                "unsafe extern \"C\" {{\n    #[link_name = \"__imp_{name}\"]\n"
            ));
        } else {
            if link {
                out.push_str(&link_attr);
            }
            out.push_str(line);
            out.push('\n');
        }
        for l in body {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str("}\n");
        i = end + 1;
    }
    out
}

fn main() -> Result<(), BoxError> {
    let out = PathBuf::from(env::var("OUT_DIR")?);
    let include = env_path("WDK_STANDIN_MINGW_INCLUDE", "/usr/x86_64-w64-mingw32/include");
    let lib_dir = env_path("WDK_STANDIN_MINGW_LIB", "/usr/x86_64-w64-mingw32/lib");
    println!("cargo::rerun-if-env-changed=WDK_STANDIN_TIMING");
    println!("cargo::rerun-if-changed=build.rs");
    // The cfg wdk-build emits for a WDM driver, so cfg-gated code matches the real crate.
    println!("cargo::rustc-check-cfg=cfg(driver_model__driver_type, values(\"WDM\", \"KMDF\", \"UMDF\"))");
    println!("cargo::rustc-cfg=driver_model__driver_type=\"WDM\"");

    // raw-dylib exists for Windows targets only; host builds get plain declarations, like the
    // real crate's `suppress-wdk-linking`.
    let link = env::var_os("CARGO_FEATURE_SUPPRESS_WDK_LINKING").is_none()
        && env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows");
    let hal = hal_exports(&lib_dir)?;
    let headers = header_contents();
    let resource = clang_resource_include();
    let started = Instant::now();

    // Three independent passes, in parallel, as the real build script does.
    let results: Vec<Result<(), BoxError>> = std::thread::scope(|scope| {
        let pass = |file: &'static str, config: CodegenConfig, bind: bool| {
            let (include, resource, headers, hal, out) = (&include, &resource, &headers, &hal, &out);
            scope.spawn(move || -> Result<(), BoxError> {
                let text = wdk_default(include, resource.as_deref())?
                    .with_codegen_config(config)
                    .header_contents(&format!("{file}-input.h"), headers)
                    .generate()
                    .map_err(|e| format!("bindgen ({file}): {e}"))?
                    .to_string();
                let text = if bind { bind_imports(&text, hal, link) } else { text };
                fs::write(out.join(format!("{file}.rs")), text)?;
                Ok(())
            })
        };
        let handles = [
            pass("types", CodegenConfig::TYPES, false),
            pass("constants", CodegenConfig::VARS, true),
            pass("ntddk", (CodegenConfig::TYPES | CodegenConfig::VARS).complement(), true),
        ];
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("bindgen thread panicked".into())))
            .collect()
    });
    for result in results {
        result?;
    }
    if env::var_os("WDK_STANDIN_TIMING").is_some() {
        println!(
            "cargo::warning=wdk-sys stand-in: bindgen took {:.1?}",
            started.elapsed()
        );
    }
    Ok(())
}
