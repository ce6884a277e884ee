#!/bin/bash
# nnperf top: the real binary driven inside tmux (all processes at 80x24, -p at
# 160x40, -- CMD), batch mode, and bad input; layers in execution order after
# attaching mid-inference, the group view (g, --group-by), column widths. Waits are bounded polls of the
# screen, never fixed sleeps that a loaded machine could outrun.
source "$(dirname "$0")/lib.sh"
require_root
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }

NSTART=0
SOCK=nnptest$$-0
TN_PID=
TN2_PID=
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	for p in $TN_PID $TN2_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

LAYERS="conv1 relu1 pool1 conv2 relu2 pool2 conv3 relu3 pool3 fc1 relu4 fc2 softmax"
# tinynet's layers by op, in the execution order of each op's first layer: "op count"
OP_GROUPS="conv2d 3,relu 4,maxpool 3,fc 2,softmax 1"

# start_top WIDTH HEIGHT ARGS...: nnperf top in a fresh tmux server (a server that is
# still shutting down could take a new session with it)
start_top() {
	local w=$1 h=$2
	shift 2
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	SOCK=nnptest$$-$((++NSTART))
	tmux -L "$SOCK" new-session -d -s top -x "$w" -y "$h" \
		"TERM=xterm-256color $NNPERF top $*; echo TOP-EXIT=\$?; sleep 120"
}
keys() { tmux -L "$SOCK" send-keys -t top "$@"; }
cap() { tmux -L "$SOCK" capture-pane -p -t top >"$TMP/screen"; }
# seen EXTENDED-REGEX [SECONDS]: polls the screen; 1 on timeout
seen() {
	local i
	for ((i = 0; i < ${2:-30} * 5; i++)); do
		cap
		grep -qE -- "$1" "$TMP/screen" && return 0
		sleep 0.2
	done
	return 1
}
wait_for() {
	seen "$@" && return 0
	echo "--- screen:" >&2
	cat "$TMP/screen" >&2
	fail "timed out waiting for '$1' on the screen"
}
# Attaching to a running process sometimes gets no layer-end events at all
# (nnperf record -p shows it too: a USDT semaphore race below top, reported);
# a fresh attach gets them. start_layers W H ARGS... starts top up to 3 times
# until the layer table of $TN_PID fills.
start_layers() {
	local try
	for try in 1 2 3; do
		start_top "$@"
		wait_for "^ *$TN_PID nnperf-tinynet"
		keys / "$TN_PID" Enter # other tests' processes may be listed too: keep ours
		wait_for "filter: $TN_PID"
		keys Enter
		wait_for "Layers of $TN_PID"
		seen "^softmax " 15 && return 0
		echo "attach $try got no layer events; again" >&2
	done
	fail "no layer events in 3 attaches: $(cat "$TMP/screen")"
}
wait_gone() {
	local i
	for ((i = 0; i < ${2:-30} * 5; i++)); do
		cap
		grep -qE -- "$1" "$TMP/screen" || return 0
		sleep 0.2
	done
	cat "$TMP/screen" >&2
	fail "'$1' stays on the screen"
}
# the table lines of the screen (below the column titles, above the key line)
table() { awk 'f && NR < n {print} /LAYER|COMMAND|GROUP/ {f = 1}' n="$1" "$TMP/screen"; }
title() { grep -E 'LAYER|COMMAND|GROUP' "$TMP/screen" | head -1; }
# in_order FILE: the first words of FILE's tinynet layer lines, each set in turn, are
# $LAYERS in order (every set starts again at conv1)
in_order() {
	awk -v want="$LAYERS" 'BEGIN {n = split(want, w, " ")}
		$1 == w[1] {i = 0}
		{for (k = 1; k <= n; k++) if ($1 == w[k]) {if (k != ++i) bad = 1; sets += (k == n)}}
		END {exit bad || !sets}' "$1"
}
# groups_in_order FILE: the group lines of FILE are $OP_GROUPS ("op count"), in order
groups_in_order() {
	local got
	got=$(awk '$1 ~ /^(conv2d|relu|maxpool|fc|softmax)$/ && $2 ~ /^[0-9]+$/ {printf "%s%s %s", s, $1, $2; s = ","}' "$1")
	[ "$got" = "$OP_GROUPS" ] || { echo "groups: '$got', want '$OP_GROUPS'" >&2; return 1; }
}
# check_widths W: the layer screen's columns at W columns: LAYER narrow (tinynet's
# names are short), every column title there, nothing past W, numbers spread out
check_widths() {
	local w=$1 t op len
	t=$(title)
	op=$(awk '{print index($0, " OP ")}' <<<"$t")
	len=$(awk '{sub(/ +$/, ""); print length($0)}' <<<"$t")
	[ "$op" -ge 7 ] && [ "$op" -le 12 ] || fail "LAYER column not sized to the names at $w: '$t'"
	for c in OP CALLS/S MEAN P99 SHARE OFFCPU RUNQ FLT/S CMISS; do
		grep -qF " $c" <<<"$t" || fail "column $c missing at $w columns: '$t'"
	done
	[ "$len" -le "$w" ] || fail "title wider than $w: $len"
	# the numbers take up to 4 more columns each: 79 + 8 x 4 = 111 at 160
	[ "$len" -ge $((w < 111 ? w - 2 : 111)) ] || fail "title uses $len of $w columns: '$t'"
	awk -v w="$w" '$1 == "conv1" {sub(/ +$/, ""); if (length($0) > w || NF != 10) exit 1; n++}
		END {exit !n}' "$TMP/screen" || fail "conv1 row does not fit $w columns: $(grep conv1 "$TMP/screen")"
}
# wait_order: polls the layer screen until its rows are $LAYERS in order
wait_order() {
	local i
	for ((i = 0; i < 50; i++)); do
		cap
		table 100 >"$TMP/order"
		in_order "$TMP/order" && [ "$(awk 'NF > 5' "$TMP/order" | head -1 | cut -d' ' -f1)" = conv1 ] &&
			return 0
		sleep 0.2
	done
	cat "$TMP/screen" >&2
	fail "layer screen not in execution order ($LAYERS)"
}
assert_layers() {
	for l in $LAYERS; do
		grep -qE "^$l +[a-z]" "$TMP/screen" || { cat "$TMP/screen" >&2; fail "layer $l missing"; }
	done
}

"$TINYNET" --iterations 100000000 --sleep-layer relu2 --sleep-us 300 >/dev/null &
TN_PID=$!
# most of each inference asleep in fc1: top attaches in the middle of one, so the
# first layers it sees are fc1, relu4, fc2, softmax, then conv1, ...
"$TINYNET" --iterations 100000000 --sleep-layer fc1 --sleep-us 30000 >/dev/null &
TN2_PID=$!

# --- bad input: one error line, exit 1, nothing loaded
expect_error "no such process: 999999999" "$NNPERF" top -p 999999999
expect_error "not a terminal" "$NNPERF" top -p "$TN_PID"
expect_error "invalid value '0' for -d" "$NNPERF" top -b -d 0
expect_error "command not found" "$NNPERF" top -b -- /nonexistent/cmd
expect_error "no known runtime (looked for" "$NNPERF" top -b -d 0.2 -- /bin/sleep 1
expect_error "uses no runtime nnperf knows (looked for" "$NNPERF" top -b -p $$
expect_error "--group-by: 'layer' is not one of block, part, op, none" "$NNPERF" top -b --group-by layer

# --- batch mode: two sets of tables, plausible numbers, no terminal needed
for try in 1 2 3; do # see start_layers
	env -u TERM "$NNPERF" top -b -n 2 -d 0.5 -p "$TN_PID" </dev/null >"$TMP/batch" \
		2>"$TMP/batch.err" || fail "batch mode failed: $(cat "$TMP/batch.err")"
	[ "$(grep -c '^conv1 ' "$TMP/batch")" = 2 ] && break
done
[ "$(grep -c '^nnperf top - pid' "$TMP/batch")" = 2 ] || fail "want 2 sets: $(cat "$TMP/batch")"
[ "$(grep -c "^ *$TN_PID nnperf-tinynet" "$TMP/batch")" = 2 ] || fail "process row missing"
for l in $LAYERS; do
	[ "$(grep -cE "^$l +[a-z]" "$TMP/batch")" = 2 ] || fail "layer $l not in both sets"
done
# conv1: calls/s above 0, mean a duration, share a percentage, in both sets
awk '$1 == "conv1" && $3 + 0 > 0 && $4 ~ /^[0-9.]+(ns|us|ms|s)$/ && $6 ~ /%$/ {n++}
     END {exit n != 2}' "$TMP/batch" || fail "implausible conv1 rows: $(grep conv1 "$TMP/batch")"
grep -q "Cache misses:" "$TMP/batch" || fail "no kernel feature line"
if grep -q "Cache misses: n/a" "$TMP/batch"; then
	awk '$1 == "conv1" && $NF != "n/a" {exit 1}' "$TMP/batch" || fail "CMISS not n/a without counter"
fi
# widest line in characters ('…' is one): the lines are UTF-8
# (of the first N lines, default all)
widest() {
	python3 -c 'import sys, itertools
lines = open(sys.argv[1], encoding="utf-8")
n = int(sys.argv[2]) if len(sys.argv) > 2 else None
print(max(len(l.rstrip("\n")) for l in itertools.islice(lines, n)))' "$@"
}
[ "$(widest "$TMP/batch")" -le 100 ] || fail "batch lines over 100 columns without a terminal"
# $COLUMNS sets the width when standard output is no terminal (the header's 4 lines are cut
# at it; a table keeps its columns' minimum widths)
COLUMNS=60 "$NNPERF" top -b -n 1 -d 0.3 -p "$TN_PID" </dev/null >"$TMP/b60" 2>&1 ||
	fail "COLUMNS=60 batch mode failed: $(cat "$TMP/b60")"
[ "$(widest "$TMP/b60" 4)" = 60 ] ||
	fail "COLUMNS=60: lines not cut at 60 columns: $(cat "$TMP/b60")"
echo "ok: batch mode (100 columns, or \$COLUMNS)"

# --- batch mode, attached mid-inference: layers in execution order, then groups by op
for try in 1 2 3; do # see start_layers
	"$NNPERF" top -b -n 2 -d 0.5 -p "$TN2_PID" </dev/null >"$TMP/border" 2>&1 ||
		fail "batch mode failed: $(cat "$TMP/border")"
	[ "$(grep -c '^conv1 ' "$TMP/border")" = 2 ] && break
done
in_order "$TMP/border" || fail "batch layers not in execution order: $(cat "$TMP/border")"
[ "$(grep -A2 "^Layers of $TN2_PID" "$TMP/border" | grep -c '^conv1 ')" = 2 ] ||
	fail "batch layer table does not start at conv1: $(cat "$TMP/border")"
echo "ok: batch mode in execution order after attaching mid-inference"

for try in 1 2 3; do
	"$NNPERF" top -b -n 1 -d 0.5 --group-by op -p "$TN2_PID" </dev/null >"$TMP/bgroup" 2>&1 ||
		fail "batch --group-by op failed: $(cat "$TMP/bgroup")"
	grep -q '^softmax ' "$TMP/bgroup" && break
done
grep -q "^Layers of $TN2_PID nnperf-tinynet by op:" "$TMP/bgroup" || fail "no group table: $(cat "$TMP/bgroup")"
grep -qE '^.GROUP +LAYERS +CALLS/S +SELF/INF +SHARE +OFFCPU +RUNQ +FLT/S' "$TMP/bgroup" ||
	fail "group columns: $(cat "$TMP/bgroup")"
groups_in_order "$TMP/bgroup" || fail "group rows: $(cat "$TMP/bgroup")"
grep -qE '^conv1 ' "$TMP/bgroup" && fail "--group-by op still prints layer rows"
# conv2d: calls/s > 0, self time per inference a duration, a share
awk '$1 == "conv2d" && $3 + 0 > 0 && $4 ~ /^[0-9.]+(ns|us|ms|s)$/ && $5 ~ /%$/ {n++} END {exit !n}' \
	"$TMP/bgroup" || fail "implausible conv2d group: $(grep conv2d "$TMP/bgroup")"
echo "ok: batch --group-by op"
# batch -- CMD: ends when the command does
timeout 120 "$NNPERF" top -b -d 0.5 -- "$TINYNET" --iterations 150 >"$TMP/bcmd" 2>&1 ||
	fail "batch -- CMD failed: $(tail -5 "$TMP/bcmd")"
grep -qE '^conv1 ' "$TMP/bcmd" || fail "batch -- CMD shows no layers: $(cat "$TMP/bcmd")"
echo "ok: batch -- CMD"

# --- --spec and --probe: a runtime nnperf has no adapter for, through uprobes alone
SPEC=$NNP_SRC/tests/workloads/tinynet/tinynet.spec
expect_error "--probe and --spec need -p PID or -- CMD" "$NNPERF" top -b --spec "$SPEC"
expect_error "--runtime: unknown runtime 'tflite'" "$NNPERF" top -b --runtime tflite -p "$TN_PID"
expect_error "--probe 'layer=nnperf-tinynet': column" "$NNPERF" top -b --probe layer=nnperf-tinynet
timeout 120 "$NNPERF" top -b -v -d 0.5 --spec "$SPEC" -- "$TINYNET" --iterations 150 \
	>"$TMP/bspec" 2>"$TMP/bspec.err" || fail "top --spec -- CMD failed: $(tail -5 "$TMP/bspec.err")"
for l in $LAYERS; do
	grep -qE "^$l +[a-z]" "$TMP/bspec" || fail "top --spec: no layer $l: $(cat "$TMP/bspec")"
done
grep -q "attached layer-begin uprobe .*nnperf-tinynet:tinynet_conv2d_f32 " "$TMP/bspec.err" ||
	fail "top --spec: the layers were not uprobes: $(grep -i attached "$TMP/bspec.err" | tail -3)"
grep -q "^nnperf: attached [a-z-]* usdt " "$TMP/bspec.err" && fail "top --spec attached USDT markers"
# one probe by hand on a running process: its one function, named from its argument
"$NNPERF" top -b -n 2 -d 0.5 -p "$TN2_PID" \
	--probe 'layer=nnperf-tinynet:tinynet_fc_f32,key=arg0,name=str(*arg0),op=str(*(arg0+16))' \
	</dev/null >"$TMP/bprobe" 2>&1 || fail "top --probe -p failed: $(cat "$TMP/bprobe")"
grep -qE '^fc1 +fc ' "$TMP/bprobe" && grep -qE '^fc2 +fc ' "$TMP/bprobe" ||
	fail "top --probe: no fc1 and fc2 rows: $(cat "$TMP/bprobe")"
grep -qE '^conv1 ' "$TMP/bprobe" && fail "top --probe shows layers it has no probe for"
echo "ok: top --spec -- CMD and --probe -p: layers from uprobes only"

# --- interactive, all processes, 80x24
start_layers 80 24 -d 0.5
grep -q "Off-CPU, run queue:" "$TMP/screen" || fail "no kernel feature line: $(cat "$TMP/screen")"
assert_layers
wait_order
check_widths 80
echo "ok: layer screen in execution order, fits 80 columns"
table 24 >"$TMP/t1"
sleep 1.5
wait_for "^conv1 "
table 24 >"$TMP/t2"
cmp -s "$TMP/t1" "$TMP/t2" && fail "numbers did not change between refreshes: $(cat "$TMP/t1")"
grep -qE '^conv1 +conv2d +[0-9.]+k? +[0-9.]+(ns|us|ms)' "$TMP/screen" || fail "no numbers for conv1"
echo "ok: layer table at 80x24 updates"

title | grep -q '\^LAYER' || fail "default sort is not by layer: $(title)"
keys s
wait_for '\^OP'
keys s
wait_for 'vCALLS/S'
keys S
wait_for '\^CALLS/S'
keys F6
wait_for 'vMEAN'
echo "ok: sort indicator moves"

keys / c o n v Enter
wait_for "filter: conv"
wait_for "\(3\)  filter"
for l in relu1 pool2 fc1 softmax; do
	grep -qE "^$l " "$TMP/screen" && fail "filter conv still shows $l"
done
for l in conv1 conv2 conv3; do grep -qE "^$l " "$TMP/screen" || fail "filter lost $l"; done
keys / Escape
wait_for "^softmax "
echo "ok: filter"

# g: none -> block -> part -> op (tinynet's names have no blocks or parts: by op) -> none
wait_for "g group:none"
keys g
wait_for "by block \(5 groups\)"
wait_for "g group:block"
keys g
wait_for "by part \(5 groups\)"
keys g
wait_for "by op \(5 groups\)"
wait_for "group by op" # the header
wait_for "^conv2d +3 "
groups_in_order "$TMP/screen" || fail "group rows at 80x24: $(cat "$TMP/screen")"
title | grep -qE '\^GROUP +LAYERS +CALLS/S +SELF/INF +SHARE +OFFCPU +RUNQ +FLT/S' ||
	fail "group title: $(title)"
keys s
wait_for 'vLAYERS'
wait_for "^relu +4 " # the most layers first
keys g
wait_for "^conv1 "
wait_gone "by op"
echo "ok: g cycles the group view"

keys '?'
wait_for "nnperf top - keys"
# the help's title can be on the screen before its lines are (CI caught it between them)
wait_for "group layers"
keys q
wait_gone "nnperf top - keys"
wait_for "^conv1 "
keys Escape
wait_for "Processes \("
keys q
wait_for "TOP-EXIT=0"
echo "ok: help, back, quit at 80x24"

# --- interactive, -p, 160x40: the wide layout
start_layers 160 40 -d 0.5 -p "$TN_PID"
assert_layers
wait_order
check_widths 160
table 40 >"$TMP/w1"
sleep 1.5
cap
table 40 >"$TMP/w2"
cmp -s "$TMP/w1" "$TMP/w2" && fail "numbers did not change at 160x40"
keys p
wait_for "\[PAUSED\]"
keys p
wait_gone "\[PAUSED\]"
keys q
wait_for "TOP-EXIT=0"
echo "ok: -p at 160x40"

# --- resize while running; --group-by part from the command line
start_top 80 24 -d 0.5 -p "$TN_PID" --group-by part
wait_for "^ *$TN_PID nnperf-tinynet"
wait_for "group by part"
tmux -L "$SOCK" resize-window -t top -x 120 -y 30 2>/dev/null ||
	tmux -L "$SOCK" resize-pane -t top -x 120 -y 30
# the old 80-column screen may still be up for a refresh or two: poll for the new width
for ((i = 0; i < 150; i++)); do
	cap
	[ "$(title | wc -c)" -ge 110 ] && break
	sleep 0.2
done
[ "$(title | wc -c)" -ge 110 ] || fail "no relayout after resize: $(title)"
grep -qE "^ *$TN_PID nnperf-tinynet" "$TMP/screen" || fail "process row lost after resize"
keys Enter
wait_for "by part \(5 groups\)"
keys q
wait_for "TOP-EXIT=0"
echo "ok: resize"

# --- interactive -- CMD: the command is attached before it runs, and stopped on quit
start_top 80 24 -d 0.5 -- "$TINYNET" --iterations 100000000
wait_for "^ *[0-9]+ nnperf-tinynet"
keys Enter
wait_for "^conv1 "
CMD_PID=$(pgrep -n -f "^$TINYNET --iterations 100000000\$" || true)
[ -n "$CMD_PID" ] || fail "launched command not found"
keys q
wait_for "TOP-EXIT=0"
for ((i = 0; i < 50; i++)); do kill -0 "$CMD_PID" 2>/dev/null || break; sleep 0.2; done
kill -0 "$CMD_PID" 2>/dev/null && fail "launched command still runs after quit"
echo "ok: -- CMD, stopped on quit"

start_top 80 24 -d 0.5 -- "$TINYNET" --iterations 300
wait_for "exited with status 0" 60
keys q
wait_for "TOP-EXIT=0"
echo "ok: -- CMD exit shown"
pass
