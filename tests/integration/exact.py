#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The program on a sample that carries drgn's answers and the modules'
truth, with no crash to compare with (S8-arm64: crash here reads x86_64
only).  For every dump form the manifest lists (vmcore-elf,
vmcore-proc-elf, vmcore-kdump, vmcore-mkd) and every symbol source it
allows (the debug vmlinux; its System.map with the dump's own BTF; the
dump alone when its kallsyms names data):

  - the ranking: every cache's live count equals drgn's, none flagged;
  - the live set of every cache drgn listed equals drgn's list;
  - the leak: cluster 1 of the leaked cache is the /proc/schedstat text,
    exactly the buffers the module leaked, held by the module;
  - the lost objects (truth-lost-*): -u lists every lost object of the
    module's own cache and no other, >= 95% of the lost sk_buffs and
    frames, and none of the held ones.

  - the modules' printed live sets (truth-live-file, truth-pcpu-live), and
    the module's own cache leakext_lost: exactly its lost and held records;
  - on an x86_64 sample, with LEAKSO set, the crash extension: each
    drgn-listed cache's live set (leakscan -l) and the leak cluster
    through the SLAB-era alias size-4096.

usage: exact.py SAMPLE_DIR...   (LEAKSO=leakext.so for the crash checks)

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import json
import re
import os
import sys
import tempfile
import time

from common import RESULTS, check, read_manifest, run_leakscan

FORMS = ("vmcore-elf", "vmcore-proc-elf", "vmcore-kdump", "vmcore-mkd")
LOST_SETS = [("skbuff_head_cache", "truth-lost-skb", "truth-held-skb", 0.95),
             ("kmalloc-8k", "truth-lost-data", "truth-held-data", 0.95),
             ("leakext_lost", "truth-lost-obj", "truth-held-obj", 1.0)]


def run(args):
    rc, out, err = run_leakscan(args)
    return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def addresses(path):
    with open(path) as f:
        return {int(l.split()[-1], 16) for l in f if l.strip()}


def listed(out):
    return {int(l, 16) for l in out.split()}


def dumps(d, m):
    return [(k[len("vmcore-"):], os.path.join(d, m[k])) for k in FORMS
            if m.get(k, "-") != "-" and os.path.isfile(os.path.join(d, m[k]))]


def symbol_sources(m):
    """(label, leading arguments): the vmlinux, and its System.map."""
    sources = [("vmlinux", [m["vmlinux"]])]
    if os.path.isfile(m.get("system-map", "")):
        sources.append(("System.map", [m["system-map"]]))
    return sources


def drgn_counts(d, m):
    with open(os.path.join(d, m["drgn-counts"])) as f:
        return {name: int(count) for name, count in (l.split() for l in f if l.strip())}


def test_ranking(tag, d, m, args):
    start = time.monotonic()
    rc, out, err = run(["-j", "-a"] + args)
    took = time.monotonic() - start
    try:
        doc = json.loads(out)
    except ValueError:
        check("%s: the ranking is one JSON document" % tag, False, err[-300:])
        return
    got = {c["name"]: c["live"] for c in doc["caches"]}
    flagged = [c["name"] for c in doc["caches"] if not c["integrity"]["ok"]]
    if m.get("drgn-counts", "-") != "-":	# S9-i386: drgn 0.0.22 reads no i386 dump
        want = drgn_counts(d, m)
        differ = sorted(n for n in set(got) | set(want) if got.get(n, 0) != want.get(n, 0))
        check("%s: ranking: all %d caches' live counts equal drgn's (%.1f s)" % (
                  tag, len(want), took), not differ,
              ", ".join("%s %s/%s" % (n, got.get(n), want.get(n)) for n in differ[:8]))
    check("%s: ranking: complete, exit 0, no cache flagged" % tag,
          rc == 0 and doc.get("complete") and not flagged, "rc %d, %s" % (rc, flagged[:5]))


def test_text_addresses(tag, m, args):
    """Cache addresses in text as crash prints them: 8 digits on i386."""
    digits = 8 if m.get("arch") == "i386" else 16
    _, out, _ = run(["-a"] + args)
    _, doc, _ = run(["-j", "-a"] + args)
    _, report, _ = run(args + [m["cache"]])
    try:
        want = {int(c["address"], 16) if isinstance(c["address"], str) else c["address"]
                for c in json.loads(doc)["caches"]}
    except (ValueError, KeyError):
        check("%s: text addresses: the ranking's JSON" % tag, False, doc[-300:])
        return
    rows = [l.split()[0] for l in out.splitlines()[1:] if re.match(r"^[0-9a-f]+  ", l)]
    head = [l.split()[0] for l in report.splitlines()[1:2]]
    check("%s: text: %d cache addresses of %d digits, the JSON's; the report's header too" % (
              tag, len(rows), digits),
          rows and all(len(a) == digits for a in rows + head) and
          {int(a, 16) for a in rows} == want and head and int(head[0], 16) in want,
          "%s / %s" % (rows[:3], head))


def drgn_lists(m):
    lists = {m["cache"]: m["drgn-objects"]} if "drgn-objects" in m else {}
    for k, v in m.items():
        if k.startswith("drgn-objects-"):
            lists[k[len("drgn-objects-"):]] = v
    return lists


def test_live_sets(tag, d, m, args):
    for cache, name in sorted(drgn_lists(m).items()):
        want = addresses(os.path.join(d, name))
        rc, out, err = run(["-l"] + args + [cache])
        got = listed(out)
        check("%s: %s: the live set equals drgn's (%d)" % (tag, cache, len(want)),
              rc == 0 and got == want, "rc %d, %d missing, %d extra %s" % (
                  rc, len(want - got), len(got - want), err[-200:]))


def test_leak_cluster(tag, d, m, args):
    truth = addresses(os.path.join(d, m["truth"]))
    rc, out, err = run(["-l"] + args + [m["cache"]])
    check("%s: %s: every one of the %d leaked buffers is live" % (tag, m["cache"], len(truth)),
          rc == 0 and truth <= listed(out), "%d missing" % len(truth - listed(out)))
    rc, out, err = run(["-j"] + args + [m["cache"]])
    clusters = json.loads(out)["clusters"] if out.startswith("{") else []
    if not clusters:
        check("%s: %s: -r -j gives clusters" % (tag, m["cache"]), False, err[-300:])
        return
    top = clusters[0]
    check("%s: %s: cluster 1 is the /proc/schedstat text" % (tag, m["cache"]),
          top["kind"] == "text" and top["preview"].startswith("version "), top["preview"][:40])
    _, out, _ = run(["-l", "-k", "1"] + args + [m["cache"]])
    check("%s: %s: cluster 1 is exactly the %d leaked buffers" % (tag, m["cache"], len(truth)),
          listed(out) == truth, "%d members" % len(listed(out)))
    module = m["module"].split()[0].split(":")[0]
    holder = top["referrers"][0] if top.get("referrers") else {}
    check("%s: %s: cluster 1 is held by %s, every member" % (tag, m["cache"], module),
          module in holder.get("where", "") and holder.get("held") == len(truth),
          "top referrer %s" % holder)


def test_lost_sets(tag, d, m, args):
    for cache, lost_name, held_name, share in LOST_SETS:
        if lost_name not in m:
            continue
        lost = addresses(os.path.join(d, m[lost_name]))
        held = addresses(os.path.join(d, m[held_name]))
        rc, out, err = run(["-u"] + args + [cache])
        got = listed(out)
        found, wrong, stray = len(got & lost), len(got & held), len(got - lost - held)
        check("%s: -u %s finds %d of %d lost objects (at least %d%%)" % (
                  tag, cache, found, len(lost), share * 100),
              rc == 0 and lost and found >= share * len(lost), err[-200:])
        check("%s: -u %s calls none of the %d held objects unreferenced" % (
                  tag, cache, len(held)), held and not wrong, "%d held listed" % wrong)
        check("%s: -u %s lists %s outside the truth (%d)" % (
                  tag, cache, "nothing" if share == 1.0 else "few objects", stray),
              stray <= (0 if share == 1.0 else 0.01 * max(len(got), 1)))


TRUTH_LIVE = (("truth-cache", "truth-live-file"), ("truth-pcpu-cache", "truth-pcpu-live"))


def test_truth_live(tag, d, m, args):
    for cache_key, file_key in TRUTH_LIVE:
        if cache_key not in m or file_key not in m:
            continue
        want = addresses(os.path.join(d, m[file_key]))
        rc, out, err = run(["-l"] + args + [m[cache_key]])
        got = listed(out)
        check("%s: %s: the live set equals the module's (%d)" % (tag, m[cache_key], len(want)),
              rc == 0 and got == want, "%d missing, %d extra %s" % (
                  len(want - got), len(got - want), err[-200:]))


def test_crash(name, d, m, path):
    """The extension in crash, on an x86_64 sample: the same live sets, and
    size-4096 (SLAB's name for kmalloc-4k) finds the leak's cluster."""
    from peers import run_crash
    so = os.environ.get("LEAKSO")
    if not so or m.get("arch", "x86_64") != "x86_64":
        return
    lists = sorted(drgn_lists(m).items())
    cmds = [("l-%s" % c, "leakscan -l %s" % c) for c, _ in lists]
    cmds.append(("alias", "leakscan -n 1 size-4096"))
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(m["vmlinux"], path, so, cmds, tmp)
    for cache, listing in lists:
        want = addresses(os.path.join(d, listing))
        got = listed(out["l-%s" % cache])
        check("%s: crash leakscan -l %s equals drgn's list (%d)" % (name, cache, len(want)),
              got == want, "%d missing, %d extra" % (len(want - got), len(got - want)))
    if m["cache"] == "kmalloc-4k":
        text = out["alias"]
        check("%s: crash leakscan size-4096: kmalloc-4k, cluster 1 the schedstat text" % name,
              "kmalloc-4k" in text and '"version ' in text.split("CLUSTER 2")[0],
              text[:300])


def types_in_dump(tag, args):
    """With System.map the types are the dump's BTF: a kernel without it
    (Debian's 686-pae) is refused by name, and the source skipped."""
    rc, _, err = run(args)
    if rc == 1 and "has no BTF" in err:
        check("%s: a kernel without BTF is refused, naming the debug vmlinux" % tag,
              "debug vmlinux" in err, err[-300:])
        return False
    return True


def test_own_cache(tag, d, m, args):
    """The module's own cache holds exactly its records, lost or held: a
    live set known without a peer (S9, which drgn cannot read)."""
    if "truth-lost-obj" not in m or "truth-held-obj" not in m:
        return
    want = addresses(os.path.join(d, m["truth-lost-obj"])) | \
        addresses(os.path.join(d, m["truth-held-obj"]))
    rc, out, err = run(["-l"] + args + ["leakext_lost"])
    got = listed(out)
    check("%s: leakext_lost: the live set is exactly the module's %d records" % (tag, len(want)),
          rc == 0 and got == want, "%d missing, %d extra %s" % (
              len(want - got), len(got - want), err[-200:]))


def test_dump_only(tag, path):
    """Without vmlinux or System.map: exact when kallsyms names data, else a
    clear refusal naming the way out (Debian's arm64 kernels)."""
    rc, out, err = run([path])
    if rc == 0:
        check("%s: the dump alone ranks its caches" % tag, "kmalloc-4k" in out)
    else:
        check("%s: the dump alone: refused for lack of data symbols, naming System.map" % tag,
              rc == 1 and "CONFIG_KALLSYMS_ALL" in err and "System.map" in err, err[-300:])


def test_sample(d):
    m = read_manifest(d)
    name = os.path.basename(d.rstrip("/"))
    for form, path in dumps(d, m):
        test_dump_only("%s %s" % (name, form), path)
        for label, lead in symbol_sources(m):
            tag = "%s %s, %s" % (name, form, label)
            args = lead + [path]
            if label == "System.map" and not types_in_dump(tag, args):
                continue
            test_ranking(tag, d, m, args)
            test_text_addresses(tag, m, args)
            test_live_sets(tag, d, m, args)
            test_leak_cluster(tag, d, m, args)
            test_lost_sets(tag, d, m, args)
            test_truth_live(tag, d, m, args)
            test_own_cache(tag, d, m, args)
        test_crash("%s %s" % (name, form), d, m, path)


def main():
    for d in sys.argv[1:]:
        if os.path.isfile(os.path.join(d, "manifest")):
            test_sample(d)
        else:
            check("exact: a sample in %s" % d, False, "no manifest")
    failed = RESULTS.count(False)
    print("exact: %d passed, %d failed" % (len(RESULTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
