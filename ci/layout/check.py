#!/usr/bin/env python3
"""Compare every size, offset and IOCTL code and NTSTATUS value of `mountdev` with mingw-w64's headers.

The rows come from `cargo run -p mountdev --example layout_table` (label, C expression, value).
Each C expression is compiled to assembly with x86_64-w64-mingw32-gcc, i686-w64-mingw32-gcc and
clang --target=aarch64-w64-mingw32 over mingw-w64-common's header set (nothing runs, nothing links),
the constants are read back from the assembly, and any difference from the Rust value fails the
check. Usage: check.py [ROWS_FILE]  (default: run the example).
"""
import os
import re
import subprocess
import sys
import tempfile

PRELUDE = """\
#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winioctl.h>
#include <ntddstor.h>
#include <ntdddisk.h>
#include <mountmgr.h>
#include <mountdev.h>
#include <stddef.h>
"""

MINGW_INCLUDE = "/usr/share/mingw-w64/include"
DDK = MINGW_INCLUDE + "/ddk"
COMPILERS = {
    "x64": ["x86_64-w64-mingw32-gcc"],
    "x86": ["i686-w64-mingw32-gcc"],
    # Debian ships no aarch64 mingw-w64 toolchain; clang targets it with the arch-neutral headers.
    "arm64": ["clang", "--target=aarch64-w64-mingw32", "-isystem", MINGW_INCLUDE],
}


def load_rows(path):
    if path:
        text = open(path, encoding="utf-8").read()
    else:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        text = subprocess.run(
            ["cargo", "run", "-q", "-p", "mountdev", "--example", "layout_table"],
            cwd=root, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in text.splitlines():
        label, expr, value = line.split("\t")
        rows.append((label, expr, int(value)))
    if not rows:
        sys.exit("layout-check: no rows")
    return rows


def compile_values(abi, compiler, rows, workdir):
    source = os.path.join(workdir, "layout.c")
    asm = os.path.join(workdir, f"layout-{abi}.s")
    with open(source, "w", encoding="utf-8") as f:
        f.write(PRELUDE)
        for i, (_, expr, _) in enumerate(rows):
            f.write(f"const unsigned int L_{i} = (unsigned int)({expr});\n")
    subprocess.run(compiler + ["-O1", "-idirafter", DDK, "-S", "-o", asm, source], check=True)
    values = {}
    label = None
    for line in open(asm, encoding="utf-8"):
        line = line.strip()
        m = re.match(r"^_?L_(\d+):$", line)
        if m:
            label = int(m.group(1))
            continue
        if label is not None:
            if line.startswith(".long") or line.startswith(".word"):
                values[label] = int(line.split()[1], 0) & 0xFFFFFFFF
            elif line.startswith(".space 4") or line.startswith(".zero 4"):
                values[label] = 0
            else:
                continue
            label = None
    return values


def main():
    rows = load_rows(sys.argv[1] if len(sys.argv) > 1 else None)
    failures = 0
    with tempfile.TemporaryDirectory() as workdir:
        for abi, compiler in COMPILERS.items():
            values = compile_values(abi, compiler, rows, workdir)
            for i, (label, expr, ours) in enumerate(rows):
                theirs = values.get(i)
                if theirs != ours:
                    failures += 1
                    print(f"MISMATCH [{abi}] {label}: mountdev {ours:#x}, mingw-w64 `{expr}` = "
                          f"{'missing' if theirs is None else hex(theirs)}")
    total = len(rows) * len(COMPILERS)
    print(f"layout-check: {total - failures} passed, {failures} failed "
          f"({len(rows)} values x {len(COMPILERS)} ABIs against mingw-w64)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
