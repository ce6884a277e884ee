#!/usr/bin/env bash
# Quantized and pruned models compared on real runtimes (nnperf compare, issue #15 item 3):
# LiteRT float32 vs full-integer int8 and vs a structurally pruned model (made by
# tests/workloads/litert/make_model.py), layers matched by their tensor names, the int8
# model's QUANTIZE/DEQUANTIZE only in B; ONNX Runtime float32 vs int8 (static QOperator
# quantization by ORT's own quantize_static), whose renamed nodes align by order and op family
# (Conv with QLinearConv), each side's nodes named from its session's graph in memory.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
LT=$NNP_BUILD/pip/ai-edge-litert-2.3.0
W=$NNP_SRC/tests/workloads
[ -e "$LT/ai_edge_litert/interpreter.py" ] || {
	echo "SKIP: needs ai-edge-litert 2.3.0 in $LT (scripts/setup.sh installs it)"
	exit 77
}
$PY -c 'import flatbuffers' 2>/dev/null || {
	echo "SKIP: needs python3-flatbuffers (scripts/setup.sh installs it) to write the models"
	exit 77
}
for m in f32 i8 p50; do
	case $m in i8) opt=--int8 ;; p50) opt="--prune 0.5" ;; *) opt= ;; esac
	PYTHONPATH=$LT $PY "$W/litert/make_model.py" "$TMP/$m.tflite" $opt || fail "make_model.py $m"
done

# compare_json NAME [compare options] -- CMD_A ::: CMD_B: the diff as JSON in $TMP/NAME.json
compare_json() {
	local name=$1
	shift
	"$NNPERF" compare --runs 3 --format json -o "$TMP/$name.json" "$@" >"$TMP/$name.txt" \
		2>"$TMP/$name.err" || fail "compare $name exited $?: $(tail -3 "$TMP/$name.err")"
}
run_lt() { echo env PYTHONPATH=$LT $PY "$W/litert/run.py" "$TMP/$1.tflite" 30; }

echo "== LiteRT float32 vs int8: every node matched by name, QUANTIZE/DEQUANTIZE only in B"
compare_json lt-int8 -- $(run_lt f32) ::: $(run_lt i8)
$PY - "$TMP/lt-int8.json" <<'PYEOF' || fail "LiteRT float32 vs int8"
import json, statistics, sys
d = json.load(open(sys.argv[1]))
al = d["alignment"]
assert al == {"by_name": 29, "by_order": 0, "only_a": 0, "only_b": 2}, al
only_b = sorted(l["b"]["op"] for l in d["layers"] if l["match"] == "only_b")
assert only_b == ["DEQUANTIZE", "QUANTIZE"], only_b
def speedups(op):
    return [l["speedup"]["est"] for l in d["layers"] if l["match"] == "name" and l["a"]["op"] == op]
conv = statistics.median(speedups("CONV_2D"))
dw = statistics.median(speedups("DEPTHWISE_CONV_2D"))
assert conv > 1.2, f"int8 CONV_2D median speedup {conv:.2f}x"
print(f"ok: 29 nodes by name, 2 only in B; int8 speedup, median: CONV_2D {conv:.2f}x, "
      f"DEPTHWISE_CONV_2D {dw:.2f}x, ADD {statistics.median(speedups('ADD')):.2f}x, "
      f"MEAN {statistics.median(speedups('MEAN')):.2f}x; "
      f"inference {d['inference']['speedup']['est']:.2f}x")
PYEOF

echo "== LiteRT dense vs pruned (half the expansion channels): same nodes, expansions faster"
compare_json lt-pruned -- $(run_lt f32) ::: $(run_lt p50)
$PY - "$TMP/lt-pruned.json" <<'PYEOF' || fail "LiteRT dense vs pruned"
import json, statistics, sys
d = json.load(open(sys.argv[1]))
al = d["alignment"]
assert al == {"by_name": 29, "by_order": 0, "only_a": 0, "only_b": 0}, al
exp = statistics.median(l["speedup"]["est"] for l in d["layers"]
                        if l["name"].endswith("_expand_relu"))
assert exp > 1.3, f"pruned expansion convolutions: median speedup {exp:.2f}x"
print(f"ok: 29 nodes by name; pruned expansions {exp:.2f}x (median), "
      f"inference {d['inference']['speedup']['est']:.2f}x")
PYEOF

echo "== ONNX Runtime float32 vs int8 (QOperator): aligned by order and op family"
ORT=$NNP_BUILD/pip/onnxruntime-1.16.3
ONNX=$NNP_BUILD/pip/onnx-1.16.2
if [ ! -e "$ORT/onnxruntime/__init__.py" ] || [ ! -e "$ONNX/onnx/__init__.py" ]; then
	skip_check "ORT int8: needs onnxruntime 1.16.3 and onnx 1.16.2 in $NNP_BUILD/pip (scripts/setup.sh)"
elif ! $PY -c 'import torch, torchvision, packaging, sympy' 2>/dev/null; then
	skip_check "ORT int8: needs python3-torch, python3-torchvision, python3-packaging, python3-sympy"
else
	source "$NNP_SRC/tests/integration/ort_model.sh"
	Q=$NNP_BUILD/models/ort-mobilenet_v2-opset13-int8-qop.onnx
	[ -s "$Q" ] || PYTHONPATH=$ORT:$ONNX $PY "$W/ort/quantize.py" "$MODEL" "$Q" \
		>"$TMP/quantize.log" 2>&1 || fail "quantize.py: $(tail -3 "$TMP/quantize.log")"
	# no profiles: each side's nodes are named from its session's graph in memory
	run_ort() { echo env PYTHONPATH=$ORT $PY "$W/ort/run.py" --model "$1" --iterations 20 --settle-ms 1500; }
	compare_json ort-int8 -- $(run_ort "$MODEL") ::: $(run_ort "$Q")
	$PY - "$TMP/ort-int8.json" <<'PYEOF' || fail "ORT float32 vs int8"
import collections, json, sys
d = json.load(open(sys.argv[1]))
pairs = collections.Counter((l["a"]["op"], l["b"]["op"]) for l in d["layers"]
                            if l["match"] in ("name", "order"))
assert pairs[("Conv", "QLinearConv")] == 52, pairs
assert pairs[("GlobalAveragePool", "QLinearGlobalAveragePool")] == 1, pairs
assert pairs[("Gemm", "QGemm")] == 1, pairs
only_b = collections.Counter(l["b"]["op"] for l in d["layers"] if l["match"] == "only_b")
for op in ("QuantizeLinear", "DequantizeLinear", "QLinearAdd"):
    assert only_b[op], f"no {op} only in B: {dict(only_b)}"
conv = sorted(l["speedup"]["est"] for l in d["layers"] if l["a"] and l["b"] and l["b"]["op"] == "QLinearConv")
print(f"ok: {sum(pairs.values())} nodes aligned ({pairs[('Conv', 'QLinearConv')]} Conv with QLinearConv), "
      f"only in B: {dict(only_b)}; QLinearConv speedup median {conv[len(conv) // 2]:.2f}x; "
      f"inference {d['inference']['speedup']['est']:.2f}x")
PYEOF
fi
pass
