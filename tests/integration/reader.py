#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The program's own kdump-compressed reader changes nothing but speed: on
every sample and every kdump-compressed dump the recipe makes, the text
and the JSON (-j) of the ranking and of the cluster report of the
sample's cache, with a listing (-l) and a dump (-d) of a cluster, are
byte for byte what --reader=libkdumpfile prints, and so is the exit
status.  Page-level agreement is tests/reader/compare.c's business.

usage: reader.py SAMPLE_DIR...   (a directory with a manifest, or one of
such directories, e.g. vmcore-samples/cache/latest)

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import os
import sys

from common import RESULTS, check, read_manifest, run_leakscan


def sample_dirs(paths):
    for path in paths:
        if os.path.isfile(os.path.join(path, "manifest")):
            yield path
            continue
        for name in sorted(os.listdir(path)):
            d = os.path.join(path, name)
            if name.startswith("S") and os.path.isfile(os.path.join(d, "manifest")):
                yield d


def test_sample(d):
    m = read_manifest(d)
    cache = m["cache"]
    # what, then the options before the dump and the cache after it
    asks = (("ranking", [], []), ("ranking -j", ["-j"], []), (cache, [], [cache]),
            (cache + " -j", ["-j"], [cache]),
            (cache + " -k 1 -l", ["-k", "1", "-l"], [cache]),
            (cache + " -k 1 -d", ["-k", "1", "-d", "-c", "4"], [cache]))
    for key in ("vmcore-mkd", "vmcore-kdump"):
        if key not in m:
            continue
        dump = os.path.join(d, m[key])
        for what, before, after in asks:
            tag = "%s: reader: %s %s:" % (m["scenario"], m[key], what)
            rc, own, _ = run_leakscan(before + [dump] + after)
            rc_lib, lib, _ = run_leakscan(["--reader=libkdumpfile"] + before + [dump] + after)
            check(tag + " the same output and exit status as --reader=libkdumpfile",
                  own == lib and rc == rc_lib and bool(own),
                  "exit %d/%d, %d/%d bytes" % (rc, rc_lib, len(own), len(lib)))


def main():
    dirs = list(sample_dirs(sys.argv[1:]))
    check("reader: samples found", bool(dirs), " ".join(sys.argv[1:]))
    for d in dirs:
        test_sample(d)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
