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
            # DWARF names members as BTF does (both providers' member_at:
            # tests/types/compare.c)
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


# leakdump -d -t TYPE: a struct per object, from the kernel's BTF or, for a
# type a module defines, from that module's BTF in the dump (issue 10).
# The S1 objects are 4 KiB text buffers and the S2 ones leak_fnptr records
# (the sample module has no BTF): read as other structs, as a user might.
TYPE_RUNS = (
    ("S1", "kmalloc-4k", "seq_file", (".buf = ", ".lock = (struct mutex){"), None),
    ("S1", "kmalloc-4k", "new_utsname", (".sysname = ", ".domainname = "), None),
    ("S2", "kmalloc-192", "fw_cfg_sysfs_entry", (".kobj = (struct kobject){", ".list = "),
     "from module qemu_fw_cfg's BTF"),
)


def run_raw(args):
    p = subprocess.run([EXE, "-q"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def terminal_safe(out):
    return all(0x20 <= b < 0x7f or b == 0x0a for b in out)


def test_types(dirs):
    for d in dirs:
        m = read_manifest(d)
        dump = dumps_of(d, m)[0]
        for sample, cache, type_, members, module in TYPE_RUNS:
            if not m["scenario"].startswith(sample + "-"):
                continue
            tag = "%s: -d -t %s -c %s %s:" % (m["scenario"], type_,
                                              "40" if module is None else "2", cache)
            rc, out, err = run_raw(["-d", "-t", type_, "-c", "40" if module is None else "2",
                                    dump, cache])
            text = out.decode("ascii", "replace")
            check(tag + " exit 0, members by name",
                  rc == 0 and all(mem in text for mem in members) and
                  ("(struct %s){" % type_) in text,
                  "rc %d: %s / %s" % (rc, text[:200], err.strip()[:200]))
            if module:
                check(tag + " the type comes from the module's BTF", module in text,
                      text[:200])
            check(tag + " no raw control byte on stdout", terminal_safe(out))
        if m["scenario"].startswith(("S1-", "S2-")):
            rc, out, err = run_raw(["-d", "-t", "no_such_struct_xyz", "-c", "2", dump,
                                    m["cache"]])
            check("%s: -d -t of an unknown type: a clear message, non-zero exit" %
                  m["scenario"],
                  rc != 0 and "cannot print struct no_such_struct_xyz" in err and
                  terminal_safe(out), "rc %d: %s" % (rc, err.strip()[:200]))


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
    test_types(dirs)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
