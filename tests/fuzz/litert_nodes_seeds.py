#!/usr/bin/env python3
"""Seeds of fuzz_litert_nodes: TFLite Subgraphs as memory images, laid out as the
processes of ai-edge-litert 2.3.0, 1.2.0 and tflite-runtime 2.14.0 have them
(nodes_and_registration_ at Subgraph+0x108, 168-byte std::pair<TfLiteNode,
TfLiteRegistration>), and one with 200-byte pairs. Input format: the node's offset
in the image (u32), the Subgraph's (u32), the image (mapped at 0x200000). Writes
corpus/fuzz_litert_nodes/litert-2.3.0-layout and pair-200-layout."""
import os
import struct
import sys

BASE = 0x200000
BUILTIN_OFF = 80 + 40  # the registration after the 80-byte TfLiteNode, its builtin_code


def subgraph(stride, n=6):
    mem = bytearray(0x2000)

    def put(fmt, off, *v):
        struct.pack_into(fmt, mem, off, *v)

    array, ints = 0x200, 0x1800
    put("<QQQ", 0x40, BASE, BASE + len(mem), BASE + len(mem))  # a decoy vector
    put("<QQQ", 0x108, BASE + array, BASE + array + stride * n, BASE + array + stride * (n + 2))
    put("<ii", ints, 1, 7)
    for i in range(n):
        out = ints + 16 + 8 * i
        put("<ii", out, 1, i)
        node = array + stride * i
        put("<QQ", node, BASE + ints, BASE + out)
        put("<i", node + BUILTIN_OFF, (3, 4, 0, 40, 114, 6)[i])
    return struct.pack("<II", array + stride * 4, 0) + bytes(mem)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_litert_nodes")
    os.makedirs(out, exist_ok=True)
    for name, data in (("litert-2.3.0-layout", subgraph(168)), ("pair-200-layout", subgraph(200))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
