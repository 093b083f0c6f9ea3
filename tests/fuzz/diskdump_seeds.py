#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of tests/fuzz/fuzz_diskdump.c: small
kdump-compressed files (src/standalone/readers/diskdump.h) of 64 page frames,
some pages raw, some zlib-compressed, some left out.  The corpus's
mixed-lzo, mixed-snappy and mixed-zstd are "mixed" with its pages stored
again by build/reader_recode (tests/reader/recode.c): Python has no LZO,
snappy or zstd.

usage: diskdump_seeds.py [DIR]   (default tests/fuzz/corpus/fuzz_diskdump)
"""
import os
import struct
import sys
import zlib

BLOCK = 4096
FRAMES = 64


def page(seed):
    return bytes((seed * 7 + i // 64) & 0xff for i in range(BLOCK))


def header(version, bitmap_blocks, max_mapnr):
    h = b"KDUMP   " + struct.pack("<i", version) + b"\0" * (6 * 65)
    h += b"\0" * 6 + b"\0" * 16                      # pad, timestamp
    h += struct.pack("<IiiIIIIIIi", 1, BLOCK, 1, bitmap_blocks, max_mapnr,
                     0, 0, 0, 0, 1)
    assert len(h) == 464
    return h.ljust(BLOCK, b"\0")


def sub_header(max_mapnr):
    s = struct.pack("<QiiQQ", 0, 31, 0, 0, max_mapnr)
    s += struct.pack("<qQqQqQ", 0, 0, 0, 0, 0, 0)
    s += struct.pack("<QQQ", 0, max_mapnr, max_mapnr)
    assert len(s) == 104
    return s.ljust(BLOCK, b"\0")


def bitmap(frames):
    bits = bytearray(BLOCK)
    for pfn in frames:
        bits[pfn // 8] |= 1 << (pfn % 8)
    return bytes(bits)


def dump(pages, version=6, cut=None):
    """pages: {pfn: "zlib" | "raw"}; two bitmap blocks."""
    frames = sorted(pages)
    head = header(version, 2, FRAMES) + sub_header(FRAMES)
    head += bitmap(range(FRAMES)) + bitmap(frames)
    data_off = len(head) + 24 * len(frames)
    descs, data = b"", b""
    for pfn in frames:
        raw = page(pfn)
        body, flags = (zlib.compress(raw), 1) if pages[pfn] == "zlib" else (raw, 0)
        descs += struct.pack("<QIIQ", data_off + len(data), len(body), flags, 0)
        data += body
    out = head + descs + data
    return out[:cut] if cut else out


SEEDS = {
    "mixed": dump({0: "zlib", 1: "raw", 2: "zlib", 5: "zlib", 63: "raw"}),
    "zlib-run": dump({pfn: "zlib" for pfn in range(8, 24)}),
    "version-1": dump({3: "zlib", 4: "raw"}, version=1),
    "truncated": dump({0: "zlib", 1: "raw", 2: "zlib"}, cut=4 * BLOCK + 60),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_diskdump")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
