#!/usr/bin/python3
"""Crafted ELF files named like the runtimes nnperf attaches to, for
tests/integration/test_hostile_target.sh.

usage: craft_elf.py BASE OUTDIR

BASE is libnnperf-fake-runtime.so (fake_runtime.c: the symbols, the ORT table
and error text the adapters look for). Each case copies it to OUTDIR/DIR/NAME
and breaks one thing with struct-packed bytes; OUTDIR/honest/libtorch_cpu.so is
the copy left whole (the baseline). Prints one line per file:
PATH<TAB>SHOWN<TAB>DEFECT<TAB>REGEX<TAB>KEPT: SHOWN is PATH as nnperf's messages
show it (control characters as '?'), REGEX (grep -E) what nnperf's one line
about the file must say ('-' for the honest copy), KEPT yes when something of the file is still measured
(the ORT file's inferences). Deterministic: the same BASE gives the same files.
"""
import os
import struct
import sys

EHDR = "<16sHHIQQQIHHHHHH"  # e_ident .. e_shstrndx
SHDR = "<IIQQQQIIQQ"  # sh_name .. sh_entsize
PHDR = "<IIQQQQQQ"  # p_type .. p_align
SH_FIELDS = "name type flags addr offset size link info addralign entsize".split()
PH_FIELDS = "type flags offset vaddr paddr filesz memsz align".split()
PT_LOAD = 1


class Elf:
    def __init__(self, data):
        self.b = bytearray(data)
        e = struct.unpack_from(EHDR, self.b)
        assert e[0][:4] == b"\x7fELF" and e[0][4] == 2, "want a 64-bit ELF"
        self.phoff, self.shoff = e[5], e[6]
        self.phnum, self.shnum, self.shstrndx = e[10], e[12], e[13]

    def ehdr_set(self, field, value):
        off, fmt = {"phnum": (56, "<H"), "shentsize": (58, "<H"), "shnum": (60, "<H")}[field]
        struct.pack_into(fmt, self.b, off, value)

    def shdr(self, i):
        return dict(zip(SH_FIELDS, struct.unpack_from(SHDR, self.b, self.shoff + 64 * i)))

    def shdr_set(self, i, **kw):
        h = self.shdr(i)
        h.update(kw)
        struct.pack_into(SHDR, self.b, self.shoff + 64 * i, *[h[f] for f in SH_FIELDS])

    def phdr(self, i):
        return dict(zip(PH_FIELDS, struct.unpack_from(PHDR, self.b, self.phoff + 56 * i)))

    def phdr_set(self, i, **kw):
        h = self.phdr(i)
        h.update(kw)
        struct.pack_into(PHDR, self.b, self.phoff + 56 * i, *[h[f] for f in PH_FIELDS])

    def section(self, name):
        strtab = self.shdr(self.shstrndx)["offset"]
        for i in range(self.shnum):
            h = self.shdr(i)
            end = self.b.index(b"\0", strtab + h["name"])
            if self.b[strtab + h["name"]:end].decode() == name:
                return i, h
        raise KeyError(name)


def symtab_outside(e):
    """.symtab and .dynsym start past the end of the file"""
    for name in (".symtab", ".dynsym"):
        i, h = e.section(name)
        e.shdr_set(i, offset=len(e.b) + 0x100000 + h["offset"])


def symbol_count(e):
    """.symtab claims 2^40 bytes of 1-byte entries: ~10^12 symbols"""
    i, _ = e.section(".symtab")
    e.shdr_set(i, size=1 << 40, entsize=1)
    i, _ = e.section(".dynsym")
    e.shdr_set(i, size=(1 << 64) - 24)


def truncated_shdrs(e):
    """the file ends in the middle of the section header table"""
    del e.b[e.shoff + 64 * (e.shnum // 2) + 10:]


def huge_note(e):
    """the build-id note says its descriptor has 4 GiB"""
    _, h = e.section(".note.gnu.build-id")
    struct.pack_into("<I", e.b, h["offset"] + 4, 0xFFFFFFF0)


def shnum_count(e):
    """e_shnum 0: the count is section 0's sh_size (ELF extended numbering), here 2^32-1"""
    e.ehdr_set("shnum", 0)
    e.shdr_set(0, size=0xFFFFFFFF)


def phnum_count(e):
    """e_phnum 65534 program headers, in a file of a few KiB"""
    e.ehdr_set("phnum", 0xFFFE)


def shentsize(e):
    """e_shentsize 32: section headers half their size (and a name with terminal escapes)"""
    e.ehdr_set("shentsize", 32)


def overlap(e):
    """the code segment is moved to overlap the first PT_LOAD (file and addresses)"""
    loads = [i for i in range(e.phnum) if e.phdr(i)["type"] == PT_LOAD]
    first = e.phdr(loads[0])
    e.phdr_set(loads[1], vaddr=first["vaddr"] + 0x100, paddr=first["vaddr"] + 0x100,
               offset=first["offset"] + 0x100)


def eh_frame_loop(e):
    """every FDE's CIE pointer names another FDE, in a cycle: no FDE reaches a CIE"""
    _, h = e.section(".eh_frame")
    fdes, off, end = [], h["offset"], h["offset"] + h["size"]
    while off + 8 <= end:
        length, cie = struct.unpack_from("<II", e.b, off)
        if length == 0:
            break
        if cie:
            fdes.append(off)
        off += 4 + length
    assert len(fdes) >= 2, "the base has too few FDEs for a cycle"
    for k, f in enumerate(fdes):
        target = fdes[k - 1]  # the first points to the last: forward, so negative
        struct.pack_into("<I", e.b, f + 4, (f + 4 - target) & 0xFFFFFFFF)


N = "[0-9]+"
PAST = f"bytes at offset {N} run past the end of the file"

# DIR, NAME, defect, what nnperf says about the file (grep -E)
CASES = [
    ("ort", "libonnxruntime.so.1", eh_frame_loop,
     r"onnxruntime: cannot find ExecuteKernel in [^ ]+ \(no usable \.eh_frame entry"),
    ("torch", "libtorch_cpu.so", symtab_outside, rf"\(\.(dynsym|symtab)\): {N} {PAST}"),
    ("count", "libtorch_cpu.so.2", symbol_count,
     rf"\(\.(dynsym|symtab)\): [0-9]{{12,}} {PAST}"),
    ("ggml", "libggml-cpu-x.so", truncated_shdrs,
     rf"{N} section headers at offset {N} run past the end of the file"),
    ("opencv", "libopencv_dnn.so.406", huge_note,
     r"the note at offset 0 of section [0-9]+ \(\.note\.gnu\.build-id\) claims a 4-byte "
     r"name and a 4294967280-byte descriptor"),
    ("shnum", "libllama.so", shnum_count,
     rf"4294967295 section headers at offset {N} run past the end of the file"),
    ("phnum", "libllama.so.2", phnum_count,
     r"65534 program headers at offset 64 run past the end of the file"),
    ("overlap", "libonnxruntime.so.2", overlap, r"PT_LOAD segments 0 and 1 overlap"),
    ("esc", "libopencv_dnn.so.4\x1b]0;owned\x07\x1b[2J", shentsize,
     r"section headers of 32 bytes, not 64"),
]


def main(base, outdir):
    data = open(base, "rb").read()
    for d, name, fn, want in [("honest", "libtorch_cpu.so", None, "-")] + CASES:
        e = Elf(data)
        if fn:
            fn(e)
        os.makedirs(os.path.join(outdir, d), exist_ok=True)
        path = os.path.join(outdir, d, name)
        with open(path, "wb") as f:
            f.write(e.b)
        os.chmod(path, 0o755)
        shown = "".join("?" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in path)
        what = fn.__doc__.strip() if fn else "none: the baseline"
        kept = "yes" if fn in (None, eh_frame_loop) else "no"
        print(f"{path}\t{shown}\t{what}\t{want}\t{kept}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
