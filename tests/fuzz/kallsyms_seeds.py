#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of tests/fuzz/fuzz_kallsyms.c: small kallsyms
tables, one per address layout, laid out as the harness's header says.

usage: kallsyms_seeds.py [DIR]   (default tests/fuzz/corpus/fuzz_kallsyms)
"""
import os
import struct
import sys

BASE = 0xffffffffc0000000          # FLAT_BASE: the input's first byte
TEXT = 0xffffffff81000000          # _stext and the relative base
NUM_SYMS, RELATIVE_BASE, TOKEN_INDEX, TOKEN_TABLE, VALUES = 0x20, 0x28, 0x40, 0x240, 0x600
MERGED = [b"Tks_", b"_func", b"data", b"init_", b"per_cpu"]

KERNEL = [
    (b"Afixed_percpu_data", 0), (b"Dper_cpu_counter", 0x1f0a4),
    (b"T_stext", TEXT), (b"Tks_func", TEXT + 0x10), (b"tks__func", TEXT + 0x40),
    (b"Dinit_uts_ns", TEXT + 0x1600000), (b"dks_data", TEXT + 0x1600100),
    (b"Bks_bss", TEXT + 0x2000000),
]


def tokens():
    table, index = b"", b""
    for c in range(256):
        if c >= 0x80 and c - 0x80 < len(MERGED):
            t = MERGED[c - 0x80]
        else:
            t = bytes([c]) if 0x20 < c < 0x7f else b"z"
        index += struct.pack("<H", len(table))
        table += t + b"\0"
    return index, table


def encode(text):
    codes = b""
    while text:
        for i, t in enumerate(MERGED):
            if text.startswith(t):
                codes += bytes([0x80 + i])
                text = text[len(t):]
                break
        else:
            codes += text[:1]
            text = text[1:]
    n = len(codes)
    head = bytes([n]) if n < 0x80 else bytes([0x80 | (n & 0x7f), n >> 7])
    return head + codes


def values(syms, layout):
    out = b""
    for i, (_, addr) in enumerate(syms):
        if layout == "absolute":
            out += struct.pack("<Q", addr)
        elif layout == "base-relative":
            out += struct.pack("<I", (addr - TEXT) & 0xffffffff)
        elif layout == "absolute-percpu":
            out += struct.pack("<i", addr if addr < TEXT else TEXT - 1 - addr)
        else:
            out += struct.pack("<i", addr - (BASE + VALUES + 4 * i))
    return out


def seed(syms, layout):
    vals = values(syms, layout)
    names_at = VALUES + len(vals)
    tables = {"base-relative": 0, "absolute-percpu": 0, "pc-relative": 1,
              "absolute": 2}[layout]
    mem = bytearray(names_at)
    mem[0:29] = struct.pack("<B6H2Q", tables, NUM_SYMS, names_at, TOKEN_TABLE,
                            TOKEN_INDEX, VALUES, RELATIVE_BASE, TEXT, TEXT + 0x1600000)
    mem[NUM_SYMS:NUM_SYMS + 4] = struct.pack("<I", len(syms))
    mem[RELATIVE_BASE:RELATIVE_BASE + 8] = struct.pack("<Q", TEXT)
    index, table = tokens()
    mem[TOKEN_INDEX:TOKEN_INDEX + 512] = index
    mem[TOKEN_TABLE:TOKEN_TABLE + len(table)] = table
    assert TOKEN_TABLE + len(table) <= VALUES
    mem[VALUES:names_at] = vals
    return bytes(mem) + b"".join(encode(t) for t, _ in syms)


def relocatable():
    return [(t, a + TEXT + 0x3000000 if a < TEXT else a) for t, a in KERNEL]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/fuzz_kallsyms"
    os.makedirs(out, exist_ok=True)
    big = KERNEL[:3] + [(b"T" + bytes(97 + i % 26 for i in range(199)), TEXT + 0x100)] + KERNEL[5:]
    seeds = {
        "absolute-percpu": seed(KERNEL, "absolute-percpu"),
        "base-relative": seed(relocatable(), "base-relative"),
        "pc-relative": seed(relocatable(), "pc-relative"),
        "absolute": seed(KERNEL, "absolute"),
        "two-byte-length": seed(big, "absolute-percpu"),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
