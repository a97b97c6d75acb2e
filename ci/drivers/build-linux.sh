#!/bin/bash
# Builds the driver on Linux against the wdk-sys stand-in (tools/wdk-sys-standin) and checks
# the result's imports. Run from anywhere; needs (Debian 12):
#   apt-get install -y libclang-dev clang lld gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev python3-pefile
#   rustup target add x86_64-pc-windows-msvc
# Output: drivers/target/x86_64-pc-windows-msvc/release/cryptdisk_driver.dll, copied to
# drivers/target/cryptdisk.sys. Prints the build time and the import check's result.
#
# The driver is a member of the driver workspace (drivers/Cargo.toml), whose committed Cargo.lock
# pins crates.io wdk-sys for the Windows build; tools/wdk-sys-standin/cargo-standin.sh points
# wdk-sys at the stand-in for the duration of the build and restores the lock afterwards.
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$DRIVER_DIR/../.." && pwd)
TARGET_DIR="$REPO_DIR/drivers/target"
cd "$DRIVER_DIR"

start=$(date +%s%3N)
"$REPO_DIR/tools/wdk-sys-standin/cargo-standin.sh" build --locked --release --target x86_64-pc-windows-msvc "$@"
ms=$(($(date +%s%3N) - start))
printf 'driver build: %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))

DLL="$TARGET_DIR/x86_64-pc-windows-msvc/release/cryptdisk_driver.dll"
cp "$DLL" "$TARGET_DIR/cryptdisk.sys"
echo "drivers/target/cryptdisk.sys: $(stat -c %s "$TARGET_DIR/cryptdisk.sys") bytes"

# pefile lives in Debian's python3 (python3-pefile); prefer an interpreter that has it.
PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" ci/check_imports.py "$TARGET_DIR/cryptdisk.sys" --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
