#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Seeds of fuzz_place: the first 64 bytes at real function entries.

    tests/fuzz/place_seeds.py [OUTDIR]   (default tests/fuzz/corpus/fuzz_place)

Each function is found with `nm -D --defined-only` (its st_value), turned into a
file offset through the PT_LOAD that holds it, as nnperf does, and its 64 bytes
written to OUTDIR/LIB-NAME. A library or symbol missing here is skipped, with a
line on stderr.
"""
import os
import struct
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIBDIR = "/usr/lib/x86_64-linux-gnu"
GGML = ROOT + "/build/npm-llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
ORT = ROOT + "/build/npm/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"

# (seed name, library, symbol as nm prints it without @VERSION)
FUNCS = [
    ("libc-malloc", LIBDIR + "/libc.so.6", "malloc"),
    ("libc-free", LIBDIR + "/libc.so.6", "free"),
    ("libc-memcpy-ifunc", LIBDIR + "/libc.so.6", "memcpy"),
    ("libc-strlen-ifunc", LIBDIR + "/libc.so.6", "strlen"),
    ("libc-printf", LIBDIR + "/libc.so.6", "printf"),
    ("libc-qsort", LIBDIR + "/libc.so.6", "qsort"),
    ("libc-pthread_mutex_lock", LIBDIR + "/libc.so.6", "pthread_mutex_lock"),
    ("torch-conv2d", LIBDIR + "/libtorch_cpu.so.1.13",
     "_ZN2at4_ops6conv2d4callERKNS_6TensorES4_RKN3c108optionalIS2_EENS5_8ArrayRefIlEESB_SB_l"),
    ("torch-relu", LIBDIR + "/libtorch_cpu.so.1.13", "_ZN2at4_ops4relu4callERKNS_6TensorE"),
    ("torch-linear", LIBDIR + "/libtorch_cpu.so.1.13",
     "_ZN2at4_ops6linear4callERKNS_6TensorES4_RKN3c108optionalIS2_EE"),
    ("torch-max_pool2d", LIBDIR + "/libtorch_cpu.so.1.13",
     "_ZN2at4_ops10max_pool2d4callERKNS_6TensorEN3c108ArrayRefIlEES7_S7_S7_b"),
    ("opencv-forwardLayer", LIBDIR + "/libopencv_dnn.so.406",
     "_ZN2cv3dnn14dnn4_v202205243Net4Impl12forwardLayerERNS1_6detail9LayerDataE"),
    ("opencv-forward", LIBDIR + "/libopencv_dnn.so.406",
     "_ZN2cv3dnn14dnn4_v202205243Net7forwardERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE"),
    ("opencv-readNetFromONNX", LIBDIR + "/libopencv_dnn.so.406",
     "_ZN2cv3dnn14dnn4_v2022052415readNetFromONNXEPKcm"),
    ("ggml-mul_mat", GGML + "/libggml-base.so", "ggml_mul_mat"),
    ("ggml-rms_norm", GGML + "/libggml-base.so", "ggml_rms_norm"),
    ("ggml-soft_max", GGML + "/libggml-base.so", "ggml_soft_max"),
    ("ggml-cpu-graph_compute", GGML + "/libggml-cpu-haswell.so", "ggml_graph_compute"),
    ("ggml-cpu-forward_mul_mat", GGML + "/libggml-cpu-haswell.so",
     "ggml_compute_forward_mul_mat"),
    ("ort-OrtGetApiBase", ORT + "/libonnxruntime.so.1", "OrtGetApiBase"),
]


def loads(f):
    """(p_vaddr, p_offset, p_filesz) of each PT_LOAD of an ELF64 little-endian file."""
    hdr = f.read(64)
    if hdr[:4] != b"\x7fELF" or hdr[4] != 2 or hdr[5] != 1:
        raise ValueError("not ELF64 little-endian")
    phoff, = struct.unpack_from("<Q", hdr, 32)
    phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
    out = []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
        if p_type == 1:
            out.append((p_vaddr, p_offset, p_filesz))
    return out


def symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWiI":
            # the default version (name@@V) is the one a caller gets
            if "@@" in parts[2] or parts[2].split("@")[0] not in syms:
                syms[parts[2].split("@")[0]] = int(parts[0], 16)
    return syms


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else ROOT + "/tests/fuzz/corpus/fuzz_place"
    os.makedirs(outdir, exist_ok=True)
    cache = {}
    for name, lib, sym in FUNCS:
        if not os.path.exists(lib):
            print(f"place_seeds: {lib} missing: {name} skipped", file=sys.stderr)
            continue
        if lib not in cache:
            cache[lib] = symbols(lib)
        vaddr = cache[lib].get(sym)
        if vaddr is None:
            print(f"place_seeds: no {sym} in {lib}: {name} skipped", file=sys.stderr)
            continue
        with open(lib, "rb") as f:
            for p_vaddr, p_offset, p_filesz in loads(f):
                if p_vaddr <= vaddr < p_vaddr + p_filesz:
                    f.seek(vaddr - p_vaddr + p_offset)
                    code = f.read(64)
                    break
            else:
                print(f"place_seeds: {sym} not in a PT_LOAD of {lib}", file=sys.stderr)
                continue
        with open(os.path.join(outdir, name), "wb") as o:
            o.write(code)
        print(f"{name}: {os.path.basename(lib)} {sym} vaddr 0x{vaddr:x}")


if __name__ == "__main__":
    main()
