#!/usr/bin/python3
"""Run an ONNX model with ONNX Runtime's Python package (pip install onnxruntime), one
intra-op thread, N inferences: run.js's twin for the wheel, where ORT is linked statically
into onnxruntime_pybind11_state.

usage: run.py --model FILE [--iterations N] [--warmup N] [--profile PREFIX] [--settle-ms MS]

--profile turns on ORT's own profiler (PREFIX_<date>.json, written at the end).
--settle-ms waits after importing onnxruntime (which maps the module): a tracer that attaches
when the module is mapped (nnperf on dlopen) is then in before the first inference.
"""
import argparse
import math
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--profile")
    ap.add_argument("--settle-ms", type=int, default=0)
    o = ap.parse_args()
    import numpy as np
    import onnxruntime as ort

    time.sleep(o.settle_ms / 1000)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if o.profile:
        so.enable_profiling = True
        so.profile_file_prefix = o.profile
    sess = ort.InferenceSession(o.model, so, providers=["CPUExecutionProvider"])
    x = np.sin(np.arange(3 * 224 * 224, dtype=np.float32)).reshape(1, 3, 224, 224) * 0.5
    feeds = {sess.get_inputs()[0].name: x.astype(np.float32)}
    for _ in range(o.warmup):
        sess.run(None, feeds)
    t0 = time.perf_counter()
    for _ in range(o.iterations):
        sess.run(None, feeds)
    ms = (time.perf_counter() - t0) * 1000 / max(o.iterations, 1)
    print(f"{o.iterations} inferences, {ms:.2f} ms/inference (onnxruntime {ort.__version__})")
    if o.profile:
        sess.end_profiling()  # writes the file
    return 0 if math.isfinite(ms) else 1


if __name__ == "__main__":
    sys.exit(main())
