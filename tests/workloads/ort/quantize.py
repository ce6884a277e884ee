#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Static int8 quantization of an ONNX model with ONNX Runtime's own tool.

  quantize.py FLOAT.onnx INT8.onnx [--format qoperator|qdq]

onnxruntime.quantization.quantize_static, calibrated on 4 inputs from a fixed
seed (the same file every time): QOperator (QLinearConv, QLinearAdd, QGemm;
uint8 activations, int8 per-channel weights), or QDQ (QuantizeLinear and
DequantizeLinear around float ops, which ORT fuses when it loads the model).
Needs onnx >= 1.13 (onnx.reference): scripts/setup.sh puts one in build/pip.
"""
import argparse

import numpy as np
import onnx
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                      quantize_static)


class Inputs(CalibrationDataReader):
    def __init__(self, model):
        inp = onnx.load(model).graph.input[0]
        name = inp.name
        shape = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
        rng = np.random.default_rng(20261206)
        self.it = iter([{name: rng.random(shape, dtype=np.float32)} for _ in range(4)])

    def get_next(self):
        return next(self.it, None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("float_model")
    ap.add_argument("int8_model")
    ap.add_argument("--format", choices=["qoperator", "qdq"], default="qoperator")
    a = ap.parse_args()
    qdq = a.format == "qdq"
    quantize_static(a.float_model, a.int8_model, Inputs(a.float_model),
                    quant_format=QuantFormat.QDQ if qdq else QuantFormat.QOperator,
                    activation_type=QuantType.QInt8 if qdq else QuantType.QUInt8,
                    weight_type=QuantType.QInt8, per_channel=True)


if __name__ == "__main__":
    main()
