# SPDX-License-Identifier: GPL-2.0-or-later
"""What every integration test script shares: PASS:/FAIL: lines that
tests/run-tests counts, the sample recipe's manifest, and the program."""
import os
import subprocess

RESULTS = []

LEAKSCAN = os.path.abspath(os.environ.get("LEAKEXT_LEAKSCAN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "leakscan"))


def run_leakscan(args):
    """The program, quiet: its exit status, stdout and stderr (bytes)."""
    p = subprocess.run([LEAKSCAN, "-q"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900)
    return p.returncode, p.stdout, p.stderr


def run_leakscan_text(args):
    """The program, quiet: its exit status, stdout and stderr (text)."""
    p = subprocess.run([LEAKSCAN, "-q"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def read_addresses(path):
    """A truth file's addresses: the first word of each line, in hex."""
    with open(path) as f:
        return {int(l.split()[0], 16) for l in f if l.strip()}


def check(name, ok, detail=""):
    RESULTS.append(ok)
    print("%s: %s%s" % ("PASS" if ok else "FAIL", name,
                        "" if ok or not detail else " -- " + detail))


def read_manifest(d):
    m = {}
    with open(os.path.join(d, "manifest")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            m[k] = v
    return m


def sample_dirs(samples):
    """The 6.1 sample directories of a samples tree (S4 is only for the bench)."""
    return sorted(os.path.join(samples, d) for d in os.listdir(samples)
                  if os.path.isfile(os.path.join(samples, d, "manifest"))
                  and not d.startswith("S4"))


