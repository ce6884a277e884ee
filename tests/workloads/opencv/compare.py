#!/usr/bin/python3
"""Compare an nnperf recording of run.py with OpenCV's own profile of the same run.

usage: compare.py exact RECORDING PROFILE INFERENCES [TOLERANCE] [MIN_US]
       compare.py attached RECORDING PROFILE MIN_INFERENCES

exact (a launched run) asserts: INFERENCES inferences, one event per layer per inference for every layer OpenCV
lists plus its input layer (id 0), names and types as OpenCV reports them, no lost events,
and per-layer p50 within TOLERANCE of OpenCV's median for layers over MIN_US.
attached (nnperf record -p on a running process, which may start or stop inside an
inference, and whose layers run before the inference probe is in) asserts: at least
MIN_INFERENCES, every layer seen, each inside inferences within one call of the inference
count, names and types as OpenCV reports them.
Exit 1 with one message when an assertion fails.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from agreement import Agreement, load, measured, run, tolerances  # noqa: E402

NAME_MAX = 63  # bytes nnperf keeps of a layer name


def check_layers(layers, prof, n, field="count", slack=0):
    want = {l["id"]: l for l in prof["layers"]}
    want_ids = set(want) | {0}
    got_ids = set(layers)
    assert got_ids == want_ids, \
        f"layer ids differ from OpenCV's: missing {sorted(want_ids - got_ids)[:5]}, " \
        f"extra {sorted(got_ids - want_ids)[:5]}"
    for lid, l in layers.items():
        assert abs(l[field] - n) <= slack, \
            f"layer {lid} ({l['name']}) {field} {l[field]}, want {n}"
        if lid == 0:
            assert l["op"] == "__NetInputLayer__", f"layer 0 is {l['op']}"
            continue
        w = want[lid]
        assert l["name"] == w["name"][:NAME_MAX], f"layer {lid}: name {l['name']} != {w['name']}"
        assert l["op"] == w["type"][:31], f"layer {lid}: type {l['op']} != {w['type']}"


def exact(doc, prof, argv):
    n = int(argv[0])
    tol, min_us = tolerances(argv[1:])
    p = measured(doc)
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    layers = keyed(p)
    check_layers(layers, prof, n)
    agree = Agreement("OpenCV", tol, min_us, at_least=10)
    for w in prof["layers"]:
        agree.add(f"layer {w['id']} {w['name']}", layers[w["id"]]["p50_ns"] / 1e3, w["median_us"])
    print(f"ok: {n} inferences x {len(layers)} layers ({prof['layer_count']} + input), "
          f"{agree.summary()}")


def attached(doc, prof, argv):
    p = measured(doc)
    n = p["inferences"]["count"]
    assert n >= int(argv[0]), f"only {n} inferences"
    layers = keyed(p)
    check_layers(layers, prof, n, field="in_inference", slack=1)
    print(f"ok: attached: {n} inferences x {len(layers)} layers")


def keyed(p):
    layers = {int(l["key"], 0): l for l in p["layers"]}
    assert len(layers) == len(p["layers"]), "two layers share a key"
    return layers


def main():
    cmd, rec_path, prof_path = sys.argv[1:4]
    fn = {"exact": exact, "attached": attached}[cmd]
    return run(fn, load(rec_path), load(prof_path), sys.argv[4:])


if __name__ == "__main__":
    sys.exit(main())
