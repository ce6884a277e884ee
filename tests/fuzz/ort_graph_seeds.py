#!/usr/bin/env python3
"""Seeds of fuzz_ort_graph: ONNX Runtime sessions as memory images, laid out as
the processes of onnxruntime 1.32.0 (C++11 strings, the kernel table at
SessionState+0xe0) and 1.16.3 (old-ABI strings, at +0x98) have them: 8 nodes,
one empty entry, a decoy vector before the table. Input format: the NodeIndex
(u32), the SessionState's offset in the image (u32), the image (mapped at
0x100000). Writes corpus/fuzz_ort_graph/ort-1.32.0-layout and ort-1.16.3-layout."""
import os
import struct
import sys

BASE = 0x100000


class Image:
    def __init__(self, size, abi):
        self.mem = bytearray(size)
        self.heap = 0x2400
        self.abi = abi

    def put64(self, off, v):
        self.mem[off:off + 8] = struct.pack("<Q", v)

    def text(self, s):
        at = self.heap
        b = s.encode() + b"\0"
        self.mem[at:at + len(b)] = b
        self.heap += (len(b) + 7) & ~7
        return at

    def string(self, off, s):
        n = len(s)
        if self.abi:  # old ABI: a pointer past length, capacity, refcount
            rep = self.heap
            self.put64(rep, n)
            self.put64(rep + 8, n)
            self.put64(rep + 16, 0)
            self.heap += 24
            self.put64(off, BASE + self.text(s))
            return
        if n < 16:
            self.put64(off, BASE + off + 16)
            self.mem[off + 16:off + 17 + n] = s.encode() + b"\0"
        else:
            self.put64(off, BASE + self.text(s))
            self.put64(off + 16, n)
        self.put64(off + 8, n)


def session(abi, table_off, n=8):
    img = Image(0x3000, abi)
    strs = [(8, 40, 72), (8, 16, 24)][abi]
    img.put64(0x40, BASE + 0x1000)  # a decoy vector
    img.put64(0x48, BASE + 0x1100)
    img.put64(0x50, BASE + 0x1100)
    img.put64(table_off, BASE + 0x1200)
    img.put64(table_off + 8, BASE + 0x1200 + 8 * n)
    img.put64(table_off + 16, BASE + 0x1200 + 8 * n)
    for j in range(n):
        if j == 2:
            continue  # a node an optimizer removed
        k, info, node = 0x1400 + j * 0x40, 0x1800 + j * 0x40, 0x1C00 + j * 0x100
        img.put64(0x1200 + 8 * j, BASE + k)
        img.put64(k, 0x7F0000001000)
        img.put64(k + 8, BASE + info)
        img.put64(info, BASE + info + 0x20)
        img.put64(info + 8, BASE + node)
        img.put64(node, j)
        name = "/features/features.%d/conv/conv.0/conv.0.2/Clip_output_0_nchwc" % j
        img.string(node + strs[0], name if j % 2 else "/conv%d/Conv" % j)
        img.string(node + strs[1], "Conv" if j != 3 else "QLinearConv")
        img.string(node + strs[2], "com.microsoft.nchwc" if j % 2 else "")
    return struct.pack("<II", 3, 0) + bytes(img.mem)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_ort_graph")
    os.makedirs(out, exist_ok=True)
    for name, data in (("ort-1.32.0-layout", session(0, 0xE0)),
                       ("ort-1.16.3-layout", session(1, 0x98))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
