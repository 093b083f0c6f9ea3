#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's fleet recipe, run: leakscan -j over the x86_64 samples
under GNU parallel with 2 local slots and a joblog, interrupted after the
first jobs (--halt now,done=3 kills the running ones), resumed with
--resume (only the missing jobs run, no source twice), then --merge over
the reports, its groups checked against the individual reports.

Usage: fleet.py SAMPLES_DIR"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import LEAKSCAN, RESULTS, check  # noqa: E402

SAMPLES = ["S1-schedstat-4k", "S2-fnptr-192", "S3-tracked-4k", "S6-lostskb-8k"]
CACHES = ["kmalloc-4k", "kmalloc-192"]
SCHEDSTAT = "version 15\ntimestamp "


def parallel(dumps, joblog, reports, extra):
    """The recipe's parallel line; its exit status."""
    command = "nice %s -q -j {1} {2}" % shlex.quote(LEAKSCAN)
    with open(reports, "ab") as out:
        p = subprocess.run(["parallel", "--will-cite", "-j", "2", "--joblog", joblog] + extra +
                           [command, ":::"] + dumps + [":::"] + CACHES,
                           stdout=out, stderr=subprocess.PIPE, timeout=1800)
    return p.returncode


def joblog_rows(joblog):
    with open(joblog) as f:
        return [line.rstrip("\n").split("\t") for line in f][1:]


def documents(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def run_merge(args):
    p = subprocess.run([LEAKSCAN, "--merge"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def interrupted_then_resumed(dumps, tmp):
    """Both runs; the reports' path (or None) after the checks."""
    joblog, reports = os.path.join(tmp, "fleet.joblog"), os.path.join(tmp, "fleet.jsonl")
    jobs = len(dumps) * len(CACHES)
    parallel(dumps, joblog, reports, ["--halt", "now,done=3"])
    first = joblog_rows(joblog)
    first_docs = documents(reports)
    check("fleet: the interrupted run logged some but not all of %d jobs" % jobs,
          3 <= len(first) < jobs, "%d jobs logged" % len(first))
    check("fleet: the interrupted run wrote one report per logged job",
          len(first_docs) == len(first), "%d reports, %d jobs" % (len(first_docs), len(first)))
    status = parallel(dumps, joblog, reports, ["--resume"])
    rows = joblog_rows(joblog)
    seqs = [int(r[0]) for r in rows]
    new = seqs[len(first):]
    check("fleet: --resume ran exactly the missing jobs",
          sorted(seqs) == list(range(1, jobs + 1)) and
          not set(new) & set(int(r[0]) for r in first),
          "first %s, then %s" % ([int(r[0]) for r in first], new))
    docs = documents(reports)
    pairs = [(d["source"], d.get("cache", {}).get("name")) for d in docs]
    wanted = sorted((d, c) for d in dumps for c in CACHES)
    check("fleet: every dump and cache reported once after --resume (parallel %d)" % status,
          sorted(pairs) == wanted, "pairs %s" % sorted(pairs))
    parallel(dumps, joblog, reports, ["--resume"])
    check("fleet: a second --resume runs nothing",
          len(joblog_rows(joblog)) == jobs and len(documents(reports)) == jobs)
    return reports if sorted(pairs) == wanted else None


def expected_groups(docs):
    """(cache, signature) -> sources, objects, bytes, largest, from each report."""
    groups = {}
    for d in docs:
        for c in d.get("clusters", []):
            if "signature" not in c:
                continue
            g = groups.setdefault((d["cache"]["name"], c["signature"].lower()),
                                  {"sources": [], "objects": 0, "bytes": 0, "per": {}})
            if d["source"] not in g["sources"]:
                g["sources"].append(d["source"])
            g["objects"] += c["count"]
            g["bytes"] += c["bytes"]
            g["per"][d["source"]] = g["per"].get(d["source"], 0) + c["bytes"]
    return groups


def check_merge(reports):
    docs = documents(reports)
    status, out, err = run_merge(["-j", reports])
    merged = [json.loads(line) for line in out.splitlines()]
    summary = merged[-1] if merged else {}
    check("fleet: --merge -j of the resumed reports: exit 0, no message",
          status == 0 and err == "", "status %d: %s" % (status, err.strip()))
    check("fleet: the merge summary counts the reports",
          summary.get("kind") == "merge-summary" and summary.get("documents") == len(docs) and
          summary.get("vmcores") == len(SAMPLES) and summary.get("unusable_lines") == 0,
          json.dumps(summary))
    clusters = [c for d in docs for c in d.get("clusters", [])]
    if not clusters or not all("signature" in c for c in clusters):
        print("SKIP: fleet: merge grouping by signature: the reports' clusters have no "
              "\"signature\" field (the growth branch's signatures are not in this build)")
        return
    want = expected_groups(docs)
    got = {(g["cache"], g["signature"]): g for g in merged[:-1]}
    check("fleet: --merge groups by cache and signature, one group each",
          sorted(got) == sorted(want) and all(g["grouped_by"] == "signature" for g in got.values()),
          "merge %d groups, reports %d" % (len(got), len(want)))
    covered = {}
    for d in docs:
        covered.setdefault(d["cache"]["name"], set()).add(d["source"])
    bad = [k for k, w in want.items() if k in got and (
        sorted(got[k]["sources"]) != sorted(w["sources"]) or got[k]["objects"] != w["objects"] or
        got[k]["bytes"] != w["bytes"] or got[k]["vmcores"] != len(w["sources"]) or
        got[k]["vmcores_with_cache"] != len(covered[k[0]]) or
        got[k]["largest"]["bytes"] != max(w["per"].values()))]
    check("fleet: every group's vmcores, objects, bytes and largest dump equal the reports'",
          not bad, "differ: %s" % bad[:3])
    sched = {(d["cache"]["name"], c["signature"].lower()) for d in docs for c in d["clusters"]
             if c.get("preview", "").startswith(SCHEDSTAT)}
    with_sched = sorted({d["source"] for d in docs for c in d.get("clusters", [])
                         if c.get("preview", "").startswith(SCHEDSTAT)})
    check("fleet: the schedstat cluster is one group, in exactly the dumps whose report has it",
          len(sched) == 1 and sorted(got[next(iter(sched))]["sources"]) == with_sched and
          len(with_sched) == 2, "signatures %s, dumps %s" % (sorted(sched), with_sched))


def check_truncated(reports, tmp):
    """A report cut inside its third line: that line named, the rest merged."""
    with open(reports, "rb") as f:
        lines = f.read().split(b"\n")
    cut = os.path.join(tmp, "cut.jsonl")
    with open(cut, "wb") as f:
        f.write(b"\n".join(lines[:2]) + b"\n" + lines[2][:len(lines[2]) // 2])
    status, out, err = run_merge(["-j", cut, os.path.join(tmp, "missing.jsonl")])
    summary = json.loads(out.splitlines()[-1]) if out else {}
    check("fleet: --merge of a cut report and a missing one: exit 4, both named, 2 documents",
          status == 4 and ("%s:3: a document cut short" % cut) in err and
          "missing.jsonl: no such file" in err and summary.get("documents") == 2 and
          summary.get("reports_read") == 1,
          "status %d, %s, %s" % (status, err.strip(), summary))
    status, out, err = run_merge([os.path.join(tmp, "missing.jsonl")])
    check("fleet: --merge with no readable report: exit 1", status == 1 and out == "",
          "status %d" % status)


def main():
    samples = sys.argv[1]
    dumps = [os.path.join(samples, s, "vmcore.mkd") for s in SAMPLES]
    if not shutil.which("parallel"):
        check("fleet: GNU parallel installed (tests/install-deps)", False)
        return
    missing = [d for d in dumps if not os.path.isfile(d)]
    if missing:
        check("fleet: the x86_64 samples' kdump files", False, "missing %s" % missing)
        return
    with tempfile.TemporaryDirectory() as tmp:
        reports = interrupted_then_resumed(dumps, tmp)
        if reports:
            check_merge(reports)
            check_truncated(reports, tmp)
    print("fleet: %d passed, %d failed" % (RESULTS.count(True), RESULTS.count(False)))


if __name__ == "__main__":
    main()
