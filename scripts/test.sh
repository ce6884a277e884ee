#!/usr/bin/env bash
# README's second command: the same set-up, then every test: unit tests (also
# built with ASan/UBSan), a Release build (-O3 warnings), the fuzzers (every
# corpus file replayed, then a fixed seed and number of runs: scripts/fuzz.sh) and
# the integration tests that load BPF (root), then CI's subset of them in Debian 6.1
# x86-64 and arm64 guests (tests/vm/ci.sh). The same tree gives the same result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
status=0
t_step=0
took() { # the time of the step before, for CI's 30-minute budget
	echo "-- $1: $((SECONDS - t_step)) s"
	t_step=$SECONDS
}
took "set-up (scripts/setup.sh)"

echo "== formatting: every C file as .clang-format says (scripts/format.sh --check)"
scripts/format.sh --check || status=1

took "formatting"
echo "== unit tests under ASan/UBSan (build-asan/)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNNPERF_SANITIZE=ON >/dev/null
cmake --build build-asan
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest -L unit --output-on-failure -j "$jobs") || status=1

took "ASan/UBSan build and unit tests"
echo "== Release build (-O3, -Werror): warnings only the optimiser finds (build-release/)"
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release || status=1

took "Release build"
echo "== fuzzing: every libFuzzer harness, its corpus replayed, then a fixed seed (build-fuzz/)"
scripts/fuzz.sh || status=1

took "fuzzing"
echo "== all tests (build/): unit and root integration"
(cd build && ctest --output-on-failure) || status=1

took "all tests"
# Debian's 6.1 kernel (kprobes, fentry, no uprobe_multi) on x86-64 and arm64 (an emulated
# PMU), in qemu: the fallbacks the host kernel never takes (tests/vm/README.md).
# NNPERF_CI_VM=0 leaves it out (a machine without network for apt).
if [ "${NNPERF_CI_VM:-1}" != 0 ]; then
	echo "== kernels in qemu: CI's subset in Debian 6.1 x86-64 and arm64 guests (tests/vm/ci.sh)"
	vm_t0=$SECONDS
	vm_rc=0
	tests/vm/setup.sh || vm_rc=1
	echo "vm: setup $((SECONDS - vm_t0)) s"
	# the arm64 cross build runs in ci.sh while the x86-64 guest already boots
	[ $vm_rc != 0 ] || NNPERF_VM_CI_BUILD=1 tests/vm/ci.sh || vm_rc=1
	[ $vm_rc = 0 ] || status=1
	echo "== VM step: $([ $vm_rc = 0 ] && echo pass || echo FAIL), $((SECONDS - vm_t0)) s (set-up, arm64 cross build, both guests)"
fi
echo "-- total: $SECONDS s"
exit $status
