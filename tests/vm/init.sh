#!/bin/busybox sh
# /init of the initramfs tests/vm/run.sh builds (busybox sh; not run on the host).
# Loads the kernel's 9p and virtio modules, mounts the shared root read-only and the
# results directory writable, the kernel's file systems inside, then runs each test in a
# chroot with a timeout and writes RESULTS/TEST.out, RESULTS/TEST.rc ("STATUS SECONDS"),
# one "nnpvm: result TEST STATUS SECONDS" console line each, and RESULTS/done at the end.
SAY=nnpvm
. /init-common.sh
. /nnpvm.conf

load_modules
if grep -q "nnpvm.probe=1" /proc/cmdline; then
	say "probe ok"
	off
fi

R=/newroot
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$opts,ro,cache=loose" nnproot $R || fatal "cannot mount the shared root"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
# what udev would have made: bash's <(...) needs /dev/fd
ln -s /proc/self/fd $R/dev/fd
ln -s /proc/self/fd/0 $R/dev/stdin
ln -s /proc/self/fd/1 $R/dev/stdout
ln -s /proc/self/fd/2 $R/dev/stderr
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
mount -t bpf bpf $R/sys/fs/bpf || say "no bpffs"
mount -t tracefs tracefs $R/sys/kernel/tracing || say "no tracefs"
mount -t debugfs debugfs $R/sys/kernel/debug || say "no debugfs"
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null || true
mount -t tmpfs -o mode=1777 tmpfs $R/tmp
mount -t tmpfs tmpfs $R/run
# the project tree and the results after the guest's own /tmp and /run, which would hide a
# checkout under them (the x86-64 guest sees the host's tree through its shared /)
case $ROOT in /tmp/* | /run/*) under_tmp=1 ;; *) under_tmp=0 ;; esac
if [ "$GUEST_ROOT" != / ] || [ $under_tmp = 1 ]; then
	mkdir -p "$R$ROOT" 2>/dev/null
	mount -t 9p -o "$opts,ro,cache=loose" nnpsrc "$R$ROOT" || fatal "cannot mount the project tree at $ROOT"
fi
mkdir -p "$R$RES" 2>/dev/null
mount -t 9p -o "$opts" nnpres "$R$RES" || fatal "cannot mount the results directory at $RES"
ip link set lo up
hostname nnpvm
set --
while IFS= read -r kv; do set -- "$@" "$kv"; done </testenv
say "ready: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, BTF $([ -e /sys/kernel/btf/vmlinux ] && echo yes || echo no)"

uptime_ms() {
	read -r up _ </proc/uptime
	echo "${up%.*}${up#*.}0"
}
while read -r t kind cmd <&3; do
	say "start $t"
	t0=$(uptime_ms)
	rc=0
	if [ "$kind" = test ]; then
		set -- "$@" bash "$ROOT/tests/integration/$t.sh"
	else
		set -- "$@" sh -c "$cmd"
	fi
	if [ -n "$STAMPS" ]; then
		# each line with the guest's uptime in front (NNPERF_VM_STAMPS=1)
		{
			chroot $R /usr/bin/env -i timeout -k 10 "$TEST_TIMEOUT" /usr/bin/env "$@" </dev/null 2>&1
			echo $? >/test.rc
		} | awk '{ getline up < "/proc/uptime"; close("/proc/uptime"); split(up, a, " ")
			printf "[%8.2f] %s\n", a[1], $0; fflush() }' >"$R$RES/$t.out"
		rc=$(cat /test.rc)
	else
		chroot $R /usr/bin/env -i timeout -k 10 "$TEST_TIMEOUT" /usr/bin/env "$@" \
			</dev/null >"$R$RES/$t.out" 2>&1 || rc=$?
	fi
	# back to the variables alone
	set --
	while IFS= read -r kv; do set -- "$@" "$kv"; done </testenv
	t1=$(uptime_ms)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
	echo "$rc $secs" >"$R$RES/$t.rc"
	sync
	say "result $t $rc $secs"
done 3</tests
touch "$R$RES/done"
sync
umount "$R$RES"
off
