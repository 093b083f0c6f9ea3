#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""page_owner and large kmalloc allocations (issue #27) on the S10 sample
(make-samples S10), against what the guest printed before the dump:
page_owner's own text of the big allocation (page-owner.txt), its
/proc/allocinfo line (truth-allocinfo in the manifest) and the module's
truth (truth-big: address, bytes, pfn, order; truth-big-site).

- leakscan --large finds the allocation at truth-big's address, order 10,
  with page_owner's pid, tgid, comm, gfp and timestamp, and a stack whose
  every frame names the function page_owner's text names (module frames
  with their module, unnamed ones as the same address), owner
  alloctag_big_alloc [leak_alloctag], and the alloc tag site equal to
  allocinfo's line; the same in JSON.
- The ranking's line counts the large allocations, text and JSON.
- The lost objects' cluster has a page-owner evidence line naming the
  module's function as who grew its slabs, and the guess stays the alloc
  tag's.
- On S1 (no page_owner, no page type) --large says it cannot tell them.

Exact on vmcore.kdump.  usage: pageowner.py S10_SAMPLE_DIR [S1_SAMPLE_DIR]
"""
import json
import os
import re
import sys

from common import RESULTS, check, read_manifest, run_leakscan

HEADER = re.compile(r"order (\d+), mask (0x[0-9a-f]+)\S*, pid (\d+), tgid (\d+) \((.*)\), ts (\d+) ns")
FRAME = re.compile(r"^\s+(\S+?)(?:\+0x[0-9a-f]+/0x[0-9a-f]+)?(?: \[(\S+)\])?\s*$")
OURS = re.compile(r"^(\S+?)(?:\+0x[0-9a-f]+)?(?: \[(\S+)\])?$")


def run(args):
    rc, out, err = run_leakscan(args)
    return rc, out.decode(errors="replace"), err.decode(errors="replace")


def page_owner_text(path):
    """page_owner's header numbers and its frames as (name, module)."""
    with open(path) as f:
        lines = f.read().splitlines()
    head = HEADER.search(lines[0])
    frames = []
    for line in lines[2:]:
        m = FRAME.match(line)
        if m:
            frames.append((m.group(1), m.group(2) or ""))
    return head, frames


def our_frames(stack):
    out = []
    for text in stack:
        m = OURS.match(text)
        out.append((m.group(1), m.group(2) or "") if m else (text, ""))
    return out


def truth_site(m):
    """The manifest's truth-allocinfo line of truth-big-site."""
    with open(os.path.join(m["_dir"], "manifest")) as f:
        for line in f:
            if line.startswith("truth-allocinfo") and \
               line.rstrip().endswith("func:" + m["truth-big-site"]):
                parts = line.split()
                fileline = parts[3].rsplit(":", 1)
                return {"bytes": int(parts[1]), "calls": int(parts[2]),
                        "file": fileline[0], "line": int(fileline[1]),
                        "module": parts[4].strip("[]"), "function": m["truth-big-site"]}
    return None


def find_alloc(doc, addr):
    for g in doc.get("large_allocs", {}).get("groups", []):
        for a in g.get("allocations", []):
            if int(a["address"], 16) == addr:
                return g, a
    return None, None


def test_json(m, vmcore, head, frames, big):
    addr, size, pfn, order = int(big[0], 16), int(big[1]), int(big[2], 16), int(big[3])
    rc, out, err = run(["--large", "-j", m["vmlinux"], vmcore])
    doc = json.loads(out) if rc == 0 else {}
    g, a = find_alloc(doc, addr)
    check("S10: --large -j finds the %d-byte allocation at %#x" % (size, addr),
          rc == 0 and a is not None, "rc %d, %s" % (rc, err.strip()[:200]))
    if a is None:
        return
    la = doc["large_allocs"]
    check("S10: found by the page_owner stack, page_owner and alloc tags on",
          la["basis"] == "page_owner_stack" and la["page_owner"] and la["alloc_tags"],
          json.dumps({k: la[k] for k in ("basis", "page_owner", "alloc_tags")}))
    check("S10: order %d, pfn %#x, %d bytes (%d requested)" % (order, pfn, 4096 << order, size),
          a["order"] == order == int(head.group(1)) and a["pfn"] == pfn and
          a["bytes"] == 4096 << order and a["bytes"] >= size,
          json.dumps({k: a[k] for k in ("order", "pfn", "bytes")}))
    want = {"pid": int(head.group(3)), "tgid": int(head.group(4)), "comm": head.group(5),
            "ts_nsec": int(head.group(6)), "gfp": head.group(2)}
    got = {k: a.get(k) for k in want}
    check("S10: page_owner's pid, tgid, comm, gfp and time equal page-owner.txt's",
          got == want, "ours %s, page_owner %s" % (got, want))
    ours = our_frames(a["stack"])
    check("S10: the %d frames equal page-owner.txt's, name by name" % len(frames),
          len(frames) > 5 and ours == frames,
          "\n      ours %s\n      page_owner %s" % (ours, frames))
    check("S10: the owner is %s [leak_alloctag]" % m["truth-big-site"],
          g["owner"] == "%s [leak_alloctag]" % m["truth-big-site"], g["owner"])
    site, want_site = g.get("alloc_site") or {}, truth_site(m)
    got_site = {k: site.get(k) for k in ("file", "line", "module", "function")}
    check("S10: its alloc tag site is allocinfo's line (file, line, module, function)",
          want_site is not None and
          got_site == {k: want_site[k] for k in got_site} and
          want_site["bytes"] == a["bytes"] and want_site["calls"] == 1,
          "ours %s, allocinfo %s" % (got_site, want_site))
    check("S10: largest group first, the big one is group 1",
          la["groups"][0] is g and
          [x["bytes"] for x in la["groups"]] == sorted((x["bytes"] for x in la["groups"]),
                                                     reverse=True), "")
    rc, out, _ = run(["--large", "-j", "-R", m["vmlinux"], vmcore])
    g, a = find_alloc(json.loads(out) if rc == 0 else {}, addr)
    check("S10: -R keeps the stack and drops the preview",
          a is not None and "preview_hex" not in a and len(a["stack"]) == len(frames), "")


def test_text(m, vmcore, frames, big):
    addr = int(big[0], 16)
    rc, out, _ = run(["--large", m["vmlinux"], vmcore])
    lines = out.splitlines()
    group = [i for i, l in enumerate(lines) if l.startswith("GROUP 1: ")]
    check("S10: --large's text: group 1 is %s [leak_alloctag], its allocation at %#x" %
          (m["truth-big-site"], addr),
          rc == 0 and group and
          lines[group[0]].startswith("GROUP 1: %s [leak_alloctag]: 1 allocations, 4194304 bytes" %
                                     m["truth-big-site"]) and
          any(l.strip().startswith("%#x  order 10" % addr) for l in lines),
          "rc %d" % rc)
    owner = [l for l in lines if l.endswith("<- owner")]
    check("S10: the text marks alloctag_big_alloc's frame as the owner",
          owner and owner[0].split()[0].startswith(m["truth-big-site"] + "+"), str(owner[:1]))
    preview = [l for l in lines if l.strip().startswith("preview: ")]
    check("S10: the preview is the buffer's text, escaped",
          preview and preview[0].strip().startswith('preview: "leakext big buffer') and
          all(32 <= ord(c) < 127 for c in preview[0].strip()), str(preview[:1]))


def test_ranking(m, vmcore):
    rc, out, _ = run([m["vmlinux"], vmcore])
    line = [l for l in out.splitlines() if l.endswith("leakscan --large lists them)")]
    rcj, js, _ = run(["-j", m["vmlinux"], vmcore])
    rcl, large, _ = run(["--large", "-j", m["vmlinux"], vmcore])
    la = json.loads(large)["large_allocs"] if rcl == 0 else {}
    doc = json.loads(js) if rcj == 0 else {}
    check("S10: the ranking's line and JSON count the large allocations as --large does",
          rc == 0 and len(line) == 1 and int(line[0].split()[2]) == la.get("count") and
          doc.get("large_allocs") == {"count": la.get("count"), "bytes": la.get("bytes")},
          "%s, %s" % (line, doc.get("large_allocs")))


def test_slab_evidence(m, vmcore):
    """The lost objects' cluster: its slabs were grown by the module's
    allocating function; the line is evidence only, the guess stays the
    alloc tag's."""
    cache, site = m["truth-lost-cache"], m["truth-lost-site"]
    rc, out, _ = run(["-j", "-H", "-n", "1", m["vmlinux"], vmcore, cache])
    doc = json.loads(out) if rc == 0 else {}
    owner = ((doc.get("clusters") or [{}])[0]).get("owner", {})
    lines = [e["text"] for e in owner.get("evidence", []) if e["signal"] == "page-owner"]
    want = re.compile(r"^(\d+)/(\d+) sampled members sit in slabs allocated under %s "
                      r"\[leak_alloctag\] \(page_owner" % site)
    m2 = want.match(lines[0]) if lines else None
    check("S10: %s cluster 1's page-owner evidence: its slabs grown under %s [leak_alloctag]" %
          (cache, site), m2 is not None and m2.group(1) == m2.group(2),
          "rc %d, %s" % (rc, lines))
    check("S10: the guess stays the alloc tag's, %s() [leak_alloctag], confidence high" % site,
          owner.get("guess") == "%s() [leak_alloctag]" % site and
          owner.get("confidence") == "high", json.dumps(owner)[:200])


def test_s1(d1):
    m = read_manifest(d1)
    rc, out, err = run(["--large", m["vmlinux"], os.path.join(d1, m["vmcore-kdump"])])
    check("S1: --large says large kmalloc allocations cannot be told without page_owner",
          rc != 0 and not out and "cannot be told" in err and "page_owner=on" in err,
          "rc %d, %s" % (rc, err.strip()[:200]))
    rc, out, err = run(["--large", "-j", m["vmlinux"], os.path.join(d1, m["vmcore-kdump"])])
    check("S1: --large -j: no document, the message", rc != 0 and "cannot be told" in err,
          "rc %d" % rc)


def main():
    d = sys.argv[1]
    m = read_manifest(d)
    m["_dir"] = d
    kdump = os.path.join(d, m["vmcore-kdump"])
    head, frames = page_owner_text(os.path.join(d, m["page-owner"]))
    big = m["truth-big"].split()
    test_json(m, kdump, head, frames, big)
    test_text(m, kdump, frames, big)
    test_ranking(m, kdump)
    test_slab_evidence(m, kdump)
    rc, _, err = run(["--large", m["vmlinux"], kdump, m["cache"]])
    check("S10: --large with a cache is refused", rc != 0 and "--large" in err, "rc %d" % rc)
    if len(sys.argv) > 2 and os.path.isfile(os.path.join(sys.argv[2], "manifest")):
        test_s1(sys.argv[2])
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
