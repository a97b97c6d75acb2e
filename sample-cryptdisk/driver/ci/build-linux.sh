#!/bin/bash
# Builds the driver on Linux against the wdk-sys stand-in (tools/wdk-sys-standin) and checks
# the result's imports. Run from anywhere; needs (Debian 12):
#   apt-get install -y libclang-dev clang lld gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev python3-pefile
#   rustup target add x86_64-pc-windows-msvc
# Output: target/x86_64-pc-windows-msvc/release/cryptdisk_driver.dll, copied to
# target/cryptdisk.sys. Prints the build time and the import check's result.
#
# The committed Cargo.lock pins crates.io wdk-sys for the Windows build; this script points
# wdk-sys at the stand-in in the lock for the duration of the build and restores the committed
# lock afterwards (cargo ignores a [patch] the lock does not record).
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$DRIVER_DIR/../.." && pwd)
STANDIN_DIR="$REPO_DIR/tools/wdk-sys-standin"
cd "$DRIVER_DIR"

PATCH=(--config "ci/linux-driver.toml" --config "patch.crates-io.wdk-sys.path=\"$STANDIN_DIR\"")
saved_lock=$(mktemp)
cp Cargo.lock "$saved_lock"
restore_lock() { cp "$saved_lock" Cargo.lock; rm -f "$saved_lock"; }
trap restore_lock EXIT

cargo update -q -p wdk-sys "${PATCH[@]}"
start=$(date +%s%3N)
cargo build --locked --release --target x86_64-pc-windows-msvc "${PATCH[@]}" "$@"
ms=$(($(date +%s%3N) - start))
printf 'driver build: %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))

DLL=target/x86_64-pc-windows-msvc/release/cryptdisk_driver.dll
cp "$DLL" target/cryptdisk.sys
echo "target/cryptdisk.sys: $(stat -c %s target/cryptdisk.sys) bytes"

# pefile lives in Debian's python3 (python3-pefile); prefer an interpreter that has it.
PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" ci/check_imports.py target/cryptdisk.sys --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
