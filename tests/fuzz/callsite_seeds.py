#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Seeds of fuzz_callsite: whole functions of real libraries, graph loops first.

    tests/fuzz/callsite_seeds.py [OUTDIR]   (default tests/fuzz/corpus/fuzz_callsite)

A seed is the function's address (8 bytes, little-endian) followed by its code, at
most 8 KiB: the layout fuzz_callsite reads. Functions come from `nm -S` (the symbol
table with sizes, .symtab where the library keeps one); a library or symbol missing
here is skipped, with a line on stderr.
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from place_seeds import GGML, LIBDIR, ROOT, loads  # noqa: E402

MAX_CODE = 8192

# (seed name, library, symbol as nm prints it)
FUNCS = [
    ("ggml-haswell-graph_compute_thread", GGML + "/libggml-cpu-haswell.so",
     "ggml_graph_compute_thread.isra.0"),
    ("ggml-zen4-graph_compute_thread", GGML + "/libggml-cpu-zen4.so",
     "ggml_graph_compute_thread.isra.0"),
    ("ggml-sse42-graph_compute_thread", GGML + "/libggml-cpu-sse42.so",
     "ggml_graph_compute_thread.isra.0"),
    ("libc-qsort", LIBDIR + "/libc.so.6", "qsort"),
    ("libc-printf", LIBDIR + "/libc.so.6", "printf"),
]


def sized_symbols(lib):
    """name -> (address, size) of the functions nm -S lists (symtab, else dynsym)."""
    out = {}
    for args in (["nm", "-S", "--defined-only"], ["nm", "-D", "-S", "--defined-only"]):
        res = subprocess.run(args + [lib], capture_output=True, text=True)
        for line in res.stdout.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2] in "TtWi":
                out.setdefault(parts[3].split("@")[0], (int(parts[0], 16), int(parts[1], 16)))
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else ROOT + "/tests/fuzz/corpus/fuzz_callsite"
    os.makedirs(outdir, exist_ok=True)
    for name, lib, sym in FUNCS:
        if not os.path.exists(lib):
            print(f"callsite_seeds: {lib} missing: {name} skipped", file=sys.stderr)
            continue
        found = sized_symbols(lib).get(sym)
        if found is None:
            print(f"callsite_seeds: no {sym} in {lib}: {name} skipped", file=sys.stderr)
            continue
        vaddr, size = found
        with open(lib, "rb") as f:
            for p_vaddr, p_offset, p_filesz in loads(f):
                if p_vaddr <= vaddr < p_vaddr + p_filesz:
                    f.seek(vaddr - p_vaddr + p_offset)
                    code = f.read(min(size, MAX_CODE, p_vaddr + p_filesz - vaddr))
                    break
            else:
                print(f"callsite_seeds: {sym} not in a PT_LOAD of {lib}", file=sys.stderr)
                continue
        with open(os.path.join(outdir, name), "wb") as o:
            o.write(struct.pack("<Q", vaddr) + code)
        print(f"{name}: {os.path.basename(lib)} {sym} vaddr 0x{vaddr:x}, {len(code)} bytes")


if __name__ == "__main__":
    main()
