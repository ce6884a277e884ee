#!/usr/bin/env bash
# --probe and --spec on a library a launched command loads later (dlopen, as a plugin or a
# Python extension is): the probes wait for it and are attached when the loader maps it, in
# record and in top; one never loaded is a warning, and an error only when nothing else was
# measured; with -p, a library the process does not map is still an error at once. And a
# process whose executable was deleted since it started (an upgrade under a running server)
# is still found and attached, through /proc/PID/map_files.
source "$(dirname "$0")/lib.sh"
require_root
cat >"$TMP/late.c" <<'C'
__attribute__((noinline)) long late_layer(long id, long n)
{
	volatile long s = 0;
	for (long i = 0; i < n; i++)
		s += i ^ id;
	return s;
}
C
cat >"$TMP/main.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
/* main LIB CALLS SLEEP_US: loads LIB 0.2 s in, then calls its late_layer CALLS times */
int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	usleep(200000);
	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	long (*f)(long, long) = (long (*)(long, long))dlsym(h, "late_layer");
	long t = 0, n = atol(argv[2]), us = atol(argv[3]);
	for (long i = 0; i < n; i++) {
		t += f(i % 3, 100000);
		if (us)
			usleep(us);
	}
	printf("%ld\n", t);
	return 0;
}
C
gcc -O2 -shared -fPIC -o "$TMP/liblate.so" "$TMP/late.c" || fail "cannot build liblate.so"
gcc -O2 -o "$TMP/main" "$TMP/main.c" -ldl || fail "cannot build the dlopen program"
PROBE='layer=liblate.so:late_layer,key=arg0'

# check_calls REC.json N: three layers (keys 0, 1, 2), N/3 calls each
check_calls() {
	/usr/bin/python3 - "$1" "$2" <<'PY' || fail "layer counts in $1"
import json, sys
doc, n = json.load(open(sys.argv[1])), int(sys.argv[2])
p = next(p for p in doc["processes"] if p["layer_events"])
keys = sorted((l["key"], l["count"]) for l in p["layers"])
assert keys == [("0x0", n // 3), ("0x1", n // 3), ("0x2", n // 3)], keys
print("ok: %s: 3 layers of liblate.so, %d calls each" % (sys.argv[1].rsplit("/", 1)[1], n // 3))
PY
}

echo "== record --probe: the library is loaded 0.2 s in"
"$NNPERF" record -v --probe "$PROBE" -o "$TMP/probe.json" -- "$TMP/main" "$TMP/liblate.so" 30 0 \
	>/dev/null 2>"$TMP/probe.err" || fail "record exited $?: $(grep -v feature "$TMP/probe.err" | tail -3)"
grep -q "library 'liblate.so' is not among $TMP/main's dependencies: its probes wait" \
	"$TMP/probe.err" || fail "no waiting line: $(grep -i liblate "$TMP/probe.err")"
grep -q "attached now that liblate.so is loaded" "$TMP/probe.err" ||
	fail "no late attach line: $(grep -i liblate "$TMP/probe.err")"
check_calls "$TMP/probe.json" 30

echo "== record --spec: the same from a spec file"
printf '# a plugin nnperf has no adapter for\n%s\n' "$PROBE" >"$TMP/late.spec"
"$NNPERF" record --spec "$TMP/late.spec" -o "$TMP/spec.json" -- "$TMP/main" "$TMP/liblate.so" 30 0 \
	>/dev/null 2>"$TMP/spec.err" || fail "record --spec exited $?: $(tail -3 "$TMP/spec.err")"
check_calls "$TMP/spec.json" 30

echo "== a library never loaded: a warning beside what was measured; an error if nothing was"
"$NNPERF" record --probe "$PROBE" --probe 'layer=libnever.so:late_layer' -o "$TMP/never.json" \
	-- "$TMP/main" "$TMP/liblate.so" 30 0 >/dev/null 2>"$TMP/never.err" ||
	fail "record with one never-loaded library exited $?: $(cat "$TMP/never.err")"
grep -q "warning: --probe layer=libnever.so:late_layer: library 'libnever.so' was never loaded by $TMP/main: nothing measured through it" \
	"$TMP/never.err" || fail "no never-loaded warning: $(cat "$TMP/never.err")"
check_calls "$TMP/never.json" 30
rc=0
"$NNPERF" record --probe 'layer=libnever.so:late_layer' -- "$TMP/main" "$TMP/liblate.so" 3 0 \
	>/dev/null 2>"$TMP/none.err" || rc=$?
[ $rc = 1 ] || fail "nothing measured: exit $rc, want 1: $(cat "$TMP/none.err")"
[ "$(wc -l <"$TMP/none.err")" = 1 ] || fail "nothing measured: want one line: $(cat "$TMP/none.err")"
grep -q "error: nothing to measure in $TMP/main: library 'libnever.so' not found: not among its dependencies, and never loaded (--probe layer=libnever.so:late_layer)" \
	"$TMP/none.err" || fail "no nothing-to-measure error: $(cat "$TMP/none.err")"
echo "ok: $(tail -1 "$TMP/none.err")"

echo "== -p: a library the process does not map is an error at once"
"$TMP/main" "$TMP/liblate.so" 100000 1000 >/dev/null &
PIDS+=($!)
sleep 0.5
expect_error "library 'libnever.so' is not mapped by process $!" \
	"$NNPERF" record --probe 'layer=libnever.so:late_layer' -p $!

echo "== -p on a process whose executable was deleted: its USDT markers through map_files"
cp "$TINYNET" "$TMP/tn-gone"
"$TMP/tn-gone" --iterations 100000000 >/dev/null &
PIDS+=($!)
sleep 0.5
rm "$TMP/tn-gone"
"$NNPERF" record -d 1.5 -p $! -o "$TMP/gone.json" >/dev/null 2>"$TMP/gone.err" ||
	fail "record -p of a deleted executable exited $?: $(cat "$TMP/gone.err")"
/usr/bin/python3 - "$TMP/gone.json" <<'PY' || fail "no inferences from the deleted executable"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
n = p["inferences"]["count"]
assert n > 10 and len(p["layers"]) == 13, (n, len(p["layers"]))
print("ok: deleted executable: %d inferences, 13 layers" % n)
PY

echo "== top -b --probe -- CMD: the layers appear once the library is loaded"
COLUMNS=150 timeout 60 "$NNPERF" top -b -n 3 -d 1 --probe "$PROBE" \
	-- "$TMP/main" "$TMP/liblate.so" 3000 1000 >"$TMP/top.txt" 2>&1 ||
	fail "top exited $?: $(tail -5 "$TMP/top.txt")"
n=$(awk '/^Layers of/ {s++} s == 3 && $1 ~ /^late_layer/ && $3 + 0 > 0 {n++} END {print n + 0}' \
	"$TMP/top.txt")
[ "$n" = 3 ] || fail "top's last set has $n late_layer rows with calls, want 3: $(cat "$TMP/top.txt")"
echo "ok: top's last set shows the 3 layers of the late library"

echo "== top -b: a library the command never loaded is the same warning as record's"
COLUMNS=150 timeout 60 "$NNPERF" top -b -d 0.5 --probe "$PROBE" --probe 'layer=libnever.so:late_layer' \
	-- "$TMP/main" "$TMP/liblate.so" 300 1 >"$TMP/top-never.txt" 2>"$TMP/top-never.err" ||
	fail "top exited $?: $(tail -5 "$TMP/top-never.err")"
[ "$(grep -c "warning: --probe layer=libnever.so:late_layer: library 'libnever.so' was never loaded by .*main: nothing measured through it" "$TMP/top-never.err")" = 1 ] ||
	fail "want one never-loaded warning from top: $(cat "$TMP/top-never.err")"
grep -q '^late_layer' "$TMP/top-never.txt" || fail "top showed no late_layer rows: $(tail -5 "$TMP/top-never.txt")"
echo "ok: $(grep 'never loaded' "$TMP/top-never.err")"
pass
