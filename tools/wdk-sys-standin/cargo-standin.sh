#!/bin/bash
# Runs `cargo "$@"` in the current directory's workspace with wdk-sys patched to this stand-in and
# the Linux driver link flags (sample-cryptdisk/driver/ci/linux-driver.toml), for the driver
# workspaces that build on Linux (mountdev-wdk, sample-ramdisk).
#
# Their committed Cargo.lock pins crates.io wdk-sys for the Windows build, and cargo ignores a
# [patch] the lock does not record: the lock is pointed at the stand-in for the duration of the
# command and restored afterwards (so `--locked` is not needed: no resolution survives the run).
set -euo pipefail
STANDIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$STANDIN_DIR/../.." && pwd)
PATCH=(--config "$REPO_DIR/sample-cryptdisk/driver/ci/linux-driver.toml"
    --config "patch.crates-io.wdk-sys.path=\"$STANDIN_DIR\"")
saved_lock=$(mktemp)
cp Cargo.lock "$saved_lock"
restore_lock() { cp "$saved_lock" Cargo.lock; rm -f "$saved_lock"; }
trap restore_lock EXIT
cargo update -q -p wdk-sys "${PATCH[@]}"
# The subcommand first: `clippy` is an external subcommand that drops global options, and the
# options must come before a `--`.
cargo "$1" "${PATCH[@]}" "${@:2}"
