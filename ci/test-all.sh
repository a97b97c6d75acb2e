#!/usr/bin/env bash
# The full test suite, as the README documents it: checks the tools, then runs every test of the
# workspace including the ones that need real tools (qemu-img, qemu-io, cryptsetup, Wine,
# mingw-w64), the mingw-w64 layout reference check, the Wine mount-manager test and the sample
# driver's build and end-to-end run in Wine.
# Installs nothing: ci/install-test-tools.sh does (the README's command runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-test-tools.sh --check-only

echo "== every document the code names is in docs/, with the cited section (self-test first)"; /usr/bin/python3 ci/docs/check-doc-references.py

echo "== the install script's self-check catches a package missing from its list"
ci/install-self-check.sh

echo "== cargo test (all features, including tool-backed tests)"
cargo test --workspace --all-features -- --include-ignored

echo "== publishable crates: packaged tests and doctests, docs.rs docs, MSRV toolchain (rustup)"
ci/package-check.sh

echo "== layout reference check against mingw-w64 (x64 and x86)"
/usr/bin/python3 ci/layout/check.py

echo "== mountmgr-client Windows transport under Wine's mount manager"
ci/wine/run-mountmgr-list.sh

echo "== sample driver: Linux build against the wdk-sys stand-in, import check, end to end in Wine"
ci/drivers/cryptdisk/run-all.sh

echo "== mountdev-wdk and the RAM-disk driver built on it: host tests, stand-in builds, import checks, Wine e2e"
ci/drivers/ramdisk/e2e-wine.sh
