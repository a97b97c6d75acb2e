#!/usr/bin/env bash
# Regenerates fuzz/dict/ioctl.dict: every IOCTL code mountdev knows, as the 4 little-endian bytes
# a fuzzer should splice into inputs, from the same table the layout check uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p fuzz/dict
cargo run -q -p mountdev --example layout_table | awk -F'\t' '$1 ~ /^code / {
  v = $3 + 0; name = substr($1, 6)
  printf "# %s\n\"\\x%02x\\x%02x\\x%02x\\x%02x\"\n", name, v % 256, int(v / 256) % 256, int(v / 65536) % 256, int(v / 16777216) % 256
}' > fuzz/dict/ioctl.dict
echo "wrote $(grep -c '^"' fuzz/dict/ioctl.dict) codes to fuzz/dict/ioctl.dict"
