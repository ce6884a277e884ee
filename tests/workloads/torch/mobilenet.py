#!/usr/bin/python3
"""mobilenet_v2 in eager PyTorch, dense or structurally pruned, for nnperf.

The model has random weights (weights=None: nothing is downloaded). "pruned"
removes half of the hidden (expansion) channels of every inverted residual
block, chosen by the L1 norm of the expansion convolution's filters, and
rebuilds the three convolutions and two batch norms of the block with fewer
channels: a really smaller network (about half the FLOPs), not a mask.

usage: mobilenet.py [--model dense|pruned] [--iterations N] [--threads T]
                    [--start-delay-ms MS] [--profile-out FILE] [--profile-calls FILE]
                    [--flops] [--warmup N]

--warmup N runs N inferences before the timed (and profiled) ones.
"""
import argparse
import json
import os
import sys
import time

import torch
import torchvision


def pick(t, idx, dim=0):
    return torch.nn.Parameter(t.detach().index_select(dim, idx).clone(), requires_grad=False)


def shrink_bn(bn, idx):
    new = torch.nn.BatchNorm2d(len(idx))
    new.weight = pick(bn.weight, idx)
    new.bias = pick(bn.bias, idx)
    new.running_mean = bn.running_mean.index_select(0, idx).clone()
    new.running_var = bn.running_var.index_select(0, idx).clone()
    return new


def prune_block(block, keep):
    seq = block.conv
    if len(seq) != 4:  # the first block has no expansion layer
        return
    expand, dw, project = seq[0], seq[1], seq[2]
    w = expand[0].weight
    hidden = w.shape[0]
    k = max(8, int(hidden * keep))
    idx = w.detach().abs().sum(dim=(1, 2, 3)).argsort(descending=True)[:k].sort().values
    conv = torch.nn.Conv2d(w.shape[1], k, 1, bias=False)
    conv.weight = pick(w, idx)
    expand[0], expand[1] = conv, shrink_bn(expand[1], idx)
    d = dw[0]
    conv = torch.nn.Conv2d(k, k, 3, stride=d.stride, padding=d.padding, groups=k, bias=False)
    conv.weight = pick(d.weight, idx)
    dw[0], dw[1] = conv, shrink_bn(dw[1], idx)
    conv = torch.nn.Conv2d(k, project.weight.shape[0], 1, bias=False)
    conv.weight = pick(project.weight, idx, dim=1)
    seq[2] = conv


def build(kind, seed):
    torch.manual_seed(seed)
    model = torchvision.models.mobilenet_v2(weights=None)
    model.eval()
    if kind == "pruned":
        for m in model.features:
            if isinstance(m, torchvision.models.mobilenetv2.InvertedResidual):
                prune_block(m, 0.5)
    return model


def macs(model):
    total = 0

    def hook(mod, inp, out):
        nonlocal total
        if isinstance(mod, torch.nn.Conv2d):
            k = mod.weight[0].numel()
            total += out.numel() * k
        elif isinstance(mod, torch.nn.Linear):
            total += mod.in_features * mod.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(torch.zeros(1, 3, 224, 224))
    for h in hs:
        h.remove()
    return total


def write_calls(prof, path):
    """[{"op": "conv2d", "us": 812.5}, ...]: the layers' ops, in the order they started"""
    want = {"aten::conv2d", "aten::batch_norm", "aten::linear"}
    evs = sorted((e for e in prof.events() if e.name in want), key=lambda e: e.time_range.start)
    with open(path, "w") as f:
        json.dump([{"op": e.name[len("aten::"):], "us": e.time_range.elapsed_us()} for e in evs], f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["dense", "pruned"], default="dense")
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--start-delay-ms", type=int, default=0)
    ap.add_argument("--profile-out", help="torch.profiler per-op times (JSON) to this file")
    ap.add_argument("--profile-calls", help="torch.profiler's every conv2d, batch_norm and "
                    "linear call, in order (JSON) to this file")
    ap.add_argument("--flops", action="store_true", help="print MACs and exit")
    ap.add_argument("--warmup", type=int, default=0, help="untimed inferences first")
    a = ap.parse_args()
    if a.iterations < 1:
        sys.exit("mobilenet.py: --iterations must be >= 1")
    torch.set_num_threads(a.threads)
    model = build(a.model, a.seed)
    if a.flops:
        print(f"model={a.model} macs={macs(model)}")
        return
    x = torch.randn(1, 3, 224, 224)
    if a.start_delay_ms:
        print(f"pid {os.getpid()}", file=sys.stderr, flush=True)
        time.sleep(a.start_delay_ms / 1000)
    with torch.no_grad():
        for _ in range(a.warmup):
            model(x)
    prof = None
    if a.profile_out or a.profile_calls:
        prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU])
        prof.__enter__()
    t0 = time.perf_counter()
    with torch.no_grad():
        for _ in range(a.iterations):
            y = model(x)
    dt = time.perf_counter() - t0
    if prof:
        prof.__exit__(None, None, None)
        ops = {}
        for e in prof.key_averages():
            ops[e.key] = {"calls": e.count, "cpu_total_us": e.cpu_time_total}
        if a.profile_out:
            with open(a.profile_out, "w") as f:
                json.dump(ops, f)
        if a.profile_calls:
            write_calls(prof, a.profile_calls)
    print(f"model={a.model} iterations={a.iterations} ms_per_inference="
          f"{dt * 1000 / a.iterations:.3f} checksum={float(y.sum()):.4f}")


main()
