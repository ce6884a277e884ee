#!/usr/bin/python3
"""A small CNN built with Arm NN's own API (pyarmnn, Debian's python3-pyarmnn) and run on its
CpuRef backend: no model file, no converter. nnperf has no adapter for Arm NN; the tests
measure it through a spec file (armnn.spec beside this script).

usage: net.py [--iterations N] [--profile FILE] [--ready FILE]
--profile writes, as JSON, the durations Arm NN's own profiler gives each CpuRef workload
in every inference: {"inferences": N, "workloads": [[name, [us, ...]], ...]} in execution
order. --ready touches FILE once the network is loaded and runs until killed."""
import argparse
import json
import os
import re

import numpy as np
import pyarmnn as ann

F32 = ann.DataType_Float32
H = W = 32


def info(*shape):
    return ann.TensorInfo(ann.TensorShape(shape), F32)


def const(a):
    return ann.ConstTensor(info(*a.shape), a)


class Builder:
    """layers appended one after another, each with its output shape (NHWC)"""

    def __init__(self, rng):
        self.net, self.rng = ann.INetwork(), rng
        self.last = self.net.AddInputLayer(0, "input")
        self.shape = (1, H, W, 3)
        self.last.GetOutputSlot(0).SetTensorInfo(info(*self.shape))

    def add(self, layer, shape):
        self.last.GetOutputSlot(0).Connect(layer.GetInputSlot(0))
        layer.GetOutputSlot(0).SetTensorInfo(info(*shape))
        self.last, self.shape = layer, shape

    def conv(self, cout, name):
        d = ann.Convolution2dDescriptor()
        d.m_PadLeft = d.m_PadRight = d.m_PadTop = d.m_PadBottom = 1
        d.m_StrideX = d.m_StrideY = 1
        d.m_BiasEnabled = True
        d.m_DataLayout = ann.DataLayout_NHWC
        cin = self.shape[3]
        w = (self.rng.standard_normal((cout, 3, 3, cin)) * 0.1).astype(np.float32)
        b = np.zeros(cout, np.float32)
        self.add(self.net.AddConvolution2dLayer(d, const(w), const(b), name),
                 self.shape[:3] + (cout,))

    def relu(self, name):
        d = ann.ActivationDescriptor()
        d.m_Function = ann.ActivationFunction_ReLu
        self.add(self.net.AddActivationLayer(d, name), self.shape)

    def pool(self, name):
        d = ann.Pooling2dDescriptor()
        d.m_PoolType = ann.PoolingAlgorithm_Max
        d.m_PoolWidth = d.m_PoolHeight = d.m_StrideX = d.m_StrideY = 2
        d.m_DataLayout = ann.DataLayout_NHWC
        n, h, w, c = self.shape
        self.add(self.net.AddPooling2dLayer(d, name), (n, h // 2, w // 2, c))

    def fc(self, out, name):
        n = int(np.prod(self.shape))
        r = ann.ReshapeDescriptor()
        r.m_TargetShape = ann.TensorShape((1, n))
        self.add(self.net.AddReshapeLayer(r, name + "_flatten"), (1, n))
        d = ann.FullyConnectedDescriptor()
        d.m_BiasEnabled = True
        w = (self.rng.standard_normal((n, out)) * 0.01).astype(np.float32)
        self.add(self.net.AddFullyConnectedLayer(d, const(w), const(np.zeros(out, np.float32)),
                                                 name), (1, out))

    def softmax(self, name):
        self.add(self.net.AddSoftmaxLayer(ann.SoftmaxDescriptor(), name), self.shape)

    def output(self):
        out = self.net.AddOutputLayer(0, "output")
        self.last.GetOutputSlot(0).Connect(out.GetInputSlot(0))


def build(rng):
    b = Builder(rng)
    for i, c in enumerate((8, 16), 1):
        b.conv(c, f"conv{i}")
        b.relu(f"relu{i}")
        b.pool(f"pool{i}")
    b.fc(10, "fc")
    b.softmax("softmax")
    b.output()
    return b.net


EVENT = re.compile(r"^\s*(Ref\w*Workload)_Execute\s+([0-9.]+)\s")


def profile(log, n):
    """per workload in execution order, its duration in each of n inferences (Arm NN's
    event log, durations in us); [] if the log does not hold n equal inferences"""
    seq = log.split("Event Stats")[0]  # the whole run's sequence; stats and per inference follow
    names = [(m.group(1), float(m.group(2))) for m in map(EVENT.match, seq.splitlines()) if m]
    if not names or len(names) % n:
        return []
    per = len(names) // n
    return [[names[i][0], [names[k * per + i][1] for k in range(n)]] for i in range(per)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--profile")
    ap.add_argument("--ready")
    a = ap.parse_args()
    rng = np.random.default_rng(1)
    rt = ann.IRuntime(ann.CreationOptions())
    opt, _ = ann.Optimize(build(rng), [ann.BackendId("CpuRef")], rt.GetDeviceSpec(),
                          ann.OptimizerOptions())
    nid, _ = rt.LoadNetwork(opt)
    x = rng.standard_normal((1, H, W, 3)).astype(np.float32)
    ins = ann.make_input_tensors([(0, rt.GetInputTensorInfo(nid, 0))], [x])
    outs = ann.make_output_tensors([(0, rt.GetOutputTensorInfo(nid, 0))])
    prof = rt.GetProfiler(nid)
    prof.EnableProfiling(bool(a.profile))
    if a.ready:
        open(a.ready, "w").close()
        while True:
            rt.EnqueueWorkload(nid, ins, outs)
    for _ in range(a.iterations):
        rt.EnqueueWorkload(nid, ins, outs)
    y = ann.workload_tensors_to_ndarray(outs)[0]
    print(f"armnn {ann.ARMNN_VERSION}: {a.iterations} inferences, output sum {y.sum():.4f}")
    if a.profile:
        with open(a.profile + ".tmp", "w") as f:
            json.dump({"inferences": a.iterations,
                       "workloads": profile(prof.event_log(), a.iterations)}, f)
        os.rename(a.profile + ".tmp", a.profile)


if __name__ == "__main__":
    main()
