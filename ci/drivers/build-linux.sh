#!/bin/bash
# Builds a kernel driver of the driver workspace on Linux against the wdk-sys stand-in
# (tools/wdk-sys-standin, through ci/drivers/cargo-standin.sh), with clippy, and checks the
# result's imports (ci/drivers/check_imports.py: ntoskrnl.exe / hal.dll only, none a Wine stub):
#
#   ci/drivers/build-linux.sh cryptdisk|ramdisk [CARGO_ARGS...]
#
# Output: drivers/target/x86_64-pc-windows-msvc/release/<crate>.dll, copied to
# drivers/target/<driver>.sys. Prints the build time and the import check's result. Run from
# anywhere; installs nothing (ci/install-test-tools.sh installs the tools). CARGO_ARGS (e.g. -q)
# go to clippy and the build.
set -euo pipefail
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$CI_DIR/../.." && pwd)
case "${1:-}" in
    cryptdisk) crate_dir=sample-cryptdisk/driver lib=cryptdisk_driver ;;
    ramdisk) crate_dir=sample-ramdisk lib=ramdisk_driver ;;
    *) echo "usage: $0 cryptdisk|ramdisk [CARGO_ARGS...]" >&2; exit 2 ;;
esac
driver=$1
shift
TARGET_DIR="$REPO_DIR/drivers/target"
cd "$REPO_DIR/$crate_dir"

"$CI_DIR/cargo-standin.sh" clippy --locked --release --target x86_64-pc-windows-msvc "$@" -- -D warnings
start=$(date +%s%3N)
"$CI_DIR/cargo-standin.sh" build --locked --release --target x86_64-pc-windows-msvc "$@"
ms=$(($(date +%s%3N) - start))
printf '%s driver build: %d.%d s\n' "$driver" $((ms / 1000)) $((ms % 1000 / 100))

cp "$TARGET_DIR/x86_64-pc-windows-msvc/release/$lib.dll" "$TARGET_DIR/$driver.sys"
echo "drivers/target/$driver.sys: $(stat -c %s "$TARGET_DIR/$driver.sys") bytes"
/usr/bin/python3 "$CI_DIR/check_imports.py" "$TARGET_DIR/$driver.sys" \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
