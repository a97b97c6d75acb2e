#!/usr/bin/python3
"""Worst-case stack depth from every function of a PE x64 image down to a call of an import.

Usage: stack_to_import.py IMAGE.sys [--pdb IMAGE.pdb] IMPORT [IMPORT...]

Each function's frame comes from its unwind info (.pdata/.xdata: ALLOC_SMALL/LARGE plus 8 bytes
per pushed register plus the return address), the call graph from the direct and import calls
in `x86_64-w64-mingw32-objdump -d`. Prints, for the deepest chain ending in a call of one of the
imports, each function's start RVA and frame, and the total. Indirect calls through registers
(trait objects, function pointers) are not followed: the numbers are a lower bound for chains
that pass through one. A function without unwind info is a leaf with no frame beyond its return
address. Also prints, for every function that calls one of the imports itself, its own frame (what
is live on the stack across the call) and the deepest chain of direct calls below it (its worst
case anywhere). With --pdb (a build with debug info, e.g. CARGO_PROFILE_RELEASE_DEBUG=1) the
functions are named through `llvm-pdbutil dump --symbols`. Needs python3-pefile (Debian) and
mingw-w64's objdump.
"""
import re
import subprocess
import sys

import pefile


def frames(pe):
    """{begin RVA: (end RVA, frame bytes)} from the exception directory."""
    out = {}
    for entry in getattr(pe, "DIRECTORY_ENTRY_EXCEPTION", []):
        size = 8  # return address
        info = entry.unwindinfo
        for code in info.UnwindCodes if info else []:
            name = code.struct.name
            if name == "UNWIND_CODE_PUSH_NONVOL":
                size += 8
            elif name in ("UNWIND_CODE_ALLOC_SMALL", "UNWIND_CODE_ALLOC_LARGE"):
                size += code.get_alloc_size()
            elif name == "UNWIND_CODE_PUSH_MACHFRAME":
                size += 48
        out[entry.struct.BeginAddress] = (entry.struct.EndAddress, size)
    return out


def pdb_names(pdb):
    """{RVA: name} of the procedures in `pdb` (section 1 assumed to start at RVA 0x1000)."""
    text = subprocess.run(["llvm-pdbutil", "dump", "--symbols", pdb], capture_output=True, text=True,
                          check=True).stdout
    pattern = r"PROC32 \[size = \d+\] `([^`]*)`\s*\n\s*parent = \d+, end = \d+, addr = 0001:(\d+)"
    return {0x1000 + int(m.group(2)): m.group(1) for m in re.finditer(pattern, text)}


def main():
    args = sys.argv[1:]
    names = {}
    if len(args) > 2 and args[1] == "--pdb":
        names = pdb_names(args[2])
        del args[1:3]
    image, wanted = args[0], set(args[1:])
    pe = pefile.PE(image)
    base = pe.OPTIONAL_HEADER.ImageBase
    iat = {}
    for dll in pe.DIRECTORY_ENTRY_IMPORT:
        for imp in dll.imports:
            if imp.name:
                iat[imp.address - base] = imp.name.decode()
    fr = frames(pe)
    starts = sorted(fr)

    def owner(rva):
        lo, hi = 0, len(starts) - 1
        found = None
        while lo <= hi:
            mid = (lo + hi) // 2
            if starts[mid] <= rva:
                found, lo = starts[mid], mid + 1
            else:
                hi = mid - 1
        if found is not None and rva < fr[found][0]:
            return found
        return None

    dis = subprocess.run(["x86_64-w64-mingw32-objdump", "-d", "--no-show-raw-insn", image],
                         capture_output=True, text=True, check=True).stdout
    line_re = re.compile(r"^\s*([0-9a-f]+):\s+(call|jmp)\S*\s+(.*)$")
    calls = {}  # caller start -> set of callee starts or import names
    for line in dis.splitlines():
        m = line_re.match(line)
        if not m:
            continue
        at = int(m.group(1), 16) - base
        caller = owner(at)
        if caller is None:
            continue
        operand = m.group(3)
        target = None
        imp = re.search(r"#\s*0x([0-9a-f]+)", operand)
        if imp and "(%rip)" in operand:
            target = iat.get(int(imp.group(1), 16) - base)
        else:
            direct = re.match(r"0x([0-9a-f]+)|([0-9a-f]+) <", operand)
            if direct:
                rva = int(direct.group(1) or direct.group(2), 16) - base
                target = owner(rva)
                if target is None:
                    target = ("leaf", rva)
                elif target == caller and m.group(2) == "jmp":
                    continue
        if target is not None:
            calls.setdefault(caller, set()).add(target)

    memo = {}

    def depth(fn, stack):
        """(bytes, chain) of the deepest chain from fn to a wanted import, or None."""
        if fn in memo:
            return memo[fn]
        if fn in stack:
            return None
        stack.add(fn)
        best = None
        for callee in calls.get(fn, ()):
            if isinstance(callee, str):
                sub = (0, [callee]) if callee in wanted else None
            elif isinstance(callee, tuple):
                sub = None
            else:
                sub = depth(callee, stack)
            if sub is not None and (best is None or sub[0] > best[0]):
                best = sub
        stack.discard(fn)
        result = None if best is None else (fr[fn][1] + best[0], [fn] + best[1])
        memo[fn] = result
        return result

    below = {}

    def subtree(fn, stack):
        """Bytes of the deepest chain of direct calls from fn (fn's frame included)."""
        if fn in below:
            return below[fn]
        if fn in stack:
            return 0
        stack.add(fn)
        deepest = 0
        for callee in calls.get(fn, ()):
            if isinstance(callee, int):
                deepest = max(deepest, subtree(callee, stack))
            elif isinstance(callee, tuple):
                deepest = max(deepest, 8)
        stack.discard(fn)
        below[fn] = fr[fn][1] + deepest
        return below[fn]

    def label(fn):
        return f"rva {fn:#08x} {names.get(fn, '')[:110]}"

    for fn in starts:
        if wanted & {c for c in calls.get(fn, ()) if isinstance(c, str)}:
            print(f"calls it itself: {label(fn)}: frame {fr[fn][1]} bytes across the call, "
                  f"deepest direct chain below {subtree(fn, set())} bytes")
    results = [r for r in (depth(f, set()) for f in starts) if r]
    if not results:
        print("no chain reaches", ", ".join(sorted(wanted)))
        return 1
    total, chain = max(results)
    print(f"deepest chain to {', '.join(sorted(wanted))}: {total} bytes over {len(chain) - 1} frames")
    for fn in chain[:-1]:
        print(f"  frame {fr[fn][1]:6d} bytes  {label(fn)}")
    print(f"  -> {chain[-1]}")
    big = sorted(((s[1], f) for f, s in fr.items()), reverse=True)[:5]
    print("largest frames in the image:")
    for size, fn in big:
        print(f"  {size:6d} bytes  {label(fn)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
