#!/usr/bin/python3
"""Compare an nnperf recording of mobilenet.py with torch.profiler's view of the same calls.

usage: compare.py RECORDING CALLS INFERENCES [TOLERANCE] [MIN_US]

CALLS is mobilenet.py --profile-calls: every conv2d, batch_norm and linear call that
torch.profiler saw, in order. nnperf names a weight's layer OP#K in the order the
layers first ran (conv2d#1 .. conv2d#52), so the profiler's K-th call of OP within an
inference is the same layer. Asserts: INFERENCES inferences, each layer once per
inference in both, no lost events, and per-layer mean time within TOLERANCE of the
profiler's for layers over MIN_US. Exit 1 with one message when an assertion fails.
"""
import collections
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from agreement import Agreement, load, measured  # noqa: E402
from agreement import main as agreement_main  # noqa: E402


def profiler_layers(path, n):
    calls = load(path)
    by_op = collections.defaultdict(list)
    for c in calls:
        by_op[c["op"]].append(c["us"])
    layers = {}
    for op, durs in by_op.items():
        assert len(durs) % n == 0, f"profiler: {len(durs)} {op} calls for {n} inferences"
        per = len(durs) // n
        for k in range(per):
            name = op if per == 1 else f"{op}#{k + 1}"
            layers[name] = durs[k::per]
    return layers


def check(rec_path, calls_path, n, tol, min_us):
    p = measured(load(rec_path))
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    mine = {l["name"]: l for l in p["layers"]}
    prof = profiler_layers(calls_path, n)
    missing = sorted(set(prof) - set(mine))
    assert not missing, f"layers the profiler saw and nnperf did not: {missing[:8]}"
    agree = Agreement("torch.profiler", tol, min_us, at_least=5)
    for name, durs in prof.items():
        l = mine[name]
        assert l["count"] == n, f"{name} ran {l['count']} times, want {n}"
        agree.add(name, l["total_ns"] / l["count"] / 1e3, statistics.mean(durs))
    print(f"ok: {n} inferences, {len(prof)} layers with weights, {agree.summary()}")


if __name__ == "__main__":
    agreement_main(check)
