#!/usr/bin/env bash
# Cheap probe sites: on a CET build (functions start with endbr64) the entry
# probe moves to the first instruction the kernel emulates, and still reads
# the arguments right and pairs with its return.
source "$(dirname "$0")/lib.sh"
require_root
cat >"$TMP/cet.c" <<'C'
#include <stdio.h>
__attribute__((noinline)) long work(long layer, long n)
{
	volatile long s = 0;
	for (long i = 0; i < n; i++)
		s += i ^ layer;
	return s;
}
int main(void)
{
	long t = 0;
	for (int i = 0; i < 30; i++)
		t += work(i % 3, 100000);
	printf("%ld\n", t);
	return 0;
}
C
gcc -O2 -fcf-protection=full -fno-omit-frame-pointer -o "$TMP/cet" "$TMP/cet.c"
objdump -d --disassemble=work "$TMP/cet" | grep -q endbr64 || { echo "SKIP: no endbr64 from this gcc"; exit 77; }
# check_keys REC.json WHAT: 3 layers keyed by arg0 (0, 1, 2), 10 calls each
check_keys() {
	/usr/bin/python3 - "$1" "$2" <<'PY' || fail "layer keys and counts in $1"
import json, sys
p = next(p for p in json.load(open(sys.argv[1]))["processes"] if p["layer_events"])
keys = sorted((l["key"], l["count"]) for l in p["layers"])
assert keys == [("0x0", 10), ("0x1", 10), ("0x2", 10)], keys
print("ok: 3 layers keyed by arg0, 10 calls each, %s" % sys.argv[2])
PY
}
"$NNPERF" record -v --probe "layer=$TMP/cet:work,key=arg0" -o "$TMP/cet.json" -- "$TMP/cet" \
	>/dev/null 2>"$TMP/err"
grep "site work" "$TMP/err"
grep -q "site work+4: push (emulated" "$TMP/err" || fail "probe not moved past endbr64"
check_keys "$TMP/cet.json" "through the moved probe"

# the same function by its file offset, as a stripped library's would be given: placed as the
# symbol is (past endbr64), with the same -v cost line and the same counts
sym=$(readelf -sW "$TMP/cet" | awk '$8 == "work" {print $2; exit}')
read -r taddr toff < <(readelf -SW "$TMP/cet" | sed 's/^ *\[ *[0-9]*\] *//' |
	awk '$1 == ".text" {print $3, $4; exit}')
[ -n "$sym" ] && [ -n "$taddr" ] || fail "no work symbol or .text section in readelf's output"
off=$(printf '0x%x' $((0x$sym - 0x$taddr + 0x$toff)))
"$NNPERF" record -v --probe "layer=$TMP/cet:$off,key=arg0" -o "$TMP/off.json" -- "$TMP/cet" \
	>/dev/null 2>"$TMP/off.err"
grep "site $off" "$TMP/off.err"
grep -q "site $off+4: push (emulated" "$TMP/off.err" || fail "raw offset $off not moved past endbr64"
check_keys "$TMP/off.json" "the raw offset placed as its symbol"

# an explicit +0 stays on endbr64, and -v says what that costs
"$NNPERF" record -v --probe "layer=$TMP/cet:work+0,key=arg0" -o "$TMP/kept.json" -- "$TMP/cet" \
	>/dev/null 2>"$TMP/kept.err"
grep "site work" "$TMP/kept.err"
grep -q "site work+0 (kept as given): not emulated (single-stepped out of line, ~12 us a hit); +4 would be push" \
	"$TMP/kept.err" || fail "no cost line for a site kept as given"
echo "ok: work+0 kept on endbr64, its cost said"
pass
