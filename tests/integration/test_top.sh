#!/bin/bash
# nnperf top: the real binary driven inside tmux (all processes at 80x24, -p at
# 200x50, -- CMD), batch mode, and bad input. Waits are bounded polls of the
# screen, never fixed sleeps that a loaded machine could outrun.
source "$(dirname "$0")/lib.sh"
require_root
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }

NSTART=0
SOCK=nnptest$$-0
TN_PID=
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	if [ -n "$TN_PID" ]; then
		kill "$TN_PID" 2>/dev/null || true
		wait "$TN_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

LAYERS="conv1 relu1 pool1 conv2 relu2 pool2 conv3 relu3 pool3 fc1 relu4 fc2 softmax"

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
table() { awk 'f && NR < n {print} /LAYER|COMMAND/ {f = 1}' n="$1" "$TMP/screen"; }
title() { grep -E 'LAYER|COMMAND' "$TMP/screen" | head -1; }
assert_layers() {
	for l in $LAYERS; do
		grep -qE "^$l +[a-z]" "$TMP/screen" || { cat "$TMP/screen" >&2; fail "layer $l missing"; }
	done
}

"$TINYNET" --iterations 100000000 --sleep-layer relu2 --sleep-us 300 >/dev/null &
TN_PID=$!

# --- bad input: one error line, exit 1, nothing loaded
expect_error "no such process: 999999999" "$NNPERF" top -p 999999999
expect_error "not a terminal" "$NNPERF" top -p "$TN_PID"
expect_error "invalid value '0' for -d" "$NNPERF" top -b -d 0
expect_error "command not found" "$NNPERF" top -b -- /nonexistent/cmd
expect_error "no known runtime (looked for" "$NNPERF" top -b -d 0.2 -- /bin/sleep 1
expect_error "uses no runtime nnperf knows (looked for" "$NNPERF" top -b -p $$

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
echo "ok: batch mode"

# batch -- CMD: ends when the command does
timeout 120 "$NNPERF" top -b -d 0.5 -- "$TINYNET" --iterations 150 >"$TMP/bcmd" 2>&1 ||
	fail "batch -- CMD failed: $(tail -5 "$TMP/bcmd")"
grep -qE '^conv1 ' "$TMP/bcmd" || fail "batch -- CMD shows no layers: $(cat "$TMP/bcmd")"
echo "ok: batch -- CMD"

# --- interactive, all processes, 80x24
start_layers 80 24 -d 0.5
grep -q "Off-CPU, run queue:" "$TMP/screen" || fail "no kernel feature line"
assert_layers
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

keys '?'
wait_for "nnperf top - keys"
keys q
wait_gone "nnperf top - keys"
wait_for "^conv1 "
keys Escape
wait_for "Processes \("
keys q
wait_for "TOP-EXIT=0"
echo "ok: help, back, quit at 80x24"

# --- interactive, -p, 200x50: the wide layout
start_layers 200 50 -d 0.5 -p "$TN_PID"
assert_layers
[ "$(title | wc -c)" -ge 190 ] || fail "title not widened to 200 columns: $(title)"
table 50 >"$TMP/w1"
sleep 1.5
cap
table 50 >"$TMP/w2"
cmp -s "$TMP/w1" "$TMP/w2" && fail "numbers did not change at 200x50"
keys p
wait_for "\[PAUSED\]"
keys p
wait_gone "\[PAUSED\]"
keys q
wait_for "TOP-EXIT=0"
echo "ok: -p at 200x50"

# --- resize while running
start_top 80 24 -d 0.5 -p "$TN_PID"
wait_for "^ *$TN_PID nnperf-tinynet"
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
