#!/usr/bin/env bash
# Index terms in fetches (docs/spec-format.md, "A layer named through an index"): a kernel
# laid out as TensorFlow Lite's Eval(TfLiteContext *, TfLiteNode *) knows its output tensor
# only as node->outputs->data[0], an index into context->tensors (tests/workloads/tensors).
# The name is context->tensors[idx].name (the index added before a dereference) and the key
# the tensor's address (the index added to the result); an index of -1 (TFLite's optional
# tensor), read as unsigned, points far outside the table and gives no name, not a wrong one.
source "$(dirname "$0")/lib.sh"
require_root
TS=$NNP_BUILD/nnperf-tensors
N=200
IDX='u32(*(*(arg1+8)+4))*112'
echo "== layers named through an index: $N inferences x 5 nodes"
"$NNPERF" record -o "$TMP/ix.json" --probe "inference=nnperf-tensors:invoke" \
	--probe "layer=nnperf-tensors:*_eval,key=*(arg0+16)+$IDX,name=str(*(*(arg0+16)+$IDX+56))" \
	-- "$TS" $N >"$TMP/out" 2>"$TMP/err" || fail "record exited $?: $(tail -3 "$TMP/err")"
/usr/bin/python3 - "$TMP/ix.json" "$TMP/out" $N <<'PY' || fail "index terms: $(cat "$TMP/out")"
import json, re, sys
doc, out, n = json.load(open(sys.argv[1])), open(sys.argv[2]).read(), int(sys.argv[3])
layout = re.search(r"^layout: (.*)$", out, re.M).group(1)
assert layout == "tensors=16 outputs=8 data=4 tensor_size=112 name=56", layout
want = sorted((int(a, 16), name, n) for name, a in
              re.findall(r"^node \d+: tensor \d+ (\S+) at (0x[0-9a-f]+)$", out, re.M))
assert len(want) == 5, out
assert doc["stats"]["lost_events"] == 0 and doc["stats"]["fetch_errors"] == 0, doc["stats"]
(p,) = [p for p in doc["processes"] if p["layers"]]
assert p["inferences"]["count"] == n, p["inferences"]["count"]
got = sorted((int(l["key"], 0), l["name"], l["count"]) for l in p["layers"])
assert got == want, f"layers {got}, want {want}"
print(f"ok: {n} inferences, 5 layers keyed by their output tensor's address and named by it")
PY

echo "== an index of -1 gives no name"
"$NNPERF" record -o "$TMP/neg.json" \
	--probe "layer=nnperf-tensors:fc_eval,key=arg1,name=str(*(*(arg0+16)+u32(*(*(arg1+8)+8))*112+56))" \
	-- "$TS" 20 >"$TMP/out" 2>"$TMP/err" || fail "record exited $?: $(tail -3 "$TMP/err")"
/usr/bin/python3 - "$TMP/neg.json" <<'PY' || fail "index -1"
import json, sys
doc = json.load(open(sys.argv[1]))
(p,) = [p for p in doc["processes"] if p["layers"]]
(l,) = p["layers"]
names = {"input", "fc/out", "conv1/out", "add/out", "conv3/out", "conv2/out", "unused", "output"}
assert l["count"] == 20 and l["name"] not in names, l
assert doc["stats"]["fetch_errors"] >= 1, doc["stats"]
print(f"ok: 20 calls, named {l['name']!r}, {doc['stats']['fetch_errors']} fetch errors counted")
PY
expect_error "column 44: at most one index term" \
	"$NNPERF" record --probe "layer=nnperf-tensors:fc_eval,key=arg0+arg1+arg1" -- "$TS" 1
pass
