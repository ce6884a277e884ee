#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# nnperf doctor against the real kernel: every try, the JSON document,
# NNPERF_FORCE fallbacks and the unprivileged error. Needs root.
set -u

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
NNPERF=${NNPERF:-${NNP_BUILD:-build}/nnperf}
[ -x "$NNPERF" ] || { echo "FAIL: no nnperf binary at $NNPERF"; exit 1; }
source "${NNP_SRC:-$(dirname "$0")/../..}/tests/integration/skips.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Runs doctor ARGS with output in $tmp/out, $tmp/err; sets rc and ms (wall time)
doctor() {
	local t0 t1
	t0=$(date +%s%N)
	"$NNPERF" doctor "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
}

# Checks $tmp/out (doctor --json) with python code reading `d` and `feat`
check_json() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
feat = {f["name"]: f for f in d["features"]}
exec(sys.argv[2])
' "$tmp/out" "$1" "${NNP_EXPECT_PMU--}" || fail "json check failed: $1 (document in $tmp/out below)
$(cat "$tmp/out")"
}

# --- the table ---
doctor
[ "$rc" = 0 ] || fail "doctor exited $rc: $(cat "$tmp/err")"
for want in FEATURE STATUS DETAIL FALLBACK "nnperf can record: yes" "scheduler hooks: tp_btf" \
	"fault timing: " "counters: "; do
	grep -q "$want" "$tmp/out" || fail "table lacks '$want'"
done
# the doctor must stay fast; sanitizer builds get slack, and so does a guest under qemu's
# emulation (tests/vm sets NNPERF_VM; TCG runs it ~5x slower)
limit=3000
[ -z "${NNPERF_VM:-}" ] || limit=15000
[ "$ms" -lt $limit ] || fail "doctor took $ms ms"
echo "doctor: $ms ms"
cat "$tmp/out"

# --- JSON: what this project's machines have (docs/kernel-compat.md) ---
doctor --json
[ "$rc" = 0 ] || fail "doctor --json exited $rc: $(cat "$tmp/err")"
check_json '
assert d["can_record"] is True
assert d["kernel_release"]
assert len(d["features"]) == 17
for name in ("privileges", "memlock", "btf", "ringbuf", "uprobes", "uretprobes", "usdt",
             "bpf cookies", "tp_btf", "raw_tp", "software perf events"):
    assert feat[name]["state"] == "yes", (name, feat[name])
    assert feat[name]["errno"] == 0 and feat[name]["fallback"] == "", feat[name]
for f in d["features"]:
    assert set(f) >= {"name", "state", "errno", "detail", "fallback", "required"}, f
    assert f["state"] in ("yes", "no"), f
    assert f["detail"], f
    if f["state"] == "no":
        assert f["fallback"], f
for name in ("fentry", "kprobes"):
    if feat[name]["state"] == "no":
        assert feat[name]["errno"] != 0, feat[name]
        assert "handle_mm_fault" in feat[name]["fallback"] or \
            "fault handling time unavailable" in feat[name]["fallback"], feat[name]
hw = feat["hardware perf events"]
if hw["state"] == "no" and hw["errno"] == 2:
    assert hw["detail"].startswith("n/a: no hardware PMU"), hw
    assert "n/a: no hardware PMU; software events still used" in hw["fallback"], hw
    assert d["policies"]["counters"] == "software only", d["policies"]
# each hardware event on its own: the feature is present when any opens
hc = {c["name"]: c for c in d["hardware_counters"]}
assert set(hc) == {"cycles", "instructions", "cache-misses", "cache-references",
                   "branch-misses", "llc-misses"}, hc
have = sorted(n for n, c in hc.items() if c["state"] == "yes")
assert (hw["state"] == "yes") == bool(have), (hw, hc)
assert (d["policies"]["counters"] == "hardware") == bool(have), d["policies"]
for n, c in hc.items():
    assert c["state"] in ("yes", "no"), c
    assert (c["state"] == "no") == (c["errno"] != 0) == bool(c["detail"]), c
    if c["state"] == "no" and c["errno"] == 2:
        want = "n/a: this PMU has no %s event" % n if have else "n/a: no hardware PMU"
        assert c["detail"] == want, (c, want)
# the machine says what its PMU has (tests/vm sets it for the arm64 guest, -cpu max)
expect = sys.argv[3].split() if len(sys.argv) > 3 and sys.argv[3] != "-" else None
if expect is not None:
    assert have == sorted(expect), ("PMU events", have, "want", sorted(expect))
    print("ok: this PMU counts exactly", have or "nothing")
p = d["policies"]
assert p["sched"] == "tp_btf", p
want_fault = "fentry" if feat["fentry"]["state"] == "yes" else \
    "kprobe" if feat["kprobes"]["state"] == "yes" else "none"
assert p["fault"] == want_fault, p
# uprobe_multi links came with Linux 6.6: a kernel from before may lack them (Debian 6.1
# does; a vendor may have backported them), mainline from 6.6 on has them
um = feat["uprobe_multi"]
rel = tuple(int(x) for x in d["kernel_release"].split("-")[0].split(".")[:2])
if rel >= (6, 6):
    assert um["state"] == "yes", (d["kernel_release"], um)
if um["state"] == "yes":
    assert um["errno"] == 0 and um["fallback"] == "", um
    assert p["uprobes"] == "uprobe_multi", p
else:
    assert um["errno"] != 0, um
    assert um["detail"].startswith("uprobe_multi link on nnp_doctor_target: "), um
    assert um["fallback"].startswith("one perf-event link per uprobe site"), um
    assert "6.6" in um["fix"], um
    assert p["uprobes"] == "per-site", p
print("ok: kernel %s: uprobe_multi %s (%s), uprobe links %s; fault timing %s (fentry %s, kprobes %s)"
      % (d["kernel_release"], um["state"], um["detail"], p["uprobes"], p["fault"],
         feat["fentry"]["state"], feat["kprobes"]["state"]))
'
cp "$tmp/out" "$tmp/plain.json"

grep -q "^hardware counters (each tried on its own):" "$tmp/out" 2>/dev/null || {
	doctor
	grep -q "^hardware counters (each tried on its own):" "$tmp/out" ||
		fail "table lacks the hardware counters"
	grep -Eq "^  cache-misses +(yes|n/a: )" "$tmp/out" || fail "table lacks cache-misses' state"
}
[ -n "${NNP_EXPECT_PMU+x}" ] || skip_check "NNP_EXPECT_PMU unset: which events this PMU has is \
not known here, so only their consistency is checked (tests/vm sets it)"

# --- forced fallbacks ---
NNPERF_FORCE=no-tp-btf,no-pmu doctor --json
[ "$rc" = 0 ] || fail "forced doctor exited $rc"
check_json '
assert feat["tp_btf"]["state"] == "forced off", feat["tp_btf"]
assert "NNPERF_FORCE=no-tp-btf" in feat["tp_btf"]["detail"]
assert feat["tp_btf"]["fallback"] == "raw_tp/sched_switch", feat["tp_btf"]
assert d["policies"]["sched"] == "raw_tp", d["policies"]
assert feat["hardware perf events"]["state"] in ("no", "forced off")
assert d["policies"]["counters"] != "hardware"
assert d["can_record"] is True
'
# forcing never hides why: where the kernel has no uprobe_multi it stays "no"
um_state=$(python3 -c 'import json, sys
print({f["name"]: f for f in json.load(open(sys.argv[1]))["features"]}["uprobe_multi"]["state"])' "$tmp/plain.json")
NNPERF_FORCE=no-uprobe-multi doctor --json
[ "$rc" = 0 ] || fail "doctor with no-uprobe-multi exited $rc"
check_json '
assert feat["uprobe_multi"]["state"] == ("forced off" if "'"$um_state"'" == "yes" else "no"), feat["uprobe_multi"]
assert "one perf-event link per uprobe site" in feat["uprobe_multi"]["fallback"]
assert d["policies"]["uprobes"] == "per-site", d["policies"]
assert d["can_record"] is True
'
NNPERF_FORCE=no-tp-btf,no-pmu doctor
grep -q "scheduler hooks: raw_tp" "$tmp/out" || fail "forced table lacks raw_tp policy"
grep -Eq "^tp_btf +forced off " "$tmp/out" || fail "forced table lacks 'tp_btf forced off'"

NNPERF_FORCE=no-cookie doctor --json
[ "$rc" = 1 ] || fail "doctor without cookies exited $rc, want 1"
check_json 'assert d["can_record"] is False and feat["bpf cookies"]["state"] == "forced off"'
grep -q "cannot record: bpf cookies.*NNPERF_FORCE" "$tmp/err" || fail "no reason line: $(cat "$tmp/err")"

NNPERF_FORCE=no-tp-btf,bogus doctor
[ "$rc" = 0 ] || fail "unknown NNPERF_FORCE word made doctor exit $rc"
[ "$(grep -c "unknown 'bogus'" "$tmp/err")" = 1 ] || fail "want one warning: $(cat "$tmp/err")"

# --- options ---
doctor --help
[ "$rc" = 0 ] && grep -q "usage: nnperf doctor" "$tmp/out" || fail "--help"
doctor --bogus
[ "$rc" = 2 ] || fail "bad option exited $rc, want 2"

# --- without privileges ---
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$NNPERF"; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NNPERF" doctor >"$tmp/out" 2>&1
	rc=$?
	[ "$rc" = 1 ] || fail "unprivileged doctor exited $rc, want 1"
	grep -q "nnperf can record: no" "$tmp/out" || fail "unprivileged: no summary"
	grep -q "error: cannot record: privileges: missing CAP_BPF" "$tmp/out" ||
		fail "unprivileged: no line naming the missing capability: $(cat "$tmp/out")"
else
	skip_check "$NNPERF is not executable by uid 65534: the unprivileged check"
fi
pass
