#!/bin/bash
# Builds mountdev-wdk on Linux: its host unit tests (the pure checks, without wdk-sys), then the
# crate and its example driver for x86_64-pc-windows-msvc against the wdk-sys stand-in
# (ci/drivers/cargo-standin.sh), clippy and rustdoc on the kernel build, the example's import
# check, and the README snippet against the example (check-readme.sh). Run from anywhere;
# installs nothing (ci/install-test-tools.sh installs the tools).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HERE/../../.." && pwd)
CARGO="$REPO_DIR/ci/drivers/cargo-standin.sh"
cd "$REPO_DIR/mountdev-wdk"

echo "== host unit tests and doctests of the pure checks"
"$CARGO" test -q --no-default-features
echo "== kernel build, clippy, rustdoc and the example driver (x86_64-pc-windows-msvc, stand-in)"
"$CARGO" clippy -q --target x86_64-pc-windows-msvc --all-targets --features panic-handler -- -D warnings
"$CARGO" build -q --release --target x86_64-pc-windows-msvc --example minimal_driver --features panic-handler
RUSTDOCFLAGS="-D warnings" "$CARGO" doc -q --no-deps --target x86_64-pc-windows-msvc
/usr/bin/python3 "$REPO_DIR/ci/drivers/check_imports.py" \
    "$REPO_DIR/drivers/target/x86_64-pc-windows-msvc/release/examples/minimal_driver.dll" \
    --wine "${WINE_DLL_DIR:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
"$HERE/check-readme.sh"
