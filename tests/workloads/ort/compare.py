#!/usr/bin/python3
"""Compare an nnperf recording of run.js with ONNX Runtime's own profile of the same run.

usage: compare.py RECORDING PROFILE INFERENCES [TOLERANCE] [MIN_US]

nnperf keys ORT's nodes by NodeIndex, which the profile's *_kernel_time events carry as
node_index. Asserts: INFERENCES inferences, the same nodes as the profile, each run once per
inference in both, no lost events, and per-node p50 within TOLERANCE of the profile's median
for nodes over MIN_US. Exit 1 with one message when an assertion fails.
"""
import collections
import json
import statistics
import sys


def profile_nodes(path):
    with open(path) as f:
        events = json.load(f)
    nodes = collections.defaultdict(list)
    names = {}
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            i = int(e["args"]["node_index"])
            nodes[i].append(e["dur"])
            names[i] = f"{e['args']['op_name']} {e['name'][:-len('_kernel_time')]}"
    return nodes, names


def check(rec_path, prof_path, n, tol, min_us):
    with open(rec_path) as f:
        doc = json.load(f)
    assert doc["stats"]["lost_events"] == 0, "lost events"
    procs = [p for p in doc["processes"] if p["layer_events"] or p["inferences"]["count"]]
    assert len(procs) == 1, f"want one measured process, got {len(procs)}"
    p = procs[0]
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    layers = {int(l["key"], 0): l for l in p["layers"]}
    nodes, names = profile_nodes(prof_path)
    assert set(layers) == set(nodes), \
        f"node indexes differ: {sorted(set(layers) ^ set(nodes))[:8]}"
    checked, worst = 0, (0.0, None)
    for i, durs in nodes.items():
        assert len(durs) == n, f"ORT's profile has node {i} {len(durs)} times, want {n}"
        assert layers[i]["count"] == n, f"node {i} ran {layers[i]['count']} times, want {n}"
        want = statistics.median(durs)
        if want < min_us:
            continue
        got = layers[i]["p50_ns"] / 1e3
        rel = abs(got - want) / want
        worst = max(worst, (rel, names[i]))
        assert rel <= tol, f"node {i} ({names[i]}): nnperf {got:.0f} us, ORT {want:.0f} us ({rel:.1%})"
        checked += 1
    assert checked >= 5, f"only {checked} nodes over {min_us} us to compare"
    print(f"ok: {n} inferences x {len(layers)} nodes, {checked} nodes over {min_us:.0f} us "
          f"within {tol:.0%} of ORT's profiler (worst {worst[0]:.1%}: {worst[1]})")


def main():
    rec, prof, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else 0.15
    min_us = float(sys.argv[5]) if len(sys.argv) > 5 else 200.0
    try:
        check(rec, prof, n, tol, min_us)
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
