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
# every node at its call site in the graph loop, entry-only (one emulated hit a node), the
# last one ended where ggml_graph_compute goes on after the loop
grep -qE 'ggml: ggml_compute_forward_mul_mat: call at 0x[0-9a-f]+, entry-only' "$TMP/dense1.err" ||
	fail "mul_mat not measured at its call site: $(grep 'ggml:' "$TMP/dense1.err" | head -3)"
grep -qE 'ggml: graph end after ggml_graph_compute.s call of ggml_graph_compute_thread[^ ]* at 0x[0-9a-f]+ \((call|jmp|push|nop)[^)]*, emulated\)' \
	"$TMP/dense1.err" || fail "no graph end: $(grep 'ggml: ' "$TMP/dense1.err" | grep -v 'call at' | head -5)"
sites() { # CALL_SITES OWN_OPS of an -v log's summary line, for MODE
	sed -n "s/.*ggml: \([0-9]*\) call sites in .*graph loop.* ($2); \([0-9]*\) ops on their own entry.*/\1 \2/p" "$1"
}
sites=$(sites "$TMP/dense1.err" entry-only)
[ -n "$sites" ] && [ "${sites% *}" -gt 10 ] && [ "${sites#* }" = 0 ] ||
	fail "graph loop call sites: '${sites:-none}' (want > 10 entry-only sites, 0 ops on their own entry)"
echo "ok: graph loop: ${sites% *} call sites, entry-only, ${sites#* } ops on their own entry"

echo "== NNPERF_GGML_CALL_SITES=pairs: each node at its call and its jump back, the same nodes"
NNPERF_GGML_CALL_SITES=pairs record pairs1 dense 1
grep -qE 'ggml: ggml_compute_forward_mul_mat: call at 0x[0-9a-f]+, ended at 0x[0-9a-f]+ \((jmp|call|push)\); both emulated' \
	"$TMP/pairs1.err" || fail "pairs: mul_mat not at its call site: $(grep 'ggml:' "$TMP/pairs1.err" | head -3)"
[ -n "$(sites "$TMP/pairs1.err" 'call and end')" ] || fail "pairs: no summary line"
$PY "$W/check.py" nodes "$TMP/pairs1.json" $N >"$TMP/nodes_pairs" || fail "pairs, 1 thread"
[ "$(head -1 "$TMP/nodes1")" = "$(head -1 "$TMP/nodes_pairs")" ] ||
	fail "node count differs between entry-only and pairs: $(head -1 "$TMP/nodes1") vs $(head -1 "$TMP/nodes_pairs")"
echo "ok: $(head -1 "$TMP/nodes_pairs")"

echo "== NNPERF_GGML_CALL_SITES=0: each op on its own entry and return, the same nodes"
NNPERF_GGML_CALL_SITES=0 record own1 dense 1
grep -q 'site ggml_compute_forward_mul_mat+4: push' "$TMP/own1.err" || fail "mul_mat probe not past endbr64"
$PY "$W/check.py" nodes "$TMP/own1.json" $N >"$TMP/nodes_own" || fail "own entries, 1 thread"
[ "$(head -1 "$TMP/nodes1")" = "$(head -1 "$TMP/nodes_own")" ] ||
	fail "node count differs between call sites and own entries: $(head -1 "$TMP/nodes1") vs $(head -1 "$TMP/nodes_own")"

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

echo "== groups: blocks and attention against feed-forward, dense against pruned"
for by in block part; do
	"$NNPERF" diff --group-by $by --format json -o "$TMP/groups-$by.json" "$TMP/dense1.json" \
		"$TMP/pruned1.json" >"$TMP/groups-$by.txt" || fail "diff --group-by $by exited $?"
	grep -q "^groups by $by" "$TMP/groups-$by.txt" || fail "no group table for $by"
done
"$NNPERF" report --group-by part -o "$TMP/report.html" "$TMP/dense1.json" || fail "report exited $?"
grep -q "<h2>Groups by part</h2>" "$TMP/report.html" || fail "report: no groups"
$PY - "$TMP/groups-block.json" "$TMP/groups-part.json" "$TMP/dense1.json" <<'PY' || fail "groups"
import json, sys
blocks, parts, rec = (json.load(open(p)) for p in sys.argv[1:4])
layers = rec["processes"][0]["layers"]
nblk = len({l["name"].split(".")[1] for l in layers if l["name"].startswith("blk.")})
names = [g["name"] for g in blocks["groups"]["list"]]
want = ["blk.%d" % i for i in range(nblk)]
assert [n for n in names if n.startswith("blk.")] == want, names
assert names[0] == "input" and names[-1] == "output", names
assert all(g["from"] == "name" for g in blocks["groups"]["list"] if g["name"].startswith("blk.")), blocks
# every block has the same layers on both sides (pruning made tensors smaller, not fewer)
for g in blocks["groups"]["list"]:
    if g["name"].startswith("blk."):
        assert g["a"]["layers"] == g["b"]["layers"] > 0, g
# groups add up to the layers' self time per inference on each side
infers = rec["processes"][0]["inferences"]["count"]
a_self = sum(l["self_ns"] for l in layers) / infers
a_groups = sum(g["a"]["self_ns_per_inference"] or 0 for g in blocks["groups"]["list"])
assert abs(a_groups - a_self) <= 0.001 * a_self + 2 * len(names), (a_groups, a_self)
p = {g["name"]: g for g in parts["groups"]["list"]}
for part in ("attention", "feed-forward", "norm"):
    assert part in p and p[part]["from"] == "name" and p[part]["a"]["layers"] >= nblk, (part, p)
ffn = [l for l in layers if ".ffn_" in l["name"] and "norm" not in l["name"]]
assert p["feed-forward"]["a"]["layers"] == len(ffn), (p["feed-forward"], len(ffn))
print("ok: %d blocks, parts %s; feed-forward A %.1f us B %.1f us per decode" % (
    nblk, sorted(p), p["feed-forward"]["a"]["self_ns_per_inference"] / 1e3,
    p["feed-forward"]["b"]["self_ns_per_inference"] / 1e3))
PY
pass
