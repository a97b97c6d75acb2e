#!/usr/bin/env bash
# The full test suite, as the README documents it: installs the tools, then runs every test of the
# workspace including the ones that need real tools (qemu-img, qemu-io, cryptsetup, Wine,
# mingw-w64), the mingw-w64 layout reference check, the Wine mount-manager test and the sample
# driver's build and end-to-end run in Wine.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-tools.sh

echo "== every document the code names is in docs/, with the cited section (self-test first)"; /usr/bin/python3 scripts/check-doc-references.py

echo "== the install script's self-check catches a package missing from its list"
scripts/tests/install-self-check.sh

echo "== cargo test (all features, including tool-backed tests)"
cargo test --workspace --all-features -- --include-ignored

echo "== publishable crates: packaged tests and doctests, docs.rs docs, MSRV toolchain (rustup)"
scripts/package-check.sh

echo "== layout reference check against mingw-w64 (x64 and x86)"
/usr/bin/python3 mountdev/layout-check/check.py

echo "== mountmgr-client Windows transport under Wine's mount manager"
tools/wine/run-mountmgr-list.sh

echo "== sample driver: Linux build against the wdk-sys stand-in, import check, end to end in Wine"
sample-cryptdisk/driver/ci/run-all.sh

echo "== mountdev-wdk and the RAM-disk driver built on it: host tests, stand-in builds, import checks, Wine e2e"
sample-ramdisk/ci/e2e-wine.sh
