#!/usr/bin/env bash
# Per-call probe cost inside a tests/vm guest (arm64 under TCG: ratios, not real times),
# site against site on one binary: no probe, an empty uprobe at several sites of
# bench_plain/bench_cet, an empty uprobe+uretprobe, and nnperf's entry+return and
# entry-only layers. Runs in the guest with the tests' variables (NNP_BUILD, NNPERF):
#
#   tests/vm/run.sh arm64 6.1 -- "cmd:bash $PWD/tests/bench/vm-calls.sh"
#
# Prints "VARIANT NS_PER_CALL" per repetition, then the median of each and its ratio to
# the empty uprobe at bench_plain's entry. N and REPS: NNP_VM_CALLS_N (20000), _REPS (3).
set -euo pipefail
CALLS=$NNP_BUILD/nnperf-bench-calls PROBE=$NNP_BUILD/nnperf-bench-probe
N=${NNP_VM_CALLS_N:-20000} REPS=${NNP_VM_CALLS_REPS:-3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
run() { # VARIANT FUNC CMD-PREFIX...
	local v=$1 f=$2
	shift 2
	rm -f "$T/out"
	"$@" "$CALLS" calls "$f" "$N" 1 "$T/out" >"$T/log" 2>&1 || { echo "$v failed: $(tail -n 2 "$T/log")" >&2; return 1; }
	[ -s "$T/out" ] || { echo "$v: no result: $(tail -n 2 "$T/log")" >&2; return 1; }
	echo "$v $(awk '{ print $3 }' "$T/out")" | tee -a "$T/all"
	sleep 1 # the release of the previous probe
}
for _ in $(seq "$REPS"); do
	run none plain
	run empty_plain+0_stp plain "$PROBE" "$CALLS" bench_plain 0 --
	run empty_plain+12_bl plain "$PROBE" "$CALLS" bench_plain 12 --
	run empty_ret_plain+0 plain "$PROBE" --ret "$CALLS" bench_plain 0 --
	run empty_cet+0_paciasp cet "$PROBE" "$CALLS" bench_cet 0 --
	run empty_cet+4_stp cet "$PROBE" "$CALLS" bench_cet 4 --
	run nnperf_plain plain "$NNPERF" record --usdt off --probe "layer=$CALLS:bench_plain" --
	run nnperf_entry_only_plain plain "$NNPERF" record --usdt off --probe "layer=$CALLS:bench_plain,mode=entry-only" --
	run nnperf_cet cet "$NNPERF" record --usdt off --probe "layer=$CALLS:bench_cet" --
done
"$NNPERF" record -v --usdt off --probe "layer=$CALLS:bench_plain" -- "$CALLS" calls plain 10 1 "$T/out" 2>&1 |
	grep -iE "site|placed|attached" | head -n 4 || true
"$NNPERF" record -v --usdt off --probe "layer=$CALLS:bench_cet" -- "$CALLS" calls cet 10 1 "$T/out" 2>&1 |
	grep -iE "site|placed|attached" | head -n 4 || true
python3 - "$T/all" <<'PY'
import statistics, sys
v = {}
for line in open(sys.argv[1]):
    k, ns = line.split()
    v.setdefault(k, []).append(float(ns))
base = statistics.median(v["empty_plain+0_stp"])
none = statistics.median(v["none"])
for k, xs in v.items():
    m = statistics.median(xs)
    print(f"median {k:28s} {m:12.1f} ns/call  x{(m - none) / (base - none):.2f} of the empty uprobe at bench_plain+0 (probe cost, the no-probe time taken off)")
PY
