# Shared harness of the end-to-end scripts that run a driver in Wine (sourced, not run):
#
#   source "$REPO_DIR/ci/wine/e2e-lib.sh" <name>
#
# gives `pass` / `fail` / `step NAME CMD...` (counting into $passed / $failed), `now` / `since`
# (milliseconds, "12.3 s"), a work directory $work with a fresh $WINEPREFIX inside (removed, with
# the wineserver, on exit), `run_logged LOG SECONDS PROGRAM ARGS...` (a Windows program under Wine
# with a time limit, its output in $work/LOG.log and indented on stdout), `stop_service NAME`
# (sc stop, then polls sc query into $work/sc-query.log until STOPPED), `build_stub` (the
# bcryptprimitives.dll that Rust std exes need on Wine 8, into $work), `fresh_prefix` (creates
# $WINEPREFIX, checks it, installs the stub; sets $C to its drive_c), `start_services` (a
# persistent wineserver with stdio detached, then services.exe and winedevice, their stderr in
# $work/services.log) and `finish` (on a failure the tails of the sc and services logs; then the
# totals; non-zero on any failure).
passed=0
failed=0
pass() {
    passed=$((passed + 1))
    echo "PASS $*"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}
step() { # name, then a command whose success is the check
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
now() { date +%s%3N; } # milliseconds
since() { # milliseconds at the start → "12.3 s"
    local ms=$(($(now) - $1))
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
script_start=$(now)

work=$(mktemp -d "${TMPDIR:-/tmp}/${1:-driver}-e2e.XXXXXX")
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
    wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

run_logged() { # log, seconds, program, args...
    local log=$1 seconds=$2
    shift 2
    local rc=0
    timeout "$seconds" wine "$@" >"$work/$log.raw" 2>&1 || rc=$?
    sed 's/\r$//' "$work/$log.raw" >"$work/$log.log"
    sed "s/^/  $log: /" "$work/$log.log"
    return "$rc"
}

stop_service() { # service name
    wine sc stop "$1" >"$work/sc-stop.log" 2>&1 || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        wine sc query "$1" >"$work/sc-query.log" 2>&1 || true
        grep -q 'STOPPED' "$work/sc-query.log" && break
        sleep 0.5
    done
}

lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_stub() { # Rust std exes need bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks
    step stub_build x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
        "$lib_dir/bcryptprimitives.c" "$lib_dir/bcryptprimitives.def" -ladvapi32
}

fresh_prefix() { # wineboot, then waits for its wineserver to exit
    wineboot -i >/dev/null 2>&1 || true
    wineserver -w
    step wine_prefix test -d "$WINEPREFIX/drive_c/windows/system32"
    C="$WINEPREFIX/drive_c"
    cp "$work/bcryptprimitives.dll" "$C/windows/system32/"
}

start_services() {
    # Detached: a wineserver holding this script's pipes would keep a caller's `| tail` waiting.
    wineserver -p 300 </dev/null >/dev/null 2>&1
    # Driver-host messages and the mount manager's notes on requests it does not support.
    WINEDEBUG=-all,fixme+mountmgr wine cmd /c exit >"$work/services.log" 2>&1 || true
}

finish() { # on any failure the service logs' tails; the totals; non-zero on any failure
    if [ "$failed" -ne 0 ]; then
        for log in sc-start sc-stop sc-query services; do
            echo "--- $log.log"
            sed 's/\r$//' "$work/$log.log" | tail -20
        done
    fi
    echo "whole $(basename "$0"): $(since "$script_start")"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
