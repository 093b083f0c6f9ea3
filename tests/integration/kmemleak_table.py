#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""For the closing note of issue #27: every object leakext's -u calls
unreferenced on a dump of a kmemleak kernel, grouped by cache and by
kmemleak's verdict at its last scan (reported; young: younger than
jiffies_min_age then; new: allocated after it; white: unreferenced, not
reported; referenced: kmemleak found a reference, or its checksum moved;
grey, black: kmemleak's own lists; untracked: no record).  Prints a
table and asserts nothing.

usage: kmemleak_table.py SAMPLE_DIR [VMCORE]   (default: the manifest's
vmcore-kdump)
"""
import collections
import json
import os
import re
import sys

from common import read_manifest
from common import run_leakscan_text as run

UNREF = re.compile(r"^([0-9a-f]+)  kmemleak: (\w+)(?:  at (.*))?$")
VERDICTS = ["reported", "young", "new", "white", "referenced", "grey", "black", "untracked"]


def caches(m, vmcore):
    rc, out, err = run(["-j", "-a", m["vmlinux"], vmcore])
    if rc not in (0, 4):
        sys.exit("ranking failed (%d): %s" % (rc, err[-300:]))
    return [(c["name"], c["live"]) for c in json.loads(out)["caches"] if c["live"]]


def main():
    d = sys.argv[1]
    m = read_manifest(d)
    vmcore = sys.argv[2] if len(sys.argv) > 2 else os.path.join(d, m["vmcore-kdump"])
    rows, totals, summary = [], collections.Counter(), None
    by_site = collections.Counter()
    for name, live in caches(m, vmcore):
        rc, out, err = run([m["vmlinux"], vmcore, "-u", name])
        got = collections.Counter()
        for line in out.splitlines():
            mm = UNREF.match(line)
            got[mm.group(2) if mm else "unparsed"] += 1
            if mm:
                site = (mm.group(3) or "no stack").split("+")[0]
                by_site[(name, mm.group(2), site)] += 1
        reached_reported = re.search(r"it reported (\d+) more that a root reaches", err)
        if summary is None:
            summary = re.search(r"its last scan, (\d+) jiffies before the dump", err)
        if sum(got.values()) or (reached_reported and reached_reported.group(1) != "0"):
            rows.append((name, live, got, reached_reported.group(1) if reached_reported else "?"))
        totals.update(got)
    print("kmemleak's last scan: %s jiffies before the dump" %
          (summary.group(1) if summary else "unknown"))
    head = "%-28s %7s %7s " % ("CACHE", "LIVE", "-u") + " ".join("%10s" % v for v in VERDICTS)
    print(head + " %10s" % "REP+REACHED")
    for name, live, got, rr in rows:
        print("%-28s %7d %7d " % (name, live, sum(got.values())) +
              " ".join("%10d" % got[v] for v in VERDICTS) + " %10s" % rr)
    print("%-28s %7s %7d " % ("total", "", sum(totals.values())) +
          " ".join("%10d" % totals[v] for v in VERDICTS))
    print()
    print("%-28s %-10s %7s  %s" % ("CACHE", "VERDICT", "OBJECTS", "ALLOCATED AT (first frame outside the allocator)"))
    for (name, verdict, site), n in sorted(by_site.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print("%-28s %-10s %7d  %s" % (name, verdict, n, site))
    if totals["unparsed"]:
        print("%d -u lines did not parse" % totals["unparsed"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
