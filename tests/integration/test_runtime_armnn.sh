#!/usr/bin/env bash
# Arm NN (Debian's libarmnn22, CpuRef backend, python3-pyarmnn), a runtime nnperf has no
# adapter for, found with no flags through a probes directory's spec file
# (deploy/probes.d/armnn.spec): one layer per workload per inference against Arm NN's own
# profiler in the same run, its backend library loaded late (dlopen); then -p PID on a
# running script, and top -b.
source "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
W=$NNP_SRC/tests/workloads/armnn
PD=$NNP_SRC/deploy/probes.d
if ! $PY -c 'import pyarmnn' 2>/dev/null; then
	echo "SKIP: needs python3-pyarmnn and libarmnn-cpuref-backend22"
	exit 77
fi

N=20
echo "== launched: armnn found with no flags, $N inferences, per workload vs Arm NN's profiler"
ok=0
for try in 1 2; do
	"$NNPERF" record -v --probes-dir "$PD" -o "$TMP/rec.json" -- $PY "$W/net.py" \
		--iterations $N --profile "$TMP/prof.json" >"$TMP/table" 2>"$TMP/err" ||
		fail "nnperf record exited $?: $(tail -3 "$TMP/err")"
	grep -q "probes.d/armnn.spec: runtime armnn, 2 probes" "$TMP/err" ||
		fail "armnn.spec not read: $(grep -i spec "$TMP/err" | head -3)"
	grep -q "Arm_CpuRef_backend.so: armnn runtime" "$TMP/err" ||
		fail "the late-loaded CpuRef backend was not claimed: $(grep runtime "$TMP/err" | head -3)"
	grep -q "^armnn::RefPooling2dWorkload::Execute#2 " "$TMP/table" || fail "table lacks pool #2: $(cat "$TMP/table")"
	if $PY "$W/compare.py" exact "$TMP/rec.json" "$TMP/prof.json" $N; then
		ok=1
		break
	fi
	echo "retrying ($try): this machine is noisy"
done
[ $ok = 1 ] || fail "nnperf and Arm NN's profile disagree twice in a row"

echo "== -p PID of a running script"
$PY "$W/net.py" --ready "$TMP/ready" >/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
for _ in $(seq 300); do
	[ -e "$TMP/ready" ] && break
	kill -0 $pid 2>/dev/null || fail "net.py exited before it was ready"
	sleep 0.1
done
[ -e "$TMP/ready" ] || fail "net.py not ready after 30 s"
"$NNPERF" record -p $pid -d 2 --probes-dir "$PD" -o "$TMP/pid.json" >/dev/null 2>"$TMP/err" ||
	fail "nnperf record -p exited $?: $(cat "$TMP/err")"
$PY "$W/compare.py" attached "$TMP/pid.json" "$TMP/prof.json" 10 || fail "-p PID recording"

echo "== top -b: the same process, found among all by the probes directory"
timeout 60 "$NNPERF" top -b -d 1 -n 2 --probes-dir "$PD" --runtime armnn >"$TMP/top" 2>"$TMP/top.err" ||
	fail "top -b exited $?: $(tail -3 "$TMP/top.err")"
# the process row: 9 layers (its workloads), inferences counted; then its 9 workloads' rows
awk -v p=$pid '$1 == p && $7 == 9 && $4 > 0 { found = 1 } END { exit !found }' "$TMP/top" ||
	fail "top -b: no row for $pid with 9 layers: $(head -8 "$TMP/top")"
[ "$(grep -c "^armnn::Ref" "$TMP/top")" = 18 ] || fail "top -b: not 9 workloads twice: $(cat "$TMP/top")"
kill $pid
wait $pid 2>/dev/null || true
echo "ok: top -b: armnn workloads of $pid"
pass
