#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Copies the kernel's raw .BTF blob out of a kernel image (vmlinuz or Image).

    vmlinux/extract-btf.py IMAGE OUT

An arm64 Image (Debian ships it as is, or gzip-compressed) embeds .BTF in its
read-only data: a header (magic 0xeB9F, version 1, hdr_len, then the offsets
and lengths of the type and string sections) followed by the two sections.
Every candidate header is checked against the image's bounds, and the
largest consistent blob is written. bpftool reads OUT afterwards
(gen-vmlinux.sh), which checks the types themselves.
"""
import gzip
import struct
import sys

MAGIC = b"\x9f\xeb\x01\x00"  # 0xeB9F little-endian, version 1, flags 0
HDR = struct.Struct("<HBBIIIII")  # magic version flags hdr_len type_off type_len str_off str_len


def decompress(data):
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd" or data[:6] == b"\xfd7zXZ\x00" or data[:3] == b"BZh":
        sys.exit("extract-btf: zstd/xz/bzip2 images are not handled: decompress it first")
    return data


def blob_at(data, at):
    """The length of a consistent BTF blob at AT, or 0."""
    if at + HDR.size > len(data):
        return 0
    _, _, _, hdr_len, type_off, type_len, str_off, str_len = HDR.unpack_from(data, at)
    if hdr_len < HDR.size or hdr_len > 256:
        return 0
    body = at + hdr_len
    # the kernel's own layout: types first, strings right after them
    if type_off != 0 or str_off != type_len or type_len == 0 or str_len < 2:
        return 0
    end = body + str_off + str_len
    if end > len(data) or end < body:
        return 0
    strs = data[body + str_off:end]
    if strs[0] != 0 or strs[-1] != 0:
        return 0
    return hdr_len + str_off + str_len


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-btf.py IMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        data = decompress(f.read())
    best_at, best_len = -1, 0
    at = data.find(MAGIC)
    while at >= 0:
        n = blob_at(data, at)
        if n > best_len:
            best_at, best_len = at, n
        at = data.find(MAGIC, at + 1)
    if best_len == 0:
        sys.exit("extract-btf: no BTF blob in %s (a kernel built without CONFIG_DEBUG_INFO_BTF?)"
                 % sys.argv[1])
    with open(sys.argv[2], "wb") as f:
        f.write(data[best_at:best_at + best_len])
    print("extract-btf: %d bytes of BTF at offset 0x%x" % (best_len, best_at))


if __name__ == "__main__":
    main()
