#!/usr/bin/env bash
# nnperf record --trace: Chrome trace-event JSON that Perfetto opens: well-formed,
# complete events with the required fields, slices on a thread nested or
# disjoint, one slice per layer call; the file is finished after SIGINT too.
source "$(dirname "$0")/lib.sh"
require_root
N=20

validate() { # FILE INFERENCES (0: any) LAYERS_PER_INFERENCE
	/usr/bin/python3 - "$@" <<'PY'
import json, sys
from collections import defaultdict
path, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
doc = json.load(open(path))
assert doc.get("displayTimeUnit") == "ns"
ev = doc["traceEvents"]
xs = [e for e in ev if e["ph"] == "X"]
for e in xs:
    for k in ("name", "ph", "ts", "dur", "pid", "tid", "cat", "args"):
        assert k in e, f"X event lacks {k}: {e}"
    assert isinstance(e["ts"], (int, float)) and e["dur"] >= 0, e
meta = {(e["name"], e["tid"]) for e in ev if e["ph"] == "M"}
assert any(m[0] == "process_name" for m in meta) and any(m[0] == "thread_name" for m in meta)
for e in xs:
    assert ("thread_name", e["tid"]) in meta, f"thread {e['tid']} has no name"
infers = [e for e in xs if e["cat"] == "inference"]
layers = [e for e in xs if e["cat"] != "inference"]
for e in layers:
    a = e["args"]
    assert {"op", "key", "depth", "infer_seq"} <= a.keys(), a
    assert a["op"] == e["cat"] and a["infer_seq"] > 0, a
if n:
    assert len(infers) == n, f"{len(infers)} inference slices, want {n}"
    assert len(layers) == n * per, f"{len(layers)} layer slices, want {n} x {per}"
else:
    assert len(infers) > 0 and len(layers) >= per * (len(infers) - 1), (len(infers), len(layers))
# per thread, in integer ns: two slices are nested or disjoint, never overlapping
by_tid = defaultdict(list)
for e in xs:
    s = round(e["ts"] * 1000)
    by_tid[(e["pid"], e["tid"])].append((s, -(s + round(e["dur"] * 1000)), e["name"]))
for tid, sl in by_tid.items():
    sl.sort()
    stack = []
    for s, negend, name in sl:
        end = -negend
        while stack and stack[-1][0] <= s:
            stack.pop()
        assert not stack or end <= stack[-1][0], f"{name} overlaps {stack[-1][1]} on {tid}"
        stack.append((end, name))
print(f"ok: {path}: {len(infers)} inferences, {len(layers)} layer slices on {len(by_tid)} threads")
PY
}

echo "== tinynet, one thread: one slice per layer call"
"$NNPERF" record --trace "$TMP/t.json" -o "$TMP/r.json" -- "$TINYNET" --model pruned --iterations $N >/dev/null
validate "$TMP/t.json" $N 13
grep -q '"name":"conv2","cat":"conv2d"' "$TMP/t.json" || fail "no conv2 slice"

echo "== kernel signals as slice args: a layer that sleeps 1 ms"
"$NNPERF" record --trace "$TMP/k.json" -- "$TINYNET" --model pruned --iterations 5 \
	--sleep-layer relu1 --sleep-us 1000 >/dev/null
/usr/bin/python3 - "$TMP/k.json" <<'PY'
import json, sys
ev = [e for e in json.load(open(sys.argv[1]))["traceEvents"] if e.get("name") == "relu1"]
assert len(ev) == 5, len(ev)
for e in ev:
    a = e["args"]
    assert a["offcpu_ns"] >= 900000 and a["vcsw"] >= 1, a
print("ok: relu1 slices carry offcpu_ns >= 0.9 ms and a voluntary switch")
PY

echo "== two threads"
"$NNPERF" record --trace "$TMP/t2.json" -- "$TINYNET" --model pruned --threads 2 --iterations $N >/dev/null
validate "$TMP/t2.json" $N 13

echo "== SIGINT: the trace is still a finished document"
"$NNPERF" record --trace "$TMP/int.json" -- "$TINYNET" --model pruned --iterations 1000000 >/dev/null &
rec=$!
wait_child_exec $rec nnperf-tinynet
sleep 1.5
kill -INT $rec
wait $rec || fail "nnperf record exited $? after SIGINT"
validate "$TMP/int.json" 0 13

expect_error "failed to open /nonexistent/dir/t.json" \
	"$NNPERF" record --trace /nonexistent/dir/t.json -- "$TINYNET" --iterations 1
pass
