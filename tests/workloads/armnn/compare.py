#!/usr/bin/python3
"""Compare an nnperf recording of net.py, measured through deploy/probes.d/armnn.spec, with
Arm NN's own profile of the same run (net.py --profile).

usage: compare.py exact RECORDING PROFILE INFERENCES [TOLERANCE] [MIN_US]
       compare.py attached RECORDING PROFILE MIN_INFERENCES

exact (a launched run) asserts: INFERENCES inferences, one layer per CpuRef workload Arm NN
ran in an inference, each called once per inference and named after its workload's class
(the k-th of a class numbered #k), no lost events, layer self time 95-100% of inference
time, and per-layer p50 within TOLERANCE of Arm NN's median for workloads over MIN_US.
attached (nnperf record -p of a running net.py) asserts: at least MIN_INFERENCES, every
workload seen, each inside inferences within one call of the inference count.
Exit 1 with one message when an assertion fails.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from agreement import Agreement, load, measured, run, tolerances  # noqa: E402


def want_names(prof):
    """nnperf's names of Arm NN's workloads, in execution order"""
    classes = [w[0] for w in prof["workloads"]]
    assert classes, "Arm NN's profile holds no CpuRef workload"
    seen, names = {}, []
    for c in classes:
        seen[c] = seen.get(c, 0) + 1
        many = classes.count(c) > 1
        names.append(f"armnn::{c}::Execute" + (f"#{seen[c]}" if many else ""))
    return names


def by_name(p, prof, field, n, slack):
    names = want_names(prof)
    layers = {l["name"]: l for l in p["layers"]}
    assert len(layers) == len(p["layers"]), "two layers share a name"
    assert set(layers) == set(names), \
        f"layers differ from Arm NN's workloads: missing {sorted(set(names) - set(layers))[:3]}, " \
        f"extra {sorted(set(layers) - set(names))[:3]}"
    for name, l in layers.items():
        assert abs(l[field] - n) <= slack, f"{name}: {field} {l[field]}, want {n}"
    return layers, names


def exact(doc, prof, argv):
    n = int(argv[0])
    tol, min_us = tolerances(argv[1:])
    p = measured(doc)
    inf = p["inferences"]
    assert inf["count"] == n, f"inferences {inf['count']} != {n}"
    assert prof["inferences"] == n, f"Arm NN profiled {prof['inferences']} inferences"
    layers, names = by_name(p, prof, "count", n, 0)
    self_ns = sum(l["self_ns"] for l in layers.values())
    total_ns = inf["total_ns"]
    share = self_ns / total_ns
    assert 0.95 <= share <= 1.0, f"layers hold {share:.1%} of inference time, want 95-100%"
    agree = Agreement("Arm NN's profiler", tol, min_us, at_least=3)
    for name, (_, us) in zip(names, prof["workloads"]):
        agree.add(name, layers[name]["p50_ns"] / 1e3, statistics.median(us))
    print(f"ok: {n} inferences x {len(layers)} workloads, layers {share:.1%} of inference "
          f"time, {agree.summary('workloads')}")


def attached(doc, prof, argv):
    p = measured(doc)
    n = p["inferences"]["count"]
    assert n >= int(argv[0]), f"only {n} inferences"
    layers, _ = by_name(p, prof, "in_inference", n, 1)
    print(f"ok: attached: {n} inferences x {len(layers)} workloads")


def main():
    cmd, rec_path, prof_path = sys.argv[1:4]
    fn = {"exact": exact, "attached": attached}[cmd]
    return run(fn, load(rec_path), load(prof_path), sys.argv[4:])


if __name__ == "__main__":
    sys.exit(main())
