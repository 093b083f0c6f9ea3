#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of tests/fuzz/fuzz_kcore.c: small kcore-shaped
ELF cores (src/standalone/readers/kcore.h): PT_LOADs at kernel virtual
addresses (p_paddr for the direct map, -1 elsewhere), fs/proc/kcore.c's
CORE notes and a VMCOREINFO note.

usage: kcore_seeds.py [DIR]   (default tests/fuzz/corpus/fuzz_kcore)
"""
import os
import struct
import sys

NO_PADDR = 0xffffffffffffffff
VMCOREINFO = b"OSRELEASE=6.1.0-57-cloud-amd64\nPAGESIZE=4096\nKERNELOFFSET=2a000000\n"


def note(name, ntype, desc):
    name = name + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), ntype) + pad(name) + pad(desc)


def kcore(segments, notes):
    """segments: (vaddr, paddr, bytes) each."""
    phnum = 1 + len(segments)
    notes_off = 64 + 56 * phnum
    data_off = (notes_off + len(notes) + 4095) & ~4095
    eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    eh += struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, phnum, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 4, 0, notes_off, 0, 0, len(notes), 0, 4)
    body = b""
    for vaddr, paddr, data in segments:
        ph += struct.pack("<IIQQQQQQ", 1, 7, data_off + len(body), vaddr, paddr,
                          len(data), len(data), 4096)
        body += data + b"\0" * (-len(data) % 4096)
    head = (eh + ph + notes).ljust(data_off, b"\0")
    return head + body


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_kcore")
    os.makedirs(out, exist_ok=True)
    core = note(b"CORE", 1, b"\0" * 32) + note(b"CORE", 3, b"\0" * 16) + \
        note(b"CORE", 4, b"\0" * 16)
    direct = (0xffff888000000000, 0, bytes(range(256)) * 16)
    text = (0xffffffff81000000, 0x1000000, b"\x90" * 4096)
    vmemmap = (0xffffea0000000000, NO_PADDR, b"\x01" * 4096)
    seeds = {
        "kcore": kcore([direct, text, vmemmap], core + note(b"VMCOREINFO", 0, VMCOREINFO)),
        "no-vmcoreinfo": kcore([direct, vmemmap], core),
        "adjacent": kcore([direct, (0xffff888000001000, 0x1000, b"\x02" * 4096)],
                          core + note(b"VMCOREINFO", 0, VMCOREINFO)),
        "cut-note": kcore([direct], core + note(b"VMCOREINFO", 0, VMCOREINFO))[:0x150],
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
