#!/bin/bash
# End to end in Wine: build the driver (ci/build-linux.sh: stand-in, rust-lld, import check),
# build the user-mode exerciser, create a fresh Wine prefix in a temporary directory, load the
# driver as a kernel service, run the exerciser, stop the service and check that the driver
# unloaded. Prints `N passed, M failed` and exits non-zero on any failure.
#
# Needs (Debian 12): apt-get install -y wine64 gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev
# libclang-dev clang python3-pefile bc; rustup target add x86_64-pc-windows-msvc
# x86_64-pc-windows-gnu. Uses tools/wine/bcryptprimitives.{c,def} (Rust std exes need
# bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks).
set -euo pipefail
DRIVER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$DRIVER_DIR/../.." && pwd)
cd "$DRIVER_DIR"

passed=0
failed=0
step() { # name, then a command whose success is the check
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "PASS $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
    fi
}
now() { date +%s.%N; }
since() { printf '%.1f s' "$(echo "$(now) - $1" | bc)"; }
script_start=$(now)

work=$(mktemp -d "${TMPDIR:-/tmp}/cryptdisk-e2e.XXXXXX")
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
    wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# 1. Build and check the driver.
t=$(now)
step driver_build_and_import_check ./ci/build-linux.sh -q
echo "  (driver build + import check: $(since "$t"))"
SYS=target/cryptdisk.sys

# 2. The exerciser and the bcryptprimitives stub.
t=$(now)
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
step exerciser_build cargo build -q --release --locked --target x86_64-pc-windows-gnu \
    --manifest-path exerciser/Cargo.toml
EXE=exerciser/target/x86_64-pc-windows-gnu/release/cryptdisk-exerciser.exe
step stub_build x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
    "$REPO_DIR/tools/wine/bcryptprimitives.c" "$REPO_DIR/tools/wine/bcryptprimitives.def" -ladvapi32
echo "  (exerciser + stub build: $(since "$t"))"

# 3. A fresh prefix, and a persistent wineserver with stdio detached (otherwise it keeps this
#    script's pipes open and a caller's `| tail` never ends).
t=$(now)
wineboot -i >/dev/null 2>&1 || true
wineserver -w
step wine_prefix test -d "$WINEPREFIX/drive_c/windows/system32"
echo "  (prefix: $(since "$t"))"
C="$WINEPREFIX/drive_c"
cp "$SYS" "$C/windows/system32/drivers/cryptdisk.sys"
cp "$work/bcryptprimitives.dll" "$C/windows/system32/"
cp "$EXE" "$C/cryptdisk-exerciser.exe"
wineserver -p 120 </dev/null >/dev/null 2>&1
# Starts services.exe and winedevice; their stderr (driver-host messages) goes to the log.
wine cmd /c exit >"$work/services.log" 2>&1 || true

# 4. Load, exercise, unload.
t=$(now)
wine sc create cryptdisk type= kernel start= demand binPath= 'C:\windows\system32\drivers\cryptdisk.sys' \
    >"$work/sc-create.log" 2>&1 || true
wine sc start cryptdisk >"$work/sc-start.log" 2>&1 || true
step driver_started grep -q 'RUNNING' "$work/sc-start.log"
echo "  (sc create + start: $(since "$t"))"

t=$(now)
set +e
timeout 120 wine 'C:\cryptdisk-exerciser.exe' >"$work/exerciser.log" 2>&1
exerciser_rc=$?
set -e
sed 's/\r$//' "$work/exerciser.log" | sed 's/^/  exerciser: /'
step exerciser_checks test "$exerciser_rc" -eq 0
echo "  (exerciser: $(since "$t"))"

t=$(now)
wine sc stop cryptdisk >"$work/sc-stop.log" 2>&1 || true
sleep 0.5
wine sc query cryptdisk >"$work/sc-query.log" 2>&1 || true
step driver_stopped grep -q 'STOPPED' "$work/sc-query.log"
set +e
timeout 60 wine 'C:\cryptdisk-exerciser.exe' --unloaded >"$work/unloaded.log" 2>&1
unloaded_rc=$?
set -e
sed 's/\r$//' "$work/unloaded.log" | sed 's/^/  exerciser: /'
step driver_unloaded test "$unloaded_rc" -eq 0
echo "  (sc stop + unload check: $(since "$t"))"

if [ "$failed" -ne 0 ]; then
    for log in sc-start sc-stop sc-query services; do
        echo "--- $log.log"
        sed 's/\r$//' "$work/$log.log" | tail -20
    done
fi
echo "whole e2e-wine.sh: $(since "$script_start")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
