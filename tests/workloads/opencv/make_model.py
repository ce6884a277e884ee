#!/usr/bin/python3
"""Write mobilenet_v2 (torchvision, random weights, no download) as ONNX that OpenCV 4.6 loads.

OpenCV 4.6's ONNX importer needs two changes to torch's export: opset 10 (its Clip reads the
bounds from attributes, not from inputs) and no Identity nodes that only forward an
initializer (torch emits them for shared constants; OpenCV cannot resolve their outputs).
"""
import argparse
import os
import sys
import tempfile

import onnx
import torch
import torchvision


def drop_initializer_identities(model):
    """Replace each Identity whose input is an initializer by a renamed copy of it."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    keep = []
    for node in g.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            t = onnx.TensorProto()
            t.CopyFrom(inits[node.input[0]])
            t.name = node.output[0]
            g.initializer.append(t)
            continue
        keep.append(node)
    del g.node[:]
    g.node.extend(keep)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("output", help="path of the .onnx file to write")
    ap.add_argument("--opset", type=int, default=10)
    args = ap.parse_args()

    torch.manual_seed(0)
    net = torchvision.models.mobilenet_v2(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".onnx", dir=out_dir) as tmp:
        torch.onnx.export(net, x, tmp.name, opset_version=args.opset,
                          input_names=["input"], output_names=["output"])
        model = onnx.load(tmp.name)
    drop_initializer_identities(model)
    onnx.checker.check_model(model)
    part = args.output + ".part"
    onnx.save(model, part)
    os.replace(part, args.output)  # a concurrent reader never sees half a file
    return 0


if __name__ == "__main__":
    sys.exit(main())
