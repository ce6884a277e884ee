#!/usr/bin/env bash
# Stack arguments in fetches (docs/spec-format.md): a layer struct passed by value, as
# darknet's forward_convolutional_layer(layer l, ...) takes it, and a function with more
# integer arguments than registers (tests/workloads/stackargs). x86-64 passes both on the
# stack (sargN, stack); arm64 passes the struct by reference in x0 and only the arguments
# after the eighth on the stack, so the probes differ by architecture and the numbers must not.
source "$(dirname "$0")/lib.sh"
require_root
SA=$NNP_BUILD/nnperf-stackargs
N=200
case "$(uname -m)" in
x86_64)
	# forward_layer(struct layer l, long n): l is copied to the stack, id at +0, name at +8,
	# type at +16; run_layer's arguments 6..9 are sarg0..sarg3 (id, name: sarg2, sarg3)
	FWD='key=sarg0,name=str(sarg1),op=str(*(stack+16))'
	RUN='key=sarg2,name=str(sarg3)' ;;
aarch64)
	# AAPCS64: a struct over 16 bytes goes by reference (x0); x0..x7 hold run_layer's
	# first eight arguments, id and name are the stack's first two slots
	FWD='key=*arg0,name=str(*(arg0+8)),op=str(*(arg0+16))'
	RUN='key=sarg0,name=str(sarg1)' ;;
*) echo "SKIP: no stack argument layout for $(uname -m)"; exit 77 ;;
esac

echo "== by-value struct and stack arguments: $N inferences x 6 layers"
"$NNPERF" record -o "$TMP/sa.json" --probe "inference=nnperf-stackargs:predict" \
	--probe "layer=nnperf-stackargs:forward_layer,$FWD" \
	--probe "layer=nnperf-stackargs:run_layer,$RUN,op=\"run\"" \
	-- "$SA" $N >"$TMP/table" 2>"$TMP/err" || fail "record exited $?: $(tail -3 "$TMP/err")"
/usr/bin/python3 - "$TMP/sa.json" $N <<'PY' || fail "stack arguments: $(cat "$TMP/table")"
import json, sys
doc, n = json.load(open(sys.argv[1])), int(sys.argv[2])
assert doc["stats"]["lost_events"] == 0 and doc["stats"]["fetch_errors"] == 0, doc["stats"]
(p,) = [p for p in doc["processes"] if p["layers"]]
assert p["inferences"]["count"] == n, p["inferences"]["count"]
got = sorted((int(l["key"], 0), l["name"], l["op"], l["count"]) for l in p["layers"])
want = sorted([(1, "conv1", "Convolution", n), (2, "conv2", "Convolution", n),
               (3, "fc", "InnerProduct", n), (11, "conv1", "run", n), (12, "conv2", "run", n),
               (13, "fc", "run", n)])
assert got == want, f"layers {got}, want {want}"
print(f"ok: {n} inferences, 6 layers keyed and named from the stack")
PY
expect_error "sarg1 is a function's stack at a uprobe: a USDT probe's arguments are arg0..arg11" \
	"$NNPERF" record --probe "layer-begin=usdt:$SA:nnperf:layer_begin,key=sarg1" -- "$SA" 1
pass
