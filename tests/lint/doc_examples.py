#!/usr/bin/env python3
# Every probe definition the docs show is one nnperf parses: each line of a fenced code
# block in README.md and docs/*.md that starts with a role (layer=, inference=, ...), each
# --probe '...' in such a block, and every example .spec file in the tree, given to
# `nnperf record --probe DEF` (or --spec FILE) with no target, which must stop at
# "nothing to record" (the definitions parsed) and not at a probe error.
#   doc_examples.py SRC_DIR NNPERF
import glob
import os
import re
import subprocess
import sys

ROLES = r"(?:layer|inference|layer-begin|layer-end|inference-begin|inference-end)"
LINE = re.compile(r"^\s*(" + ROLES + r"=\S.*?)\s*$")
OPT = re.compile(r"--probe\s+'(" + ROLES + r"=[^']*)'")


def code_lines(path):
    """(line number, text) of the lines inside ``` fences"""
    inside = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.lstrip().startswith("```"):
                inside = not inside
            elif inside:
                yield n, line.rstrip("\n")


def examples(src):
    files = [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))
    for path in files:
        for n, line in code_lines(path):
            where = "%s:%d" % (os.path.relpath(path, src), n)
            m = LINE.match(line)
            if m and not line.lstrip().startswith("#"):
                yield where, ["--probe", m.group(1)]
            for m in OPT.finditer(line):
                yield where, ["--probe", m.group(1)]
    # the spec files shipped as examples (the fuzz corpora and unit data hold bad ones)
    for path in sorted(glob.glob(os.path.join(src, "**", "*.spec"), recursive=True)):
        rel = os.path.relpath(path, src)
        if not rel.startswith(("build", "tests/fuzz/", "tests/unit/data/")):
            yield rel, ["--spec", path]


def main():
    src, nnperf = sys.argv[1], sys.argv[2]
    bad, n = [], 0
    for where, args in examples(src):
        n += 1
        r = subprocess.run([nnperf, "record"] + args, capture_output=True, text=True)
        if r.returncode != 2 or "nothing to record" not in r.stderr:
            bad.append("%s: %s: exit %d: %s" % (where, " ".join(args), r.returncode,
                                                r.stderr.strip().splitlines()[:1]))
    for b in bad:
        print("FAIL: " + b)
    print("doc examples: %d checked, %d do not parse" % (n, len(bad)))
    sys.exit(1 if bad or n == 0 else 0)


main()
