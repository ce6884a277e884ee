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
import json
import sys

NAME_MAX = 63  # bytes nnperf keeps of a layer name


def measured(doc):
    procs = [p for p in doc["processes"] if p["layer_events"] or p["inferences"]["count"]]
    assert len(procs) == 1, f"want one measured process, got {len(procs)}"
    return procs[0]


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


def check_times(layers, prof, tol, min_us):
    checked, worst = 0, (0.0, None)
    for w in prof["layers"]:
        if w["median_us"] < min_us:
            continue
        got_us = layers[w["id"]]["p50_ns"] / 1e3
        rel = abs(got_us - w["median_us"]) / w["median_us"]
        worst = max(worst, (rel, w["name"]))
        assert rel <= tol, \
            f"layer {w['id']} {w['name']}: nnperf p50 {got_us:.0f} us, OpenCV {w['median_us']:.0f} us ({rel:.1%})"
        checked += 1
    assert checked >= 10, f"only {checked} layers over {min_us} us to compare"
    return checked, worst


def exact(doc, prof, argv):
    n = int(argv[0])
    tol = float(argv[1]) if len(argv) > 1 else 0.15
    min_us = float(argv[2]) if len(argv) > 2 else 200.0
    p = measured(doc)
    assert p["inferences"]["count"] == n, f"inferences {p['inferences']['count']} != {n}"
    layers = keyed(p)
    check_layers(layers, prof, n)
    checked, worst = check_times(layers, prof, tol, min_us)
    print(f"ok: {n} inferences x {len(layers)} layers ({prof['layer_count']} + input), "
          f"{checked} layers over {min_us:.0f} us within {tol:.0%} of OpenCV "
          f"(worst {worst[0]:.1%}: {worst[1]})")


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
    with open(rec_path) as f:
        doc = json.load(f)
    with open(prof_path) as f:
        prof = json.load(f)
    try:
        assert doc["stats"]["lost_events"] == 0, "lost events"
        {"exact": exact, "attached": attached}[cmd](doc, prof, sys.argv[4:])
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
