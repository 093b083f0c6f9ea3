#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Issue 25 on the dumps: content signatures, --diff and --watch.

growth.py SAMPLES [SAMPLE_DIR...]: S1 and S3 (the same schedstat leak, two
boots, S3 with slub_debug) from the samples tree; each SAMPLE_DIR with a
manifest (S5: Linux 6.12, S7: SLAB, S8: arm64, S9: i386) must give its
schedstat cluster S1's signature.  Prints PASS:/FAIL: lines for
tests/run-tests."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import RESULTS, check, read_manifest, run_leakscan

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


def lines_of(out):
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def test_diff_same(s1):
    """--diff S1 S1: every cluster (every cache) matched, nothing changed."""
    rc, out, err = run_leakscan(["-j", "--diff", s1, s1, "kmalloc-4k"])
    doc = json.loads(out) if rc == 0 else {}
    rows = doc.get("clusters", [])
    check("diff: S1 S1 kmalloc-4k exits 0 with one document of kind diff",
          rc == 0 and len(lines_of(out)) == 1 and doc.get("schema") == "leakext/1" and
          doc.get("kind") == "diff" and doc.get("cache") == "kmalloc-4k",
          err.decode(errors="replace")[:200])
    rcj, own, _ = report(s1)
    check("diff: S1 S1 kmalloc-4k: every cluster matched, zero change",
          rcj == 0 and len(rows) > 0 and doc["appeared"] == 0 and doc["vanished"] == 0 and
          doc["matched"] == len(rows) and
          all(r["status"] == "matched" and r["before"] == r["after"] and
              r["change"] == {"count": 0, "bytes": 0} for r in rows) and
          sum(r["after"]["count"] for r in rows) == own["counts"]["live"],
          "%d rows" % len(rows))
    rc, out, err = run_leakscan(["-j", "--diff", s1, s1])
    doc = json.loads(out) if rc == 0 else {}
    rows = doc.get("caches", [])
    rcr, rank, _ = run_leakscan(["-j", "-a", s1])
    ranking = {c["name"]: c["live"] for c in json.loads(rank)["caches"] if "live" in c}
    check("diff: S1 S1 (every cache): every cache matched by name, zero change",
          rc == 0 and rcr == 0 and doc.get("cache") is None and
          doc["matched"] == len(rows) == len(ranking) and
          all(r["change"] == {"live": 0, "bytes": 0} and
              r["after"]["live"] == ranking[r["name"]] for r in rows),
          "%d rows, %d ranked" % (len(rows), len(ranking)))
    rc, out, _ = run_leakscan(["--diff", s1, s1, "kmalloc-4k"])
    text = out.decode(errors="replace")
    check("diff: S1 S1 text says 0 appeared, 0 vanished, no change",
          rc == 0 and "0 appeared, 0 vanished" in text and
          re.search(r"^[0-9a-f]{16} +3000 +3000 +\+0 +\+0\.00  matched", text, re.M) is not None,
          text[:300])


def test_diff_boots(s1, s3, d1, d3):
    """--diff S1 S3 kmalloc-4k: the schedstat cluster matched, counts as each report says."""
    rc, out, err = run_leakscan(["-j", "--diff", s1, s3, "kmalloc-4k"])
    doc = json.loads(out) if rc == 0 else {}
    top1, top3 = largest(d1), largest(d3)
    row = [r for r in doc.get("clusters", []) if r["signature"] == top1["signature"]]
    check("diff: S1 S3 kmalloc-4k: the schedstat cluster is matched", rc == 0 and
          len(row) == 1 and row[0]["status"] == "matched", err.decode(errors="replace")[:200])
    if len(row) != 1:
        return
    r = row[0]
    check("diff: S1 S3: before = S1's -j report, after = S3's (count and bytes)",
          r["before"] == {"count": top1["count"], "bytes": top1["bytes"]} and
          r["after"] == {"count": top3["count"], "bytes": top3["bytes"]} and
          r["change"] == {"count": top3["count"] - top1["count"],
                          "bytes": top3["bytes"] - top1["bytes"]}, json.dumps(r)[:300])
    grown = [c["change"]["bytes"] for c in doc["clusters"]]
    check("diff: S1 S3: rows come largest growth (bytes) first",
          grown == sorted(grown, reverse=True) and grown[0] > 0, str(grown[:5]))
    check("diff: S1 S3: live objects of each side as each report says",
          doc["old"]["live"] == d1["counts"]["live"] and
          doc["new"]["live"] == d3["counts"]["live"])


def test_watch(s1):
    """--watch 1 --count 2 on a dump: two scans, no growth, JSON Lines."""
    rc, out, err = run_leakscan(["-j", "--watch", "1", "--count", "2", s1, "kmalloc-4k"])
    docs = lines_of(out) if rc == 0 else []
    check("watch: -j --watch 1 --count 2 S1 kmalloc-4k: two documents of kind watch",
          rc == 0 and len(docs) == 2 and
          [d.get("kind") for d in docs] == ["watch", "watch"] and
          [d["scan"] for d in docs] == [1, 2] and
          all(d["schema"] == "leakext/1" and d["cache"] == "kmalloc-4k" for d in docs),
          err.decode(errors="replace")[:200])
    if len(docs) != 2:
        return
    first, second = docs
    rcj, own, _ = report(s1)
    counts = {c["signature"]: c["count"] for c in own["clusters"]}
    check("watch: every scan's clusters are the report's, by signature and count",
          all({c["signature"]: c["count"] for c in d["clusters"]} == counts for d in docs))
    check("watch: the first scan has no growth yet (null), a one-point trend",
          all(c["growth_per_minute"] is None and c["trend"] == [c["count"]]
              for c in first["clusters"]))
    check("watch: the second scan: growth exactly 0 everywhere, two-point trend",
          second["window_seconds"] >= 1 and second["scans_kept"] == 2 and
          all(c["growth_per_minute"] == 0 and c["change"] == 0 and
              c["trend"] == [c["count"], c["count"]] for c in second["clusters"]),
          json.dumps(second["clusters"][0]))
    rc, out, _ = run_leakscan(["-j", "--watch", "1", "--count", "2", s1])
    docs = lines_of(out) if rc == 0 else []
    check("watch: without CACHE, per-cache live objects, growth 0 on the second scan",
          len(docs) == 2 and docs[1]["cache"] is None and len(docs[1]["caches"]) > 100 and
          all(c["growth_per_minute"] == 0 and c["trend"] == [c["live"]] * 2
              for c in docs[1]["caches"]))
    rc, out, _ = run_leakscan(["-j", "--watch", "0.01", "--count", "18", s1, "kmalloc-4k"])
    docs = lines_of(out) if rc == 0 else []
    check("watch: 18 scans keep the last 16: scans_kept, 16-point trends, growth 0",
          len(docs) == 18 and [d["scans_kept"] for d in docs] == list(range(1, 17)) + [16, 16] and
          all(len(c["trend"]) == 16 and c["growth_per_minute"] == 0
              for c in docs[-1]["clusters"]),
          str([d["scans_kept"] for d in docs]))
    rc, out, _ = run_leakscan(["--watch", "1", "--count", "2", s1, "kmalloc-4k"])
    text = out.decode(errors="replace")
    check("watch: text: two SCAN headers, the schedstat row flat (+0.0, --)",
          rc == 0 and len(re.findall(r"^SCAN \d", text, re.M)) == 2 and
          re.search(r"^[0-9a-f]{16} +3000 +\+0\.0  -- ", text, re.M) is not None and
          all(len(line) <= 100 for line in text.splitlines() if not line.startswith("SCAN")),
          text[-400:])


def test_bad_usage(s1):
    for args, needle in [(["--watch", "0"], "positive number of seconds"),
                         (["--watch", "-2"], "positive number of seconds"),
                         (["--watch", "soon"], "positive number of seconds"),
                         (["--watch", "1", "--count", "x"], "--count needs a number"),
                         (["--diff"], "--diff needs two dumps"),
                         (["--diff", "-l", s1], "not with -l"),
                         (["--watch", "1", s1], "--watch scans one source")]:
        rc, out, err = run_leakscan(args + [s1, "kmalloc-4k"])
        check("growth usage: %s exits 2: %s" % (" ".join(a if a != s1 else "S1" for a in args),
                                               needle),
              rc == 2 and needle in err.decode() and not out, "rc %d: %s" % (rc, err[:200]))


def test_symbol_sources(samples):
    """The same dump gives the same signatures from its own kallsyms and from
    its vmlinux's ELF symbols (which hold local labels such as .LC0 and name
    pointers inside blobs by another nearest symbol)."""
    d = os.path.join(samples, "S2-fnptr-192")
    vmlinux = read_manifest(d)["vmlinux"]
    dump = os.path.join(d, "vmcore.mkd")
    sigs = []
    for args in ([dump], [vmlinux, dump]):
        rc, out, _ = run_leakscan(["-j", "-a", "-H"] + args + ["kmalloc-192"])
        sigs.append([c["signature"] for c in json.loads(out)["clusters"]] if rc == 0 else None)
    check("signature: S2 kmalloc-192: kallsyms and the vmlinux's symbols sign alike "
          "(%d clusters)" % len(sigs[0] or []), sigs[0] is not None and sigs[0] == sigs[1])


def test_other_kernels(dirs, schedstat):
    """Another kernel build, allocator or architecture: the same kind of
    content, the same signature."""
    for d in dirs:
        if not os.path.isfile(os.path.join(d, "manifest")):
            continue
        m = read_manifest(d)
        dump = next((os.path.join(d, m[k]) for k in ("vmcore-mkd", "vmcore-elf")
                     if m.get(k, "-") != "-"), None)
        rc, out, err = run_leakscan(["-j", "-H", "-n", "1", m["vmlinux"], dump, m["cache"]])
        top = json.loads(out)["clusters"][0] if rc in (0, 4) and out else {}
        check("signature: %s (%s) %s: the schedstat cluster (%s members) has S1's" % (
                  m["scenario"], m["release"], m["cache"], top.get("count")),
              top.get("signature") == schedstat and top.get("preview", "").startswith("version "),
              "rc %d, %s %s" % (rc, top.get("signature"), err.decode(errors="replace")[-200:]))


def saved(args):
    """A saved -j report of args, in a temporary file the caller removes."""
    rc, out, err = run_leakscan(["-j"] + args)
    f = tempfile.NamedTemporaryFile(prefix="growth-", suffix=".jsonl", delete=False)
    f.write(out)
    f.close()
    return rc, f.name


def test_diff_saved(s1, s3):
    """--diff with a saved -j report as OLD: the same rows as from the dump."""
    paths = []
    try:
        rc_all, full = saved(["-a", "-H", s1, "kmalloc-4k"])
        rc_top, top = saved(["-H", s1, "kmalloc-4k"])
        rc_rank, rank = saved([s1])
        paths = [full, top, rank]
        rc, out, err = run_leakscan(["-j", "--diff", full, s3, "kmalloc-4096"])
        rcd, dumps, _ = run_leakscan(["-j", "--diff", s1, s3, "kmalloc-4k"])
        mine = json.loads(out) if rc == 0 else {}
        theirs = json.loads(dumps) if rcd == 0 else {}
        check("diff: a saved -a report as OLD (cache named by an alias): the same rows "
              "as the dump's", rc_all == 0 and rc == 0 and rcd == 0 and
              mine.get("clusters") == theirs.get("clusters") and
              mine["old"]["live"] == theirs["old"]["live"] and
              "saved in" in mine["old"]["source"], err.decode(errors="replace")[:300])
        rc, out, err = run_leakscan(["--diff", top, s3, "kmalloc-4k"])
        check("diff: a saved report of the top clusters only is refused (exit 1, -a)",
              rc_top == 0 and rc == 1 and b"save it with -a" in err and not out,
              "rc %d: %s" % (rc, err[:200]))
        rc, out, err = run_leakscan(["-j", "--diff", rank, s1])
        doc = json.loads(out) if rc == 0 else {}
        check("diff: a saved ranking as OLD against its own dump: every cache matched, "
              "no change", rc_rank == 0 and rc == 0 and doc["appeared"] == 0 and
              doc["vanished"] == 0 and doc["matched"] > 100 and
              all(r["change"] == {"live": 0, "bytes": 0} for r in doc["caches"]),
              err.decode(errors="replace")[:300])
        rc, out, err = run_leakscan(["--diff", full, s1, "kmalloc-64"])
        check("diff: a saved report without the cache: exit 1, named",
              rc == 1 and b"no report of kmalloc-64" in err, err[:200])
    finally:
        for p in paths:
            os.unlink(p)


def test_watch_live(samples):
    """--watch through the live source: S1's ELF vmcore written as a kcore
    file (build/kcore_from_dump, as tests/integration/live_kcore.py does),
    opened afresh each scan by the kcore reader; it does not move."""
    tool = os.environ.get("LEAKEXT_KCORE_FROM_DUMP") or os.path.join("build", "kcore_from_dump")
    d = os.path.join(samples, "S1-schedstat-4k")
    elf = os.path.join(d, read_manifest(d).get("vmcore-elf", "-"))
    if not (os.access(tool, os.X_OK) and os.path.isfile(elf)):
        print("INFO: growth: no %s or no ELF S1: --watch on a kcore file not run" % tool)
        return
    tmp = tempfile.mkdtemp(prefix="leakext-growth-")
    try:
        kcore = os.path.join(tmp, "kcore")
        p = subprocess.run([tool, elf, kcore], stderr=subprocess.PIPE)
        rc, out, err = run_leakscan(["-j", "--watch", "0.2", "--count", "2", kcore, "kmalloc-4k"])
        docs = lines_of(out) if p.returncode == 0 and rc == 0 else []
        rcj, own, _ = report(elf)
        counts = {c["signature"]: c["count"] for c in own["clusters"]} if rcj == 0 else None
        check("watch: S1 as a kcore file (a live source): two scans, the dump's clusters, "
              "growth 0 on the second", len(docs) == 2 and
              all({c["signature"]: c["count"] for c in doc["clusters"]} == counts
                  for doc in docs) and
              all(c["growth_per_minute"] == 0 for c in docs[1]["clusters"]),
              (p.stderr + err).decode(errors="replace")[:300])
    finally:
        shutil.rmtree(tmp)


def guarded(fn, *args):
    """Run one test; an exception (a crashed program's output, say) is a FAIL."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - any failure must show as FAIL
        check("growth: %s ran to its end" % fn.__name__, False, repr(e)[:300])
        return None


def main():
    samples = sys.argv[1]
    s1 = os.path.join(samples, "S1-schedstat-4k", "vmcore.mkd")
    s3 = os.path.join(samples, "S3-tracked-4k", "vmcore.mkd")
    if not (os.path.isfile(s1) and os.path.isfile(s3)):
        check("growth: S1 and S3 are built", False, "%s, %s" % (s1, s3))
        return 1
    docs = guarded(test_signatures, s1, s3)
    guarded(test_diff_same, s1)
    if docs:
        guarded(test_diff_boots, s1, s3, *docs)
    guarded(test_diff_saved, s1, s3)
    guarded(test_watch, s1)
    guarded(test_watch_live, samples)
    guarded(test_bad_usage, s1)
    if os.path.isdir(os.path.join(samples, "S2-fnptr-192")):
        guarded(test_symbol_sources, samples)
    if docs:
        guarded(test_other_kernels, sys.argv[2:], largest(docs[0])["signature"])
    print("growth: %d passed, %d failed" % (RESULTS.count(True), RESULTS.count(False)))
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
