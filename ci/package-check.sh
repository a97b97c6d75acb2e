#!/usr/bin/env bash
# The publishable crates as crates.io and docs.rs would get them:
#  1. `cargo package` for mountdev and mountmgr-client together (cargo verifies mountmgr-client
#     against the packaged, unpublished mountdev through its local overlay registry), and a check
#     that each package holds its README, CHANGELOG and both license texts;
#  2. each .crate unpacked into a temporary directory, and its tests and doctests run from there,
#     offline, with mountmgr-client's mountdev patched to the unpacked mountdev;
#  3. `cargo doc` of each unpacked crate with the docs.rs settings of its manifest (all features,
#     every listed target, `--cfg docsrs`), warnings denied;
#  4. the MSRV job: the declared `rust-version` toolchain (ci/install-test-tools.sh installs it)
#     builds and tests each unpacked crate with all features;
#  5. the kernel adapter mountdev-wdk (driver workspace): packaged against the unpacked protocol
#     crates, its host tests run from the unpacked package, its docs built for its docs.rs target
#     against the wdk-sys stand-in.
# Called by ci/test-all.sh; runs on its own too. Installs nothing (checks the tools first). Needs
# the network (cargo package reads the crates.io index). It packages the working tree as it is
# (`--allow-dirty`), so uncommitted edits are tested too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ci/install-test-tools.sh --check-only
crates=(mountdev mountmgr-client)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A target directory that outlives the run, so dependencies are built once.
export CARGO_TARGET_DIR="$root/target/package-check"
# mountmgr-client's mountdev is the unpacked package, not crates.io.
patch_for() {
  if [[ $1 != mountdev ]]; then
    echo --config "patch.crates-io.mountdev.path=\"$work/mountdev\""
  fi
}

version() { sed -n 's/^version = "\(.*\)"$/\1/p' "$1/Cargo.toml" | head -n 1; }

echo "== cargo package -p mountdev -p mountmgr-client --allow-dirty"
cargo package -p mountdev -p mountmgr-client --allow-dirty

# Checks that the packaged crate carries its README, changelog and both licenses, and unpacks it
# to $work/<crate>.
unpack() { # crate
  local crate=$1 file listing needed
  file="$CARGO_TARGET_DIR/package/$crate-$(version "$crate").crate"
  listing=$(tar tzf "$file")
  for needed in README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE; do
    if ! grep -qx "$crate-$(version "$crate")/$needed" <<<"$listing"; then
      echo "package-check: FAIL: $file has no $needed" >&2
      exit 1
    fi
  done
  mkdir -p "$work/$crate"
  tar xzf "$file" -C "$work/$crate" --strip-components=1
  # A .crate stores one fixed old mtime for every file, and the build hashes of a package do not
  # depend on where it lies: without a fresh mtime, the shared target directory would reuse the
  # test binaries of an earlier run.
  find "$work/$crate" -type f -exec touch {} +
  echo "$file: README.md, CHANGELOG.md, LICENSE-MIT, LICENSE-APACHE present; unpacked to $work/$crate"
}

for crate in "${crates[@]}"; do
  unpack "$crate"
done

for crate in "${crates[@]}"; do
  echo "== $crate (unpacked): cargo test --all-features --offline"
  (cd "$work/$crate" && cargo test --all-features --offline $(patch_for "$crate"))
done

echo "== mountdev (unpacked): the test kit's example finds both planted bugs"
(cd "$work/mountdev" && cargo run --offline --features testing --example check_my_handler)

# The docs.rs settings, read from each manifest: all features, every listed target.
for crate in "${crates[@]}"; do
  targets=$(sed -n '/^\[package.metadata.docs.rs\]/,/^\[/p' "$work/$crate/Cargo.toml" | tr -d '\n ' |
    sed -n 's/.*targets=\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' ')
  if [[ -z "$targets" ]]; then
    echo "package-check: FAIL: $crate has no [package.metadata.docs.rs] targets" >&2
    exit 1
  fi
  for target in $targets; do
    echo "== $crate (unpacked): cargo doc --all-features --target $target, RUSTDOCFLAGS='-D warnings --cfg docsrs'"
    (cd "$work/$crate" && RUSTDOCFLAGS="-D warnings --cfg docsrs" \
      cargo doc --no-deps --all-features --offline --target "$target" $(patch_for "$crate"))
  done
done

for crate in "${crates[@]}"; do
  msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$work/$crate/Cargo.toml")
  echo "== $crate (unpacked): MSRV $msrv: cargo +$msrv test --all-features"
  (cd "$work/$crate" && cargo "+$msrv" test --all-features --offline $(patch_for "$crate"))
done

# The kernel adapter lives in the driver workspace (drivers/) and depends on the two crates
# above: package it against their unpacked packages, run its host tests from the unpacked
# package (without the `kernel` feature: wdk-sys cannot build for a Linux host), and build its
# docs.rs docs (all features, its docs.rs target) with wdk-sys patched to the Linux stand-in, as
# ci/drivers/cargo-standin.sh does; docs.rs itself builds against the real wdk-sys, which needs the WDK.
adapter=mountdev-wdk
unpacked_patches=(--config "patch.crates-io.mountdev.path=\"$work/mountdev\""
  --config "patch.crates-io.mountmgr-client.path=\"$work/mountmgr-client\"")
echo "== cargo package -p $adapter (drivers/ workspace, against the unpacked protocol crates)"
# Packaging with the patches records them in drivers/Cargo.lock: keep the committed lock.
saved_lock=$(mktemp)
cp drivers/Cargo.lock "$saved_lock"
(cd drivers && cargo package -p "$adapter" --allow-dirty --no-verify "${unpacked_patches[@]}")
cp "$saved_lock" drivers/Cargo.lock
rm -f "$saved_lock"
unpack "$adapter"
echo "== $adapter (unpacked): cargo test --no-default-features (the host-testable checks)"
(cd "$work/$adapter" && cargo test --no-default-features "${unpacked_patches[@]}")
standin=(--config "patch.crates-io.wdk-sys.path=\"$root/tools/wdk-sys-standin\"")
echo "== $adapter (unpacked): cargo doc --all-features --target x86_64-pc-windows-msvc (wdk-sys stand-in)"
(cd "$work/$adapter" && cargo update -q -p wdk-sys "${unpacked_patches[@]}" "${standin[@]}" &&
  RUSTDOCFLAGS="-D warnings --cfg docsrs" cargo doc --no-deps --all-features --target x86_64-pc-windows-msvc \
    "${unpacked_patches[@]}" "${standin[@]}")

echo "package-check: OK (${crates[*]} $adapter)"
