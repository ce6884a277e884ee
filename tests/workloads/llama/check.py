#!/usr/bin/env python3
"""Checks nnperf recordings of run.js (tests/integration/test_runtime_ggml.sh).

  check.py nodes REC N            N inferences, the same nodes in each, blk.N names, op, shape
  check.py raw RAW REC N THREADS  a raw mul_mat probe sees THREADS calls per node
  check.py pruned DENSE PRUNED    the pruned model's FFN layers are half as wide
"""
import json
import sys


def proc(path):
    with open(path) as f:
        r = json.load(f)
    ps = [p for p in r["processes"] if p["inferences"]["count"]]
    if len(ps) != 1:
        sys.exit("%s: %d processes with inferences" % (path, len(ps)))
    return ps[0]


def ggml_layers(p):
    return [l for l in p["layers"] if "shape" in l]


def nodes(path, n):
    p = proc(path)
    if p["inferences"]["count"] != n:
        sys.exit("inferences %d, llama_decode calls %d" % (p["inferences"]["count"], n))
    ls = ggml_layers(p)
    calls = sum(l["count"] for l in ls)
    per = calls / n
    for l in ls:
        if l["count"] % n or l["in_inference"] != l["count"]:
            sys.exit("layer %s (%s): %d calls, %d in inferences, for %d inferences"
                     % (l["name"], l["op"], l["count"], l["in_inference"], n))
        if not l["op"] or len(l["shape"]) != 4 or min(l["shape"]) < 1:
            sys.exit("layer %s: op %r shape %r" % (l["name"], l["op"], l["shape"]))
    byname = {(l["name"], l["op"]): l for l in ls}
    for b in (0, 1):
        for t, shape in (("ffn_up", [128, 1, 1, 1]), ("ffn_gate", [128, 1, 1, 1]),
                         ("ffn_out", [64, 1, 1, 1]), ("Qcur", [64, 1, 1, 1])):
            l = byname.get(("blk.%d.%s" % (b, t), "mul_mat"))
            if not l or l.get("raw_name") != "%s-%d" % (t, b) or l["shape"] != shape:
                sys.exit("blk.%d.%s mul_mat: %s" % (b, t, json.dumps(l)[:300]))
    # llama.cpp names both norms of a block norm-N: two layers, told apart by their input
    dup = ["%s x%d" % (l["name"], l["count"] // n) for l in ls if l["count"] > n]
    if dup:
        sys.exit("nodes merged (more than one call per inference): " + ", ".join(dup))
    for b in (0, 1):
        norms = [l for l in ls if l.get("raw_name") == "norm-%d" % b]
        names = sorted(l["name"] for l in norms)
        if names != ["blk.%d.norm" % b, "blk.%d.norm#2" % b]:
            sys.exit("block %d: the two norm-%d nodes are %s" % (b, b, names))
    print("%d nodes per inference (%d layers, each once per inference; norms: blk.N.norm, "
          "blk.N.norm#2)" % (per, len(ls)))
    print("mul_mat %d per inference" % (sum(l["count"] for l in ls if l["op"] == "mul_mat") // n))


def raw(raw_path, rec_path, n, threads):
    r, p = proc(raw_path), proc(rec_path)
    if r["inferences"]["count"] != n:
        sys.exit("raw: %d inferences for %d decodes" % (r["inferences"]["count"], n))
    got = sum(l["count"] for l in r["layers"])
    nodes = sum(l["count"] for l in ggml_layers(p) if l["op"] == "mul_mat")
    print("raw mul_mat calls %d = %d threads x %d nodes?" % (got, threads, nodes))
    if got != threads * nodes:
        sys.exit("raw probe: %d mul_mat calls, nnperf's ggml adapter %d nodes x %d threads"
                 % (got, nodes, threads))


def pruned(dense_path, pruned_path):
    d = {l["name"]: l for l in ggml_layers(proc(dense_path)) if l["op"] == "mul_mat"}
    p = {l["name"]: l for l in ggml_layers(proc(pruned_path)) if l["op"] == "mul_mat"}
    for name in ("blk.0.ffn_up", "blk.1.ffn_gate", "blk.0.Qcur"):
        if name not in p or p[name]["shape"][0] * 2 != d[name]["shape"][0]:
            sys.exit("%s: dense %s, pruned %s" % (name, d.get(name, {}).get("shape"),
                                                   p.get(name, {}).get("shape")))
    print("pruned: ffn_up %s -> %s" % (d["blk.0.ffn_up"]["shape"], p["blk.0.ffn_up"]["shape"]))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "nodes":
        nodes(args[0], int(args[1]))
    elif cmd == "raw":
        raw(args[0], args[1], int(args[2]), int(args[3]))
    elif cmd == "pruned":
        pruned(args[0], args[1])
    else:
        sys.exit("unknown command " + cmd)
