#!/usr/bin/env bash
# OpenCV DNN found with no flags in a python3 that imports cv2 late: one event per layer per
# inference, OpenCV's layer names and types, per-layer times against OpenCV's own
# getPerfProfile in the same run; then -p PID on a running script.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads/opencv
if ! $PY -c 'import cv2, numpy, torch, torchvision, onnx' 2>/dev/null; then
	echo "SKIP: needs python3-opencv, python3-torch, python3-torchvision, python3-onnx"
	exit 77
fi

# made once per build dir (torch's export takes a few seconds), never committed
MODEL=$NNP_BUILD/models/opencv-mobilenet_v2-opset10.onnx
[ -s "$MODEL" ] || $PY "$W/make_model.py" "$MODEL" || fail "cannot make $MODEL"

N=20
echo "== launched: runtime found, $N+1 inferences, per layer vs getPerfProfile within 15%"
ok=0
for try in 1 2; do
	"$NNPERF" record -o "$TMP/rec.json" -- $PY "$W/run.py" --model "$MODEL" \
		--iterations $N --profile "$TMP/prof.json" >"$TMP/table" 2>"$TMP/err" ||
		fail "nnperf record exited $?: $(cat "$TMP/err")"
	grep -q Convolution "$TMP/table" || fail "table lacks Convolution layers"
	# the +1 is run.py's untimed warm-up forward()
	if $PY "$W/compare.py" exact "$TMP/rec.json" "$TMP/prof.json" $((N + 1)); then
		ok=1
		break
	fi
	echo "retrying ($try): this machine is noisy"
done
[ $ok = 1 ] || fail "nnperf and OpenCV's profile disagree twice in a row"

echo "== -p PID of a running script"
$PY "$W/run.py" --model "$MODEL" --iterations 100000 --ready "$TMP/ready" \
	--profile "$TMP/never.json" >/dev/null &
pid=$!
PIDS+=($pid)
for _ in $(seq 300); do
	[ -e "$TMP/ready" ] && break
	kill -0 $pid 2>/dev/null || fail "run.py exited before it was ready"
	sleep 0.1
done
[ -e "$TMP/ready" ] || fail "run.py not ready after 30 s"
"$NNPERF" record -p $pid -d 2 -o "$TMP/pid.json" >/dev/null 2>"$TMP/err" ||
	fail "nnperf record -p exited $?: $(cat "$TMP/err")"
kill $pid
wait $pid 2>/dev/null || true
$PY "$W/compare.py" attached "$TMP/pid.json" "$TMP/prof.json" 3 || fail "-p PID recording"
pass
