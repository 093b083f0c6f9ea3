#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live target (/proc/kcore) on a real kernel's memory, on a machine
without that kernel: build/kcore_from_dump writes S1's ELF vmcore as
/proc/kcore shows memory (PT_LOADs at kernel virtual addresses for the
direct map, the kernel image, the memory map and the modules, kcore's
notes and VMCOREINFO), and the program reads it through its kcore source.
A dump does not move, so every answer must be the dump's own: the ranking,
the kmalloc-4k report (-H: no vmalloc'd memory is in the file), -l (every
leaked buffer of the recipe's truth among them), -j, -d -t; from the
dump's BTF and kallsyms (the file's kernel is not the running one, and the
program says so), and with the vmlinux.  As nobody, a procfs file the
program may not open gets the message that says root.

usage: live_kcore.py SAMPLES_DIR [KCORE_FROM_DUMP]
Prints PASS:/FAIL: lines; exits non-zero if any failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from common import LEAKSCAN, RESULTS, check, read_manifest
from common import run_leakscan as run

SAMPLE = "S1-schedstat-4k"
CACHE = "kmalloc-4k"


def same(name, a, b):
    """Two runs: both exit 0 and print the same bytes."""
    check(name, a[0] == 0 and b[0] == 0 and a[1] == b[1],
          "exit %d and %d; stdout %s" % (a[0], b[0], "same" if a[1] == b[1] else "differs"))


def without_source(out):
    docs = [json.loads(l) for l in out.decode().splitlines()]
    for d in docs:
        d.pop("source", None)
    return docs


def compare(kcore, elf, prefix, label):
    same("%s: the ranking equals the dump's" % label,
         run(prefix + [kcore]), run(prefix + [elf]))
    same("%s: -H %s equals the dump's report" % (label, CACHE),
         run(prefix + ["-H", kcore, CACHE]), run(prefix + ["-H", elf, CACHE]))
    same("%s: -d -c 2 -t task_struct equals the dump's" % label,
         run(prefix + ["-d", "-c", "2", "-t", "task_struct", kcore, "task_struct"]),
         run(prefix + ["-d", "-c", "2", "-t", "task_struct", elf, "task_struct"]))


def check_list(kcore, elf, truth_path):
    k, e = run(["-l", kcore, CACHE]), run(["-l", elf, CACHE])
    same("kcore: -l %s equals the dump's" % CACHE, k, e)
    listed = {int(a, 16) for a in k[1].decode().split()}
    with open(truth_path) as f:
        truth = {int(l.split()[-1], 16) for l in f if l.strip()}
    check("kcore: -l lists all %d leaked buffers of the recipe's truth" % len(truth),
          truth and truth <= listed, "%d missing" % len(truth - listed))


def check_json(kcore, elf):
    k, e = run(["-j", "-H", kcore, CACHE]), run(["-j", "-H", elf, CACHE])
    ok = k[0] == 0 and e[0] == 0
    docs = without_source(k[1]) if ok else None
    check("kcore: -j -H %s equals the dump's but for \"source\"" % CACHE,
          ok and docs == without_source(e[1]))
    check("kcore: a quiet kernel's cache is not moving (JSON has no \"moving\")",
          ok and b'"moving"' not in k[1] and docs[0]["integrity"]["ok"] is True)


def check_sources(kcore):
    p = subprocess.run([LEAKSCAN, "--stats", "-n", "1", kcore], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    check("kcore: --stats reads memory from kcore's segments",
          p.returncode == 0 and "kcore segments read by virtual address" in p.stderr,
          ascii(p.stderr[-300:]))
    if os.uname().release != "6.1.0-57-cloud-amd64":
        check("kcore: another kernel's kcore: kallsyms and BTF from its memory, said so",
              "not the running one" in p.stderr and "kallsyms read from memory" in p.stderr
              and "BTF read from memory" in p.stderr, ascii(p.stderr[-300:]))


def check_no_btf(tool, elf, vmlinux, kcore):
    """A kernel without BTF (its BTF blanked): a clear message, exit 1, and
    the report once a vmlinux gives the types."""
    p = subprocess.run([tool, elf, kcore, "--no-btf"], stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        check("kcore: written with its BTF blanked", False, p.stderr)
        return
    status, out, err = run([kcore, CACHE])
    err = err.decode(errors="replace")
    check("kcore: no BTF: exit 1, \"no kernel types\", the way out named (vmlinux)",
          status == 1 and not out and "no kernel types" in err and "vmlinux" in err,
          "exit %d: %s" % (status, ascii(err[-300:])))
    if os.path.exists(vmlinux):
        status, out, err = run([vmlinux, kcore, CACHE])
        check("kcore: no BTF, with the vmlinux: the report", status == 0 and
              b"CLUSTER 1: 3000 objects" in out, "exit %d" % status)


def check_nonroot():
    """A procfs file nobody may open: the message says what is needed."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        print("SKIP: kcore: as nobody -- not root, or no setpriv")
        return
    p = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                        LEAKSCAN, "-q", "/proc/1/environ"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    want = "leakscan: /proc/1/environ: Permission denied: reading the running kernel needs root (CAP_SYS_RAWIO)"
    check("kcore: as nobody: \"%s\", exit 1" % want, p.returncode == 1 and want in p.stderr,
          "exit %d: %s" % (p.returncode, ascii(p.stderr[-200:])))


def main():
    samples = sys.argv[1]
    tool = sys.argv[2] if len(sys.argv) > 2 else os.path.join("build", "kcore_from_dump")
    d = os.path.join(samples, SAMPLE)
    m = read_manifest(d)
    elf = os.path.join(d, m["vmcore-elf"])
    tmp = tempfile.mkdtemp(prefix="leakext-kcore-")
    kcore = os.path.join(tmp, "kcore")
    try:
        p = subprocess.run([tool, elf, kcore], stderr=subprocess.PIPE, universal_newlines=True)
        check("kcore: %s written as a kcore file" % SAMPLE, p.returncode == 0, p.stderr)
        if p.returncode == 0:
            compare(kcore, elf, [], "kcore")
            check_list(kcore, elf, os.path.join(d, m["truth"]))
            check_json(kcore, elf)
            check_sources(kcore)
            if os.path.exists(m.get("vmlinux", "")):
                compare(kcore, elf, [m["vmlinux"]], "kcore with vmlinux")
        check_no_btf(tool, elf, m.get("vmlinux", ""), kcore)
    finally:
        shutil.rmtree(tmp)
    check_nonroot()
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
