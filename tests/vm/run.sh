#!/usr/bin/env bash
# Runs integration tests inside a qemu guest booted with another kernel.
#
#   tests/vm/run.sh ARCH KERNEL -- TEST...
#
# ARCH: x86_64 or arm64. KERNEL: 6.1 (Debian's current linux-image-6.1.0-N-{amd64,arm64}),
# an ABI such as 6.1.0-57, or a package name (linux-image-...[=VERSION]). TEST: a name under
# tests/integration/ (test_doctor, test_doctor.sh) or "all". The kernel package is fetched
# with apt-get download into the cache (NNPERF_VM_CACHE, default build/vm/cache); a
# busybox-static initramfs with the kernel's own 9p and virtio modules boots it; the root
# (the host's / for x86_64, build/vm/arm64-root plus the project tree for arm64) is shared
# read-only over 9p, the results directory writable. Each test runs with the variables
# tests/integration/CMakeLists.txt gives it (NNPERF, TINYNET, NNP_SRC, NNP_BUILD), build/
# (x86_64) or build-arm64/ (arm64) unless NNPERF_VM_BUILD says otherwise, plus NNPERF_VM=1.
#
# Exit: 0 every test passed (77 counts as a skip), 1 a test failed or timed out, or the
# guest did not bring back every result; 2 usage or set-up errors; 3 every test that
# ran passed, but the guest kernel failed (an oops, a soft lockup, a panic on its
# console, or a test its own timeout did not end) before the rest ran: their names
# follow "tests with no result:".
#
# Environment: NNPERF_VM_CACHE, NNPERF_VM_BUILD, NNPERF_VM_RESULTS (default
# build/vm/results/ARCH-KERNEL), NNPERF_VM_TEST_TIMEOUT (s per test, 600),
# NNPERF_VM_BOOT_TIMEOUT (s for the whole boot, default 120 + the tests' timeouts),
# NNPERF_VM_KVM (auto, 0, 1), NNPERF_VM_MEM (MiB, 2048), NNPERF_VM_SMP (2), NNPERF_VM_ICOUNT
# (arm64: qemu -icount, shift=1, or off), NNPERF_VM_STAMPS=1 (uptime before each output line), NNPERF_VM_ENV
# (extra VAR=VALUE words for the tests), NNPERF_VM_VERBOSE=1 (print the guest console),
# NNPERF_VM_APPEND (more kernel command line, e.g. loglevel=7 for soft-lockup backtraces),
# NNPERF_VM_QEMU_ARGS (more qemu options, e.g. a monitor socket), NNPERF_VM_TCG_THREAD
# (x86_64 TCG: single, the default, or multi; tests/vm/lib.sh says why).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "vm: $*" >&2; exit 2; }
. "$ROOT/tests/vm/lib.sh"
usage() { die "usage: tests/vm/run.sh x86_64|arm64 KERNEL -- TEST..."; }

[ $# -ge 3 ] || usage
ARCH=$1 KERNEL=$2
shift 2
[ "$1" = -- ] || usage
shift
[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || die "run as root (the guest loads BPF programs; apt-get download, qemu's 9p of /)"

case $ARCH in
x86_64)
	DEBARCH=amd64 QEMU=qemu-system-x86_64 CONSOLE=ttyS0 BUILD_DEFAULT=build
	QEMU_PKG=qemu-system-x86
	;;
arm64)
	DEBARCH=arm64 QEMU=qemu-system-aarch64 CONSOLE=ttyAMA0 BUILD_DEFAULT=build-arm64
	QEMU_PKG=qemu-system-arm
	;;
*) usage ;;
esac
command -v "$QEMU" >/dev/null || die "$QEMU missing (Debian package $QEMU_PKG; tests/vm/setup.sh installs it)"

CACHE=${NNPERF_VM_CACHE:-$ROOT/build/vm/cache}
BUILD=${NNPERF_VM_BUILD:-$ROOT/$BUILD_DEFAULT}

TEST_TIMEOUT=${NNPERF_VM_TEST_TIMEOUT:-600}
MEM=${NNPERF_VM_MEM:-2048}
SMP=${NNPERF_VM_SMP:-2}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

# --- the tests ---
# names, and what each runs: "test" (tests/integration/NAME.sh) or "cmd COMMAND" (a shell
# command line, e.g. 'cmd:$NNPERF doctor', with the tests' variables)
tests=() runs=() ncmd=0
for t in "$@"; do
	case $t in
	all)
		for f in "$ROOT"/tests/integration/test_*.sh; do
			tests+=("$(basename "$f" .sh)") runs+=(test)
		done
		;;
	cmd:*)
		ncmd=$((ncmd + 1))
		tests+=("cmd$ncmd") runs+=("cmd ${t#cmd:}")
		;;
	*)
		t=$(basename "$t" .sh)
		[ -f "$ROOT/tests/integration/$t.sh" ] || die "no test tests/integration/$t.sh"
		tests+=("$t") runs+=(test)
		;;
	esac
done
if [ -d "$BUILD" ]; then BUILD=$(cd "$BUILD" && pwd); fi
[ -x "$BUILD/nnperf" ] || [ "$ncmd" = $# ] || die "no nnperf in $BUILD (build it first)"
BOOT_TIMEOUT=${NNPERF_VM_BOOT_TIMEOUT:-$((120 + ${#tests[@]} * (TEST_TIMEOUT + 10)))}

# --- the kernel package ---
case $KERNEL in
linux-image-*) pkg=${KERNEL%%=*} ;;
[0-9]*.[0-9]*.[0-9]*-[0-9]*) pkg=linux-image-$KERNEL-$DEBARCH ;;
[0-9]*.[0-9]*)
	# the ABI the metapackage points at today, e.g. linux-image-6.1.0-57-amd64
	pkg=$(apt-cache depends "linux-image-$DEBARCH:$DEBARCH" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-$KERNEL\.[0-9]*-[0-9]*-$DEBARCH\)\(:$DEBARCH\)\?$/\1/p" | head -n1)
	[ -n "$pkg" ] || die "no Debian package linux-image-$KERNEL.*-$DEBARCH known to apt (for arm64: dpkg --add-architecture arm64; apt-get update)"
	;;
*) die "KERNEL '$KERNEL': want 6.1, 6.1.0-57 or linux-image-...[=VERSION]" ;;
esac
want=$pkg:$DEBARCH
[[ $KERNEL == *=* ]] && want+="=${KERNEL#*=}"
vm_kernel "$CACHE/kernel/$pkg${KERNEL#"${KERNEL%%=*}"}" "$pkg" "$want"

# --- the guest's userland ---
# x86_64: the host itself. arm64: Debian arm64 packages extracted into build/vm/arm64-root
# (tests/vm/arm64-root.sh), with the project tree mounted at its own path inside.
if [ "$ARCH" = x86_64 ]; then
	GUEST_ROOT=/
	busybox=/bin/busybox
	file -L "$busybox" 2>/dev/null | grep -q "statically linked" ||
		die "$busybox is not busybox-static (Debian package busybox-static)"
else
	GUEST_ROOT=${NNPERF_VM_ARM64_ROOT:-$ROOT/build/vm/arm64-root}
	"$ROOT/tests/vm/arm64-root.sh" "$GUEST_ROOT" || die "cannot assemble the arm64 userland in $GUEST_ROOT"
	# the project tree's mount point (a root assembled for another checkout lacks it)
	mkdir -p "$GUEST_ROOT$ROOT" || die "cannot make the mount point $GUEST_ROOT$ROOT"
	busybox=$GUEST_ROOT/bin/busybox
fi

# --- results ---
RES=${NNPERF_VM_RESULTS:-$ROOT/build/vm/results/$ARCH-$KERNEL}
rm -rf "$RES" && mkdir -p "$RES"
RES=$(cd "$RES" && pwd)

# --- initramfs: busybox, the modules for 9p over virtio-pci (with their dependencies), /init ---
work=$(mktemp -d /tmp/nnperf-vm.XXXXXX)
QPID=
cleanup() {
	[ -z "$QPID" ] || kill -KILL "$QPID" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ird=$work/initramfs
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$busybox" "$ird/bin/busybox"
vm_modules "$ird" virtio_pci virtio_mmio 9pnet_virtio 9p

# KVM only where a guest really comes up with it (nested KVM may not): the first run after a
# host boot tries a boot that powers off at once, and remembers; anything else is TCG, silently
make_initramfs() {
	cp "$ROOT/tests/vm/init.sh" "$ird/init"
	cp "$ROOT/tests/vm/init-common.sh" "$ird/init-common.sh"
	chmod +x "$ird/init"
	(cd "$ird" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs.gz"
}

kvm=0 probe_kvm=0
kvmkey=$CACHE/kvm-$(cat /proc/sys/kernel/random/boot_id)
case ${NNPERF_VM_KVM:-auto} in
1) kvm=1 ;;
0) ;;
*)
	if [ -e "$kvmkey" ]; then
		kvm=$(cat "$kvmkey")
	elif [ "$ARCH" = x86_64 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		probe_kvm=1
	fi
	;;
esac
[ "$ARCH" = x86_64 ] || kvm=0

# --- boot ---
qemu_args=(-nodefaults -display none -no-reboot -m "$MEM" -smp "$SMP"
	-kernel "$vmlinuz" -initrd "$work/initramfs.gz"
	-serial "file:$RES/console.log"
	-virtfs "local,path=$GUEST_ROOT,mount_tag=nnproot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$RES,mount_tag=nnpres,security_model=none,multidevs=remap")
# the project tree on its own (the arm64 root has none; a checkout under /tmp would be
# hidden by the guest's /tmp): init.sh mounts it where the guest needs it
qemu_args+=(-virtfs "local,path=$ROOT,mount_tag=nnpsrc,security_model=none,readonly=on,multidevs=remap")
append="console=$CONSOLE panic=-1 quiet loglevel=4 rdinit=/init${NNPERF_VM_APPEND:+ $NNPERF_VM_APPEND}"
if [ "$ARCH" = x86_64 ]; then
	qemu_args+=(-M pc)
else
	# qemu's PMU counts instructions (INST_RETIRED) only with -icount: cycles then follow
	# the instruction count (shift=1: 2 ns, 2 cycles at its 1 GHz, per instruction)
	qemu_args+=(-M virt,gic-version=3 -cpu max,pauth-impdef=on)
	[ "${NNPERF_VM_ICOUNT:-shift=1}" = off ] || qemu_args+=(-icount "${NNPERF_VM_ICOUNT:-shift=1}")
fi

# seconds since the host booted: a monotonic clock (bash's SECONDS follows the wall clock,
# which a paused or resynchronised host steps by minutes or hours)
mono() { local up; read -r up _ </proc/uptime; echo "${up%.*}"; }
boot() { # KVM(0|1) EXTRA_APPEND TIMEOUT: runs the guest; sets QPID while it runs
	local args=("${qemu_args[@]}")
	if [ "$ARCH" = x86_64 ]; then
		if [ "$1" = 1 ]; then
			args+=(-enable-kvm -cpu host)
		else
			args+=("${VM_X86_TCG[@]}") # (lib.sh)
		fi
	fi
	# (NNPERF_VM_QEMU_ARGS: more qemu options, split at spaces, e.g. a monitor socket)
	"$QEMU" "${args[@]}" ${NNPERF_VM_QEMU_ARGS:-} -append "$append $2" </dev/null \
		>"$RES/qemu.log" 2>&1 &
	QPID=$!
	local deadline=$(($(mono) + $3)) rc=0
	while kill -0 "$QPID" 2>/dev/null; do
		# a test past its own timeout by 30 s: the guest did not end it (a wedged kernel)
		if [ -n "$test_started" ] && [ $(($(mono) - test_started)) -gt $((TEST_TIMEOUT + 30)) ]; then
			echo "vm: $test_running ran past ${TEST_TIMEOUT} s + 30 s and the guest did not end it: killing the guest"
			kill -KILL "$QPID" 2>/dev/null || true
			wait "$QPID" 2>/dev/null || true
			QPID= wedged=1
			return 124
		fi
		if [ "$(mono)" -ge $deadline ]; then
			kill -KILL "$QPID" 2>/dev/null || true
			wait "$QPID" 2>/dev/null || true
			QPID=
			return 124
		fi
		report_progress
		sleep 0.2
	done
	wait "$QPID" || rc=$?
	QPID=
	return $rc
}
seen=0 test_started= test_running= wedged=0
report_progress() { # prints each result line the guest wrote since the last call
	local lines
	[ -e "$RES/console.log" ] || return 0
	lines=$(grep -a '^nnpvm: ' "$RES/console.log" 2>/dev/null | tail -n +$((seen + 1))) || return 0
	[ -n "$lines" ] || return 0
	while IFS= read -r l; do
		seen=$((seen + 1))
		case $l in
		"nnpvm: start "*) test_started=$(mono) test_running=${l#nnpvm: start } ;;
		"nnpvm: ready"*) [ -n "${ready:-}" ] || ready=$(($(date +%s%N) - t0)) ;;
		"nnpvm: result "*)
			test_started=
			[ -n "${first_result:-}" ] || first_result=$(($(date +%s%N) - t0))
			;;
		esac
		echo "vm: ${l#nnpvm: }"
	done <<<"$lines"
}

if [ "$probe_kvm" = 1 ]; then
	: >"$ird/nnpvm.conf"
	: >"$ird/testenv"
	make_initramfs
	t0=$(date +%s%N)
	if boot 1 nnpvm.probe=1 30 >/dev/null 2>&1 && grep -aq '^nnpvm: probe ok' "$RES/console.log"; then kvm=1; fi
	echo $kvm >"$kvmkey"
	rm -f "$RES/console.log"
	seen=0
fi

# the test list, and the variables of the tests as tests/integration/CMakeLists.txt sets them
write_conf() {
	local testenv=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
		TERM=dumb LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 NNPERF_VM=1 NNPERF="$BUILD/nnperf"
		TINYNET="$BUILD/nnperf-tinynet" NNP_SRC="$ROOT" NNP_BUILD="$BUILD")
	# the PMU the guest has, for test_doctor (NNP_EXPECT_PMU: the hardware events that
	# open): TCG emulates none on x86-64; arm64's -cpu max counts cycles and instructions
	if [ "$ARCH" = arm64 ]; then
		testenv+=("NNP_EXPECT_PMU=cycles instructions")
	elif [ "$kvm" = 0 ]; then
		testenv+=("NNP_EXPECT_PMU=")
	fi
	# shellcheck disable=SC2206
	[ -z "${NNPERF_VM_ENV:-}" ] || testenv+=($NNPERF_VM_ENV)
	{
		echo "RES='$RES'"
		echo "ROOT='$ROOT'"
		echo "GUEST_ROOT='$GUEST_ROOT'"
		echo "TEST_TIMEOUT=$TEST_TIMEOUT"
		echo "STAMPS='${NNPERF_VM_STAMPS:-}'"
	} >"$ird/nnpvm.conf"
	local i
	for i in "${!tests[@]}"; do echo "${tests[i]} ${runs[i]}"; done >"$ird/tests"
	printf '%s\n' "${testenv[@]}" >"$ird/testenv"
	make_initramfs
}
write_conf

accel=TCG
[ "$kvm" = 0 ] || accel=KVM
echo "vm: booting $pkg ($kver) on $QEMU ($accel, $SMP CPUs, $MEM MiB): ${tests[*]}"
first_result= ready=
t0=$(date +%s%N)
brc=0
boot "$kvm" "" "$BOOT_TIMEOUT" || brc=$?
report_progress
total_ms=$((($(date +%s%N) - t0) / 1000000))
[ "${NNPERF_VM_VERBOSE:-0}" = 0 ] || cat "$RES/console.log"

# --- results ---
# what a guest kernel prints when it fails (an oops taints it D before a soft lockup)
KERNEL_FAILURE='BUG: |Oops|general protection fault|soft lockup|Kernel panic|rcu_preempt .*starved'
kernel_failed=0
pass=0 failed=0 skipped=0 noresult=()
for t in "${tests[@]}"; do
	if [ ! -e "$RES/$t.rc" ]; then
		echo "vm: $t: NO RESULT"
		failed=$((failed + 1)) noresult+=("$t")
		continue
	fi
	read -r rc secs <"$RES/$t.rc"
	case $rc in
	0)
		pass=$((pass + 1))
		if [ "${t#cmd}" != "$t" ]; then
			echo "vm: $t: exit 0 (${secs} s):"
			sed 's/^/    /' "$RES/$t.out"
		else
			# the test's PASS line (stamped or not), not what the shell printed after it
			# (a "Killed" line for a target its clean-up ended)
			echo "vm: $t: $( (grep -E '^(\[ *[0-9.]+\] )?PASS' "$RES/$t.out" || tail -n1 "$RES/$t.out") |
				tail -n1 | sed 's/^\[ *[0-9.]*\] //') (${secs} s)"
		fi
		;;
	77)
		skipped=$((skipped + 1))
		echo "vm: $t: SKIP: $(grep -m1 SKIP "$RES/$t.out" || tail -n1 "$RES/$t.out") (${secs} s)"
		;;
	*)
		failed=$((failed + 1))
		[ "$rc" != 124 ] || echo "vm: $t: timed out after $TEST_TIMEOUT s"
		echo "vm: $t: FAILED (exit $rc, ${secs} s); its output ($RES/$t.out), last 40 lines:"
		tail -n 40 "$RES/$t.out" | sed 's/^/    /'
		;;
	esac
done
if [ "$wedged" = 1 ]; then
	# the guest's own timeout did not end the test: its kernel is wedged
	echo "vm: the guest kernel wedged (a test's timeout did not fire); console: $RES/console.log"
	kernel_failed=1
elif [ $brc = 124 ]; then
	echo "vm: the guest ran past ${BOOT_TIMEOUT} s and was killed; console: $RES/console.log"
elif [ ! -e "$RES/done" ]; then
	echo "vm: the guest ended before its last test (qemu exit $brc); console tail:"
	if grep -aqE "$KERNEL_FAILURE" "$RES/console.log"; then
		# from the kernel's first complaint: an oops before a soft lockup is its cause
		grep -aE -m1 -A80 "$KERNEL_FAILURE" "$RES/console.log" | sed 's/^/    /'
		kernel_failed=1
	else
		tail -n 20 "$RES/console.log" | sed 's/^/    /'
	fi
	[ $failed -gt 0 ] || failed=1
fi
[ -z "$ready" ] || echo "vm: boot to guest ready (modules, 9p mounts): $((ready / 1000000)) ms"
[ -z "$first_result" ] || echo "vm: boot to first result: $((first_result / 1000000)) ms"
echo "vm: $ARCH $kver ($accel): $pass passed, $failed failed, $skipped skipped; guest wall time $total_ms ms; results in $RES"
if [ $kernel_failed = 1 ] && [ $failed = ${#noresult[@]} ]; then
	# only the guest kernel's failure left tests without a result: say which (exit 3)
	echo "vm: guest kernel failure; tests with no result: ${noresult[*]}"
	exit 3
fi
[ $failed = 0 ]
