#!/bin/bash
# Runs `cargo "$@"` in the driver workspace (drivers/Cargo.toml: mountdev-wdk, sample-ramdisk, the
# sample cryptdisk driver, their user-mode exes and this stand-in) with crates.io wdk-sys patched
# to the stand-in (tools/wdk-sys-standin) and the Linux driver link flags (ci/drivers/linux-driver.toml).
# Run it from a member's directory (cargo then picks that member, as plain `cargo` would).
#
# The committed drivers/Cargo.lock pins crates.io wdk-sys for the Windows build, and cargo ignores
# a [patch] the lock does not record: the lock is pointed at the stand-in for the duration of the
# command and restored afterwards (so no resolution survives the run; `--locked` works). Runs of
# this script are serialised on a lock file, so that one never saves another's patched lock.
set -euo pipefail
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$CI_DIR/../.." && pwd)
STANDIN_DIR="$REPO_DIR/tools/wdk-sys-standin"
LOCK="$REPO_DIR/drivers/Cargo.lock"
PATCH=(--config "$CI_DIR/linux-driver.toml"
    --config "patch.crates-io.wdk-sys.path=\"$STANDIN_DIR\"")
mkdir -p "$REPO_DIR/drivers/target"
exec 9>"$REPO_DIR/drivers/target/.cargo-standin.lock"
flock 9
saved_lock=$(mktemp)
cp "$LOCK" "$saved_lock"
restore_lock() { cp "$saved_lock" "$LOCK"; rm -f "$saved_lock"; }
trap restore_lock EXIT
# Two packages named wdk-sys live in the workspace graph (crates.io's and this member): name the
# one the patch replaces.
cargo update -q -p "registry+https://github.com/rust-lang/crates.io-index#wdk-sys" "${PATCH[@]}"
# The subcommand first: `clippy` is an external subcommand that drops global options, and the
# options must come before a `--`.
cargo "$1" "${PATCH[@]}" "${@:2}"
