#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of tests/fuzz/fuzz_elfdump.c: small ELF dumps
(src/standalone/readers/elfdump.c) as QEMU's dump-guest-memory and a copy of
/proc/vmcore write them: PT_LOADs by physical address, the kernel text
overlapping RAM, a zero-filled tail, and a VMCOREINFO note with PAGESIZE.

usage: elfdump_seeds.py [DIR]   (default tests/fuzz/corpus/fuzz_elfdump)
"""
import os
import sys

from kcore_seeds import NO_PADDR, VMCOREINFO, kcore, note


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_elfdump")
    os.makedirs(out, exist_ok=True)
    info = note(b"VMCOREINFO", 0, VMCOREINFO)
    low = (0, 0, bytes(range(256)) * 16)
    ram = (0xffff888000100000, 0x100000, b"\x5a" * 8192)
    text = (0xffffffff81000000, 0x101000, b"\x90" * 4096)
    seeds = {
        "qemu": kcore([(0, 0x100000, b"\x5a" * 8192), (0, 0, bytes(range(256)) * 16)], info),
        "vmcore": kcore([text, low, ram], info),
        "no-pagesize": kcore([low, ram], note(b"VMCOREINFO", 0, b"OSRELEASE=6.1\n")),
        "virtual-only": kcore([(0xffffea0000000000, NO_PADDR, b"\x01" * 4096)], info),
        "cut": kcore([low, ram], info)[:0x1800],
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
