#!/usr/bin/env bash
# ONNX Runtime from PyPI (pip install onnxruntime), found with no flags in a python process.
# The wheel never maps libonnxruntime.so: ORT is linked statically into the stripped
# onnxruntime_pybind11_state*.so, which exports no OrtGetApiBase. InferenceSession::Run is
# found by the profiler's "model_run" text and ExecuteKernel by its kernel error text, both
# on a cold cache and then from it; per-node times against ORT's own profiler in the same
# run, for the newest wheel and the oldest #15 covers (scripts/setup.sh installs both; with
# --arch arm64 the aarch64 wheels, for the arm64 guest); -p PID of a running script; a build
# whose Run cannot be found is one warning.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads
# the newest wheel and the oldest #15 covers; PyPI's oldest aarch64 wheel for Python 3.11 is 1.17.0
if [ "$(uname -m)" = aarch64 ]; then
	VERSIONS=${NNP_ORT_PIP_VERSIONS:-1.32.0 1.17.0}
else
	VERSIONS=${NNP_ORT_PIP_VERSIONS:-1.32.0 1.16.3}
fi
pkg_of() { echo "$NNP_BUILD/pip/onnxruntime-$1"; }
for v in $VERSIONS; do
	if [ ! -e "$(pkg_of "$v")/onnxruntime/__init__.py" ]; then
		echo "SKIP: needs onnxruntime $v in $(pkg_of "$v") (scripts/setup.sh installs it)"
		exit 77
	fi
done
source "$NNP_SRC/tests/integration/ort_model.sh"

# record DIR PACKAGE_DIR [nnperf options]: N+1 inferences (run.py warms up once), ORT's
# profiler on
record() {
	local dir=$1 pkg=$2
	shift 2
	record_into "$dir" "$pkg" "$@" -- $PY "$W/ort/run.py" --model "$MODEL" --iterations $N \
		--settle-ms 2000 --profile "$dir/ort"
}

# per-node p50 within 15% of ORT's profiler for nodes over 200 us; in a qemu guest (TCG)
# over 1 ms: a probed call costs ~50 us of guest time there (arm64, onnxruntime 1.17.0:
# GlobalAveragePool 375 us by nnperf, 316 us by ORT's profiler, the same in every run)
CMP_LIMITS="0.15 200"
[ -z "${NNPERF_VM:-}" ] || CMP_LIMITS="0.15 1000"
# agree DIR PACKAGE_DIR [nnperf options]: a recording that agrees with ORT's profiler (twice
# at most: this machine is noisy)
agree() {
	for try in 1 2; do
		record "$@" || continue
		$PY "$W/ort/compare.py" "$1/rec.json" "$1"/ort_*.json $((N + 1)) $CMP_LIMITS && return 0
		echo "retrying ($try): this machine is noisy"
	done
	fail "nnperf and ORT's profiler disagree twice in a row ($2)"
}

rm -rf "$XDG_CACHE_HOME"
for v in $VERSIONS; do
	echo "== onnxruntime $v from PyPI, cold cache: both sites found by their texts, then cached"
	agree "$TMP/cold-$v" "$(pkg_of "$v")"
	grep -q "(onnxruntime $v)" "$TMP/cold-$v/table" ||
		fail "not onnxruntime $v: $(head -1 "$TMP/cold-$v/table")"
	grep -q 'onnxruntime_pybind11_state.*: onnxruntime runtime' "$TMP/cold-$v/err" ||
		fail "the wheel's module was not recognised: $(grep onnxruntime "$TMP/cold-$v/err" | head -3)"
	grep -q 'onnxruntime: InferenceSession::Run at' "$TMP/cold-$v/err" || fail "no Run search in -v"
	grep -q 'onnxruntime: ExecuteKernel at' "$TMP/cold-$v/err" || fail "no ExecuteKernel search in -v"
	# no profile given: every node named from the session's graph, as ORT's profile names it
	grep -q "onnxruntime: node names from the session's graph in process" "$TMP/cold-$v/err" ||
		fail "no names from the graph: $(grep 'node names' "$TMP/cold-$v/err")"
	$PY "$W/ort/names.py" "$TMP/cold-$v/rec.json" "$TMP/cold-$v"/ort_*.json ||
		fail "names from the graph ($v)"
	grep -q '^unnamed:' "$TMP/cold-$v/table" && fail "the unnamed line though the graph named them"
done
# one file per build-id, each with both sites
set -- "$XDG_CACHE_HOME"/nnperf/ort-*
[ -e "$1" ] && [ $# = "$(echo $VERSIONS | wc -w)" ] || fail "cache files: $*"
for c in "$@"; do
	grep -q '^kernel=[1-9a-f]' "$c" || fail "cache lacks the kernel site: $(cat "$c")"
done

V=${VERSIONS%% *}
PKG=$(pkg_of "$V")
echo "== warm cache ($V): the same sites without a search; nodes named from a profile, over the graph"
prof=$TMP/renamed-profile.json
$PY "$W/ort/rename_profile.py" "$(ls "$TMP/cold-$V"/ort_*.json | head -1)" "$prof"
agree "$TMP/warm" "$PKG" --node-names "$prof"
grep -q 'sites of build .* from the cache' "$TMP/warm/err" || fail "cache not used"
grep -q 'InferenceSession::Run at' "$TMP/warm/err" && fail "searched again despite the cache"
$PY "$W/ort/names.py" "$TMP/warm/rec.json" "$prof" || fail "--node-names did not win over the graph"
grep -q '^unnamed:' "$TMP/warm/table" && fail "the unnamed line though --node-names named them"

echo "== -p PID of a running script ($V, the module already mapped)"
PYTHONPATH=$PKG $PY "$W/ort/run.py" --model "$MODEL" --iterations 100000 >/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
for _ in $(seq 100); do grep -q onnxruntime_pybind11_state "/proc/$pid/maps" 2>/dev/null && break; sleep 0.1; done
sleep 1 # the session is made and running
"$NNPERF" record -p $pid -d 4 -o "$TMP/pid.json" >"$TMP/pid.txt" 2>"$TMP/pid.err" ||
	fail "record -p exited $?: $(tail -3 "$TMP/pid.err")"
kill $pid
wait $pid 2>/dev/null || true
# as many nodes as the cold run of the same wheel saw (56 on x86-64, 55 in ORT's aarch64 graph)
$PY - "$TMP/pid.json" "$TMP/cold-$V/rec.json" <<'PYEOF' || fail "-p PID"
import json, sys
def proc(path):
    return next(p for p in json.load(open(path))["processes"] if p["layers"])
p, want = proc(sys.argv[1]), len(proc(sys.argv[2])["layers"])
n = p["inferences"]["count"]
assert n >= 5, f"{n} inferences in 4 s"
assert len(p["layers"]) == want, f"{len(p['layers'])} nodes, the launched run had {want}"
# nodes of the two inferences cut by the window's ends (begun before the attach, not
# ended at the stop) are in it too, the inferences not
off = [l["count"] - n for l in p["layers"] if not 0 <= l["count"] - n <= 2]
assert not off, f"nodes not once an inference: {off[:5]} off {n}"
print(f"ok: attached to a running script: {n} inferences x {want} nodes")
PYEOF

echo "== a build without Run's marker: one warning, nothing of ORT measured"
rm -rf "$XDG_CACHE_HOME" # the patched copy keeps the build-id
mkdir -p "$TMP/patched-pkg"
cp -rs "$PKG/onnxruntime" "$TMP/patched-pkg/"
so=$(cd "$PKG" && ls onnxruntime/capi/onnxruntime_pybind11_state*.so)
rm "$TMP/patched-pkg/$so"
$PY - "$PKG/$so" "$TMP/patched-pkg/$so" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
text = b"\0model_run\0"
assert data.count(text) == 1, data.count(text)
open(sys.argv[2], "wb").write(data.replace(text, b"\0modxl_run\0"))
PYEOF
record "$TMP/patched" "$TMP/patched-pkg" || true
grep -q 'cannot find InferenceSession::Run in .*: not measured' "$TMP/patched/err" ||
	fail "no warning for the missing Run: $(grep onnxruntime "$TMP/patched/err" | head -3)"
[ "$(grep -c 'cannot find InferenceSession::Run' "$TMP/patched/err")" = 1 ] || fail "warned more than once"
grep -q "$N inferences" "$TMP/patched/table" || fail "the script did not run: $(head -2 "$TMP/patched/table")"
pass
