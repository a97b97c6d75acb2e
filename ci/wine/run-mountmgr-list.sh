#!/usr/bin/env bash
# Runs mountmgr-client's list_mount_points example under Wine against Wine's own mount manager,
# and checks what it lists against what Wine has.
#
#   ci/wine/run-mountmgr-list.sh
#
# Steps: (1) build the example for x86_64-pc-windows-gnu with the mingw linker; (2) create a fresh
# Wine prefix in a temporary directory (headless, WINEDEBUG=-all); (3) build the
# bcryptprimitives.dll stub that Rust std needs on Wine 8 and install it into the prefix;
# (4) run the example with --machine; (5) check its lines with check-mountmgr-list.sh:
#   - the letters it lists are exactly the drive letters of the prefix's dosdevices (C and Z);
#   - every drive letter resolves (QUERY_POINTS by that link) to the device of exactly one volume
#     GUID name, and every volume GUID name to a device that has a drive letter;
#   - every point's own QUERY_POINTS resolution agrees with the full listing;
#   - QUERY_POINTS by each device returns exactly the points listed for it;
#   - the listing went through the overflow path: two requests (32-byte probe, then a retry), and a
#     56-byte fixed scratch was told the full size (24 + SIZE).
# Exits non-zero with a message on any mismatch. Installs nothing: checks the tools first
# (ci/install-test-tools.sh --check-only).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target=x86_64-pc-windows-gnu

fail() { echo "run-mountmgr-list: FAIL: $*" >&2; exit 1; }

"$repo/ci/install-test-tools.sh" --check-only

# (1) Build.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
echo "== building list_mount_points for $target"
(cd "$repo" && cargo build -q -p mountmgr-client --features std --example list_mount_points --target "$target")
target_dir="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
exe="$target_dir/$target/debug/examples/list_mount_points.exe"
[ -f "$exe" ] || fail "no executable at $exe"

# (2) Fresh prefix, headless.
work="$(mktemp -d "${TMPDIR:-/tmp}/mountmgr-wine.XXXXXX")"
export WINEPREFIX="$work/prefix"
export WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
    wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
echo "== creating Wine prefix $WINEPREFIX"
wineboot -i >/dev/null 2>&1 || wine cmd /c exit >/dev/null 2>&1 || fail "cannot create the Wine prefix"
wineserver -w
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || fail "prefix has no system32"

# (3) The bcryptprimitives.dll stub.
echo "== building bcryptprimitives.dll stub"
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
    "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

# (4) Run.
echo "== running list_mount_points --machine under $(wine --version)"
out="$work/out.txt"
set +e
wine "$exe" --machine >"$out" 2>"$work/err.txt"
rc=$?
set -e
tr -d '\r' <"$out" >"$out.unix" && mv "$out.unix" "$out"
cat "$out"
[ -s "$work/err.txt" ] && { echo "-- stderr:"; cat "$work/err.txt"; }
[ "$rc" -eq 0 ] || fail "list_mount_points exited with $rc"

# (5) Check.
echo "== checking"
expected_letters="$(ls "$WINEPREFIX/dosdevices" | grep -E '^[a-z]:$' | tr -d ':' | tr 'a-z' 'A-Z' | sort | tr '\n' ' ')"
"$here/check-mountmgr-list.sh" "$out" "$expected_letters" || fail "listing does not match what Wine has (see above)"

echo "run-mountmgr-list: OK: letters ${expected_letters% } (as in the prefix's dosdevices), each resolved to the device of exactly one volume GUID name"
