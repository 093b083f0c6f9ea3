#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Integration tests on the real sample vmcores: leakscan against crash's
kmem -s / kmem -S, against drgn's answers recorded by the sample recipe, and
against the ground truth the leak modules printed.

usage: peers.py SAMPLES_DIR LEAKEXT_SO

The standalone program is ./leakscan, or $LEAKEXT_LEAKSCAN.  For an ASan
build of the extension, crash runs with $LEAKEXT_CRASH_PRELOAD as LD_PRELOAD
and $LEAKEXT_CRASH_ASAN_OPTIONS as ASAN_OPTIONS (both only when set).

Prints "PASS: ..." / "FAIL: ..." lines; exits non-zero if any failed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from common import RESULTS, check, read_manifest, sample_dirs


CACHE_ROW = re.compile(r"^([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+k\s+(\S+)$")
SLAB_ROW = re.compile(r"^  ([0-9a-f]{16})  ([0-9a-f]{16})\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)$")
RANK_ROW = re.compile(r"^([0-9a-f]{16})\s+(\d+)\s+(\d+|\?)\s+(\d+|\?)\s+(\d+|\?)\s+\S+\s+\S+\s+(\S+)$")
SOURCE_ROW = re.compile(r"^(cpu|cpu partial|node partial|node full|untracked full \(memmap\)|total)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")


CONSOLE = "(console)"


def crash_env():
    """crash's environment: the sanitizer runtime an ASan extension needs."""
    env = dict(os.environ)
    if os.environ.get("LEAKEXT_CRASH_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["LEAKEXT_CRASH_PRELOAD"]
    if os.environ.get("LEAKEXT_CRASH_ASAN_OPTIONS"):
        env["ASAN_OPTIONS"] = os.environ["LEAKEXT_CRASH_ASAN_OPTIONS"]
    return env


def run_crash(vmlinux, vmcore, so, commands, outdir, extra_env=None):
    """Run crash non-interactively; each command's output goes to a file
    through crash's own '> file' (plain stdout of later commands can be lost).
    Returns {key: text}, and crash's own stdout (its console, where error()
    writes) under CONSOLE."""
    script = ["extend %s" % so]
    for key, cmd in commands:
        script.append("%s > %s" % (cmd, os.path.join(outdir, key + ".out")))
    script.append("quit")
    path = os.path.join(outdir, "cmds")
    with open(path, "w") as f:
        f.write("\n".join(script) + "\n")
    env = crash_env()
    env.update(extra_env or {})
    proc = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", path],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=900, env=env)
    out = {CONSOLE: proc.stdout.decode(errors="replace")}
    for key, _ in commands:
        try:
            with open(os.path.join(outdir, key + ".out")) as f:
                out[key] = f.read()
        except FileNotFoundError:
            out[key] = ""
    return out


def parse_kmem_s(text):
    return {m.group(6): int(m.group(3)) for m in map(CACHE_ROW.match, text.splitlines()) if m}


def parse_kmem_S(text):
    """Per cache: (sum of per-slab ALLOCATED, number of slab rows)."""
    per = {}
    cur = None
    for line in text.splitlines():
        m = CACHE_ROW.match(line)
        if m:
            cur = m.group(6)
            per[cur] = [0, 0]
            continue
        m = SLAB_ROW.match(line)
        if m and cur:
            per[cur][0] += int(m.group(4))
            per[cur][1] += 1
    return per


def parse_ranking(text):
    return {m.group(6): (None if m.group(3) == "?" else int(m.group(3)))
            for m in map(RANK_ROW.match, text.splitlines()) if m}


def parse_summary(text):
    rows = {}
    for line in text.splitlines():
        m = SOURCE_ROW.match(line)
        if m:
            rows[m.group(1)] = tuple(int(m.group(i)) for i in range(2, 6))
    names = [l.split()[-1] for l in text.splitlines() if re.match(r"^[0-9a-f]{16}\s", l)]
    return rows, (names[0] if names else None)


def read_counts(path):
    with open(path) as f:
        return {name: int(n) for name, n in (l.split() for l in f if l.strip())}


def read_addrs(path):
    with open(path) as f:
        return {int(l, 16) for l in f if l.strip()}


def aliases_for(cache):
    if cache == "kmalloc-4k":
        return ["kmalloc-4096", "size-4096", "kmalloc-4k"]
    return [cache]


def ranking_rows(text):
    return [(m.group(6), m.group(3)) for m in map(RANK_ROW.match, text.splitlines()) if m]


def test_ranking_views(tag, out, ranking):
    """Issue 13: -n limits the ranking, -s sorts it, and by default caches
    with no live objects are left out (and counted)."""
    default = ranking_rows(out["default"])
    live_caches = sorted(c for c, n in ranking.items() if n)
    widest = max(len(l) for k in ("default", "byname") for l in out[k].splitlines())
    check(tag + " ranking lines stay within 100 columns (widest %d)" % widest, widest <= 100)
    check(tag + " plain leakscan shows exactly the caches with live objects",
          sorted(c for c, _ in default) == live_caches and
          "%d of %d caches shown" % (len(live_caches), len(ranking)) in out["default"],
          "%d rows, %d live caches" % (len(default), len(live_caches)))
    top3 = ranking_rows(out["top3"])
    by_live = sorted(ranking.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    check(tag + " leakscan -n 3 -s live shows the 3 caches with most live objects",
          [(c, int(n)) for c, n in top3] == by_live, "%s vs %s" % (top3, by_live))
    names = [c for c, _ in ranking_rows(out["byname"])]
    check(tag + " leakscan -a -s name lists every cache by name",
          names == sorted(ranking) and len(names) == len(ranking))


def test_sample(d, so):
    m = read_manifest(d)
    name, cache, vmlinux = m["scenario"], m["cache"], m["vmlinux"]
    vmcore = os.path.join(d, m["vmcore-flat"])
    truth = read_addrs(os.path.join(d, m["truth"]))
    drgn_counts = read_counts(os.path.join(d, m["drgn-counts"]))
    drgn_objects = read_addrs(os.path.join(d, m["drgn-objects"]))
    tag = "%s:" % name

    with tempfile.TemporaryDirectory() as tmp:
        cmds = [("ranking", "leakscan -a"), ("kmem_s", "kmem -s"),
                ("kmem_S", "kmem -S"), ("live", "leakscan -l %s" % cache),
                ("default", "leakscan"), ("top3", "leakscan -n 3 -s live"),
                ("byname", "leakscan -a -s name")]
        cmds += [("alias%d" % i, "leakscan %s" % a)
                 for i, a in enumerate(aliases_for(cache))]
        out = run_crash(vmlinux, vmcore, so, cmds, tmp)

        crash_alloc = parse_kmem_s(out["kmem_s"])
        listing = parse_kmem_S(out["kmem_S"])
        ranking = parse_ranking(out["ranking"])
        live = {int(l, 16) for l in out["live"].split()}
        test_ranking_views(tag, out, ranking)

        # Issue 2: the sample is what it claims, by the peers alone.
        check(tag + " crash kmem -s %s ALLOCATED >= %d leaked" % (cache, len(truth)),
              crash_alloc.get(cache, -1) >= len(truth) == int(m["leaked"]),
              "crash says %s" % crash_alloc.get(cache))
        check(tag + " drgn allocated count of %s equals crash's ALLOCATED" % cache,
              drgn_counts.get(cache) == crash_alloc.get(cache),
              "drgn %s, crash %s" % (drgn_counts.get(cache), crash_alloc.get(cache)))
        check(tag + " every ground-truth address is among drgn's allocated objects",
              truth <= drgn_objects, "%d missing" % len(truth - drgn_objects))

        # Issue 3: every cache, exactly.
        check(tag + " leakscan ranks every cache crash and drgn know (%d)" % len(drgn_counts),
              set(ranking) == set(drgn_counts) == set(crash_alloc),
              "only in drgn: %s; only in leakscan: %s" % (
                  sorted(set(drgn_counts) - set(ranking))[:5],
                  sorted(set(ranking) - set(drgn_counts))[:5]))
        bad = [c for c in drgn_counts if ranking.get(c) != drgn_counts[c]]
        check(tag + " leakscan live == drgn for every cache", not bad,
              ", ".join("%s %s/%s" % (c, ranking.get(c), drgn_counts[c]) for c in bad[:8]))
        differ = sorted(c for c in crash_alloc if ranking.get(c) != crash_alloc[c])
        summaries = {}
        if differ:
            more = run_crash(vmlinux, vmcore, so,
                             [("sum%d" % i, "leakscan %s" % c) for i, c in enumerate(differ)], tmp)
            summaries = {c: parse_summary(more["sum%d" % i])[0] for i, c in enumerate(differ)}
        unexplained = []
        for c in differ:
            # crash's header infers full slabs from node counters; its own
            # per-slab listing is exact.  Where they disagree, leakscan must
            # equal the listing plus the untracked full slabs crash cannot list.
            rows = summaries.get(c, {})
            memmap = rows.get("untracked full (memmap)", (0, 0, 0, 0))
            total = rows.get("total", (0, 0, 0, 0))
            listed_alloc, listed_slabs = listing.get(c, (None, None))
            if not (listed_alloc is not None and
                    ranking.get(c) == listed_alloc + memmap[2] and
                    memmap[1] == memmap[2] and
                    listed_slabs + memmap[0] == total[0]):
                unexplained.append(c)
        check(tag + " leakscan live == crash kmem -s ALLOCATED for every cache%s" % (
                  " (%d where crash's header contradicts its own kmem -S: %s)" % (
                      len(differ), ", ".join(differ)) if differ else ""),
              not unexplained,
              ", ".join("%s leakscan %s crash %s kmem -S sum %s" % (
                  c, ranking.get(c), crash_alloc.get(c), listing.get(c)) for c in unexplained[:8]))

        mkd = run_crash(vmlinux, os.path.join(d, m["vmcore-mkd"]), so,
                        [("ranking_mkd", "leakscan -a")], tmp)
        mkd_ranking = parse_ranking(mkd["ranking_mkd"])
        bad = [c for c in drgn_counts if mkd_ranking.get(c) != drgn_counts[c]]
        check(tag + " on the makedumpfile -c -d 31 dump, leakscan live == drgn for every cache",
              not bad and mkd_ranking,
              ", ".join("%s %s/%s" % (c, mkd_ranking.get(c), drgn_counts[c]) for c in bad[:8]))

        check(tag + " live address set of %s == drgn's (%d)" % (cache, len(drgn_objects)),
              live == drgn_objects,
              "%d only in leakscan, %d only in drgn" % (len(live - drgn_objects),
                                                        len(drgn_objects - live)))
        check(tag + " every ground-truth leaked address is live", truth <= live,
              "%d missing" % len(truth - live))
        for i, a in enumerate(aliases_for(cache)):
            _, found = parse_summary(out["alias%d" % i])
            check(tag + " 'leakscan %s' finds %s" % (a, cache), found == cache,
                  "found %s" % found)
        rows, _ = parse_summary(out["alias0"])
        if "slub_debug=U" in m.get("cmdline", ""):
            check(tag + " owner tracking: full slabs are on the node full list, none untracked",
                  rows.get("node full", (0,))[0] > 0
                  and "memory map scanned: 0 slabs no list tracks" in out["alias0"]
                  and rows.get("untracked full (memmap)", (1,))[0] == 0)
        elif cache == "kmalloc-4k":
            check(tag + " untracked full slabs found by the memmap scan",
                  rows.get("untracked full (memmap)", (0,))[0] > 0
                  and "memory map scanned" in out["alias0"])


# What each sample's leak cluster must say about its owner (issue 4).
OWNER_EXPECT = {
    "S1": ("text", "/proc/schedstat"),
    "S2": ("symbol", "leak_fnptr_handler [leak_fnptr]"),
    "S3": ("alloc-track", "read_proc_into_buffer"),
    "S6": ("text", "Ethernet + IPv4 frame"),
}


def control_bytes(text):
    return [c for c in text if ord(c) < 0x20 and c not in "\n"]


def content_of(doc):
    """Object content an unredacted JSON report carries: previews (text and
    hex) and common strings, each at least 6 characters long."""
    found = set()
    for c in doc["clusters"]:
        found.update(x for x in [c["preview"], c["preview_hex"]] +
                     [t["text"] for t in c["strings"]] if len(x) >= 6)
    return found


def without_content(doc):
    """doc with every cluster's previews and strings left out."""
    return dict(doc, clusters=[{k: v for k, v in c.items()
                                if k not in ("preview", "preview_hex", "strings")}
                               for c in doc["clusters"]])


def test_redaction(tag, out):
    """Issue 13: with -R no byte of object content reaches the report."""
    try:
        plain, red = json.loads(out["all_json"]), json.loads(out["redacted_json"])
    except ValueError as e:
        check(tag + " leakscan -a -R -j writes valid JSON", False, str(e))
        return
    content = content_of(plain)
    # A content string the plain report also carries outside any content
    # field is no leak: a task's comm in a stack holder's label ("stack of
    # pid 10 (mm_percpu_wq)") may be text some object holds too.
    named = json.dumps(without_content(plain))
    leaked = [x for x in content if (x in out["redacted"] or x in out["redacted_json"])
              and x not in named]
    check(tag + " -R: none of the %d content strings of the plain report appears" % len(content),
          content and not leaked and red.get("redacted") is True, repr(leaked[:3]))
    check(tag + " -R: previews and strings are empty, lengths and owners stay",
          not content_of(red) and
          [c["owner"]["guess"] for c in red["clusters"]] ==
          [c["owner"]["guess"] for c in plain["clusters"]] and
          [len(c["strings"]) for c in red["clusters"]] ==
          [len(c["strings"]) for c in plain["clusters"]])


def test_clusters(d, so):
    m = read_manifest(d)
    name, cache, vmlinux = m["scenario"], m["cache"], m["vmlinux"]
    vmcore = os.path.join(d, m["vmcore-flat"])
    truth = read_addrs(os.path.join(d, m["truth"]))
    tag = "%s:" % name
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(vmlinux, vmcore, so, [
            ("json", "leakscan -j %s" % cache), ("json2", "leakscan -j %s" % cache),
            ("members", "leakscan -l -k 1 %s" % cache), ("text", "leakscan %s" % cache),
            ("dump", "leakdump -k 1 -c 3 -b 512 %s" % cache),
            ("struct", "leakdump -k 1 -c 1 -s list_head %s" % cache),
            ("all_json", "leakscan -a -j %s" % cache),
            ("redacted", "leakscan -a -R %s" % cache),
            ("redacted_json", "leakscan -a -R -j %s" % cache)], tmp)
    try:
        doc = json.loads(out["json"])
    except ValueError as e:
        check(tag + " leakscan -j writes valid JSON", False, str(e))
        return
    test_redaction(tag, out)
    widest = max(len(l) for k in ("text", "redacted", "dump") for l in out[k].splitlines())
    check(tag + " report and dump lines stay within 100 columns (widest %d)" % widest,
          widest <= 100)
    check(tag + " leakscan -j: schema leakext/1, cache %s" % cache,
          doc.get("schema") == "leakext/1" and doc["cache"]["name"] == cache)
    check(tag + " clustering is deterministic (two runs, same JSON)", out["json"] == out["json2"])
    members = {int(l, 16) for l in out["members"].split()}
    top = doc["clusters"][0]
    check(tag + " -l -k 1 lists the %d members of cluster 1" % top["count"],
          len(members) == top["count"])
    inside = len(members & truth)
    check(tag + " largest cluster holds >= 95%% of the %d leaked objects (%d)" % (len(truth), inside),
          inside >= 0.95 * len(truth))
    stray = len(members - truth)
    check(tag + " < 2%% of the largest cluster is not leaked (%d of %d)" % (stray, len(members)),
          stray < 0.02 * max(len(members), 1))
    signal, needle = OWNER_EXPECT[name[:2]]
    ev = [e["text"] for e in top["owner"]["evidence"] if e["signal"] == signal]
    check(tag + " owner evidence (%s) names %s" % (signal, needle),
          any(needle in t for t in ev), json.dumps(top["owner"]))
    bare = needle.split(" [")[0].lstrip("/")
    check(tag + " owner guess names %s" % bare.split("/")[-1],
          bare.split("/")[-1] in top["owner"]["guess"], top["owner"]["guess"])
    check(tag + " leakdump -s prints a member as a struct through crash",
          "struct list_head {" in out["struct"] and "next = 0x" in out["struct"],
          out["struct"][:200])
    for key in ("text", "dump"):
        check(tag + " %s output reaches the terminal without control bytes" % key,
              out[key] and not control_bytes(out[key]), repr(control_bytes(out[key])[:5]))


def without_source(doc):
    """The fields that name the dump and where types and symbols came from
    differ between the extension ("crash") and the program."""
    return {k: v for k, v in doc.items() if k not in ("source", "types", "symbols")}


def run_standalone(args):
    exe = os.environ.get("LEAKEXT_LEAKSCAN") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "leakscan")
    exe = os.path.abspath(exe)
    p = subprocess.run([exe, "-q"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=900, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def integrity_clean(doc):
    """A ranking: complete, every cache ok; a cluster report: its cache ok."""
    if "caches" in doc:
        return doc.get("complete") is True and all(
            c.get("integrity", {}).get("ok") is True for c in doc["caches"])
    return doc.get("integrity", {}).get("ok") is True


def test_standalone(d, so):
    """Issue 5: the program equals the extension on the same dump."""
    m = read_manifest(d)
    name, cache, vmlinux = m["scenario"], m["cache"], m["vmlinux"]
    mkd, kdump = os.path.join(d, m["vmcore-mkd"]), os.path.join(d, m["vmcore-kdump"])
    tag = "%s: standalone:" % name
    with tempfile.TemporaryDirectory() as tmp:
        ext = run_crash(vmlinux, mkd, so, [("rank", "leakscan -j"),
                                          ("cache", "leakscan -j %s" % cache)], tmp)
    for what, args in (("ranking", []), ("cluster report of %s" % cache, [cache])):
        rc, out, err = run_standalone(["-j", vmlinux, mkd, kdump] + args)
        lines = out.splitlines()
        check(tag + " %s: exit 0, one JSON line per vmcore" % what, rc == 0 and len(lines) == 2,
              "rc %d, %d lines; %s" % (rc, len(lines), err.strip()[:300]))
        if len(lines) != 2:
            continue
        docs = [without_source(json.loads(l)) for l in lines]
        mine = without_source(json.loads(ext["rank" if not args else "cache"]))
        check(tag + " %s on the makedumpfile -d 31 dump == the extension's (JSON)" % what,
              docs[0] == mine)
        check(tag + " %s on the makedumpfile -R dump == on the -d 31 dump" % what,
              docs[1] == docs[0])
        check(tag + " %s: the real dump passes every integrity check" % what,
              integrity_clean(docs[0]), json.dumps(docs[0])[:300])
    rc, _, err = run_standalone([vmlinux, os.path.join(d, m["vmcore-flat"])])
    check(tag + " a flattened dump is refused with advice, exit 1",
          rc == 1 and "makedumpfile -R" in err, err.strip()[:200])
    with tempfile.TemporaryDirectory() as tmp:
        cut = os.path.join(tmp, "truncated.mkd")
        with open(mkd, "rb") as src, open(cut, "wb") as dst:
            dst.write(src.read(os.path.getsize(mkd) * 9 // 10))
        rc, _, err = run_standalone([vmlinux, cut, cache])
    check(tag + " a truncated dump gives a clear message and exit 1, no crash",
          rc == 1 and ("error:" in err or "warning:" in err), "rc %d: %s" % (rc, err.strip()[:200]))


def test_standalone_cli():
    rc, out, _ = run_standalone(["--help"])
    check("standalone: --help exits 0 and documents exit codes", rc == 0 and "Exit status" in out)
    rc, out, _ = run_standalone(["--version"])
    check("standalone: --version", rc == 0 and out.startswith("leakscan (leakext) "))
    rc, _, err = run_standalone(["only-one-arg"])
    check("standalone: bad usage exits 2", rc == 2 and "VMCORE" in err)
    # A vmlinux without types (exit 3): tests/integration/sources.py.
    rc, _, err = run_standalone(["/bin/true", "/bin/true", "/etc/hostname"])
    check("standalone: two kernel images are a usage error",
          rc == 2 and "at most one VMLINUX" in err, err.strip()[:200])
    # Issue 13: every usage error exits 2 with a reason, before any work.
    usage_errors = [
        (["--bogus", "a", "b"], "--help"),
        (["-s", "weight", "a", "b"], "bytes, live, total, slabs, size, name"),
        (["-n", "0", "a", "b"], "positive number"),
        (["-j", "-l", "a", "b", "kmalloc-4k"], "-j cannot go with -l, -u, -d or --refs"),
        (["-j", "-d", "a", "b", "kmalloc-4k"], "-j cannot go with -l, -u, -d or --refs"),
        (["-j", "-u", "a", "b", "kmalloc-4k"], "-j cannot go with -l, -u, -d or --refs"),
        (["-l", "-u", "a", "b", "kmalloc-4k"], "choose one of -l, -u, -d and --refs"),
        (["--refs=zz", "a"], "--refs takes a hexadecimal address"),
        (["-u", "/no/such/vmcore"], "need a cache"),
        (["-l", "/no/such/vmcore"], "need a cache"),
        (["--types=ctf", "a"], "--types takes"),
    ]
    for args, needle in usage_errors:
        rc, out, err = run_standalone(args)
        check("standalone: usage error %s exits 2: %s" % (" ".join(args), needle),
              rc == 2 and needle in err and not out, "rc %d: %s" % (rc, err.strip()[:200]))


def test_install(so):
    """Issue 13: make install DESTDIR=... stages the extension, the program
    and both man pages; crash loads the staged extension; the staged
    program runs; man reads both pages."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with tempfile.TemporaryDirectory() as dest:
        p = subprocess.run(["make", "-s", "install", "DESTDIR=" + dest, "PREFIX=/usr"],
                           cwd=root, capture_output=True, text=True, timeout=600)
        staged = {k: os.path.join(dest, v) for k, v in (
            ("so", "usr/lib/crash/extensions/leakext.so"), ("bin", "usr/bin/leakscan"),
            ("man1", "usr/share/man/man1/leakscan.1"), ("man8", "usr/share/man/man8/leakext.8"))}
        check("install: make install DESTDIR stages the .so, the program and two man pages",
              p.returncode == 0 and all(os.path.isfile(f) for f in staged.values()),
              p.stderr.strip()[:300])
        if p.returncode:
            return
        v = subprocess.run([staged["bin"], "--version"], capture_output=True, text=True)
        check("install: the staged leakscan runs", v.returncode == 0 and "leakext" in v.stdout)
        for page in ("man1", "man8"):
            m = subprocess.run(["man", "-l", "--warnings", staged[page]], capture_output=True,
                               text=True, env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING=""))
            check("install: man -l reads %s without warnings" % os.path.basename(staged[page]),
                  m.returncode == 0 and "leakscan" in m.stdout and not m.stderr.strip(),
                  m.stderr.strip()[:200])
        u = subprocess.run(["make", "-s", "uninstall", "DESTDIR=" + dest, "PREFIX=/usr"],
                           cwd=root, capture_output=True, text=True)
        check("install: make uninstall removes all four",
              u.returncode == 0 and not any(os.path.exists(f) for f in staged.values()))
    return staged["so"]


def readme_commands():
    """The README's two commands, as written (the indented lines that follow
    'Set up everything' and 'Run the tests')."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "README.md")) as f:
        text = f.read()
    found = []
    for lead in ("Set up everything", "Run the tests"):
        after = text[text.index(lead):]
        found.append(next(l.strip() for l in after.splitlines() if l.startswith("    ")))
    return root, found


def test_readme_commands():
    """Issue 13: the README's demo command works as written (as root; a
    regular user's apt-get would need sudo, so there only its make part
    runs), and its test command is the one CI runs last."""
    root, (demo, tests) = readme_commands()
    cmd = demo if os.getuid() == 0 else demo.split("&&")[-1].strip()
    p = subprocess.run(["bash", "-c", cmd], cwd=root, capture_output=True, text=True,
                       timeout=1800)
    check("README: '%s' exits 0 and shows the S1 report" % cmd,
          p.returncode == 0 and "CLUSTER 1: 3000 objects" in p.stdout and
          "/proc/schedstat" in p.stdout, (p.stdout + p.stderr)[-300:])
    with open(os.path.join(root, ".ci", "run")) as f:
        ci_last = [l.strip() for l in f if l.strip() and not l.startswith("#")][-1]
    check("README: the test command ends with what CI runs last (%s)" % ci_last,
          tests.endswith(ci_last) and tests.startswith("apt-get update"), tests)


def test_json_messages(d, so):
    """A message during "leakscan -j > file" goes to crash's console, never
    into the JSON; a text report keeps it, as crash's own commands do."""
    m = read_manifest(d)
    tag = "%s:" % m["scenario"]
    with tempfile.TemporaryDirectory() as tmp:
        out = run_crash(m["vmlinux"], os.path.join(d, m["vmcore-flat"]), so,
                        [("json", "leakscan -j %s" % m["cache"]),
                         ("text", "leakscan -n 1 %s" % m["cache"])], tmp,
                        {"LEAKEXT_TIMING": "1"})
    note = "NOTE: timing %s:" % m["cache"]
    try:
        json.loads(out["json"])
        parsed = True
    except ValueError:
        parsed = False
    check(tag + " with a NOTE during leakscan -j > file, the file is one JSON document",
          parsed and note not in out["json"], out["json"][:120])
    check(tag + " that NOTE reaches crash's console instead",
          note in out[CONSOLE], out[CONSOLE][-300:])
    check(tag + " a text report keeps its NOTE, as crash's own commands do",
          note in out["text"], out["text"][:120])


def test_staged_extension(samples_dirs):
    """crash loads leakext.so from a staged install path and runs leakscan."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    d = samples_dirs[0]
    m = read_manifest(d)
    with tempfile.TemporaryDirectory() as dest:
        subprocess.run(["make", "-s", "install", "DESTDIR=" + dest, "PREFIX=/usr"],
                       cwd=root, capture_output=True, timeout=600)
        so = os.path.join(dest, "usr/lib/crash/extensions/leakext.so")
        with tempfile.TemporaryDirectory() as tmp:
            out = run_crash(m["vmlinux"], os.path.join(d, m["vmcore-flat"]), so,
                            [("rank", "leakscan -n 1"), ("help", "help leakscan")], tmp)
    check("install: crash extends the staged leakext.so and runs leakscan",
          re.search(r"\b1 of [1-9]\d* caches shown", out["rank"]) is not None
          and "leakext " in out["help"],
          out["rank"][:200])


def main():
    samples, so = sys.argv[1], os.path.abspath(sys.argv[2])
    dirs = sample_dirs(samples)
    check("samples present in %s" % samples, len(dirs) >= 3,
          "found %d (run make samples)" % len(dirs))
    for d in dirs:
        test_sample(d, so)
        test_clusters(d, so)
        test_standalone(d, so)
    test_json_messages(dirs[0], so)
    test_standalone_cli()
    if not os.environ.get("LEAKEXT_CRASH_PRELOAD"):	# the plain build only
        test_install(so)
        test_staged_extension(dirs)
        test_readme_commands()
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
