#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Issue 10: the standalone program gives the same answer whatever its
types and symbols come from: the dump alone (its BTF and kallsyms), the
vmlinux's .BTF with its symbol table, or its DWARF.  For every sample and
every dump format the recipe makes, the ranking (every cache's counts and
integrity) and the cluster report of the sample's cache must be the same
JSON, apart from the fields that name the sources, which must name them.
(That the dump formats agree with each other is peers.py's business; on
the 6.12 sample they do not, see s5.py.)

usage: sources.py SAMPLES_DIR [OTHER_SAMPLES_DIR...]

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import json
import os
import subprocess
import sys

from common import RESULTS, check, read_manifest

EXE = os.path.abspath(os.environ.get("LEAKEXT_LEAKSCAN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "leakscan"))

# How the program is asked, and what its documents must then say.
RUNS = (
    ("no vmlinux", lambda vmlinux: [], "btf-dump", "kallsyms"),
    ("vmlinux BTF", lambda vmlinux: [vmlinux], "btf-vmlinux", "vmlinux"),
    ("vmlinux DWARF", lambda vmlinux: ["--dwarf", vmlinux], "dwarf", "vmlinux"),
)
SOURCE_FIELDS = ("source", "types", "symbols")


def run(args):
    p = subprocess.run([EXE, "-q", "-j"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900, universal_newlines=True)
    try:
        docs = [json.loads(l) for l in p.stdout.splitlines()]
    except ValueError:
        docs = []
    return p.returncode, docs, p.stderr


def without_sources(doc):
    return {k: v for k, v in doc.items() if k not in SOURCE_FIELDS}


def dumps_of(d, m):
    """Every dump format the recipe leaves: -d 31, -R, and the ELF when kept."""
    return [os.path.join(d, m[k]) for k in ("vmcore-mkd", "vmcore-kdump", "vmcore-elf")
            if k in m]


def test_sample(d):
    m = read_manifest(d)
    name, cache, vmlinux = m["scenario"], m["cache"], m["vmlinux"]
    dumps = dumps_of(d, m)
    for what, extra in (("ranking", []), ("cluster report of " + cache, [cache])):
        reference = None
        for label, args, types, symbols in RUNS:
            tag = "%s: sources: %s, %s:" % (name, what, label)
            rc, docs, err = run(args(vmlinux) + dumps + extra)
            # 4: a flagged result (S5's -d 31 dump lacks slab pages, s5.py)
            check(tag + " exit 0 or 4, one document per dump",
                  rc in (0, 4) and len(docs) == len(dumps),
                  "rc %d, %d documents: %s" % (rc, len(docs), err.strip()[:300]))
            if rc not in (0, 4) or len(docs) != len(dumps):
                continue
            check(tag + " documents say types %s, symbols %s" % (types, symbols),
                  all(doc.get("types") == types and doc.get("symbols") == symbols
                      for doc in docs),
                  str([(doc.get("types"), doc.get("symbols")) for doc in docs]))
            answers = [without_sources(doc) for doc in docs]
            if reference is None:
                reference = (label, answers)
                continue
            for dump, mine, theirs in zip(dumps, answers, reference[1]):
                check(tag + " %s: the same answer as with %s" % (
                          os.path.basename(dump), reference[0]), mine == theirs)


def test_refusals(d):
    m = read_manifest(d)
    dump = dumps_of(d, m)[0]
    rc, _, err = run(["--dwarf", dump])
    check("sources: --dwarf without a vmlinux is a usage error (exit 2)",
          rc == 2 and "needs a VMLINUX" in err, "rc %d: %s" % (rc, err.strip()[:200]))
    rc, docs, err = run(["/bin/true", dump])
    check("sources: an ELF program without BTF or DWARF is refused (exit 3), with why",
          rc == 3 and "no kernel types" in err and len(docs) == 1 and "error" in docs[0],
          "rc %d: %s" % (rc, err.strip()[:200]))


def test_mismatch(dirs):
    """A vmlinux of another build than the dump's is refused (exit 1)."""
    builds = {}
    for d in dirs:
        m = read_manifest(d)
        builds.setdefault(m["vmlinux"], dumps_of(d, m)[0])
    if len(builds) < 2:
        return
    (vmlinux_a, _), (_, dump_b) = list(builds.items())[:2]
    rc, docs, err = run([vmlinux_a, dump_b])
    check("sources: a vmlinux of another kernel build is refused, exit 1",
          rc == 1 and "does not match" in err and len(docs) == 1 and
          "does not match" in docs[0].get("error", ""), "rc %d: %s" % (rc, err.strip()[:300]))


def main():
    samples = sys.argv[1]
    dirs = sorted(os.path.join(samples, d) for d in os.listdir(samples)
                  if os.path.isfile(os.path.join(samples, d, "manifest"))
                  and not d.startswith("S4"))
    for d in dirs:
        test_sample(d)
    if dirs:
        test_refusals(dirs[0])
    # Another kernel's samples (the 6.12 sample S5) for the mismatch test.
    others = [os.path.join(a, d) for a in sys.argv[2:] for d in sorted(os.listdir(a))
              if os.path.isfile(os.path.join(a, d, "manifest"))]
    test_mismatch(dirs + others)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
