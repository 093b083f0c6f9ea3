#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""drgn_read.py VMLINUX ELF CACHE: what drgn takes to do leakscan's main job
by hand: iterate every allocated object of CACHE and read all its bytes.
Prints how many objects and bytes it read."""
import sys

import drgn
from drgn.helpers.linux.slab import find_slab_cache, slab_cache_for_each_allocated_object


def main():
    vmlinux, elf, name = sys.argv[1:4]
    prog = drgn.Program()
    prog.set_core_dump(elf)
    prog.load_debug_info([vmlinux])
    cache = find_slab_cache(prog, name)
    size = cache.object_size.value_()
    objects = 0
    for obj in slab_cache_for_each_allocated_object(cache, "void"):
        prog.read(obj.value_(), size)
        objects += 1
    print("read %d objects of %d bytes" % (objects, size))


if __name__ == "__main__":
    main()
