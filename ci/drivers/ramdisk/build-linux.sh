#!/bin/bash
# Builds the RAM-disk driver on Linux against the wdk-sys stand-in
# (tools/wdk-sys-standin/cargo-standin.sh), with clippy, and runs the import check
# (sample-cryptdisk/driver/ci/check_imports.py: ntoskrnl.exe / hal.dll only, none a Wine stub).
# Output: drivers/target/ramdisk.sys. Needs what sample-cryptdisk/driver/ci/build-linux.sh needs
# (scripts/install-test-tools.sh installs it).
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$DRIVER_DIR/.." && pwd)
CARGO="$REPO_DIR/tools/wdk-sys-standin/cargo-standin.sh"
cd "$DRIVER_DIR"

"$CARGO" clippy -q --release --target x86_64-pc-windows-msvc -- -D warnings
start=$(date +%s%3N)
"$CARGO" build -q --release --target x86_64-pc-windows-msvc
ms=$(($(date +%s%3N) - start))
printf 'ramdisk driver build: %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
TARGET_DIR="$REPO_DIR/drivers/target"
cp "$TARGET_DIR/x86_64-pc-windows-msvc/release/ramdisk_driver.dll" "$TARGET_DIR/ramdisk.sys"
echo "drivers/target/ramdisk.sys: $(stat -c %s "$TARGET_DIR/ramdisk.sys") bytes"

PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$REPO_DIR/sample-cryptdisk/driver/ci/check_imports.py" "$TARGET_DIR/ramdisk.sys" \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
