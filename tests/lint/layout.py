#!/usr/bin/env python3
"""user/ stays a pipeline (docs/architecture.md): no two files of user/ call each
other, directly or around a circle, and the folders call each other only down the
order of user/CMakeLists.txt. Read from the symbols of the objects a build made
(nm): what each object defines and what it needs. Needs no root.

usage: layout.py BUILD_DIR"""
import collections
import glob
import os
import subprocess
import sys

ORDER = ["base", "target", "kernel", "agg", "probe", "runtime", "output", "pipeline", "tui",
         "diff", "cmd"]


def objects(build):
    for o in glob.glob(os.path.join(build, "user/CMakeFiles/nnp_*.dir/**/*.o"), recursive=True):
        yield o.split(".dir/", 1)[1][:-2], o


def symbols(build):
    defs, uses = {}, collections.defaultdict(set)
    for name, path in objects(build):
        out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TDBR":
                defs[f[2]] = name
            elif len(f) == 2 and f[0] == "U":
                uses[name].add(f[1])
    return defs, uses


def cycles(edges):
    """strongly connected components of more than one file (Tarjan)"""
    index, low, stack, on, found, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def main():
    build = sys.argv[1]
    defs, uses = symbols(build)
    if len(uses) < 50:
        print(f"FAIL: only {len(uses)} objects under {build}/user: not a build", file=sys.stderr)
        return 1
    edges = collections.defaultdict(set)
    for f, syms in uses.items():
        edges[f] |= {defs[s] for s in syms if s in defs and defs[s] != f}
    bad = [f"files call each other: {' <-> '.join(c)}" for c in cycles(edges)]
    for a in sorted(edges):
        for b in sorted(edges[a]):
            fa, fb = a.split("/")[0], b.split("/")[0]
            if fa != fb and ORDER.index(fb) > ORDER.index(fa):
                bad.append(f"{a} calls up the pipeline into {b}")
    for b in bad:
        print(f"FAIL: {b}", file=sys.stderr)
    if bad:
        return 1
    nedges = sum(len(v) for v in edges.values())
    print(f"ok: {len(uses)} files of user/, {nedges} calls between files, no cycle, "
          "folders called only down the pipeline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
