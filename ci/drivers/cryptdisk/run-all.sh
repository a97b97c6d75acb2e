#!/bin/bash
# Everything the driver's tests need on Linux, in one call for the project's test suite:
#
#   1. the unit tests of the driver's portable half, the `cryptdisk-driver-logic` crate of the
#      main workspace (control requests, the container check, the volume registry, the control
#      service, the volume I/O decisions, the dispatch gate, pool alignment), and of the
#      exerciser's own argument parser and report, on the host;
#   2. e2e-wine.sh: the driver built against the wdk-sys stand-in (ci/drivers/build-linux.sh) and its
#      import check (ntoskrnl.exe / hal.dll only, none a Wine stub), then the Wine end-to-end
#      test with the cryptdisk CLI, the exerciser, the Linux CLI and qemu-img.
#
# Installs nothing: the caller has run ci/install-test-tools.sh (every tool this needs). A
# missing tool is named before anything is built. Exits non-zero on any failure and prints the
# time of each part.
set -euo pipefail
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DRIVER_DIR=$(cd "$CI_DIR/../../../sample-cryptdisk/driver" && pwd)
cd "$DRIVER_DIR"

now() { date +%s%3N; }
since() {
    local ms=$(($(now) - $1))
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
start=$(now)

"$CI_DIR/../../install-test-tools.sh" --check-only || exit 2

echo "== unit tests of the driver's portable half (cryptdisk-driver-logic) and of the exerciser (host)"
t=$(now)
cargo test -q --locked --manifest-path ../../Cargo.toml -p cryptdisk-driver-logic
cargo test -q --locked --manifest-path exerciser/Cargo.toml
echo "  (unit tests: $(since "$t"))"

echo "== driver build, import check and Wine end-to-end (e2e-wine.sh)"
t=$(now)
"$CI_DIR/e2e-wine.sh"
echo "  (e2e-wine.sh: $(since "$t"))"
echo "run-all.sh: $(since "$start")"
