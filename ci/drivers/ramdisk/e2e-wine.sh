#!/bin/bash
# End to end in Wine for the RAM-disk driver, modelled on ci/drivers/cryptdisk/e2e-wine.sh:
# run the adapter's checks (ci/drivers/mountdev-wdk/check.sh), build the driver
# (ci/drivers/build-linux.sh ramdisk: stand-in, clippy, import check) and the user-mode checker;
# in a fresh Wine prefix load the driver as a kernel service, which mounts itself at R: (Wine's
# mount manager refuses CREATE_POINT and the arrival, so the driver creates the documented
# fallback link \??\R:); the checker answers through \\.\R: (the mount manager's probes, the
# disk / storage queries, writes read back, refused transfers, a pended UNIQUE_ID_CHANGE_NOTIFY
# cancelled); sc stop unloads the driver, which unmounts, and R: is gone.
# Prints `N passed, M failed` and exits non-zero on any failure.
#
# Installs nothing: checks the tools first (ci/install-test-tools.sh --check-only). Uses
# ci/wine/bcryptprimitives.{c,def} and the shared harness ci/wine/e2e-lib.sh.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DRIVER_DIR="$REPO_DIR/sample-ramdisk"
cd "$DRIVER_DIR"
"$REPO_DIR/ci/install-test-tools.sh" --check-only

source "$REPO_DIR/ci/wine/e2e-lib.sh" ramdisk

# 1. Build: the adapter (its host unit tests, kernel clippy, example driver, import check,
#    README snippet), the driver (+ clippy + import check), the checker, the bcryptprimitives stub.
t=$(now)
step adapter_checks "$REPO_DIR/ci/drivers/mountdev-wdk/check.sh"
step driver_build_and_import_check "$REPO_DIR/ci/drivers/build-linux.sh" ramdisk -q
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
step checker_clippy cargo clippy -q --release --locked --target x86_64-pc-windows-gnu --all-targets \
    --manifest-path checker/Cargo.toml -- -D warnings
step checker_build cargo build -q --release --locked --target x86_64-pc-windows-gnu --manifest-path checker/Cargo.toml
build_stub
echo "  (builds: $(since "$t"))"

# 2. A fresh prefix and a persistent wineserver with stdio detached.
t=$(now)
fresh_prefix
cp "$REPO_DIR/drivers/target/ramdisk.sys" "$C/windows/system32/drivers/ramdisk.sys"
cp "$REPO_DIR/drivers/target/x86_64-pc-windows-gnu/release/ramdisk-checker.exe" "$C/ramdisk-checker.exe"
start_services
echo "  (prefix: $(since "$t"))"

# 3. Load: DriverEntry creates the volume and mounts it at R:.
t=$(now)
step letter_free_before_load run_logged checker-before 60 'C:\ramdisk-checker.exe' gone R
wine sc create ramdisk type= kernel start= demand binPath= 'C:\windows\system32\drivers\ramdisk.sys' \
    >"$work/sc-create.log" 2>&1 || true
wine sc start ramdisk >"$work/sc-start.log" 2>&1 || true
step driver_started grep -q 'RUNNING' "$work/sc-start.log"
# The mount sequence reached Wine's mount manager, which refused CREATE_POINT (0x6dc000) and the
# arrival (0x6d402c): the reason for the fallback link.
step wine_refused_create_point grep -q 'ioctl 6dc000 not supported' "$work/services.log"
step wine_refused_volume_arrival grep -q 'ioctl 6d402c not supported' "$work/services.log"
echo "  (sc create + start: $(since "$t"))"

# 4. The volume through R:.
t=$(now)
step volume_checks run_logged checker 120 'C:\ramdisk-checker.exe' volume R
echo "  (volume checks: $(since "$t"))"

# 5. Unload with a notification pending (DriverUnload cancels it), then DriverUnload unmounts,
#    deletes the link and the device.
t=$(now)
timeout 60 wine 'C:\ramdisk-checker.exe' pend R >"$work/checker-pend.raw" 2>&1 &
pend_pid=$!
for _ in $(seq 1 40); do
    grep -q '^pending' "$work/checker-pend.raw" 2>/dev/null && break
    sleep 0.25
done
step notify_pending_before_unload grep -q '^pending' "$work/checker-pend.raw"
stop_service ramdisk
step driver_stopped grep -q 'STOPPED' "$work/sc-query.log"
pend_rc=0
wait "$pend_pid" || pend_rc=$?
sed 's/\r$//' "$work/checker-pend.raw" >"$work/checker-pend.log"
sed "s/^/  checker-pend: /" "$work/checker-pend.log"
step unload_cancelled_the_pending_notify test "$pend_rc" -eq 0
step letter_gone_after_unload run_logged checker-after 60 'C:\ramdisk-checker.exe' gone R
# 6. Load again: the name, the letter and the pool were all released, so a second start works.
wine sc start ramdisk >"$work/sc-start2.log" 2>&1 || true
step driver_restarted grep -q 'RUNNING' "$work/sc-start2.log"
step volume_checks_after_restart run_logged checker-restart 120 'C:\ramdisk-checker.exe' volume R
stop_service ramdisk
step driver_stopped_again grep -q 'STOPPED' "$work/sc-query.log"
step letter_gone_after_second_unload run_logged checker-after2 60 'C:\ramdisk-checker.exe' gone R
echo "  (sc stop, restart, stop: $(since "$t"))"

finish
