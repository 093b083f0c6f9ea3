#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The standalone program on hostile input: truncated and garbage vmcores,
bad paths, a patched VMCOREINFO, a batch with bad vmcores among good ones.
Exact exit codes, one JSON document per vmcore, no raw control byte on
stdout or stderr.

usage: hostile.py SAMPLES_DIR

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import json
import os
import random
import re
import struct
import sys
import tempfile

from common import RESULTS, check, read_manifest
from common import run_leakscan as run


def raw_controls(data):
    """Control bytes other than newline: none may reach a terminal."""
    return sorted({b for b in data if b < 0x20 and b != 0x0a or b == 0x7f})


def clean_streams(out, err):
    return not raw_controls(out) and not raw_controls(err)


def json_lines(out):
    try:
        return [json.loads(l) for l in out.decode().splitlines()]
    except ValueError:
        return None


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def head(path, n):
    with open(path, "rb") as f:
        return f.read(n)


def patched(src, dst, pairs):
    """A copy of src with VMCOREINFO text replaced (same length) in its headers."""
    with open(src, "rb") as f:
        data = bytearray(f.read())
    top = bytes(data[:65536])
    for old, new in pairs:
        assert len(old) == len(new) and old in top, old
        top = top.replace(old, new)
    data[:65536] = top
    return write(dst, bytes(data))


def elf_core(notes_size, phoff=64, phnum=2, cut=None):
    """A tiny x86_64 ELF core: a PT_NOTE and a PT_LOAD, notes of junk."""
    eh = b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack(
        "<HHIQQQIHHHHHH", 4, 62, 1, 0, phoff, 0, 0, 64, 56, phnum, 0, 0, 0)
    notes_at = 64 + 56 * 2
    ph = struct.pack("<IIQQQQQQ", 4, 0, notes_at, 0, 0, notes_size, notes_size, 0)
    ph += struct.pack("<IIQQQQQQ", 1, 7, notes_at + 64, 0xffffffff81000000,
                      0x1000000, 4096, 4096, 4096)
    data = eh + ph + bytes(random.Random(notes_size).getrandbits(8) for _ in range(4200))
    return data[:cut] if cut else data


def test_truncated(vmlinux, sample, tmp):
    sizes = sorted(set(list(range(0, 8193, 41)) +
                       [1, 8, 9, 100, 400, 433, 434, 463, 464, 4096, 4158, 8190, 8192,
                        12288, 20000, 45055]))
    files = []
    for kind in ("vmcore-kdump", "vmcore-mkd"):
        src = os.path.join(sample, read_manifest(sample)[kind])
        data = head(src, 45056)
        for n in sizes:
            files.append(write(os.path.join(tmp, "%s.%d" % (kind, n)), data[:n]))
    rc, out, err = run(["-j", vmlinux] + files)
    docs = json_lines(out) or []
    check("hostile: %d truncated copies (0..45055 bytes): exit 1, no crash" % len(files),
          rc == 1, "rc %d; %s" % (rc, err.decode(errors="replace")[-300:]))
    check("hostile: truncated copies: one JSON error document each, in order",
          len(docs) == len(files) and
          all(d.get("source") == f and "error" in d for d, f in zip(docs, files)),
          "%d documents for %d files" % (len(docs), len(files)))
    check("hostile: truncated copies: each named as truncated or not a dump",
          err.decode().count("leakscan: ") == len(files) and
          all(("truncated" in d["error"] or "not a dump" in d["error"] or
               "empty file" in d["error"]) for d in docs),
          err.decode()[:300])
    check("hostile: truncated copies: no raw control byte on stdout or stderr",
          clean_streams(out, err))


def test_garbage(vmlinux, tmp):
    rnd = random.Random(11)
    cases = [
        ("garbage", bytes(rnd.getrandbits(8) for _ in range(65536)), "not a dump"),
        ("elfish", b"\x7fELF" + bytes(rnd.getrandbits(8) for _ in range(8192)), "ELF"),
        ("elf-phdrs-past-end", elf_core(200, phoff=1 << 40), "program headers"),
        ("elf-notes-past-end", elf_core(1 << 20), "not inside the file"),
        ("elf-cut-in-header", elf_core(200, cut=40), "truncated ELF"),
        ("kdump-magic-only", b"KDUMP   " + bytes(rnd.getrandbits(8) for _ in range(600)),
         "corrupt kdump header"),
        ("empty", b"", "empty file"),
    ]
    files = [write(os.path.join(tmp, name), data) for name, data, _ in cases]
    rc, out, err = run(["-j", vmlinux] + files)
    docs = json_lines(out) or []
    check("hostile: garbage and ELF-ish files: exit 1, one document each",
          rc == 1 and len(docs) == len(files), "rc %d, %d documents" % (rc, len(docs)))
    for (name, _, needle), doc in zip(cases, docs):
        check("hostile: %s is refused: \"%s\"" % (name, needle),
              needle in doc.get("error", ""), doc.get("error", "no error"))
    check("hostile: garbage: no raw control byte on stdout or stderr",
          clean_streams(out, err))


def test_paths(vmlinux, good, tmp):
    missing = os.path.join(tmp, "no-such-vmcore")
    rc, out, err = run(["-j", vmlinux, missing, tmp])
    docs = json_lines(out) or []
    text = err.decode()
    check("hostile: a missing vmcore and a directory: exit 1, named as such",
          rc == 1 and "no-such-vmcore: no such file" in text and
          "is a directory" in text and len(docs) == 2, "rc %d: %s" % (rc, text[:300]))
    # Files are told apart by content: a path that is not a readable
    # kernel image counts as a vmcore, is named, and the good one is
    # analysed anyway (from its own BTF and kallsyms).
    for what, path, needle in (("missing", missing, "no such file"),
                               ("a directory", tmp, "is a directory"),
                               ("not ELF", "/etc/hostname", "not a dump")):
        rc, out, err = run(["-j", path, good])
        docs = json_lines(out) or []
        check("hostile: first argument %s: exit 1, \"%s\", the good vmcore analysed" % (what, needle),
              rc == 1 and needle in err.decode() and len(docs) == 2 and
              needle in docs[0].get("error", "") and "error" not in docs[1],
              "rc %d: %s" % (rc, err.decode()[:300]))
    rc, out, err = run(["-j", "/bin/true", good])
    docs = json_lines(out) or []
    check("hostile: a kernel image without types: exit 3, error document for the vmcore",
          rc == 3 and "no kernel types" in err.decode() and len(docs) == 1 and
          "no kernel types" in docs[0].get("error", ""), "rc %d: %s" % (rc, err.decode()[:300]))


def test_batch(vmlinux, samples, tmp):
    """Good vmcores complete around bad ones, in order, one line each."""
    s1, s2 = samples[0], samples[1]
    mkd1 = os.path.join(s1, read_manifest(s1)["vmcore-mkd"])
    kdump1 = os.path.join(s1, read_manifest(s1)["vmcore-kdump"])
    mkd2 = os.path.join(s2, read_manifest(s2)["vmcore-mkd"])
    with open(mkd1, "rb") as f:
        top = f.read(65536)
    koff = re.search(rb"KERNELOFFSET=([0-9a-f]+)\n", top)
    rel = re.search(rb"OSRELEASE=([^\n]{8,})\n", top)
    check("hostile: the S1 sample's VMCOREINFO has KERNELOFFSET and OSRELEASE (test premise)",
          koff is not None and rel is not None)
    if not koff or not rel:
        return
    value = koff.group(1).decode()
    offset = koff.group(0)
    # Same lengths as the originals, so the rest of each file stays put.
    junk_value = "zz" + value[2:]
    odd_value = value[:-1] + "1"
    moved_value = "%0*x" % (len(value), int(value, 16) ^ 0x200000)
    junk = patched(mkd1, os.path.join(tmp, "koff-junk.mkd"),
                   [(offset, b"KERNELOFFSET=%s\n" % junk_value.encode())])
    odd = patched(mkd1, os.path.join(tmp, "koff-odd.mkd"),
                  [(offset, b"KERNELOFFSET=%s\n" % odd_value.encode())])
    # OSRELEASE with ESC and BEL, and a KERNELOFFSET that parses but is
    # wrong: the mismatch message quotes the release.
    release = rel.group(1)
    hostile_release = release[:6] + b"\x1b\x07" + release[8:]
    osrel = patched(kdump1, os.path.join(tmp, "osrelease.kdump"),
                    [(offset, b"KERNELOFFSET=%s\n" % moved_value.encode()),
                     (rel.group(0), b"OSRELEASE=%s\n" % hostile_release)])
    cut = write(os.path.join(tmp, "cut.kdump"), head(kdump1, 8000))
    # Cut in its page data: read before, a SIGBUS in libkdumpfile's mmap path.
    half = write(os.path.join(tmp, "half.mkd"), head(mkd2, os.path.getsize(mkd2) // 2))
    batch = [mkd1, junk, mkd2, odd, osrel, cut, os.path.join(tmp, "missing"), half]
    rc, out, err = run(["-j", vmlinux] + batch)
    docs = json_lines(out) or []
    text = err.decode(errors="replace")
    check("hostile: batch of 2 good and 6 bad vmcores: exit 1, 8 JSON lines in order",
          rc == 1 and len(docs) == 8 and [d.get("source") for d in docs] == batch,
          "rc %d, %d lines: %s" % (rc, len(docs), text[-300:]))
    if len(docs) != 8:
        return
    check("hostile: batch: the good vmcores are ranked completely",
          all("error" not in docs[i] and len(docs[i].get("caches", [])) > 50 for i in (0, 2)))
    expect = [(1, "KERNELOFFSET \"%s\" is not a hex number" % junk_value),
              (3, "KERNELOFFSET \"%s\" is not a multiple of 2 MiB" % odd_value),
              (4, release[:6].decode() + "\\x1b\\x07" + release[8:].decode()),
              (5, "truncated kdump file: 8000 bytes"),
              (6, "no such file")]
    for i, needle in expect:
        check("hostile: batch: %s: \"%s\" in its error document and on stderr" % (
                  os.path.basename(batch[i]), needle),
              needle in docs[i].get("error", "") and needle in text,
              docs[i].get("error", "no error"))
    check("hostile: batch: OSRELEASE's ESC and BEL reach neither stream raw",
          clean_streams(out, err), repr(raw_controls(out) + raw_controls(err)))


def vmcoreinfo_value(data, key):
    m = re.search(re.escape(key) + rb"=([0-9a-f]+)\n", data)
    return m.group(1) if m else None


def test_kallsyms(vmlinux, sample, tmp):
    """Issue 10: a dump whose kallsyms cannot be trusted or found, with no
    vmlinux, is refused with the reason and the advice; never a crash or a
    wrong symbol table.  VMCOREINFO is patched in copies of the -d 31 dump."""
    m = read_manifest(sample)
    mkd = os.path.join(sample, m["vmcore-mkd"])
    top = head(mkd, 65536)
    key = lambda name: b"SYMBOL(%s)" % name
    names = vmcoreinfo_value(top, key(b"kallsyms_names"))
    tokens = vmcoreinfo_value(top, key(b"kallsyms_token_table"))
    offsets = vmcoreinfo_value(top, key(b"kallsyms_offsets"))
    check("hostile: kallsyms: the sample's VMCOREINFO lists the tables",
          names and tokens and offsets)
    if not (names and tokens and offsets):
        return
    num = vmcoreinfo_value(top, key(b"kallsyms_num_syms"))
    cases = [
        ("no kallsyms in VMCOREINFO (a kernel before 6.0)",
         [(key(b"kallsyms_names") + b"=", b"SYMBOL(kallsyms_nameZ)=")],
         "pass the debug vmlinux"),
        ("kallsyms_num_syms pointing at text (an absurd count)",
         [(key(b"kallsyms_num_syms") + b"=" + num, key(b"kallsyms_num_syms") + b"=" + tokens)],
         "kallsyms"),
        ("kallsyms_offsets pointing at the names (no layout fits)",
         [(key(b"kallsyms_offsets") + b"=" + offsets, key(b"kallsyms_offsets") + b"=" + names)],
         "kallsyms"),
        ("kallsyms_token_table pointing at the offsets (garbage names)",
         [(key(b"kallsyms_token_table") + b"=" + tokens,
           key(b"kallsyms_token_table") + b"=" + offsets)],
         "kallsyms"),
    ]
    for what, pairs, needle in cases:
        bad = patched(mkd, os.path.join(tmp, "kallsyms.mkd"), pairs)
        rc, out, err = run(["-j", bad])
        docs = json_lines(out) or []
        check("hostile: kallsyms: %s, no vmlinux: exit 1, \"%s\" in the error document" % (
                  what, needle),
              rc == 1 and len(docs) == 1 and needle in docs[0].get("error", "") and
              clean_streams(out, err),
              "rc %d: %s" % (rc, err.decode(errors="replace")[:300]))
        rc, out, err = run(["-j", vmlinux, bad])
        docs = json_lines(out) or []
        check("hostile: kallsyms: %s, with the vmlinux: analysed (exit 0)" % what,
              rc == 0 and len(docs) == 1 and "error" not in docs[0],
              "rc %d: %s" % (rc, err.decode(errors="replace")[:300]))


def test_pre_6_0(vmlinux, sample, tmp):
    """A dump whose VMCOREINFO lists no kallsyms, as before 6.0 (kernel
    commit 5fd8fea935a1): alone it is refused with "pass the debug
    vmlinux"; with the debug vmlinux's DWARF (the types an old kernel's
    debuginfo has) it gives the answer the vmlinux's BTF gives on the
    unpatched dump, apart from the fields that name the sources."""
    m = read_manifest(sample)
    mkd = os.path.join(sample, m["vmcore-mkd"])
    old = patched(mkd, os.path.join(tmp, "pre-6.0.mkd"),
                  [(b"SYMBOL(kallsyms_names)=", b"SYMBOL(kallsyms_nameZ)=")])
    rc, out, err = run(["-j", old, m["cache"]])
    docs = json_lines(out) or []
    check("hostile: pre-6.0: no kallsyms, no vmlinux: exit 1, \"pass the debug vmlinux\"",
          rc == 1 and len(docs) == 1 and
          "pass the debug vmlinux" in docs[0].get("error", "") and
          b"pass the debug vmlinux" in err,
          "rc %d: %s" % (rc, err.decode(errors="replace")[:300]))
    rc, out, err = run(["-j", "--dwarf", vmlinux, old, m["cache"]])
    docs = json_lines(out) or []
    rc_ref, out_ref, _ = run(["-j", vmlinux, mkd, m["cache"]])
    ref = json_lines(out_ref) or []
    drop = lambda d: {k: v for k, v in d.items() if k not in ("source", "types")}
    check("hostile: pre-6.0: with the vmlinux's DWARF: the vmlinux BTF's answer,"
          " member names included",
          rc == 0 and rc_ref == 0 and len(docs) == 1 and len(ref) == 1 and
          docs[0].get("types") == "dwarf" and docs[0].get("symbols") == "vmlinux" and
          drop(docs[0]) == drop(ref[0]),
          "rc %d/%d: %s" % (rc, rc_ref, err.decode(errors="replace")[:300]))


def main():
    samples_dir = sys.argv[1]
    samples = sorted(os.path.join(samples_dir, d) for d in os.listdir(samples_dir)
                     if os.path.isfile(os.path.join(samples_dir, d, "manifest"))
                     and not d.startswith("S4"))
    if len(samples) < 2:
        check("hostile: samples present in %s" % samples_dir, False)
        return 1
    vmlinux = read_manifest(samples[0])["vmlinux"]
    good = os.path.join(samples[0], read_manifest(samples[0])["vmcore-mkd"])
    with tempfile.TemporaryDirectory() as tmp:
        test_truncated(vmlinux, samples[0], tmp)
    with tempfile.TemporaryDirectory() as tmp:
        test_garbage(vmlinux, tmp)
        test_paths(vmlinux, good, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        test_batch(vmlinux, samples, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        test_kallsyms(vmlinux, samples[0], tmp)
    with tempfile.TemporaryDirectory() as tmp:
        test_pre_6_0(vmlinux, samples[0], tmp)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
