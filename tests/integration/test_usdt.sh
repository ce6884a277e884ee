#!/usr/bin/env bash
# nnperf's USDT header (include/nnperf/usdt.h): on x86-64 every marker is the 5-byte nop
# 0f 1f 44 00 00 that kernels from 6.18 optimize, in a standard stapsdt note that bpftrace
# attaches to as well as nnperf, with a semaphore that each tracer raises; every marker
# of tinynet fires once per layer and inference.
source "$(dirname "$0")/lib.sh"
require_root
N=7
/usr/bin/python3 - "$TINYNET" <<'PY' || fail "markers"
import re, subprocess, sys
exe = sys.argv[1]
notes = subprocess.run(["readelf", "-n", "--wide", exe], capture_output=True, text=True,
                       check=True).stdout
locs = re.findall(r"Provider: nnperf\s+Name: (\w+)\s+Location: (0x[0-9a-f]+), Base: "
                  r"0x[0-9a-f]+, Semaphore: (0x[0-9a-f]+)", notes)
assert {n for n, _, _ in locs} == {"inference_begin", "inference_end", "layer_begin",
                                    "layer_end"}, locs
assert all(int(s, 16) for _, _, s in locs), "a marker without a semaphore"
machine = subprocess.run(["readelf", "-h", exe], capture_output=True, text=True).stdout
want = "0f 1f 44 00 00" if "X86-64" in machine else None
for name, loc, _ in locs:
    a = int(loc, 16)
    out = subprocess.run(["objdump", "-d", "--start-address=%d" % a,
                          "--stop-address=%d" % (a + 8), exe],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*%x:\s+((?:[0-9a-f]{2} )+)" % a, out, re.M)
    assert m, (name, loc, out[-300:])
    got = m.group(1).strip()
    if want:
        assert got == want, f"{name} at {loc}: {got}, want the 5-byte nop {want}"
    else:
        assert got == "1f 20 03 d5", f"{name} at {loc}: {got}, want arm64's nop"
print(f"ok: {len(locs)} markers, each {want or 'nop'} with a semaphore")
PY
if command -v bpftrace >/dev/null; then
	timeout 120 bpftrace -e "usdt:$TINYNET:nnperf:layer_begin { @b = count(); }
		usdt:$TINYNET:nnperf:layer_end { @e = count(); }" \
		-c "$TINYNET --model dense --iterations $N" >"$TMP/bt.out" 2>&1 || fail "bpftrace: $(tail -3 "$TMP/bt.out")"
	b=$(sed -n 's/^@b: //p' "$TMP/bt.out") e=$(sed -n 's/^@e: //p' "$TMP/bt.out")
	[ "$b" = $((13 * N)) ] && [ "$e" = $((13 * N)) ] ||
		fail "bpftrace counted ${b:-no} layer_begin and ${e:-no} layer_end, want $((13 * N)) each"
	echo "ok: bpftrace attaches to the 5-byte markers: $b begins, $e ends"
else
	skip_check "bpftrace attach to the markers: no bpftrace"
fi
"$NNPERF" record -o "$TMP/r.json" -- "$TINYNET" --model dense --iterations $N >/dev/null ||
	fail "record exited $?"
/usr/bin/python3 - "$TMP/r.json" $N <<'PY' || fail "nnperf through the markers"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
n = int(sys.argv[2])
assert p["inferences"]["count"] == n, p["inferences"]
ls = [l for l in p["layers"] if l["count"] == n]
assert len(ls) == 13, [(l["name"], l["count"]) for l in p["layers"]]
print(f"ok: nnperf: {n} inferences, 13 layers x {n} calls through the markers")
PY
pass
