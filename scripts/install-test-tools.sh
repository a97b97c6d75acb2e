#!/usr/bin/env bash
# Installs everything the full test suite uses: Debian packages (qemu-img/qemu-io, cryptsetup,
# Wine, mingw-w64, lld, Python tools) and the Rust targets and components. Idempotent: a second
# run only checks. Needs root (CI runs as root) or passwordless sudo.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  qemu-utils cryptsetup-bin openssl python3
  wine64 gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev
  lld clang libclang-dev python3-pefile
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-tools: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rustup target add x86_64-unknown-none x86_64-pc-windows-msvc i686-pc-windows-msvc aarch64-pc-windows-msvc \
  x86_64-pc-windows-gnu >/dev/null
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal >/dev/null
fi
rustup component add miri rust-src --toolchain nightly >/dev/null
echo "install-test-tools: ready"
