#!/usr/bin/python3
"""Run an ONNX model with OpenCV DNN (1 thread) and report OpenCV's own per-layer times.

--profile FILE writes JSON: the layer count, ms per inference, and per layer (by OpenCV's
layer id) its name, type and the median over the iterations of Net::getPerfProfile's time.
getPerfProfile covers the last forward() only, so it is read after every iteration.
"""
import argparse
import json
import os
import statistics
import sys
import time

import cv2
import numpy as np


def load(path):
    cv2.setNumThreads(1)
    net = cv2.dnn.readNetFromONNX(path)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    return net


def layer_table(net):
    # getLayerNames() and getPerfProfile() both leave out the input layer (id 0)
    names = net.getLayerNames()
    out = []
    for i, name in enumerate(names):
        lid = net.getLayerId(name)
        out.append({"id": int(lid), "name": name, "type": net.getLayer(lid).type})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", required=True)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1, help="untimed forward() calls first")
    ap.add_argument("--profile", help="write OpenCV's per-layer times here (JSON)")
    ap.add_argument("--ready", help="create this file when the timed loop starts")
    args = ap.parse_args()

    net = load(args.model)
    rng = np.random.default_rng(0)
    blob = rng.standard_normal((1, 3, 224, 224), dtype=np.float32)
    net.setInput(blob)
    for _ in range(args.warmup):
        net.forward()
    if args.ready:
        open(args.ready, "w").close()
    tick_us = 1e6 / cv2.getTickFrequency()
    per_layer = []
    t0 = time.perf_counter()
    for _ in range(args.iterations):
        net.setInput(blob)
        net.forward()
        if args.profile:
            _, t = net.getPerfProfile()
            per_layer.append([float(v) * tick_us for v in t.flatten()])
    elapsed = time.perf_counter() - t0
    ms = 1e3 * elapsed / max(args.iterations, 1)
    print(f"{args.iterations} inferences, {ms:.2f} ms/inference")
    if args.profile:
        layers = layer_table(net)
        for i, layer in enumerate(layers):
            layer["median_us"] = statistics.median(it[i] for it in per_layer)
        doc = {"layers": layers, "layer_count": len(layers), "ms_per_inference": ms,
               "iterations": args.iterations}
        with open(args.profile + ".part", "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(args.profile + ".part", args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
