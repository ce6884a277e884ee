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
"$NNPERF" record -v --probe "layer=$TMP/cet:work,key=arg0" -o "$TMP/cet.json" -- "$TMP/cet" \
	>/dev/null 2>"$TMP/err"
grep "site work" "$TMP/err"
grep -q "site work+4: push (emulated" "$TMP/err" || fail "probe not moved past endbr64"
/usr/bin/python3 - "$TMP/cet.json" <<'PY'
import json, sys
p = next(p for p in json.load(open(sys.argv[1]))["processes"] if p["layer_events"])
keys = sorted((l["key"], l["count"]) for l in p["layers"])
assert keys == [("0x0", 10), ("0x1", 10), ("0x2", 10)], keys
print("ok: 3 layers keyed by arg0, 10 calls each, through the moved probe")
PY
pass
