#!/usr/bin/env bash
# nnperf diff --format html: one self-contained page that headless Chromium
# renders (screenshot taken), with the layer names in the page, hostile names
# escaped, and no console errors.
source "$(dirname "$0")/lib.sh"
require_root
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "SKIP: no chromium (scripts/setup.sh installs it)"; exit 77; }

"$NNPERF" record -o "$TMP/dense.json" -- "$TINYNET" --model dense --iterations 20 >/dev/null
"$NNPERF" record -o "$TMP/pruned.json" -- "$TINYNET" --model pruned --iterations 20 >/dev/null
# a runtime may name a layer anything: this one tries to inject markup
/usr/bin/python3 - "$TMP/pruned.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for l in d["processes"][0]["layers"]:
    if l["name"] == "pool2":
        l["name"] = "<script>alert(1)</script><img src=x onerror=alert(2)>pool2"
json.dump(d, open(sys.argv[1], "w"))
PY
"$NNPERF" diff --group-by op --format html -o "$TMP/report.html" "$TMP/dense.json" \
	"$TMP/pruned.json" >"$TMP/table" || fail "diff exited $?"
! grep -q "<script\|<img\|https\?://[^w]" "$TMP/report.html" || fail "markup or a URL leaked into the page"

# chrome [OPTIONS]: renders $PAGE (default the diff's report.html)
chrome() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/chr" --window-size=1280,2000 --enable-logging=stderr --v=0 "$@" \
		"file://${PAGE:-$TMP/report.html}"
}
chrome --screenshot="$TMP/report.png" >/dev/null 2>"$TMP/shot.log" || fail "chromium: $(tail -3 "$TMP/shot.log")"
[ -f "$TMP/report.png" ] || fail "no screenshot"
size=$(stat -c %s "$TMP/report.png")
[ "$size" -gt 30000 ] || fail "screenshot is $size bytes: nothing rendered?"
[ "$(head -c 8 "$TMP/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
chrome --dump-dom >"$TMP/dom.html" 2>"$TMP/dom.log" || fail "chromium --dump-dom failed"
for name in conv1 conv2 conv3 fc1 softmax "alert(1)"; do
	grep -qF "$name" "$TMP/dom.html" || fail "$name is not in the rendered page"
done
[ "$(grep -c "<script" "$TMP/dom.html")" = 0 ] || fail "a script element made it into the DOM"
# the kernel-signal section: the stacked bars of where each call's time went (3 segments
# per layer and side: 13 layers x 2), and the tables by group with units
/usr/bin/python3 - "$TMP/dom.html" <<'PY' || fail "kernel-signal section"
import re, sys
dom = open(sys.argv[1]).read()
assert "What the kernel did to each layer" in dom, "no kernel-signal section"
chart = re.search(r'<svg class="kchart".*?</svg>', dom, re.S)
assert chart, "no time chart"
segs = re.findall(r'<rect class="seg"[^>]*width="([0-9.]+)"', chart.group(0))
assert len(segs) == 3 * 13 * 2, f"{len(segs)} bar segments, want 78"
assert sum(float(w) > 1 for w in segs) >= 13, "on-CPU segments without width"
for name in ("conv1", "conv3", "fc1", "softmax"):
    assert f">{name}<" in chart.group(0) or f">{name} (waited most)<" in chart.group(0), name
tables = re.findall(r'<table class="ks">.*?</table>', dom, re.S)
assert len(tables) >= 2, f"{len(tables)} signal tables"
for head in ("on-CPU time", "run-queue wait", "blocked", "minor page faults"):
    assert head in dom, head
cells = re.findall(r"<td[^>]*>(?:<span[^>]*></span>)?([0-9.]+(?:ns|us|ms|s)?)</td>", tables[0])
assert any(c.endswith(("us", "ms")) for c in cells), "time cells without units"
print(f"ok: kernel signals: {len(segs)} bar segments, {len(tables)} tables")
PY
if grep -E "Uncaught|CONSOLE|Refused to|net::ERR" "$TMP/shot.log" "$TMP/dom.log"; then
	fail "console errors or network requests while rendering"
fi
grep -q '<svg class="gchart"' "$TMP/dom.html" || fail "diff --group-by op: no group chart"
for op in conv2d relu maxpool fc softmax; do
	grep -q "<tr><td class=\"l n\">$op</td><td>" "$TMP/dom.html" || fail "no group row for $op"
done
[ -n "${NNP_KEEP_SCREENSHOT:-}" ] && cp "$TMP/report.png" "$NNP_KEEP_SCREENSHOT"
echo "ok: report.html renders ($size bytes of PNG), names present, nothing injected, groups by op"

echo "== nnperf report: one recording's page"
"$NNPERF" report --group-by op -o "$TMP/single.html" "$TMP/dense.json" || fail "report exited $?"
PAGE=$TMP/single.html chrome --screenshot="$TMP/single.png" >/dev/null 2>"$TMP/s-shot.log" ||
	fail "chromium: $(tail -3 "$TMP/s-shot.log")"
size=$(stat -c %s "$TMP/single.png")
[ "$size" -gt 30000 ] || fail "single report screenshot is $size bytes: nothing rendered?"
PAGE=$TMP/single.html chrome --dump-dom >"$TMP/single-dom.html" 2>"$TMP/s-dom.log" ||
	fail "chromium --dump-dom (report) failed"
/usr/bin/python3 - "$TMP/single-dom.html" "$TMP/dense.json" <<'PY' || fail "single report"
import json, re, sys
dom, rec = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
layers = rec["processes"][0]["layers"]
assert "<h1>nnperf report</h1>" in dom, "not the report page"
rows = re.findall(r'<table class="layers">.*?</table>', dom, re.S)
assert rows, "no layer table"
names = re.findall(r'<td class="l n"[^>]*>([^<]+)</td>', rows[0])
assert names == [l["name"] for l in layers], (names, [l["name"] for l in layers])
chart = re.search(r'<svg class="kchart".*?</svg>', dom, re.S)
assert chart, "no time chart"
segs = re.findall(r'<rect class="seg"', chart.group(0))
assert len(segs) == 3 * len(layers), f"{len(segs)} segments for {len(layers)} layers, one side"
assert ">B<" not in chart.group(0) and "B&minus;A" not in dom and "B−A" not in dom, "a B side"
groups = re.search(r'<table class="groups">.*?</table>', dom, re.S)
assert groups and "conv2d" in groups.group(0), "no groups"
# the shares of the op groups add up to the layers' (at most 100%)
shares = [float(s) for s in re.findall(r"<td>([0-9.]+)%</td></tr>", groups.group(0))]
assert 50 < sum(shares) <= 100.5, shares
print(f"ok: single report: {len(names)} layers, {len(segs)} bar segments, groups {sum(shares):.1f}%")
PY
if grep -E "Uncaught|CONSOLE|Refused to|net::ERR" "$TMP/s-shot.log" "$TMP/s-dom.log"; then
	fail "console errors or network requests while rendering the report"
fi
pass
