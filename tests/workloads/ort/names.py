#!/usr/bin/python3
"""Check that nnperf named every node of a recording as ONNX Runtime's profile names it.

usage: names.py RECORDING PROFILE

A recording whose nodes nnperf named (from the session's graph, or with --node-names PROFILE
from a profile): each layer (key = NodeIndex) has the name (cut to
63 bytes, nnperf's limit) and op of the profile's *_kernel_time event with that node_index,
and the recording has exactly the profile's nodes. Exit 1 with one message when it does not.
"""
import json
import sys


def main(rec_path, prof_path):
    p = next(p for p in json.load(open(rec_path))["processes"] if p["layers"])
    want = {}
    for e in json.load(open(prof_path)):
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            want[int(e["args"]["node_index"])] = (e["name"][:-len("_kernel_time")][:63],
                                                  e["args"]["op_name"])
    # the graph's names are cut to 63 bytes, a profile's may be kept longer
    got = {int(l["key"], 0): (l["name"][:63], l["op"]) for l in p["layers"]}
    assert got == want, [(k, got.get(k), want.get(k)) for k in set(got) | set(want)
                         if got.get(k) != want.get(k)][:5]
    ops = sorted({op for _, op in got.values()})
    print(f"ok: {len(got)} nodes named as ORT's profile names them, ops {', '.join(ops)}")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:3])
    except AssertionError as e:
        print(f"names.py: {e}", file=sys.stderr)
        sys.exit(1)
