#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A MobileNetV2-style .tflite model written directly as a TFLite flatbuffer.

tensorflow (the usual converter) is a 600 MB install; this writes the same
file format with the schema module ai-edge-litert ships (schema_py_generated)
and Debian's python3-flatbuffers. Weights come from a fixed seed, so the same
arguments give the same file every time.

  make_model.py OUT.tflite [--int8] [--prune F] [--size N]

--int8 is full-integer quantization as TFLite's converter does it with float
input and output: QUANTIZE after the input, int8 activations, int8 weights
(per output channel for convolutions), int32 biases at input*weight scale,
DEQUANTIZE before the output, a softmax whose output scale is 1/256.
--prune F keeps the fraction F of every expansion layer's channels
(structured pruning: the narrower model computes less, layer by layer).
Tensor names follow Keras' MobileNetV2 ("block_2_expand_relu").
"""
import argparse
import sys

import numpy as np
from ai_edge_litert import schema_py_generated as fb
import flatbuffers

OPS = fb.BuiltinOperator
ACT = fb.ActivationFunctionType

# (expansion, out channels, stride): a shortened MobileNetV2 body
BLOCKS = [(1, 16, 1), (4, 24, 2), (4, 24, 1), (4, 32, 2), (4, 32, 1), (4, 64, 2), (4, 64, 1)]
ACT_SCALE = 0.05  # int8 activations: scale, and zero point -128 after a ReLU6
LOGIT_SCALE = 0.1


class Builder:
    def __init__(self, int8, seed):
        self.int8 = int8
        self.rng = np.random.default_rng(seed)
        self.model = fb.ModelT()
        self.model.version = 3
        self.model.description = b"nnperf MobileNetV2-style test model"
        self.model.buffers = [fb.BufferT()]
        self.model.operatorCodes = []
        self.sg = fb.SubGraphT()
        self.sg.tensors, self.sg.operators = [], []
        self.sg.name = b"main"
        self.codes = {}

    def code(self, op):
        if op not in self.codes:
            c = fb.OperatorCodeT()
            c.builtinCode = op
            c.deprecatedBuiltinCode = min(op, 127)
            c.version = 1
            self.codes[op] = len(self.model.operatorCodes)
            self.model.operatorCodes.append(c)
        return self.codes[op]

    def tensor(self, name, shape, dtype, data=None, quant=None):
        t = fb.TensorT()
        t.name = name.encode()
        t.shape = list(shape)
        t.type = dtype
        t.buffer = 0
        if data is not None:
            b = fb.BufferT()
            b.data = np.frombuffer(data.tobytes(), dtype=np.uint8)
            self.model.buffers.append(b)
            t.buffer = len(self.model.buffers) - 1
        if quant is not None:
            q = fb.QuantizationParametersT()
            q.scale = [float(s) for s in np.atleast_1d(quant[0])]
            q.zeroPoint = [int(z) for z in np.atleast_1d(quant[1])]
            q.quantizedDimension = quant[2] if len(quant) > 2 else 0
            t.quantization = q
        self.sg.tensors.append(t)
        return len(self.sg.tensors) - 1

    def act(self, name, shape, scale=ACT_SCALE, zp=-128):
        if self.int8:
            return self.tensor(name, shape, fb.TensorType.INT8, quant=(scale, zp))
        return self.tensor(name, shape, fb.TensorType.FLOAT32)

    def op(self, code, ins, outs, opt_type=0, opt=None):
        o = fb.OperatorT()
        o.opcodeIndex = self.code(code)
        o.inputs, o.outputs = list(ins), list(outs)
        o.builtinOptionsType = opt_type
        o.builtinOptions = opt
        self.sg.operators.append(o)

    def scale_of(self, t):
        return self.sg.tensors[t].quantization.scale[0]

    def weights(self, name, shape, out_dim, in_scale, per_tensor=False):
        """float weights, or int8 (per output channel, or one scale) with an int32 bias"""
        fan_in = int(np.prod(shape)) // shape[out_dim]
        w = self.rng.normal(0, np.sqrt(2.0 / fan_in), size=shape).astype(np.float32)
        b = self.rng.normal(0, 0.01, size=shape[out_dim]).astype(np.float32)
        if not self.int8:
            return (self.tensor(name + "/weights", shape, fb.TensorType.FLOAT32, w),
                    self.tensor(name + "/bias", [shape[out_dim]], fb.TensorType.FLOAT32, b))
        axes = tuple(i for i in range(len(shape)) if i != out_dim)
        ws = np.maximum(np.abs(w).max(axis=axes), 1e-8) / 127.0
        if per_tensor:
            ws = np.full_like(ws, ws.max())
        bshape = [1] * len(shape)
        bshape[out_dim] = -1
        wq = np.clip(np.round(w / ws.reshape(bshape)), -127, 127).astype(np.int8)
        bs = in_scale * ws
        bq = np.round(b / bs).astype(np.int32)
        zeros = np.zeros(len(ws), dtype=np.int64)
        n = 1 if per_tensor else len(ws)
        return (self.tensor(name + "/weights", shape, fb.TensorType.INT8, wq,
                            (ws[:n], zeros[:n], 0 if per_tensor else out_dim)),
                self.tensor(name + "/bias", [shape[out_dim]], fb.TensorType.INT32, bq,
                            (bs[:n], zeros[:n], 0)))

    def conv(self, name, x, cout, k, stride, relu6, depthwise=False):
        n, h, w, cin = self.sg.tensors[x].shape
        in_scale = self.scale_of(x) if self.int8 else 1.0
        oh, ow = -(-h // stride), -(-w // stride)
        if depthwise:
            wt, bt = self.weights(name, [1, k, k, cin], 3, in_scale)
            opt = fb.DepthwiseConv2DOptionsT()
            opt.depthMultiplier = 1
            code, opt_type, cout = OPS.DEPTHWISE_CONV_2D, fb.BuiltinOptions.DepthwiseConv2DOptions, cin
        else:
            wt, bt = self.weights(name, [cout, k, k, cin], 0, in_scale)
            opt = fb.Conv2DOptionsT()
            code, opt_type = OPS.CONV_2D, fb.BuiltinOptions.Conv2DOptions
        opt.padding = fb.Padding.SAME
        opt.strideW = opt.strideH = stride
        opt.dilationWFactor = opt.dilationHFactor = 1
        opt.fusedActivationFunction = ACT.RELU6 if relu6 else ACT.NONE
        out = self.act(name + ("_relu" if relu6 else ""), [n, oh, ow, cout],
                       zp=-128 if relu6 else 0)
        self.op(code, [x, wt, bt], [out], opt_type, opt)
        return out

    def add(self, name, a, b):
        out = self.act(name, self.sg.tensors[a].shape, zp=0)
        opt = fb.AddOptionsT()
        opt.fusedActivationFunction = ACT.NONE
        self.op(OPS.ADD, [a, b], [out], fb.BuiltinOptions.AddOptions, opt)
        return out

    def head(self, x, classes):
        n, _, _, c = self.sg.tensors[x].shape
        axis = self.tensor("global_average_pooling2d/axis", [2], fb.TensorType.INT32,
                           np.array([1, 2], dtype=np.int32))
        pooled = self.act("global_average_pooling2d", [n, c], zp=-128)
        opt = fb.ReducerOptionsT()
        opt.keepDims = False
        self.op(OPS.MEAN, [x, axis], [pooled], fb.BuiltinOptions.ReducerOptions, opt)
        in_scale = self.scale_of(pooled) if self.int8 else 1.0
        # one weight scale, as the converter writes for FULLY_CONNECTED
        wt, bt = self.weights("predictions", [classes, c], 0, in_scale, per_tensor=True)
        logits = self.act("predictions/logits", [n, classes], scale=LOGIT_SCALE, zp=0)
        opt = fb.FullyConnectedOptionsT()
        opt.fusedActivationFunction = ACT.NONE
        self.op(OPS.FULLY_CONNECTED, [pooled, wt, bt], [logits],
                fb.BuiltinOptions.FullyConnectedOptions, opt)
        probs = self.act("predictions", [n, classes], scale=1.0 / 256, zp=-128)
        opt = fb.SoftmaxOptionsT()
        opt.beta = 1.0
        self.op(OPS.SOFTMAX, [logits], [probs], fb.BuiltinOptions.SoftmaxOptions, opt)
        return probs

    def finish(self, inp, out):
        self.sg.inputs, self.sg.outputs = [inp], [out]
        self.model.subgraphs = [self.sg]
        b = flatbuffers.Builder(1 << 20)
        b.Finish(self.model.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())


def build(int8, prune, size, classes=100):
    bld = Builder(int8, seed=20261206)
    shape = [1, size, size, 3]
    inp = bld.tensor("input_1", shape, fb.TensorType.FLOAT32)
    x = inp
    if int8:
        x = bld.tensor("input_1_int8", shape, fb.TensorType.INT8, quant=(1.0 / 128, 0))
        bld.op(OPS.QUANTIZE, [inp], [x])
    x = bld.conv("Conv1", x, 16, 3, 2, True)
    for i, (t, cout, stride) in enumerate(BLOCKS):
        name = "block_%d" % i if i else "expanded_conv"
        y = x
        cin = bld.sg.tensors[x].shape[3]
        if t != 1:
            hidden = max(8, int(round(cin * t * prune)))
            y = bld.conv(name + "_expand", y, hidden, 1, 1, True)
        y = bld.conv(name + "_depthwise", y, 0, 3, stride, True, depthwise=True)
        y = bld.conv(name + "_project", y, cout, 1, 1, False)
        if stride == 1 and cin == cout:
            y = bld.add(name + "_add", x, y)
        x = y
    x = bld.conv("Conv_1", x, max(8, int(round(256 * prune))), 1, 1, True)
    out = bld.head(x, classes)
    if int8:
        f = bld.tensor("predictions_float", bld.sg.tensors[out].shape, fb.TensorType.FLOAT32)
        bld.op(OPS.DEQUANTIZE, [out], [f])
        out = f
    return bld.finish(inp, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--prune", type=float, default=1.0)
    ap.add_argument("--size", type=int, default=160)
    a = ap.parse_args()
    if not 0 < a.prune <= 1:
        sys.exit("make_model.py: --prune takes a fraction in (0, 1]")
    data = build(a.int8, a.prune, a.size)
    with open(a.out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
