#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks an nnperf recording of run.py against the interpreter's own account.

  check.py REC.json INFO.json INFERENCES [--window]

INFO.json is run.py --info's: the plan's nodes. The recording must hold
exactly INFERENCES inferences (--window: at least 5, from -p over a window,
whose two ends may cut a node's inference); one layer per node, each run once
an inference, named by its output tensor with its op; the nodes' time 95-100%
of the inferences' (LiteRT's loop between nodes is all that is outside them).
"""
import json
import sys


def main():
    rec, info, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
    window = "--window" in sys.argv[4:]
    procs = [p for p in json.load(open(rec))["processes"] if p["layers"]]
    assert len(procs) == 1, f"{len(procs)} processes with layers"
    p = procs[0]
    nodes = json.load(open(info))["nodes"]
    n = p["inferences"]["count"]
    if window:
        assert n >= 5, f"{n} inferences"
    else:
        assert n == want, f"{n} inferences, the script ran {want}"
    layers = p["layers"]
    assert len(layers) == len(nodes), f"{len(layers)} layers, the plan has {len(nodes)} nodes"
    got = {(l["name"], l["op"]) for l in layers}
    exp = {(x["name"], x["op"]) for x in nodes}
    assert got == exp, f"names/ops differ: nnperf only {sorted(got - exp)[:4]}, " \
                       f"LiteRT only {sorted(exp - got)[:4]}"
    lo, hi = (n, n + 2) if window else (n, n)
    off = [(l["name"], l["count"]) for l in layers if not lo <= l["count"] <= hi]
    assert not off, f"nodes not run once an inference ({n}): {off[:4]}"
    nested = [l["name"] for l in layers if l["depth"]]
    assert not nested, f"nodes nested in nodes: {nested[:4]}"
    share = sum(l["total_ns"] for l in layers) / p["inferences"]["total_ns"]
    if not window:  # a window's cut inferences hold nodes the count does not
        assert 0.95 <= share <= 1.0, f"nodes are {share:.1%} of the inference time"
    print(f"ok: {n} inferences x {len(layers)} nodes ({', '.join(sorted({o for _, o in got}))}),"
          f" nodes {share:.1%} of the inference time")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit(f"check.py: {e}")
