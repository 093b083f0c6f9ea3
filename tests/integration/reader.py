#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The program's own readers change nothing but speed: on every sample and
every kdump-compressed and ELF dump the recipe keeps, the text
and the JSON (-j) of the ranking and of the cluster report of the
sample's cache, with a listing (-l) and a dump (-d) of a cluster, are
byte for byte what --reader=libkdumpfile prints, and so are the messages
and the exit status (-u and -r too, which scan all reachable memory); and
so it is on damaged copies of S1's -d 31 dump.  (libkdumpfile 0.5.1 once
crashed in -u and -r on S5 and misread its slab_caches list: its cache bug,
which src/standalone/readers/kdump.c now keeps it clear of.)
Page-level agreement is tests/reader/compare.c's business.

The threads that decode ahead (-J) change nothing either: with one thread
(-J 1, none decoding ahead) and with four on this machine's cores, every
ask on the -d 31 dump, and every damaged copy, prints the same bytes.

usage: reader.py SAMPLE_DIR...   (a directory with a manifest, or one of
such directories, e.g. vmcore-samples/cache/latest)

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import os
import random
import sys
import tempfile

from common import RESULTS, check, read_manifest, run_leakscan, sample_dirs


def dirs_of(paths):
    """Sample directories named, and those of samples trees named."""
    for path in paths:
        if os.path.isfile(os.path.join(path, "manifest")):
            yield path
        else:
            yield from sample_dirs(path)


def test_sample(d):
    m = read_manifest(d)
    cache = m["cache"]
    # what, then the options before the dump and the cache after it
    asks = (("ranking", [], []), ("ranking -j", ["-j"], []), (cache, [], [cache]),
            (cache + " -j", ["-j"], [cache]),
            (cache + " -k 1 -l", ["-k", "1", "-l"], [cache]),
            (cache + " -k 1 -d", ["-k", "1", "-d", "-c", "4"], [cache]),
            # -u and the holders scan every root area and reachable object
            (cache + " -u", ["-u"], [cache]), (cache + " -H -j", ["-H", "-j"], [cache]))
    # Without KALLSYMS_ALL (Debian arm64) the dump alone has no data symbols.
    symbols = [m["system-map"]] if m.get("system-map") else []
    for key in ("vmcore-mkd", "vmcore-kdump", "vmcore-elf"):
        if m.get(key, "-") == "-":
            continue
        dump = os.path.join(d, m[key])
        for what, before, after in asks:
            tag = "%s: reader: %s %s:" % (m["scenario"], m[key], what)
            before = before + symbols
            rc, own, own_err = run_leakscan(before + [dump] + after)
            rc_lib, lib, lib_err = run_leakscan(["--reader=libkdumpfile"] + before + [dump] +
                                                after)
            check(tag + " the same output, messages and exit status as --reader=libkdumpfile",
                  own == lib and own_err == lib_err and rc == rc_lib and bool(own or own_err),
                  "exit %d/%d, %d/%d bytes" % (rc, rc_lib, len(own), len(lib)))
            # the compressed dump's pages decode on the other threads, the
            # ELF dump's objects hash on them (src/slab/slabpipe.c)
            if key in ("vmcore-mkd", "vmcore-elf"):
                same_for_threads(tag, before + [dump] + after, (rc, own, own_err))


def same_for_threads(tag, args, default):
    """-J 1 and -J 4 print what the default thread count printed."""
    for threads in ("1", "4"):
        got = run_leakscan(["-J", threads] + args)
        check(tag + " the same output, messages and exit status with -J " + threads,
              tuple(got) == tuple(default), "exit %d/%d, %d/%d bytes" % (
                  got[0], default[0], len(got[1]), len(default[1])))


def test_damaged(d):
    """Bytes changed at random in the descriptors and pages of a -d 31 dump
    (past its first MiB: headers and bitmaps stay): whatever the damage
    does, it does the same with both readers (with the vmlinux, so that
    the kernel's own tables need not survive it)."""
    m = read_manifest(d)
    data = open(os.path.join(d, m["vmcore-mkd"]), "rb").read()
    rnd = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "damaged.mkd")
        for trial in range(4):
            copy = bytearray(data)
            for _ in range(40):
                copy[rnd.randrange(1 << 20, len(copy))] = rnd.randrange(256)
            with open(path, "wb") as f:
                f.write(copy)
            args = ["-j", m["vmlinux"], path, m["cache"]]
            own = run_leakscan(args)
            lib = run_leakscan(["--reader=libkdumpfile"] + args)
            tag = "%s: reader: damaged copy %d of %s:" % (m["scenario"], trial,
                                                        m["vmcore-mkd"])
            check(tag + " the same exit status and JSON as --reader=libkdumpfile",
                  own[:2] == lib[:2] and bool(own[1]), "exit %d/%d" % (own[0], lib[0]))
            same_for_threads(tag, args, own)


def main():
    dirs = list(dirs_of(sys.argv[1:]))
    check("reader: samples found", bool(dirs), " ".join(sys.argv[1:]))
    for d in dirs:
        test_sample(d)
    for d in dirs:
        if os.path.basename(os.path.normpath(d)).startswith("S1-"):
            test_damaged(d)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
