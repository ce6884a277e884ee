#!/usr/bin/env bash
# llama.cpp / ggml through node-llama-cpp's prebuilt CPU libraries, found with no flags: one
# inference per llama_decode, one layer per graph node (ggml_compute_forward_<op>, worker 0
# only), named blk.N.<tensor> with op and shape; with 2 threads each node still counts once
# (a raw probe on mul_mat without the filter sees every worker); the pruned model's FFN
# layers have the smaller shape. The models are made here, with random weights.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads/llama
DIR=${NNP_LLAMA_NPM:-$NNP_BUILD/npm-llama}
NLC=$DIR/node_modules/node-llama-cpp
if ! command -v node >/dev/null || [ ! -e "$NLC/package.json" ]; then
	echo "SKIP: needs node and node-llama-cpp in $NLC (scripts/setup.sh installs them)"
	exit 77
fi
if ! $PY -c 'import numpy, yaml' 2>/dev/null || [ ! -d "$DIR/llama.cpp/gguf-py" ]; then
	echo "SKIP: needs python3-numpy, python3-yaml and gguf-py in $DIR/llama.cpp (setup.sh)"
	exit 77
fi
for m in dense pruned; do
	$PY "$W/make_model.py" --gguf-py "$DIR/llama.cpp/gguf-py" $([ $m = pruned ] && echo --pruned) \
		"$TMP/$m.gguf" || fail "cannot make the $m model"
done
N=12

# record NAME MODEL THREADS [nnperf options]: N decodes
record() {
	local name=$1 model=$2 threads=$3
	shift 3
	"$NNPERF" record -v -o "$TMP/$name.json" "$@" -- node "$W/run.js" --nlc "$NLC" \
		--model "$TMP/$model.gguf" --tokens $N --threads "$threads" --settle-ms 1500 \
		>"$TMP/$name.out" 2>"$TMP/$name.err" ||
		fail "nnperf record ($name) exited $?: $(grep -v '^nnperf: feature' "$TMP/$name.err" | tail -3)"
	grep -q "^$N decodes" "$TMP/$name.out" || fail "$name: workload: $(cat "$TMP/$name.out")"
}

echo "== dense model, 1 thread"
record dense1 dense 1
$PY "$W/check.py" nodes "$TMP/dense1.json" $N >"$TMP/nodes1" || fail "dense, 1 thread"
cat "$TMP/nodes1"
grep -q 'site ggml_compute_forward_mul_mat+4: push' "$TMP/dense1.err" || fail "mul_mat probe not past endbr64"

echo "== dense model, 2 threads: each node once per graph"
record dense2 dense 2
$PY "$W/check.py" nodes "$TMP/dense2.json" $N >"$TMP/nodes2" || fail "dense, 2 threads"
[ "$(head -1 "$TMP/nodes1")" = "$(head -1 "$TMP/nodes2")" ] ||
	fail "node count differs with 2 threads: $(head -1 "$TMP/nodes1") vs $(head -1 "$TMP/nodes2")"

echo "== raw mul_mat probe without the worker filter: every worker calls every node"
cpu=$(sed -n 's/^ggml-cpu: //p' "$TMP/dense2.out")
[ -e "$cpu" ] || fail "run.js did not name the ggml-cpu library"
lib=$(dirname "$cpu")/$(ls "$(dirname "$cpu")" | grep '^libllama\.' | head -1)
for t in 2; do
	record raw$t dense $t --probe "inference=$lib:llama_decode" \
		--probe "layer=$cpu:ggml_compute_forward_mul_mat,key=arg1"
	$PY "$W/check.py" raw "$TMP/raw$t.json" "$TMP/dense$t.json" $N $t || fail "raw, $t threads"
done

echo "== pruned model: the same graph with smaller FFN tensors"
record pruned1 pruned 1
$PY "$W/check.py" pruned "$TMP/dense1.json" "$TMP/pruned1.json" || fail "pruned"
pass
