#!/bin/bash
# Builds the RAM-disk driver on Linux against the wdk-sys stand-in (tools/wdk-sys-standin), with
# clippy, and runs the import check (sample-cryptdisk/driver/ci/check_imports.py: ntoskrnl.exe /
# hal.dll only, none a Wine stub). Output: target/ramdisk.sys. Needs what
# sample-cryptdisk/driver/ci/build-linux.sh needs (scripts/install-test-tools.sh installs it).
#
# The committed Cargo.lock pins crates.io wdk-sys for the Windows build; the lock is pointed at
# the stand-in for the duration of the build and restored afterwards.
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$DRIVER_DIR/.." && pwd)
STANDIN_DIR="$REPO_DIR/tools/wdk-sys-standin"
LINK_CONFIG="$REPO_DIR/sample-cryptdisk/driver/ci/linux-driver.toml"
cd "$DRIVER_DIR"

PATCH=(--config "$LINK_CONFIG" --config "patch.crates-io.wdk-sys.path=\"$STANDIN_DIR\"")
saved_lock=$(mktemp)
cp Cargo.lock "$saved_lock"
restore_lock() { cp "$saved_lock" Cargo.lock; rm -f "$saved_lock"; }
trap restore_lock EXIT

cargo update -q -p wdk-sys "${PATCH[@]}"
cargo clippy -q --locked --release --target x86_64-pc-windows-msvc "${PATCH[@]}" -- -D warnings
start=$(date +%s%3N)
cargo build -q --locked --release --target x86_64-pc-windows-msvc "${PATCH[@]}"
ms=$(($(date +%s%3N) - start))
printf 'ramdisk driver build: %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
cp target/x86_64-pc-windows-msvc/release/ramdisk_driver.dll target/ramdisk.sys
echo "target/ramdisk.sys: $(stat -c %s target/ramdisk.sys) bytes"

PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$REPO_DIR/sample-cryptdisk/driver/ci/check_imports.py" target/ramdisk.sys \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
