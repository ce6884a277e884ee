#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Runs a .tflite model with LiteRT's Python interpreter (or tflite-runtime's), N inferences.

  run.py MODEL N [--xnnpack] [--info FILE] [--wait FILE]

Without --xnnpack the built-in kernels run every node (the op resolver
without default delegates); with it, XNNPACK takes the nodes it supports, as
LiteRT does by default. --info writes the interpreter's own account as JSON:
the execution plan's nodes (index, op, first output tensor's name): every
node, or with --xnnpack the DELEGATE nodes and those XNNPACK left to the
built-in kernels; "replaced": per DELEGATE node, the ops of the nodes it
replaced, in the model's order. --wait blocks after the model is ready until
FILE exists (for -p: attach, then create FILE).
"""
import argparse
import json
import os
import sys
import time

import numpy as np

try:  # LiteRT (ai-edge-litert), else its predecessor tflite-runtime
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
except ImportError:
    from tflite_runtime.interpreter import Interpreter, OpResolverType


def replaced_by(delegate, ops):
    """The nodes a DELEGATE node replaced: from the nodes making its outputs,
    back through every tensor that is not one of its inputs."""
    producer = {int(t): o for o in ops if o["op_name"] != "DELEGATE" for t in o["outputs"]}
    inputs = {int(t) for t in delegate["inputs"]}
    todo = [producer[int(t)] for t in delegate["outputs"] if int(t) in producer]
    found = set()
    while todo:
        o = todo.pop()
        if o["index"] in found:
            continue
        found.add(o["index"])
        todo += [producer[int(t)] for t in o["inputs"] if int(t) not in inputs and int(t) in producer]
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("n", type=int)
    ap.add_argument("--xnnpack", action="store_true")
    ap.add_argument("--info")
    ap.add_argument("--wait")
    a = ap.parse_args()
    resolver = (OpResolverType.AUTO if a.xnnpack
                else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it = Interpreter(model_path=a.model, num_threads=1,
                     experimental_op_resolver_type=resolver)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    x = np.random.default_rng(1).random(inp["shape"], dtype=np.float32)
    it.set_tensor(inp["index"], x)
    it.invoke()  # the first run allocates: before anything is measured
    if a.info:
        ops = it._get_ops_details()
        tensors = {t["index"]: t["name"] for t in it.get_tensor_details()}
        # the plan: with a delegate, its DELEGATE nodes (this model's ops are all
        # XNNPACK's); else every node
        def node(o):
            return {"index": o["index"], "op": o["op_name"],
                    "name": tensors.get(int(o["outputs"][0]), "") if len(o["outputs"]) else ""}
        delegates = [o for o in ops if o["op_name"] == "DELEGATE"]
        replaced = {d["index"]: replaced_by(d, ops) for d in delegates}
        gone = {i for r in replaced.values() for i in r}
        nodes = [node(o) for o in ops if o["index"] not in gone]
        # per DELEGATE node (by name), the ops of the nodes it replaced, in the
        # model's order: XNNPACK defines its operators from them in that order
        by_index = {o["index"]: o for o in ops}
        info = {"nodes": nodes,
                "replaced": {node(d)["name"]: [by_index[i]["op_name"] for i in sorted(replaced[d["index"]])]
                             for d in delegates}}
        with open(a.info, "w") as f:
            json.dump(info, f)
    if a.wait:
        print("ready", flush=True)
        while not os.path.exists(a.wait):
            time.sleep(0.01)
    t0 = time.monotonic()
    for _ in range(a.n):
        it.set_tensor(inp["index"], x)
        it.invoke()
    dt = time.monotonic() - t0
    print("%d inferences, %.2f ms each" % (a.n, dt * 1e3 / max(a.n, 1)), file=sys.stderr)


if __name__ == "__main__":
    main()
