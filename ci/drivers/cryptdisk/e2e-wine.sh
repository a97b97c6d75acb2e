#!/bin/bash
# End to end in Wine: build the driver (ci/drivers/build-linux.sh: stand-in, rust-lld, import check), the
# user-mode exerciser and the cryptdisk CLI (for Linux and for Windows); create a LUKS1 container
# on Linux with known plaintext; in a fresh Wine prefix load the driver as a kernel service, then
#
#   1. exerciser: the control device (security, LIST, refused requests, header mismatches, a
#      taken drive letter);
#   2. CLI: mount at a taken letter (refused), mount at M: (Wine's mount manager refuses
#      CREATE_POINT and the arrival with STATUS_NOT_SUPPORTED, as its log shows, so the driver
#      makes the drive letter itself: FALLBACK_LINK), list;
#   3. exerciser: the volume through \\.\M: (device-name probe, IOCTLs, the plaintext, writes
#      of a pattern, refused transfers, concurrency, flush, a second mount, a busy unmount);
#   4. CLI: unmount M:, list, unmount again (refused); exerciser: the link and device are gone;
#      CLI: a LUKS2 container (4096-byte sectors) mounts at L: and unmounts; a LUKS2 container
#      of known plaintext mounts at K: and the exerciser runs the volume checks at 4096-byte
#      sectors;
#      CLI: mount at H:, the exerciser holds H: open: the CLI's unmount is refused (files open),
#      `--force` unmounts it, the exerciser's handle fails and H: is gone;
#   5. CLI: mount read-only at R:; exerciser: the data with the pattern, writes refused;
#   6. sc stop with R: still mounted: the driver takes it down and unloads;
#
# and finally checks on Linux that the container decrypts, with the Linux CLI (cryptdisk-core)
# and with qemu-img (an independent LUKS implementation), to the plaintext with the pattern,
# and the LUKS2 one with the CLI and with Python's AES-XTS under cryptsetup's volume key.
# Prints `N passed, M failed` and exits non-zero on any failure.
#
# Installs nothing: ci/install-test-tools.sh installs the tools (ci/drivers/cryptdisk/run-all.sh
# checks them). Uses ci/wine/bcryptprimitives.{c,def} (Rust std exes need
# bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks).
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DRIVER_DIR="$REPO_DIR/sample-cryptdisk/driver"
cd "$DRIVER_DIR"

# pass / fail / step, now / since, $work with a fresh $WINEPREFIX, run_logged (ci/wine/e2e-lib.sh).
source "$REPO_DIR/ci/wine/e2e-lib.sh" cryptdisk
has() { grep -qF -- "$2" "$work/$1.log"; } # log, text

# 1. Build: the driver (+ import check), the exerciser, the CLI for Linux and Windows, the stub.
t=$(now)
step driver_build_and_import_check "$REPO_DIR/ci/drivers/build-linux.sh" cryptdisk -q
echo "  (driver build + import check: $(since "$t"))"
SYS="$REPO_DIR/drivers/target/cryptdisk.sys"

t=$(now)
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
step exerciser_clippy cargo clippy -q --release --locked --target x86_64-pc-windows-gnu --all-targets \
    --manifest-path exerciser/Cargo.toml -- -D warnings
step exerciser_build cargo build -q --release --locked --target x86_64-pc-windows-gnu \
    --manifest-path exerciser/Cargo.toml
EXE="$REPO_DIR/drivers/target/x86_64-pc-windows-gnu/release/cryptdisk-exerciser.exe"
# The CLI builds in the repository's target directory unless CRYPTDISK_CLI_TARGET_DIR names
# another one (a fresh one measures a cold build).
TARGET_DIR=${CRYPTDISK_CLI_TARGET_DIR:-$(cd "$REPO_DIR" && cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}
step cli_build_linux cargo build -q --locked -p cryptdisk-cli --manifest-path "$REPO_DIR/Cargo.toml" \
    --target-dir "$TARGET_DIR"
step cli_build_windows cargo build -q --locked -p cryptdisk-cli --target x86_64-pc-windows-gnu \
    --manifest-path "$REPO_DIR/Cargo.toml" --target-dir "$TARGET_DIR"
CLI_LINUX="$TARGET_DIR/debug/cryptdisk"
CLI_WINDOWS="$TARGET_DIR/x86_64-pc-windows-gnu/debug/cryptdisk.exe"
build_stub
echo "  (exerciser + CLI + stub build: $(since "$t"))"

# 2. The container, on Linux: 4 MiB of known plaintext encrypted into a LUKS1 volume (512-bit
#    key, sha256, PBKDF2 calibrated to 10 ms), a 1.5 MiB pattern the exerciser writes at 1 MiB,
#    and the plaintext the volume holds after that write.
t=$(now)
printf 'e2e passphrase' >"$work/key"
head -c $((4 << 20)) /dev/urandom >"$work/plain.bin"
head -c $((1536 << 10)) /dev/urandom >"$work/pattern.bin"
PATTERN_OFFSET=$((1 << 20))
cp "$work/plain.bin" "$work/expected-after.bin"
dd if="$work/pattern.bin" of="$work/expected-after.bin" bs=512 seek=$((PATTERN_OFFSET / 512)) conv=notrunc status=none
step container_created "$CLI_LINUX" encrypt "$work/plain.bin" "$work/vol.luks" --type luks1 --key-file "$work/key" --iter-time 10
# A LUKS2 container (cryptdisk's default format: 4096-byte sectors) with a fast PBKDF2 slot.
step luks2_container_created "$CLI_LINUX" create "$work/vol2.luks" --size 20M --pbkdf pbkdf2 \
    --pbkdf-force-iterations 1000 --key-file "$work/key"
# A LUKS2 container of known plaintext, made by `encrypt` (cryptdisk's default format: 4096-byte
# sectors), for the volume checks at its sector size; the same pattern goes at the same offset.
head -c $((4 << 20)) /dev/urandom >"$work/plain2.bin"
cp "$work/plain2.bin" "$work/expected2-after.bin"
dd if="$work/pattern.bin" of="$work/expected2-after.bin" bs=4096 seek=$((PATTERN_OFFSET / 4096)) conv=notrunc status=none
step luks2_data_container_created "$CLI_LINUX" encrypt "$work/plain2.bin" "$work/vol3.luks" --key-file "$work/key" \
    --pbkdf pbkdf2 --pbkdf-force-iterations 1000
qemu-img convert --object "secret,id=s0,file=$work/key" \
    --image-opts "driver=luks,key-secret=s0,file.filename=$work/vol.luks" -O raw "$work/qemu-before.raw"
step qemu_reads_the_fresh_container cmp -s "$work/qemu-before.raw" "$work/plain.bin"
echo "  (container: $(since "$t"))"

# 3. A fresh prefix with the driver, the programs and the containers, and its services.
t=$(now)
fresh_prefix
cp "$SYS" "$C/windows/system32/drivers/cryptdisk.sys"
cp "$EXE" "$C/cryptdisk-exerciser.exe"
cp "$CLI_WINDOWS" "$C/cryptdisk.exe"
cp "$work/vol.luks" "$work/vol2.luks" "$work/key" "$work/pattern.bin" "$C/"
cp "$work/plain.bin" "$C/expected.bin"
cp "$work/expected-after.bin" "$C/expected-after.bin"
cp "$work/vol3.luks" "$C/"
cp "$work/plain2.bin" "$C/expected2.bin"
start_services
echo "  (prefix: $(since "$t"))"

# 4. Load.
t=$(now)
wine sc create cryptdisk type= kernel start= demand binPath= 'C:\windows\system32\drivers\cryptdisk.sys' \
    >"$work/sc-create.log" 2>&1 || true
wine sc start cryptdisk >"$work/sc-start.log" 2>&1 || true
step driver_started grep -q 'RUNNING' "$work/sc-start.log"
echo "  (sc create + start: $(since "$t"))"

# 5. The control device, nothing mounted.
t=$(now)
step control_checks run_logged exerciser 120 'C:\cryptdisk-exerciser.exe' --container 'C:\vol.luks' --key-file 'C:\key'
cli() { run_logged "$1" 120 'C:\cryptdisk.exe' "${@:2}"; }

# 6. Mount with the CLI (the master key derived from the key file) and list.
rc=0
cli cli-mount-taken mount 'C:\vol.luks' --letter C --key-file 'C:\key' || rc=$?
step cli_refuses_a_taken_letter test "$rc" -eq 1
step cli_says_the_letter_is_in_use has cli-mount-taken 'drive letter C: is already in use'
step cli_mount cli cli-mount mount 'C:\vol.luks' --letter M --key-file 'C:\key'
step mount_reply_has_fallback_link has cli-mount 'Fallback link: the mount manager did not take the volume'
step mount_reply_names_the_device has cli-mount 'Mounted at M: as \Device\CryptDiskVolume'
# The fallback is Wine's refusal as designed: the driver's CREATE_POINT (0x6dc000) and
# VOLUME_ARRIVAL_NOTIFICATION (0x6d402c) reached Wine's mount manager, which does not support them.
step wine_refused_create_point grep -q 'ioctl 6dc000 not supported' "$work/services.log"
step wine_refused_volume_arrival grep -q 'ioctl 6d402c not supported' "$work/services.log"
DEVICE=$(sed -n 's/.*Mounted at M: as \\Device\\CryptDiskVolume\([0-9]*\)\..*/\1/p' "$work/cli-mount.log")
step cli_list cli cli-list list
step list_shows_the_volume has cli-list "M:  \\Device\\CryptDiskVolume${DEVICE:-?}  4 MiB  read-write, fallback link  C:\\vol.luks"
echo "  (control checks, mount, list: $(since "$t"))"

# 7. The volume.
t=$(now)
step volume_checks run_logged exerciser-volume 180 'C:\cryptdisk-exerciser.exe' volume --letter M \
    --expect 'C:\expected.bin' --pattern 'C:\pattern.bin' --pattern-offset "$PATTERN_OFFSET" --container 'C:\vol.luks'
echo "  (volume checks: $(since "$t"))"

# 8. Unmount; everything of the volume is gone.
t=$(now)
step cli_unmount cli cli-unmount unmount M
step unmount_says_so has cli-unmount 'Unmounted M:.'
step cli_list_after_unmount cli cli-list-after list
step list_is_empty has cli-list-after 'No cryptdisk volumes are mounted.'
rc=0
cli cli-unmount-again unmount M || rc=$?
step second_unmount_is_refused test "$rc" -eq 1
step second_unmount_says_why has cli-unmount-again 'no cryptdisk volume is mounted at M:'
step volume_gone run_logged exerciser-gone 60 'C:\cryptdisk-exerciser.exe' gone --letter M --device "${DEVICE:-0}"
echo "  (unmount: $(since "$t"))"

# 8b. The LUKS2 container mounts (the driver validates its LUKS2 header and presents 4096-byte
#     sectors) and unmounts. (The exerciser's volume checks assume 512-byte sectors: not run here.)
t=$(now)
step cli_mount_luks2 cli cli-mount-l2 mount 'C:\vol2.luks' --letter L --key-file 'C:\key'
step luks2_mount_reply has cli-mount-l2 'in 4096-byte sectors'
step luks2_mounted has cli-mount-l2 'Mounted at L: as \Device\CryptDiskVolume'
step cli_unmount_luks2 cli cli-unmount-l2 unmount L
step luks2_unmount_says_so has cli-unmount-l2 'Unmounted L:.'
echo "  (LUKS2 mount: $(since "$t"))"

# 8c. A busy volume: mounted at H:, held open (exclusively) by the exerciser, which sees its own
#     plain UNMOUNT refused; the CLI's plain unmount is refused too (files open) and H: stays
#     listed; `--force` unmounts it, and the exerciser sees its handle fail and H: gone. Wine has
#     no file system on the volume: the refusals come from the handle on the volume device, and
#     the driver's FSCTL_LOCK_VOLUME succeeds (the plain unmounts of M: and L: go through).
t=$(now)
step cli_mount_busy cli cli-mount-busy mount 'C:\vol.luks' --letter H --key-file 'C:\key'
BUSY_DEVICE=$(sed -n 's/.*Mounted at H: as \\Device\\CryptDiskVolume\([0-9]*\)\..*/\1/p' "$work/cli-mount-busy.log")
timeout 120 wine 'C:\cryptdisk-exerciser.exe' hold --letter H --device "${BUSY_DEVICE:-0}" --seconds 60 \
    >"$work/exerciser-hold.raw" 2>&1 &
hold_pid=$!
for _ in $(seq 300); do
    grep -q '^HOLDING' "$work/exerciser-hold.raw" 2>/dev/null && break
    kill -0 "$hold_pid" 2>/dev/null || break
    sleep 0.1
done
step exerciser_holds_the_volume grep -q '^HOLDING' "$work/exerciser-hold.raw"
rc=0
cli cli-unmount-busy unmount H || rc=$?
step busy_unmount_is_refused test "$rc" -eq 1
step busy_unmount_says_files_open has cli-unmount-busy 'device H: is still in use (files open); close them'
step busy_unmount_suggests_force has cli-unmount-busy 'or use --force'
step cli_list_busy cli cli-list-busy list
step busy_volume_still_listed has cli-list-busy "H:  \\Device\\CryptDiskVolume${BUSY_DEVICE:-?}"
step cli_force_unmount cli cli-unmount-force unmount H --force
step force_unmount_says_so has cli-unmount-force 'Unmounted H:.'
rc=0
wait "$hold_pid" || rc=$?
sed 's/\r$//' "$work/exerciser-hold.raw" >"$work/exerciser-hold.log"
sed 's/^/  exerciser-hold: /' "$work/exerciser-hold.log"
step busy_volume_checks test "$rc" -eq 0
echo "  (busy unmount: $(since "$t"))"

# 8d. The LUKS2 container of known plaintext at K:, through the same volume checks at 4096-byte
#     sectors: geometry and access alignment say 4096, I/O aligned to 512 but not 4096 is
#     refused, the whole volume reads the plaintext, the pattern (written in whole sectors)
#     reads back, a second mount is refused; then unmounted.
t=$(now)
step cli_mount_luks2_data cli cli-mount-l3 mount 'C:\vol3.luks' --letter K --key-file 'C:\key'
step luks2_data_mount_reply has cli-mount-l3 'in 4096-byte sectors'
step luks2_volume_checks run_logged exerciser-volume-l2 180 'C:\cryptdisk-exerciser.exe' volume --letter K \
    --sector-size 4096 --expect 'C:\expected2.bin' --pattern 'C:\pattern.bin' --pattern-offset "$PATTERN_OFFSET" \
    --container 'C:\vol3.luks'
step cli_unmount_luks2_data cli cli-unmount-l3 unmount K
step luks2_data_unmount_says_so has cli-unmount-l3 'Unmounted K:.'
echo "  (LUKS2 volume checks: $(since "$t"))"

# 9. Read-only at R:, left mounted for the unload.
t=$(now)
step cli_mount_read_only cli cli-mount-ro mount 'C:\vol.luks' --letter R --read-only --key-file 'C:\key'
step read_only_volume_checks run_logged exerciser-ro 120 'C:\cryptdisk-exerciser.exe' volume --letter R \
    --read-only --expect 'C:\expected-after.bin' --container 'C:\vol.luks'
echo "  (read-only mount: $(since "$t"))"

# 10. Stop the service with R: mounted: DriverUnload takes the volume down.
t=$(now)
wine sc stop cryptdisk >"$work/sc-stop.log" 2>&1 || true
for _ in 1 2 3 4 5 6 7 8 9 10; do
    wine sc query cryptdisk >"$work/sc-query.log" 2>&1 || true
    grep -q 'STOPPED' "$work/sc-query.log" && break
    sleep 0.5
done
step driver_stopped grep -q 'STOPPED' "$work/sc-query.log"
RO_DEVICE=$(sed -n 's/.*Mounted at R: as \\Device\\CryptDiskVolume\([0-9]*\)\..*/\1/p' "$work/cli-mount-ro.log")
step driver_unloaded run_logged exerciser-unloaded 60 'C:\cryptdisk-exerciser.exe' --unloaded --letter R \
    --device "${RO_DEVICE:-0}"
echo "  (sc stop + unload: $(since "$t"))"

# 11. On Linux: what the driver wrote decrypts, with the core and with qemu-img, to the plaintext
#     with the pattern.
t=$(now)
step core_decrypts_the_written_container "$CLI_LINUX" decrypt "$C/vol.luks" "$work/core-after.raw" --full \
    --key-file "$work/key"
step core_sees_the_pattern cmp -s "$work/core-after.raw" "$work/expected-after.bin"
step qemu_decrypts_the_written_container qemu-img convert --object "secret,id=s0,file=$work/key" \
    --image-opts "driver=luks,key-secret=s0,file.filename=$C/vol.luks" -O raw "$work/qemu-after.raw"
step qemu_sees_the_pattern cmp -s "$work/qemu-after.raw" "$work/expected-after.bin"
# What the driver wrote on the LUKS2 volume: the Linux CLI decrypts it (to the length `encrypt`
# recorded) and so does Python's AES-XTS under the volume key cryptsetup reads from the header.
step core_decrypts_the_written_luks2_container "$CLI_LINUX" decrypt "$C/vol3.luks" "$work/core-after2.raw" \
    --key-file "$work/key"
step core_sees_the_luks2_pattern cmp -s "$work/core-after2.raw" "$work/expected2-after.bin"
luks2_python_oracle() { # volume, key file, expected plaintext
    cryptsetup luksDump -q --dump-volume-key --key-file "$2" "$1" >"$work/luks2-key.txt" 2>&1 || return 1
    cryptsetup luksDump "$1" >"$work/luks2-dump.txt" 2>&1 || return 1
    /usr/bin/python3 - "$1" "$work/luks2-key.txt" "$work/luks2-dump.txt" "$3" <<'PY'
import re, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
volume, key_dump, dump, expected = sys.argv[1:5]
words = open(key_dump).read().split("MK dump:", 1)[1].split()
key = bytes.fromhex("".join(w for w in words[:64] if re.fullmatch("[0-9a-f]{2}", w)))
segments = open(dump).read().split("Data segments:", 1)[1]
offset = int(re.search(r"offset: (\d+) \[bytes\]", segments).group(1))
sector = int(re.search(r"sector: (\d+) \[bytes\]", segments).group(1))
want = open(expected, "rb").read()
with open(volume, "rb") as f:
    f.seek(offset)
    data = f.read(len(want))
plain = bytearray()
for i in range(0, len(data), sector):
    d = Cipher(algorithms.AES(key), modes.XTS((i // 512).to_bytes(16, "little"))).decryptor()
    plain += d.update(data[i:i + sector]) + d.finalize()
sys.exit(0 if bytes(plain) == want else 1)
PY
}
step python_sees_the_luks2_pattern luks2_python_oracle "$C/vol3.luks" "$work/key" "$work/expected2-after.bin"
echo "  (decrypt on Linux: $(since "$t"))"

finish
