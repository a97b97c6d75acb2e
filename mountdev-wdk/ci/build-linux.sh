#!/bin/bash
# Builds mountdev-wdk on Linux: its host unit tests (the pure checks, without wdk-sys), then the
# crate and its example driver for x86_64-pc-windows-msvc against the wdk-sys stand-in
# (tools/wdk-sys-standin), clippy on the kernel build, and the example's import check. Run from
# anywhere; the tools are those of sample-cryptdisk/driver/ci/build-linux.sh.
#
# The committed Cargo.lock pins crates.io wdk-sys for the Windows build; the lock is pointed at
# the stand-in for the duration of the build and restored afterwards.
set -euo pipefail
CRATE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$CRATE_DIR/.." && pwd)
STANDIN_DIR="$REPO_DIR/tools/wdk-sys-standin"
LINK_CONFIG="$REPO_DIR/sample-cryptdisk/driver/ci/linux-driver.toml"
cd "$CRATE_DIR"

PATCH=(--config "$LINK_CONFIG" --config "patch.crates-io.wdk-sys.path=\"$STANDIN_DIR\"")
saved_lock=$(mktemp)
cp Cargo.lock "$saved_lock"
restore_lock() { cp "$saved_lock" Cargo.lock; rm -f "$saved_lock"; }
trap restore_lock EXIT
cargo update -q -p wdk-sys "${PATCH[@]}"

echo "== host unit tests and doctests of the pure checks"
cargo test -q --locked --no-default-features "${PATCH[@]}"
echo "== kernel build, clippy and the example driver (x86_64-pc-windows-msvc, stand-in)"
cargo clippy -q --locked --target x86_64-pc-windows-msvc --all-targets --features panic-handler "${PATCH[@]}" -- -D warnings
cargo build -q --locked --release --target x86_64-pc-windows-msvc --example minimal_driver --features panic-handler "${PATCH[@]}"
RUSTDOCFLAGS="-D warnings" cargo doc -q --locked --no-deps --target x86_64-pc-windows-msvc "${PATCH[@]}"
SYS=target/x86_64-pc-windows-msvc/release/examples/minimal_driver.dll
PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$REPO_DIR/sample-cryptdisk/driver/ci/check_imports.py" "$SYS" \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
"$CRATE_DIR/ci/check-readme.sh"
