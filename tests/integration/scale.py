#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The program on the 16 GiB scale sample (make-samples S11, issue #26)
against the module's console truth and, when the recipe recorded them,
drgn's answers.  The makedumpfile -c -d 31 dump (vmcore.mkd), the dump
alone (types from its BTF, symbols from its kallsyms), as the bench runs:

  - the ranking (-j -a): complete, exit 0, no cache flagged; every cache's
    live count equals drgn's; leakext_scale's is the module's live count;
    each kmalloc cache holds at least the module's live objects; and the
    text ranking lists the module's five caches in the order of their live
    bytes by the truth (live count times object size);
  - the cluster report of kmalloc-4k (holders on, the default): cluster 1
    is the module's schedstat text, exactly its live buffers (-l -k 1
    holds every lost one), the held ones referenced and the lost ones
    not;
  - each of the five caches' live set (-l) holds every lost object the
    module printed, and equals drgn's list;
  - -u on leakext_scale (only the module allocates from it): exactly the
    lost objects; -u on each kmalloc cache lists every lost object.

usage: scale.py S11_SAMPLE_DIR

Prints "PASS: ..." / "FAIL: ..." lines and each run's time; exits non-zero
if any failed.
"""
import json
import os
import sys
import time

from common import RESULTS, check, read_manifest, run_leakscan

OWN_CACHE = "leakext_scale"


def run(args):
    start = time.monotonic()
    rc, out, err = run_leakscan(args)
    return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), \
        time.monotonic() - start


def addresses(path):
    with open(path) as f:
        return {int(l, 16) for l in f if l.strip()}


def listed(out):
    return {int(w, 16) for w in out.split()}


def truth_counts(d, m):
    """Per cache: (object size, allocated, freed, held, lost, live)."""
    with open(os.path.join(d, m["truth-counts"])) as f:
        return {w[0]: tuple(int(x) for x in w[1:7]) for w in (l.split() for l in f)
                if len(w) == 7}


def drgn_counts(d, m):
    if m.get("drgn-counts", "-") == "-":
        return None
    with open(os.path.join(d, m["drgn-counts"])) as f:
        return {w[0]: int(w[1]) for w in (l.split() for l in f) if len(w) == 2}


def test_ranking_json(dump, truth, drgn):
    rc, out, err, took = run(["-j", "-a", dump])
    try:
        doc = json.loads(out)
    except ValueError:
        check("S11: the ranking is one JSON document", False, err[-300:])
        return
    got = {c["name"]: c["live"] for c in doc["caches"]}
    flagged = [c["name"] for c in doc["caches"] if not c["integrity"]["ok"]]
    check("S11: ranking: complete, exit 0, no cache flagged (%.1f s)" % took,
          rc == 0 and doc.get("complete") and not flagged, "rc %d, %s" % (rc, flagged[:5]))
    if drgn is not None:
        differ = sorted(n for n in set(got) | set(drgn) if got.get(n, 0) != drgn.get(n, 0))
        check("S11: ranking: all %d caches' live counts equal drgn's" % len(drgn),
              not differ, ", ".join("%s %s/%s" % (n, got.get(n), drgn.get(n))
                                    for n in differ[:8]))
    live = truth[OWN_CACHE][5]
    check("S11: ranking: %s has the module's %d live objects" % (OWN_CACHE, live),
          got.get(OWN_CACHE) == live, "leakscan %s" % got.get(OWN_CACHE))
    for cache, t in sorted(truth.items()):
        if cache != OWN_CACHE:
            check("S11: ranking: %s has at least the module's %d live objects (%s)" % (
                      cache, t[5], got.get(cache)), (got.get(cache) or 0) >= t[5])


def test_ranking_text(dump, truth):
    """The text ranking's NAME column, in its order."""
    rc, out, err, took = run(["-a", dump])
    names = [l.split()[-1] for l in out.splitlines()[1:] if l.strip()]
    want = sorted(truth, key=lambda c: -truth[c][5] * truth[c][0])
    ranked = [n for n in names if n in truth]
    check("S11: text ranking (%.1f s): the module's caches in the order of their live bytes" % took,
          rc == 0 and ranked == want, "ranked %s, truth %s" % (ranked, want))
    check("S11: text ranking: %s first" % want[0], rc == 0 and names[:1] == want[:1],
          "first %s" % names[:1])


def test_text_cluster(d, m, dump, truth):
    size, _, _, held, lost, live = truth["kmalloc-4k"]
    rc, out, err, took = run(["-j", dump, "kmalloc-4k"])
    clusters = json.loads(out)["clusters"] if rc == 0 and out.startswith("{") else []
    if not clusters:
        check("S11: kmalloc-4k: the cluster report (-j) has clusters", False, err[-300:])
        return
    top = clusters[0]
    check("S11: kmalloc-4k (%.1f s): cluster 1 is the schedstat text, the module's %d buffers" % (
              took, live), top["kind"] == "text" and top["preview"].startswith("version ")
          and top["count"] == live, "%s %d %r" % (top["kind"], top["count"], top["preview"][:30]))
    check("S11: kmalloc-4k: cluster 1: %d referenced, %d unreferenced (held, lost)" % (held, lost),
          top.get("referenced") == held and top.get("unreferenced") == lost,
          "%s referenced, %s unreferenced" % (top.get("referenced"), top.get("unreferenced")))
    want = addresses(os.path.join(d, m["truth-lost-kmalloc-4k"]))
    rc, out, err, took = run(["-l", "-k", "1", dump, "kmalloc-4k"])
    got = listed(out)
    check("S11: kmalloc-4k: -l -k 1 lists %d members, every lost buffer among them" % live,
          rc == 0 and len(got) == live and want <= got,
          "rc %d, %d members, %d lost missing" % (rc, len(got), len(want - got)))


def test_tallies(dump):
    """Past LX_REFS_MAX kept referrers (kmalloc-64's 350 000 records on a
    list), every described cluster still counts each member referenced or
    unreferenced: nothing here is both (the lost ones have no pointer)."""
    for cache in ("kmalloc-1k", "kmalloc-256", "kmalloc-64"):
        rc, out, err, took = run(["-j", dump, cache])
        clusters = json.loads(out)["clusters"] if rc in (0, 4) and out.startswith("{") else []
        bad = [(c["count"], c.get("referenced"), c.get("unreferenced")) for c in clusters
               if c.get("referenced", -1) + c.get("unreferenced", -1) != c["count"]]
        check("S11: %s (%.1f s): referenced + unreferenced = members in every described cluster" % (
                  cache, took), bool(clusters) and not bad, "%s %s" % (bad[:3], err[-200:]))


def test_live_sets(d, m, dump, truth):
    for cache in sorted(truth):
        lost = addresses(os.path.join(d, m["truth-lost-" + cache]))
        rc, out, err, took = run(["-l", dump, cache])
        got = listed(out)
        check("S11: -l %s (%.1f s): every one of the %d lost objects is live" % (
                  cache, took, len(lost)), rc == 0 and lost <= got,
              "rc %d, %d missing %s" % (rc, len(lost - got), err[-200:]))
        key = "drgn-objects-" + cache
        if key in m:
            want = addresses(os.path.join(d, m[key]))
            check("S11: -l %s: the live set equals drgn's (%d)" % (cache, len(want)),
                  got == want, "%d missing, %d extra" % (len(want - got), len(got - want)))


def test_unreferenced(d, m, dump, truth):
    for cache in sorted(truth):
        lost = addresses(os.path.join(d, m["truth-lost-" + cache]))
        rc, out, err, took = run(["-u", dump, cache])
        got = listed(out)
        if cache == OWN_CACHE:
            check("S11: -u %s (%.1f s): exactly the %d lost objects" % (cache, took, len(lost)),
                  rc == 0 and got == lost, "rc %d, %d missing, %d extra %s" % (
                      rc, len(lost - got), len(got - lost), err[-200:]))
        else:
            check("S11: -u %s (%.1f s): all %d lost objects, %d listed" % (
                      cache, took, len(lost), len(got)), rc == 0 and lost <= got,
                  "rc %d, %d missing %s" % (rc, len(lost - got), err[-200:]))


def main():
    if len(sys.argv) != 2 or not os.path.isfile(os.path.join(sys.argv[1], "manifest")):
        check("scale: a sample directory with a manifest", False, " ".join(sys.argv[1:]))
        return 1
    d = sys.argv[1]
    m = read_manifest(d)
    dump = os.path.join(d, m["vmcore-mkd"])
    truth = truth_counts(d, m)
    check("S11: the truth has the module's five caches", len(truth) == 5 and
          OWN_CACHE in truth, " ".join(sorted(truth)))
    if len(truth) != 5 or OWN_CACHE not in truth:
        return 1
    test_ranking_json(dump, truth, drgn_counts(d, m))
    test_ranking_text(dump, truth)
    test_text_cluster(d, m, dump, truth)
    test_live_sets(d, m, dump, truth)
    test_unreferenced(d, m, dump, truth)
    test_tallies(dump)
    failed = RESULTS.count(False)
    print("scale: %d passed, %d failed" % (len(RESULTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
