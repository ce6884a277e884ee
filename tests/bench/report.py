#!/usr/bin/python3
"""Medians and ratios of the overhead benchmark (tests/bench/run.sh).

usage: report.py RESULTS

RESULTS holds one "KEY VALUE" line per run of a variant (KEY = group.variant);
"info KEY TEXT" lines describe the machine. Prints, per group, each variant's
median over its runs (and the runs), then every ratio with its goal. A ratio
whose inputs are missing prints "n/a" and why; nothing is asserted here:
the goals are judged by a person on a quiet machine (docs/performance.md).
"""
import statistics
import sys

# (name, numerator, denominator, how, goal text, judge): how = "added" (minus the
# baseline's median; "added_x2": the denominator's twice), "slowdown1" (numerator / denominator - 1), "slowdown" (the
# difference of both slowdowns over the group's baseline) or "plain"
CALLS = "calls.none"
RATIOS = [
    ("G1 nnperf / bpftrace, added ns per call, endbr64 function",
     "calls.nnperf_cet", "calls.bpftrace_cet", "added", "<= 0.125", lambda r: r <= 0.125),
    ("G1 nnperf entry-only / empty uprobe at the best site (added)",
     "calls.nnperf_entry_only_cet", "calls.empty_best_cet", "added", "<= 1.5", lambda r: r <= 1.5),
    ("G1 nnperf entry+return / empty uprobe at the best site (added)",
     "calls.nnperf_cet", "calls.empty_best_cet", "added", "<= 1.5", lambda r: r <= 1.5),
    ("G1 nnperf entry+return / empty uprobe+uretprobe at the best site (added)",
     "calls.nnperf_cet", "calls.empty_ret_best_cet", "added", "info", None),
    ("G1 empty uprobe at endbr64 / at the best site (added)",
     "calls.empty_entry_cet", "calls.empty_best_cet", "added", "info", None),
    ("G1 nnperf / bpftrace, added ns per call, push function (same site)",
     "calls.nnperf_plain", "calls.bpftrace_plain", "added", "info", None),
    ("G5 floor: empty uprobe on a 5-byte nop / on a 1-byte nop (added)",
     "calls.empty_nop5", "calls.empty_nop1", "added", "info", None),
    ("G5 floor: empty uprobe on a 1-byte nop / on a push (added)",
     "calls.empty_nop1", "calls.empty_best_cet", "added", "info", None),
    ("G5 nnperf USDT layer (begin+end) / two empty uprobes on 5-byte nops (added)",
     "calls.nnperf_usdt", "calls.empty_nop5", "added_x2", "<= 1.3", lambda r: r <= 1.3),
    ("G2 PyTorch: slowdown under nnperf record (fraction)",
     "torch.nnperf", "torch.none", "slowdown1", "< 0.02", lambda r: r < 0.02),
    ("G2 PyTorch: slowdown under torch.profiler (fraction)",
     "torch.profiler", "torch.none", "slowdown1", "info", None),
    ("G2 PyTorch: nnperf slowdown minus torch.profiler slowdown",
     "torch.nnperf", "torch.profiler", "slowdown", "< 0", lambda r: r < 0),
    ("G2 PyTorch per op: nnperf added ns / torch.profiler added ns (torch.relu calls)",
     "torchop.nnperf", "torchop.profiler", "added", "< 1", lambda r: r < 1),
    ("G2 ONNX Runtime: slowdown under nnperf record (fraction)",
     "ort.nnperf", "ort.none", "slowdown1", "< 0.02", lambda r: r < 0.02),
    ("G2 ONNX Runtime: slowdown under ORT's profiler (fraction)",
     "ort.profiler", "ort.none", "slowdown1", "info", None),
    ("G2 ONNX Runtime: nnperf slowdown minus ORT profiler slowdown",
     "ort.nnperf", "ort.profiler", "slowdown", "< 0", lambda r: r < 0),
    ("G4 llama.cpp per token: nnperf (graph loop call sites, entry-only) / no probes",
     "ggml.nnperf", "ggml.none", "plain", "<= 1.10", lambda r: r <= 1.10),
    ("G4 llama.cpp per token: nnperf --overhead-budget 2 / no probes",
     "ggml.budget2", "ggml.none", "plain", "<= 1.03", lambda r: r <= 1.03),
    ("G4 llama.cpp per token: empty uprobes at the same sites / no probes (the floor)",
     "ggml.empty_sites", "ggml.none", "plain", "info", None),
    ("G4 llama.cpp per token: nnperf / empty uprobes at the same sites (added)",
     "ggml.nnperf", "ggml.empty_sites", "added", "info", None),
    ("G4 llama.cpp per token: nnperf, call and jump back per node (pairs) / no probes",
     "ggml.nnperf_pairs", "ggml.none", "plain", "info", None),
    ("G4 llama.cpp per token: nnperf on each op's entry+return / no probes",
     "ggml.nnperf_own", "ggml.none", "plain", "info", None),
    ("G4 llama.cpp per token: bpftrace timing mul_mat alone / no probes",
     "ggml.bpftrace_mul_mat", "ggml.none", "plain", "info", None),
    ("G3 reader drain rate, 100 layers / 2M events/s",
     "agg.drain_events_per_s", 2e6, "plain", ">= 1", lambda r: r >= 1),
    ("G3 reader drain rate, 10k layers / 2M events/s",
     "agg.drain10k_events_per_s", 2e6, "plain", ">= 1", lambda r: r >= 1),
    ("G3 events lost at 2M events/s, default ring buffer",
     "agg.live_lost", 1, "plain", "== 0", lambda r: r == 0),
    ("G3 nnperf record VmHWM with 10k layers / 32 MiB",
     "mem.record_hwm_mib", 32, "plain", "< 1", lambda r: r < 1),
    ("G3 nnperf export VmHWM with 10k layers / 32 MiB",
     "mem.export_hwm_mib", 32, "plain", "< 1", lambda r: r < 1),
    ("G3 nnperf top -b -d 1, % of a core / 2%",
     "cpu.top_pct", 2, "plain", "< 1", lambda r: r < 1),
    ("G3 nnperf export (1 s scrapes), % of a core / 2%",
     "cpu.export_pct", 2, "plain", "< 1", lambda r: r < 1),
]


def load(path):
    runs, info = {}, []
    for line in open(path):
        parts = line.rstrip("\n").split(" ", 2)
        if parts[0] == "info":
            info.append((parts[1], parts[2] if len(parts) > 2 else ""))
        elif len(parts) >= 2:
            runs.setdefault(parts[0], []).append(float(parts[1]))
    return runs, info


def med(runs, key):
    v = runs.get(key)
    return statistics.median(v) if v else None


def ratio(runs, num, den, how):
    a = med(runs, num)
    b = den if isinstance(den, (int, float)) else med(runs, den)
    if a is None or b is None:
        return None, f"missing {num if a is None else den}"
    if how in ("added", "added_x2"):
        # what a tracer adds to a call: minus the group's untraced median
        bkey = CALLS if num.startswith("calls.") else num.split(".")[0] + ".none"
        base = med(runs, bkey)
        if base is None:
            return None, f"missing {bkey}"
        # the USDT layer's own baseline: the same function without a tracer
        if num == "calls.nnperf_usdt" and med(runs, "calls.none_usdt") is not None:
            a += base - med(runs, "calls.none_usdt")
        a, b = a - base, (b - base) * (2 if how == "added_x2" else 1)
    elif how == "slowdown1":
        return a / b - 1, f"{a:.3f} / {b:.3f} - 1"
    elif how == "slowdown":
        base = med(runs, num.split(".")[0] + ".none")
        if base is None:
            return None, "missing baseline"
        # a difference, not a ratio: either slowdown may be <= 0 within the noise
        return (a - b) / base, f"{a / base - 1:.4f} - {b / base - 1:.4f}"
    if b <= 0:
        return None, f"denominator {b:.4g} <= 0"
    return a / b, f"{a:.4g} / {b:.4g}"


def main():
    runs, info = load(sys.argv[1])
    print("== machine")
    for k, v in info:
        print(f"  {k}: {v}")
    print("== medians (runs in run order)")
    for key in sorted(runs):
        v = runs[key]
        shown = " ".join(f"{x:.4g}" for x in v)
        print(f"RESULT {key} median {statistics.median(v):.6g} n {len(v)} runs [{shown}]")
    print("== ratios")
    for name, num, den, how, goal, judge in RATIOS:
        r, detail = ratio(runs, num, den, how)
        if r is None:
            print(f"RATIO {name}: n/a ({detail})")
            continue
        verdict = "" if judge is None else ("  met" if judge(r) else "  NOT met")
        print(f"RATIO {name}: {r:.4g} ({detail}; goal {goal}){verdict}")


main()
