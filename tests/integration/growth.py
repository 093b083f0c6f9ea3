#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Issue 25 on the dumps: content signatures, --diff and --watch.

growth.py SAMPLES: S1 and S3 (the same schedstat leak, two boots, S3 with
slub_debug) from the samples tree.  Prints PASS:/FAIL: lines for
tests/run-tests."""
import json
import os
import re
import sys

from common import RESULTS, check, run_leakscan

SIGNATURE = re.compile(r"^[0-9a-f]{16}$")


def report(dump, *args):
    """The program's -j cluster report of kmalloc-4k, every cluster."""
    rc, out, err = run_leakscan(["-j", "-a", "-H"] + list(args) + [dump, "kmalloc-4k"])
    return rc, (json.loads(out) if rc == 0 else None), err


def largest(doc):
    return max(doc["clusters"], key=lambda c: c["count"])


def test_signatures(s1, s3):
    rc1, d1, e1 = report(s1)
    rc3, d3, e3 = report(s3)
    check("signature: S1 and S3 -j -a kmalloc-4k exit 0", rc1 == 0 and rc3 == 0,
          (e1 + e3).decode(errors="replace")[:200])
    if not (d1 and d3):
        return None
    sigs = [c["signature"] for c in d1["clusters"]]
    check("signature: every S1 cluster has 16 hex digits",
          all(isinstance(s, str) and SIGNATURE.match(s) for s in sigs), str(sigs[:4]))
    top1, top3 = largest(d1), largest(d3)
    check("signature: the schedstat cluster has 3000 members in S1 and S3",
          top1["count"] == 3000 and top3["count"] == 3000,
          "%d, %d" % (top1["count"], top3["count"]))
    check("signature: S1's and S3's schedstat clusters share it (%s)" % top1["signature"],
          top1["signature"] == top3["signature"],
          "%s vs %s" % (top1["signature"], top3["signature"]))
    others = [c["signature"] for c in d1["clusters"] if c is not top1]
    check("signature: none of S1's %d other kmalloc-4k clusters shares it" % len(others),
          len(others) >= 3 and top1["signature"] not in others)
    rcr, red, _ = report(s1, "-R")
    check("signature: -R keeps every signature",
          rcr == 0 and [c["signature"] for c in red["clusters"]] == sigs)
    rc, out, _ = run_leakscan(["-a", "-H", s1, "kmalloc-4k"])
    text = re.findall(r"^CLUSTER \d+: .*, signature ([0-9a-f]{16})$",
                      out.decode(errors="replace"), re.M)
    check("signature: the text report's cluster headers say the same", rc == 0 and text == sigs,
          str(text[:3]))
    return d1, d3


def main():
    samples = sys.argv[1]
    s1 = os.path.join(samples, "S1-schedstat-4k", "vmcore.mkd")
    s3 = os.path.join(samples, "S3-tracked-4k", "vmcore.mkd")
    if not (os.path.isfile(s1) and os.path.isfile(s3)):
        check("growth: S1 and S3 are built", False, "%s, %s" % (s1, s3))
        return 1
    test_signatures(s1, s3)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
