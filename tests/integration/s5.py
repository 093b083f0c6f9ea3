#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The standalone program on the Linux 6.12 sample (S5) against the truth
the modules printed: the constructor cache's live set and the schedstat
cluster, on the makedumpfile -R dump (vmcore.kdump) and on the
makedumpfile -c -d 31 dump (vmcore.mkd).  crash 8.0.2 and drgn 0.0.22
cannot read 6.12 dumps, so the modules' console output is the only peer.

Debian 12's makedumpfile (1.7.2) does not know 6.12: it cannot tell slab
pages by their page type, takes a cpu-partial slab whose 'slabs' count
(which overlays page->mapping) is odd for an anonymous user page, and
leaves it out at -d 31.  Where the mkd holds the memory, the answer must
be exact; every difference must lie in a slab with a page the file does not
hold (read from the file's own dump bitmap, not through leakscan), and such
a cache must be flagged.

usage: s5.py S5_SAMPLE_DIR

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import json
import os
import struct
import subprocess
import sys

from common import RESULTS, check, read_manifest

EXE = os.path.abspath(os.environ.get("LEAKEXT_LEAKSCAN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "leakscan"))
PAGE = 4096
# x86_64 KASLR places the direct map on a 1 GiB boundary (arch/x86/mm/kaslr.c
# rounds to PUD_SIZE) and the S5 guest has 512 MiB: the physical address of
# a direct-map address is its offset in its 1 GiB.
GIB = 1 << 30


def run(args):
    p = subprocess.run([EXE, "-q"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def read_addrs(path):
    with open(path) as f:
        return {int(l, 16) for l in f if l.strip()}


def dumped_pfns(path):
    """The pfns a kdump-compressed file holds: its second bitmap
    (makedumpfile's diskdump format: header block, sub-header blocks, then
    bitmap_blocks blocks of which the second half says what was dumped)."""
    with open(path, "rb") as f:
        head = f.read(448)
        if head[:8] != b"KDUMP   ":
            return None
        block_size, sub_hdr_size, bitmap_blocks, max_mapnr = \
            struct.unpack_from("<iiII", head, 428)
        f.seek((1 + sub_hdr_size) * block_size + bitmap_blocks * block_size // 2)
        bits = f.read(bitmap_blocks * block_size // 2)
    return lambda pfn: pfn < max_mapnr and bits[pfn // 8] >> (pfn % 8) & 1


def pfn_of(addr):
    return (addr % GIB) // PAGE


def slab_has_hole(addr, cache, held):
    """Does the slab holding addr have a page the file does not hold?
    Slabs are naturally aligned blocks of 2^order pages."""
    pages = 1 << cache["order"]
    first = pfn_of(addr) // pages * pages
    return any(not held(p) for p in range(first, first + pages))


KINDS = ("kdump", "mkd")


def scan(m, d, cache, listing_args):
    """One call for both dumps (the type index is built once per call):
    exit code, {kind: JSON document}, {kind: listed addresses}, stderr."""
    paths = [os.path.join(d, m["vmcore-" + k]) for k in KINDS]
    rc, out, err = run(["-j", m["vmlinux"]] + paths + [cache])
    docs = {}
    for kind, line in zip(KINDS, out.splitlines()):
        try:
            docs[kind] = json.loads(line)
        except ValueError:
            pass
    _, out, _ = run(listing_args + [m["vmlinux"]] + paths + [cache])
    lists = {k: set() for k in KINDS}
    kind = None
    for line in out.splitlines():
        if line.startswith("==> "):
            kind = next((k for k in KINDS if line.endswith("." + k + " <==")), None)
        elif line.strip() and kind:
            lists[kind].add(int(line, 16))
    return rc, docs, lists, err


def only_unreadable(doc):
    kinds = {p["kind"] for p in doc["integrity"]["problems"]}
    return kinds == {"unreadable slab"}


def judge(tag, doc, got, truth, held):
    """Exact, or (only where the file lacks memory) flagged and explained."""
    if held is None:
        check(tag + " live set == the module's printed set (%d)" % len(truth),
              got == truth, "%d reported, %d missing, %d extra" %
              (len(got), len(truth - got), len(got - truth)))
        check(tag + " integrity ok", doc["integrity"]["ok"],
              json.dumps(doc["integrity"])[:300])
        return
    extra = got - truth
    unexplained = {a for a in extra if not slab_has_hole(a, doc["cache"], held)}
    check(tag + " no object the module holds is missing (%d)" % len(truth),
          truth <= got, "%d missing" % len(truth - got))
    check(tag + " exact wherever the file holds the slab (%d extra, all in slabs with pages"
          " makedumpfile left out)" % len(extra), not unexplained,
          "%d extra objects in fully dumped slabs" % len(unexplained))
    if extra:
        check(tag + " the holes are flagged: only 'unreadable slab' problems",
              not doc["integrity"]["ok"] and only_unreadable(doc),
              json.dumps(doc["integrity"])[:300])
    else:
        check(tag + " integrity ok", doc["integrity"]["ok"])


def exit_code(tag, rc, docs):
    flagged = any(not d["integrity"]["ok"] for d in docs.values())
    check(tag + " exit %d (4 when a result is flagged)" % (4 if flagged else 0),
          rc == (4 if flagged else 0), "rc %d" % rc)


def test_ctor(m, d, held):
    cache = m["truth-cache"]
    truth = read_addrs(os.path.join(d, m["truth-live-file"]))
    check("S5: %s: the module printed %s live objects" % (cache, m["truth-live"]),
          len(truth) == int(m["truth-live"]) > 0)
    rc, docs, lists, err = scan(m, d, cache, ["-l"])
    if len(docs) != len(KINDS):
        check("S5: %s: leakscan -j gives one JSON line per dump" % cache, False,
              err.strip()[:300])
        return
    for kind in KINDS:
        tag = "S5 %s: %s:" % (kind, cache)
        check(tag + " JSON live count == -l count",
              docs[kind]["counts"]["live"] == len(lists[kind]))
        judge(tag, docs[kind], lists[kind], truth, held[kind])
    exit_code("S5: %s:" % cache, rc, docs)


def test_schedstat(m, d, held):
    cache = m["cache"]
    truth = read_addrs(os.path.join(d, m["truth"]))
    _, docs, lists, err = scan(m, d, cache, ["-l", "-k", "1"])
    for kind in KINDS:
        tag = "S5 %s: %s:" % (kind, cache)
        doc, members = docs.get(kind), lists[kind]
        if doc is None or not doc["clusters"]:
            check(tag + " leakscan -j gives clusters", False, err.strip()[:300])
            continue
        top = doc["clusters"][0]
        check(tag + " cluster 1 is the /proc/schedstat text",
              top["kind"] == "text" and top["preview"].startswith("version "),
              top["preview"][:40])
        check(tag + " cluster 1 holds only leaked buffers", members <= truth,
              "%d strays" % len(members - truth))
        lost = truth - members
        if held[kind] is None:
            check(tag + " cluster 1 holds every one of the %d leaked buffers" % len(truth),
                  not lost, "%d missing" % len(lost))
            continue
        unexplained = {a for a in lost if not slab_has_hole(a, doc["cache"], held[kind])}
        check(tag + " cluster 1 holds every leaked buffer whose slab the file holds "
              "(%d of %d; %d in slabs with missing pages)" % (len(members), len(truth), len(lost)),
              not unexplained, "%d missing from fully dumped slabs" % len(unexplained))


def test_lookup(m, d):
    """6.12 names: kmalloc-cg-, kmalloc-rcl-, dma-kmalloc- and the kmalloc
    buckets (memdup_user-, msg_msg-, 6.11+) are variants of a size."""
    vmcore = os.path.join(d, m["vmcore-kdump"])
    rc, _, err = run(["-n", "1", m["vmlinux"], vmcore, "4k"])
    names = err.split('could be "4k":')[-1].split("\n")[0].split()
    want = {"kmalloc-4k", "kmalloc-cg-4k", "kmalloc-rcl-4k", "dma-kmalloc-4k",
            "memdup_user-4k", "msg_msg-4k"}
    check("S5: '4k' is ambiguous and lists the kmalloc variants and buckets",
          rc == 1 and set(names) == want, "rc %d, %s" % (rc, sorted(names)))
    for query in ("kmalloc-4096", "size-4096"):
        rc, out, _ = run(["-j", m["vmlinux"], vmcore, query])
        name = json.loads(out)["cache"]["name"] if rc == 0 else None
        check("S5: %s names kmalloc-4k" % query, name == "kmalloc-4k", "rc %d" % rc)


def main():
    d = sys.argv[1]
    m = read_manifest(d)
    held = dumped_pfns(os.path.join(d, m["vmcore-mkd"]))
    check("S5: vmcore.mkd is kdump-compressed and its bitmap readable", held is not None)
    kdump_held = dumped_pfns(os.path.join(d, m["vmcore-kdump"]))
    sample = sorted(read_addrs(os.path.join(d, m["truth"])))[:50]
    check("S5: vmcore.kdump holds every page of the leaked buffers checked",
          kdump_held is not None and all(kdump_held(pfn_of(a)) for a in sample))
    held = {"kdump": None, "mkd": held}
    test_ctor(m, d, held)
    test_schedstat(m, d, held)
    test_lookup(m, d)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
