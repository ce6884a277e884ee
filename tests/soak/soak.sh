#!/usr/bin/env bash
# Soak test (docs/soak.md): nnperf export attached to tinynet's sparse model
# (~1 ms inferences, 13 layers: over 10,000 layers/s per thread) for DURATION
# seconds (default 600), scraped every INTERVAL seconds. Samples nnperf's
# resident memory and open descriptors; fails if, after the warm-up (a fifth
# of the run, at least 10 s and 8 samples), RSS grows more than 5% or
# descriptors grow, or if any event is lost at the default ring buffer.
#   tests/soak/soak.sh [DURATION]   (env: NNPERF, TINYNET, THREADS=1, INTERVAL=5)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-600}
NNPERF=${NNPERF:-build/nnperf}
TINYNET=${TINYNET:-build/nnperf-tinynet}
THREADS=${THREADS:-1}
INTERVAL=${INTERVAL:-5}
[ "$(id -u)" = 0 ] || { echo "soak: needs root" >&2; exit 77; }
TMP=$(mktemp -d /tmp/nnperf-soak.XXXXXX)
source tests/pids.sh
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT/metrics

"$TINYNET" --model sparse --threads "$THREADS" --iterations 1000000000 >/dev/null &
TN=$!
PIDS+=($TN)
"$NNPERF" export -v -p $TN --listen 127.0.0.1:$PORT 2>"$TMP/export.err" &
EXP=$!
PIDS+=($EXP)
for _ in $(seq 300); do
	grep -q "attached to process $TN" "$TMP/export.err" && break
	kill -0 $EXP 2>/dev/null || { cat "$TMP/export.err" >&2; exit 1; }
	sleep 0.1
done
metric() { # metric REGEX: the first sample's value on a fresh scrape
	curl -sf --max-time 5 "$URL" | awk -v re="$1" '!done && $0 ~ re { print $NF; done = 1 }' || true
}
layers() { metric "^nnperf_layer_duration_seconds_count\\{pid=\"$TN\"" ; }

echo "soak: ${DURATION} s, tinynet sparse x$THREADS (pid $TN), nnperf export pid $EXP"
echo "t_s rss_kib fds layers_first_series lost"
t0=$(date +%s)
while :; do
	now=$(( $(date +%s) - t0 ))
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/$EXP/status)
	fds=$(ls /proc/$EXP/fd | wc -l)
	n=$(layers)
	lost=$(metric '^nnperf_events_lost_total ')
	echo "$now $rss $fds ${n:-0} ${lost:-0}" | tee -a "$TMP/samples"
	[ "$now" -ge "$DURATION" ] && break
	kill -0 $EXP 2>/dev/null || { echo "soak: nnperf died" >&2; cat "$TMP/export.err" >&2; exit 1; }
	sleep "$INTERVAL"
done
# the layer rate over the run, from the first and last sample of one series
python3 - "$TMP/samples" "$DURATION" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
rows = [(int(t), int(r), int(f), float(n or 0), float(x or 0)) for t, r, f, n, x in rows]
dur = int(sys.argv[2])
# the warm-up: a fifth of the run, at least 10 s, and at least 8 samples (16 scrapes, two a
# sample): the heap grows ~128 KiB a scrape over the first 12-14 and then stays (120 s at one
# sample a second, 2026-12-07: +1.4 MiB by the 14th scrape, +150 KiB over the next 106)
warm = max(10, dur // 5)
after = [r for i, r in enumerate(rows) if r[0] >= warm and i >= 8] or rows[-1:]
warm = after[0][0]
base = after[0]
max_rss = max(r[1] for r in after)
last = rows[-1]
span = last[0] - rows[0][0] or 1
rate13 = (last[3] - rows[0][3]) * 13 / span  # one series x 13 layers
print(f"soak: RSS first {rows[0][1]} KiB, after warm-up ({warm} s) {base[1]} KiB, "
      f"max {max_rss} KiB, last {last[1]} KiB ({100.0 * (max_rss - base[1]) / base[1]:+.1f}%)")
print(f"soak: fds first {rows[0][2]}, after warm-up {base[2]}, last {last[2]}")
print(f"soak: ~{rate13:.0f} layers/s, lost events {last[4]:.0f}")
bad = []
if max_rss > base[1] * 1.05:
    bad.append("RSS grew more than 5% after the warm-up")
if last[2] > base[2]:
    bad.append("file descriptors grew")
if last[4] > 0:
    bad.append("events were lost")
if rate13 < 1000:
    bad.append("the layer rate is too low to mean anything")
if bad:
    print("soak: FAIL: " + "; ".join(bad))
    sys.exit(1)
print("soak: PASS")
PY
