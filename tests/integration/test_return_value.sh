#!/usr/bin/env bash
# The return value in fetches (docs/spec-format.md, "The return value"): ret is read at a
# layer's return probe. tests/workloads/tensors runs each node through run_node(), which
# returns the node's output tensor (key=ret, name=str(*(ret+56)): the same keys and names
# test_index_fetch reads through an index), and add_eval returns kTfLiteError on every 4th
# call (when=u32(ret)!=0 keeps exactly those calls; ==0 the others).
source "$(dirname "$0")/lib.sh"
require_root
TS=$NNP_BUILD/nnperf-tensors
N=200
CHECK=$TMP/check.py
cat >"$CHECK" <<'PY'
import json, re, sys
mode, doc, out, n = sys.argv[1], json.load(open(sys.argv[2])), open(sys.argv[3]).read(), int(sys.argv[4])
assert doc["stats"]["lost_events"] == 0 and doc["stats"]["fetch_errors"] == 0, doc["stats"]
(p,) = [p for p in doc["processes"] if p["layers"]]
assert p["inferences"]["count"] == n, p["inferences"]["count"]
errors, calls = map(int, re.search(r"add_eval: (\d+) errors in (\d+) calls", out).groups())
assert calls == n and errors == n // 4, (errors, calls)
if mode == "key":
    want = sorted((int(a, 16), name, n) for name, a in
                  re.findall(r"^node \d+: tensor \d+ (\S+) at (0x[0-9a-f]+)$", out, re.M))
    assert len(want) == 5, out
    got = sorted((int(l["key"], 0), l["name"], l["count"]) for l in p["layers"])
    assert got == want, f"layers {got}, want {want}"
    # run_node's time is its kernel's: over 1 us a call on any machine here
    assert all(l["p50_ns"] > 1000 for l in p["layers"]), [l["p50_ns"] for l in p["layers"]]
    print(f"ok: {n} inferences, 5 layers keyed by the tensor run_node returned, named from it")
else:
    (l,) = p["layers"]
    want = errors if mode == "ne" else calls - errors
    assert l["count"] == want, f"{l['name']}: {l['count']} calls kept, want {want} of {calls}"
    print(f"ok: when=u32(ret){'!=' if mode == 'ne' else '=='}0 kept {l['count']} of "
          f"{calls} add_eval calls ({errors} returned kTfLiteError)")
PY

record() { # record OUT PROBE...: a recording of N inferences, its output in OUT.out
	local out=$1
	shift
	local args=(--probe "inference=nnperf-tensors:invoke")
	for p in "$@"; do args+=(--probe "$p"); done
	"$NNPERF" record -o "$out" "${args[@]}" -- "$TS" $N >"$out.out" 2>"$out.err" ||
		fail "record exited $?: $(tail -3 "$out.err")"
}

echo "== key and name from the return value: $N inferences x 5 nodes"
record "$TMP/key.json" "layer=nnperf-tensors:run_node,key=ret,name=str(*(ret+56)),op=\"node\""
/usr/bin/python3 "$CHECK" key "$TMP/key.json" "$TMP/key.json.out" $N || fail "key=ret"

echo "== when read at the return: the calls that returned an error, and the others"
record "$TMP/ne.json" "layer=nnperf-tensors:add_eval,key=arg1,when=u32(ret)!=0"
/usr/bin/python3 "$CHECK" ne "$TMP/ne.json" "$TMP/ne.json.out" $N || fail "when=ret!=0"
record "$TMP/eq.json" "layer=nnperf-tensors:add_eval,key=arg1,when=u32(ret)==0"
/usr/bin/python3 "$CHECK" eq "$TMP/eq.json" "$TMP/eq.json.out" $N || fail "when=ret==0"

echo "== the same with one link per uprobe (kernels before 6.6)"
NNPERF_FORCE=no-uprobe-multi record "$TMP/single.json" \
	"layer=nnperf-tensors:run_node,key=ret,name=str(*(ret+56)),op=\"node\""
/usr/bin/python3 "$CHECK" key "$TMP/single.json" "$TMP/single.json.out" $N || fail "single links"

echo "== ret where no return is probed, or with the arguments: one line each"
expect_error "column 47: key reads ret, the return value: only layer probes have a return probe (not mode=entry-only layer)" \
	"$NNPERF" record --probe "layer=nnperf-tensors:run_node,mode=entry-only,key=ret" -- "$TS" 1
expect_error "column 41: arg1: key reads ret or the arguments, not both" \
	"$NNPERF" record --probe "layer=nnperf-tensors:run_node,key=*(ret+arg1)" -- "$TS" 1
expect_error "column 39: name reads the arguments but key reads ret" \
	"$NNPERF" record --probe "layer=nnperf-tensors:run_node,key=ret,name=str(*arg0)" -- "$TS" 1
pass
