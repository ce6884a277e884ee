#!/usr/bin/python3
"""Copy an ONNX Runtime profile with every node renamed: names get a "p:" prefix.

usage: rename_profile.py PROFILE OUT

A recording made with --node-names OUT then shows whether the profile's names won over
the ones nnperf reads from the session's graph (which have no such prefix).
"""
import json
import sys

SUFFIX = "_kernel_time"


def main(src, dst):
    events = json.load(open(src))
    n = 0
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith(SUFFIX):
            e["name"] = "p:" + e["name"]
            n += 1
    if not n:
        sys.exit(f"rename_profile.py: {src}: no node events")
    json.dump(events, open(dst, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
