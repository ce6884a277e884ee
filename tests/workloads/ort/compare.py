#!/usr/bin/python3
"""Compare an nnperf recording of run.js with ONNX Runtime's own profile of the same run.

usage: compare.py RECORDING PROFILE INFERENCES [TOLERANCE] [MIN_US]

nnperf keys ORT's nodes by NodeIndex, which the profile's *_kernel_time events carry as
node_index. Asserts: INFERENCES inferences, the same nodes as the profile, each run once per
inference in both, no lost events, and per-node p50 within TOLERANCE of the profile's median
for nodes over MIN_US. Exit 1 with one message when an assertion fails.
"""
import collections
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from agreement import Agreement, load, measured  # noqa: E402
from agreement import main as agreement_main  # noqa: E402


def profile_nodes(path):
    events = load(path)
    nodes = collections.defaultdict(list)
    names = {}
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            i = int(e["args"]["node_index"])
            nodes[i].append(e["dur"])
            names[i] = f"{e['args']['op_name']} {e['name'][:-len('_kernel_time')]}"
    return nodes, names


def check(rec_path, prof_path, n, tol, min_us):
    p = measured(load(rec_path))
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    layers = {int(l["key"], 0): l for l in p["layers"]}
    nodes, names = profile_nodes(prof_path)
    assert set(layers) == set(nodes), \
        f"node indexes differ: {sorted(set(layers) ^ set(nodes))[:8]}"
    agree = Agreement("ORT's profiler", tol, min_us, at_least=5)
    for i, durs in nodes.items():
        assert len(durs) == n, f"ORT's profile has node {i} {len(durs)} times, want {n}"
        assert layers[i]["count"] == n, f"node {i} ran {layers[i]['count']} times, want {n}"
        agree.add(f"node {i} ({names[i]})", layers[i]["p50_ns"] / 1e3, statistics.median(durs))
    print(f"ok: {n} inferences x {len(layers)} nodes, {agree.summary('nodes')}")


if __name__ == "__main__":
    agreement_main(check)
