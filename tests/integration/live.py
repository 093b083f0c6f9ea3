#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live scenario L1 (vmcore-samples/live-recipe): a QEMU guest whose
module leaks 20 schedstat buffers a second into kmalloc-4k runs this tree's
leakscan on its own /proc/kcore, and is dumped twice on the way.

The harness is checked on any leakscan: the guest boots and powers off,
leakscan runs in it (--version as on the host), /proc/kcore and
/sys/kernel/btf/vmlinux exist, `su nobody` works, the module leaks at its
rate, and each dump holds every buffer the module had leaked when it was
taken (its count, printed while it was paused for the dump).

The live features are checked when `leakscan --help` names them, and are
SKIP lines otherwise, never PASS:
  /proc/kcore  -l lists every buffer printed before the scan; -j's first
               cluster is the module's; CPU time and peak RSS; as nobody,
               a message that says root and a non-zero status.
  --watch      -j --watch 2 --count 5: five documents, the last one's first
               cluster the module's, growing 1200/min within 20%.
  --diff       --diff DUMP1 DUMP2 kmalloc-4k (-j): the cluster that grew
               most grew by exactly the module's count between the dumps.
The --watch and --diff JSON is read as issue #25 describes it (per cluster:
a growth per minute; counts before and after); the names are looked up
loosely, and a document without them fails with the keys it has.

usage: live.py LEAKSCAN [RUN_DIR]
With RUN_DIR (a finished `live-recipe run`), nothing is booted.
Prints PASS:/FAIL:/SKIP:/INFO: lines; exits non-zero if any failed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import RESULTS, check

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPE = os.path.join(HERE, "..", "..", "vmcore-samples", "live-recipe")
RATE = 20			# buffers a second (the init script's rate=20)
RATE_SLACK = 0.10		# the module against its own clock
WATCH_SLACK = 0.20		# leakscan's growth against the module's rate
NOBODY = 65534
CLEAN = (0, 4)			# analysed; 4: some result flagged (a moving cache)

SECTION = re.compile(r"^LEAKEXT-BEGIN (\S+)\n(.*?)^LEAKEXT-END \1 status=(\d+)$",
                     re.S | re.M)
DUMP = re.compile(r"^LEAKEXT-DUMP (\d+) count=(\d+) uptime=([\d.]+)$", re.M)
DUMPED = re.compile(r"^LEAKEXT-DUMPED (\d+) dumped \1 uptime=([\d.]+)$", re.M)
TRUTH = re.compile(r"leakext-live leak (\d+) ([0-9a-f]+)$", re.M)
ADDRESS = re.compile(r"^(?:0x)?([0-9a-f]{16})$", re.M)


def skip(name, reason):
    print("SKIP: %s -- %s" % (name, reason))


def info(text):
    print("INFO: " + text)


def run(args, timeout=600):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace", timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def boot(leakscan, out):
    """live-recipe run; None when this machine cannot run it."""
    if not shutil.which("qemu-system-x86_64"):
        return "no qemu-system-x86_64"
    status, _, err = run([RECIPE, "--no-install", "build"])
    if status != 0:
        return "live-recipe build failed: " + ascii(err.strip()[-300:])
    status, _, err = run([RECIPE, "--no-install", "run", leakscan, out], 900)
    sys.stderr.write(err)
    check("live: the guest ran and powered off (live-recipe run)", status == 0,
          ascii(err.strip()[-300:]))
    return None


def read_console(out):
    with open(os.path.join(out, "console.log"), "rb") as f:
        return f.read().decode(errors="replace").replace("\r", "")


def sections(console):
    return {m.group(1): (m.group(2), int(m.group(3)))
            for m in SECTION.finditer(console)}


def truth(text):
    """seq -> address of the module's lines in a dmesg excerpt."""
    return {int(m.group(1)): int(m.group(2), 16) for m in TRUTH.finditer(text)}


def addresses(text):
    return {int(a, 16) for a in ADDRESS.findall(text)}


def help_has(leakscan, word):
    _, out, err = run([leakscan, "--help"])
    return word in out + err


def check_harness(leakscan, secs):
    _, host_version, _ = run([leakscan, "--version"])
    text, status = secs.get("version", ("", -1))
    check("live: leakscan runs in the guest (--version as on the host)",
          status == 0 and text.strip() == host_version.strip(),
          "status %d, %s" % (status, ascii(text.strip()[:200])))
    text, status = secs.get("kcore", ("", -1))
    check("live: the guest has /proc/kcore", status == 0 and "/proc/kcore" in text,
          ascii(text.strip()[:200]))
    text, status = secs.get("btf", ("", -1))
    check("live: the guest has /sys/kernel/btf/vmlinux",
          status == 0 and "/sys/kernel/btf/vmlinux" in text, ascii(text.strip()[:200]))
    text, status = secs.get("nobody-id", ("", -1))
    check("live: su runs a command as nobody (uid %d)" % NOBODY,
          status == 0 and text.strip() == str(NOBODY), ascii(text.strip()[:200]))


def dump_points(console):
    """[(count, uptime at the dump, uptime at the resume)] for dumps 1, 2."""
    asked = {int(m.group(1)): (int(m.group(2)), float(m.group(3)))
             for m in DUMP.finditer(console)}
    resumed = {int(m.group(1)): float(m.group(2)) for m in DUMPED.finditer(console)}
    if sorted(asked) != [1, 2] or sorted(resumed) != [1, 2]:
        return None
    return [asked[n] + (resumed[n],) for n in (1, 2)]


def check_rate(points, leaked):
    (c1, _, r1), (c2, t2, _) = points
    expected = RATE * (t2 - r1)
    check("live: the module leaked %d buffers in %.2f s between the dumps (%.1f/s)"
          % (c2 - c1, t2 - r1, (c2 - c1) / (t2 - r1)),
          abs((c2 - c1) - expected) <= RATE_SLACK * expected,
          "expected %.0f within %d%%" % (expected, RATE_SLACK * 100))
    check("live: the module printed buffers 0..%d, each once" % (len(leaked) - 1),
          sorted(leaked) == list(range(len(leaked))) and
          len(set(leaked.values())) == len(leaked) and len(leaked) >= c2,
          "%d lines, count %d at dump 2" % (len(leaked), c2))


def dump_listing(leakscan, path):
    status, out, err = run([leakscan, "-q", "-l", path, "kmalloc-4k"])
    return status, addresses(out), err


def check_dumps(leakscan, out, points, leaked):
    """Each dump lists the buffers leaked before it (today's leakscan
    reads QEMU's ELF dumps): the counts were taken while paused."""
    for n, (count, _, _) in enumerate(points, 1):
        path = os.path.join(out, "dump%d.elf" % n)
        with open(path, "rb") as f:
            magic = f.read(4)
        if magic != b"\x7fELF":
            check("live: dump %d is an ELF file" % n, False, ascii(magic))
            continue
        status, listed, err = dump_listing(leakscan, path)
        missing = [s for s in range(count) if leaked.get(s) not in listed]
        check("live: dump %d (count %d) lists all %d buffers leaked before it"
              % (n, count, count), status in CLEAN and not missing,
              "status %d, missing seq %s %s" % (status, missing[:5],
                                                ascii(err.strip()[-200:])))
        if n == 1:
            check_held(leakscan, path, [leaked[s] for s in range(count)
                                        if s in leaked])


def check_held(leakscan, path, buffers):
    """The module keeps every buffer in its leaked[] array: -u must call
    none of them unreferenced."""
    status, out, err = run([leakscan, "-q", "-u", path, "kmalloc-4k"])
    unreferenced = addresses(out)
    lost = [a for a in buffers if a in unreferenced]
    check("live: -u dump1: none of the module's %d buffers is unreferenced"
          % len(buffers), status in CLEAN and buffers and not lost,
          "status %d, %d unreferenced, e.g. %s %s"
          % (status, len(lost), lost[:3], ascii(err.strip()[-200:])))


def rusage(secs, name):
    text, _ = secs.get(name + ".rusage", ("", -1))
    fields = {}
    for key, label in (("user", "User time (seconds)"),
                       ("sys", "System time (seconds)"),
                       ("rss", "Maximum resident set size (kbytes)")):
        m = re.search(re.escape(label) + r": ([\d.]+)", text)
        if m:
            fields[key] = float(m.group(1))
    return fields if len(fields) == 3 else None


def report_rusage(secs, names):
    for name in names:
        r = rusage(secs, name)
        if r:
            info("live: %s: CPU %.2f s (user %.2f, sys %.2f), peak RSS %d KiB, exit %d"
                 % (name, r["user"] + r["sys"], r["user"], r["sys"], r["rss"],
                    secs.get(name, ("", -1))[1]))


def json_lines(text):
    docs = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                docs.append(json.loads(line))
            except ValueError:
                pass
    return docs


def is_module_cluster(cluster, module):
    """module: the module's buffers (addresses) and, once known, its
    cluster's signature.  By signature where both have one, else by the
    members shown, else by the schedstat text the cluster shows."""
    if module.get("signature") and cluster.get("signature"):
        return cluster["signature"] == module["signature"]
    members = {int(a, 16) for a in cluster.get("members", [])}
    if members:
        return members <= module["addresses"]
    for key in ("preview", "head", "label", "text"):
        text = cluster.get(key)
        if isinstance(text, str) and text.startswith("version ") and "timestamp" in text:
            return True
    return False


def module_signature(clusters, addresses):
    """The signature of the cluster whose members shown are the module's."""
    for cluster in clusters:
        members = {int(a, 16) for a in cluster.get("members", [])}
        if members and members <= addresses:
            return cluster.get("signature")
    return None


def check_held_live(secs, before):
    """-u and --refs live: the module's buffers are held by its leaked[]."""
    text, status = secs.get("unreferenced", ("", -1))
    unreferenced = addresses(text)
    lost = [s for s, a in before.items() if a in unreferenced]
    check("live: -u /proc/kcore: none of the module's %d buffers is unreferenced"
          % len(before), status in CLEAN and before and not lost,
          "status %d, unreferenced seq %s" % (status, lost[:5]))
    text, status = secs.get("refs", ("", -1))
    check("live: --refs /proc/kcore of buffer 0: held by leaked [leak_rate]",
          status in CLEAN and "reachable from roots" in text
          and "leaked [leak_rate]" in text,
          "status %d, %s" % (status, ascii(text.strip()[:300])))


def check_kcore(secs, before, module):
    text, status = secs.get("list", ("", -1))
    listed = addresses(text)
    missing = [s for s, a in before.items() if a not in listed]
    check("live: -l /proc/kcore lists all %d buffers printed before the scan"
          % len(before), status in CLEAN and not missing,
          "status %d, missing seq %s" % (status, missing[:5]))
    text, status = secs.get("json", ("", -1))
    docs = json_lines(text)
    clusters = docs[0].get("clusters", []) if docs else []
    top = clusters[0] if clusters else {}
    check("live: -j /proc/kcore: cluster 1 is the module's (%d objects)"
          % top.get("count", 0),
          status in CLEAN and is_module_cluster(top, dict(module, signature=None)),
          "status %d, cluster keys %s" % (status, sorted(top)))
    check_held_live(secs, before)
    for name in ("list", "json", "unreferenced"):
        r = rusage(secs, name)
        check("live: %s: CPU time and peak RSS reported" % name,
              r is not None and r["rss"] > 0)
    text, status = secs.get("nonroot", ("", -1))
    check("live: as nobody: a message that says root, a non-zero status",
          status not in (0, 124, -1) and "root" in text.lower(),
          "status %d, %s" % (status, ascii(text.strip()[:200])))


def numeric_key(d, words):
    """The numeric member of d whose name holds the first of words that
    any holds."""
    for word in words:
        for key, value in d.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and word in key:
                return key, value
    return None, None


def check_watch(secs, module):
    text, status = secs.get("watch", ("", -1))
    check("live: --watch 2 --count 5 /proc/kcore ran", status in CLEAN,
          "status %d, %s" % (status, ascii(text.strip()[-200:])))
    text, status = secs.get("watch-json", ("", -1))
    docs = json_lines(text)
    check("live: -j --watch 2 --count 5: five documents", status in CLEAN and
          len(docs) == 5, "status %d, %d documents" % (status, len(docs)))
    for name in ("watch", "watch-json"):
        r = rusage(secs, name)
        check("live: %s: CPU time and peak RSS reported" % name,
              r is not None and r["rss"] > 0)
    clusters = docs[-1].get("clusters") if docs else None
    if not clusters:
        check("live: --watch: the last scan has clusters", False)
        return
    top = clusters[0]
    check("live: --watch: the fastest-growing cluster is the module's",
          is_module_cluster(top, module), "cluster keys %s" % sorted(top))
    key, rate = numeric_key(top, ("per_min", "per_minute", "rate", "growth"))
    want = RATE * 60
    check("live: --watch: the module's cluster grows %s/min (%s), %d/min within %d%%"
          % (rate, key, want, WATCH_SLACK * 100),
          rate is not None and abs(rate - want) <= WATCH_SLACK * want,
          "cluster keys: %s" % sorted(top))


def all_dicts(value):
    if isinstance(value, dict):
        yield value
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from all_dicts(item)


def count_of(value):
    if isinstance(value, dict):
        value = value.get("count", value.get("live"))
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def growth_of(entry):
    """after - before of a --diff entry, by either pair of names."""
    for old, new in (("before", "after"), ("old", "new")):
        before, after = count_of(entry.get(old)), count_of(entry.get(new))
        if before is not None and after is not None:
            return after - before
    return None


def check_diff(leakscan, out, points, module):
    grown = points[1][0] - points[0][0]
    dumps = [os.path.join(out, "dump%d.elf" % n) for n in (1, 2)]
    _, text, _ = run([leakscan, "-q", "-j", dumps[1], "kmalloc-4k"])
    docs = json_lines(text)
    module = dict(module, signature=module_signature(
        docs[0].get("clusters", []) if docs else [], module["addresses"]))
    info("live: the module's cluster signature in dump 2: %s"
         % ascii(module["signature"]))
    status, text, err = run([leakscan, "-q", "-j", "--diff"] + dumps + ["kmalloc-4k"])
    entries = [(growth_of(d), d) for doc in json_lines(text) for d in all_dicts(doc)]
    entries = [(g, d) for g, d in entries if g is not None]
    if module["signature"]:
        growth = [g for g, d in entries if d.get("signature") == module["signature"]]
    else:
        growth = sorted((g for g, _ in entries), reverse=True)[:1]
    check("live: --diff DUMP1 DUMP2 kmalloc-4k: the module's cluster grew %s = its count %d"
          % (growth[0] if growth else None, grown),
          status in CLEAN and growth[:1] == [grown],
          "status %d, %d entries with counts before and after, %s"
          % (status, len(entries), ascii(err.strip()[-200:])))
    status, text, err = run([leakscan, "-q", "--diff"] + dumps + ["kmalloc-4k"])
    check("live: --diff DUMP1 DUMP2 kmalloc-4k (text) ran", status in CLEAN and text,
          "status %d, %s" % (status, ascii(err.strip()[-200:])))


def check_run(leakscan, out):
    console = read_console(out)
    check("live: the init script ran to its end",
          "LEAKEXT-LIVE-START" in console and "LEAKEXT-DONE" in console)
    secs = sections(console)
    check_harness(leakscan, secs)
    points = dump_points(console)
    before = truth(secs.get("truth", ("", -1))[0])
    module = {"addresses": set(truth(secs.get("truth-end", ("", -1))[0]).values())}
    docs = json_lines(secs.get("json", ("", -1))[0])
    module["signature"] = module_signature(docs[0].get("clusters", []) if docs else [],
                                           module["addresses"])
    check("live: two dumps, each with the module's count", points is not None)
    if points is None:
        return
    info("live: the module's count: %d at dump 1, %d at dump 2"
         % (points[0][0], points[1][0]))
    check_rate(points, before)
    check_dumps(leakscan, out, points, before)
    report_rusage(secs, ("list", "json", "unreferenced", "watch", "watch-json"))
    if help_has(leakscan, "/proc/kcore"):
        check_kcore(secs, before, module)
    else:
        skip("live: -l, -j and nobody on /proc/kcore, CPU time and peak RSS",
             "leakscan --help does not name /proc/kcore (issue #25's live target)")
    if help_has(leakscan, "--watch"):
        check_watch(secs, module)
    else:
        skip("live: --watch 2 --count 5 on /proc/kcore",
             "leakscan --help has no --watch")
    if help_has(leakscan, "--diff"):
        check_diff(leakscan, out, points, module)
    else:
        skip("live: --diff of the two dumps", "leakscan --help has no --diff")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    leakscan = os.path.abspath(sys.argv[1])
    if len(sys.argv) == 3:
        check_run(leakscan, sys.argv[2])
    else:
        out = tempfile.mkdtemp(prefix="leakext-live-")
        try:
            reason = boot(leakscan, out)
            if reason:
                skip("live: the L1 guest", reason)
            elif os.path.exists(os.path.join(out, "console.log")):
                check_run(leakscan, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
