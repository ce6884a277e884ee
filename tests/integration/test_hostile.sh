#!/usr/bin/env bash
# Hostile layer names (200 bytes, invalid UTF-8, newlines, quotes, terminal
# escapes, label syntax) recorded end to end: the table has no control bytes
# and is valid UTF-8, the JSON is valid, the export page passes promtool.
# A layer flood into a 4 KiB ring buffer: lost events counted and reported in
# the table, the JSON stats and on stderr, never silently.
source "$(dirname "$0")/lib.sh"
require_root
HOSTILE=${HOSTILE:-$NNP_BUILD/nnperf-hostile}
X="/usr/bin/python3 $NNP_SRC/tests/integration/export_check.py"
cleanup() {
	exec 3>&- 2>/dev/null || true
	nnp_cleanup
}
trap cleanup EXIT

echo "== record: table and JSON"
"$NNPERF" record -o "$TMP/h.json" -- "$HOSTILE" names 5 >"$TMP/table" 2>"$TMP/err" ||
	fail "record exited $?: $(cat "$TMP/err")"
python3 - "$TMP/table" "$TMP/h.json" <<'PY' || fail "hostile names leaked"
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")  # raises on invalid UTF-8
bad = sorted({b for b in raw if (b < 0x20 and b != 0x0A) or b == 0x7F})
assert not bad, f"control bytes in the table: {bad}"
doc = json.load(open(sys.argv[2]))
layers = doc["processes"][0]["layers"]
assert len(layers) == 8, f"{len(layers)} layers, want 8"
assert all(l["count"] == 5 for l in layers), [l["count"] for l in layers]
names = [l["name"] for l in layers]
assert any("\x1b[31m" in n for n in names), "escape sequence not kept verbatim in JSON"
assert all(len(n.encode()) <= 256 for n in names), "a name was not bounded"
print(f"ok: table {len(raw)} bytes clean UTF-8, JSON with {len(layers)} layers")
PY

echo "== export: the page passes promtool"
mkfifo "$TMP/in"
NNP_WAIT_STDIN=1 "$HOSTILE" names 50 <"$TMP/in" >/dev/null &
HP=$!
PIDS+=($HP)
exec 3>"$TMP/in"
LISTEN=127.0.0.1:$($X free-port)
"$NNPERF" export -v -p $HP --listen $LISTEN 2>"$TMP/export.err" &
PIDS+=($!)
# /healthz answers before -p is attached: wait for the attach itself
for _ in $(seq 200); do grep -q "attached to process $HP" "$TMP/export.err" && break; sleep 0.1; done
grep -q "attached to process $HP" "$TMP/export.err" || fail "export never attached: $(cat "$TMP/export.err")"
echo go >&3
$X wait "http://$LISTEN/metrics" "^nnperf_layer_duration_seconds_count\{pid=\"$HP\".*overlong" 15
$X http "http://$LISTEN/metrics" GET "" "$TMP/page.prom" >/dev/null
promtool check metrics <"$TMP/page.prom" || fail "promtool check metrics on hostile names"
$X http "http://$LISTEN/metrics" GET "application/openmetrics-text;version=1.0.0" "$TMP/page.om" >/dev/null
python3 - "$TMP/page.prom" <<'PY' || fail "export page"
import sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")
assert b'layer="new\\nline' in raw, "newline not escaped in a label value"
assert b'layer="quote\\"back\\\\slash' in raw, "quote/backslash not escaped"
assert b"bad\xef\xbf\xbd" in raw, "invalid UTF-8 not replaced by U+FFFD"
PY
echo "ok: promtool accepts the page; label values escaped, valid UTF-8 (docs/metrics.md)"
echo done >&3

echo "== ring buffer overflow: counted and reported"
"$NNPERF" record --ringbuf-size 4096 -o "$TMP/f.json" -- "$HOSTILE" flood 2 >"$TMP/f.table" \
	2>"$TMP/f.err" || fail "flood record exited $?"
lost=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stats"]["lost_events"])' "$TMP/f.json")
[ "$lost" -gt 0 ] || fail "a 4 KiB ring buffer under a layer flood lost nothing"
grep -q "WARNING: $lost events lost" "$TMP/f.table" || fail "table lacks the loss warning"
grep -q "warning: $lost events lost" "$TMP/f.err" || fail "stderr lacks the loss: $(cat "$TMP/f.err")"
echo "ok: $lost events lost, reported in table, JSON and stderr"
pass
