#!/usr/bin/env bash
# Shows that ci/install-test-tools.sh's self-check catches a tool that is present only by
# accident: with everything installed the check passes; with any one owner taken out of the
# script's lists (INSTALL_TEST_TOOLS_WITHOUT) it must fail and name it. Owners are the Debian
# packages of its checks table and its Rust items (toolchains, targets, components, cargo-fuzz).
# Installs nothing; needs the tools already installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$here/install-test-tools.sh"

"$script" --check-only >/dev/null || { echo "install-self-check: FAIL: the full list does not pass" >&2; exit 1; }

# Every package and Rust item the check table names as an owner.
owners=$("$script" --owners)
passed=0 failed=0
for pkg in $owners; do
  if out=$(INSTALL_TEST_TOOLS_WITHOUT="$pkg" "$script" --check-only 2>&1); then
    echo "install-self-check: FAIL: removing $pkg from the list went unnoticed" >&2
    failed=$((failed + 1))
  elif ! grep -q "$pkg" <<<"$out"; then
    echo "install-self-check: FAIL: removing $pkg failed without naming it:" >&2
    echo "$out" >&2
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done
echo "install-self-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
