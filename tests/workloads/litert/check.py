#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks an nnperf recording of run.py against the interpreter's own account.

  check.py REC.json INFO.json INFERENCES [--window]

INFO.json is run.py --info's: the plan's nodes. The recording must hold
exactly INFERENCES inferences (--window: at least 5, from -p over a window,
whose two ends may cut a node's inference); one layer per node, each run once
an inference, keyed by its node index, named by its output tensor with its op; the nodes' time 95-100%
of the inferences' (LiteRT's loop between nodes is all that is outside them).
Inside each DELEGATE node: XNNPACK's operators, xnnpack#1.. in the order they
ran, each once an inference, that follow the nodes the delegate replaced
(XNNPACK defines its operators from them in their order: one each, of a type
the node's op becomes, and at most one Copy, a reshape XNNPACK adds, after a
node), 80-100% of the time of a DELEGATE node of 100 us or more.
"""
import json
import re
import sys

# what XNNPACK makes of a TFLite op: its operator types' names start so
# (a 1x1 convolution becomes a Fully Connected; 2.x names Add "Binary Elementwise")
XNN_TYPES = {
    "CONV_2D": ("Convolution", "Fully Connected"),
    "DEPTHWISE_CONV_2D": ("Convolution",),
    "ADD": ("Add", "Binary Elementwise"),
    "MEAN": ("Mean", "Global Average Pooling"),
    "FULLY_CONNECTED": ("Fully Connected",),
    "SOFTMAX": ("Softmax",),
    "QUANTIZE": ("Convert", "Unary Elementwise"),
    "DEQUANTIZE": ("Convert", "Unary Elementwise"),
    "RESHAPE": ("Copy", "Static Reshape"),
}


def xnn_follow(ops, tflite):
    """XNNPACK's operator types OPS, in order, against the TFLite ops they were
    built from: the TFLite node each operator came from, or an AssertionError."""
    got, i = [], 0
    for t in tflite:
        assert i < len(ops), f"no XNNPACK operator for {t} (node {len(got)})"
        assert ops[i].startswith(XNN_TYPES.get(t, (t,))), \
            f"operator {i + 1} is {ops[i]!r}, the node it follows is {t}"
        got.append(t)
        i += 1
        if i < len(ops) and ops[i].startswith("Copy") and t != "RESHAPE":
            got.append(t + " (its reshape)")
            i += 1
    assert i == len(ops), f"{len(ops) - i} XNNPACK operators beyond the nodes: {ops[i:][:3]}"
    return got


def check_xnnpack(p, layers, replaced, n, lo, hi):
    """The XNNPACK operators inside each DELEGATE node; their count."""
    xnn = [l for l in layers if re.fullmatch(r"xnnpack#\d+", l["name"])]
    assert all(l["depth"] == 1 and l["parent"] for l in xnn), "XNNPACK operators not nested"
    total = 0
    for name, tflite in replaced.items():
        inside = sorted((l for l in xnn if l["parent"]["name"] == name),
                        key=lambda l: int(l["name"].split("#")[1]))
        off = [(l["name"], l["count"]) for l in inside if not lo <= l["count"] <= hi]
        assert not off, f"operators not run once an inference ({n}): {off[:4]}"
        xnn_follow([l["op"] for l in inside], tflite)
        d = next(l for l in layers if l["name"] == name)
        share = sum(l["total_ns"] for l in inside) / d["total_ns"]
        # a delegate of one 1 us operator is mostly TFLite's and the probes' own cost
        if d["mean_ns"] >= 100000:
            assert 0.8 <= share <= 1.0, f"{name}'s operators are {share:.1%} of its time"
        print(f"ok: DELEGATE {name}: {len(inside)} XNNPACK operators for {len(tflite)} nodes, "
              f"{share:.1%} of its time ({inside[0]['op']}, ...)")
        total += len(inside)
    assert total == len(xnn), f"{len(xnn) - total} XNNPACK operators outside DELEGATE nodes"
    return xnn


def main():
    rec, info, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
    window = "--window" in sys.argv[4:]
    procs = [p for p in json.load(open(rec))["processes"] if p["layers"]]
    assert len(procs) == 1, f"{len(procs)} processes with layers"
    p = procs[0]
    info = json.load(open(info))
    nodes = info["nodes"]
    n = p["inferences"]["count"]
    if window:
        assert n >= 5, f"{n} inferences"
    else:
        assert n == want, f"{n} inferences, the script ran {want}"
    lo, hi = (n, n + 2) if window else (n, n)
    xnn = check_xnnpack(p, p["layers"], info.get("replaced", {}), n, lo, hi)
    layers = [l for l in p["layers"] if l not in xnn]
    assert len(layers) == len(nodes), f"{len(layers)} layers, the plan has {len(nodes)} nodes"
    got = {(int(l["key"], 0), l["name"], l["op"]) for l in layers}
    exp = {(x["index"], x["name"], x["op"]) for x in nodes}
    assert got == exp, f"indexes/names/ops differ: nnperf only {sorted(got - exp)[:4]}, " \
                       f"LiteRT only {sorted(exp - got)[:4]}"
    off = [(l["name"], l["count"]) for l in layers if not lo <= l["count"] <= hi]
    assert not off, f"nodes not run once an inference ({n}): {off[:4]}"
    nested = [l["name"] for l in layers if l["depth"]]
    assert not nested, f"nodes nested in nodes: {nested[:4]}"
    share = sum(l["total_ns"] for l in layers) / p["inferences"]["total_ns"]
    if not window:  # a window's cut inferences hold nodes the count does not
        assert 0.95 <= share <= 1.0, f"nodes are {share:.1%} of the inference time"
    print(f"ok: {n} inferences x {len(layers)} nodes ({', '.join(sorted({o for _, _, o in got}))}),"
          f" nodes {share:.1%} of the inference time")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit(f"check.py: {e}")
