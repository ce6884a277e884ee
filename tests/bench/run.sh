#!/usr/bin/env bash
# The overhead benchmark (docs/performance.md): nnperf against bpftrace, an empty
# uprobe and the runtimes' own profilers, each comparison interleaved (A B C A B C
# ...) REPS times; prints the machine, every variant's median and the ratios.
#
#   sudo tests/bench/run.sh [--quick] [--reps N] [--only calls,torch,ort,ggml,agg,mem,cpu]
#   (TORCH_IT=N, ORT_IT=N: timed inferences per model run, default 20 and 100)
#
# env: NNP_BUILD (default build/), NNP_LLAMA_NPM (node-llama-cpp install, default
# $NNP_BUILD/npm-llama), NNP_ORT_NODE (onnxruntime-node package dir,
# default $NNP_BUILD/npm/node_modules/onnxruntime-node), CPU_SECONDS (top/export
# CPU window, default 30). A comparison whose tool is missing prints n/a.
# Nothing is asserted about timings: the numbers are for a person to judge.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${NNP_BUILD:-$SRC/build}
QUICK=0
REPS=
ONLY=calls,torch,ort,ggml,agg,mem,cpu
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--reps) REPS=$2; shift ;;
	--only) ONLY=$2; shift ;;
	*) echo "usage: $0 [--quick] [--reps N] [--only LIST]" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "bench: needs root (BPF)" >&2; exit 77; }
if [ $QUICK = 1 ]; then
	REPS=${REPS:-1} CALLS_N=4000 CALLS_R=3 TORCH_IT=3 ORT_IT=10 ORT_SETTLE=1000 TORCH_OPS=2000 GGML_TOKENS=8 GGML_ROUNDS=20
	CPU_SECONDS=${CPU_SECONDS:-2} AGG_S=0.3 LIVE_S=1 HOLD_S=1
else
	REPS=${REPS:-5} CALLS_N=20000 CALLS_R=5 TORCH_IT=${TORCH_IT:-20} ORT_IT=${ORT_IT:-100}
	ORT_SETTLE=2000 TORCH_OPS=20000 GGML_TOKENS=${GGML_TOKENS:-33}
	GGML_ROUNDS=${GGML_ROUNDS:-200}
	CPU_SECONDS=${CPU_SECONDS:-30} AGG_S=2 LIVE_S=5 HOLD_S=3
fi
want() { [[ ",$ONLY," == *",$1,"* ]]; }

[ -e "$BUILD/build.ninja" ] || [ -e "$BUILD/Makefile" ] ||
	cmake -S "$SRC" -B "$BUILD" -G Ninja >/dev/null
cmake --build "$BUILD" --target nnperf nnperf-tinynet nnperf-bench-calls nnperf-bench-agg \
	nnperf-bench-probe >/dev/null
NNPERF=$BUILD/nnperf
TMP=$(mktemp -d /tmp/nnperf-bench.XXXXXX)
source "$SRC/tests/pids.sh"
OUT=$TMP/results
: >"$OUT"
# bpftrace 0.17 cannot parse paths with '@': every variant runs the same link
mkdir "$TMP/bin"
ln -s "$BUILD/nnperf-bench-calls" "$TMP/bin/calls"
CALLS=$TMP/bin/calls
PY=/usr/bin/python3
ORT=${NNP_ORT_NODE:-$BUILD/npm/node_modules/onnxruntime-node}
note() { echo "bench: $*" >&2; }
step() { [ -z "${NNP_BENCH_TRACE:-}" ] || echo "bench: $(date +%T) $*" >&2; }
put() { echo "$1 $2" >>"$OUT"; }

machine() {
	local cpu doctor
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	doctor=$("$NNPERF" doctor --json 2>/dev/null || true)
	echo "info cpu $cpu" >>"$OUT"
	echo "info cores $(nproc)" >>"$OUT"
	echo "info kernel $(uname -r)" >>"$OUT"
	echo "info load $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)" >>"$OUT"
	for f in "hardware perf events" kprobes fentry uretprobes; do
		echo "info $(echo "$f" | tr ' ' _) $(echo "$doctor" | $PY -c '
import json, sys
try:
    d = {f["name"]: f for f in json.load(sys.stdin)["features"]}
    f = d[sys.argv[1]]; print(f["state"], "-", f["detail"][:70])
except Exception as e:
    print("unknown")' "$f")" >>"$OUT"
	done
	echo "info tools bpftrace $(bpftrace --version 2>/dev/null | awk '{print $2}' || echo missing)," \
		"mode $([ $QUICK = 1 ] && echo quick || echo full), $REPS runs each" >>"$OUT"
}

# until no background release of an earlier nnperf is running: registering uprobes
# meanwhile is unreliable on this kernel (docs/reliability.md)
wait_releases() {
	local lock=/run/nnperf.release.lock
	[ -w /run ] || lock=/tmp/nnperf.release.lock
	step "waiting for uprobe releases"
	flock -x -w 60 "$lock" true || note "an nnperf release has held $lock for 60 s; going on"
}

source "$SRC/tests/bench/variants.sh"

machine
want calls && bench_calls
want torch && bench_torch
want ort && bench_ort
want ggml && bench_ggml
want agg && bench_agg
want mem && bench_mem
want cpu && bench_cpu
echo "info load_end $(cut -d' ' -f1-3 /proc/loadavg) (at the end)" >>"$OUT"
$PY "$SRC/tests/bench/report.py" "$OUT"
