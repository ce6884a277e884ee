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
import json
import statistics
import sys


def profiler_layers(path, n):
    with open(path) as f:
        calls = json.load(f)
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
    with open(rec_path) as f:
        doc = json.load(f)
    assert doc["stats"]["lost_events"] == 0, "lost events"
    p = next(p for p in doc["processes"] if p["layer_events"])
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    mine = {l["name"]: l for l in p["layers"]}
    prof = profiler_layers(calls_path, n)
    missing = sorted(set(prof) - set(mine))
    assert not missing, f"layers the profiler saw and nnperf did not: {missing[:8]}"
    checked, worst = 0, (0.0, None)
    for name, durs in prof.items():
        l = mine[name]
        assert l["count"] == n, f"{name} ran {l['count']} times, want {n}"
        want = statistics.mean(durs)
        if want < min_us:
            continue
        got = l["total_ns"] / l["count"] / 1e3
        rel = abs(got - want) / want
        worst = max(worst, (rel, name))
        assert rel <= tol, f"{name}: nnperf {got:.0f} us, torch.profiler {want:.0f} us ({rel:.1%})"
        checked += 1
    assert checked >= 5, f"only {checked} layers over {min_us} us to compare"
    print(f"ok: {n} inferences, {len(prof)} layers with weights, {checked} over {min_us:.0f} us "
          f"within {tol:.0%} of torch.profiler (worst {worst[0]:.1%}: {worst[1]})")


def main():
    rec, calls, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else 0.15
    min_us = float(sys.argv[5]) if len(sys.argv) > 5 else 200.0
    try:
        check(rec, calls, n, tol, min_us)
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
