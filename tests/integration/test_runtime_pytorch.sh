#!/usr/bin/env bash
# PyTorch found with no flags in an unmodified script (torch imported after
# start: caught through the dynamic loader), every op call measured, layers
# identified by their weights, inferences found from the layer sequence, per-layer
# times as torch.profiler sees the same calls.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
MOBILENET=$NNP_SRC/tests/workloads/torch/mobilenet.py
if ! $PY -c 'import torch, torchvision' 2>/dev/null; then
	echo "SKIP: python3-torch / python3-torchvision are not installed (scripts/setup.sh installs them)"
	exit 77
fi
N=3

echo "== launched script, no flags: $N inferences, 52 conv2d and 52 batch_norm layers"
"$NNPERF" record -o "$TMP/dense.json" -- $PY "$MOBILENET" --iterations $N >"$TMP/dense.txt"
/usr/bin/python3 - "$TMP/dense.json" $N <<'PY'
import collections, json, sys
doc, n = json.load(open(sys.argv[1])), int(sys.argv[2])
p = next(p for p in doc["processes"] if p["layer_events"])
assert p["inferences"]["count"] == n, p["inferences"]
assert doc["stats"]["lost_events"] == 0
probes = {x["probe_id"]: x for x in doc["probes"]}
assert all(probes[l["probe_id"]]["runtime"] == "pytorch" for l in p["layers"])
ops = collections.Counter(l["op"] for l in p["layers"])
assert ops["conv2d"] == 52 and ops["batch_norm"] == 52, ops
calls = {l["name"]: l["count"] for l in p["layers"]}
assert all(calls[f"conv2d#{i}"] == n for i in range(1, 53)), calls
assert calls["hardtanh_"] == 35 * n and calls["add_Tensor"] == 10 * n and calls["linear"] == n, calls
shapes = {l["name"]: l.get("shape") for l in p["layers"]}
assert all(len(shapes[f"conv2d#{i}"] or []) == 4 for i in range(1, 53)), shapes
assert shapes["conv2d#1"] == [32, 3, 3, 3] and shapes["batch_norm#1"] == [32], shapes
assert shapes["linear"] == [1000, 1280], shapes["linear"]  # the weight: out, in
conv = sum(l["total_ns"] for l in p["layers"] if l["op"] == "conv2d")
assert 0.2 < conv / p["inferences"]["total_ns"] < 1.0, conv
print(f"ok: {n} inferences of {p['inferences']['mean_ns'] / 1e6:.1f} ms, {len(p['layers'])} layers, "
      f"conv2d {conv / p['inferences']['total_ns']:.0%} of the time")
PY
grep -q "conv2d#52" "$TMP/dense.txt" || fail "table lacks conv2d#52"

echo "== per-layer times against torch.profiler of the same calls (layers over 200 us, 15%)"
ok=0
for try in 1 2; do
	"$NNPERF" record -o "$TMP/prof.json" -- $PY "$MOBILENET" --iterations $N \
		--profile-calls "$TMP/calls.json" >/dev/null || fail "record with torch.profiler on"
	$PY "$NNP_SRC/tests/workloads/torch/compare.py" "$TMP/prof.json" "$TMP/calls.json" $N &&
		{ ok=1; break; }
	echo "retrying ($try): this machine is noisy"
done
[ $ok = 1 ] || fail "nnperf and torch.profiler disagree twice in a row"

echo "== --runtime pytorch on the pruned model; an unknown runtime is an error"
"$NNPERF" record --runtime pytorch -o "$TMP/pruned.json" -- $PY "$MOBILENET" --model pruned --iterations 2 >/dev/null
$PY -c "
import json; p = next(p for p in json.load(open('$TMP/pruned.json'))['processes'] if p['layer_events'])
assert p['inferences']['count'] == 2, p['inferences']
d = next(p for p in json.load(open('$TMP/dense.json'))['processes'] if p['layer_events'])
shape = lambda q, n: next(l.get('shape') for l in q['layers'] if l['name'] == n)
# the first block's expansion conv lost half its output channels, and its batch norm too
assert shape(p, 'conv2d#4')[0] * 2 == shape(d, 'conv2d#4')[0], (shape(p, 'conv2d#4'), shape(d, 'conv2d#4'))
assert shape(p, 'batch_norm#4') == shape(p, 'conv2d#4')[:1]
print('ok: pruned model,', len(p['layers']), 'layers, 2 inferences, conv2d#4', shape(d, 'conv2d#4'),
      '->', shape(p, 'conv2d#4'))"
expect_error "unknown runtime 'tensorflow'" "$NNPERF" record --runtime tensorflow -- $PY "$MOBILENET"

echo "== -p PID of a running script (torch already loaded)"
$PY "$MOBILENET" --iterations 1000 --start-delay-ms 100 >/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
for _ in $(seq 100); do grep -q libtorch_cpu "/proc/$pid/maps" 2>/dev/null && break; sleep 0.1; done
"$NNPERF" record -p $pid -d 3 -o "$TMP/pid.json" >/dev/null
kill $pid; wait $pid 2>/dev/null || true
$PY -c "
import json; p = next(p for p in json.load(open('$TMP/pid.json'))['processes'] if p['layer_events'])
assert p['inferences']['count'] >= 1 and len(p['layers']) >= 100, (p['inferences'], len(p['layers']))
print('ok: attached to a running script:', p['inferences']['count'], 'inferences')"
pass
