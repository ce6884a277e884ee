#!/usr/bin/env bash
# CI's bounded subset in virtual machines, with Debian 12's 6.1 kernel: doctor, record,
# kernel signals, export, stack arguments, index terms and lifecycle on x86-64 (build/);
# the same plus the return value on arm64 (build-arm64/), where the stack arguments and ret
# are the arch's own. The quick runs leave to the host what is nnperf's own handling on every
# kernel (export's errors, HTTP surface and --max-series; lifecycle's --btf and no-bpffs;
# record's pruned and sparse variants; on arm64 also export's --spec and --probes-dir and
# lifecycle's two instances): tests/vm/README.md.
# NNPERF_VM_QUICK=1: fewer repetitions, and those checks said in skip lines. Both guests run at
# once (NNPERF_VM_CI_PARALLEL=0: one after the other). Prints each guest's and the total wall
# time; exits 1 if any test fails
# or a build is missing. A guest whose kernel fails (run.sh exit 3) with every finished
# test passed gets its unfinished tests rerun once in a new guest, said in the summary.
#
#   tests/vm/ci.sh            # both guests
#   NNPERF_VM_CI_ARCHES=x86_64 tests/vm/ci.sh
#   NNPERF_VM_CI_TESTS="test_lifecycle" tests/vm/ci.sh    # these tests on both
#   NNPERF_VM_CI_BUILD=1 tests/vm/ci.sh      # cross-build build-arm64/ first, while x86-64 runs
set -euo pipefail
cd "$(dirname "$0")/../.."
tests_for() { # the CI subset of guest $1
	if [ -n "${NNPERF_VM_CI_TESTS:-}" ]; then
		echo "$NNPERF_VM_CI_TESTS"
	elif [ "$1" = x86_64 ]; then
		# test_return_value on arm64 only (ret is x0 there): on x86-64 6.1 it adds
		# only the one-link-per-uprobe path, which the host forces as well
		echo test_doctor test_record test_kernel_signals test_export test_stack_args \
			test_index_fetch test_lifecycle
	else
		echo test_doctor test_record test_kernel_signals test_export test_stack_args \
			test_index_fetch test_return_value test_lifecycle
	fi
}
KERNEL=${NNPERF_VM_CI_KERNEL:-6.1}
export NNPERF_VM_ENV="NNPERF_VM_QUICK=1${NNPERF_VM_ENV:+ $NNPERF_VM_ENV}"
# per test: the x86-64 guest's test_lifecycle took 178-214 s on a normal day and ran past
# 300 s on a slow one (2026-12-07: every step ~1.4x slower), so 480
export NNPERF_VM_TEST_TIMEOUT=${NNPERF_VM_TEST_TIMEOUT:-480}
# a guest kernel that soft-locks panics at once with its backtrace in console.log instead
# of idling to the timeout (the x86-64 guest's wedges came from multi-threaded TCG, now
# off: docs/kernel-compat.md)
export NNPERF_VM_APPEND=${NNPERF_VM_APPEND:-loglevel=7 softlockup_panic=1 softlockup_all_cpu_backtrace=1}

tests/vm/setup.sh
t0=$SECONDS

# guest ARCH SUMMARY_FILE: CI's subset in one guest (and once more in a new guest after a
# kernel failure); its summary line into SUMMARY_FILE; 0 or 1
guest() {
	local arch=$1 out=$2 build=build how=scripts/setup.sh t=$SECONDS r=0 log retried= left
	[ "$arch" = x86_64 ] || build=build-$arch how="scripts/setup.sh --arch $arch"
	# NNPERF_VM_CI_BUILD=1 (scripts/test.sh): the cross build here, while the x86-64 guest
	# already runs (its test time is longer than the build's by minutes)
	if [ "$arch" != x86_64 ] && [ "${NNPERF_VM_CI_BUILD:-0}" = 1 ]; then
		$how >/dev/null || { echo "$arch: cross build failed ($how)" >"$out"; return 1; }
		echo "vm ci: $arch cross build $((SECONDS - t)) s"
	fi
	if [ ! -x "$build/nnperf" ]; then
		echo "vm ci: no $build/nnperf: build it first ($how)" >&2
		echo "$arch: no build" >"$out"
		return 1
	fi
	log=$(mktemp)
	# shellcheck disable=SC2046 # a list of test names
	NNPERF_VM_BUILD=$build tests/vm/run.sh "$arch" "$KERNEL" -- $(tests_for "$arch") 2>&1 |
		tee "$log" || r=$?
	if [ $r = 3 ]; then
		# the guest kernel failed with every test so far passed (docs/kernel-compat.md,
		# known problems): the tests it left unrun get one new guest, and the summary says so
		left=$(sed -n 's/^vm: guest kernel failure; tests with no result: //p' "$log")
		echo "vm ci: $arch guest kernel failed (console above); once more in a new guest: $left"
		r=0
		# shellcheck disable=SC2086 # a list of test names
		NNPERF_VM_BUILD=$build NNPERF_VM_RESULTS=build/vm/results/$arch-$KERNEL-rerun \
			tests/vm/run.sh "$arch" "$KERNEL" -- $left || r=$?
		retried=" (guest kernel failed once; $left rerun in a new guest)"
	fi
	rm -f "$log"
	echo "$arch $KERNEL: $([ $r = 0 ] && echo pass || echo FAIL) in $((SECONDS - t)) s$retried" >"$out"
	[ $r = 0 ]
}

# The guests at once, each line marked with its arch: each is one host thread (single-threaded
# TCG: lib.sh, and -icount on arm64), so on two cores they take the time of the longer one.
# NNPERF_VM_CI_PARALLEL=0, or a one-core host, runs them one after the other.
rc=0 summary=() pids=() outs=()
parallel=${NNPERF_VM_CI_PARALLEL:-1}
[ "$(nproc)" -ge 2 ] || parallel=0
for arch in ${NNPERF_VM_CI_ARCHES:-x86_64 arm64}; do
	out=$(mktemp)
	outs+=("$out")
	if [ "$parallel" = 0 ]; then
		guest "$arch" "$out" || rc=1
		continue
	fi
	(
		set -o pipefail
		guest "$arch" "$out" 2>&1 | sed -u "s/^/[$arch] /"
	) &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid" || rc=1
done
for out in "${outs[@]}"; do
	summary+=("$(cat "$out")")
	rm -f "$out"
done
echo "vm ci: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g'); total $((SECONDS - t0)) s$([ "$parallel" = 0 ] || echo ", guests in parallel")"
exit $rc
