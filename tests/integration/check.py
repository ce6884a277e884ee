#!/usr/bin/python3
"""Assertions on nnperf recordings for the integration tests.

usage: check.py COMMAND ARGS...   (exit 1 with a message when an assertion fails)
"""
import json
import sys


def load(path):
    with open(path) as f:
        doc = json.load(f)
    assert doc["schema"] == "nnperf.recording", doc.get("schema")
    return doc


def proc(doc):
    procs = [p for p in doc["processes"] if p["layer_events"] or p["inferences"]["count"]]
    assert len(procs) == 1, f"want one measured process, got {len(procs)}"
    return procs[0]


def exact_counts(path, n, min_layers, min_ratio):
    """n inferences, n calls of every layer, no loss, layer time >= min_ratio of inferences."""
    doc = load(path)
    p = proc(doc)
    inf = p["inferences"]
    assert inf["count"] == n, f"inferences {inf['count']} != {n}"
    layers = p["layers"]
    assert len(layers) >= min_layers, f"{len(layers)} layers < {min_layers}"
    for l in layers:
        assert l["count"] == n, f"layer {l['name']} ran {l['count']} times, want {n}"
        assert l["name"], "empty layer name"
    assert doc["stats"]["lost_events"] == 0, "lost events"
    total = sum(l["total_ns"] for l in layers)
    ratio = total / inf["total_ns"]
    assert min_ratio <= ratio <= 1.0001, f"layer sum / inference time = {ratio:.3f}"
    print(f"ok: {n} inferences, {len(layers)} layers x {n} calls, layers/inference = {ratio:.3f}")


def agree(path_a, path_b, tolerance, min_ns):
    """per-layer p50 of two recordings agree within tolerance for layers >= min_ns"""
    a, b = proc(load(path_a)), proc(load(path_b))
    la = {l["name"]: l for l in a["layers"]}
    lb = {l["name"]: l for l in b["layers"]}
    assert set(la) == set(lb), f"layer sets differ: {sorted(set(la) ^ set(lb))}"
    checked = 0
    for name, x in la.items():
        y = lb[name]
        if x["p50_ns"] < min_ns:
            continue
        rel = abs(x["p50_ns"] - y["p50_ns"]) / x["p50_ns"]
        assert rel <= tolerance, f"{name}: p50 {x['p50_ns']} vs {y['p50_ns']} ({rel:.1%})"
        checked += 1
    ia, ib = a["inferences"]["p50_ns"], b["inferences"]["p50_ns"]
    rel = abs(ia - ib) / ia
    assert rel <= tolerance, f"inference p50 {ia} vs {ib} ({rel:.1%})"
    assert checked >= 3, f"only {checked} layers over {min_ns} ns to compare"
    print(f"ok: {checked} layers and the inference agree within {tolerance:.0%}")


def at_least(path, n):
    """a partial recording: valid and with at least n inferences"""
    p = proc(load(path))
    got = p["inferences"]["count"]
    assert got >= n, f"{got} inferences < {n}"
    print(f"ok: {got} inferences recorded")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        if cmd == "exact-counts":
            exact_counts(args[0], int(args[1]), int(args[2]), float(args[3]))
        elif cmd == "agree":
            agree(args[0], args[1], float(args[2]), int(args[3]))
        elif cmd == "at-least":
            at_least(args[0], int(args[1]))
        else:
            sys.exit(f"check.py: unknown command {cmd}")
    except AssertionError as e:
        sys.exit(f"FAIL: {cmd}: {e}")


main()
