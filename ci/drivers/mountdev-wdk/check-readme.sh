#!/bin/bash
# The README's "Answer the mount manager in 20 lines" block must be, line for line, the
# `dispatch` of examples/minimal_driver.rs (between its ANCHOR marks), which check.sh
# compiles; and it must stay within 20 lines. Exits non-zero on a difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../../mountdev-wdk"
example=$(sed -n '/^\/\/ ANCHOR: dispatch$/,/^\/\/ ANCHOR_END: dispatch$/p' examples/minimal_driver.rs | sed '1d;$d')
readme=$(sed -n '/^## Answer the mount manager in 20 lines$/,/^## /p' README.md |
    sed -n '/^```rust,ignore$/,/^```$/p' | sed '1d;$d')
if [ -z "$example" ] || [ "$example" != "$readme" ]; then
    echo "FAIL README snippet differs from examples/minimal_driver.rs:"
    diff <(echo "$readme") <(echo "$example") || true
    exit 1
fi
lines=$(echo "$example" | wc -l)
if [ "$lines" -gt 20 ]; then
    echo "FAIL README snippet has $lines lines (more than 20)"
    exit 1
fi
echo "PASS README snippet = examples/minimal_driver.rs dispatch ($lines lines)"
