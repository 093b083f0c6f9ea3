#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The own readers on a real kernel's pages in every encoding of the
kdump-compressed format (src/standalone/readers/pagecodec.c) and in
makedumpfile's ELF: S1's memory as makedumpfile -l (LZO) and -E (ELF,
excluded pages left to p_memsz) write it, from S1's ELF dump as the
recipe's makedumpfile -c dump is made, and S1's -d 31 dump with its pages
stored again in snappy and zstd (tests/reader/recode.c: this machine's
makedumpfile writes neither), and raw.  For each:

  - page by page, every page, what the own reader answers is libkdumpfile's
    bytes, and it answers all libkdumpfile does (reader_compare; in
    makedumpfile's ELF all but the zero-filled tails), with and without
    workers decoding ahead;
  - the ranking and the cluster report with holders (JSON) are the -d 31
    dump's, but for the file's name, and the own reader answers exactly
    the reads it answers there (in makedumpfile's ELF, some: libkdumpfile
    reads the excluded pages, as zeros, past each segment's p_filesz).

usage: codecs.py SAMPLE_DIR (S1's)
"""
import os
import re
import subprocess
import sys
import tempfile

from common import RESULTS, check, read_manifest, run_leakscan

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPARE = os.environ.get("LEAKEXT_READER_COMPARE") or os.path.join(ROOT, "build/reader_compare")
RECODE = os.environ.get("LEAKEXT_READER_RECODE") or os.path.join(ROOT, "build/reader_recode")
QEMU_ELF = os.path.join(ROOT, "vmcore-samples/qemu-elf")


def proc_view(d, m, tmp):
    """S1's ELF dump as /proc/vmcore shows it (what makedumpfile reads)."""
    elf, view = os.path.join(tmp, "s1.elf"), os.path.join(tmp, "s1.view.elf")
    subprocess.run(["cp", os.path.join(d, m["vmcore-elf"]), elf], check=True)
    os.chmod(elf, 0o600)
    subprocess.run([QEMU_ELF, "fix", elf], check=True, stderr=subprocess.DEVNULL)
    subprocess.run([QEMU_ELF, "proc-view", elf, view], check=True, stderr=subprocess.DEVNULL)
    os.unlink(elf)
    return view


def makedumpfile(view, m, option, out):
    """makedumpfile OPTION -d 31 of the view into out, or None."""
    p = subprocess.run(["makedumpfile", option, "-d", "31", "-x", m["vmlinux"], view, out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return out if p.returncode == 0 else None


def recoded(mkd, codec, tmp):
    out = os.path.join(tmp, "s1." + codec)
    p = subprocess.run([RECODE, codec, mkd, out], stderr=subprocess.PIPE,
                       universal_newlines=True)
    return out if p.returncode == 0 else None


def own_reads(stderr):
    """(reads the own reader answered, reads libkdumpfile did, reads of
    pages the dump does not hold) from --stats."""
    found = re.search(rb"(\d+) reads by the own reader, (\d+) by libkdumpfile, "
                      rb"(\d+) of pages the dump does not hold", stderr)
    return tuple(map(int, found.groups())) if found else None


def report(dump, cache):
    """The ranking and the cluster report (JSON), the file's name taken out."""
    outs = []
    for after in ([], [cache]):
        rc, out, err = run_leakscan(["--stats", "-j", dump] + after)
        outs.append((rc, out.replace(dump.encode(), b"DUMP"), own_reads(err)))
    return outs


def test_encoding(name, dump, reference, cache, same_reads=True):
    tag = "codecs: S1 in %s:" % name
    # ELF has nothing to decode ahead: -J is for the kdump-compressed encodings
    for workers in ([], ["-J", "3"]) if same_reads else ([],):
        p = subprocess.run([COMPARE] + workers + ["-s", "1", "-l", "S1 " + name, dump],
                           stdout=subprocess.PIPE, universal_newlines=True)
        lines = [l for l in p.stdout.splitlines() if l.startswith(("PASS", "FAIL"))]
        check("%s every page as libkdumpfile reads it%s" % (tag, " -J 3" if workers else ""),
              p.returncode == 0 and lines and not any("FAIL" in l for l in lines) and
              (not same_reads or
               all(" 0 only libkdumpfile read" in l for l in lines if "identical" in l)),
              "; ".join(lines)[:400])
    for (what, got, want) in zip(("ranking", cache), report(dump, cache), reference):
        check("%s %s: the -d 31 dump's JSON, exit status and own reads" % (tag, what),
              got[:2] == want[:2] and got[2] and got[2][0] > 0 and
              (got[2] == want[2] or not same_reads),
              "exit %d/%d, reads %s/%s" % (got[0], want[0], got[2], want[2]))


def main():
    d = sys.argv[1]
    m = read_manifest(d)
    mkd = os.path.join(d, m["vmcore-mkd"])
    reference = report(mkd, m["cache"])
    with tempfile.TemporaryDirectory() as tmp:
        view = proc_view(d, m, tmp)
        for option, name, same_reads in (("-l", "LZO (makedumpfile -l)", True),
                                          ("-E", "ELF (makedumpfile -E)", False)):
            dump = makedumpfile(view, m, option, os.path.join(tmp, "s1" + option))
            check("codecs: makedumpfile %s -d 31 of S1's ELF dump" % option, bool(dump))
            if dump:
                test_encoding(name, dump, reference, m["cache"], same_reads)
                os.unlink(dump)
        os.unlink(view)
        for codec in ("snappy", "zstd", "raw"):
            dump = recoded(mkd, codec, tmp)
            check("codecs: S1's -d 31 dump stored again in " + codec, bool(dump))
            if dump:
                test_encoding(codec, dump, reference, m["cache"])
                os.unlink(dump)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
