#!/bin/bash
# The test of the guest tests/vm/systemd.sh boots (run by nnpsd-test.service after
# multi-user.target, systemd as PID 1; not run on the host). Installs deploy/'s unit the way
# docs/deploy.md says, starts it with a tinynet running as nobody, kills nnperf with SIGKILL
# and watches systemd restart it, and checks that the hardening blocked nothing. Writes
# "nnpsd: ok CHECK ...", "nnpsd: FAIL CHECK: ..." and "nnpsd: info ..." lines to the serial
# console, then "nnpsd: done PASS|FAIL"; the unit then powers the guest off.
set -uo pipefail
exec >/dev/ttyS0 2>&1
PORT=9464
URL=http://127.0.0.1:$PORT/metrics
UNIT=nnperf-export
LAYERS=13 # tinynet's
RESTART_SLACK=${NNPSD_RESTART_SLACK:-40}
say() { echo "nnpsd: $*"; }
failed=0
ok() { say "ok $*"; }
fail() { # CHECK WHY: the first failure ends the test
	say "FAIL $1: $2"
	failed=1
	finish
}
uptime_s() { cut -d' ' -f1 /proc/uptime; }
finish() {
	say "info journalctl -u $UNIT (last 40 lines):"
	journalctl -b -u $UNIT --no-pager -o short-monotonic 2>&1 | tail -n 40 | sed 's/^/nnpsd: journal /'
	if [ $failed = 0 ]; then say "done PASS at $(uptime_s) s"; else say "done FAIL at $(uptime_s) s"; fi
	sync
	exit 0 # nnpsd-test.service's SuccessAction powers the guest off
}
# layer series of tinynet on one page: the distinct layer labels of
# nnperf_layer_duration_seconds_count{...comm="nnperf-tinynet"...} with a count > 0
tinynet_layers() {
	awk '/^nnperf_layer_duration_seconds_count\{/ && /comm="nnperf-tinynet"/ && $NF > 0 {
		if (match($0, /layer="[^"]*"/)) seen[substr($0, RSTART, RLENGTH)] = 1 }
		END { n = 0; for (l in seen) n++; print n }' <<<"$1"
}
# waits up to $1 s for a page with all of tinynet's layers; sets PAGE, returns 1 on timeout
wait_metrics() {
	local deadline=$(($(date +%s) + $1))
	PAGE=
	while [ "$(date +%s)" -lt $deadline ]; do
		PAGE=$(curl -sf --max-time 5 "$URL" 2>/dev/null) || PAGE=
		[ -z "$PAGE" ] || [ "$(tinynet_layers "$PAGE")" -lt $LAYERS ] ||
			! grep -q "^nnperf_layer_duration_seconds_count{pid=\"$tpid\"," <<<"$PAGE" || return 0
		sleep 0.5
	done
	return 1
}
main_pid() { systemctl show -p MainPID --value $UNIT; }
metric() { # NAME: its value on $PAGE (no labels), empty if absent
	awk -v n="$1" '$1 == n { print $2; exit }' <<<"$PAGE"
}

say "info test unit started at $(uptime_s) s after boot; PID 1 is $(readlink /proc/1/exe), $(systemctl --version | head -n1)"
say "info kernel $(uname -r), system state $(systemctl is-system-running 2>&1)"
[ "$(readlink /proc/1/exe)" = /usr/lib/systemd/systemd ] || [ "$(readlink /proc/1/exe)" = /lib/systemd/systemd ] ||
	fail pid1 "PID 1 is $(readlink /proc/1/exe), not systemd"
ok pid1 "systemd is PID 1"

# --- the install of docs/deploy.md (cmake --install ran on the host into this root) ---
[ -x /usr/local/bin/nnperf ] || fail install "no /usr/local/bin/nnperf (cmake --install)"
cp /root/nnpsd/nnperf-export.service /etc/systemd/system/ || fail install "cp of the unit"
sed -i 's|^ExecStart=/usr/bin/nnperf |ExecStart=/usr/local/bin/nnperf |' /etc/systemd/system/nnperf-export.service
grep -q '^ExecStart=/usr/local/bin/nnperf ' /etc/systemd/system/nnperf-export.service ||
	fail install "ExecStart not adjusted: $(grep ^ExecStart /etc/systemd/system/nnperf-export.service)"
systemctl daemon-reload || fail install "systemctl daemon-reload"
ok install "unit in /etc/systemd/system, ExecStart=/usr/local/bin/nnperf, daemon-reload"
# (--man=no: no man-db here; tests/integration/test_prometheus.sh checks the page on the host)
v=$(timeout 60 systemd-analyze verify --man=no /etc/systemd/system/nnperf-export.service 2>&1) ||
	fail verify "systemd-analyze verify: $v"
[ -z "$v" ] || fail verify "systemd-analyze verify: $v"
ok verify "systemd-analyze verify --man=no: no output"

# --- a workload, as another user, in its own service ---
timeout 30 systemd-run -q --unit=nnpsd-tinynet -p User=nobody \
	/usr/local/bin/nnperf-tinynet --iterations 1000000 || fail workload "systemd-run of tinynet"
sleep 1
systemctl is-active -q nnpsd-tinynet || fail workload "tinynet not running: $(systemctl status nnpsd-tinynet 2>&1 | tail -n 5)"
tpid=$(systemctl show -p MainPID --value nnpsd-tinynet)
ok workload "nnperf-tinynet --iterations 1000000 as nobody (pid $tpid)"

# --- start ---
t0=$(date +%s.%N)
timeout 60 systemctl enable --now $UNIT 2>&1 | sed 's/^/nnpsd: info /' || fail start "systemctl enable --now $UNIT"
systemctl is-active -q $UNIT || fail start "not active: $(systemctl status $UNIT 2>&1 | tail -n 8 | tr '\n' ' ')"
pid1=$(main_pid)
wait_metrics 120 || fail metrics "no page with $LAYERS tinynet layers at $URL within 120 s ($(tinynet_layers "$PAGE") layers; active: $(systemctl is-active $UNIT))"
t1=$(date +%s.%N)
ok metrics "$URL serves all $LAYERS tinynet layers $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after systemctl enable --now (MainPID $pid1)"
say "info $(grep -c '^nnperf_layer_duration_seconds_count{.*comm="nnperf-tinynet"' <<<"$PAGE") layer series, e.g. $(grep -m1 '^nnperf_layer_duration_seconds_count{.*layer="conv2"' <<<"$PAGE")"

# --- the hardening: what it left, and that it blocked nothing ---
st=/proc/$pid1/status
bnd=$(awk '/^CapBnd/ { print $2 }' $st)
nnp=$(awk '/^NoNewPrivs/ { print $2 }' $st)
seccomp=$(awk '/^Seccomp:/ { print $2 }' $st)
# CAP_SYS_PTRACE (19) and CAP_SYS_ADMIN (21)
[ "$bnd" = 0000000000280000 ] || fail hardening "CapBnd $bnd, want 0000000000280000 (CAP_SYS_ADMIN CAP_SYS_PTRACE)"
[ "$nnp" = 1 ] || fail hardening "NoNewPrivs $nnp"
[ "$seccomp" = 2 ] || fail hardening "Seccomp $seccomp, want 2 (SystemCallArchitectures=native, MemoryDenyWriteExecute, ...)"
ok hardening "MainPID CapBnd=$bnd NoNewPrivs=$nnp Seccomp=$seccomp, memory limit $(cat /sys/fs/cgroup/system.slice/$UNIT.service/memory.max 2>&1)"
fails=$(metric nnperf_attach_failures_total)
attaches=$(metric nnperf_attaches_total)
bpfstats=$(awk '/^nnperf_feature_available\{feature="bpf_stats"\}/ { print $2 }' <<<"$PAGE")
[ "$fails" = 0 ] || fail hardening "nnperf_attach_failures_total '$fails'"
[ -n "$attaches" ] && [ "$attaches" -ge 1 ] || fail hardening "nnperf_attaches_total '$attaches'"
[ "$bpfstats" = 1 ] || fail hardening "nnperf_feature_available{feature=\"bpf_stats\"} '$bpfstats' (CAP_SYS_ADMIN should enable it)"
ok hardening "attaches $attaches, attach failures 0, bpf_stats on"

# --- kill -9, and systemd's restart ---
kill -KILL "$pid1" || fail restart "kill -9 $pid1"
tk=$(date +%s.%N)
deadline=$(($(date +%s) + 5 + RESTART_SLACK))
pid2=0
while [ "$(date +%s)" -lt $deadline ]; do
	pid2=$(main_pid)
	[ "$pid2" = 0 ] || [ "$pid2" = "$pid1" ] || break
	sleep 0.2
done
[ "$pid2" != 0 ] && [ "$pid2" != "$pid1" ] || fail restart "no new MainPID within RestartSec=5s + ${RESTART_SLACK} s (MainPID $pid2, $(systemctl is-active $UNIT))"
tr=$(date +%s.%N)
left=$((deadline - $(date +%s)))
[ $left -gt 0 ] || left=1
wait_metrics $left || fail restart "MainPID $pid2 after the kill, but no page with $LAYERS tinynet layers within RestartSec=5s + ${RESTART_SLACK} s"
tm=$(date +%s.%N)
n=$(systemctl show -p NRestarts --value $UNIT)
[ "$n" = 1 ] || fail restart "NRestarts $n, want 1"
systemctl is-active -q $UNIT || fail restart "not active after the restart"
ok restart "kill -9 $pid1: new MainPID $pid2 after $(awk -v a="$tk" -v b="$tr" 'BEGIN { printf "%.1f", b - a }') s (RestartSec=5s), /metrics with all $LAYERS layers after $(awk -v a="$tk" -v b="$tm" 'BEGIN { printf "%.1f", b - a }') s, NRestarts=$n"
journalctl -b -u $UNIT --no-pager | grep -q "status=9/KILL" || fail restart "the journal does not show the SIGKILL"

# --- no denials anywhere ---
sleep 2
systemctl is-active -q $UNIT || fail denials "not active: $(systemctl status $UNIT 2>&1 | tail -n 5 | tr '\n' ' ')"
den=$(journalctl -b -u $UNIT --no-pager -o cat 2>&1 |
	grep -Ei 'denied|not permitted|EPERM|EACCES|permission|seccomp|SIGSYS|bad system call|read-only file system|cannot|failed to|error' |
	grep -v "Failed with result 'signal'" | head -n 5)
[ -z "$den" ] || fail denials "journalctl -u $UNIT: $den"
# audit type 1326: a seccomp filter acted; AppArmor and SELinux denials
kden=$(journalctl -b -k --no-pager -o cat 2>&1 | grep -E 'type=1326|apparmor="DENIED"|avc: +denied' | head -n 3)
[ -z "$kden" ] || fail denials "kernel log: $kden"
ok denials "journalctl -u $UNIT and the kernel log show no denial; unit $(systemctl is-active $UNIT)"

# --- a clean stop (KillSignal=SIGTERM: links detached, exit 0) ---
timeout 30 systemctl stop $UNIT || fail stop "systemctl stop"
r=$(systemctl show -p Result --value $UNIT)
[ "$r" = success ] || fail stop "Result=$r after systemctl stop, want success"
ok stop "systemctl stop: Result=success"
finish
