#!/usr/bin/env bash
# ONNX Runtime (onnxruntime-node, stripped library) found with no flags: OrtApi::Run and
# ExecuteKernel located on a cold cache, then read from it; one event per node per inference
# with ORT's NodeIndex as the key, per-node times against ORT's own profiler in the same run;
# a build whose node function cannot be found gives a warning and inferences only.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads
ORT=${NNP_ORT_NODE:-$NNP_BUILD/npm/node_modules/onnxruntime-node}
if ! command -v node >/dev/null || [ ! -e "$ORT/package.json" ]; then
	echo "SKIP: needs node and onnxruntime-node in $ORT (scripts/setup.sh installs them)"
	exit 77
fi
source "$NNP_SRC/tests/integration/ort_model.sh"

# record DIR ORT_PACKAGE [nnperf options]: N+1 inferences (run.js warms up once) with ORT's
# profiler on
record() {
	local dir=$1 pkg=$2
	shift 2
	set -- "$dir" "$pkg" "$@"
	rm -rf "$1" && mkdir -p "$1"
	"$NNPERF" record -v -o "$1/rec.json" "${@:3}" -- node "$W/ort/run.js" --ort "$2" --model "$MODEL" \
		--iterations $N --settle-ms 2000 --profile "$1/ort" >"$1/table" 2>"$1/err" || {
		echo "nnperf record exited $?: $(grep -v '^nnperf: feature' "$1/err" | tail -3)" \
			"target: $(head -2 "$1/table")" >&2
		return 1
	}
}

echo "== cold cache: sites found in the stripped library, then cached by build-id"
ok=0
for try in 1 2; do
	rm -rf "$XDG_CACHE_HOME" "$TMP/cold"
	record "$TMP/cold" "$ORT" || continue
	grep -q 'onnxruntime: ExecuteKernel at' "$TMP/cold/err" || fail "no ExecuteKernel search in -v output"
	if $PY "$W/ort/compare.py" "$TMP/cold/rec.json" "$TMP"/cold/ort_*.json $((N + 1)); then
		ok=1
		break
	fi
	echo "retrying ($try): this machine is noisy"
done
[ $ok = 1 ] || fail "nnperf and ORT's profiler disagree twice in a row"
# no profile given: every node named from the session's graph, as ORT's own profile names it
grep -q "onnxruntime: node names from the session's graph in process" "$TMP/cold/err" ||
	fail "no names from the graph: $(grep 'node names' "$TMP/cold/err")"
$PY "$W/ort/names.py" "$TMP/cold/rec.json" "$TMP"/cold/ort_*.json || fail "names from the graph"
cache=$(ls "$XDG_CACHE_HOME"/nnperf/ort-*) || fail "no cache file written"
grep -q '^kernel=[1-9a-f]' "$cache" || fail "cache lacks the kernel site: $(cat "$cache")"

echo "== warm cache: the same sites without a search; nodes named from a profile, over the graph"
prof=$TMP/renamed-profile.json
$PY "$W/ort/rename_profile.py" "$(ls "$TMP"/cold/ort_*.json | head -1)" "$prof"
record "$TMP/warm" "$ORT" --node-names "$prof" || record "$TMP/warm" "$ORT" --node-names "$prof" ||
	fail "nnperf record failed twice"
grep -q 'sites of build .* from the cache' "$TMP/warm/err" || fail "cache not used"
grep -q 'ExecuteKernel at' "$TMP/warm/err" && fail "searched again despite the cache"
$PY "$W/ort/compare.py" "$TMP/warm/rec.json" "$TMP"/warm/ort_*.json $((N + 1)) 0.5 ||
	fail "warm-cache recording"
$PY "$W/ort/names.py" "$TMP/warm/rec.json" "$prof" || fail "--node-names did not win over the graph"
expect_error "--node-names: $TMP/warm/rec.json: no ONNX Runtime node events" \
	"$NNPERF" record --node-names "$TMP/warm/rec.json" -- /bin/true

echo "== a build without the node function's marker: a warning, inferences only"
rm -rf "$XDG_CACHE_HOME" # the patched copy keeps the build-id
pkg=$TMP/node_modules/onnxruntime-node
bin=bin/napi-v6/linux/x64
mkdir -p "$pkg/$bin"
cp -r "$ORT/../onnxruntime-common" "$TMP/node_modules/"
cp -r "$ORT/package.json" "$ORT/dist" "$pkg/"
cp "$ORT/$bin/onnxruntime_binding.node" "$pkg/$bin/"
$PY - "$ORT/$bin/libonnxruntime.so.1" "$pkg/$bin/libonnxruntime.so.1" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
text = b"Non-zero status code returned while running "
assert data.count(text) == 1
open(sys.argv[2], "wb").write(data.replace(text, b"Nxn" + text[3:]))
PYEOF
record "$TMP/patched" "$pkg" || record "$TMP/patched" "$pkg" || fail "nnperf record failed twice"
grep -q 'cannot find ExecuteKernel .*inferences only' "$TMP/patched/err" ||
	fail "no warning for the missing node function: $(grep onnxruntime "$TMP/patched/err")"
$PY - "$TMP/patched/rec.json" $((N + 1)) <<'PYEOF' || fail "patched build"
import json, sys
doc = json.load(open(sys.argv[1]))
p = [p for p in doc["processes"] if p["inferences"]["count"]]
assert len(p) == 1 and p[0]["inferences"]["count"] == int(sys.argv[2]), "inference count"
assert not p[0]["layers"], "layers from a build where none can be found"
print(f"ok: {sys.argv[2]} inferences, no nodes, one warning")
PYEOF
pass
