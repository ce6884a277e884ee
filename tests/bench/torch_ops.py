#!/usr/bin/python3
"""Cost per ATen operator call: N calls of torch.relu on a one-element tensor, timed.

usage: torch_ops.py [--ops N] [--rounds R] [--profile]

A model's end-to-end time hides a per-op cost of a microsecond under milliseconds of
convolution and the machine's noise; here the op itself costs little, so what a tracer
adds to each call shows. --profile runs the timed rounds under torch.profiler (CPU
activities), as tests/workloads/torch/mobilenet.py --profile-out does. Prints the median
ns per call over the rounds: "ns_per_op=X".
"""
import argparse
import statistics
import time

import torch


def rounds(x, ops, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        for _ in range(ops):
            torch.relu(x)
        out.append((time.perf_counter_ns() - t0) / ops)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    x = torch.ones(1)
    rounds(x, 2000, 1)  # warm-up: first calls load and dispatch
    if a.profile:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]):
            r = rounds(x, a.ops, a.rounds)
    else:
        r = rounds(x, a.ops, a.rounds)
    print(f"ns_per_op={statistics.median(r):.1f}")


main()
