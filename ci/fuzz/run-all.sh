#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 20), then prints executions and
# crashes per target. Exit status 1 when any target crashed.
#
#   ci/fuzz/run-all.sh [SECONDS] [TARGET...]
#
# New corpus entries go to fuzz/corpus/<target> (git-ignored); the committed seeds in
# fuzz/seeds/<target> are read too. Crashes are saved under fuzz/artifacts/<target>/: turn each
# into a regression test in the crate it belongs to.
set -uo pipefail
cd "$(dirname "$0")/../../fuzz"
seconds=${1:-20}
shift || true
../ci/install-test-tools.sh --check-only || exit 2
toolchain=+nightly
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo $toolchain fuzz list)
fi
echo "building ${#targets[@]} targets"
for target in "${targets[@]}"; do
  cargo $toolchain fuzz build -O "$target" >/dev/null 2>&1 || { echo "run-all: build of $target failed" >&2; cargo $toolchain fuzz build -O "$target" 2>&1 | tail -20; exit 2; }
done

dict_args=()
[ -f dict/ioctl.dict ] && dict_args=(-dict=dict/ioctl.dict)
results=()
crashed=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "seeds/$target" "artifacts/$target"
  log=$(mktemp)
  cargo $toolchain fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 "${dict_args[@]}" >"$log" 2>&1
  status=$?
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  crashes=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    crashed=1
    echo "---- $target failed (exit $status); last lines:"
    tail -30 "$log"
  fi
  results+=("$(printf '%-28s %12s execs %4s crashes' "$target" "${execs:-?}" "$crashes")")
  rm -f "$log"
done
echo
echo "fuzz summary (${seconds}s per target)"
printf '%s\n' "${results[@]}"
passed=$(printf '%s\n' "${results[@]}" | awk '$4 == 0' | wc -l)
echo "fuzz: ${passed} passed, $(( ${#targets[@]} - passed )) failed"
exit $crashed
