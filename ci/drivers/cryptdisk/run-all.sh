#!/bin/bash
# Everything the driver's tests need on Linux, in one call for the project's test suite:
#
#   1. the unit tests of the driver's portable half, the `cryptdisk-driver-logic` crate of the
#      main workspace (control requests, the container check, the volume registry, the control
#      service, the volume I/O decisions, the dispatch gate, pool alignment), and of the
#      exerciser's own argument parser and report, on the host;
#   2. ci/e2e-wine.sh: the driver built against the wdk-sys stand-in (ci/build-linux.sh) and its
#      import check (ntoskrnl.exe / hal.dll only, none a Wine stub), then the Wine end-to-end
#      test with the cryptdisk CLI, the exerciser, the Linux CLI and qemu-img.
#
# Installs nothing: the caller has run scripts/install-test-tools.sh (Wine, mingw-w64,
# clang/libclang-dev, lld, python3-pefile, qemu-utils, cryptsetup-bin, the Rust targets). A
# missing tool is named before anything is built. Exits non-zero on any failure and prints the
# time of each part.
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$DRIVER_DIR"

now() { date +%s%3N; }
since() {
    local ms=$(($(now) - $1))
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
start=$(now)

missing=()
for tool in cargo rustup wine wineboot wineserver x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump clang qemu-img; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ! python3 -c 'import pefile' 2>/dev/null && ! /usr/bin/python3 -c 'import pefile' 2>/dev/null; then
    missing+=("python3-pefile")
fi
for target in x86_64-pc-windows-msvc x86_64-pc-windows-gnu; do
    rustup target list --installed | grep -qx "$target" || missing+=("rustup target $target")
done
if [ ${#missing[@]} -ne 0 ]; then
    echo "run-all: missing: ${missing[*]}; run scripts/install-test-tools.sh first" >&2
    exit 2
fi

echo "== unit tests of the driver's portable half (cryptdisk-driver-logic) and of the exerciser (host)"
t=$(now)
cargo test -q --locked --manifest-path ../../Cargo.toml -p cryptdisk-driver-logic
cargo test -q --locked --manifest-path exerciser/Cargo.toml
echo "  (unit tests: $(since "$t"))"

echo "== driver build, import check and Wine end-to-end (ci/e2e-wine.sh)"
t=$(now)
./ci/e2e-wine.sh
echo "  (e2e-wine.sh: $(since "$t"))"
echo "run-all.sh: $(since "$start")"
