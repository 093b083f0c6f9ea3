#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Referrers and unreferenced objects (leakscan --refs / -u, crash leakrefs /
leakscan -u) on the 6.1 samples, against the truth the modules printed and
against crash's own search -k.

Every leaked object of S1-S3 is held by the module's static leaked[] array,
so: no leaked object may be called unreferenced, and each sampled leaked
object's referrers must include leaked [MODULE].  S6 (its manifest names
truth-lost-* files) has true leaks: lost sk_buffs (heads in
skbuff_head_cache, data in kmalloc-8k) and lost objects of the module's own
cache leakext_lost, beside held ones.  -u must find >= 95% of each lost set
and all of leakext_lost's, and call no held object unreferenced; held
objects are held by the module's arrays (held_skbs[], records[]) and held
data by its sk_buff's head and data members, which both front ends must
name ("skbuff_head_cache +200 (sk_buff.head)": typed views).  crash's search -k ADDR
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
import time

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


def read_truth(d, name):
    with open(os.path.join(d, name)) as f:
        return [int(l.split()[-1], 16) for l in f if l.strip()]


def spread(addrs, n=SAMPLED):
    return addrs[::max(1, len(addrs) // n)][:n]


def sample_truth(d, m):
    truth = read_truth(d, m["truth"])
    return truth, spread(truth)


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


def test_referrers(tag, d, m, sampled, crash_out, array="leaked"):
    mkd, module = os.path.join(d, m["vmcore-mkd"]), m["module"].split()[0]
    holder = "%s [%s]" % (array, module)
    for addr in sampled:
        rc, out, err = run(["--refs", "%x" % addr, mkd])
        refs = referrers(out)
        held = [w for w, _, label in refs if label == holder]
        check("%s: %x is held by %s" % (tag, addr, holder),
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
    rc, out, err = run(["-j", mkd, m["cache"]])
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    c = leak_cluster(doc, set(truth))
    check("%s: -j gives the leak's cluster" % tag, rc in (0, 4) and c is not None,
          err[-300:])
    if c is None:
        return
    top = c["referrers"][0] if c["referrers"] else {}
    check("%s: holders by default: the leak's cluster is held by leaked [%s], every member" % (
              tag, module),
          top.get("where") == "leaked [%s]" % module and top.get("held") == c["count"]
          and c["referenced"] == c["count"] and c["unreferenced"] == 0,
          "top %s, referenced %s, unreferenced %s" % (top, c["referenced"], c["unreferenced"]))
    check("%s: the owner guess names the holder" % tag,
          "leaked [%s]" % module in c["owner"]["guess"] and
          any(e["signal"] == "holder" for e in c["owner"]["evidence"]), c["owner"]["guess"])
    try:	# crash's own notes share the file: the document is the { line
        crash_doc = json.loads(next(l for l in crash_json.splitlines()
                                    if l.startswith("{")))
    except (ValueError, StopIteration):
        crash_doc = {}
    strip = lambda doc: [(k["rank"], k.get("referrers"), k.get("unreferenced"))
                         for k in doc.get("clusters", [])]
    check("%s: crash leakscan -j gives the same holders" % tag,
          strip(crash_doc) == strip(doc), "crash %s" % strip(crash_doc)[:2])
    check("%s: -r (before holders were the default) changes nothing" % tag,
          run(["-r", "-j", mkd, m["cache"]])[1] == out)
    plain = json.loads(run(["-H", "-j", mkd, m["cache"]])[1])
    check("%s: with -H the JSON keeps the holder keys, null" % tag,
          all(k["referrers"] is None and k["unreferenced"] is None
              for k in plain["clusters"]))


def test_type_hint(tag, d, m, crash_text):
    """--cache-type / -T: a cache's objects named by a struct the user gives
    (list_head: S2's records start with one, linked to each other)."""
    mkd, cache = os.path.join(d, m["vmcore-mkd"]), m["cache"]
    rc, out, err = run(["-r", "-n", "1", "--cache-type=%s=list_head" % cache, mkd, cache])
    labels = re.findall(r"%s \+\d+ \(list_head\.\w+\)" % re.escape(cache), out)
    check("%s: --cache-type names the members of %s's holders" % (tag, cache),
          rc in (0, 4) and "%s +0 (list_head.next)" % cache in labels, out[-600:])
    crash_labels = re.findall(r"%s \+\d+ \(list_head\.\w+\)" % re.escape(cache),
                              crash_text)
    check("%s: crash leakscan -T gives the same names" % tag,
          sorted(crash_labels) == sorted(labels), "crash %s, program %s" % (
              crash_labels, labels))
    rc, out, err = run(["--cache-type=%s" % cache, mkd])
    check("%s: --cache-type without =TYPE is a usage error" % tag,
          rc == 2 and "--cache-type takes CACHE=TYPE" in err, err[-200:])


def crash_commands(m, sampled):
    cmds = [("unref", "leakscan -u %s" % m["cache"]),
            ("hint", "leakscan -r -n 1 -T %s=list_head %s" % (m["cache"], m["cache"])),
            ("holders", "leakscan -j %s" % m["cache"])]
    for addr in sampled:
        cmds += [("refs%x" % addr, "leakrefs %x" % addr),
                 ("search%x" % addr, "search -k %x" % addr)]
    return cmds


# S6: the lost and held sets of each cache, by manifest field.
LOST_SETS = [("skbuff_head_cache", "truth-lost-skb", "truth-held-skb", 0.95),
             ("kmalloc-8k", "truth-lost-data", "truth-held-data", 0.95),
             ("leakext_lost", "truth-lost-obj", "truth-held-obj", 1.0)]


def test_lost_set(tag, mkd, cache, lost, held, share, crash_out):
    start = time.monotonic()
    rc, out, err = run(["-u", mkd, cache])
    took = time.monotonic() - start
    listed = {int(l, 16) for l in out.split()}
    found, wrong = len(listed & lost), len(listed & held)
    stray = len(listed - lost - held)
    check("%s: leakscan -u %s runs (rc 0 or 4, %.1f s)" % (tag, cache, took),
          rc in (0, 4), err[-300:])
    check("%s: -u %s finds %d of %d lost objects (at least %d%%)" % (
              tag, cache, found, len(lost), share * 100),
          lost and found >= share * len(lost))
    check("%s: -u %s calls none of the %d held objects unreferenced" % (tag, cache, len(held)),
          held and not wrong, "%d held listed" % wrong)
    if share == 1.0:
        check("%s: -u %s lists exactly the lost objects (%d others)" % (tag, cache, stray),
              listed == lost)
    else:
        check("%s: -u %s lists few objects outside the truth (%d of %d)" % (
                  tag, cache, stray, len(listed)), stray <= 0.01 * max(len(listed), 1))
    crash_listed = {int(l, 16) for l in crash_out.splitlines()
                    if re.match(r"^[0-9a-f]{16}$", l)}
    check("%s: crash leakscan -u %s lists the same objects" % (tag, cache),
          crash_listed == listed, "crash %d, program %d" % (len(crash_listed), len(listed)))


# Typed views: the words of a held data buffer's sk_buff that point at it
# (6.1's struct sk_buff: head at +200, data at +208), as labelled.
SKB_WORDS = {200: "skbuff_head_cache +200 (sk_buff.head)",
             208: "skbuff_head_cache +208 (sk_buff.data)"}


def held_data_sample(d, m):
    skbs, data = read_truth(d, m["truth-held-skb"]), read_truth(d, m["truth-held-data"])
    picks = range(0, len(data), max(1, len(data) // SAMPLED))[:SAMPLED]
    return [(skbs[i], data[i]) for i in picks]


def check_typed_labels(tag, who, skb, data, text):
    """Both words of skb that hold data (unused: none) carry their member name."""
    labels = {w - skb: label for w, off, label in referrers(text)
              if off == 0 and skb <= w < skb + 232}
    check("%s: %s names the sk_buff members holding data %x" % (tag, who, data),
          all(labels.get(off) == want for off, want in SKB_WORDS.items()),
          "got %s" % labels)


def test_held_data(tag, mkd, d, m, crash_out):
    """A held data buffer's referrers include its own sk_buff's head member,
    labelled with the member's name by the program and by crash's leakrefs."""
    for skb, data in held_data_sample(d, m):
        rc, out, err = run(["--refs", "%x" % data, mkd])
        holders = [w for w, off, label in referrers(out)
                   if off == 0 and label.startswith("skbuff_head_cache +")]
        check("%s: held data %x is referenced from its sk_buff %x" % (tag, data, skb),
              rc in (0, 4) and any(skb <= w < skb + 232 for w in holders),
              out[-400:] + err[-200:])
        check_typed_labels(tag, "leakscan --refs", skb, data, out)
        check_typed_labels(tag, "crash leakrefs", skb, data,
                           crash_out.get("refs%x" % data, ""))


HEAD_POINTER = re.compile(r"^\s+(?:pointers)?\s+\+200\s+\(sk_buff\.head\) -> kmalloc-8k \(")


def test_typed_pointers(tag, mkd, crash_out):
    """The cluster report's pointer lines name sk_buff's members too."""
    rc, out, err = run([mkd, "skbuff_head_cache"])
    for who, text in (("leakscan", out), ("crash leakscan", crash_out)):
        check("%s: %s skbuff_head_cache: +200 (sk_buff.head) -> kmalloc-8k" % (tag, who),
              any(HEAD_POINTER.match(l) for l in text.splitlines()),
              "\n".join(l for l in text.splitlines() if "->" in l)[:400])


def test_lost_cluster(tag, mkd, d, m):
    """The kmalloc-8k report (holders by default): the frames' cluster is
    held by sk_buff heads, the lost ones counted both as unreferenced
    members and as lost holders."""
    lost = set(read_truth(d, m["truth-lost-data"]))
    held = set(read_truth(d, m["truth-held-data"]))
    rc, out, err = run(["-j", mkd, "kmalloc-8k"])
    c = leak_cluster(json.loads(out) if out.startswith("{") else {}, lost | held)
    check("%s: -r: the frames' cluster is found" % tag, rc in (0, 4) and c is not None,
          err[-300:])
    if c is None:
        return
    top = c["referrers"][0] if c["referrers"] else {}
    check("%s: -r: held by skbuff_head_cache +200, every member" % tag,
          top.get("where", "").startswith("skbuff_head_cache +200")
          and top.get("held") == c["count"] == len(lost | held), "top %s" % top)
    # An unreferenced frame's only holder is a lost sk_buff, so there are at
    # least as many lost holders as unreferenced frames; not always as few:
    # a stale word (conservative scanning; on a CI build one on a cached free
    # stack, no root since) can reach a frame whose sk_buff is lost.
    holders = top.get("lost_holders", -1)
    check("%s: -r: %d of the frames unreferenced, %d holding sk_buffs lost" % (
              tag, len(lost), len(lost)),
          0.95 * len(lost) <= c["unreferenced"] <= holders <= len(lost),
          "unreferenced %s, lost holders %s" % (c["unreferenced"], holders))
    # the module builds every frame 10.0.2.15 -> 10.0.2.2, UDP to port 514,
    # and gives every sk_buff dev lo and protocol ETH_P_IP (leak_skb.c)
    check("%s: -r: the frame is decoded" % tag,
          re.search(r"IPv4 10\.0\.2\.15 > 10\.0\.2\.2, UDP \d+ > 514",
                    c.get("frame", "")) is not None, c.get("frame"))
    check("%s: -r: the holding sk_buffs' device and protocol" % tag,
          c.get("holder_note", "").startswith(
              "the head of sk_buffs: dev lo, protocol 0x0800 (IPv4) (32/32"),
          c.get("holder_note"))
    check("%s: -r: the owner guess says the frames are lost" % tag,
          "true leak" in c["owner"]["guess"]
          and any(e["signal"] == "orphans" for e in c["owner"]["evidence"]),
          c["owner"]["guess"])


def test_types_agree(tag, d, so, m, out):
    """crash's type answers from the dump's BTF (the default) and from gdb
    (LEAKEXT_CRASH_TYPES=gdb) give the same bytes: the typed holder labels,
    leakrefs' member names and the cluster report."""
    data = [data for _, data in held_data_sample(d, m)][:1]
    cmds = [("skbs", "leakscan skbuff_head_cache")]
    cmds += [("refs%x" % addr, "leakrefs %x" % addr) for addr in data]
    with tempfile.TemporaryDirectory() as tmp:
        gdb = run_crash(m["vmlinux"], os.path.join(d, m["vmcore-mkd"]), so, cmds, tmp,
                        {"LEAKEXT_CRASH_TYPES": "gdb"})
    for key, _ in cmds:
        check("%s: crash %s: the same output with types from BTF and from gdb" % (tag, key),
              out[key] and out[key] == gdb[key],
              "BTF %d bytes, gdb %d bytes" % (len(out[key]), len(gdb[key])))


def test_lost_sample(d, so, m):
    tag = os.path.basename(d)
    mkd = os.path.join(d, m["vmcore-mkd"])
    held_skbs = spread(read_truth(d, m["truth-held-skb"]), 2)
    held_objs = spread(read_truth(d, m["truth-held-obj"]), 2)
    cmds = [("unref-%s" % c, "leakscan -u %s" % c) for c, _, _, _ in LOST_SETS]
    for addr in held_skbs + held_objs:
        cmds += [("refs%x" % addr, "leakrefs %x" % addr),
                 ("search%x" % addr, "search -k %x" % addr)]
    cmds += [("refs%x" % data, "leakrefs %x" % data) for _, data in held_data_sample(d, m)]
    cmds += [("skbs", "leakscan skbuff_head_cache")]
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(m["vmlinux"], mkd, so, cmds, tmp)
    for cache, lost, held, share in LOST_SETS:
        test_lost_set(tag, mkd, cache, set(read_truth(d, m[lost])),
                      set(read_truth(d, m[held])), share, out["unref-%s" % cache])
    test_referrers(tag, d, m, held_skbs, out, "held_skbs")
    test_referrers(tag, d, m, held_objs, out, "records")
    test_held_data(tag, mkd, d, m, out)
    test_typed_pointers(tag, mkd, out["skbs"])
    test_lost_cluster(tag, mkd, d, m)
    test_types_agree(tag, d, so, m, out)


def test_sample(d, so):
    m = read_manifest(d)
    if "truth-lost-obj" in m:
        test_lost_sample(d, so, m)
        return
    tag = os.path.basename(d)
    truth, sampled = sample_truth(d, m)
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(m["vmlinux"], os.path.join(d, m["vmcore-mkd"]), so,
                        crash_commands(m, sampled), tmp)
    test_unreferenced(tag, d, m, truth, out["unref"])
    test_referrers(tag, d, m, sampled, out)
    test_cluster_holders(tag, d, m, truth, out["holders"])
    if m["cache"] == "kmalloc-192":
        test_type_hint(tag, d, m, out["hint"])


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
