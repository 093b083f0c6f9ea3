#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kmemleak (issue #27) on the S10 sample (make-samples S10), against what
the guest printed before the dump: kmemleak's report (kmemleak.txt, the
100 lost leakext_lost records) and the module's truth files.

- -u leakext_lost lists exactly truth-lost-obj.txt's 100 objects, none of
  truth-held-obj.txt's 200, each with kmemleak's verdict "reported", and
  its summary says kmemleak reported 100 of these 100.
- Every object of kmemleak.txt is listed by -u of its cache, "reported".
- leakext_lost's clusters: kmemleak reported 100 and found 200 referenced,
  none white; the stack names alloctag_lost_alloc.
- kmalloc-4k's schedstat cluster is no longer held by kmemleak_object
  (its records are debug metadata), and its JSON has the kmemleak fields.
- No alloc tag vector is unreferenced: struct slab.obj_exts holds each.

Exact on vmcore.kdump.  usage: kmemleak.py S10_SAMPLE_DIR
"""
import json
import os
import re
import sys

from common import RESULTS, check, read_addresses as read_addrs, read_manifest
from common import run_leakscan_text as run

UNREF = re.compile(r"^([0-9a-f]+)  kmemleak: (\w+)(?:  at (\S+(?: \[\S+\])?))?$")
REPORTED = re.compile(r"^unreferenced object 0x([0-9a-f]+) \(size (\d+)\):")


def unreferenced(m, vmcore, cache, sites=None):
    """-u CACHE: {address: verdict}, the lines that did not parse, stderr;
    each line's allocation site into sites, when given."""
    rc, out, err = run([m["vmlinux"], vmcore, "-u", cache])
    got, bad = {}, []
    for line in out.splitlines():
        mm = UNREF.match(line)
        if mm:
            got[int(mm.group(1), 16)] = mm.group(2)
            if sites is not None:
                sites[int(mm.group(1), 16)] = mm.group(3)
        else:
            bad.append(line)
    return rc, got, bad, err


def test_lost(m, d, vmcore):
    lost = read_addrs(os.path.join(d, m["truth-lost-obj"]))
    held = read_addrs(os.path.join(d, m["truth-held-obj"]))
    sites = {}
    rc, got, bad, err = unreferenced(m, vmcore, m["truth-lost-cache"], sites)
    check("S10: -u %s lists exactly the %d lost objects" % (m["truth-lost-cache"], len(lost)),
          rc == 0 and set(got) == lost and not bad,
          "rc %d, %d listed, %d missing, %d extra, %d unparsed" %
          (rc, len(got), len(lost - set(got)), len(set(got) - lost), len(bad)))
    check("S10: -u lists none of the %d held objects" % len(held), not (held & set(got)),
          "%d listed" % len(held & set(got)))
    check("S10: every listed object's kmemleak verdict is 'reported'",
          got and set(got.values()) == {"reported"}, str(set(got.values())))
    names = {(x or "").split("+")[0] for x in sites.values()}
    check("S10: each listed object is allocated at %s()" % m["truth-lost-site"],
          names == {m["truth-lost-site"]}, str(names))
    want = "reported %d of these %d;" % (len(lost), len(lost))
    check("S10: -u's summary says kmemleak %s" % want, want in err, err[-300:])


def kmemleak_report(d, m):
    """kmemleak's console report: {address: size}."""
    objs = {}
    with open(os.path.join(d, m["kmemleak"])) as f:
        for line in f:
            mm = REPORTED.match(line)
            if mm:
                objs[int(mm.group(1), 16)] = int(mm.group(2))
    return objs


def test_console_report(m, d, vmcore):
    objs = kmemleak_report(d, m)
    _, got, _, _ = unreferenced(m, vmcore, m["truth-lost-cache"])
    listed = {a for a in objs if got.get(a) == "reported"}
    check("S10: every object of kmemleak.txt (%d) is listed by -u, 'reported'" % len(objs),
          len(objs) == int(m["kmemleak-reported"]) and listed == set(objs),
          "%d of %d" % (len(listed), len(objs)))


def cluster_json(m, vmcore, cache, extra=()):
    rc, out, err = run(["-j", "-a"] + list(extra) + [m["vmlinux"], vmcore, cache])
    return rc, (json.loads(out) if rc == 0 else None), err


def test_lost_clusters(m, vmcore):
    rc, doc, err = cluster_json(m, vmcore, m["truth-lost-cache"])
    totals = {}
    sites = set()
    for c in (doc or {}).get("clusters", []):
        for k, v in c["kmemleak"]["verdicts"].items():
            totals[k] = totals.get(k, 0) + v
        sites.add(c["kmemleak"]["site"].split("+")[0])
    check("S10: %s's clusters: kmemleak reported 100, referenced 200, nothing else" %
          m["truth-lost-cache"],
          rc == 0 and totals.get("reported") == 100 and totals.get("referenced") == 200 and
          sum(totals.values()) == 300, "rc %d, %s" % (rc, totals))
    check("S10: every cluster's kmemleak stack names %s()" % m["truth-lost-site"],
          sites == {m["truth-lost-site"]}, str(sites))


def test_schedstat(m, vmcore):
    rc, doc, err = cluster_json(m, vmcore, m["cache"], ["-k", "1"])
    c = doc["clusters"][0] if doc else {}
    where = [r["where"] for r in c.get("referrers", [])]
    check("S10: the schedstat cluster is not held by kmemleak_object",
          rc == 0 and c.get("count") == int(m["leaked"]) and
          not any("kmemleak_object" in w for w in where), "rc %d, %s" % (rc, where))
    k = c.get("kmemleak", {})
    check("S10: its JSON kmemleak: %s members, every one referenced, site %s, pid, comm" %
          (m["leaked"], m["truth-leak-site"]),
          k.get("members") == int(m["leaked"]) and
          k.get("verdicts", {}).get("referenced") == int(m["leaked"]) and
          k.get("top_stack_members") == int(m["leaked"]) and
          k.get("site", "").startswith(m["truth-leak-site"] + "+") and
          k.get("stack") and k.get("pid", 0) > 0 and k.get("comm") == "insmod", str(k))
    rc, doc, _ = cluster_json(m, vmcore, m["cache"], ["-k", "1", "-R"])
    k = doc["clusters"][0].get("kmemleak", {}) if doc else {}
    check("S10: -R keeps the kmemleak stack and drops the comm",
          rc == 0 and k.get("stack") and k.get("comm") == "", str(k)[:200])


def test_slab_vectors(m, vmcore):
    """The alloc tag vectors (kmalloc-no-objext-*) are held by their slabs'
    struct slab.obj_exts words in the memory map, as kmemleak (which scans
    the memory map) found them: none is unreferenced, and --refs of one
    names the word."""
    listed = 0
    for size in ("32", "64", "128", "192", "256", "512", "1k", "2k", "4k"):
        rc, got, bad, err = unreferenced(m, vmcore, "kmalloc-no-objext-" + size)
        listed += len(got) + len(bad) + (rc != 0)
    check("S10: no alloc tag vector (kmalloc-no-objext-*) is unreferenced", listed == 0,
          "%d listed or failed" % listed)
    rc, out, err = run([m["vmlinux"], vmcore, "-l", "kmalloc-no-objext-64"])
    first = out.split()[0] if out.split() else "0"
    rc, out, err = run([m["vmlinux"], vmcore, "--refs=" + first])
    check("S10: --refs of a vector names struct slab.obj_exts",
          rc == 0 and "struct slab.obj_exts (memory map)" in out, out[-300:])


def main():
    d = sys.argv[1]
    m = read_manifest(d)
    kdump = os.path.join(d, m["vmcore-kdump"])
    test_lost(m, d, kdump)
    test_console_report(m, d, kdump)
    test_lost_clusters(m, kdump)
    test_schedstat(m, kdump)
    test_slab_vectors(m, kdump)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
