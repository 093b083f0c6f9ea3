#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Referrers and unreferenced objects (leakscan --refs / -u, crash leakrefs /
leakscan -u) on the 6.1 samples, against the truth the modules printed and
against crash's own search -k.

Every leaked object of S1-S3 is held by the module's static leaked[] array,
so: no leaked object may be called unreferenced, and each sampled leaked
object's referrers must include leaked [MODULE].  crash's search -k ADDR
reads all memory, so it also finds aliases (the direct-map and kernel-map
views of a module's pages) and freed memory; the comparison is restricted
the way the issue puts it: every leakext referrer holding the object's
start is one of crash's hits, and every crash hit in module or vmalloc
space (where only roots live) is one of leakext's referrers.

usage: refs.py SAMPLES_DIR LEAKEXT_SO
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from common import RESULTS, check, read_manifest, sample_dirs
from peers import run_crash

EXE = os.path.abspath(os.environ.get("LEAKEXT_LEAKSCAN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "leakscan"))
SAMPLED = 4
REF_ROW = re.compile(r"^  ([0-9a-f]{16})  \+(\d+) +(.+)$")
VMALLOC_AND_MODULES = 0xffffa00000000000	# above the direct map's reach here


def run(args):
    p = subprocess.run([EXE, "-q"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def referrers(text):
    return [(int(m.group(1), 16), int(m.group(2)), m.group(3))
            for m in map(REF_ROW.match, text.splitlines()) if m]


def search_hits(text):
    hits = set()
    for line in text.splitlines():
        m = re.match(r"^([0-9a-f]+): ([0-9a-f]+)", line)
        if m:
            hits.add(int(m.group(1), 16))
    return hits


def sample_truth(d, m):
    with open(os.path.join(d, m["truth"])) as f:
        truth = [int(l.split()[-1], 16) for l in f if l.strip()]
    step = max(1, len(truth) // SAMPLED)
    return truth, truth[::step][:SAMPLED]


def test_unreferenced(tag, d, m, truth, crash_out):
    cache, mkd = m["cache"], os.path.join(d, m["vmcore-mkd"])
    rc, out, err = run(["-u", mkd, cache])
    listed = {int(l, 16) for l in out.split()}
    check("%s: leakscan -u %s runs (rc 0 or 4)" % (tag, cache), rc in (0, 4), err[-300:])
    check("%s: no leaked object is called unreferenced (%d listed)" % (tag, len(listed)),
          not listed & set(truth), "%d leaked listed" % len(listed & set(truth)))
    check("%s: the summary counts what it lists" % tag,
          re.search(r"\b%d of \d+ live objects unreferenced" % len(listed), err) is not None,
          err[-300:])
    crash_listed = {int(l, 16) for l in crash_out.splitlines() if re.match(r"^[0-9a-f]{16}$", l)}
    check("%s: crash leakscan -u lists the same objects" % tag, crash_listed == listed,
          "crash %d, program %d" % (len(crash_listed), len(listed)))


def test_referrers(tag, d, m, sampled, crash_out):
    mkd, module = os.path.join(d, m["vmcore-mkd"]), m["module"].split()[0]
    for addr in sampled:
        rc, out, err = run(["--refs", "%x" % addr, mkd])
        refs = referrers(out)
        held = [w for w, _, label in refs if label == "leaked [%s]" % module]
        check("%s: %x is held by leaked [%s]" % (tag, addr, module),
              rc in (0, 4) and len(held) == 1, out[-400:] + err[-200:])
        crash_refs = referrers(crash_out["refs%x" % addr])
        check("%s: crash leakrefs %x gives the same referrers" % (tag, addr),
              sorted(crash_refs) == sorted(refs), "crash %s, program %s" % (crash_refs, refs))
        hits = search_hits(crash_out["search%x" % addr])
        starts = {w for w, off, _ in refs if off == 0}
        missing = [w for w in starts if w not in hits]
        check("%s: every referrer of %x that holds its start is a search -k hit" % (tag, addr),
              not missing, "not found by crash: %s" % [hex(w) for w in missing])
        roots_only = {h for h in hits if h >= VMALLOC_AND_MODULES and h < 0xffffffff80000000
                      or h >= 0xffffffffc0000000}
        check("%s: every search -k hit of %x in module/vmalloc space is a referrer" % (tag, addr),
              roots_only <= starts, "missed: %s" % [hex(h) for h in roots_only - starts])


def leak_cluster(doc, truth):
    """The cluster holding most of the truth, by its shown members."""
    for c in doc.get("clusters", []):
        if any(int(a, 16) in truth for a in c["members"]):
            return c
    return None


def test_cluster_holders(tag, d, m, truth, crash_json):
    mkd, module = os.path.join(d, m["vmcore-mkd"]), m["module"].split()[0]
    rc, out, err = run(["-r", "-j", mkd, m["cache"]])
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    c = leak_cluster(doc, set(truth))
    check("%s: -r -j gives the leak's cluster" % tag, rc in (0, 4) and c is not None,
          err[-300:])
    if c is None:
        return
    top = c["referrers"][0] if c["referrers"] else {}
    check("%s: -r: the leak's cluster is held by leaked [%s], every member" % (tag, module),
          top.get("where") == "leaked [%s]" % module and top.get("held") == c["count"]
          and c["referenced"] == c["count"] and c["unreferenced"] == 0,
          "top %s, referenced %s, unreferenced %s" % (top, c["referenced"], c["unreferenced"]))
    check("%s: -r: the owner guess names the holder" % tag,
          "leaked [%s]" % module in c["owner"]["guess"] and
          any(e["signal"] == "holder" for e in c["owner"]["evidence"]), c["owner"]["guess"])
    try:	# crash's own notes share the file: the document is the { line
        crash_doc = json.loads(next(l for l in crash_json.splitlines()
                                    if l.startswith("{")))
    except (ValueError, StopIteration):
        crash_doc = {}
    strip = lambda doc: [(k["rank"], k.get("referrers"), k.get("unreferenced"))
                         for k in doc.get("clusters", [])]
    check("%s: crash leakscan -r -j gives the same holders" % tag,
          strip(crash_doc) == strip(doc), "crash %s" % strip(crash_doc)[:2])
    plain = json.loads(run(["-j", mkd, m["cache"]])[1])
    check("%s: without -r the JSON carries no referrers" % tag,
          all("referrers" not in k for k in plain["clusters"]))


def crash_commands(m, sampled):
    cmds = [("unref", "leakscan -u %s" % m["cache"]),
            ("holders", "leakscan -r -j %s" % m["cache"])]
    for addr in sampled:
        cmds += [("refs%x" % addr, "leakrefs %x" % addr),
                 ("search%x" % addr, "search -k %x" % addr)]
    return cmds


def test_sample(d, so):
    m = read_manifest(d)
    tag = os.path.basename(d)
    truth, sampled = sample_truth(d, m)
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(m["vmlinux"], os.path.join(d, m["vmcore-mkd"]), so,
                        crash_commands(m, sampled), tmp)
    test_unreferenced(tag, d, m, truth, out["unref"])
    test_referrers(tag, d, m, sampled, out)
    test_cluster_holders(tag, d, m, truth, out["holders"])


def main():
    samples, so = sys.argv[1], os.path.abspath(sys.argv[2])
    dirs = sample_dirs(samples)
    check("refs: samples present in %s" % samples, len(dirs) >= 3,
          "found %d (run make samples)" % len(dirs))
    for d in dirs:
        test_sample(d, so)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
