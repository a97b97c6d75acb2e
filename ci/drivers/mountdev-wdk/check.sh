#!/bin/bash
# Builds mountdev-wdk on Linux: its host unit tests (the pure checks, without wdk-sys), then the
# crate and its example driver for x86_64-pc-windows-msvc against the wdk-sys stand-in
# (tools/wdk-sys-standin/cargo-standin.sh), clippy and rustdoc on the kernel build, the example's
# import check, and the README snippet against the example. Run from anywhere; the tools are those
# of sample-cryptdisk/driver/ci/build-linux.sh.
set -euo pipefail
CRATE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$CRATE_DIR/.." && pwd)
CARGO="$REPO_DIR/tools/wdk-sys-standin/cargo-standin.sh"
cd "$CRATE_DIR"

echo "== host unit tests and doctests of the pure checks"
"$CARGO" test -q --no-default-features
echo "== kernel build, clippy, rustdoc and the example driver (x86_64-pc-windows-msvc, stand-in)"
"$CARGO" clippy -q --target x86_64-pc-windows-msvc --all-targets --features panic-handler -- -D warnings
"$CARGO" build -q --release --target x86_64-pc-windows-msvc --example minimal_driver --features panic-handler
RUSTDOCFLAGS="-D warnings" "$CARGO" doc -q --no-deps --target x86_64-pc-windows-msvc
PYTHON=python3
if ! "$PYTHON" -c 'import pefile' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$REPO_DIR/sample-cryptdisk/driver/ci/check_imports.py" \
    "$REPO_DIR/drivers/target/x86_64-pc-windows-msvc/release/examples/minimal_driver.dll" \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
"$CRATE_DIR/ci/check-readme.sh"
