#!/usr/bin/env python3
"""Checks of --sample recordings for test_sample.sh."""
import sys

from check import load, proc  # the same directory: recordings are read one way


def exact(path, sample, n, min_layers):
    """n inferences (all measured), every layer measured exactly n/sample times, named"""
    doc = load(path)
    p = proc(doc)
    assert doc["sample"] == sample, f"sample {doc['sample']} != {sample}"
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    assert doc["stats"]["unmatched"] == 0, f"{doc['stats']['unmatched']} unmatched ends"
    assert doc["stats"]["lost_events"] == 0, "lost events"
    labels = {x["label"] for x in doc["probes"]}
    layers = p["layers"]
    assert len(layers) >= min_layers, f"{len(layers)} layers < {min_layers}"
    for l in layers:
        assert l["count"] == n // sample, f"{l['name']}: {l['count']} measured, want {n // sample}"
        assert l["count_est"] == l["count"] * sample, f"{l['name']}: count_est {l['count_est']}"
        assert l["name"] not in labels and "#" not in l["name"], f"layer not named: {l['name']}"
    print(f"ok: {n} inferences, {len(layers)} layers x {n // sample} measured calls (1 in {sample})")


def ratios(path):
    """p50 of each layer over the inference p50: robust to this VM's speed changing between runs"""
    p = proc(load(path))
    inf = p["inferences"]["p50_ns"]
    return {l["name"]: l["p50_ns"] / inf for l in p["layers"]}, inf


def same_p50(path_all, path_sampled, tolerance, min_share):
    """slow layers' p50 (relative to the inference) in a sampled run match an unsampled one"""
    a, ia = ratios(path_all)
    b, _ = ratios(path_sampled)
    checked = 0
    for name, x in a.items():
        if x < min_share:
            continue
        rel = abs(b[name] - x) / x
        assert rel <= tolerance, f"{name}: p50/inference {x:.3f} vs sampled {b[name]:.3f} ({rel:.1%})"
        checked += 1
    assert checked >= 2, f"only {checked} layers over {min_share:.0%} of an inference"
    print(f"ok: {checked} slow layers' p50 agree within {tolerance:.0%} sampled and not")


def nested(path, sample, n, outer):
    """a layer wrapping the inference: it and the layers inside measured on the same calls"""
    doc = load(path)
    p = proc(doc)
    assert doc["stats"]["unmatched"] == 0, f"{doc['stats']['unmatched']} unmatched ends"
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    out = [l for l in p["layers"] if l["name"] == outer]
    assert len(out) == 1, f"no layer {outer}"
    out = out[0]
    inner = [l for l in p["layers"] if l["name"] != outer]
    assert len(inner) >= 8, f"{len(inner)} inner layers"
    for l in [out] + inner:
        assert l["count"] == n // sample, f"{l['name']}: {l['count']} measured, want {n // sample}"
    child = sum(l["total_ns"] for l in inner)
    assert child <= out["total_ns"], f"inner layers {child} ns > outer {out['total_ns']} ns"
    # its self time is what the inner layers leave: measured on the same calls
    assert out["self_ns"] == out["total_ns"] - child or out["self_ns"] < 0.05 * out["total_ns"], \
        f"{outer}: self {out['self_ns']} of {out['total_ns']} ns"
    print(f"ok: {outer} and {len(inner)} nested layers x {n // sample} calls, self {out['self_ns']} ns")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "exact":
        exact(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif cmd == "same-p50":
        same_p50(args[0], args[1], float(args[2]), float(args[3]))
    elif cmd == "nested":
        nested(args[0], int(args[1]), int(args[2]), args[3])
    else:
        sys.exit(f"unknown check {cmd}")


if __name__ == "__main__":
    main()
