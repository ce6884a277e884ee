#!/usr/bin/env bash
# LiteRT (TensorFlow Lite) from PyPI (pip install ai-edge-litert), found with no flags in a
# python process: Subgraph::Invoke per inference; per node the kernel call inside
# Subgraph::InvokeImpl, named by its output tensor, its op read from the library's own
# table. Checked against the interpreter's plan (run.py --info) for float32 and full-integer
# int8 models of one MobileNetV2-style network (made here by make_model.py), in ai-edge-litert
# 2.3.0 and 1.2.0, and tflite-runtime 2.14.0, whose Subgraph::OpInvoke is a function of its own
# (scripts/setup.sh installs all three); with XNNPACK, the DELEGATE nodes and XNNPACK's
# operators inside them, typed and following the nodes they were built from; -p PID of a running
# script; a build whose InvokeImpl cannot be found is one warning, inferences only; one whose
# XNNPACK type-name table is not XNNPACK's layout has operators without op names.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads/litert
# the wheels, as PACKAGE-VERSION directories of build/pip (scripts/setup.sh)
VERSIONS=${NNP_LITERT_VERSIONS:-ai-edge-litert-2.3.0 ai-edge-litert-1.2.0 tflite-runtime-2.14.0}
N=30
pkg_of() { echo "$NNP_BUILD/pip/$1"; }
# the first is needed (the models' schema, the checks beyond the plan); a later one missing
# (the arm64 build dir has ai-edge-litert 2.3.0 only) is a check skipped
have=()
for v in $VERSIONS; do
	if compgen -G "$(pkg_of "$v")/*/interpreter.py" >/dev/null; then
		have+=("$v")
	elif [ "$v" = "${VERSIONS%% *}" ]; then
		echo "SKIP: needs $v in $(pkg_of "$v") (scripts/setup.sh installs it)"
		exit 77
	else
		skip_check "$v: not in $(pkg_of "$v") (setup.sh fetches it for the host build only)"
	fi
done
$PY -c 'import flatbuffers' 2>/dev/null || {
	echo "SKIP: needs python3-flatbuffers (scripts/setup.sh installs it) to write the models"
	exit 77
}
V=${VERSIONS%% *}
PKG=$(pkg_of "$V")
for m in f32 i8; do
	PYTHONPATH=$PKG $PY "$W/make_model.py" "$TMP/$m.tflite" $([ $m = i8 ] && echo --int8) ||
		fail "make_model.py $m"
done

# record DIR PACKAGE_DIR MODEL [run.py options]: N+1 inferences (run.py warms up once)
record() {
	local dir=$1 pkg=$2 model=$3
	shift 3
	record_into "$dir" "$pkg" -- $PY "$W/run.py" "$model" $N --info "$dir/info.json" "$@"
}

# agree DIR PACKAGE_DIR MODEL [run.py options]: a recording that matches the plan (twice at
# most: the time share is noisy here)
agree() {
	for try in 1 2; do
		record "$@" || continue
		$PY "$W/check.py" "$1/rec.json" "$1/info.json" $((N + 1)) && return 0
		echo "retrying ($try): this machine is noisy"
	done
	fail "nnperf and LiteRT disagree twice in a row ($*)"
}

for v in "${have[@]}"; do
	for m in f32 i8; do
		echo "== $v, $m model, built-in kernels: every node of the plan"
		agree "$TMP/$v-$m" "$(pkg_of "$v")" "$TMP/$m.tflite"
		grep -Eq 'litert: node kernels: (call .* ended at .* \((j|cb)|.*OpInvoke at)' \
			"$TMP/$v-$m/err" ||
			fail "the node-kernel call was not found: $(grep litert "$TMP/$v-$m/err" | head -3)"
		grep -q 'litert: node indexes from the subgraph in process .* nodes at +0x' \
			"$TMP/$v-$m/err" || fail "no node indexes: $(grep 'node indexes' "$TMP/$v-$m/err")"
	done
done
grep -q 'QUANTIZE' "$TMP/$V-i8/table" && grep -q 'DEQUANTIZE' "$TMP/$V-i8/table" ||
	fail "the int8 model's QUANTIZE/DEQUANTIZE nodes: $(head -5 "$TMP/$V-i8/table")"

for v in "${have[@]}"; do
	for m in f32 i8; do
		echo "== $v, $m model, XNNPACK: DELEGATE nodes, XNNPACK's operators inside them"
		agree "$TMP/$v-$m-xnn" "$(pkg_of "$v")" "$TMP/$m.tflite" --xnnpack
	done
done
grep -q ' DELEGATE ' "$TMP/$V-f32-xnn/table" ||
	fail "no DELEGATE node: $(head -4 "$TMP/$V-f32-xnn/table")"
grep -Eq '^  xnnpack#1 +Convolution \(NH' "$TMP/$V-f32-xnn/table" ||
	fail "no XNNPACK convolution: $(sed -n 2,4p "$TMP/$V-f32-xnn/table")"
grep -q 'litert: XNNPACK operator types at +' "$TMP/$V-f32-xnn/err" ||
	fail "no line for XNNPACK's type table: $(grep litert "$TMP/$V-f32-xnn/err" | head -3)"

echo "== -p PID of a running script ($V, the library already mapped)"
PYTHONPATH=$PKG $PY "$W/run.py" "$TMP/f32.tflite" 100000 --info "$TMP/pid-info.json" \
	>/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
for _ in $(seq 1200); do [ -s "$TMP/pid-info.json" ] && break; sleep 0.1; done # 2 min: a TCG guest
"$NNPERF" record -p $pid -d 3 -o "$TMP/pid.json" >"$TMP/pid.txt" 2>"$TMP/pid.err" ||
	fail "record -p exited $?: $(tail -3 "$TMP/pid.err")"
kill $pid
wait $pid 2>/dev/null || true
$PY "$W/check.py" "$TMP/pid.json" "$TMP/pid-info.json" 0 --window || fail "-p PID"

echo "== a build whose InvokeImpl has no symbol: one warning, inferences only"
mkdir -p "$TMP/patched-pkg"
cp -rs "$PKG/ai_edge_litert" "$TMP/patched-pkg/"
so=ai_edge_litert/libpywrap_litert_common.so
rm "$TMP/patched-pkg/$so"
$PY - "$PKG/$so" "$TMP/patched-pkg/$so" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
name = b"\0_ZN6tflite8Subgraph10InvokeImplEv\0"
assert data.count(name) == 1, data.count(name)
open(sys.argv[2], "wb").write(data.replace(name, b"\0_ZN6tflite8Subgraph10InvokeImplEx\0"))
PYEOF
record "$TMP/patched" "$TMP/patched-pkg" "$TMP/f32.tflite" || fail "record of the patched build"
grep -q 'litert: no node-kernel call in tflite::Subgraph::InvokeImpl of .*: inferences only' \
	"$TMP/patched/err" || fail "no warning: $(grep litert "$TMP/patched/err" | head -3)"
[ "$(grep -c 'no node-kernel call' "$TMP/patched/err")" = 1 ] || fail "warned more than once"
$PY - "$TMP/patched/rec.json" $((N + 1)) <<'PYEOF' || fail "inferences of the patched build"
import json, sys
p = next(p for p in json.load(open(sys.argv[1]))["processes"] if p["inferences"]["count"])
assert p["inferences"]["count"] == int(sys.argv[2]), p["inferences"]["count"]
assert not p["layers"], f"{len(p['layers'])} layers"
print(f"ok: {p['inferences']['count']} inferences, no nodes")
PYEOF

echo "== a build whose XNNPACK type names are not XNNPACK's layout: operators without op names"
mkdir -p "$TMP/xnn-pkg"
cp -rs "$PKG/ai_edge_litert" "$TMP/xnn-pkg/"
rm "$TMP/xnn-pkg/$so"
$PY - "$PKG/$so" "$TMP/xnn-pkg/$so" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
name = b"\0Invalid\0"  # the name of type 0, the table's layout check (and only ever text)
assert data.count(name) >= 1, data.count(name)
open(sys.argv[2], "wb").write(data.replace(name, b"\0Invalie\0"))
PYEOF
record "$TMP/xnn-bad" "$TMP/xnn-pkg" "$TMP/f32.tflite" --xnnpack ||
	fail "record of the build with another type table"
grep -q "litert: XNNPACK operators of .* without op names: .* is not XNNPACK's layout" \
	"$TMP/xnn-bad/err" || fail "no line: $(grep -i xnnpack "$TMP/xnn-bad/err" | head -3)"
$PY - "$TMP/xnn-bad/rec.json" $((N + 1)) <<'PYEOF' || fail "operators of the build"
import json, sys
p = next(p for p in json.load(open(sys.argv[1]))["processes"] if p["layers"])
assert p["inferences"]["count"] == int(sys.argv[2]), p["inferences"]["count"]
xnn = [l for l in p["layers"] if l["name"].startswith("xnnpack#")]
assert len(xnn) >= 29, f"{len(xnn)} operators"
typed = [l["op"] for l in xnn if l["op"] and l["op"] != "xnnpack"]
assert not typed, f"op names from a table that failed its check: {typed[:3]}"
print(f"ok: {len(xnn)} operators, none typed")
PYEOF
pass
